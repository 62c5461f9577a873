import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../db/testing.ts';
import { startTestServer, type TestServer } from '../../http/testing.ts';
import { createUser } from '../accounts/service.ts';
import { seedSource } from '../links/testing.ts';
import type { OrderEvent } from '../orders/model.ts';
import { ingestOrderEvents } from '../orders/service.ts';
import { recordPastMembership, registerOrganisation } from '../orgs/service.ts';

const DAY = 86_400_000;

interface Row {
  product: { id: string; title: string; image: string | null } | null;
  source: { id: string; name: string; platform: string | null };
  source_product_id: string;
  orders: number;
  paid_amount: number;
  refunded_amount: number;
  commission: number;
  share: number;
}

/** What sold, product by product: the same lines the order lists and the earnings read, each party its own part. */
describe.each(DIALECTS)('GET /api/earnings/by-product on %s', (dialect) => {
  let s: TestServer;
  const t: Record<string, string> = {};
  const ids: Record<string, string> = {};
  let productIds: Record<string, string> = {};
  const event = (orderId: string, status: OrderEvent['status'], at: number, productId: string, paid: number, refunded = 0): { event: OrderEvent } => ({
    event: { orderId, status, occurredAt: new Date(at).toISOString(), currency: 'CNY', clickId: null, subId: 'pos_lin', lines: [{ lineId: '1', productId, quantity: 1, paidAmountMinor: paid, refundedAmountMinor: refunded }] },
  });
  const byProduct = async (token: string, query = '') => {
    const answer = await s.call('GET', `/api/earnings/by-product${query}`, { token });
    expect(answer.status).toBe(200);
    return answer.body as { products: number; items: Row[] };
  };
  /** The viewer's part of each order, as its order list shows it, summed per product: the figure to agree with. */
  const sharesFromOrders = async (token: string) => {
    const orders = (await s.call('GET', '/api/orders?limit=100', { token })).body.items as { source_order_id: string; lines: { source_product_id: string; commission: { status: string; amount: number } | null }[] }[];
    const out = new Map<string, number>();
    for (const o of orders.filter((o) => o.source_order_id !== 'OLD')) {
      for (const line of o.lines) if (line.commission && line.commission.status !== 'reversed') out.set(line.source_product_id, (out.get(line.source_product_id) ?? 0) + line.commission.amount);
    }
    return out;
  };

  beforeAll(async () => {
    s = await startTestServer(dialect);
    const db = s.db.kysely;
    for (const [key, role] of [['operator', 'operator'], ['lin', 'creator'], ['org', 'org'], ['colonel', 'colonel'], ['merchant', 'merchant']] as const) {
      const user = await createUser(db, { role, email: `${key}@byproduct.cn`, password: 'password1', name: key, handle: role === 'creator' ? `bp_${key}` : null });
      ids[key] = user.id;
      if (role === 'org') ids.organisation = (await registerOrganisation(db, user, 'BP MCN')).id;
      t[key] = await s.login(`${key}@byproduct.cn`, 'password1');
    }
    const since = new Date(Date.now() - 90 * DAY).toISOString();
    await recordPastMembership(db, { organisationId: ids.organisation!, creatorId: ids.lin!, shareBps: 2000, startsAt: since });
    const jd = await seedSource(db, { kind: 'platform', platform: 'jd' }, [
      { id: 'P1', url: 'https://item.jd.com/1.html' },
      { id: 'P2', url: 'https://item.jd.com/2.html' },
    ]);
    productIds = jd.productIds;
    await db.insertInto('positions').values({ sub_id: 'pos_lin', creator_id: ids.lin!, source_id: null, label: null, created_at: since }).execute();
    const proposed = await s.call('POST', '/api/colonel/activities', { token: t.colonel, body: { name: '京东专场', rate_bps: 2000, share_bps: 2000, product_ids: [productIds.P2] } });
    expect((await s.call('POST', `/api/colonel/activities/${proposed.body.id}/approve`, { token: t.operator })).body.status).toBe('active');
    const now = Date.now();
    await ingestOrderEvents(db, jd.sourceId, [
      event('A1', 'paid', now - 2 * DAY, 'P1', 10_000),
      event('A2', 'paid', now - 3 * DAY, 'P1', 5_000),
      event('A2', 'shipped', now - 2 * DAY, 'P1', 5_000, 2_000), // a partial refund of the line
      event('A3', 'paid', now - 3 * DAY, 'P1', 4_000),
      event('A3', 'refunded', now - 2 * DAY, 'P1', 4_000, 4_000), // all of it: the line is reversed
      event('B1', 'paid', now, 'P2', 20_000), // under the colonel's activity, which began just before
      event('X1', 'paid', now - DAY, 'P9', 3_000), // a product not in the pool
      event('OLD', 'paid', now - 40 * DAY, 'P1', 99_900),
    ], { via: 'webhook' });
  });
  afterAll(() => s.close());

  it("sums a creator's lines of the window per product, the best-earning first, each agreeing with the order list", async () => {
    const { products, items } = await byProduct(t.lin!);
    expect(products).toBe(3);
    expect(items.map((i) => i.source_product_id)).toEqual(['P2', 'P1', 'P9']);
    const [p2, p1, p9] = items;
    expect(p1).toMatchObject({ product: { id: productIds.P1, title: '商品 P1' }, source: { platform: 'jd' }, orders: 3, paid_amount: 19_000, refunded_amount: 6_000 });
    expect(p2).toMatchObject({ product: { id: productIds.P2 }, orders: 1, paid_amount: 20_000, refunded_amount: 0, commission: 4_000 });
    expect(p9).toMatchObject({ product: null, source_product_id: 'P9', source: { name: 'jd source', platform: 'jd' }, orders: 1, paid_amount: 3_000 });
    const fromOrders = await sharesFromOrders(t.lin!);
    for (const row of items) expect(row.share).toBe(fromOrders.get(row.source_product_id));
    expect(p1!.share).toBeGreaterThan(0);
    expect(p1!.commission).toBeGreaterThan(p1!.share);
  });

  it("gives the organisation its share and the colonel its own, of the same lines", async () => {
    const org = await byProduct(t.org!);
    expect(org.items.map((i) => i.source_product_id)).toEqual(['P2', 'P1', 'P9']);
    const fromOrders = await sharesFromOrders(t.org!);
    for (const row of org.items) expect(row.share).toBe(fromOrders.get(row.source_product_id));
    const colonel = await byProduct(t.colonel!);
    expect(colonel.products).toBe(1);
    // 20000 x 20% = 4000; the 10% fee = 400; the colonel takes 20% of 3600 = 720.
    expect(colonel.items).toEqual([expect.objectContaining({ source_product_id: 'P2', orders: 1, commission: 4_000, share: 720 })]);
    expect((await s.call('GET', '/api/earnings/summary', { token: t.colonel })).body).toMatchObject({ estimated: 720 });
  });

  it('takes the window in days and a limit, and is for those who earn', async () => {
    const wide = await byProduct(t.lin!, '?days=60');
    expect(wide.items.find((i) => i.source_product_id === 'P1')).toMatchObject({ orders: 4, paid_amount: 118_900 });
    const top = await byProduct(t.lin!, '?limit=1');
    expect(top).toMatchObject({ products: 3, items: [expect.objectContaining({ source_product_id: 'P2' })] });
    expect((await s.call('GET', '/api/earnings/by-product?limit=0', { token: t.lin })).status).toBe(400);
    expect((await s.call('GET', '/api/earnings/by-product', { token: t.merchant })).status).toBe(403);
    expect((await s.call('GET', '/api/earnings/by-product', { token: t.operator })).status).toBe(403);
  });
});
