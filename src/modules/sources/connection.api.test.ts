import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../db/testing.ts';
import { startTestServer, type TestServer } from '../../http/testing.ts';
import { createUser } from '../accounts/service.ts';
import { startFakePdd, type FakePddRouter } from './connectors/fake/pdd.ts';

const KEY = 'pdd-client-id';
const SECRET = 'pdd-client-secret';

describe.each(DIALECTS)('a platform source’s API connection over HTTP on %s', (dialect) => {
  let s: TestServer;
  let pdd: FakePddRouter;
  const t: Record<string, string> = {};
  const ids: Record<string, string> = {};
  const connection = (id: string, token = t.ops) => s.call('GET', `/api/sources/${id}/connection`, { token });
  const connect = (id: string, body: Record<string, unknown>) => s.call('PUT', `/api/sources/${id}/connection`, { token: t.ops, body });

  beforeAll(async () => {
    s = await startTestServer(dialect);
    pdd = await startFakePdd({ appKey: KEY, appSecret: SECRET, items: 4 });
    for (const [key, role] of [['ops', 'operator'], ['shop', 'merchant'], ['creator', 'creator']] as const) {
      await createUser(s.db.kysely, { role, email: `${key}@connection.cn`, password: 'password1', name: key, handle: role === 'creator' ? 'connection_creator' : null });
      t[key] = await s.login(`${key}@connection.cn`, 'password1');
    }
    ids.pdd = (await s.call('POST', '/api/sources', { token: t.ops, body: { kind: 'platform', name: '拼多多', platform: 'pdd' } })).body.id;
    ids.shop = (await s.call('POST', '/api/sources', { token: t.shop, body: { kind: 'merchant', name: '小店', platform: 'youzan' } })).body.id;
  });
  afterAll(async () => {
    await s.close();
    await pdd.close();
  });

  it('is 404 until connected, needs the secret the first time, and never shows it', async () => {
    expect((await connection(ids.pdd!)).status).toBe(404);
    const withoutSecret = await connect(ids.pdd!, { app_key: KEY, base_url: pdd.url });
    expect(withoutSecret.status).toBe(400);
    expect(withoutSecret.body.error.code).toBe('credentials_required');
    const connected = await connect(ids.pdd!, { app_key: KEY, app_secret: SECRET, base_url: pdd.url, position_id: '1000001_2000001', keywords: ['四件套'] });
    expect(connected.status).toBe(200);
    expect(connected.body).toMatchObject({ app_key: KEY, base_url: pdd.url, position_id: '1000001_2000001', keywords: ['四件套'], sync_every_minutes: 60, last_sync_at: null });
    const read = await connection(ids.pdd!);
    expect(read.body).toEqual(connected.body);
    expect(JSON.stringify(read.body)).not.toContain(SECRET);
  });

  it('keeps the stored secret when a change leaves it out, so syncs still sign', async () => {
    const changed = await connect(ids.pdd!, { app_key: KEY, base_url: pdd.url, position_id: '1000001_2000001', keywords: [], sync_every_minutes: 30 });
    expect(changed.body).toMatchObject({ keywords: [], sync_every_minutes: 30 });
    const synced = await s.call('POST', `/api/sources/${ids.pdd}/sync`, { token: t.ops });
    expect(synced.status).toBe(200);
    expect(synced.body.imported).toBe(4);
    expect((await connection(ids.pdd!)).body).toMatchObject({ last_sync_at: expect.any(String), last_sync_error: null });
  });

  it('records a refused sync on the connection for the operator to see', async () => {
    await connect(ids.pdd!, { app_key: KEY, app_secret: 'wrong-secret', base_url: pdd.url });
    const refused = await s.call('POST', `/api/sources/${ids.pdd}/sync`, { token: t.ops });
    expect(refused.status).toBe(502);
    expect((await connection(ids.pdd!)).body.last_sync_error).toContain('20004');
  });

  it('is the operator’s alone, and only for platform sources with a connector', async () => {
    expect((await connection(ids.pdd!, t.creator)).status).toBe(403);
    expect((await connection(ids.shop!, t.shop)).status).toBe(403);
    const merchantSource = await connect(ids.shop!, { app_key: KEY, app_secret: SECRET });
    expect(merchantSource.status).toBe(400);
    expect(merchantSource.body.error.code).toBe('no_connector');
  });
});
