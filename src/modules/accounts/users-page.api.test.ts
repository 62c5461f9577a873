import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, queryPlan, watchedQueries } from '../../db/testing.ts';
import { startTestServer, type TestServer } from '../../http/testing.ts';
import { createUser, usersPage } from './service.ts';

/** The operator's 用户 page: accounts newest first, a page at a time, found by what the operator types. */
describe.each(DIALECTS)('GET /api/admin/users on %s', (dialect) => {
  let s: TestServer;
  let operator = '';
  const people = [
    { role: 'creator', email: 'lin.xiaoyu@users.cn', name: '林小鱼', handle: 'lin_xiaoyu' },
    { role: 'creator', email: 'chen@users.cn', name: '陈晨 Chen', handle: 'chenchen' },
    { role: 'org', email: 'mcn@users.cn', name: '星河传媒', handle: null },
    { role: 'creator', email: 'wang_100@users.cn', name: '王五 100%', handle: 'wang5' },
    { role: 'merchant', email: 'shop@users.cn', name: 'Shop 100', handle: null },
  ] as const;

  beforeAll(async () => {
    s = await startTestServer(dialect);
    await createUser(s.db.kysely, { role: 'operator', email: 'op@users.cn', password: 'password1', name: 'op' });
    for (const p of people) await createUser(s.db.kysely, { ...p, password: 'password1' });
    operator = await s.login('op@users.cn', 'password1');
  });
  afterAll(async () => s?.close());

  const list = async (query: string) => {
    const answer = await s.call('GET', `/api/admin/users${query}`, { token: operator });
    expect(answer.status).toBe(200);
    return answer.body as { items: { email: string; created_at: string; id: string }[]; next_cursor: string | null };
  };
  const emails = async (query: string) => (await list(query)).items.map((u) => u.email);

  it('pages through every account newest first, each once, whatever the page size', async () => {
    const everyone = (await s.db.kysely.selectFrom('users').select(['id', 'email', 'created_at']).execute()).sort((a, b) => (a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : a.id < b.id ? -1 : 1));
    expect(everyone).toHaveLength(6);
    for (const size of [1, 2, 4, 50]) {
      const seen: string[] = [];
      let page = await list(`?limit=${size}`);
      seen.push(...page.items.map((u) => u.email));
      while (page.next_cursor) {
        page = await list(`?limit=${size}&cursor=${encodeURIComponent(page.next_cursor)}`);
        seen.push(...page.items.map((u) => u.email));
      }
      expect(seen).toEqual(everyone.map((u) => u.email));
    }
    expect((await list('?limit=50')).next_cursor).toBeNull();
  });

  it('keeps to one role when asked', async () => {
    expect((await emails('?role=creator')).sort()).toEqual(['chen@users.cn', 'lin.xiaoyu@users.cn', 'wang_100@users.cn']);
    expect(await emails('?role=colonel')).toEqual([]);
  });

  it('finds an exact email or @handle, or part of a name or an email, and takes % and _ as themselves', async () => {
    expect(await emails(`?q=${encodeURIComponent('CHEN@users.cn')}`)).toEqual(['chen@users.cn']);
    expect(await emails(`?q=${encodeURIComponent('@lin_xiaoyu')}`)).toEqual(['lin.xiaoyu@users.cn']);
    expect(await emails(`?q=${encodeURIComponent('星河')}`)).toEqual(['mcn@users.cn']);
    expect(await emails(`?q=${encodeURIComponent('chen')}`)).toEqual(['chen@users.cn']);
    expect(await emails(`?q=${encodeURIComponent('100%')}`)).toEqual(['wang_100@users.cn']);
    expect(await emails(`?q=${encodeURIComponent('_')}`)).toEqual(['wang_100@users.cn']);
    expect(await emails(`?q=${encodeURIComponent('%')}&role=merchant`)).toEqual([]);
    expect(await emails(`?q=${encodeURIComponent('shop')}&role=creator`)).toEqual([]);
  });

  it('refuses a cursor it did not make, and keeps everyone but the operator out', async () => {
    const bad = await s.call('GET', '/api/admin/users?cursor=nonsense', { token: operator });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_cursor');
    const creator = await s.login('chen@users.cn', 'password1');
    expect((await s.call('GET', '/api/admin/users', { token: creator })).status).toBe(403);
  });

  it('reads a page off users_newest, or users_role_newest for one role, not every account', async () => {
    for (const [filter, index] of [[{}, 'users_newest'], [{ role: 'creator' as const }, 'users_role_newest']] as const) {
      const { spy, seen } = watchedQueries(s.db.kysely);
      await usersPage(spy, { ...filter, limit: 2 });
      const plan = await queryPlan(s.db.kysely, seen[0]!);
      expect(plan).toContain(index);
      expect(plan).not.toMatch(/SCAN users\b(?! USING)|Seq Scan on users/);
      // In the index's order, so a page stops at its limit (PostgreSQL may still sort a table of a few rows).
      if (dialect === 'sqlite') expect(plan).not.toContain('USE TEMP B-TREE FOR ORDER BY');
    }
  });
});
