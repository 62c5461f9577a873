import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../db/testing.ts';
import { startTestServer, type TestServer } from '../../http/testing.ts';
import { pollSourceOrders } from '../../jobs/orders.ts';
import { createUser } from '../accounts/service.ts';
import { startFakeJd, type FakeJdRouter } from '../sources/connectors/fake/jd.ts';
import { jdOrderRowItem } from '../sources/connectors/fake/jd-orders.ts';
import { beijingTime } from '../sources/connectors/fake/orders.ts';
import { startFakePdd, type FakePddRouter, type FakePromotion } from '../sources/connectors/fake/pdd.ts';
import { pddOrderItem } from '../sources/connectors/fake/pdd-orders.ts';
import { seedSource } from './testing.ts';

const PHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.40';
const credentials = { app_key: 'pdd-client-id', app_secret: 'pdd-client-secret' };
const SOURCE_PID = '1000001_2000001';
const CREATOR_PID = '1000001_3000001';

describe.each(DIALECTS)('PDD products followed through a promotion URL made per click on %s', (dialect) => {
  let s: TestServer;
  let pdd: FakePddRouter;
  let sourceId = '';
  const t: Record<string, string> = {};
  const ids: Record<string, string> = {};
  /** The link code of each creator's showcase item, by product index. */
  const codes: Record<string, string[]> = { c1: [], c2: [] };

  const follow = (code: string) => fetch(`${s.url}/r/${code}`, { redirect: 'manual', headers: { 'user-agent': PHONE } });
  const clickCount = async () => Number((await s.db.kysely.selectFrom('clicks').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

  beforeAll(async () => {
    s = await startTestServer(dialect);
    pdd = await startFakePdd({ appKey: credentials.app_key, appSecret: credentials.app_secret, items: 3 });
    for (const [key, role] of [['ops', 'operator'], ['c1', 'creator'], ['c2', 'creator']] as const) {
      ids[key] = (await createUser(s.db.kysely, { role, email: `${key}@pdd-links.cn`, password: 'password1', name: key, handle: role === 'creator' ? `pdd_${key}` : null })).id;
      t[key] = await s.login(`${key}@pdd-links.cn`, 'password1');
    }
    const source = await s.call('POST', '/api/sources', { token: t.ops, body: { kind: 'platform', name: '拼多多 多多进宝', platform: 'pdd' } });
    sourceId = source.body.id;
    expect((await s.call('PUT', `/api/sources/${sourceId}/connection`, { token: t.ops, body: { ...credentials, base_url: pdd.url, position_id: SOURCE_PID } })).status).toBe(200);
    expect((await s.call('POST', `/api/sources/${sourceId}/sync`, { token: t.ops })).body.imported).toBe(3);
    expect((await s.call('POST', '/api/positions', { token: t.c1, body: { sub_id: CREATOR_PID, source_id: sourceId } })).status).toBe(201);
    const products = await s.db.kysely.selectFrom('products').select(['id', 'source_product_id', 'product_url']).where('source_id', '=', sourceId).orderBy('source_product_id').execute();
    expect(products.every((p) => p.product_url === null)).toBe(true); // a DDK product has no URL until one is made for a promoter
    for (const creator of ['c1', 'c2']) {
      for (const product of products) {
        const item = await s.call('POST', '/api/showcase/items', { token: t[creator], body: { product_id: product.id } });
        expect(item.status).toBe(201);
        codes[creator]!.push(item.body.link.code);
      }
    }
  });
  afterAll(async () => {
    await s.close();
    await pdd.close();
  });

  it('sends the shopper to the URL PDD made for this click under the creator’s own position, and credits the order PDD reports to that click', async () => {
    const response = await follow(codes.c1![0]!);
    expect(response.status).toBe(302);
    const promotion = pdd.promotions.at(-1)!;
    expect(response.headers.get('location')).toBe(promotion.url);
    expect(promotion.pid).toBe(CREATOR_PID);
    const { uid, sid } = JSON.parse(promotion.customParameters) as { uid: string; sid: string };
    expect(uid).toMatch(/^[0-9a-f]{12}$/);
    const click = await s.db.kysely.selectFrom('clicks').selectAll().where('id', '=', sid).executeTakeFirst();
    expect(click).toMatchObject({ creator_id: ids.c1, source_id: sourceId, ua_class: 'mobile' });
    const metrics = await (await fetch(`${s.url}/metrics`)).text();
    expect(metrics).toContain('vitrine_promotion_urls_total{platform="pdd",outcome="url"} 1');

    // The shopper buys through that URL; PDD's order report gives back what the URL carried.
    pdd.orders.push(boughtThrough(promotion, 0));
    // PDD's report lags: the poll reads up to five minutes before its now.
    await pollSourceOrders(s.db.kysely, sourceId, { now: new Date(Date.now() + 10 * 60_000), minBackoffMs: 1 });
    const order = await s.db.kysely.selectFrom('orders').select(['id', 'creator_id', 'click_id', 'attribution']).where('source_id', '=', sourceId).executeTakeFirstOrThrow();
    expect(order).toEqual({ id: order.id, creator_id: ids.c1, click_id: sid, attribution: 'click' });
    const commissions = await s.db.kysely.selectFrom('commissions').select(['creator_id', 'product_id', 'commission_minor']).where('order_id', '=', order.id).execute();
    expect(commissions).toEqual([{ creator_id: ids.c1, product_id: click!.product_id, commission_minor: expect.any(Number) }]);
    expect(commissions[0]!.commission_minor).toBeGreaterThan(0);
  });

  it('uses the source’s position for a creator who registered none there, and a new URL for every click', async () => {
    const before = pdd.promotions.length;
    expect((await follow(codes.c2![1]!)).status).toBe(302);
    expect((await follow(codes.c2![1]!)).status).toBe(302);
    const [first, second] = pdd.promotions.slice(before);
    expect(first!.pid).toBe(SOURCE_PID);
    expect(JSON.parse(second!.customParameters).sid).not.toBe(JSON.parse(first!.customParameters).sid);
    expect(second!.url).not.toBe(first!.url);
  });

  it('makes the next URL under a position the creator records, and under the source’s again once it is removed', async () => {
    const pidOfNextClick = async () => {
      expect((await follow(codes.c2![2]!)).status).toBe(302);
      return pdd.promotions.at(-1)!.pid;
    };
    expect(await pidOfNextClick()).toBe(SOURCE_PID);
    expect((await s.call('POST', '/api/positions', { token: t.c2, body: { sub_id: '1000001_3000002', source_id: sourceId } })).status).toBe(201);
    expect(await pidOfNextClick()).toBe('1000001_3000002');
    expect((await s.call('DELETE', '/api/positions/1000001_3000002', { token: t.c2 })).status).toBe(204);
    expect(await pidOfNextClick()).toBe(SOURCE_PID);
  });

  it('sends a bot following a link to the URL made for that link a moment ago, asking PDD nothing, and stores its click as a bot’s', async () => {
    expect((await follow(codes.c1![1]!)).status).toBe(302);
    const made = pdd.promotions.at(-1)!;
    const requests = pdd.requests;
    const preview = await fetch(`${s.url}/r/${codes.c1![1]}`, { redirect: 'manual', headers: { 'user-agent': 'TelegramBot (like TwitterBot)' } });
    expect(preview.status).toBe(302);
    expect(preview.headers.get('location')).toBe(made.url);
    expect(pdd.requests).toBe(requests);
    const botClicks = await s.db.kysely.selectFrom('clicks').select(['creator_id', 'ua_class']).where('is_bot', '=', 1).execute();
    expect(botClicks).toEqual([{ creator_id: ids.c1, ua_class: 'bot' }]);
  });

  it('answers 404 and stores no click for a product PDD no longer promotes, and asks PDD about it only once a minute', async () => {
    const refused = (await s.db.kysely.selectFrom('products').select('source_product_id').where('source_id', '=', sourceId).orderBy('source_product_id').execute())[2]!.source_product_id;
    pdd.items.splice(
      pdd.items.findIndex((item) => item.goods_sign === refused),
      1,
    );
    const clicks = await clickCount();
    const requests = pdd.requests;
    const first = await fetch(`${s.url}/r/${codes.c1![2]}`, { redirect: 'manual', headers: { 'user-agent': PHONE, accept: 'text/html' } });
    expect(first.status).toBe(404);
    expect(await first.text()).toContain('该商品暂时无法打开');
    expect((await follow(codes.c2![2]!)).status).toBe(404);
    expect(pdd.requests).toBe(requests + 1);
    expect(await clickCount()).toBe(clicks);
  });

  it('answers 404 for a PDD product of a source with no API connection', async () => {
    const unconnected = await seedSource(s.db.kysely, { kind: 'platform', platform: 'pdd', name: 'pdd, not connected' }, [{ id: 'E9UNCONNECTED', url: null }]);
    const item = await s.call('POST', '/api/showcase/items', { token: t.c1, body: { product_id: unconnected.productIds.E9UNCONNECTED } });
    const response = await s.call('GET', `/r/${item.body.link.code}`, { headers: { 'user-agent': PHONE } });
    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe('product_unavailable');
  });

  /** A link no URL was made for yet: a new creator's, to the first product. */
  const newLink = async (key: string) => {
    await createUser(s.db.kysely, { role: 'creator', email: `${key}@pdd-links.cn`, password: 'password1', name: key, handle: `pdd_${key}` });
    const token = await s.login(`${key}@pdd-links.cn`, 'password1');
    const product = (await s.db.kysely.selectFrom('products').select('id').where('source_id', '=', sourceId).orderBy('source_product_id').executeTakeFirstOrThrow()).id;
    return (await s.call('POST', '/api/showcase/items', { token, body: { product_id: product } })).body.link.code as string;
  };

  it('sends a shopper to the URL made for the same link minutes ago while PDD throttles, storing the click, so the sale is not lost', async () => {
    expect((await follow(codes.c1![0]!)).status).toBe(302);
    const made = pdd.promotions.at(-1)!;
    pdd.failWith = 'rate_limit';
    const clicks = await clickCount();
    const during = await follow(codes.c1![0]!);
    expect(during.status).toBe(302);
    expect(during.headers.get('location')).toBe(made.url);
    expect(await clickCount()).toBe(clicks + 1);
    const metrics = await (await fetch(`${s.url}/metrics`)).text();
    expect(metrics).toContain('vitrine_promotion_urls_total{platform="pdd",outcome="reused"} 1');
    expect(metrics).toContain('vitrine_promotion_urls_total{platform="pdd",outcome="unavailable"} 1');
    pdd.failWith = null;
  });

  it('answers 503 with retry-after and stores no click while PDD fails, asking PDD once per shopper, for a link with no URL made lately', async () => {
    const code = await newLink('c3');
    pdd.failWith = 'http_500';
    const clicks = await clickCount();
    const requests = pdd.requests;
    const failed = await follow(code); // through the early listener, then the route: PDD asked once
    expect(failed.status).toBe(503);
    expect(pdd.requests).toBe(requests + 1);
    expect(await clickCount()).toBe(clicks);
    pdd.failWith = null;
    expect((await follow(code)).status).toBe(302);
  });

  it('answers 503 with retry-after and stores no click while PDD does not answer, for a link with no URL made lately', async () => {
    const code = await newLink('c4');
    await pdd.close();
    const clicks = await clickCount();
    const response = await s.call('GET', `/r/${code}`, { headers: { 'user-agent': PHONE } });
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
    expect(response.body.error.code).toBe('source_unavailable');
    expect(await clickCount()).toBe(clicks);
    pdd = await startFakePdd({ appKey: credentials.app_key, appSecret: credentials.app_secret, items: 0 }); // for afterAll
  });
});

/** An order of goods bought through `promotion` a minute after the click, as PDD's report lists it. */
function boughtThrough(promotion: FakePromotion, index: number): Record<string, unknown> {
  const modifiedS = Math.floor(Date.now() / 1000) + 120;
  return pddOrderItem(index, {
    goods_sign: promotion.goodsSign,
    p_id: promotion.pid,
    custom_parameters: promotion.customParameters,
    order_create_time: modifiedS - 60,
    order_pay_time: modifiedS - 30,
    order_group_success_time: modifiedS,
    order_modify_at: modifiedS,
  });
}

describe.each(DIALECTS)('JD products followed through a promotion link made per click on %s', (dialect) => {
  let s: TestServer;
  let jd: FakeJdRouter;
  let sourceId = '';
  const t: Record<string, string> = {};
  const codes: Record<string, string[]> = { c1: [], c2: [] };
  const follow = (code: string) => fetch(`${s.url}/r/${code}`, { redirect: 'manual', headers: { 'user-agent': PHONE } });
  const JD_SOURCE_POSITION = '3000000001';
  const JD_CREATOR_POSITION = '3000000002';

  beforeAll(async () => {
    s = await startTestServer(dialect);
    jd = await startFakeJd({ appKey: credentials.app_key, appSecret: credentials.app_secret, items: 2 });
    for (const [key, role] of [['ops', 'operator'], ['c1', 'creator'], ['c2', 'creator']] as const) {
      await createUser(s.db.kysely, { role, email: `${key}@jd-links.cn`, password: 'password1', name: key, handle: role === 'creator' ? `jd_${key}` : null });
      t[key] = await s.login(`${key}@jd-links.cn`, 'password1');
    }
    sourceId = (await s.call('POST', '/api/sources', { token: t.ops, body: { kind: 'platform', name: '京东联盟', platform: 'jd' } })).body.id;
    await s.call('PUT', `/api/sources/${sourceId}/connection`, { token: t.ops, body: { ...credentials, base_url: jd.url, position_id: JD_SOURCE_POSITION } });
    expect((await s.call('POST', `/api/sources/${sourceId}/sync`, { token: t.ops })).body.imported).toBe(2);
    await s.call('POST', '/api/positions', { token: t.c1, body: { sub_id: JD_CREATOR_POSITION, source_id: sourceId } });
    const products = await s.db.kysely.selectFrom('products').select(['id', 'product_url']).where('source_id', '=', sourceId).orderBy('source_product_id').execute();
    for (const creator of ['c1', 'c2']) {
      for (const product of products) codes[creator]!.push((await s.call('POST', '/api/showcase/items', { token: t[creator], body: { product_id: product.id } })).body.link.code);
    }
  });
  afterAll(async () => {
    await s.close();
    await jd.close();
  });

  it('sends the shopper to the link JD made with this click’s id as subUnionId, under the creator’s position, else the source’s', async () => {
    const response = await follow(codes.c1![0]!);
    expect(response.status).toBe(302);
    const promotion = jd.promotions.at(-1)!;
    expect(response.headers.get('location')).toBe(promotion.url);
    expect(promotion.positionId).toBe(Number(JD_CREATOR_POSITION));
    const click = await s.db.kysely.selectFrom('clicks').select(['creator_id', 'product_id']).where('id', '=', promotion.subUnionId).executeTakeFirst();
    expect(click).toBeDefined();
    expect((await follow(codes.c2![0]!)).status).toBe(302);
    expect(jd.promotions.at(-1)!.positionId).toBe(Number(JD_SOURCE_POSITION));

    // The shopper buys through c1's link; JD's order rows give back its subUnionId and positionId.
    const modifiedMs = Date.now() + 120_000;
    jd.orders.push(jdOrderRowItem(0, { subUnionId: promotion.subUnionId, positionId: promotion.positionId, orderTime: beijingTime(modifiedMs - 60_000), modifyTime: beijingTime(modifiedMs) }));
    await pollSourceOrders(s.db.kysely, sourceId, { now: new Date(Date.now() + 10 * 60_000), minBackoffMs: 1 });
    const order = await s.db.kysely.selectFrom('orders').select(['creator_id', 'click_id', 'attribution']).where('source_id', '=', sourceId).executeTakeFirstOrThrow();
    expect(order).toEqual({ creator_id: click!.creator_id, click_id: promotion.subUnionId, attribution: 'click' });
  });

  it('sends the shopper to the product page, click id attached, when JD refuses the goods', async () => {
    const refusedUrl = String(jd.items[1]!.materialUrl);
    jd.items.splice(1, 1);
    const response = await follow(codes.c1![1]!);
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location')!);
    expect(location.href.replace(/^https:\/\//, '').startsWith(refusedUrl)).toBe(true);
    const click = await s.db.kysely.selectFrom('clicks').select('id').where('id', '=', location.searchParams.get('subUnionId')!).executeTakeFirst();
    expect(click).toBeDefined();
  });
});
