import { z } from 'zod';
import { PLATFORMS, SOURCE_KINDS, type Platform, type SourceKind } from '../../db/schema.ts';

export const sourceKindSchema = z.enum(SOURCE_KINDS as [SourceKind, ...SourceKind[]]);
export const platformSchema = z.enum(PLATFORMS);

export interface Source {
  id: string;
  kind: SourceKind;
  name: string;
  platform: Platform | null;
  ownerUserId: string | null;
  defaultCommissionBps: number | null;
  /** The platform's service fee on this source's commission; null = the platform-wide setting. */
  platformFeeBps: number | null;
  enabled: boolean;
  createdAt: string;
}

export const sourceSchema = z.object({
  id: z.string(),
  kind: sourceKindSchema,
  name: z.string(),
  platform: platformSchema.nullable(),
  owner_id: z.string().nullable(),
  default_commission_bps: z.number().int().nullable(),
  platform_fee_bps: z.number().int().nullable().describe('service fee the platform takes from this source\'s commission; null = the platform-wide setting'),
  enabled: z.boolean(),
  created_at: z.string(),
});

export function toSourceJson(s: Source): z.infer<typeof sourceSchema> {
  return {
    id: s.id,
    kind: s.kind,
    name: s.name,
    platform: s.platform,
    owner_id: s.ownerUserId,
    default_commission_bps: s.defaultCommissionBps,
    platform_fee_bps: s.platformFeeBps,
    enabled: s.enabled,
    created_at: s.createdAt,
  };
}
