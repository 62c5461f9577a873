import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { platformDayOf, startOfPlatformDay } from '../../core/time.ts';
import { DIALECTS } from '../../db/testing.ts';
import { startTestServer, type TestServer } from '../../http/testing.ts';
import { createUser } from '../accounts/service.ts';
import { seedSource } from '../links/testing.ts';
import type { OrderEvent } from './model.ts';
import { ingestOrderEvents } from './service.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** A merchant's home: its sources' orders by the day they were paid, and the commission they carry. */
describe.each(DIALECTS)('GET /api/merchant/sales on %s', (dialect) => {
  let s: TestServer;
  const t: Record<string, string> = {};
  let mine = '';
  let theirs = '';
  const now = new Date();
  const todayStart = Date.parse(startOfPlatformDay(platformDayOf(now.toISOString())));
  const event = (orderId: string, status: OrderEvent['status'], at: number, paid: number, refunded = 0, subId: string | null = null) => ({
    event: { orderId, status, occurredAt: new Date(at).toISOString(), currency: 'CNY', clickId: null, subId, lines: [{ lineId: '1', productId: 'P1', quantity: 1, paidAmountMinor: paid, refundedAmountMinor: refunded }] },
  });
  const sales = async (token: string, query = '') => s.call('GET', `/api/merchant/sales${query}`, { token });

  beforeAll(async () => {
    s = await startTestServer(dialect);
    const db = s.db.kysely;
    const merchant = await createUser(db, { role: 'merchant', email: 'm@sales.cn', password: 'password1', name: 'm' });
    const other = await createUser(db, { role: 'merchant', email: 'n@sales.cn', password: 'password1', name: 'n' });
    await createUser(db, { role: 'merchant', email: 'empty@sales.cn', password: 'password1', name: 'empty' });
    await createUser(db, { role: 'operator', email: 'op@sales.cn', password: 'password1', name: 'op' });
    const creator = await createUser(db, { role: 'creator', email: 'c@sales.cn', password: 'password1', name: 'c', handle: 'sales_c' });
    for (const who of ['m', 'n', 'empty', 'op', 'c']) t[who] = await s.login(`${who}@sales.cn`, 'password1');
    mine = (await seedSource(db, { kind: 'merchant', platform: null, ownerUserId: merchant.id }, [{ id: 'P1', url: 'https://shop.example.cn/1' }])).sourceId;
    theirs = (await seedSource(db, { kind: 'merchant', platform: null, ownerUserId: other.id }, [{ id: 'P1', url: 'https://shop.example.cn/2' }])).sourceId;
    await db.insertInto('positions').values({ sub_id: 'pos_sales', creator_id: creator.id, source_id: null, label: null, created_at: new Date(now.getTime() - 30 * DAY).toISOString() }).execute();
    const justNow = now.getTime() - 1000;
    await ingestOrderEvents(db, mine, [
      event('A', 'paid', justNow, 10_000, 0, 'pos_sales'), // credited to the creator: it carries commission
      event('B', 'paid', justNow - 2000, 20_000),
      event('B', 'paid', justNow - 1000, 20_000, 5_000), // refunded in part
      event('C', 'paid', justNow - 3000, 3_000),
      event('C', 'cancelled', justNow - 2500, 3_000),
      event('D', 'paid', todayStart - HOUR, 7_000), // yesterday
      event('E', 'paid', todayStart - 8 * DAY, 9_000), // before the seven days
    ], { via: 'webhook' });
    await ingestOrderEvents(db, theirs, [event('F', 'paid', justNow, 99_999, 0, 'pos_sales')], { via: 'webhook' });
  });
  afterAll(() => s.close());

  it("is the merchant's only", async () => {
    expect((await sales(t.c!)).status).toBe(403);
    expect((await sales(t.op!)).status).toBe(403);
    expect((await s.call('GET', '/api/merchant/sales')).status).toBe(401);
    expect((await sales(t.m!, '?days=91')).status).toBe(400);
  });

  it("sums its own sources' orders by the day they were paid, today last, over seven days", async () => {
    const r = await sales(t.m!);
    expect(r.status).toBe(200);
    const items = r.body.items as { day: string; orders: number; paid_amount: number; refunded_amount: number; net_amount: number; commission: number }[];
    expect(items.map((d) => d.day)).toEqual(Array.from({ length: 7 }, (_, i) => platformDayOf(new Date(todayStart + (i - 6) * DAY).toISOString())));
    // The operator's order list says what each order holds and the commission it carries.
    const listed = (await s.call('GET', `/api/orders?source=${mine}`, { token: t.op })).body.items as { source_order_id: string; paid_amount: number; refunded_amount: number; commission: number }[];
    const order = (id: string) => listed.find((o) => o.source_order_id === id)!;
    const today = items.at(-1)!;
    expect(today.orders).toBe(3);
    expect(today.paid_amount).toBe(order('A').paid_amount + order('B').paid_amount + order('C').paid_amount);
    expect(today.refunded_amount).toBe(order('A').refunded_amount + order('B').refunded_amount + order('C').refunded_amount);
    expect(today.net_amount).toBe(10_000 + 15_000); // the cancelled order counts nothing
    expect(order('A').commission).toBeGreaterThan(0);
    expect(today.commission).toBe(order('A').commission); // B and C are credited to nobody
    expect(items.at(-2)).toMatchObject({ orders: 1, paid_amount: 7_000, refunded_amount: 0, net_amount: 7_000, commission: 0 });
    expect(items.slice(0, -2).every((d) => d.orders === 0 && d.paid_amount === 0 && d.commission === 0)).toBe(true);
    expect((await sales(t.m!, '?days=9')).body.items[0]).toMatchObject({ orders: 1, paid_amount: 9_000 });
  });

  it("follows a refund into the day's figures, and leaves other merchants' orders and currencies out", async () => {
    const before = (await sales(t.m!, '?days=1')).body.items[0];
    await ingestOrderEvents(s.db.kysely, mine, [event('A', 'paid', now.getTime() - 500, 10_000, 4_000, 'pos_sales')], { via: 'webhook' });
    const after = (await sales(t.m!, '?days=1')).body.items[0];
    expect(after).toMatchObject({ orders: 3, paid_amount: before.paid_amount, refunded_amount: before.refunded_amount + 4_000, net_amount: before.net_amount - 4_000 });
    expect(after.commission).toBeLessThan(before.commission);
    expect(after.commission).toBeGreaterThan(0);
    expect((await sales(t.n!, '?days=1')).body.items[0]).toMatchObject({ orders: 1, paid_amount: 99_999 });
    expect((await sales(t.m!, '?days=1&currency=USD')).body).toMatchObject({ currency: 'USD', items: [{ orders: 0, paid_amount: 0, commission: 0 }] });
    const empty = (await sales(t.empty!)).body.items as { orders: number }[];
    expect(empty).toHaveLength(7);
    expect(empty.every((d) => d.orders === 0)).toBe(true);
  });
});
