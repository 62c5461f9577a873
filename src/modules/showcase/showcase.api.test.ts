import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../db/testing.ts';
import { startTestServer, type TestServer } from '../../http/testing.ts';
import { createUser } from '../accounts/service.ts';

const HEADER = 'id,title,price,commission_rate,category,brand,images,url\n';

describe.each(DIALECTS)('showcases over HTTP on %s', (dialect) => {
  let s: TestServer;
  const t: Record<string, string> = {};
  const src: Record<string, string> = {};
  const products: Record<string, string> = {};

  async function upload(token: string | undefined, sourceId: string | undefined, rows: string[], mode = 'full') {
    const r = await s.call('POST', `/api/sources/${sourceId}/imports?format=csv&mode=${mode}`, { token, body: HEADER + rows.join('\n') + '\n', headers: { 'content-type': 'application/octet-stream' } });
    expect(r.status).toBe(201);
    return r.body;
  }
  async function productOf(token: string | undefined, sourceId: string | undefined, sourceProductId: string): Promise<string> {
    const r = await s.call('GET', `/api/sources/${sourceId}/products`, { token });
    return r.body.items.find((i: { source_product_id: string }) => i.source_product_id === sourceProductId).id;
  }
  const add = (who: string, productId: string | undefined) => s.call('POST', '/api/showcase/items', { token: t[who], body: { product_id: productId } });
  const items = async (who: string) => (await s.call('GET', '/api/showcase/items', { token: t[who] })).body.items as any[];

  beforeAll(async () => {
    s = await startTestServer(dialect);
    for (const [key, role, handle] of [['ops', 'operator', null], ['m', 'merchant', null], ['c1', 'creator', 'c_one'], ['c2', 'creator', 'c_two']] as const) {
      await createUser(s.db.kysely, { role, email: `${key}@x.cn`, password: 'password1', name: key, handle });
      t[key] = await s.login(`${key}@x.cn`, 'password1');
    }
    src.jd = (await s.call('POST', '/api/sources', { token: t.ops, body: { kind: 'platform', name: '京东联盟', platform: 'jd' } })).body.id;
    src.shop = (await s.call('POST', '/api/sources', { token: t.m, body: { kind: 'merchant', name: '好物小店' } })).body.id;
    src.own1 = (await s.call('POST', '/api/sources', { token: t.c1, body: { kind: 'own_shop', name: 'c1 的小店' } })).body.id;
    await upload(t.ops, src.jd, ['J1,小米 充电宝 20000毫安,99.00,20%,数码>充电宝,小米,https://img.example/j1.jpg,https://item.example/J1', 'J2,华为 Mate60 Pro 手机壳,39.90,30%,数码>手机配件,华为,https://img.example/j2.jpg,https://item.example/J2', 'J3,兰蔻 精华 50ml,899.00,10%,美妆>精华,兰蔻,https://img.example/j3.jpg,https://item.example/J3'], 'incremental');
    await upload(t.m, src.shop, ['M1,三只松鼠 每日坚果 30袋,129.00,15%,食品>坚果,三只松鼠,https://img.example/m1.jpg,https://item.example/M1']);
    await upload(t.c1, src.own1, ['O1,手作 帆布包,89.00,25%,鞋包>帆布包,c1 手作,https://img.example/o1.jpg,https://item.example/O1']);
    for (const id of ['J1', 'J2', 'J3']) products[id] = await productOf(t.ops, src.jd, id);
    products.M1 = await productOf(t.m, src.shop, 'M1');
    products.O1 = await productOf(t.c1, src.own1, 'O1');
  });
  afterAll(async () => {
    await s.close();
  });

  it('adds a pool product with its tracked link, per the contract', async () => {
    const r = await add('c1', products.J1);
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ id: expect.stringMatching(/^itm_/), product_id: products.J1, via: 'pool', link: { code: expect.any(String), url: expect.stringMatching(/^\/r\/[A-Za-z0-9]+$/) } });
    expect(r.body.link.url).toBe(`/r/${r.body.link.code}`);
    expect((await add('c1', products.J1)).body.error.code).toBe('already_in_showcase');
  });

  it('takes products in by each of the four ways', async () => {
    expect((await add('c1', products.M1)).body.via).toBe('merchant');
    expect((await add('c1', products.O1)).body.via).toBe('own_shop');
    expect((await add('c2', products.O1)).status).toBe(404);
    const binding = await s.call('POST', '/api/showcase/bindings', { token: t.c2, body: { source_id: src.own1 } });
    expect(binding.body.status).toBe('pending');
    expect((await s.call('POST', `/api/bindings/${binding.body.id}/approve`, { token: t.m })).status).toBe(404);
    expect((await s.call('POST', `/api/bindings/${binding.body.id}/approve`, { token: t.c1 })).body.status).toBe('approved');
    expect((await add('c2', products.O1)).body.via).toBe('bound_store');
    const stores = await s.call('GET', '/api/stores', { token: t.c2 });
    expect(stores.body.items.find((st: { id: string }) => st.id === src.own1)).toMatchObject({ binding: 'approved', mine: false, products: 1 });
    expect((await s.call('GET', `/api/stores/${src.own1}/products`, { token: t.c2 })).body.items).toHaveLength(1);
  });

  it('lists the showcase in order, reorders, pins and edits recommendations', async () => {
    let list = await items('c1');
    expect(list.map((i) => i.product_id)).toEqual([products.J1, products.M1, products.O1]);
    const reversed = [...list].reverse().map((i) => i.id);
    list = (await s.call('PUT', '/api/showcase/order', { token: t.c1, body: { item_ids: reversed } })).body.items;
    expect(list.map((i) => i.id)).toEqual(reversed);
    const last = list[2];
    await s.call('PATCH', `/api/showcase/items/${last.id}`, { token: t.c1, body: { pinned: true, recommendation: '  续航超长，出差必备 ' } });
    list = await items('c1');
    expect(list[0]).toMatchObject({ id: last.id, pinned: true, recommendation: '续航超长，出差必备' });
    expect((await s.call('PUT', '/api/showcase/order', { token: t.c1, body: { item_ids: reversed.slice(1) } })).body.error.code).toBe('order_mismatch');
    expect((await s.call('PATCH', `/api/showcase/items/${last.id}`, { token: t.c1, body: { recommendation: 'x'.repeat(121) } })).status).toBe(400);
  });

  it('flags products that changed or went offline since they were added', async () => {
    await upload(t.ops, src.jd, ['J1,小米 充电宝 20000毫安,89.00,25%,数码>充电宝,小米,https://img.example/j1.jpg,https://item.example/J1'], 'incremental');
    await upload(t.m, src.shop, ['M9,别的商品,10.00,10%,食品,无,https://img.example/m9.jpg,https://item.example/M9']);
    const list = await items('c1');
    const j1 = list.find((i) => i.product_id === products.J1);
    expect(j1.changes).toEqual({ offline: false, price_changed: true, rate_changed: true });
    expect(j1.added).toEqual({ final_price: 9900, commission_rate_bps: 2000 });
    expect(list.find((i) => i.product_id === products.M1).changes.offline).toBe(true);
    const acked = await s.call('PATCH', `/api/showcase/items/${j1.id}`, { token: t.c1, body: { acknowledge_changes: true } });
    expect(acked.body.changes).toEqual({ offline: false, price_changed: false, rate_changed: false });
    expect((await add('c2', products.M1)).body.error.code).toBe('product_offline');
  });

  it("never lets one creator touch another's showcase", async () => {
    const mine = await items('c1');
    const id = mine[0].id;
    expect((await s.call('PATCH', `/api/showcase/items/${id}`, { token: t.c2, body: { pinned: false } })).status).toBe(404);
    expect((await s.call('DELETE', `/api/showcase/items/${id}`, { token: t.c2 })).status).toBe(404);
    expect(JSON.stringify(await items('c2'))).not.toContain(id);
    expect((await s.call('GET', '/api/showcase/items', { token: t.m })).status).toBe(403);
  });

  it('removes an item while its shared link keeps redirecting', async () => {
    const [item] = await items('c1');
    expect((await s.call('DELETE', `/api/showcase/items/${item.id}`, { token: t.c1 })).status).toBe(204);
    expect((await items('c1')).map((i) => i.id)).not.toContain(item.id);
    const r = await fetch(`${s.url}/r/${item.link.code}`, { redirect: 'manual' });
    expect(r.status).toBe(302);
    expect(r.headers.get('location')).toMatch(/^https:\/\/item\.example\/J1\?subUnionId=clk_/);
  });
});
