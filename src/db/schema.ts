import type { Generated } from 'kysely';

/** The schema's types: one interface per table. Times are ISO-8601 UTC strings (see core/time.ts). */
export type Role = 'operator' | 'creator' | 'org' | 'merchant';
export const ROLES: readonly Role[] = ['operator', 'creator', 'org', 'merchant'];

export interface UsersTable {
  id: string;
  role: Role;
  email: string;
  password_hash: string;
  name: string;
  handle: string | null;
  created_at: string;
}

export interface SessionsTable {
  id: string;
  token_hash: string;
  user_id: string;
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
}

export interface OrganisationsTable {
  id: string;
  name: string;
  admin_user_id: string;
  created_at: string;
}

export type InvitationStatus = 'pending' | 'accepted' | 'declined' | 'cancelled';

export interface InvitationsTable {
  id: string;
  organisation_id: string;
  creator_id: string;
  share_bps: number;
  starts_at: string;
  ends_at: string | null;
  status: InvitationStatus;
  created_at: string;
  responded_at: string | null;
}

/**
 * A creator's membership of an organisation, [starts_at, ends_at). Rows are only ever added, and
 * ends_at set once (never into the past), so "which organisation, at what share, at time T" can be
 * answered for any T.
 */
export interface MembershipsTable {
  id: string;
  organisation_id: string;
  creator_id: string;
  invitation_id: string;
  share_bps: number;
  starts_at: string;
  ends_at: string | null;
  created_at: string;
  ended_by: string | null;
}

export type SourceKind = 'platform' | 'merchant' | 'own_shop';
export const SOURCE_KINDS: readonly SourceKind[] = ['platform', 'merchant', 'own_shop'];
export const PLATFORMS = ['pdd', 'jd', 'taobao', 'youzan', 'weimob', 'mokuai', 'dangdang'] as const;
export type Platform = (typeof PLATFORMS)[number];

export interface SourcesTable {
  id: string;
  kind: SourceKind;
  name: string;
  platform: Platform | null;
  owner_user_id: string | null;
  webhook_secret: string;
  default_commission_bps: number | null;
  enabled: number;
  created_at: string;
}

export interface AuditLogTable {
  id: string;
  actor_user_id: string | null;
  action: string;
  subject_id: string;
  details: string;
  created_at: string;
}

export interface LoginAttemptsTable {
  id: Generated<number>;
  email: string;
  succeeded: number;
  attempted_at: string;
}

export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  organisations: OrganisationsTable;
  invitations: InvitationsTable;
  memberships: MembershipsTable;
  sources: SourcesTable;
  audit_log: AuditLogTable;
}
