import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { platformDayOf, startOfPlatformDay } from '../../core/time.ts';
import { DIALECTS } from '../../db/testing.ts';
import { startTestServer, type TestServer } from '../../http/testing.ts';
import { createUser } from '../accounts/service.ts';
import { recordPastClicks } from '../links/service.ts';
import { seedSource } from '../links/testing.ts';
import { ingestOrderEvents } from '../orders/service.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe.each(DIALECTS)('commission plans over HTTP on %s', (dialect) => {
  let s: TestServer;
  const t: Record<string, string> = {};
  const ids: Record<string, string> = {};

  /** An order paid at `paidAt` (default now) and reported now, with its commission as booked. */
  const paidOrder = async (sourceId: string, orderId: string, productKey: string, clickId: string, paidAt = new Date().toISOString()) => {
    await ingestOrderEvents(s.db.kysely, sourceId, [{ event: { orderId, status: 'paid', occurredAt: paidAt, currency: 'CNY', clickId, subId: null, lines: [{ lineId: '1', productId: productKey, quantity: 1, paidAmountMinor: 10_000, refundedAmountMinor: 0 }] } }], { via: 'webhook' });
    const order = await s.db.kysely.selectFrom('orders').select('id').where('source_order_id', '=', orderId).executeTakeFirstOrThrow();
    return s.db.kysely.selectFrom('commissions').selectAll().where('order_id', '=', order.id).executeTakeFirstOrThrow();
  };

  beforeAll(async () => {
    s = await startTestServer(dialect);
    const db = s.db.kysely;
    for (const [key, role] of [['operator', 'operator'], ['creator', 'creator'], ['merchant', 'merchant'], ['otherMerchant', 'merchant'], ['colonel', 'colonel'], ['otherCreator', 'creator'], ['otherColonel', 'colonel']] as const) {
      const user = await createUser(db, { role, email: `${key}@plans.cn`, password: 'password1', name: key, handle: role === 'creator' ? `plans_${key.toLowerCase()}` : null });
      ids[key] = user.id;
      t[key] = await s.login(`${key}@plans.cn`, 'password1');
    }
    const shop = await seedSource(db, { kind: 'merchant', platform: 'youzan', ownerUserId: ids.merchant }, [
      { id: 'M1', url: 'https://shop.youzan.com/1' },
      { id: 'M2', url: 'https://shop.youzan.com/2' },
      { id: 'M3', url: 'https://shop.youzan.com/3' },
    ]);
    const jd = await seedSource(db, { kind: 'platform', platform: 'jd' }, [{ id: 'J1', url: 'https://item.jd.com/1.html' }]);
    Object.assign(ids, { shop: shop.sourceId, shopProduct: shop.productIds.M1, m2: shop.productIds.M2, m3: shop.productIds.M3, jd: jd.sourceId, jdProduct: jd.productIds.J1 });
    const click = (id: string, productId: string, sourceId: string) => ({ id, link_code: 'c', creator_id: ids.creator!, product_id: productId, source_id: sourceId, channel: 'showcase', clicked_at: new Date(Date.now() - HOUR).toISOString(), ip_hash: 'h', ua_class: 'mobile', referrer: null, is_bot: 0, is_repeat: 0 });
    await recordPastClicks(db, [click('clk_shop', ids.shopProduct!, ids.shop!), click('clk_jd', ids.jdProduct!, ids.jd!), click('clk_m2', ids.m2!, ids.shop!), click('clk_m3', ids.m3!, ids.shop!)]);
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

    const today = async (token: string) => (await s.call('GET', '/api/earnings/daily?days=1', { token })).body.items[0];
    const creatorBefore = await today(t.creator!);
    const c = await paidOrder(ids.jd!, 'J-1', 'J1', 'clk_jd');
    // 10000 x 20% = 2000; the 10% fee = 200; the colonel takes 20% of 1800 = 360; the creator 1440.
    expect(c).toMatchObject({ plan_kind: 'colonel', rate_bps: 2000, colonel_id: ids.colonel, commission_minor: 2000, creator_amount_minor: 1440 });
    const colonelEarnings = await s.call('GET', '/api/earnings/summary', { token: t.colonel });
    expect(colonelEarnings.body).toMatchObject({ estimated: 360 });
    // The earnings charts read the same line, each party its own part, on the day it was paid.
    expect(await today(t.colonel!)).toMatchObject({ lines: 1, amount: 360 });
    expect(await today(t.creator!)).toMatchObject({ lines: creatorBefore.lines + 1, amount: creatorBefore.amount + 1440 });
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
    const listed = (await s.call('GET', '/api/positions', { token: t.creator })).body;
    expect(listed.items).toEqual([expect.objectContaining({ sub_id: '1001_2002', source_id: ids.jd })]);
    expect(listed.sources).toContainEqual({ id: ids.jd, name: expect.any(String), platform: 'jd', channel_registration: false });
    expect(listed.sources.every((source: { platform: string | null }) => source.platform !== 'youzan')).toBe(true); // merchant stores are not platforms
    expect((await s.call('DELETE', '/api/positions/1001_2002', { token: t.otherCreator })).status).toBe(404);
    expect((await s.call('DELETE', '/api/positions/1001_2002', { token: t.creator })).status).toBe(204);
    expect((await s.call('GET', '/api/positions', { token: t.creator })).body.items).toEqual([]);
    expect((await s.call('DELETE', '/api/positions/1001_2002', { token: t.creator })).status).toBe(404);
  });

  describe('stopping plans', () => {
    const pause = () => new Promise((resolve) => setTimeout(resolve, 5));
    const dayFromNow = (days: number) => platformDayOf(new Date(Date.now() + days * DAY).toISOString());
    const audited = async (subjectId: string) => (await s.db.kysely.selectFrom('audit_log').select('action').where('subject_id', '=', subjectId).orderBy('id').execute()).map((a) => a.action);
    const approvedPlan = async (productId: string, rateBps: number, decider: string) => {
      const asked = await s.call('POST', '/api/plans/targeted', { token: t.creator, body: { product_id: productId, rate_bps: rateBps } });
      expect((await s.call('POST', `/api/plans/targeted/${asked.body.id}/approve`, { token: decider })).status).toBe(200);
      return asked.body.id as string;
    };

    it('ends an approved plan: orders paid before the end keep its rate, even reported after it, and later ones get the open rate', async () => {
      const planId = await approvedPlan(ids.m2!, 3000, t.merchant!);
      const paidBefore = new Date().toISOString();
      await pause();
      const end = (token: string | undefined, body?: unknown) => s.call('POST', `/api/plans/targeted/${planId}/end`, { token, body });

      for (const token of [t.otherMerchant, t.creator]) expect((await end(token)).body.error.code).toBe('not_found');
      expect((await end(t.colonel)).status).toBe(403);
      for (const ends_on of ['2026-02-30', 'tomorrow']) {
        const bad = await end(t.merchant, { ends_on });
        expect(bad.status).toBe(400);
        expect(bad.body.error).toMatchObject({ code: expect.any(String), message: expect.any(String) });
      }

      // A later day first: the plan still runs, and the end can only move earlier.
      const later = await end(t.merchant, { ends_on: dayFromNow(10) });
      expect(later.body).toMatchObject({ status: 'approved', ends_on: dayFromNow(10), ends_at: startOfPlatformDay(dayFromNow(10)), ended: false });
      expect((await end(t.merchant, { ends_on: dayFromNow(20) })).body.error.code).toBe('end_not_earlier');
      const listed = async (token: string | undefined) => (await s.call('GET', '/api/plans/targeted', { token })).body.items.find((p: { id: string }) => p.id === planId);
      expect(await listed(t.merchant)).toMatchObject({ may_end: true, may_decide: false });

      // A day in the past ends it now, never before.
      const ended = await end(t.merchant, { ends_on: '2020-01-01' });
      expect(ended.status).toBe(200);
      expect(ended.body).toMatchObject({ status: 'approved', ended: true });
      expect(ended.body.ends_at > paidBefore).toBe(true);
      expect(await listed(t.merchant)).toMatchObject({ ended: true, may_end: false });
      expect(await listed(t.creator)).toMatchObject({ status: 'approved', ended: true, ends_on: platformDayOf(ended.body.ends_at) });
      const again = await end(t.merchant);
      expect(again.status).toBe(409);
      expect(again.body.error.code).toBe('plan_already_ended');
      expect(await audited(planId)).toEqual(['targeted_plan.requested', 'targeted_plan.approved', 'targeted_plan.ended', 'targeted_plan.ended']);

      expect(await paidOrder(ids.shop!, 'END-1', 'M2', 'clk_m2', paidBefore)).toMatchObject({ plan_kind: 'targeted', plan_id: planId, rate_bps: 3000 });
      expect(await paidOrder(ids.shop!, 'END-2', 'M2', 'clk_m2')).toMatchObject({ plan_kind: 'open', rate_bps: 1000 });
    });

    it('lets the operator end a plan on a platform’s product, and ends only approved plans', async () => {
      const planId = await approvedPlan(ids.jdProduct!, 4000, t.operator!);
      expect((await s.call('POST', `/api/plans/targeted/${planId}/end`, { token: t.merchant })).status).toBe(404);
      expect((await s.call('POST', `/api/plans/targeted/${planId}/end`, { token: t.operator })).body).toMatchObject({ ended: true });

      const asked = await s.call('POST', '/api/plans/targeted', { token: t.creator, body: { product_id: ids.m2, rate_bps: 3500 } });
      const notYet = await s.call('POST', `/api/plans/targeted/${asked.body.id}/end`, { token: t.merchant });
      expect(notYet.status).toBe(422);
      expect(notYet.body.error.code).toBe('plan_not_approved');
      await s.call('POST', `/api/plans/targeted/${asked.body.id}/reject`, { token: t.merchant });
      expect((await s.call('POST', `/api/plans/targeted/${asked.body.id}/end`, { token: t.merchant })).body.error.code).toBe('plan_not_approved');
    });

    it('lets whoever asked withdraw a plan while it awaits the decision, and nobody decide it afterwards', async () => {
      const asked = await s.call('POST', '/api/plans/targeted', { token: t.creator, body: { product_id: ids.m2, rate_bps: 4500 } });
      const withdraw = (token: string | undefined) => s.call('POST', `/api/plans/targeted/${asked.body.id}/withdraw`, { token });
      expect((await withdraw(t.merchant)).status).toBe(403);
      expect((await withdraw(t.otherCreator)).status).toBe(404);
      expect((await s.call('GET', '/api/plans/targeted', { token: t.creator })).body.items.find((p: { id: string }) => p.id === asked.body.id)).toMatchObject({ may_withdraw: true });

      const withdrawn = await withdraw(t.creator);
      expect(withdrawn.status).toBe(200);
      expect(withdrawn.body).toMatchObject({ status: 'withdrawn', decided_at: expect.any(String) });
      expect((await withdraw(t.creator)).body.error.code).toBe('plan_already_decided');
      const approve = await s.call('POST', `/api/plans/targeted/${asked.body.id}/approve`, { token: t.merchant });
      expect(approve.status).toBe(422);
      expect(approve.body.error.code).toBe('plan_already_decided');
      expect((await s.call('GET', '/api/plans/targeted', { token: t.merchant })).body.items.find((p: { id: string }) => p.id === asked.body.id)).toMatchObject({ status: 'withdrawn', may_decide: false, may_end: false });
      expect(await audited(asked.body.id)).toEqual(['targeted_plan.requested', 'targeted_plan.withdrawn']);

      const approvedId = await approvedPlan(ids.m2!, 5000, t.merchant!);
      expect((await s.call('POST', `/api/plans/targeted/${approvedId}/withdraw`, { token: t.creator })).body.error.code).toBe('plan_already_decided');
      await s.call('POST', `/api/plans/targeted/${approvedId}/end`, { token: t.merchant });
    });

    const propose = async (name: string, productIds: string[]) => {
      const proposed = await s.call('POST', '/api/colonel/activities', { token: t.colonel, body: { name, rate_bps: 2400, share_bps: 1000, product_ids: productIds } });
      expect(proposed.status).toBe(201);
      return proposed.body.id as string;
    };
    const cancel = (id: string, token: string | undefined, body?: unknown) => s.call('POST', `/api/colonel/activities/${id}/cancel`, { token, body });

    it('lets the colonel or the operator cancel a proposed activity, and not a rejected one', async () => {
      const id = await propose('取消的专场', [ids.m3!]);
      expect((await cancel(id, t.otherColonel)).status).toBe(404);
      expect((await cancel(id, t.creator)).status).toBe(404);
      const byOwner = await cancel(id, t.merchant);
      expect(byOwner.status).toBe(403);
      expect(byOwner.body.error.code).toBe('forbidden');
      expect((await s.call('GET', '/api/colonel/activities', { token: t.colonel })).body.items.find((a: { id: string }) => a.id === id)).toMatchObject({ may_cancel: true, may_end: false });

      const cancelled = await cancel(id, t.colonel);
      expect(cancelled.body).toMatchObject({ status: 'cancelled', product_ids: [ids.m3] });
      expect((await cancel(id, t.colonel)).body.error.code).toBe('activity_not_running');
      expect((await s.call('POST', `/api/colonel/activities/${id}/approve`, { token: t.merchant })).body.error.code).toBe('activity_already_decided');
      expect(await audited(id)).toEqual(['colonel_activity.proposed', 'colonel_activity.cancelled']);

      const byOperator = await propose('运营取消的专场', [ids.m3!]);
      expect((await cancel(byOperator, t.operator)).body.status).toBe('cancelled');

      const rejected = await propose('被拒绝的专场', [ids.m3!]);
      await s.call('POST', `/api/colonel/activities/${rejected}/reject`, { token: t.merchant });
      const late = await cancel(rejected, t.colonel);
      expect(late.status).toBe(422);
      expect(late.body.error.code).toBe('activity_not_running');
    });

    it('ends a running activity instead: orders paid while it ran keep its rate, even reported after, later ones get the open rate', async () => {
      const id = await propose('提前结束的专场', [ids.m3!]);
      await s.call('POST', `/api/colonel/activities/${id}/approve`, { token: t.merchant });
      const paidBefore = new Date().toISOString();
      await pause();

      expect((await cancel(id, t.otherMerchant)).status).toBe(404);
      expect((await cancel(id, t.merchant, { ends_on: '2026-13-01' })).status).toBe(400);
      const later = await cancel(id, t.colonel, { ends_on: dayFromNow(5) });
      expect(later.body).toMatchObject({ status: 'active', ends_on: dayFromNow(5), ended: false });
      const seen = async (token: string | undefined) => (await s.call('GET', '/api/colonel/activities', { token })).body.items.find((a: { id: string }) => a.id === id);
      expect(await seen(t.merchant)).toMatchObject({ may_end: true, may_cancel: false, may_decide: false });
      expect(await seen(t.creator)).toBeDefined();

      // The owner who approved it ends it now; it stays active, its window closed.
      const ended = await cancel(id, t.merchant);
      expect(ended.body).toMatchObject({ status: 'active', ended: true, product_ids: [ids.m3] });
      expect(ended.body.ends_at > paidBefore).toBe(true);
      const again = await cancel(id, t.colonel);
      expect(again.status).toBe(409);
      expect(again.body.error.code).toBe('activity_already_ended');
      expect(await seen(t.colonel)).toMatchObject({ status: 'active', ended: true, may_end: false });
      expect(await seen(t.creator)).toBeUndefined();
      expect(await audited(id)).toEqual(['colonel_activity.proposed', 'colonel_activity.approved', 'colonel_activity.ended', 'colonel_activity.ended']);

      expect(await paidOrder(ids.shop!, 'END-K1', 'M3', 'clk_m3', paidBefore)).toMatchObject({ plan_kind: 'colonel', plan_id: id, rate_bps: 2400, colonel_id: ids.colonel });
      expect(await paidOrder(ids.shop!, 'END-K2', 'M3', 'clk_m3')).toMatchObject({ plan_kind: 'open', rate_bps: 1000, colonel_id: null });
    });
  });
});
