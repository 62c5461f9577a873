import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { platformDayOf, startOfPlatformDay } from '../../core/time.ts';
import { DIALECTS, openTestDb, type TestDb } from '../../db/testing.ts';
import type { User } from '../accounts/model.ts';
import { createUser } from '../accounts/service.ts';
import * as orgs from './service.ts';

const today = () => platformDayOf(new Date().toISOString());
const daysFromToday = (n: number) => platformDayOf(new Date(Date.now() + n * 86_400_000).toISOString());

describe.each(DIALECTS)('organisations on %s', (dialect) => {
  let db: TestDb;
  let seq = 0;
  beforeAll(async () => {
    db = await openTestDb(dialect);
  });
  afterAll(async () => {
    await db.close();
  });

  async function orgAccount(name: string): Promise<User> {
    const admin = await createUser(db.kysely, { role: 'org', email: `org${++seq}@x.cn`, password: 'password1', name });
    await orgs.registerOrganisation(db.kysely, admin, name);
    return admin;
  }
  const creator = (handle: string) => createUser(db.kysely, { role: 'creator', email: `${handle}@x.cn`, password: 'password1', handle });

  it('binds a creator who accepts, with the invited share, starting no earlier than the acceptance', async () => {
    const admin = await orgAccount('星河传媒');
    const c = await creator('c_accept');
    const invitation = await orgs.inviteCreator(db.kysely, admin, { handle: 'c_accept', shareBps: 1500, startsOn: daysFromToday(-3) });
    expect(invitation.status).toBe('pending');
    expect(await orgs.creatorsOfOrganisation(db.kysely, admin)).toEqual([]);
    const before = new Date().toISOString();
    const membership = await orgs.acceptInvitation(db.kysely, c, invitation.id);
    expect(membership).toMatchObject({ shareBps: 1500, status: 'active', organisation: { name: '星河传媒' } });
    expect(membership.startsAt >= before).toBe(true);
    expect((await orgs.creatorsOfOrganisation(db.kysely, admin)).map((m) => m.creator.id)).toEqual([c.id]);
    expect((await orgs.invitationsReceivedBy(db.kysely, c))[0]?.status).toBe('accepted');
    await expect(orgs.acceptInvitation(db.kysely, c, invitation.id)).rejects.toMatchObject({ status: 409 });
  });

  it('never shows an organisation a creator who declined or has not answered', async () => {
    const admin = await orgAccount('A');
    const c1 = await creator('c_decline');
    await creator('c_silent');
    const inv = await orgs.inviteCreator(db.kysely, admin, { handle: 'c_decline', shareBps: 1000, startsOn: today() });
    await orgs.inviteCreator(db.kysely, admin, { handle: 'c_silent', shareBps: 1000, startsOn: today() });
    expect((await orgs.declineInvitation(db.kysely, c1, inv.id)).status).toBe('declined');
    expect(await orgs.creatorsOfOrganisation(db.kysely, admin)).toEqual([]);
    await expect(orgs.boundCreator(db.kysely, admin, c1.id)).rejects.toMatchObject({ status: 404 });
  });

  it('keeps a creator in at most one organisation at a time', async () => {
    const a = await orgAccount('A1');
    const b = await orgAccount('B1');
    const c = await creator('c_single');
    await orgs.acceptInvitation(db.kysely, c, (await orgs.inviteCreator(db.kysely, a, { handle: 'c_single', shareBps: 1000, startsOn: today() })).id);
    const fromB = await orgs.inviteCreator(db.kysely, b, { handle: 'c_single', shareBps: 500, startsOn: today() });
    await expect(orgs.acceptInvitation(db.kysely, c, fromB.id)).rejects.toMatchObject({ status: 409, code: 'already_in_organisation' });
    expect((await orgs.invitationsReceivedBy(db.kysely, c)).find((i) => i.id === fromB.id)?.status).toBe('pending');
  });

  it('lets a creator join the next organisation once the first membership has ended', async () => {
    const a = await orgAccount('A2');
    const b = await orgAccount('B2');
    const c = await creator('c_move');
    const first = await orgs.acceptInvitation(db.kysely, c, (await orgs.inviteCreator(db.kysely, a, { handle: 'c_move', shareBps: 1000, startsOn: today() })).id);
    const ended = await orgs.endMembership(db.kysely, c, first.id, daysFromToday(10));
    expect(ended.endsAt).toBe(startOfPlatformDay(daysFromToday(10)));
    const overlapping = await orgs.inviteCreator(db.kysely, b, { handle: 'c_move', shareBps: 800, startsOn: daysFromToday(5) });
    await expect(orgs.acceptInvitation(db.kysely, c, overlapping.id)).rejects.toMatchObject({ code: 'already_in_organisation' });
    await orgs.cancelInvitation(db.kysely, b, overlapping.id);
    const next = await orgs.inviteCreator(db.kysely, b, { handle: 'c_move', shareBps: 800, startsOn: daysFromToday(10) });
    const second = await orgs.acceptInvitation(db.kysely, c, next.id);
    expect(second.status).toBe('scheduled');

    const history = await orgs.membershipsOfCreator(db.kysely, c);
    expect(history.map((m) => m.organisation.name)).toEqual(['B2', 'A2']);
    const inNineDays = new Date(Date.parse(startOfPlatformDay(daysFromToday(10))) - 1).toISOString();
    const inTenDays = startOfPlatformDay(daysFromToday(10));
    expect(await orgs.membershipAt(db.kysely, c.id, inNineDays)).toMatchObject({ organisationId: first.organisation.id, shareBps: 1000 });
    expect(await orgs.membershipAt(db.kysely, c.id, inTenDays)).toMatchObject({ organisationId: second.organisation.id, shareBps: 800 });
    expect(await orgs.membershipAt(db.kysely, c.id, '2000-01-01T00:00:00.000Z')).toBeNull();
  });

  it('ends a membership from today at the earliest, never rewriting the past', async () => {
    const a = await orgAccount('A3');
    const c = await creator('c_end');
    const m = await orgs.acceptInvitation(db.kysely, c, (await orgs.inviteCreator(db.kysely, a, { handle: 'c_end', shareBps: 1000, startsOn: today() })).id);
    await new Promise((resolve) => setTimeout(resolve, 5)); // so the membership lasts a few ms
    const before = new Date().toISOString();
    const ended = await orgs.endMembership(db.kysely, a, m.id, '2020-01-01');
    expect(ended.endsAt! >= before).toBe(true);
    expect(ended.status).toBe('ended');
    await expect(orgs.endMembership(db.kysely, c, m.id, today())).rejects.toMatchObject({ status: 409, code: 'membership_already_ended' });
    expect(await orgs.creatorsOfOrganisation(db.kysely, a)).toEqual([]);
    expect(await orgs.membershipAt(db.kysely, c.id, m.startsAt)).toMatchObject({ membershipId: m.id });
  });

  it("treats another party's invitation or membership as not found", async () => {
    const a = await orgAccount('A4');
    const b = await orgAccount('B4');
    const c = await creator('c_owner');
    const other = await creator('c_other');
    const inv = await orgs.inviteCreator(db.kysely, a, { handle: 'c_owner', shareBps: 1000, startsOn: today() });
    await expect(orgs.acceptInvitation(db.kysely, other, inv.id)).rejects.toMatchObject({ status: 404 });
    await expect(orgs.cancelInvitation(db.kysely, b, inv.id)).rejects.toMatchObject({ status: 404 });
    const m = await orgs.acceptInvitation(db.kysely, c, inv.id);
    await expect(orgs.endMembership(db.kysely, b, m.id, today())).rejects.toMatchObject({ status: 404 });
    await expect(orgs.endMembership(db.kysely, other, m.id, today())).rejects.toMatchObject({ status: 404 });
    await expect(orgs.boundCreator(db.kysely, b, c.id)).rejects.toMatchObject({ status: 404 });
    expect((await orgs.boundCreator(db.kysely, a, c.id)).creator.id).toBe(c.id);
  });

  it('validates invitations', async () => {
    const a = await orgAccount('A5');
    await creator('c_valid');
    await expect(orgs.inviteCreator(db.kysely, a, { handle: 'c_valid', shareBps: 10_001, startsOn: today() })).rejects.toMatchObject({ code: 'invalid_share' });
    await expect(orgs.inviteCreator(db.kysely, a, { handle: 'c_valid', shareBps: 100, startsOn: '2026-02-30' })).rejects.toMatchObject({ code: 'invalid_date' });
    await expect(orgs.inviteCreator(db.kysely, a, { handle: 'c_valid', shareBps: 100, startsOn: today(), endsOn: today() })).rejects.toMatchObject({ code: 'invalid_period' });
    await expect(orgs.inviteCreator(db.kysely, a, { handle: 'nobody_here', shareBps: 100, startsOn: today() })).rejects.toMatchObject({ status: 404 });
    await orgs.inviteCreator(db.kysely, a, { handle: 'c_valid', shareBps: 100, startsOn: today() });
    await expect(orgs.inviteCreator(db.kysely, a, { handle: 'c_valid', shareBps: 200, startsOn: today() })).rejects.toMatchObject({ code: 'invitation_pending' });
  });

  it('refuses an invitation whose period is over by the time it is accepted', async () => {
    const a = await orgAccount('A6');
    const c = await creator('c_late');
    const inv = await orgs.inviteCreator(db.kysely, a, { handle: 'c_late', shareBps: 100, startsOn: daysFromToday(-5), endsOn: daysFromToday(-1) });
    await expect(orgs.acceptInvitation(db.kysely, c, inv.id)).rejects.toMatchObject({ status: 422, code: 'invitation_expired' });
  });
});
