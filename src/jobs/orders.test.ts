import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, openTestDb, type TestDb } from '../db/testing.ts';
import { createUser } from '../modules/accounts/service.ts';
import { recordPastClicks } from '../modules/links/service.ts';
import { startFakeJdOrders } from '../modules/sources/connectors/fake/jd-orders.ts';
import { clickIdOf, ORDER_BASE_MS, orderUpdatedAtMs } from '../modules/sources/connectors/fake/orders.ts';
import { startFakePddOrders } from '../modules/sources/connectors/fake/pdd-orders.ts';
import { startFakeTaobaoOrders } from '../modules/sources/connectors/fake/taobao-orders.ts';
import { connectSource } from '../modules/sources/connections.ts';
import { createSource } from '../modules/sources/service.ts';
import { storedEventsOfOrder } from '../modules/orders/store.ts';
import { pollSourceOrders } from './orders.ts';

const ORDERS = 24;
const NOW = new Date(orderUpdatedAtMs(ORDERS) + 3_600_000);
const credentials = { appKey: 'order-key', appSecret: 'order-secret' };
const FAKES = {
  pdd: () => startFakePddOrders({ ...credentials, orders: ORDERS }),
  jd: () => startFakeJdOrders({ ...credentials, rows: ORDERS }),
  taobao: () => startFakeTaobaoOrders({ ...credentials, orders: ORDERS }),
} as const;

describe.each(DIALECTS)('polling platform orders on %s', (dialect) => {
  let db: TestDb;
  let creatorId = '';

  beforeAll(async () => {
    db = await openTestDb(dialect);
    creatorId = (await createUser(db.kysely, { role: 'creator', email: 'poll@x.cn', password: 'password1', name: 'poll', handle: 'poll_creator' })).id;
  });
  afterAll(() => db.close());

  for (const platform of ['pdd', 'jd', 'taobao'] as const) {
    it(`reads ${platform}'s orders by update time through its signed API, keeps the raw status, and reads nothing twice`, async () => {
      const fake = await FAKES[platform]();
      try {
        const source = await createSource(db.kysely, { kind: 'platform', name: `${platform} orders`, platform });
        await connectSource(db.kysely, source, { ...credentials, baseUrl: fake.url, positionId: null, keywords: [], syncEveryMinutes: 60 }, null);
        const first = await pollSourceOrders(db.kysely, source.id, { now: NOW, minBackoffMs: 1 });
        // Windows share their boundary second, so a row on a boundary is read twice and applied once.
        expect(first.orders).toBeGreaterThan(0);
        expect(first.applied).toBeGreaterThan(0);
        expect(first.applied).toBeLessThanOrEqual(first.orders);
        const stored = await db.kysely.selectFrom('orders').select(['id', 'status']).where('source_id', '=', source.id).execute();
        expect(stored.length).toBeGreaterThan(0);
        const events = (await Promise.all(stored.map((o) => storedEventsOfOrder(db.kysely, o.id)))).flat();
        expect(events.length).toBeGreaterThanOrEqual(stored.length);
        expect(events.every((e) => e.via === 'poll' && e.rawStatus !== null && e.rawStatus.length > 0)).toBe(true);

        const again = await pollSourceOrders(db.kysely, source.id, { now: new Date(NOW.getTime() + 60_000), minBackoffMs: 1 });
        expect(again.applied).toBe(0);
        const connection = await db.kysely.selectFrom('source_connections').select(['orders_polled_until', 'orders_poll_error']).where('source_id', '=', source.id).executeTakeFirstOrThrow();
        expect(connection).toEqual({ orders_polled_until: new Date(NOW.getTime() + 60_000 - 5 * 60_000).toISOString(), orders_poll_error: null });
      } finally {
        await fake.close();
      }
    });
  }

  it('credits PDD orders that carry our click id, at the rate PDD reports', async () => {
    const source = await createSource(db.kysely, { kind: 'platform', name: 'pdd clicks', platform: 'pdd' });
    const product = await db.kysely.selectFrom('products').select('id').executeTakeFirst();
    expect(product).toBeUndefined(); // no pool product: the clicks name a product we do not list, the order its own
    const clicks = Array.from({ length: ORDERS }, (_, i) => clickIdOf(i)).flatMap((id, i) =>
      id ? [{ id, link_code: 'c', creator_id: creatorId, product_id: `prd_poll${i}`, source_id: source.id, channel: 'live', clicked_at: new Date(ORDER_BASE_MS - 86_400_000).toISOString(), ip_hash: 'h', ua_class: 'mobile', referrer: null, is_bot: 0, is_repeat: 0 }] : [],
    );
    await recordPastClicks(db.kysely, clicks);
    const fake = await FAKES.pdd();
    try {
      await connectSource(db.kysely, source, { ...credentials, baseUrl: fake.url, positionId: null, keywords: [], syncEveryMinutes: 60 }, null);
      await pollSourceOrders(db.kysely, source.id, { now: NOW, minBackoffMs: 1 });
    } finally {
      await fake.close();
    }
    const credited = await db.kysely.selectFrom('orders').select(['id', 'attribution']).where('source_id', '=', source.id).where('creator_id', '=', creatorId).execute();
    expect(credited.length).toBe(clicks.length);
    const commissions = await db.kysely.selectFrom('commissions').select(['rate_bps', 'plan_kind']).where('order_id', 'in', credited.map((o) => o.id)).execute();
    expect(commissions.length).toBe(clicks.length);
    expect(commissions.every((c) => c.plan_kind === 'open' && c.rate_bps > 0 && c.rate_bps % 10 === 0)).toBe(true);
  });
});
