import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, holdTransaction } from '../db/testing.ts';
import { seedSource } from '../modules/links/testing.ts';
import { startTestServer, type TestServer } from './testing.ts';

describe.each(DIALECTS)('the HTTP surface on %s', (dialect) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(dialect, { bodyLimitBytes: 10_000, loginAttemptsPerMinute: 5 }, (app) => {
      app.get('/api/test/explode', { config: { public: true } }, async () => {
        throw new Error('secret internal detail');
      });
    });
  });
  afterAll(async () => {
    await server.close();
  });

  it('answers /healthz once it can serve', async () => {
    expect(await server.call('GET', '/healthz')).toMatchObject({ status: 200, body: { ok: true } });
  });

  it('answers malformed JSON with 400 in the contract shape', async () => {
    const r = await server.call('POST', '/api/auth/login', { body: '{"email": ' });
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ error: { code: 'malformed_json', message: expect.any(String) } });
  });

  it('answers a body that breaks the schema with 400 invalid_input', async () => {
    const r = await server.call('POST', '/api/auth/login', { body: { email: 42 } });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('invalid_input');
  });

  it('answers an unknown API route with 404', async () => {
    const r = await server.call('GET', '/api/no/such/thing');
    expect(r).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
  });

  it('answers a too-large body with 413', async () => {
    const r = await server.call('POST', '/api/auth/login', { body: { email: 'x'.repeat(20_000), password: 'p' } });
    expect(r).toMatchObject({ status: 413, body: { error: { code: 'payload_too_large' } } });
  });

  it('answers an unexpected exception with 500 and a request id, without the details', async () => {
    const r = await server.call('GET', '/api/test/explode');
    expect(r.status).toBe(500);
    expect(r.body.error.code).toBe('internal_error');
    expect(r.body.error.request_id).toMatch(/^req_/);
    expect(r.headers.get('x-request-id')).toBe(r.body.error.request_id);
    expect(JSON.stringify(r.body)).not.toContain('secret internal detail');
  });

  it('publishes the OpenAPI document with every API route', async () => {
    const r = await server.call('GET', '/api/openapi.json');
    expect(r.status).toBe(200);
    expect(r.body.openapi).toMatch(/^3\./);
    for (const path of ['/api/auth/login', '/api/me', '/api/org/invitations', '/api/me/invitations/{id}/accept', '/api/sources']) {
      expect(Object.keys(r.body.paths)).toContain(path);
    }
    expect(r.body.paths['/api/auth/login'].post.requestBody).toBeDefined();
    expect((await server.call('GET', '/api/docs/')).status).toBe(200);
  });

  it('exposes Prometheus metrics counting the requests served', async () => {
    await server.call('GET', '/healthz');
    const r = await server.call('GET', '/metrics');
    expect(r.status).toBe(200);
    expect(r.body).toMatch(/vitrine_http_requests_total\{method="GET",route="\/healthz",status="200"\} \d+/);
    expect(r.body).toContain('process_cpu_user_seconds_total');
  });

  it('answers signed-in reads while another transaction holds the database (an order delivery, say), from the last commit', async () => {
    const { token } = (await server.call('POST', '/api/auth/signup', { body: { role: 'creator', email: 'reader@x.cn', password: 'password1', name: '读者', handle: 'reader' } })).body;
    const release = await holdTransaction(server.db.kysely, (tx) => tx.updateTable('users').set({ name: '改名中' }).where('email', '=', 'reader@x.cn').execute());
    const waited = (ms: number) => new Promise<'waited'>((resolve) => setTimeout(() => resolve('waited'), ms));
    try {
      // Before the change these waited for the transaction: a read on its connection queues behind it.
      const me = await Promise.race([server.call('GET', '/api/me', { token }), waited(5_000)]);
      expect(me).not.toBe('waited');
      expect(me).toMatchObject({ status: 200, body: { user: { name: '读者' } } });
      for (const path of ['/api/earnings/summary', '/api/orders', '/api/earnings/daily']) {
        expect(await Promise.race([server.call('GET', path, { token }).then((r) => r.status), waited(5_000)])).toBe(200);
      }
    } finally {
      await release();
    }
    expect((await server.call('GET', '/api/me', { token })).body.user.name).toBe('改名中');
  });

  it('signs up a creator and an organisation, each straight into a session', async () => {
    const creator = await server.call('POST', '/api/auth/signup', { body: { role: 'creator', email: 'new@x.cn', password: 'password1', name: '新人', handle: 'newbie' } });
    expect(creator.status).toBe(201);
    expect(creator.headers.get('set-cookie')).toMatch(/vt_session=.*HttpOnly.*SameSite=Lax/i);
    const me = await server.call('GET', '/api/me', { token: creator.body.token });
    expect(me.body).toMatchObject({ user: { role: 'creator', handle: 'newbie' }, organisation: null });

    const org = await server.call('POST', '/api/auth/signup', { body: { role: 'org', email: 'mcn@x.cn', password: 'password1', name: '周', organisation_name: '新星机构' } });
    expect(org.status).toBe(201);
    expect((await server.call('GET', '/api/me', { token: org.body.token })).body.organisation.name).toBe('新星机构');

    const noName = await server.call('POST', '/api/auth/signup', { body: { role: 'org', email: 'mcn2@x.cn', password: 'password1', name: '周' } });
    expect(noName).toMatchObject({ status: 400, body: { error: { code: 'organisation_name_required' } } });
    expect((await server.call('POST', '/api/auth/login', { body: { email: 'mcn2@x.cn', password: 'password1' } })).status).toBe(401);
    const operator = await server.call('POST', '/api/auth/signup', { body: { role: 'operator', email: 'op@x.cn', password: 'password1', name: 'x' } });
    expect(operator.status).toBe(400);
  });

  it('accepts the session cookie as well as the bearer token, and logout revokes both', async () => {
    const token = await server.login('new@x.cn', 'password1');
    const viaCookie = await server.call('GET', '/api/me', { headers: { cookie: `vt_session=${token}` } });
    expect(viaCookie.status).toBe(200);
    expect((await server.call('POST', '/api/auth/logout', { token })).status).toBe(204);
    expect((await server.call('GET', '/api/me', { token })).status).toBe(401);
    expect((await server.call('GET', '/api/me', { headers: { cookie: `vt_session=${token}` } })).status).toBe(401);
  });

  it('rate-limits login attempts with 429 in the contract shape', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      statuses.push((await server.call('POST', '/api/auth/login', { body: { email: 'new@x.cn', password: 'wrong-password' } })).status);
    }
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(5);
    const last = await server.call('POST', '/api/auth/login', { body: { email: 'new@x.cn', password: 'password1' } });
    expect(last).toMatchObject({ status: 429, body: { error: { code: 'rate_limited' } } });
  });
});

// Its own server: the one above counts its sign-ins against a per-minute limit of five.
describe.each(DIALECTS)('signing up as a colonel on %s', (dialect) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(dialect);
  });
  afterAll(async () => {
    await server.close();
  });

  it('signs up a colonel (a person, no organisation, no handle) who signs in and proposes an activity', async () => {
    const signup = await server.call('POST', '/api/auth/signup', { body: { role: 'colonel', email: 'tuan@x.cn', password: 'password1', name: '李团长' } });
    expect(signup.status).toBe(201);
    expect(signup.body.user).toMatchObject({ role: 'colonel', name: '李团长', handle: null });
    const token = await server.login('tuan@x.cn', 'password1');
    expect((await server.call('GET', '/api/me', { token })).body).toMatchObject({ user: { role: 'colonel' }, organisation: null });

    const shop = await seedSource(server.db.kysely, { kind: 'platform', platform: 'jd' }, [{ id: 'T1', url: null }, { id: 'T2', url: null }]);
    const proposed = await server.call('POST', '/api/colonel/activities', { token, body: { name: '年货节', rate_bps: 2000, share_bps: 1500, product_ids: [shop.productIds.T1, shop.productIds.T2] } });
    expect(proposed).toMatchObject({ status: 201, body: { status: 'proposed', name: '年货节' } });
    const mine = await server.call('GET', '/api/colonel/activities', { token });
    expect(mine.body.items).toEqual([expect.objectContaining({ id: proposed.body.id, colonel_name: '李团长', may_decide: false })]);
  });
});
