import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../db/testing.ts';
import { startTestServer, type TestServer } from '../../http/testing.ts';
import { pollSourceOrders } from '../../jobs/orders.ts';
import { createUser } from '../accounts/service.ts';
import { orderUpdatedAtMs } from '../sources/connectors/fake/orders.ts';
import { startFakeTaobaoOrders, taobaoOrderDto } from '../sources/connectors/fake/taobao-orders.ts';
import type { FakeGateway } from '../sources/connectors/fake/server.ts';
import { connectSource } from '../sources/connections.ts';
import { findSource } from '../sources/service.ts';
import { seedSource } from './testing.ts';

const PHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148';
const credentials = { appKey: 'tb-app-key', appSecret: 'tb-app-secret' };
/** The 渠道关系 id Taobao issued to creator c1, and the item the fake's first order is for. */
const RELATION_ID = '2712345678';
const ITEM_ID = '612345678901';
/** A 推广链接 as the material API gives it (coupon_share_url), made for the source's adzone. */
const COUPON_URL = `https://uland.taobao.com/coupon/edetail?e=Qx4%2BTQ%3D%3D&traceId=213e&relationId=1&union_lens=lensId%3AOPT`;

describe.each(DIALECTS)('Taobao links that carry the creator’s relation id on %s', (dialect) => {
  let s: TestServer;
  let taobao: FakeGateway;
  let sourceId = '';
  const t: Record<string, string> = {};
  const ids: Record<string, string> = {};
  const codes: Record<string, string> = {};

  beforeAll(async () => {
    s = await startTestServer(dialect);
    for (const [key, role] of [['c1', 'creator'], ['c2', 'creator']] as const) {
      ids[key] = (await createUser(s.db.kysely, { role, email: `${key}@tb-links.cn`, password: 'password1', name: key, handle: `tb_${key}` })).id;
      t[key] = await s.login(`${key}@tb-links.cn`, 'password1');
    }
    const seeded = await seedSource(s.db.kysely, { kind: 'platform', platform: 'taobao', name: '淘宝联盟' }, [{ id: ITEM_ID, url: COUPON_URL }]);
    sourceId = seeded.sourceId;
    const recorded = await s.call('POST', '/api/positions', { token: t.c1, body: { sub_id: RELATION_ID, source_id: sourceId, kind: 'relation', label: '抖音渠道' } });
    expect(recorded.status).toBe(201);
    expect(recorded.body).toMatchObject({ sub_id: RELATION_ID, source_id: sourceId, kind: 'relation' });
    for (const creator of ['c1', 'c2']) {
      const item = await s.call('POST', '/api/showcase/items', { token: t[creator], body: { product_id: seeded.productIds[ITEM_ID] } });
      expect(item.status).toBe(201);
      codes[creator] = item.body.link.code;
    }
    // The second order came through the source's own adzone, with no channel: nobody's.
    taobao = await startFakeTaobaoOrders({ ...credentials, orders: [taobaoOrderDto(0, { relation_id: Number(RELATION_ID), item_id: ITEM_ID }), taobaoOrderDto(1, { item_id: ITEM_ID })] });
  });
  afterAll(async () => {
    await s.close();
    await taobao.close();
  });

  it('lists a relation id with its kind, and refuses one that is not Taobao’s or not a number', async () => {
    const listed = await s.call('GET', '/api/positions', { token: t.c1 });
    expect(listed.body.items).toEqual([expect.objectContaining({ sub_id: RELATION_ID, kind: 'relation', label: '抖音渠道' })]);
    const jd = await seedSource(s.db.kysely, { kind: 'platform', platform: 'jd', name: '京东联盟' }, [{ id: 'J1', url: 'https://item.jd.com/1.html' }]);
    const refusals = [
      [{ sub_id: '27123x', source_id: sourceId, kind: 'relation' }, 'invalid_relation_id'],
      [{ sub_id: '2712345679', source_id: jd.sourceId, kind: 'relation' }, 'invalid_position_kind'],
      [{ sub_id: '2712345679', kind: 'relation' }, 'invalid_position_kind'],
    ] as const;
    for (const [body, code] of refusals) {
      const refused = await s.call('POST', '/api/positions', { token: t.c2, body });
      expect(refused.status).toBe(400);
      expect(refused.body.error.code).toBe(code);
    }
    const unknownKind = await s.call('POST', '/api/positions', { token: t.c2, body: { sub_id: '2712345679', source_id: sourceId, kind: 'channel' } });
    expect(unknownKind.status).toBe(400);
    expect(JSON.stringify(unknownKind.body.error)).toContain('kind must be one of position, relation');
    expect((await s.call('GET', '/api/positions', { token: t.c2 })).body.items).toEqual([]);
  });

  it('sends the creator’s shoppers to the 推广链接 with their relationId (any other dropped) and the click id, and another creator’s without', async () => {
    const mine = await fetch(`${s.url}/r/${codes.c1}`, { redirect: 'manual', headers: { 'user-agent': PHONE } });
    expect(mine.status).toBe(302);
    const location = new URL(mine.headers.get('location')!);
    expect(location.origin + location.pathname).toBe('https://uland.taobao.com/coupon/edetail');
    expect(location.searchParams.getAll('relationId')).toEqual([RELATION_ID]);
    expect(location.searchParams.get('e')).toBe('Qx4+TQ==');
    expect(mine.headers.get('location')).toContain('e=Qx4%2BTQ%3D%3D&traceId=213e&union_lens=lensId%3AOPT&relationId=2712345678&external_id=clk_');
    const clickId = location.searchParams.get('external_id')!;
    expect(await s.db.kysely.selectFrom('clicks').select('creator_id').where('id', '=', clickId).executeTakeFirst()).toEqual({ creator_id: ids.c1 });

    const theirs = await fetch(`${s.url}/r/${codes.c2}`, { redirect: 'manual', headers: { 'user-agent': PHONE } });
    expect(theirs.status).toBe(302);
    expect(new URL(theirs.headers.get('location')!).searchParams.getAll('relationId')).toEqual(['1']); // the product's URL as it is
  });

  it('carries a relation id from the moment it is recorded, and no longer once it is removed, though the link was followed before', async () => {
    const relationOf = async () => {
      const followed = await fetch(`${s.url}/r/${codes.c2}`, { redirect: 'manual', headers: { 'user-agent': PHONE } });
      expect(followed.status).toBe(302);
      return new URL(followed.headers.get('location')!).searchParams.getAll('relationId');
    };
    expect(await relationOf()).toEqual(['1']); // the link is in the server's cache now
    const recorded = await s.call('POST', '/api/positions', { token: t.c2, body: { sub_id: '2712345699', source_id: sourceId, kind: 'relation' } });
    expect(recorded.status).toBe(201);
    expect(await relationOf()).toEqual(['2712345699']);
    expect((await s.call('DELETE', '/api/positions/2712345699', { token: t.c2 })).status).toBe(204);
    expect(await relationOf()).toEqual(['1']);
  });

  it('credits the order Taobao reports under that relation id to the creator, and leaves the source adzone’s order unattributed', async () => {
    await connectSource(s.db.kysely, await findSource(s.db.kysely, sourceId), { ...credentials, baseUrl: taobao.url, positionId: null, keywords: [], syncEveryMinutes: 60 }, null);
    await pollSourceOrders(s.db.kysely, sourceId, { now: new Date(orderUpdatedAtMs(2) + 3_600_000), minBackoffMs: 1 });
    const orders = await s.db.kysely.selectFrom('orders').select(['sub_id', 'creator_id', 'attribution']).where('source_id', '=', sourceId).orderBy('ordered_at').execute();
    expect(orders).toEqual([
      { sub_id: RELATION_ID, creator_id: ids.c1, attribution: 'sub_id' },
      { sub_id: '111112234455', creator_id: null, attribution: 'unattributed' },
    ]);
    const commissions = await s.db.kysely.selectFrom('commissions').select(['creator_id', 'commission_minor']).where('source_id', '=', sourceId).execute();
    expect(commissions).toEqual([{ creator_id: ids.c1, commission_minor: expect.any(Number) }]);
    expect(commissions[0]!.commission_minor).toBeGreaterThan(0);
  });
});
