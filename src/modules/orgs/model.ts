import { z } from 'zod';

export const shareBpsSchema = z.number().int().min(0).max(10_000);
export const calendarDateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'dates are YYYY-MM-DD');

export interface Organisation {
  id: string;
  name: string;
  adminUserId: string;
  createdAt: string;
}

export interface PartyRef {
  id: string;
  name: string;
}

export interface CreatorRef {
  id: string;
  name: string;
  handle: string | null;
}

export interface Invitation {
  id: string;
  organisation: PartyRef;
  creator: CreatorRef;
  shareBps: number;
  startsAt: string;
  endsAt: string | null;
  status: 'pending' | 'accepted' | 'declined' | 'cancelled';
  createdAt: string;
}

export interface Membership {
  id: string;
  organisation: PartyRef;
  creator: CreatorRef;
  shareBps: number;
  startsAt: string;
  endsAt: string | null;
  status: 'scheduled' | 'active' | 'ended';
}

/** What the ledger asks: which organisation took what share of this creator at an instant. */
export interface MembershipAt {
  membershipId: string;
  organisationId: string;
  shareBps: number;
}
