/** Shapes of the console API's answers, as the server sends them (snake_case kept). */

export type Role = 'operator' | 'creator' | 'org' | 'merchant';

export interface User {
  id: string;
  role: Role;
  email: string;
  name: string;
  handle: string | null;
}

export interface OrganisationRef {
  id: string;
  name: string;
}

export interface Me {
  user: User;
  organisation: OrganisationRef | null;
}

export interface CreatorRef {
  id: string;
  handle: string;
  name: string;
}

export type InvitationStatus = 'pending' | 'accepted' | 'declined' | 'cancelled';
export type MembershipStatus = 'active' | 'scheduled' | 'ended';

export interface CreatorInvitation {
  id: string;
  organisation: OrganisationRef;
  share_bps: number;
  starts_on: string;
  ends_on: string | null;
  status: InvitationStatus;
  created_at: string;
}

export interface OrgInvitation {
  id: string;
  creator: CreatorRef;
  share_bps: number;
  starts_on: string;
  ends_on: string | null;
  status: InvitationStatus;
  created_at: string;
}

export interface Membership {
  id: string;
  organisation: OrganisationRef;
  creator: CreatorRef;
  share_bps: number;
  starts_on: string;
  ends_on: string | null;
  status: MembershipStatus;
}

export interface Organisation {
  id: string;
  name: string;
  created_at: string;
}

export interface AdminUser extends User {
  created_at: string;
}

export interface AdminOrganisation {
  id: string;
  name: string;
  admin: { id: string; email: string; name: string };
  creators: number;
  created_at: string;
}

export type SourceKind = 'platform' | 'merchant' | 'own_shop';

export interface Source {
  id: string;
  kind: SourceKind;
  name: string;
  platform: string | null;
  owner_id: string | null;
  enabled: boolean;
  created_at: string;
}

export interface CreatedSource extends Source {
  webhook_secret: string;
}

export interface Items<T> {
  items: T[];
}
