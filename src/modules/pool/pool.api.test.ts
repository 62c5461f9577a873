import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../db/testing.ts';
import { startTestServer, type TestServer } from '../../http/testing.ts';
import { createUser } from '../accounts/service.ts';

const HEADER = 'id,title,price,commission_rate,category,brand,images,coupon_amount,coupon_threshold,sales_30d,shop_name,shop_score\n';

function csv(rows: string[]): string {
  return HEADER + rows.join('\n') + '\n';
}

describe.each(DIALECTS)('the pool over HTTP on %s', (dialect) => {
  let s: TestServer;
  const t: Record<string, string> = {};
  let merchantSource = '';
  let otherSource = '';
  let jdSource = '';
  let pddSource = '';

  async function upload(token: string | undefined, sourceId: string, body: string, query = 'format=csv') {
    return s.call('POST', `/api/sources/${sourceId}/imports?${query}`, { token, body, headers: { 'content-type': 'application/octet-stream' } });
  }

  beforeAll(async () => {
    s = await startTestServer(dialect);
    for (const [key, role] of [['ops', 'operator'], ['m1', 'merchant'], ['m2', 'merchant'], ['creator', 'creator']] as const) {
      await createUser(s.db.kysely, { role, email: `${key}@x.cn`, password: 'password1', name: key, handle: role === 'creator' ? 'pool_creator' : null });
      t[key] = await s.login(`${key}@x.cn`, 'password1');
    }
    merchantSource = (await s.call('POST', '/api/sources', { token: t.m1, body: { kind: 'merchant', name: '好物小店', platform: 'youzan' } })).body.id;
    otherSource = (await s.call('POST', '/api/sources', { token: t.m2, body: { kind: 'merchant', name: '别家小店' } })).body.id;
    jdSource = (await s.call('POST', '/api/sources', { token: t.ops, body: { kind: 'platform', name: '京东联盟', platform: 'jd' } })).body.id;
    pddSource = (await s.call('POST', '/api/sources', { token: t.ops, body: { kind: 'platform', name: '拼多多', platform: 'pdd' } })).body.id;
  });
  afterAll(async () => {
    await s.close();
  });

  it('imports an uploaded feed, reporting each bad row and keeping the good ones', async () => {
    const r = await upload(
      t.m1,
      merchantSource,
      csv([
        'A1,罗马仕 充电宝 20000毫安 快充,99.00,20%,数码>充电宝,罗马仕,https://img.example/a1.jpg,10,50,1500,罗马仕旗舰店,4.8',
        'A2,小米 充电宝 10000mAh 轻薄,59.90,10%,数码>充电宝,小米,https://img.example/a2.jpg,,,800,小米之家,4.9',
        'A3,兰蔻 小黑瓶 精华 50ml,1.13,15%,美妆>精华,兰蔻,https://img.example/a3.jpg,,,12000,兰蔻官方,4.9',
        'A4,坏掉的商品,-5,10%,数码,无,https://img.example/a4.jpg,,,0,x,4',
      ]),
    );
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ imported: 3, updated: 0, offline: 0 });
    expect(r.body.rejected).toHaveLength(1);
    expect(r.body.rejected[0]).toMatchObject({ row: 4, reason: expect.stringMatching(/price/) });
  });

  it('finds the imported products in the pool at once, with source and commission in plain sight', async () => {
    const r = await s.call('GET', `/api/pool/search?q=${encodeURIComponent('充电宝')}`, { token: t.creator });
    expect(r.status).toBe(200);
    expect(r.body.total).toBe(2);
    const first = r.body.items.find((i: { title: string }) => i.title.startsWith('罗马仕'));
    expect(first).toMatchObject({
      price: 9900,
      final_price: 8900,
      currency: 'CNY',
      commission_rate_bps: 2000,
      commission_amount: 1780,
      source: { id: merchantSource, name: '好物小店', platform: 'youzan' },
      image: 'https://img.example/a1.jpg',
      status: 'online',
      coupon: { amount: 1000, threshold: 5000 },
    });
    expect(first.id).toMatch(/^prd_/);
    expect(r.body.facets.platform).toEqual({ youzan: 2 });
  });

  it('sorts by commission amount, the creators’ favourite, and pages by cursor', async () => {
    const page1 = await s.call('GET', '/api/pool/search?sort=commission&limit=2', { token: t.creator });
    expect(page1.body.items.map((i: { commission_amount: number }) => i.commission_amount)).toEqual([1780, 599]);
    const page2 = await s.call('GET', `/api/pool/search?sort=commission&limit=2&cursor=${page1.body.next_cursor}`, { token: t.creator });
    expect(page2.body.items.map((i: { commission_amount: number }) => i.commission_amount)).toEqual([17]);
    expect(page2.body.next_cursor).toBeNull();
    expect((await s.call('GET', '/api/pool/search?cursor=garbage', { token: t.creator })).body.error.code).toBe('invalid_cursor');
  });

  it('filters by price, rate, coupon and platform', async () => {
    const ids = async (query: string) => (await s.call('GET', `/api/pool/search?${query}`, { token: t.creator })).body.items.map((i: { title: string }) => i.title.slice(0, 3));
    expect(await ids('price_min=5000&price_max=8000')).toEqual(['小米 ']);
    expect(await ids('rate_min=1500&sort=rate')).toEqual(['罗马仕', '兰蔻 ']);
    expect(await ids('has_coupon=true')).toEqual(['罗马仕']);
    expect(await ids('platform=jd')).toEqual([]);
    expect((await s.call('GET', '/api/pool/search?limit=101', { token: t.creator })).status).toBe(400);
  });

  it('shows one card for the same product on several sources, with the other offers beside it', async () => {
    await upload(t.ops, jdSource, csv(['J1,Apple iPhone 15 Pro 256GB 黑色,7999.00,3%,数码>手机,Apple,https://img.example/j1.jpg,,,5000,京东自营,4.9']), 'format=csv&mode=incremental');
    await upload(t.ops, pddSource, csv(['P1,【官方正品】Apple iPhone 15 Pro 256GB 黑色 包邮,7699.00,2%,数码>手机,Apple,https://img.example/p1.jpg,,,9000,拼多多百亿补贴,4.7']), 'format=csv&mode=incremental');
    const r = await s.call('GET', `/api/pool/search?q=${encodeURIComponent('iphone 15')}`, { token: t.creator });
    expect(r.body.total).toBe(1);
    const [card] = r.body.items;
    expect(card).toMatchObject({ source: { platform: 'jd' }, commission_amount: 23997 });
    expect(card.also_on).toEqual([expect.objectContaining({ source: expect.objectContaining({ platform: 'pdd' }), final_price: 769900, commission_rate_bps: 200, commission_amount: 15398 })]);
  });

  it('takes products a full sync no longer lists offline, out of the pool', async () => {
    const r = await upload(t.m1, merchantSource, csv(['A1,罗马仕 充电宝 20000毫安 快充,99.00,20%,数码>充电宝,罗马仕,https://img.example/a1.jpg,10,50,1500,罗马仕旗舰店,4.8']));
    expect(r.body).toMatchObject({ imported: 0, updated: 1, offline: 2 });
    const search = await s.call('GET', `/api/pool/search?q=${encodeURIComponent('充电宝')}`, { token: t.creator });
    expect(search.body.items.map((i: { title: string }) => i.title)).toEqual(['罗马仕 充电宝 20000毫安 快充']);
    const offline = await s.call('GET', `/api/sources/${merchantSource}/products?status=offline`, { token: t.m1 });
    expect(offline.body.items.map((i: { source_product_id: string }) => i.source_product_id).sort()).toEqual(['A2', 'A3']);
  });

  it('keeps the import history with rejected rows, for the source owner and the operator only', async () => {
    const history = await s.call('GET', `/api/sources/${merchantSource}/imports`, { token: t.m1 });
    expect(history.body.items).toHaveLength(2);
    const first = history.body.items[1];
    expect(first).toMatchObject({ format: 'csv', mode: 'full', status: 'completed', imported: 3, rejected: 1 });
    const rejections = await s.call('GET', `/api/imports/${first.id}/rejections`, { token: t.ops });
    expect(rejections.body.items[0].row).toBe(4);
    expect((await s.call('GET', `/api/imports/${first.id}/rejections`, { token: t.m2 })).status).toBe(404);
    expect((await s.call('GET', `/api/sources/${merchantSource}/imports`, { token: t.m2 })).status).toBe(404);
    expect((await upload(t.m2, merchantSource, csv([]))).status).toBe(404);
    expect((await s.call('GET', `/api/sources/${otherSource}/products`, { token: t.m1 })).status).toBe(404);
  });

  it('refuses a file it cannot read, importing nothing', async () => {
    const r = await upload(t.m1, merchantSource, 'name,cost\nx,1\n');
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('malformed_file');
    const bad = await upload(t.m1, merchantSource, csv([]), 'format=excel');
    expect(bad.body.error.code).toBe('invalid_format');
    const platformFormat = await upload(t.m1, merchantSource, '{}', 'format=jd-goods-query');
    expect(platformFormat.body.error.code).toBe('invalid_format');
    const history = await s.call('GET', `/api/sources/${merchantSource}/imports`, { token: t.m1 });
    expect(history.body.items[0]).toMatchObject({ status: 'failed' });
    expect((await s.call('GET', `/api/sources/${merchantSource}/products?status=online`, { token: t.m1 })).body.items).toHaveLength(1);
  });
});
