import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../db/testing.ts';
import { startTestServer, type TestServer } from '../../http/testing.ts';
import { createUser } from '../accounts/service.ts';
import { seedSource } from '../links/testing.ts';
import type { OrderEvent } from '../orders/model.ts';
import { ingestOrderEvents } from '../orders/service.ts';
import { recordPastMembership, registerOrganisation } from '../orgs/service.ts';

const DAY = 86_400_000;

/** An organisation's creators by what they sold: the same lines its order list and earnings read. */
describe.each(DIALECTS)('GET /api/earnings/by-creator on %s', (dialect) => {
  let s: TestServer;
  const t: Record<string, string> = {};
  const ids: Record<string, string> = {};
  let sourceId = '';
  const event = (orderId: string, status: OrderEvent['status'], at: number, subId: string, paid: number, refunded = 0): { event: OrderEvent } => ({
    event: { orderId, status, occurredAt: new Date(at).toISOString(), currency: 'CNY', clickId: null, subId, lines: [{ lineId: '1', productId: 'P1', quantity: 1, paidAmountMinor: paid, refundedAmountMinor: refunded }] },
  });
  const byCreator = async (days?: number) => (await s.call('GET', `/api/earnings/by-creator${days ? `?days=${days}` : ''}`, { token: t.org })).body;

  beforeAll(async () => {
    s = await startTestServer(dialect);
    const db = s.db.kysely;
    for (const key of ['org', 'other_org', 'lin', 'chen', 'wang']) {
      const role = key.endsWith('org') ? 'org' : 'creator';
      const user = await createUser(db, { role, email: `${key}@bycreator.cn`, password: 'password1', name: key, handle: role === 'creator' ? `bc_${key}` : null });
      ids[key] = user.id;
      if (role === 'org') ids[`${key}_organisation`] = (await registerOrganisation(db, user, `${key} MCN`)).id;
      t[key] = await s.login(`${key}@bycreator.cn`, 'password1');
    }
    const since = new Date(Date.now() - 90 * DAY).toISOString();
    await recordPastMembership(db, { organisationId: ids.org_organisation!, creatorId: ids.lin!, shareBps: 2000, startsAt: since });
    await recordPastMembership(db, { organisationId: ids.org_organisation!, creatorId: ids.chen!, shareBps: 1500, startsAt: since });
    await recordPastMembership(db, { organisationId: ids.other_org_organisation!, creatorId: ids.wang!, shareBps: 1000, startsAt: since });
    sourceId = (await seedSource(db, { kind: 'platform', platform: 'jd' }, [{ id: 'P1', url: 'https://item.jd.com/1.html' }])).sourceId;
    const positions = ['lin', 'chen', 'wang'].map((k) => ({ sub_id: `pos_${k}`, creator_id: ids[k]!, source_id: null, label: null, created_at: since }));
    await db.insertInto('positions').values(positions).execute();
    const now = Date.now();
    await ingestOrderEvents(db, sourceId, [
      event('L1', 'paid', now - 2 * DAY, 'pos_lin', 10_000),
      event('L2', 'paid', now - 3 * DAY, 'pos_lin', 5_000),
      event('L2', 'shipped', now - 2 * DAY, 'pos_lin', 5_000, 2_000), // a partial refund of the line
      event('C1', 'paid', now - DAY, 'pos_chen', 30_000),
      event('L-OLD', 'paid', now - 40 * DAY, 'pos_lin', 99_900),
      event('W1', 'paid', now - DAY, 'pos_wang', 7_000),
    ], { via: 'webhook' });
  });
  afterAll(() => s.close());

  it('is the organisation’s only', async () => {
    expect((await s.call('GET', '/api/earnings/by-creator', { token: t.lin })).status).toBe(403);
  });

  it('sums each of its creators’ orders of the window, largest share first, as its order list shows its share', async () => {
    const { items } = await byCreator();
    expect(items.map((i: { creator: { name: string } }) => i.creator.name)).toEqual(['chen', 'lin']);
    const [chen, lin] = items;
    expect(lin).toMatchObject({ creator: { id: ids.lin, handle: 'bc_lin' }, orders: 2, paid_amount: 15_000, refunded_amount: 2_000 });
    expect(chen).toMatchObject({ orders: 1, paid_amount: 30_000, refunded_amount: 0 });
    // The organisation's order list carries its share of each order: the same sums per creator.
    const orders = (await s.call('GET', '/api/orders?limit=100', { token: t.org })).body.items as { source_order_id: string; creator: { id: string }; commission: number }[];
    const shareOf = (creatorId: string) => orders.filter((o) => o.creator.id === creatorId && o.source_order_id !== 'L-OLD').reduce((sum, o) => sum + o.commission, 0);
    expect(lin.share).toBe(shareOf(ids.lin!));
    expect(chen.share).toBe(shareOf(ids.chen!));
    expect(lin.share).toBeGreaterThan(0);
    expect(lin.commission).toBeGreaterThan(lin.share);
  });

  it('takes the window in days, today included', async () => {
    const { items } = await byCreator(60);
    expect(items.find((i: { creator: { id: string } }) => i.creator.id === ids.lin)).toMatchObject({ orders: 3, paid_amount: 114_900 });
    const one = await byCreator(1);
    expect(one.items).toEqual([]);
    expect((await s.call('GET', '/api/earnings/by-creator?days=0', { token: t.org })).status).toBe(400);
  });
});
