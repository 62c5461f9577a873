import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, openTestDb, type TestDb } from '../../db/testing.ts';
import { createUser } from '../accounts/service.ts';
import { balanceDrift, unbalancedTransactions } from '../ledger/store.ts';
import { earningsOf } from '../ledger/service.ts';
import { recordPastClicks } from '../links/service.ts';
import { seedSource } from '../links/testing.ts';
import { recordPastMembership, registerOrganisation } from '../orgs/service.ts';
import type { OrderEvent, OrderStatus } from './model.ts';
import { attributeByHand, ingestOrderEvents } from './service.ts';
import { storedEventsOf } from './event-record.ts';
import { lockOrdersForIngest, storedEventsOfOrder } from './store.ts';
import { inTransaction } from '../../db/transaction.ts';

const T0 = Date.parse('2026-11-20T02:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe.each(DIALECTS)('order ingestion on %s', (dialect) => {
  let db: TestDb;
  const ids: Record<string, string> = {};

  const event = (orderId: string, status: OrderStatus, atMs: number, over: Partial<OrderEvent> = {}): OrderEvent => ({
    orderId,
    status,
    occurredAt: iso(atMs),
    currency: 'CNY',
    clickId: null,
    subId: null,
    lines: [{ lineId: '1', productId: 'P1', quantity: 1, paidAmountMinor: 1990, refundedAmountMinor: 0 }],
    ...over,
  });
  const ingest = (events: OrderEvent[], now = T0 + 30 * DAY, deliveryId?: string) =>
    ingestOrderEvents(db.kysely, ids.source!, events.map((event) => ({ event })), { via: 'webhook', deliveryId, now: new Date(now) });
  const orderRow = (orderId: string) => db.kysely.selectFrom('orders').selectAll().where('source_order_id', '=', orderId).executeTakeFirstOrThrow();
  const commissionOf = async (orderId: string) => {
    const order = await orderRow(orderId);
    return db.kysely.selectFrom('commissions').selectAll().where('order_id', '=', order.id).executeTakeFirstOrThrow();
  };
  const ledgerIsSound = async () => {
    expect(await unbalancedTransactions(db.kysely)).toEqual([]);
    expect(await balanceDrift(db.kysely)).toEqual([]);
  };

  beforeAll(async () => {
    db = await openTestDb(dialect);
    const q = db.kysely;
    const creator = await createUser(q, { role: 'creator', email: 'c@orders.cn', password: 'password1', name: 'c', handle: 'orders_c' });
    const other = await createUser(q, { role: 'creator', email: 'd@orders.cn', password: 'password1', name: 'd', handle: 'orders_d' });
    const orgAdmin = await createUser(q, { role: 'org', email: 'o@orders.cn', password: 'password1', name: 'o' });
    const org = await registerOrganisation(q, orgAdmin, 'MCN');
    await recordPastMembership(q, { organisationId: org.id, creatorId: creator.id, shareBps: 1000, startsAt: iso(T0 - 90 * DAY) });
    const seeded = await seedSource(q, { kind: 'platform', platform: 'jd' }, [{ id: 'P1', url: 'https://item.jd.com/1.html' }, { id: 'P2', url: 'https://item.jd.com/2.html' }]);
    const otherSource = await seedSource(q, { kind: 'platform', platform: 'pdd' }, [{ id: 'X1', url: 'https://mobile.yangkeduo.com/goods.html?goods_id=1' }]);
    Object.assign(ids, { creator: creator.id, other: other.id, org: org.id, source: seeded.sourceId, product: seeded.productIds.P1, otherSource: otherSource.sourceId, otherProduct: otherSource.productIds.X1 });
    const click = (id: string, productId: string, sourceId: string, atMs: number) => ({
      id, link_code: 'code1', creator_id: creator.id, product_id: productId, source_id: sourceId, channel: 'showcase', clicked_at: iso(atMs), ip_hash: 'h', ua_class: 'mobile', referrer: null, is_bot: 0, is_repeat: 0,
    });
    await recordPastClicks(q, [
      click('clk_fresh', seeded.productIds.P1!, seeded.sourceId, T0 - HOUR),
      click('clk_old', seeded.productIds.P1!, seeded.sourceId, T0 - 8 * DAY),
      click('clk_pdd', otherSource.productIds.X1!, otherSource.sourceId, T0 - HOUR),
    ]);
    await q.insertInto('positions').values({ sub_id: 'pos_d', creator_id: other.id, source_id: seeded.sourceId, label: null, created_at: iso(T0 - 90 * DAY) }).execute();
  });
  afterAll(() => db.close());

  it('credits a paid order to the creator of its click and books the commission split as estimated', async () => {
    const report = await ingest([event('A1', 'paid', T0, { clickId: 'clk_fresh' })], T0 + HOUR);
    expect(report).toMatchObject({ applied: 1, orders: 1, duplicateDelivery: false });
    const order = await orderRow('A1');
    expect(order).toMatchObject({ creator_id: ids.creator, attribution: 'click', status: 'paid', paid_amount_minor: 1990 });
    // The order names the source's product id (P1), the click ours: the same product.
    expect(JSON.parse(order.attribution_detail)).toEqual({ kind: 'click', creatorId: ids.creator, clickId: 'clk_fresh', sameProduct: true });
    // 1990 x 10% = 199; fee 10% of 199 = 19.9 -> 20; org 10% of 179 = 17.9 -> 18; creator 161.
    expect(await commissionOf('A1')).toMatchObject({ status: 'estimated', rate_bps: 1000, commission_minor: 199, creator_amount_minor: 161, organisation_amount_minor: 18, organisation_id: ids.org });
    expect(await earningsOf(db.kysely, { kind: 'creator', id: ids.creator! }, 'CNY')).toMatchObject({ estimated: 161, confirmed: 0 });
    expect(await earningsOf(db.kysely, { kind: 'org', id: ids.org! }, 'CNY')).toMatchObject({ estimated: 18 });
    await ledgerIsSound();
  });

  it('credits an order for another product of the clicked source to the click, and says it was not the clicked product', async () => {
    await ingest([event('B9', 'paid', T0, { clickId: 'clk_fresh', lines: [{ lineId: '1', productId: 'P2', quantity: 1, paidAmountMinor: 990, refundedAmountMinor: 0 }] })], T0 + HOUR);
    const order = await orderRow('B9');
    expect(order).toMatchObject({ creator_id: ids.creator, attribution: 'click' });
    expect(JSON.parse(order.attribution_detail)).toEqual({ kind: 'click', creatorId: ids.creator, clickId: 'clk_fresh', sameProduct: false });
  });

  it('lets the server answer during a delivery: a timer due at the start fires before the delivery is applied', async () => {
    let ingesting = true;
    let firedWhileIngesting: boolean | undefined;
    setTimeout(() => (firedWhileIngesting = ingesting), 0);
    const report = await ingest([event('Y1', 'paid', T0, { clickId: 'clk_fresh' }), event('Y2', 'completed', T0 + DAY, { clickId: 'clk_fresh' })], T0 + 2 * DAY);
    ingesting = false;
    expect(report).toMatchObject({ applied: 2, orders: 2 });
    // PostgreSQL's statements are network round trips, so its timers always had their turn.
    expect(firedWhileIngesting).toBe(true);
    await ledgerIsSound();
  });

  it('changes nothing when the same events or the same delivery come again', async () => {
    const before = await db.kysely.selectFrom('ledger_postings').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(await ingest([event('A1', 'paid', T0, { clickId: 'clk_fresh' })])).toMatchObject({ applied: 0, ledgerTransactions: 0 });
    expect(await ingest([event('A2', 'paid', T0, { clickId: 'clk_fresh' })], T0 + HOUR, 'msg_1')).toMatchObject({ applied: 1, duplicateDelivery: false });
    const again = await ingest([event('A2', 'paid', T0, { clickId: 'clk_fresh' }), event('A2', 'completed', T0 + DAY)], T0 + HOUR, 'msg_1');
    expect(again).toMatchObject({ duplicateDelivery: true, applied: 0 });
    expect((await orderRow('A2')).status).toBe('paid');
    const after = await db.kysely.selectFrom('ledger_postings').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBeGreaterThan(Number(before.n));
  });

  it('ends in the same place whatever order the events arrive in', async () => {
    const events = [event('B1', 'paid', T0, { clickId: 'clk_fresh' }), event('B1', 'shipped', T0 + DAY), event('B1', 'completed', T0 + 2 * DAY)];
    await ingest([events[2]!], T0 + 3 * DAY);
    await ingest([events[0]!], T0 + 3 * DAY);
    await ingest([events[1]!, events[0]!], T0 + 3 * DAY);
    await ingest(events, T0 + 3 * DAY);
    // The row's columns are the state's, whatever came first: the order was placed and paid at T0.
    expect(await orderRow('B1')).toMatchObject({ status: 'completed', creator_id: ids.creator, ordered_at: iso(T0), paid_at: iso(T0), completed_at: iso(T0 + 2 * DAY) });
    expect(await commissionOf('B1')).toMatchObject({ status: 'confirmed', commission_minor: 199, settleable_at: iso(T0 + 9 * DAY) });
    await ledgerIsSound();
  });

  it('writes the payment time when an order stored unpaid is paid, and again when an earlier payment comes late', async () => {
    const paidOrders = async () =>
      (await db.kysely.selectFrom('orders').select('source_order_id').where('source_id', '=', ids.source!).where('paid_at', 'is not', null).where('source_order_id', '=', 'P9').execute()).length;
    await ingest([event('P9', 'created', T0, { clickId: 'clk_fresh' })], T0 + 3 * DAY);
    expect(await orderRow('P9')).toMatchObject({ status: 'created', paid_at: null });
    expect(await paidOrders()).toBe(0);
    await ingest([event('P9', 'paid', T0 + 2 * HOUR)], T0 + 3 * DAY);
    expect(await orderRow('P9')).toMatchObject({ status: 'paid', paid_at: iso(T0 + 2 * HOUR) });
    expect(await paidOrders()).toBe(1);
    await ingest([event('P9', 'shipped', T0 + DAY)], T0 + 3 * DAY);
    expect(await orderRow('P9')).toMatchObject({ status: 'shipped', paid_at: iso(T0 + 2 * HOUR) });
    // The source reports the payment again with an earlier time (its clock corrected): the row follows the state.
    await ingest([event('P9', 'paid', T0 + HOUR)], T0 + 3 * DAY);
    expect(await orderRow('P9')).toMatchObject({ status: 'shipped', paid_at: iso(T0 + HOUR) });
    expect(await paidOrders()).toBe(1);
    await ledgerIsSound();
  });

  it('moves a completed order past its return window to settleable', async () => {
    await ingest([event('B2', 'paid', T0, { clickId: 'clk_fresh' }), event('B2', 'completed', T0 + DAY)], T0 + 9 * DAY);
    expect((await commissionOf('B2')).status).toBe('settleable');
  });

  it('reverses the refunded part of a line, and all of it on a full refund', async () => {
    await ingest([event('C1', 'paid', T0, { clickId: 'clk_fresh' })], T0 + HOUR);
    await ingest([event('C1', 'shipped', T0 + DAY, { lines: [{ lineId: '1', productId: 'P1', quantity: 1, paidAmountMinor: 1990, refundedAmountMinor: 990 }] })], T0 + 2 * DAY);
    // 1000 x 10% = 100; fee 10; org 9; creator 81.
    expect(await commissionOf('C1')).toMatchObject({ status: 'estimated', refunded_amount_minor: 990, commission_minor: 100, creator_amount_minor: 81 });
    await ingest([event('C1', 'refunded', T0 + 2 * DAY)], T0 + 3 * DAY);
    expect(await commissionOf('C1')).toMatchObject({ status: 'reversed', commission_minor: 0, creator_amount_minor: 0 });
    await ledgerIsSound();
  });

  it('falls back to the sub id when the click is expired, and names why', async () => {
    await ingest([event('D1', 'paid', T0, { clickId: 'clk_old', subId: 'pos_d' })], T0 + HOUR);
    const order = await orderRow('D1');
    expect(order).toMatchObject({ creator_id: ids.other, attribution: 'sub_id' });
    expect(JSON.parse(order.attribution_detail)).toMatchObject({ clickRejected: 'click_expired' });
    const commission = await commissionOf('D1');
    expect(commission).toMatchObject({ organisation_id: null, creator_amount_minor: 179 });
  });

  it('leaves an order unattributed when its click was sent to another source, and an operator can attribute it by hand', async () => {
    await ingest([event('E1', 'paid', T0, { clickId: 'clk_pdd' })], T0 + HOUR);
    const order = await orderRow('E1');
    expect(order).toMatchObject({ creator_id: null, attribution: 'unattributed' });
    expect(JSON.parse(order.attribution_detail)).toMatchObject({ clickRejected: 'click_other_source', subIdRejected: 'no_sub_id' });
    expect(await db.kysely.selectFrom('commissions').select('id').where('order_id', '=', order.id).execute()).toEqual([]);

    const operator = await createUser(db.kysely, { role: 'operator', email: 'ops@orders.cn', password: 'password1', name: 'ops' });
    await attributeByHand(db.kysely, operator, order.id, { creatorId: ids.creator!, reason: 'shopper sent the screenshot of the live stream' }, new Date(T0 + 2 * HOUR));
    expect(await orderRow('E1')).toMatchObject({ creator_id: ids.creator, attribution: 'manual' });
    expect((await commissionOf('E1')).status).toBe('estimated');
    const audit = await db.kysely.selectFrom('audit_log').selectAll().where('subject_id', '=', order.id).execute();
    expect(audit.map((a) => a.action)).toEqual(['order.attributed_by_hand']);
    await ledgerIsSound();
  });

  it('refuses to attribute by hand an order that is already attributed', async () => {
    const operator = await db.kysely.selectFrom('users').selectAll().where('email', '=', 'ops@orders.cn').executeTakeFirstOrThrow();
    const order = await orderRow('A1');
    await expect(attributeByHand(db.kysely, { id: operator.id, role: 'operator' } as never, order.id, { creatorId: ids.other!, reason: 'x' })).rejects.toMatchObject({ code: 'order_already_attributed' });
  });

  it('pays a targeted plan’s rate over the open rate', async () => {
    await db.kysely
      .insertInto('targeted_plans')
      .values({ id: 'tpl_1', product_id: ids.product!, target_kind: 'creator', target_id: ids.creator!, rate_bps: 2000, status: 'approved', starts_at: iso(T0 - DAY), ends_at: null, note: null, requested_by: ids.creator!, decided_by: null, decided_at: null, created_at: iso(T0 - DAY) })
      .execute();
    await ingest([event('F1', 'paid', T0, { clickId: 'clk_fresh' })], T0 + HOUR);
    expect(await commissionOf('F1')).toMatchObject({ plan_kind: 'targeted', plan_id: 'tpl_1', rate_bps: 2000, commission_minor: 398 });
  });
  it('applies concurrent deliveries about the same new orders, each event once, whatever order they commit in', async () => {
    // Deliveries in flight at once, naming orders none has seen: on PostgreSQL they would race
    // for the same new rows; deliveries of one source take turns instead.
    const orders = ['CONC1', 'CONC2', 'CONC3'];
    const first = orders.map((id, i) => event(id, 'paid', T0 + i * 1000, { clickId: 'clk_fresh' }));
    const second = [...orders].reverse().map((id, i) => event(id, 'completed', T0 + DAY + i * 1000, { clickId: 'clk_fresh' }));
    const reports = await Promise.all([ingest(first, T0 + 2 * DAY, 'conc-a'), ingest(second, T0 + 2 * DAY, 'conc-b'), ingest(first, T0 + 2 * DAY, 'conc-c')]);
    expect(reports.reduce((n, r) => n + r.applied, 0)).toBe(6);
    for (const id of orders) {
      const row = await orderRow(id);
      expect(row.status).toBe('completed');
      expect(row.creator_id).toBe(ids.creator);
      expect((await commissionOf(id)).status).toBe('confirmed');
      const events = (await storedEventsOfOrder(db.kysely, row.id)).map((e) => e.event).sort((a, b) => a.occurredAt.localeCompare(b.occurredAt));
      expect(events.map((e) => e.status)).toEqual(['paid', 'completed']);
    }
    await ledgerIsSound();
  });
  it('stores an order’s state apart from its events, and still applies late events in true time order', async () => {
    await ingest([event('HIST1', 'completed', T0 + 2 * DAY, { clickId: 'clk_fresh' })]);
    await ingest([event('HIST1', 'paid', T0, { clickId: 'clk_fresh' })]);
    const row = await orderRow('HIST1');
    expect(JSON.parse(row.state)).not.toHaveProperty('history');
    expect(JSON.parse(row.state)).toMatchObject({ status: 'completed', paidAt: iso(T0), completedAt: iso(T0 + 2 * DAY) });
    // A row written by an older version carries its history inside the state, and no fold: the
    // events are read from the order's events all the same, and the row is stored without them,
    // with its fold, on its next change.
    const { fold, ...olderState } = JSON.parse(row.state) as Record<string, unknown>;
    expect((fold as { keys: string[] }).keys).toHaveLength(2);
    // Its events moved from order_events keep the keys of their day, the oldest a full hex digest.
    const olderEvents = row.events.split('\n').filter(Boolean).map((line, i) => JSON.stringify({ ...JSON.parse(line), key: String(i).repeat(64) })).join('\n') + '\n';
    await db.kysely.updateTable('orders').set({ state: JSON.stringify({ ...olderState, history: [{ bogus: true }] }), events: olderEvents }).where('id', '=', row.id).execute();
    const report = await ingest([event('HIST1', 'refunded', T0 + 3 * DAY, { clickId: 'clk_fresh', lines: [{ lineId: '1', productId: 'P1', quantity: 1, paidAmountMinor: 1990, refundedAmountMinor: 1990 }] })]);
    expect(report.applied).toBe(1);
    const after = await orderRow('HIST1');
    expect(JSON.parse(after.state)).not.toHaveProperty('history');
    expect(JSON.parse(after.state).fold.keys).toHaveLength(3);
    expect(after.status).toBe('refunded');
    expect((await commissionOf('HIST1')).status).toBe('reversed');
    // The same events again change nothing, those of the older keys too, once replayed and then
    // folded onto the state written since.
    expect((await ingest([event('HIST1', 'paid', T0, { clickId: 'clk_fresh' })])).applied).toBe(0);
    expect((await ingest([event('HIST1', 'completed', T0 + 2 * DAY, { clickId: 'clk_fresh' })])).applied).toBe(0);
    expect(storedEventsOf((await orderRow('HIST1')).events)).toHaveLength(3);
    await ledgerIsSound();
  });
});

/**
 * PostgreSQL, where deliveries run side by side: one that holds its orders (a transaction that took
 * their locks as a delivery does and has not committed) holds up a delivery naming any of them, and
 * no other delivery of the same source.
 */
describe.each(DIALECTS.filter((d) => d === 'postgres'))('deliveries of one source in flight together on %s', (dialect) => {
  let db: TestDb;
  let sourceId = '';
  beforeAll(async () => {
    db = await openTestDb(dialect);
    sourceId = (await seedSource(db.kysely, { kind: 'platform', platform: 'jd' }, [{ id: 'P1', url: 'https://item.jd.com/1.html' }])).sourceId;
  });
  afterAll(() => db.close());

  const paid = (orderId: string): OrderEvent => ({ orderId, status: 'paid', occurredAt: iso(T0), currency: 'CNY', clickId: null, subId: null, lines: [{ lineId: '1', productId: 'P1', quantity: 1, paidAmountMinor: 990, refundedAmountMinor: 0 }] });
  const ingest = (orderIds: string[], deliveryId: string) => ingestOrderEvents(db.kysely, sourceId, orderIds.map((id) => ({ event: paid(id) })), { via: 'webhook', deliveryId, now: new Date(T0 + HOUR) });
  const outcome = (work: Promise<unknown>) => {
    const seen = { done: false };
    void work.then(() => (seen.done = true));
    return seen;
  };

  it('holds up a delivery about an order another holds, and not one about other orders', async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let holding!: () => void;
    const held = new Promise<void>((resolve) => (holding = resolve));
    const holder = inTransaction(db.kysely, async (tx) => {
      await lockOrdersForIngest(tx, sourceId, ['HELD-2', 'HELD-1']);
      holding();
      await released;
    });
    await held;
    // Other orders of the same source: in while the holder waits.
    expect(await ingest(['FREE-1', 'FREE-2'], 'free')).toMatchObject({ applied: 2, orders: 2 });
    // One of the held orders among others: it waits, and writes nothing meanwhile.
    const waiting = ingest(['FREE-3', 'HELD-1'], 'waits');
    const seen = outcome(waiting);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(seen.done).toBe(false);
    expect(await db.kysely.selectFrom('orders').select('source_order_id').where('source_order_id', 'in', ['FREE-3', 'HELD-1']).execute()).toEqual([]);
    release();
    await holder;
    expect(await waiting).toMatchObject({ applied: 2, orders: 2 });
    const stored = await db.kysely.selectFrom('orders').select('source_order_id').where('source_id', '=', sourceId).orderBy('source_order_id').execute();
    expect(stored.map((r) => r.source_order_id)).toEqual(['FREE-1', 'FREE-2', 'FREE-3', 'HELD-1']);
    expect(await unbalancedTransactions(db.kysely)).toEqual([]);
    expect(await balanceDrift(db.kysely)).toEqual([]);
  });

  it('applies many deliveries in flight at once over overlapping orders, each event once', async () => {
    // Twenty deliveries of five orders each, sliding by two: most orders are named by three.
    const deliveries = Array.from({ length: 20 }, (_, d) => Array.from({ length: 5 }, (_, i) => `SLIDE-${String(d * 2 + i).padStart(3, '0')}`));
    const reports = await Promise.all(deliveries.map((orders, d) => ingest(orders, `slide-${d}`)));
    const distinct = new Set(deliveries.flat());
    expect(reports.reduce((n, r) => n + r.applied, 0)).toBe(distinct.size);
    const rows = await db.kysely.selectFrom('orders').select('source_order_id').where('source_order_id', 'like', 'SLIDE-%').execute();
    expect(rows).toHaveLength(distinct.size);
    for (const row of await db.kysely.selectFrom('orders').select('events').where('source_order_id', 'like', 'SLIDE-%').execute()) expect(storedEventsOf(row.events)).toHaveLength(1);
  });
});
