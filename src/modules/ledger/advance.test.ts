import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, openTestDb, type TestDb } from '../../db/testing.ts';
import { createUser } from '../accounts/service.ts';
import { recordPastClicks } from '../links/service.ts';
import { seedSource } from '../links/testing.ts';
import type { OrderEvent } from '../orders/model.ts';
import { ingestOrderEvents } from '../orders/service.ts';
import { earningsOf } from './service.ts';
import { advanceCommissions } from './settlement.ts';
import { balanceDrift, unbalancedTransactions } from './store.ts';

const T0 = Date.parse('2026-11-20T02:00:00Z');
const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

describe.each(DIALECTS)('the hourly move to settleable on %s', (dialect) => {
  let db: TestDb;
  let creatorId: string;
  beforeAll(async () => {
    db = await openTestDb(dialect);
    const creator = await createUser(db.kysely, { role: 'creator', email: 'c@advance.cn', password: 'password1', name: 'c', handle: 'advance_c' });
    creatorId = creator.id;
    const seeded = await seedSource(db.kysely, { kind: 'platform', platform: 'jd' }, [{ id: 'P1', url: 'https://item.jd.com/1.html' }]);
    await recordPastClicks(db.kysely, [{ id: 'clk_adv', link_code: 'code1', creator_id: creator.id, product_id: seeded.productIds.P1!, source_id: seeded.sourceId, channel: 'showcase', clicked_at: iso(T0 - DAY), ip_hash: 'h', ua_class: 'mobile', referrer: null, is_bot: 0, is_repeat: 0 }]);
    const event = (orderId: string, status: OrderEvent['status'], atMs: number): OrderEvent => ({
      orderId, status, occurredAt: iso(atMs), currency: 'CNY', clickId: 'clk_adv', subId: null, lines: [{ lineId: '1', productId: 'P1', quantity: 1, paidAmountMinor: 1990, refundedAmountMinor: 0 }],
    });
    // Five lines due (completed on day 1: the 7-day window ends on day 8), one completed later, one
    // still estimated; booked on day 2, so the completed ones are confirmed.
    const events = ['D1', 'D2', 'D3', 'D4', 'D5', 'LATE', 'OPEN'].map((id) => event(id, 'paid', T0));
    events.push(...['D1', 'D2', 'D3', 'D4', 'D5'].map((id) => event(id, 'completed', T0 + DAY)), event('LATE', 'completed', T0 + 5 * DAY));
    await ingestOrderEvents(db.kysely, seeded.sourceId, events.map((e) => ({ event: e })), { via: 'webhook', now: new Date(T0 + 2 * DAY) });
  });
  afterAll(() => db.close());

  const statuses = async () =>
    Object.fromEntries(
      (await db.kysely.selectFrom('commissions').innerJoin('orders', 'orders.id', 'commissions.order_id').select(['orders.source_order_id', 'commissions.status']).execute()).map((r) => [r.source_order_id, r.status]),
    );

  it('moves every confirmed line past its window, in batches, and no other', async () => {
    expect(await statuses()).toEqual({ D1: 'confirmed', D2: 'confirmed', D3: 'confirmed', D4: 'confirmed', D5: 'confirmed', LATE: 'confirmed', OPEN: 'estimated' });
    const confirmed = (await earningsOf(db.kysely, { kind: 'creator', id: creatorId }, 'CNY')).confirmed;
    // Batches of two: the run walks past lines it already moved (still in the settle queue). A
    // timer due when it starts fires between its batches: the server answers meanwhile.
    let moving = true;
    let firedWhileMoving: boolean | undefined;
    setTimeout(() => (firedWhileMoving = moving), 0);
    expect(await advanceCommissions(db.kysely, new Date(T0 + 9 * DAY), 2)).toBe(5);
    moving = false;
    expect(firedWhileMoving).toBe(true);
    expect(await statuses()).toEqual({ D1: 'settleable', D2: 'settleable', D3: 'settleable', D4: 'settleable', D5: 'settleable', LATE: 'confirmed', OPEN: 'estimated' });
    const after = await earningsOf(db.kysely, { kind: 'creator', id: creatorId }, 'CNY');
    expect(after.settleable).toBe((confirmed / 6) * 5);
    expect(after.confirmed).toBe(confirmed / 6);
    // Run again: nothing is due any more.
    expect(await advanceCommissions(db.kysely, new Date(T0 + 9 * DAY), 2)).toBe(0);
    expect(await unbalancedTransactions(db.kysely)).toEqual([]);
    expect(await balanceDrift(db.kysely)).toEqual([]);
  });
});
