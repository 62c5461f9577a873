import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../core/ids.ts';
import type { Database } from '../../db/schema.ts';
import { DIALECTS, holdTransaction } from '../../db/testing.ts';
import { startTestServer, type TestServer } from '../../http/testing.ts';
import { createUser } from '../accounts/service.ts';
import { recordPastMembership, registerOrganisation } from '../orgs/service.ts';
import { createLink } from './service.ts';
import { seedSource } from './testing.ts';

const PHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.40';
const GOOGLEBOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';

const PRODUCT_URLS = {
  pdd: 'https://mobile.yangkeduo.com/goods.html?goods_id=1001&refer_page_name=index',
  jd: 'https://item.jd.com/100012043978.html?spm=1.2.3#comment',
  taobao: 'https://uland.taobao.com/item/edetail?id=6789&sign=AbC%2Bx%3D%3D',
  youzan: 'https://shop123.youzan.com/v2/goods/2x9k?from=feed',
};
type Platform = keyof typeof PRODUCT_URLS;

describe.each(DIALECTS)('tracked links over HTTP on %s', (dialect) => {
  let s: TestServer;
  const t: Record<string, string> = {};
  const ids: Record<string, string> = {};
  const codes: Record<string, string> = {};

  /** One redirect, as a shopper's browser sends it (the test client would otherwise say "node" and count as a bot). */
  const follow = (code: string, headers: Record<string, string> = {}) => fetch(`${s.url}/r/${code}`, { redirect: 'manual', headers: { 'user-agent': PHONE, ...headers } });
  const clickIdIn = (location: string) => /(clk_[0-9a-z]+)/.exec(decodeURIComponent(location))![1]!;
  /** What the held transaction writes: a row of its own, so it holds SQLite's write lock. */
  const insertSetting = (tx: Kysely<Database>) => tx.insertInto('settings').values({ key: `held_${newId('request')}`, value: '1' }).execute();
  const clickRow = (id: string) => s.db.kysely.selectFrom('clicks').selectAll().where('id', '=', id).executeTakeFirst();

  beforeAll(async () => {
    s = await startTestServer(dialect);
    const db = s.db.kysely;
    for (const [key, role] of [['ops', 'operator'], ['c1', 'creator'], ['c2', 'creator'], ['orgA', 'org'], ['orgB', 'org'], ['m1', 'merchant']] as const) {
      const user = await createUser(db, { role, email: `${key}@links.cn`, password: 'password1', name: key, handle: role === 'creator' ? `links_${key}` : null });
      ids[key] = user.id;
      if (role === 'org') ids[`${key}Org`] = (await registerOrganisation(db, user, key)).id;
      t[key] = await s.login(`${key}@links.cn`, 'password1');
    }
    await recordPastMembership(db, { organisationId: ids.orgAOrg!, creatorId: ids.c1!, shareBps: 1000, startsAt: new Date(Date.now() - 86_400_000).toISOString() });
    for (const platform of Object.keys(PRODUCT_URLS) as Platform[]) {
      const kind = platform === 'youzan' ? 'merchant' : 'platform';
      const seeded = await seedSource(db, { kind, platform, ownerUserId: kind === 'merchant' ? ids.m1 : null }, [{ id: 'P1', url: PRODUCT_URLS[platform] }, { id: 'NOURL', url: null }]);
      ids[`${platform}Product`] = seeded.productIds.P1!;
      ids[`${platform}NoUrl`] = seeded.productIds.NOURL!;
      codes[platform] = (await createLink(db, { creatorId: ids.c1!, productId: seeded.productIds.P1!, itemId: null, channel: 'showcase' })).code;
    }
    codes.noUrl = (await createLink(db, { creatorId: ids.c1!, productId: ids.jdNoUrl!, itemId: null, channel: 'showcase' })).code;
  });
  afterAll(async () => {
    await s.close();
  });

  it('redirects with the click id in the parameter each source reads back, keeping the product URL’s own parameters', async () => {
    const located: Record<string, URL> = {};
    for (const platform of Object.keys(PRODUCT_URLS) as Platform[]) {
      const r = await follow(codes[platform]!);
      expect(r.status).toBe(302);
      expect(r.headers.get('cache-control')).toBe('no-store');
      expect(r.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
      located[platform] = new URL(r.headers.get('location')!);
    }
    expect(JSON.parse(located.pdd!.searchParams.get('custom_parameters')!)).toEqual({ uid: expect.stringMatching(/^[0-9a-f]{12}$/), sid: expect.stringMatching(/^clk_[0-9a-z]+$/) });
    expect(located.pdd!.searchParams.get('goods_id')).toBe('1001');
    expect(located.jd!.searchParams.get('subUnionId')).toMatch(/^clk_[0-9a-z]+$/);
    expect(located.jd!.hash).toBe('#comment');
    expect(located.jd!.searchParams.get('spm')).toBe('1.2.3');
    expect(located.taobao!.searchParams.get('external_id')).toMatch(/^clk_/);
    expect(located.taobao!.href).toContain('sign=AbC%2Bx%3D%3D&external_id=');
    expect(located.youzan!.searchParams.get('vt_click')).toMatch(/^clk_/);
    expect(located.youzan!.searchParams.get('from')).toBe('feed');
  });

  it('has the click stored by the time the 302 arrives, each with its own id', async () => {
    const responses = await Promise.all(Array.from({ length: 40 }, () => follow(codes.jd!)));
    const clickIds = responses.map((r) => clickIdIn(r.headers.get('location')!));
    expect(new Set(clickIds).size).toBe(40);
    for (const r of responses) {
      const row = await clickRow(clickIdIn(r.headers.get('location')!));
      expect(row).toMatchObject({ link_code: codes.jd, creator_id: ids.c1, product_id: ids.jdProduct, channel: 'showcase', ua_class: 'mobile', is_bot: 0 });
    }
  });

  it('answers a redirect while another transaction holds the database (a webhook delivery, say), and stores its click when it ends', async () => {
    const release = await holdTransaction(s.db.kysely, insertSetting);
    try {
      const r = await follow(codes.jd!);
      expect(r.status).toBe(302);
      await release();
      expect(await clickRow(clickIdIn(r.headers.get('location')!))).toMatchObject({ link_code: codes.jd, creator_id: ids.c1 });
    } finally {
      await release();
    }
  });

  it('answers a redirect of a link not yet in the cache while another transaction holds the database, reading the link from the last commit', async () => {
    const fresh = (await createLink(s.db.kysely, { creatorId: ids.c1!, productId: ids.pddProduct!, itemId: null, channel: 'video' })).code;
    const release = await holdTransaction(s.db.kysely, insertSetting);
    try {
      // On the main connection the link's read would wait for the transaction, and so the shopper.
      const r = await Promise.race([follow(fresh), new Promise<'waited'>((resolve) => setTimeout(() => resolve('waited'), 5_000))]);
      expect(r).not.toBe('waited');
      expect((r as Response).status).toBe(302);
    } finally {
      await release();
    }
  });

  it('answers redirects before the router, counted in the metrics like any route, and leaves the rest to the router', async () => {
    const metricOf = async () => Number(/vitrine_http_requests_total\{method="GET",route="\/r\/:code",status="302"\} (\d+)/.exec((await s.call('GET', '/metrics')).body)?.[1] ?? 0);
    const before = await metricOf();
    const withQuery = await fetch(`${s.url}/r/${codes.jd}?from=video`, { redirect: 'manual', headers: { 'user-agent': PHONE } });
    expect(withQuery.status).toBe(302);
    expect(withQuery.headers.get('x-request-id')).toBeNull(); // no Fastify request behind it
    expect(await metricOf()).toBe(before + 1);
    const head = await fetch(`${s.url}/r/${codes.jd}`, { method: 'HEAD', redirect: 'manual', headers: { 'user-agent': PHONE } });
    expect(head.headers.get('x-request-id')).toMatch(/^req_/); // the router's route, as before
    expect((await fetch(`${s.url}/r/${codes.jd}/`, { redirect: 'manual' })).status).toBe(404);
  });

  it('never stores the client’s IP, only a keyed hash of it', async () => {
    const r = await follow(codes.youzan!, { 'x-forwarded-for': '203.0.113.77', referer: 'https://v.douyin.com/abc' });
    const row = (await clickRow(clickIdIn(r.headers.get('location')!)))!;
    expect(row.ip_hash).toMatch(/^[0-9a-f]{32}$/);
    expect(row.referrer).toBe('https://v.douyin.com/abc');
    const everyValue = JSON.stringify(await s.db.kysely.selectFrom('clicks').selectAll().execute());
    expect(everyValue).not.toContain('203.0.113.77');
    expect(everyValue).not.toContain('127.0.0.1');
  });

  it('flags bots and repeats: counted in clicks, left out of unique_clicks', async () => {
    const { code } = await createLink(s.db.kysely, { creatorId: ids.c1!, productId: ids.taobaoProduct!, itemId: null, channel: 'live' });
    const first = await follow(code, { 'x-forwarded-for': '198.51.100.1' });
    const again = await follow(code, { 'x-forwarded-for': '198.51.100.1' });
    const bot = await follow(code, { 'x-forwarded-for': '198.51.100.2', 'user-agent': GOOGLEBOT });
    const other = await follow(code, { 'x-forwarded-for': '198.51.100.3' });
    const row = async (r: Response) => (await clickRow(clickIdIn(r.headers.get('location')!)))!;
    expect(await row(first)).toMatchObject({ is_bot: 0, is_repeat: 0 });
    expect(await row(again)).toMatchObject({ is_bot: 0, is_repeat: 1 });
    expect(await row(bot)).toMatchObject({ is_bot: 1, ua_class: 'bot', is_repeat: 0 });
    expect(await row(other)).toMatchObject({ is_bot: 0, is_repeat: 0 });
    const stats = await s.call('GET', `/api/links/${code}`, { token: t.c1 });
    expect(stats.status).toBe(200);
    expect(stats.body).toMatchObject({ code, url: `/r/${code}`, clicks: 4, unique_clicks: 2, channel: 'live', product_id: ids.taobaoProduct });
    expect(stats.body.absolute_url).toBe(`${s.url}/r/${code}`);
  });

  it('answers an unknown code, or a product with nowhere to go, with 404 and stores no click', async () => {
    const before = await s.db.kysely.selectFrom('clicks').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const unknown = await follow('Zz9Zz9Zz9', { accept: 'application/json' });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ error: { code: 'link_not_found', message: expect.any(String) } });
    const page = await follow('Zz9Zz9Zz9', { accept: 'text/html,application/xhtml+xml' });
    expect(page.status).toBe(404);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('链接不存在');
    expect((await follow('../etc')).status).toBe(404);
    const noUrl = await follow(codes.noUrl!, { accept: 'application/json' });
    expect(noUrl.status).toBe(404);
    expect((await noUrl.json()).error.code).toBe('product_unavailable');
    const after = await s.db.kysely.selectFrom('clicks').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('shows a link’s counts to its creator, their organisation and the operator — to anyone else it does not exist', async () => {
    const path = `/api/links/${codes.jd}`;
    for (const who of ['c1', 'orgA', 'ops']) expect([who, (await s.call('GET', path, { token: t[who] })).status]).toEqual([who, 200]);
    for (const who of ['c2', 'orgB', 'm1']) {
      const r = await s.call('GET', path, { token: t[who] });
      expect([who, r.status, r.body.error?.code]).toEqual([who, 404, 'not_found']);
    }
    expect((await s.call('GET', path)).status).toBe(401);
    expect((await s.call('GET', '/api/links/Zz9Zz9Zz9', { token: t.ops })).status).toBe(404);
  });

  it('makes per-channel links for a showcase item and lists them with counts for comparison', async () => {
    const itemId = newId('item');
    await s.db.kysely
      .insertInto('showcase_items')
      .values({ id: itemId, creator_id: ids.c1!, product_id: ids.pddProduct!, via: 'pool', position: 0, pinned: 0, visible: 1, recommendation: null, added_final_price_minor: 1990, added_rate_bps: 1000, created_at: new Date().toISOString() })
      .execute();
    const video = await s.call('POST', '/api/links', { token: t.c1, body: { item_id: itemId, channel: 'video' } });
    expect(video.status).toBe(201);
    expect(video.body).toMatchObject({ code: expect.stringMatching(/^[0-9A-Za-z]{9}$/), url: `/r/${video.body.code}`, channel: 'video' });
    const group = await s.call('POST', '/api/links', { token: t.c1, body: { product_id: ids.pddProduct, channel: 'wechat_group-2' } });
    expect(group.status).toBe(201);
    await follow(video.body.code);
    const listed = await s.call('GET', `/api/links?item_id=${itemId}`, { token: t.c1 });
    expect(listed.body.items.map((l: { channel: string; clicks: number }) => [l.channel, l.clicks]).sort()).toEqual([['video', 1], ['wechat_group-2', 0]]);

    expect((await s.call('POST', '/api/links', { token: t.c1, body: { product_id: ids.jdProduct, channel: 'video' } })).body.error.code).toBe('not_in_showcase');
    expect((await s.call('POST', '/api/links', { token: t.c2, body: { item_id: itemId, channel: 'video' } })).status).toBe(404);
    expect((await s.call('POST', '/api/links', { token: t.c1, body: { item_id: itemId, channel: 'Video Feed!' } })).status).toBe(400);
    expect((await s.call('POST', '/api/links', { token: t.orgA, body: { item_id: itemId, channel: 'video' } })).status).toBe(403);
    expect((await s.call('GET', `/api/links?item_id=${itemId}`, { token: t.c2 })).body.items).toEqual([]);
  });

  it('answers 503 and no redirect while clicks cannot be stored, and recovers', async () => {
    await sql`alter table clicks rename to clicks_away`.execute(s.db.kysely);
    try {
      const refused = await follow(codes.jd!, { accept: 'application/json' });
      expect(refused.status).toBe(503);
      expect(refused.headers.get('location')).toBeNull();
      expect(refused.headers.get('retry-after')).toBe('1');
      expect((await refused.json()).error.code).toBe('click_not_recorded');
    } finally {
      await sql`alter table clicks_away rename to clicks`.execute(s.db.kysely);
    }
    const again = await follow(codes.jd!);
    expect(again.status).toBe(302);
    expect(await clickRow(clickIdIn(again.headers.get('location')!))).toBeDefined();
  });

  it('draws QR codes of the absolute tracked link', async () => {
    const svg = await fetch(`${s.url}/r/${codes.jd}/qr.svg`);
    expect(svg.status).toBe(200);
    expect(svg.headers.get('content-type')).toContain('image/svg+xml');
    expect(svg.headers.get('cache-control')).toContain('public');
    expect(await svg.text()).toMatch(/^<svg/);
    const png = await fetch(`${s.url}/r/${codes.jd}/qr.png`);
    expect(png.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await png.arrayBuffer()).subarray(1, 4).toString()).toBe('PNG');
    expect((await fetch(`${s.url}/r/Zz9Zz9Zz9/qr.svg`)).status).toBe(404);
  });
});
