import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { platformDayOf } from '../core/time.ts';
import { DIALECTS } from '../db/testing.ts';
import { startTestServer, type TestServer } from './testing.ts';

/**
 * Every endpoint tried by the wrong user: no session gets 401, the wrong role 403, and another
 * party's resource 404 — never 500 and never someone else's data.
 */
// The order webhook is authenticated by its Standard Webhooks signature, not by a session.
// The Taobao channel callback is where Taobao's OAuth page sends the browser: who is registering is in its signed state.
const PUBLIC_ROUTES = new Set(['POST /api/auth/login', 'POST /api/auth/signup', 'POST /api/webhooks/sources/{sourceId}/orders', 'GET /api/positions/taobao-channel/callback']);
const today = platformDayOf(new Date().toISOString());

describe.each(DIALECTS)('authorization on %s', (dialect) => {
  let s: TestServer;
  const t: Record<string, string> = {};
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    s = await startTestServer(dialect);
    const signup = async (key: string, body: Record<string, string>) => {
      const r = await s.call('POST', '/api/auth/signup', { body: { email: `${key}@x.cn`, password: 'password1', name: key, ...body } });
      t[key] = r.body.token;
      ids[key] = r.body.user.id;
    };
    await signup('orgA', { role: 'org', organisation_name: 'A' });
    await signup('orgB', { role: 'org', organisation_name: 'B' });
    await signup('c1', { role: 'creator', handle: 'c_one' });
    await signup('c2', { role: 'creator', handle: 'c_two' });
    await signup('c3', { role: 'creator', handle: 'c_three' });
    const { createUser } = await import('../modules/accounts/service.ts');
    for (const key of ['ops', 'm1', 'm2']) {
      const u = await createUser(s.db.kysely, { role: key === 'ops' ? 'operator' : 'merchant', email: `${key}@x.cn`, password: 'password1', name: key });
      ids[key] = u.id;
      t[key] = await s.login(`${key}@x.cn`, 'password1');
    }
    const invite = async (org: string, handle: string) => (await s.call('POST', '/api/org/invitations', { token: t[org], body: { handle, share_bps: 1000, starts_on: today } })).body.id as string;
    ids.invA1 = await invite('orgA', 'c_one');
    ids.invB2 = await invite('orgB', 'c_two');
    ids.invA3 = await invite('orgA', 'c_three');
    ids.memA1 = (await s.call('POST', `/api/me/invitations/${ids.invA1}/accept`, { token: t.c1 })).body.id;
    ids.memB2 = (await s.call('POST', `/api/me/invitations/${ids.invB2}/accept`, { token: t.c2 })).body.id;
    ids.src1 = (await s.call('POST', '/api/sources', { token: t.m1, body: { kind: 'merchant', name: 'm1 shop' } })).body.id;
    ids.src2 = (await s.call('POST', '/api/sources', { token: t.m2, body: { kind: 'merchant', name: 'm2 shop' } })).body.id;
    ids.shop1 = (await s.call('POST', '/api/sources', { token: t.c1, body: { kind: 'own_shop', name: 'c1 own shop' } })).body.id;
    expect(Object.values(ids).every(Boolean)).toBe(true);
  });
  afterAll(async () => {
    await s.close();
  });

  it('asks for a session on every non-public API route', async () => {
    const spec = (await s.call('GET', '/api/openapi.json')).body;
    const routes: string[] = [];
    for (const [path, methods] of Object.entries<Record<string, unknown>>(spec.paths)) {
      for (const method of Object.keys(methods)) routes.push(`${method.toUpperCase()} ${path}`);
    }
    expect(routes.length).toBeGreaterThan(15);
    for (const route of routes) {
      // /r/:code and /s/:handle are for shoppers: public by design, outside /api.
      if (PUBLIC_ROUTES.has(route) || !route.split(' ')[1]!.startsWith('/api/')) continue;
      const [method, path] = route.split(' ') as [string, string];
      const concrete = path.replace('{id}', ids.memA1!);
      const r = await s.call(method, concrete, { body: method === 'POST' ? { ends_on: today } : undefined });
      expect([route, r.status, r.body?.error?.code]).toEqual([route, 401, 'unauthorized']);
    }
  });

  it('answers the wrong role with 403', async () => {
    const wrongRole: [string, string, string, unknown?][] = [
      ['c1', 'GET', '/api/admin/users'],
      ['orgA', 'GET', '/api/admin/organisations'],
      ['m1', 'GET', '/api/org/creators'],
      ['c1', 'POST', '/api/org/invitations', { handle: 'c_three', share_bps: 1, starts_on: today }],
      ['orgA', 'GET', '/api/me/invitations'],
      ['ops', 'GET', '/api/me/memberships'],
      ['orgA', 'GET', '/api/sources'],
      ['m1', 'POST', '/api/sources', { kind: 'platform', name: 'fake', platform: 'jd' }],
      ['c1', 'POST', '/api/sources', { kind: 'merchant', name: 'fake' }],
    ];
    for (const [who, method, path, body] of wrongRole) {
      const r = await s.call(method, path, { token: t[who], body });
      expect([who, path, r.status]).toEqual([who, path, 403]);
      expect(r.body.error.code).toBe('forbidden');
    }
  });

  it("answers another party's resource with 404 and changes nothing", async () => {
    const notYours: [string, string, string, unknown?][] = [
      ['c2', 'POST', `/api/me/invitations/${ids.invA3}/accept`],
      ['c2', 'POST', `/api/me/invitations/${ids.invA3}/decline`],
      ['c2', 'POST', `/api/me/memberships/${ids.memA1}/end`, { ends_on: today }],
      ['orgB', 'POST', `/api/org/invitations/${ids.invA3}/cancel`],
      ['orgB', 'POST', `/api/org/memberships/${ids.memA1}/end`, { ends_on: today }],
      ['orgB', 'GET', `/api/org/creators/${ids.c1}`],
      ['orgA', 'GET', `/api/org/creators/${ids.c3}`],
      ['orgA', 'GET', `/api/org/creators/${ids.c2}`],
      ['m2', 'GET', `/api/sources/${ids.src1}`],
      ['c2', 'GET', `/api/sources/${ids.shop1}`],
      ['m1', 'GET', `/api/sources/${ids.shop1}`],
      ['c1', 'GET', `/api/sources/${ids.src1}`],
      ['c1', 'POST', `/api/me/invitations/no_such_id/accept`],
    ];
    for (const [who, method, path, body] of notYours) {
      const r = await s.call(method, path, { token: t[who], body });
      expect([who, path, r.status, r.body.error?.code]).toEqual([who, path, 404, 'not_found']);
    }
    const invitations = (await s.call('GET', '/api/org/invitations', { token: t.orgA })).body.items;
    expect(invitations.find((i: { id: string }) => i.id === ids.invA3).status).toBe('pending');
    expect((await s.call('GET', '/api/me/memberships', { token: t.c1 })).body.items[0].status).toBe('active');
  });

  it('lists only what belongs to the caller', async () => {
    const body = async (who: string, path: string) => JSON.stringify((await s.call('GET', path, { token: t[who] })).body);
    expect(await body('orgA', '/api/org/creators')).toContain(ids.c1);
    expect(await body('orgA', '/api/org/creators')).not.toContain(ids.c2);
    expect(await body('orgA', '/api/org/creators')).not.toContain(ids.c3); // invited, not accepted
    expect(await body('orgB', '/api/org/invitations')).not.toContain(ids.invA3);
    expect(await body('c2', '/api/me/invitations')).not.toContain(ids.invA3);
    expect(await body('c2', '/api/me/memberships')).not.toContain(ids.memA1);
    expect(await body('m2', '/api/sources')).not.toContain(ids.src1);
    expect(await body('c2', '/api/sources')).not.toContain(ids.shop1);
    expect(await body('c1', '/api/sources')).toContain(ids.shop1);
    const all = await body('ops', '/api/sources');
    for (const id of [ids.src1, ids.src2, ids.shop1]) expect(all).toContain(id);
    expect(await body('ops', '/api/admin/users')).toContain(ids.c3);
  });

  it('never shows a webhook secret after creation', async () => {
    const listed = JSON.stringify((await s.call('GET', '/api/sources', { token: t.ops })).body);
    expect(listed).not.toContain('whsec_');
    const created = await s.call('POST', '/api/sources', { token: t.ops, body: { kind: 'platform', name: '京东联盟', platform: 'jd' } });
    expect(created.body.webhook_secret).toMatch(/^whsec_[A-Za-z0-9+/=]+$/);
  });

  it('stops showing an organisation a creator once the membership has ended', async () => {
    const ended = await s.call('POST', `/api/me/memberships/${ids.memB2}/end`, { token: t.c2, body: { ends_on: today } });
    expect(ended.body.status).toBe('ended');
    expect((await s.call('GET', `/api/org/creators/${ids.c2}`, { token: t.orgB })).status).toBe(404);
    expect(JSON.stringify((await s.call('GET', '/api/org/creators', { token: t.orgB })).body)).not.toContain(ids.c2);
  });
});
