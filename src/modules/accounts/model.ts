import { z } from 'zod';
import type { Role } from '../../db/schema.ts';

export const roleSchema = z.enum(['operator', 'creator', 'org', 'merchant', 'colonel']);
export const emailSchema = z.string().trim().toLowerCase().email().max(254);
export const passwordSchema = z.string().min(8, 'password must be at least 8 characters').max(200);
export const handleSchema = z
  .string()
  .regex(/^[a-z0-9_]{3,30}$/, 'handle is 3-30 lower-case letters, digits or underscores');
export const nameSchema = z.string().trim().min(1).max(100);

export interface User {
  id: string;
  role: Role;
  email: string;
  name: string;
  handle: string | null;
  createdAt: string;
}

export const publicUserSchema = z.object({
  id: z.string(),
  role: roleSchema,
  email: z.string(),
  name: z.string(),
  handle: z.string().nullable(),
});

export function toPublicUser(user: User): z.infer<typeof publicUserSchema> {
  return { id: user.id, role: user.role, email: user.email, name: user.name, handle: user.handle };
}
