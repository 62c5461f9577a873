import { createHash, randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { Conflict, InvalidInput, Unauthorized } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import { nowIso } from '../../core/time.ts';
import { isUniqueViolation } from '../../db/errors.ts';
import { decodeKeyset, encodeKeyset } from '../../db/keyset.ts';
import type { Database, Role, UsersTable } from '../../db/schema.ts';
import { emailSchema, handleSchema, nameSchema, passwordSchema, roleSchema, type User } from './model.ts';
import { DUMMY_HASH, hashPassword, verifyPassword } from './password.ts';

type Q = Kysely<Database>;

export interface NewUser {
  role: Role;
  email: string;
  password: string;
  name?: string;
  handle?: string | null;
}

function toUser(row: UsersTable): User {
  return { id: row.id, role: row.role, email: row.email, name: row.name, handle: row.handle, createdAt: row.created_at };
}

function parseOrThrow<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: { message: string }[] } } }, value: unknown, code: string): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new InvalidInput(code, result.error.issues[0]?.message ?? code);
  return result.data;
}

export async function createUser(db: Q, input: NewUser): Promise<User> {
  const role = parseOrThrow(roleSchema, input.role, 'invalid_role');
  const email = parseOrThrow(emailSchema, input.email, 'invalid_email');
  const password = parseOrThrow(passwordSchema, input.password, 'invalid_password');
  const handle = input.handle == null ? null : parseOrThrow(handleSchema, input.handle, 'invalid_handle');
  if (role === 'creator' && handle === null) throw new InvalidInput('handle_required', 'a creator needs a handle for the public showcase');
  if (role !== 'creator' && handle !== null) throw new InvalidInput('handle_not_allowed', 'only creators have a handle');
  const name = parseOrThrow(nameSchema, input.name ?? email.split('@')[0], 'invalid_name');

  const existing = await db
    .selectFrom('users')
    .select(['email', 'handle'])
    .where((eb) => (handle ? eb.or([eb('email', '=', email), eb('handle', '=', handle)]) : eb('email', '=', email)))
    .execute();
  if (existing.some((u) => u.email === email)) throw new Conflict('email_taken', `${email} is already registered`);
  if (existing.length > 0) throw new Conflict('handle_taken', `handle ${handle} is taken`);

  const row: UsersTable = {
    id: newId('user'),
    role,
    email,
    password_hash: await hashPassword(password),
    name,
    handle,
    created_at: nowIso(),
  };
  try {
    await db.insertInto('users').values(row).execute();
  } catch (error) {
    // Two sign-ups racing for the same email or handle: the constraint decides.
    if (isUniqueViolation(error)) throw new Conflict('email_or_handle_taken', 'email or handle is already registered');
    throw error;
  }
  return toUser(row);
}

export async function findUserById(db: Q, id: string): Promise<User | null> {
  const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toUser(row) : null;
}

export async function findCreatorByHandle(db: Q, handle: string): Promise<User | null> {
  const row = await db
    .selectFrom('users')
    .selectAll()
    .where('handle', '=', handle.trim().toLowerCase())
    .where('role', '=', 'creator')
    .executeTakeFirst();
  return row ? toUser(row) : null;
}

export interface UserFilter {
  role?: Role;
  /** Words the operator typed: an exact email or @handle, or part of a name or email. */
  q?: string;
  limit?: number;
  /** Where the previous page ended (`nextCursor`). */
  cursor?: string;
}

/**
 * Accounts newest first, a page at a time (the operator's 用户 page): read off `users_newest` (or
 * `users_role_newest` for one role), so a page costs its own rows however many accounts there are.
 * A search matches an exact email or handle, or part of a name or email (case-insensitive for
 * Latin letters).
 */
export async function usersPage(db: Q, filter: UserFilter = {}): Promise<{ items: User[]; nextCursor: string | null }> {
  const limit = Math.min(Math.max(filter.limit ?? 50, 1), 500);
  let query = db.selectFrom('users').selectAll().orderBy('created_at', 'desc').orderBy('id');
  if (filter.role) query = query.where('role', '=', filter.role);
  const words = filter.q?.trim().toLowerCase();
  if (words) {
    const pattern = `%${words.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const contains = (column: 'name' | 'email') => sql<boolean>`lower(${sql.ref(column)}) like ${pattern} escape '\\'`;
    query = query.where((eb) => eb.or([eb('email', '=', words), eb('handle', '=', words.replace(/^@/, '')), contains('name'), contains('email')]));
  }
  if (filter.cursor) {
    const [at, id] = decodeKeyset(filter.cursor);
    query = query.where((eb) => eb.or([eb('created_at', '<', at), eb.and([eb('created_at', '=', at), eb('id', '>', id)])]));
  }
  const rows = await query.limit(limit + 1).execute();
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { items: page.map(toUser), nextCursor: rows.length > limit && last ? encodeKeyset(last.created_at, last.id) : null };
}

export async function countUsers(db: Q): Promise<number> {
  const row = await db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export interface Session {
  token: string;
  user: User;
  expiresAt: string;
}

/** Checks the password and opens a session. The same error for an unknown email and a wrong password. */
export async function login(db: Q, email: string, password: string, ttlDays: number): Promise<Session> {
  const row = await db.selectFrom('users').selectAll().where('email', '=', email.trim().toLowerCase()).executeTakeFirst();
  const ok = await verifyPassword(password, row?.password_hash ?? DUMMY_HASH);
  if (!row || !ok) throw new Unauthorized('Wrong email or password');
  return openSession(db, toUser(row), ttlDays);
}

export async function openSession(db: Q, user: User, ttlDays: number): Promise<Session> {
  const token = `vts_${randomBytes(32).toString('base64url')}`;
  const now = new Date();
  const expiresAt = new Date(now.getTime() + ttlDays * 86_400_000).toISOString();
  await db
    .insertInto('sessions')
    .values({ id: newId('session'), token_hash: hashToken(token), user_id: user.id, created_at: nowIso(now), expires_at: expiresAt, revoked_at: null })
    .execute();
  return { token, user, expiresAt };
}

/** The user behind a token, or null when it is unknown, revoked or expired. */
export async function authenticate(db: Q, token: string): Promise<User | null> {
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .selectAll('users')
    .where('sessions.token_hash', '=', hashToken(token))
    .where('sessions.revoked_at', 'is', null)
    .where('sessions.expires_at', '>', nowIso())
    .executeTakeFirst();
  return row ? toUser(row) : null;
}

export async function logout(db: Q, token: string): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ revoked_at: nowIso() })
    .where('token_hash', '=', hashToken(token))
    .where('revoked_at', 'is', null)
    .execute();
}
