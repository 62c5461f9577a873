import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../db/testing.ts';
import { startTestServer, type TestServer } from '../../http/testing.ts';
import { createUser } from '../accounts/service.ts';
import { startFakeTaobaoChannels, type FakeTaobaoChannels } from '../sources/connectors/fake/taobao-channels.ts';
import { seedSource } from '../links/testing.ts';

const PHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148';
const credentials = { app_key: '23456789', app_secret: 'tb-channel-secret' };
const INVITER_CODE = 'K9ZP2M';
const ITEM_ID = '612345678901';
const COUPON_URL = 'https://uland.taobao.com/coupon/edetail?e=Qx4%2BTQ%3D%3D&traceId=213e';

describe.each(DIALECTS)('a creator registers as a Taobao channel (渠道备案) by authorising on Taobao, on %s', (dialect) => {
  let s: TestServer;
  let taobao: FakeTaobaoChannels;
  let sourceId = '';
  let otherSourceId = '';
  let account = '';
  const t: Record<string, string> = {};
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    s = await startTestServer(dialect);
    taobao = await startFakeTaobaoChannels({ appKey: credentials.app_key, appSecret: credentials.app_secret, inviterCode: INVITER_CODE, nextAccount: () => account });
    for (const [key, role] of [['ops', 'operator'], ['c1', 'creator'], ['c2', 'creator']] as const) {
      ids[key] = (await createUser(s.db.kysely, { role, email: `${key}@tb-channel.cn`, password: 'password1', name: key, handle: role === 'creator' ? `tbc_${key}` : null })).id;
      t[key] = await s.login(`${key}@tb-channel.cn`, 'password1');
    }
    sourceId = (await seedSource(s.db.kysely, { kind: 'platform', platform: 'taobao', name: '淘宝联盟' }, [{ id: ITEM_ID, url: COUPON_URL }])).sourceId;
    otherSourceId = (await seedSource(s.db.kysely, { kind: 'platform', platform: 'taobao', name: '淘宝联盟 二号' }, [{ id: '612345678902', url: COUPON_URL }])).sourceId;
  });
  afterAll(async () => {
    await s.close();
    await taobao.close();
  });

  /** Starts the registration as `creator`, follows Taobao's OAuth page, and the callback: where the console is sent. */
  async function register(creator: string, forSource = sourceId): Promise<URLSearchParams> {
    const started = await s.call('POST', '/api/positions/taobao-channel', { token: t[creator], body: { source_id: forSource } });
    expect(started.status).toBe(200);
    const authorize = new URL(started.body.authorize_url);
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${s.url}/api/positions/taobao-channel/callback`);
    const consented = await fetch(authorize, { redirect: 'manual' });
    expect(consented.status).toBe(302);
    // Back in the creator's browser, with their session.
    const callback = await fetch(consented.headers.get('location')!, { redirect: 'manual', headers: { authorization: `Bearer ${t[creator]}` } });
    expect(callback.status).toBe(303);
    const console = callback.headers.get('location')!;
    expect(console).toMatch(/^\/#\/links\?/);
    return new URLSearchParams(console.slice(console.indexOf('?') + 1));
  }

  it('needs the operator to set the source’s inviter code, for a Taobao source only', async () => {
    const before = await s.call('POST', '/api/positions/taobao-channel', { token: t.c1, body: { source_id: sourceId } });
    expect(before.status).toBe(400);
    expect(before.body.error.code).toBe('no_inviter_code');
    expect((await s.call('GET', '/api/positions', { token: t.c1 })).body.sources.find((x: { id: string }) => x.id === sourceId).channel_registration).toBe(false);

    const jd = await seedSource(s.db.kysely, { kind: 'platform', platform: 'jd', name: '京东联盟' }, [{ id: 'J1', url: 'https://item.jd.com/1.html' }]);
    const onJd = await s.call('PUT', `/api/sources/${jd.sourceId}/connection`, { token: t.ops, body: { ...credentials, inviter_code: INVITER_CODE } });
    expect(onJd.status).toBe(400);
    expect(onJd.body.error.code).toBe('invalid_inviter_code');
    expect((await s.call('POST', '/api/positions/taobao-channel', { token: t.c1, body: { source_id: jd.sourceId } })).body.error.code).toBe('not_a_taobao_source');

    const connected = await s.call('PUT', `/api/sources/${sourceId}/connection`, { token: t.ops, body: { ...credentials, base_url: taobao.url, position_id: '110580850157', inviter_code: INVITER_CODE } });
    expect(connected.status).toBe(200);
    expect(connected.body.inviter_code).toBe(INVITER_CODE);
    expect((await s.call('GET', '/api/positions', { token: t.c1 })).body.sources.find((x: { id: string }) => x.id === sourceId).channel_registration).toBe(true);
    expect((await s.call('POST', '/api/positions/taobao-channel', { token: t.ops, body: { source_id: sourceId } })).status).toBe(403);
  });

  it('records the relation id Taobao issued, and the creator’s links carry it from that moment', async () => {
    const item = await s.call('POST', '/api/showcase/items', { token: t.c1, body: { product_id: (await s.db.kysely.selectFrom('products').select('id').where('source_id', '=', sourceId).executeTakeFirstOrThrow()).id } });
    const relationOfLink = async () => {
      const followed = await fetch(`${s.url}/r/${item.body.link.code}`, { redirect: 'manual', headers: { 'user-agent': PHONE } });
      return new URL(followed.headers.get('location')!).searchParams.get('relationId');
    };
    expect(await relationOfLink()).toBeNull();
    // One typed in before, from Taobao's back office: the registered one replaces it on new links.
    expect((await s.call('POST', '/api/positions', { token: t.c1, body: { sub_id: '2712340001', source_id: sourceId, kind: 'relation' } })).status).toBe(201);
    expect(await relationOfLink()).toBe('2712340001');

    account = '小鱼的淘宝';
    const outcome = await register('c1');
    expect(Object.fromEntries(outcome)).toEqual({ taobao_channel: 'registered', relation_id: '2712345700' });
    expect(taobao.registrations).toEqual([{ account: '小鱼的淘宝', relationId: 2712345700, inviterCode: INVITER_CODE, note: 'vitrine tbc_c1' }]);
    const listed = await s.call('GET', '/api/positions', { token: t.c1 });
    expect(listed.body.items).toEqual([expect.objectContaining({ sub_id: '2712340001' }), expect.objectContaining({ sub_id: '2712345700', source_id: sourceId, kind: 'relation', label: '小鱼的淘宝' })]);
    expect(await relationOfLink()).toBe('2712345700');
    const audit = await s.db.kysely.selectFrom('audit_log').select(['actor_user_id', 'action']).where('action', '=', 'position.taobao_channel_registered').execute();
    expect(audit).toEqual([{ actor_user_id: ids.c1, action: 'position.taobao_channel_registered' }]);

    // Again (a second phone, a double tap): Taobao answers the same id, and nothing new is recorded.
    expect(Object.fromEntries(await register('c1'))).toEqual({ taobao_channel: 'already', relation_id: '2712345700' });
    expect((await s.call('GET', '/api/positions', { token: t.c1 })).body.items).toHaveLength(2);
  });

  it('refuses a Taobao account that is another creator’s channel already, a forged or stale state, and a declined authorisation, recording nothing', async () => {
    account = '小鱼的淘宝'; // c2 signs in with c1's Taobao account
    expect(Object.fromEntries(await register('c2'))).toEqual({ taobao_channel_error: 'sub_id_taken' });

    const started = await s.call('POST', '/api/positions/taobao-channel', { token: t.c2, body: { source_id: sourceId } });
    const state = new URL(started.body.authorize_url).searchParams.get('state')!;
    const callback = (query: Record<string, string>, session: string | null = t.c2!) =>
      fetch(`${s.url}/api/positions/taobao-channel/callback?${new URLSearchParams(query)}`, { redirect: 'manual', headers: session ? { authorization: `Bearer ${session}` } : {} });
    const [payload] = state.split('.');
    const forged = `${Buffer.from(JSON.stringify([ids.c1, sourceId, Date.now() + 60_000])).toString('base64url')}.${state.split('.')[1]}`;
    // c2's authorise link, completed in a browser signed in as someone else, or in none: c1 cannot
    // have c2's Taobao account registered as c1's channel by sending c2 through c1's link, nor the reverse.
    const consented = await fetch(started.body.authorize_url, { redirect: 'manual' });
    for (const session of [t.c1!, null]) {
      const answered = await fetch(consented.headers.get('location')!, { redirect: 'manual', headers: session ? { authorization: `Bearer ${session}` } : {} });
      expect(answered.headers.get('location')).toBe('/#/links?taobao_channel_error=authorization_other_session');
    }
    for (const [query, code] of [
      [{ state: forged, code: 'x' }, 'invalid_state'],
      [{ state: `${payload}.`, code: 'x' }, 'invalid_state'],
      [{ code: 'x' }, 'invalid_state'],
      [{ state, error: 'access_denied', error_description: 'authorize reject' }, 'authorization_declined'],
    ] as const) {
      const answered = await callback(query);
      expect(answered.status).toBe(303);
      expect(answered.headers.get('location')).toBe(`/#/links?taobao_channel_error=${code}`);
    }
    const unknownCode = await callback({ state, code: 'not-a-code' });
    expect(unknownCode.headers.get('location')).toMatch(/^\/#\/links\?taobao_channel_error=platform_error&taobao_channel_reason=.*isv.code-invalid/);
    taobao.refuse = true;
    expect(Object.fromEntries(await register('c2'))).toEqual({ taobao_channel_error: 'authorization_declined' });
    taobao.refuse = false;
    expect((await s.call('GET', '/api/positions', { token: t.c2 })).body.items).toEqual([]);

    // The operator changed the inviter code since: Taobao refuses, and the console is told why.
    expect((await s.call('PUT', `/api/sources/${otherSourceId}/connection`, { token: t.ops, body: { ...credentials, base_url: taobao.url, inviter_code: 'OLD123' } })).status).toBe(200);
    account = 'c2 的淘宝';
    expect(Object.fromEntries(await register('c2', otherSourceId))).toEqual({ taobao_channel_error: 'platform_error', taobao_channel_reason: expect.stringContaining('邀请码不存在或已失效') });
    expect((await s.call('GET', '/api/positions', { token: t.c2 })).body.items).toEqual([]);
  });
});
