import type { CompiledQuery, Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/schema.ts';
import { DIALECTS, openTestDb, queryPlan, watchedQueries, type TestDb } from '../../db/testing.ts';
import type { User } from '../accounts/model.ts';
import { createUser } from '../accounts/service.ts';
import { seedSource } from '../links/testing.ts';
import type { OrderEvent, OrderStatus } from './model.ts';
import { ordersVisibleTo, type OrderFilter } from './queries.ts';
import { ingestOrderEvents } from './service.ts';

const T0 = Date.parse('2026-11-20T02:00:00Z');
const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();
const LINE = { lineId: '1', productId: 'P1', quantity: 1, paidAmountMinor: 1990, refundedAmountMinor: 0 };

describe.each(DIALECTS)('order lists on %s', (dialect) => {
  let db: TestDb;
  let creator: User;
  let operator: User;
  const sources: Record<string, string> = {};
  const orderIds: Record<string, string> = {};

  const event = (orderId: string, status: OrderStatus, atMs: number, over: Partial<OrderEvent> = {}): OrderEvent => ({
    orderId, status, occurredAt: iso(atMs), currency: 'CNY', clickId: null, subId: 'pos_c', lines: [LINE], ...over,
  });
  const ingest = (sourceId: string, events: OrderEvent[]) =>
    ingestOrderEvents(db.kysely, sourceId, events.map((e) => ({ event: e })), { via: 'webhook', now: new Date(T0 + 10 * HOUR) });
  /** Every page of the viewer's list, `limit` at a time, as source order ids. */
  const allPages = async (viewer: User, filter: Omit<OrderFilter, 'cursor'>): Promise<string[]> => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await ordersVisibleTo(db.kysely, viewer, { ...filter, cursor });
      expect(page.items.length).toBeLessThanOrEqual(filter.limit);
      seen.push(...page.items.map((o) => o.sourceOrderId));
      cursor = page.nextCursor;
    } while (cursor !== null);
    return seen;
  };
  /** C, F and G are paid at the same instant: newest order id first among them. */
  const tiedAtThree = () => ['C', 'F', 'G'].sort((a, b) => (orderIds[b]! < orderIds[a]! ? -1 : 1));

  beforeAll(async () => {
    db = await openTestDb(dialect);
    const q = db.kysely;
    creator = await createUser(q, { role: 'creator', email: 'c@lists.cn', password: 'password1', name: 'c', handle: 'lists_c' });
    const other = await createUser(q, { role: 'creator', email: 'd@lists.cn', password: 'password1', name: 'd', handle: 'lists_d' });
    operator = await createUser(q, { role: 'operator', email: 'op@lists.cn', password: 'password1', name: 'op' });
    sources.jd = (await seedSource(q, { kind: 'platform', platform: 'jd' }, [{ id: 'P1', url: 'https://item.jd.com/1.html' }, { id: 'P2', url: 'https://item.jd.com/2.html' }])).sourceId;
    sources.pdd = (await seedSource(q, { kind: 'platform', platform: 'pdd' }, [{ id: 'P1', url: 'https://mobile.yangkeduo.com/goods.html?goods_id=1' }])).sourceId;
    await q.insertInto('positions').values([
      { sub_id: 'pos_c', creator_id: creator.id, source_id: null, label: null, created_at: iso(T0 - HOUR) },
      { sub_id: 'pos_d', creator_id: other.id, source_id: null, label: null, created_at: iso(T0 - HOUR) },
    ]).execute();
    // Ordered in one sequence (A first), paid in another (A last): a creator's list follows payment.
    await ingest(sources.jd!, [
      event('A', 'created', T0), event('A', 'paid', T0 + 5 * HOUR),
      event('B', 'created', T0 + HOUR), event('B', 'paid', T0 + 2 * HOUR),
      event('C', 'paid', T0 + 3 * HOUR, { lines: [LINE, { ...LINE, lineId: '2', productId: 'P2' }] }),
      event('F', 'paid', T0 + 3 * HOUR), event('G', 'paid', T0 + 3 * HOUR),
      event('D', 'paid', T0 + 4 * HOUR), event('D', 'completed', T0 + 6 * HOUR),
      event('U', 'created', T0 + 7 * HOUR),
      event('O', 'paid', T0 + 8 * HOUR, { subId: 'pos_d' }),
    ]);
    await ingest(sources.pdd!, [event('E', 'paid', T0 + HOUR)]);
    for (const row of await q.selectFrom('orders').select(['id', 'source_order_id']).execute()) orderIds[row.source_order_id] = row.id;
  });
  afterAll(() => db.close());

  it('shows a creator their paid orders, newest payment first, an order of two lines once', async () => {
    const page = await ordersVisibleTo(db.kysely, creator, { limit: 50 });
    expect(page.items.map((o) => o.sourceOrderId)).toEqual(['A', 'D', ...tiedAtThree(), 'B', 'E']);
    expect(page.nextCursor).toBeNull();
    expect(page.items.find((o) => o.sourceOrderId === 'C')!.lines.map((l) => l.commission?.status)).toEqual(['estimated', 'estimated']);
  });

  it('pages a creator’s list by cursor without a duplicate or a gap, across orders paid at the same instant', async () => {
    const whole = ['A', 'D', ...tiedAtThree(), 'B', 'E'];
    for (const limit of [1, 2, 3, 4]) expect(await allPages(creator, { limit })).toEqual(whole);
  });

  it('does not show a creator an order credited to them that is not paid yet, nor another creator’s', async () => {
    const listed = await allPages(creator, { limit: 50 });
    expect((await db.kysely.selectFrom('orders').select(['status', 'creator_id']).where('id', '=', orderIds.U!).executeTakeFirstOrThrow())).toEqual({ status: 'created', creator_id: creator.id });
    expect(listed).not.toContain('U');
    expect(listed).not.toContain('O');
    expect(await allPages(creator, { limit: 50, status: 'created' })).toEqual([]);
  });

  it('applies the status, attribution and source filters to a creator’s list', async () => {
    expect(await allPages(creator, { limit: 2, status: 'completed' })).toEqual(['D']);
    expect(await allPages(creator, { limit: 2, status: 'paid' })).toEqual(['A', ...tiedAtThree(), 'B', 'E']);
    expect(await allPages(creator, { limit: 2, sourceId: sources.pdd })).toEqual(['E']);
    expect(await allPages(creator, { limit: 2, sourceId: sources.jd, status: 'paid' })).toEqual(['A', ...tiedAtThree(), 'B']);
    expect(await allPages(creator, { limit: 2, attribution: 'attributed' })).toEqual(['A', 'D', ...tiedAtThree(), 'B', 'E']);
    expect(await allPages(creator, { limit: 2, attribution: 'unattributed' })).toEqual([]);
  });

  it('still shows the operator every order, unpaid ones too, newest order first', async () => {
    const listed = await allPages(operator, { limit: 3 });
    expect(listed.slice(0, 3)).toEqual(['O', 'U', 'D']);
    expect(listed.at(-1)).toBe('A');
    expect(new Set(listed).size).toBe(9);
  });

  it('names the pool’s product on the lines of an unattributed order, which have no commission line to name it', async () => {
    // Ingested last, after the tests that count the operator's orders.
    await ingest(sources.pdd!, [event('N', 'paid', T0 + 9 * HOUR, { subId: null, lines: [LINE, { ...LINE, lineId: '2', productId: 'NOT-IN-POOL' }] })]);
    const pooled = await db.kysely.selectFrom('products').select(['id', 'title']).where('source_id', '=', sources.pdd!).where('source_product_id', '=', 'P1').executeTakeFirstOrThrow();
    const [order] = (await ordersVisibleTo(db.kysely, operator, { limit: 1, attribution: 'unattributed' })).items;
    expect(order!.sourceOrderId).toBe('N');
    expect(order!.lines.map((l) => [l.sourceProductId, l.product, l.commission])).toEqual([
      ['P1', pooled, null],
      ['NOT-IN-POOL', null, null],
    ]);
    // The same id names another product in another source: each line is looked up in its own.
    const jdP1 = await db.kysely.selectFrom('products').select('id').where('source_id', '=', sources.jd!).where('source_product_id', '=', 'P1').executeTakeFirstOrThrow();
    expect(jdP1.id).not.toBe(pooled.id);
  });

  it('finds an order by the platform’s order number among the orders the viewer may see, with the other filters', async () => {
    const numbers = async (viewer: User, filter: Omit<OrderFilter, 'limit'>) => (await ordersVisibleTo(db.kysely, viewer, { limit: 50, ...filter })).items.map((o) => `${o.sourceOrderId}@${o.source.id === sources.jd ? 'jd' : 'pdd'}`);
    // The same number at two sources: both, newest first.
    await ingest(sources.pdd!, [event('A', 'paid', T0 + 9 * HOUR)]);
    expect(await numbers(operator, { orderNumber: 'A' })).toEqual(['A@pdd', 'A@jd']);
    expect(await numbers(operator, { orderNumber: 'A', sourceId: sources.jd })).toEqual(['A@jd']);
    expect(await numbers(operator, { orderNumber: 'D', status: 'completed' })).toEqual(['D@jd']);
    expect(await numbers(operator, { orderNumber: 'D', status: 'paid' })).toEqual([]);
    expect(await numbers(operator, { orderNumber: 'U' })).toEqual(['U@jd']);
    expect(await numbers(operator, { orderNumber: 'nope' })).toEqual([]);
    // A creator: their own, from payment on; not another creator's, nor one not paid yet.
    expect(await numbers(creator, { orderNumber: 'A' })).toEqual(['A@pdd', 'A@jd']);
    expect(await numbers(creator, { orderNumber: 'O' })).toEqual([]);
    expect(await numbers(creator, { orderNumber: 'U' })).toEqual([]);
  });

  it('looks an order number up through the (source, order number) key, not by walking the list', async () => {
    const { spy, seen } = watchedQueries(db.kysely);
    await ordersVisibleTo(spy, operator, { limit: 50, orderNumber: 'A' });
    const plan = await queryPlan(db.kysely, seen.find((c) => /"source_order_id" = /.test(c.sql))!);
    expect(plan).toMatch(dialect === 'sqlite' ? /USING INDEX sqlite_autoindex_orders_2 \(source_id=\? AND source_order_id=\?\)/ : /Index Cond: \(\(source_id = ANY .*\) AND \(source_order_id = /);
    expect(plan).not.toMatch(/SCAN orders\b|Seq Scan on orders/);
  });

  it('reads a creator’s list off commissions_creator, not a scan of the orders', async () => {
    const query = await creatorListQuery(db.kysely, creator);
    const plan = await queryPlan(db.kysely, query);
    expect(plan).toContain('commissions_creator');
    expect(plan).not.toMatch(/SCAN orders|Seq Scan on orders/);
  });

  /** The creator list's statement, as the database gets it. */
  async function creatorListQuery(q: Kysely<Database>, viewer: User): Promise<CompiledQuery> {
    const { spy, seen } = watchedQueries(q);
    await ordersVisibleTo(spy, viewer, { limit: 2, status: 'paid', cursor: (await ordersVisibleTo(q, viewer, { limit: 2 })).nextCursor });
    return seen.find((c) => /from "commissions" inner join "orders"/.test(c.sql))!;
  }
});
