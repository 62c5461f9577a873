import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../db/testing.ts';
import { startTestServer, type TestServer } from '../../http/testing.ts';
import { createUser } from '../accounts/service.ts';
import { recordPastClicks } from '../links/service.ts';
import { seedSource } from '../links/testing.ts';
import { ingestOrderEvents } from '../orders/service.ts';

const HOUR = 3_600_000;

describe.each(DIALECTS)('commission plans over HTTP on %s', (dialect) => {
  let s: TestServer;
  const t: Record<string, string> = {};
  const ids: Record<string, string> = {};

  const paidOrder = async (sourceId: string, orderId: string, productKey: string, clickId: string) => {
    await ingestOrderEvents(s.db.kysely, sourceId, [{ event: { orderId, status: 'paid', occurredAt: new Date().toISOString(), currency: 'CNY', clickId, subId: null, lines: [{ lineId: '1', productId: productKey, quantity: 1, paidAmountMinor: 10_000, refundedAmountMinor: 0 }] } }], { via: 'webhook' });
    const order = await s.db.kysely.selectFrom('orders').select('id').where('source_order_id', '=', orderId).executeTakeFirstOrThrow();
    return s.db.kysely.selectFrom('commissions').selectAll().where('order_id', '=', order.id).executeTakeFirstOrThrow();
  };

  beforeAll(async () => {
    s = await startTestServer(dialect);
    const db = s.db.kysely;
    for (const [key, role] of [['operator', 'operator'], ['creator', 'creator'], ['merchant', 'merchant'], ['otherMerchant', 'merchant'], ['colonel', 'colonel']] as const) {
      const user = await createUser(db, { role, email: `${key}@plans.cn`, password: 'password1', name: key, handle: role === 'creator' ? 'plans_creator' : null });
      ids[key] = user.id;
      t[key] = await s.login(`${key}@plans.cn`, 'password1');
    }
    const shop = await seedSource(db, { kind: 'merchant', platform: 'youzan', ownerUserId: ids.merchant }, [{ id: 'M1', url: 'https://shop.youzan.com/1' }]);
    const jd = await seedSource(db, { kind: 'platform', platform: 'jd' }, [{ id: 'J1', url: 'https://item.jd.com/1.html' }]);
    Object.assign(ids, { shop: shop.sourceId, shopProduct: shop.productIds.M1, jd: jd.sourceId, jdProduct: jd.productIds.J1 });
    const click = (id: string, productId: string, sourceId: string) => ({ id, link_code: 'c', creator_id: ids.creator!, product_id: productId, source_id: sourceId, channel: 'showcase', clicked_at: new Date(Date.now() - HOUR).toISOString(), ip_hash: 'h', ua_class: 'mobile', referrer: null, is_bot: 0, is_repeat: 0 });
    await recordPastClicks(db, [click('clk_shop', ids.shopProduct!, ids.shop!), click('clk_jd', ids.jdProduct!, ids.jd!)]);
  });
  afterAll(() => s.close());

  it('pays a targeted plan once the product’s merchant approves it, and only that merchant may', async () => {
    const low = await s.call('POST', '/api/plans/targeted', { token: t.creator, body: { product_id: ids.shopProduct, rate_bps: 500 } });
    expect(low.status).toBe(400);
    expect(low.body.error.code).toBe('rate_not_higher');
    const asked = await s.call('POST', '/api/plans/targeted', { token: t.creator, body: { product_id: ids.shopProduct, rate_bps: 2500, note: '直播专场' } });
    expect(asked.status).toBe(201);
    expect(asked.body).toMatchObject({ status: 'requested', target: { kind: 'creator', id: ids.creator } });
    expect((await paidOrder(ids.shop!, 'S1', 'M1', 'clk_shop')).rate_bps).toBe(1000);

    expect((await s.call('POST', `/api/plans/targeted/${asked.body.id}/approve`, { token: t.otherMerchant })).status).toBe(404);
    expect((await s.call('POST', `/api/plans/targeted/${asked.body.id}/approve`, { token: t.creator })).status).toBe(404);
    const approved = await s.call('POST', `/api/plans/targeted/${asked.body.id}/approve`, { token: t.merchant });
    expect(approved.body.status).toBe('approved');
    expect((await s.call('POST', `/api/plans/targeted/${asked.body.id}/reject`, { token: t.merchant })).body.error.code).toBe('plan_already_decided');
    expect((await s.call('GET', '/api/plans/targeted', { token: t.merchant })).body.items.map((p: { id: string }) => p.id)).toEqual([asked.body.id]);

    const c = await paidOrder(ids.shop!, 'S2', 'M1', 'clk_shop');
    expect(c).toMatchObject({ plan_kind: 'targeted', rate_bps: 2500, commission_minor: 2500 });
  });

  it('runs a colonel activity once the operator approves it, and gives the colonel their share', async () => {
    const proposed = await s.call('POST', '/api/colonel/activities', { token: t.colonel, body: { name: '双十二数码专场', rate_bps: 2000, share_bps: 2000, product_ids: [ids.jdProduct] } });
    expect(proposed.status).toBe(201);
    expect(proposed.body.status).toBe('proposed');
    expect((await s.call('POST', '/api/colonel/activities', { token: t.creator, body: { name: 'x', rate_bps: 1, share_bps: 1, product_ids: [ids.jdProduct] } })).status).toBe(403);
    expect((await s.call('POST', `/api/colonel/activities/${proposed.body.id}/approve`, { token: t.merchant })).status).toBe(404);
    const approved = await s.call('POST', `/api/colonel/activities/${proposed.body.id}/approve`, { token: t.operator });
    expect(approved.body).toMatchObject({ status: 'active', product_ids: [ids.jdProduct] });

    const c = await paidOrder(ids.jd!, 'J-1', 'J1', 'clk_jd');
    // 10000 x 20% = 2000; the 10% fee = 200; the colonel takes 20% of 1800 = 360; the creator 1440.
    expect(c).toMatchObject({ plan_kind: 'colonel', rate_bps: 2000, colonel_id: ids.colonel, commission_minor: 2000, creator_amount_minor: 1440 });
    const colonelEarnings = await s.call('GET', '/api/earnings/summary', { token: t.colonel });
    expect(colonelEarnings.body).toMatchObject({ estimated: 360 });
  });

  it('lists plans with what a decider needs: who asked, the open rate, the products by title, and whether the caller may decide', async () => {
    const asked = await s.call('POST', '/api/plans/targeted', { token: t.creator, body: { product_id: ids.shopProduct, rate_bps: 3000, starts_on: '2030-01-01', note: '年货节' } });
    const forMerchant = (await s.call('GET', '/api/plans/targeted', { token: t.merchant })).body.items.find((p: { id: string }) => p.id === asked.body.id);
    expect(forMerchant).toMatchObject({ product_title: '商品 M1', open_rate_bps: 1000, target: { kind: 'creator', id: ids.creator, name: 'creator' }, status: 'requested', starts_on: '2030-01-01', may_decide: true });
    const forCreator = (await s.call('GET', '/api/plans/targeted', { token: t.creator })).body.items.find((p: { id: string }) => p.id === asked.body.id);
    expect(forCreator).toMatchObject({ note: '年货节', may_decide: false });

    // Products of two owners: only the operator can approve the whole activity.
    const both = await s.call('POST', '/api/colonel/activities', { token: t.colonel, body: { name: '跨店专场', rate_bps: 2200, share_bps: 1000, product_ids: [ids.shopProduct, ids.jdProduct] } });
    const mine = await s.call('POST', '/api/colonel/activities', { token: t.colonel, body: { name: '有赞专场', rate_bps: 2200, share_bps: 1000, product_ids: [ids.shopProduct] } });
    const seen = async (token: string | undefined, id: string) => (await s.call('GET', '/api/colonel/activities', { token })).body.items.find((a: { id: string }) => a.id === id);
    expect(await seen(t.merchant, both.body.id)).toMatchObject({ colonel_name: 'colonel', may_decide: false, products: expect.arrayContaining([{ id: ids.jdProduct, title: '商品 J1', commission_rate_bps: 1000 }]) });
    expect(await seen(t.merchant, mine.body.id)).toMatchObject({ may_decide: true, products: [{ id: ids.shopProduct, title: '商品 M1', commission_rate_bps: 1000 }] });
    expect(await seen(t.operator, both.body.id)).toMatchObject({ may_decide: true });
    expect(await seen(t.otherMerchant, mine.body.id)).toBeUndefined();
    const approved = await s.call('POST', `/api/colonel/activities/${mine.body.id}/approve`, { token: t.merchant });
    expect(approved.body).toMatchObject({ status: 'active', may_decide: false, products: [{ id: ids.shopProduct, title: '商品 M1' }] });
  });

  it('records a creator’s position ids once each', async () => {
    const first = await s.call('POST', '/api/positions', { token: t.creator, body: { sub_id: '1001_2002', source_id: ids.jd, label: '抖音直播间' } });
    expect(first.status).toBe(201);
    const again = await s.call('POST', '/api/positions', { token: t.creator, body: { sub_id: '1001_2002' } });
    expect(again.status).toBe(409);
    expect((await s.call('GET', '/api/positions', { token: t.creator })).body.items).toEqual([expect.objectContaining({ sub_id: '1001_2002', source_id: ids.jd })]);
  });
});
