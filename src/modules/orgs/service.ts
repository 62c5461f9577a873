import type { Kysely } from 'kysely';
import { Conflict, Forbidden, InvalidInput, NotFound, Unprocessable } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import { isCalendarDate, nowIso, startOfPlatformDay } from '../../core/time.ts';
import type { Database } from '../../db/schema.ts';
import { findCreatorByHandle } from '../accounts/service.ts';
import type { User } from '../accounts/model.ts';
import { recordAudit } from '../audit/service.ts';
import type { Invitation, Membership, MembershipAt, Organisation } from './model.ts';
import { contains, endOnRequest, membershipPeriodOnAccept, membershipStatus, overlaps } from './rules.ts';

type Q = Kysely<Database>;

export async function registerOrganisation(db: Q, admin: User, name: string): Promise<Organisation> {
  if (admin.role !== 'org') throw new InvalidInput('not_an_org_account', 'an organisation is run by an org account');
  const trimmed = name.trim();
  if (!trimmed || trimmed.length > 100) throw new InvalidInput('invalid_name', 'organisation name is 1-100 characters');
  const row = { id: newId('organisation'), name: trimmed, admin_user_id: admin.id, created_at: nowIso() };
  await db.insertInto('organisations').values(row).execute();
  return { id: row.id, name: row.name, adminUserId: admin.id, createdAt: row.created_at };
}

/** The organisation an org account runs. */
export async function organisationOf(db: Q, admin: User): Promise<Organisation> {
  if (admin.role !== 'org') throw new Forbidden();
  const row = await db.selectFrom('organisations').selectAll().where('admin_user_id', '=', admin.id).executeTakeFirst();
  if (!row) throw new NotFound('organisation');
  return { id: row.id, name: row.name, adminUserId: row.admin_user_id, createdAt: row.created_at };
}

export async function listOrganisations(db: Q): Promise<(Organisation & { adminEmail: string; adminName: string; activeCreators: number })[]> {
  const now = nowIso();
  const rows = await db
    .selectFrom('organisations')
    .innerJoin('users', 'users.id', 'organisations.admin_user_id')
    .select(['organisations.id', 'organisations.name', 'organisations.admin_user_id', 'organisations.created_at', 'users.email', 'users.name as admin_name'])
    .select((eb) =>
      eb
        .selectFrom('memberships')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('memberships.organisation_id', '=', 'organisations.id')
        .where('memberships.starts_at', '<=', now)
        .where((w) => w.or([w('memberships.ends_at', 'is', null), w('memberships.ends_at', '>', now)]))
        .as('active_creators'),
    )
    .orderBy('organisations.id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    adminUserId: r.admin_user_id,
    createdAt: r.created_at,
    adminEmail: r.email,
    adminName: r.admin_name,
    activeCreators: Number(r.active_creators ?? 0),
  }));
}

function periodFromDates(startsOn: string, endsOn: string | null | undefined): { startsAt: string; endsAt: string | null } {
  if (!isCalendarDate(startsOn)) throw new InvalidInput('invalid_date', `starts_on is not a date: ${startsOn}`);
  if (endsOn != null && !isCalendarDate(endsOn)) throw new InvalidInput('invalid_date', `ends_on is not a date: ${endsOn}`);
  const startsAt = startOfPlatformDay(startsOn);
  const endsAt = endsOn == null ? null : startOfPlatformDay(endsOn);
  if (endsAt !== null && endsAt <= startsAt) throw new InvalidInput('invalid_period', 'ends_on must be after starts_on');
  return { startsAt, endsAt };
}

export interface InviteInput {
  handle: string;
  shareBps: number;
  startsOn: string;
  endsOn?: string | null;
}

export async function inviteCreator(db: Q, admin: User, input: InviteInput): Promise<Invitation> {
  const org = await organisationOf(db, admin);
  if (!Number.isInteger(input.shareBps) || input.shareBps < 0 || input.shareBps > 10_000) {
    throw new InvalidInput('invalid_share', 'share_bps is an integer from 0 to 10000');
  }
  const period = periodFromDates(input.startsOn, input.endsOn);
  const creator = await findCreatorByHandle(db, input.handle);
  if (!creator) throw new NotFound(`creator @${input.handle}`);
  const pending = await db
    .selectFrom('invitations')
    .select('id')
    .where('organisation_id', '=', org.id)
    .where('creator_id', '=', creator.id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  if (pending) throw new Conflict('invitation_pending', `@${creator.handle} already has a pending invitation from you`);
  const row = {
    id: newId('invitation'),
    organisation_id: org.id,
    creator_id: creator.id,
    share_bps: input.shareBps,
    starts_at: period.startsAt,
    ends_at: period.endsAt,
    status: 'pending' as const,
    created_at: nowIso(),
    responded_at: null,
  };
  await db.insertInto('invitations').values(row).execute();
  await recordAudit(db, admin.id, 'invitation.sent', row.id, { creator_id: creator.id, share_bps: row.share_bps });
  return (await loadInvitation(db, row.id))!;
}

function invitationQuery(db: Q) {
  return db
    .selectFrom('invitations')
    .innerJoin('organisations', 'organisations.id', 'invitations.organisation_id')
    .innerJoin('users', 'users.id', 'invitations.creator_id')
    .select([
      'invitations.id',
      'invitations.share_bps',
      'invitations.starts_at',
      'invitations.ends_at',
      'invitations.status',
      'invitations.created_at',
      'invitations.creator_id',
      'invitations.organisation_id',
      'organisations.name as organisation_name',
      'organisations.admin_user_id',
      'users.name as creator_name',
      'users.handle as creator_handle',
    ]);
}

type InvitationRow = Awaited<ReturnType<ReturnType<typeof invitationQuery>['executeTakeFirstOrThrow']>>;

function toInvitation(r: InvitationRow): Invitation {
  return {
    id: r.id,
    organisation: { id: r.organisation_id, name: r.organisation_name },
    creator: { id: r.creator_id, name: r.creator_name, handle: r.creator_handle },
    shareBps: r.share_bps,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    status: r.status,
    createdAt: r.created_at,
  };
}

async function loadInvitation(db: Q, id: string): Promise<Invitation | null> {
  const row = await invitationQuery(db).where('invitations.id', '=', id).executeTakeFirst();
  return row ? toInvitation(row) : null;
}

export async function invitationsSentBy(db: Q, admin: User): Promise<Invitation[]> {
  const org = await organisationOf(db, admin);
  const rows = await invitationQuery(db).where('invitations.organisation_id', '=', org.id).orderBy('invitations.id', 'desc').execute();
  return rows.map(toInvitation);
}

export async function invitationsReceivedBy(db: Q, creator: User): Promise<Invitation[]> {
  if (creator.role !== 'creator') throw new Forbidden();
  const rows = await invitationQuery(db).where('invitations.creator_id', '=', creator.id).orderBy('invitations.id', 'desc').execute();
  return rows.map(toInvitation);
}

/** A pending invitation addressed to this creator; anyone else's looks like nothing. */
async function pendingInvitationFor(db: Q, creator: User, invitationId: string): Promise<InvitationRow> {
  const row = await invitationQuery(db)
    .where('invitations.id', '=', invitationId)
    .where('invitations.creator_id', '=', creator.id)
    .executeTakeFirst();
  if (!row || creator.role !== 'creator') throw new NotFound('invitation');
  if (row.status !== 'pending') throw new Conflict('invitation_not_pending', `the invitation is already ${row.status}`);
  return row;
}

/**
 * Accepting binds the creator to the organisation. A creator belongs to at most one organisation
 * at a time, so the new membership may not overlap any other. Runs in one transaction so two
 * acceptances racing cannot both pass the overlap check.
 */
export async function acceptInvitation(db: Q, creator: User, invitationId: string): Promise<Membership> {
  const membershipId = await db.transaction().execute(async (tx) => {
    // Serialise acceptances per creator on PostgreSQL; SQLite transactions are already serial.
    await tx.updateTable('users').set({ handle: creator.handle }).where('id', '=', creator.id).execute();
    const invitation = await pendingInvitationFor(tx, creator, invitationId);
    const now = nowIso();
    const period = membershipPeriodOnAccept({ startsAt: invitation.starts_at, endsAt: invitation.ends_at }, now);
    if (!period) throw new Unprocessable('invitation_expired', 'the invited period is already over');
    const others = await tx.selectFrom('memberships').select(['starts_at', 'ends_at']).where('creator_id', '=', creator.id).execute();
    if (others.some((m) => overlaps({ startsAt: m.starts_at, endsAt: m.ends_at }, period))) {
      throw new Conflict('already_in_organisation', 'you already belong to an organisation for that period; end it first');
    }
    const id = newId('membership');
    await tx
      .insertInto('memberships')
      .values({
        id,
        organisation_id: invitation.organisation_id,
        creator_id: creator.id,
        invitation_id: invitation.id,
        share_bps: invitation.share_bps,
        starts_at: period.startsAt,
        ends_at: period.endsAt,
        created_at: now,
        ended_by: null,
      })
      .execute();
    await tx.updateTable('invitations').set({ status: 'accepted', responded_at: now }).where('id', '=', invitation.id).execute();
    await recordAudit(tx, creator.id, 'invitation.accepted', invitation.id, { membership_id: id });
    return id;
  });
  return (await loadMembership(db, membershipId))!;
}

export async function declineInvitation(db: Q, creator: User, invitationId: string): Promise<Invitation> {
  const invitation = await pendingInvitationFor(db, creator, invitationId);
  await db.updateTable('invitations').set({ status: 'declined', responded_at: nowIso() }).where('id', '=', invitation.id).where('status', '=', 'pending').execute();
  await recordAudit(db, creator.id, 'invitation.declined', invitation.id, {});
  return (await loadInvitation(db, invitation.id))!;
}

export async function cancelInvitation(db: Q, admin: User, invitationId: string): Promise<Invitation> {
  const org = await organisationOf(db, admin);
  const row = await db.selectFrom('invitations').select(['id', 'status']).where('id', '=', invitationId).where('organisation_id', '=', org.id).executeTakeFirst();
  if (!row) throw new NotFound('invitation');
  if (row.status !== 'pending') throw new Conflict('invitation_not_pending', `the invitation is already ${row.status}`);
  await db.updateTable('invitations').set({ status: 'cancelled', responded_at: nowIso() }).where('id', '=', row.id).where('status', '=', 'pending').execute();
  await recordAudit(db, admin.id, 'invitation.cancelled', row.id, {});
  return (await loadInvitation(db, row.id))!;
}

function membershipQuery(db: Q) {
  return db
    .selectFrom('memberships')
    .innerJoin('organisations', 'organisations.id', 'memberships.organisation_id')
    .innerJoin('users', 'users.id', 'memberships.creator_id')
    .select([
      'memberships.id',
      'memberships.share_bps',
      'memberships.starts_at',
      'memberships.ends_at',
      'memberships.creator_id',
      'memberships.organisation_id',
      'organisations.name as organisation_name',
      'organisations.admin_user_id',
      'users.name as creator_name',
      'users.handle as creator_handle',
    ]);
}

type MembershipRow = Awaited<ReturnType<ReturnType<typeof membershipQuery>['executeTakeFirstOrThrow']>>;

function toMembership(r: MembershipRow, now = nowIso()): Membership {
  const period = { startsAt: r.starts_at, endsAt: r.ends_at };
  return {
    id: r.id,
    organisation: { id: r.organisation_id, name: r.organisation_name },
    creator: { id: r.creator_id, name: r.creator_name, handle: r.creator_handle },
    shareBps: r.share_bps,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    status: membershipStatus(period, now),
  };
}

async function loadMembership(db: Q, id: string): Promise<Membership | null> {
  const row = await membershipQuery(db).where('memberships.id', '=', id).executeTakeFirst();
  return row ? toMembership(row) : null;
}

export async function membershipsOfCreator(db: Q, creator: User): Promise<Membership[]> {
  if (creator.role !== 'creator') throw new Forbidden();
  const rows = await membershipQuery(db).where('memberships.creator_id', '=', creator.id).orderBy('memberships.starts_at', 'desc').execute();
  return rows.map((r) => toMembership(r));
}

/** The creators an organisation manages now: bound (active) or accepted and about to start. */
export async function creatorsOfOrganisation(db: Q, admin: User): Promise<Membership[]> {
  const org = await organisationOf(db, admin);
  const now = nowIso();
  const rows = await membershipQuery(db)
    .where('memberships.organisation_id', '=', org.id)
    .where((w) => w.or([w('memberships.ends_at', 'is', null), w('memberships.ends_at', '>', now)]))
    .orderBy('memberships.starts_at')
    .execute();
  return rows.map((r) => toMembership(r, now));
}

/** A creator's profile as their organisation sees it: only while bound. */
export async function boundCreator(db: Q, admin: User, creatorId: string): Promise<Membership> {
  const org = await organisationOf(db, admin);
  const now = nowIso();
  const row = await membershipQuery(db)
    .where('memberships.organisation_id', '=', org.id)
    .where('memberships.creator_id', '=', creatorId)
    .where('memberships.starts_at', '<=', now)
    .where((w) => w.or([w('memberships.ends_at', 'is', null), w('memberships.ends_at', '>', now)]))
    .executeTakeFirst();
  if (!row) throw new NotFound('creator');
  return toMembership(row, now);
}

/** Either side ends a membership from a date; the past is never rewritten. */
export async function endMembership(db: Q, actor: User, membershipId: string, endsOn: string): Promise<Membership> {
  if (!isCalendarDate(endsOn)) throw new InvalidInput('invalid_date', `ends_on is not a date: ${endsOn}`);
  const row = await membershipQuery(db).where('memberships.id', '=', membershipId).executeTakeFirst();
  const isParty = row && ((actor.role === 'creator' && row.creator_id === actor.id) || (actor.role === 'org' && row.admin_user_id === actor.id));
  if (!row || !isParty) throw new NotFound('membership');
  const now = nowIso();
  const decision = endOnRequest({ startsAt: row.starts_at, endsAt: row.ends_at }, startOfPlatformDay(endsOn), now);
  if ('refused' in decision) throw new Conflict(decision.refused, 'the membership cannot end on that date');
  await db.updateTable('memberships').set({ ends_at: decision.endsAt, ended_by: actor.id }).where('id', '=', row.id).execute();
  await recordAudit(db, actor.id, 'membership.ended', row.id, { ends_at: decision.endsAt });
  return (await loadMembership(db, row.id))!;
}

export async function currentOrganisationOfCreator(db: Q, creatorId: string): Promise<{ id: string; name: string } | null> {
  const at = await membershipAt(db, creatorId, nowIso());
  if (!at) return null;
  const org = await db.selectFrom('organisations').select(['id', 'name']).where('id', '=', at.organisationId).executeTakeFirstOrThrow();
  return org;
}

/** Which organisation, at what share, had this creator at the instant (for the ledger). */
export async function membershipAt(db: Q, creatorId: string, instant: string): Promise<MembershipAt | null> {
  const rows = await db
    .selectFrom('memberships')
    .select(['id', 'organisation_id', 'share_bps', 'starts_at', 'ends_at'])
    .where('creator_id', '=', creatorId)
    .where('starts_at', '<=', instant)
    .execute();
  const row = rows.find((r) => contains({ startsAt: r.starts_at, endsAt: r.ends_at }, instant));
  return row ? { membershipId: row.id, organisationId: row.organisation_id, shareBps: row.share_bps } : null;
}

/**
 * Records a membership that began in the past, with its invitation, as history imported at
 * set-up (the demo alliance, a migration from another system). The console's path is
 * inviteCreator + acceptInvitation, which never start a membership in the past.
 */
export async function recordPastMembership(db: Q, input: { organisationId: string; creatorId: string; shareBps: number; startsAt: string }): Promise<string> {
  const invitationId = newId('invitation');
  await db
    .insertInto('invitations')
    .values({ id: invitationId, organisation_id: input.organisationId, creator_id: input.creatorId, share_bps: input.shareBps, starts_at: input.startsAt, ends_at: null, status: 'accepted', created_at: input.startsAt, responded_at: input.startsAt })
    .execute();
  const id = newId('membership');
  await db
    .insertInto('memberships')
    .values({ id, organisation_id: input.organisationId, creator_id: input.creatorId, invitation_id: invitationId, share_bps: input.shareBps, starts_at: input.startsAt, ends_at: null, created_at: input.startsAt, ended_by: null })
    .execute();
  return id;
}

/** `membershipAt` for many creators at once: one query, answered per (creator, instant). */
export async function membershipsAtMany(db: Q, creatorIds: readonly string[]): Promise<(creatorId: string, instant: string) => MembershipAt | null> {
  const unique = [...new Set(creatorIds)];
  const rows: { id: string; creator_id: string; organisation_id: string; share_bps: number; starts_at: string; ends_at: string | null }[] = [];
  for (let i = 0; i < unique.length; i += 500) {
    rows.push(...(await db.selectFrom('memberships').select(['id', 'creator_id', 'organisation_id', 'share_bps', 'starts_at', 'ends_at']).where('creator_id', 'in', unique.slice(i, i + 500)).execute()));
  }
  const byCreator = new Map<string, typeof rows>();
  for (const r of rows) byCreator.set(r.creator_id, [...(byCreator.get(r.creator_id) ?? []), r]);
  return (creatorId, instant) => {
    const row = byCreator.get(creatorId)?.find((r) => contains({ startsAt: r.starts_at, endsAt: r.ends_at }, instant));
    return row ? { membershipId: row.id, organisationId: row.organisation_id, shareBps: row.share_bps } : null;
  };
}
