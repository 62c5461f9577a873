import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateThrough } from '../db/migrate.ts';
import { DIALECTS, openTestDb, type TestDb } from '../db/testing.ts';
import { balanceDrift, unbalancedTransactions } from '../modules/ledger/store.ts';
import { refuseSettling } from '../modules/ledger/testing.ts';

const BIN = fileURLToPath(new URL('../../bin/vitrine.mjs', import.meta.url));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  last: any;
}

function vitrine(databaseUrl: string, ...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, DATABASE_URL: databaseUrl } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => {
      const lastLine = stdout.trim().split('\n').pop() ?? '';
      let last: unknown = null;
      try {
        last = JSON.parse(lastLine);
      } catch {
        last = null;
      }
      resolve({ code, stdout, stderr, last });
    });
  });
}

describe.each(DIALECTS)('the vitrine command line on %s', (dialect) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await openTestDb(dialect);
  });
  afterAll(async () => {
    await db.close();
  });

  it('creates users and prints their id as the last JSON line', async () => {
    const r = await vitrine(db.url, 'user', 'create', '--role', 'creator', '--email', 'cli@x.cn', '--password', 'password1', '--handle', 'cli_creator');
    expect(r.code).toBe(0);
    expect(r.last.id).toMatch(/^usr_/);
    const org = await vitrine(db.url, 'user', 'create', '--role', 'org', '--email', 'cli-org@x.cn', '--password', 'password1', '--name', '一号机构');
    expect(org.last).toMatchObject({ role: 'org', organisation_id: expect.stringMatching(/^org_/) });
  });

  it('refuses bad input with one line on stderr and a non-zero exit, writing nothing', async () => {
    const r = await vitrine(db.url, 'user', 'create', '--role', 'creator', '--email', 'cli@x.cn', '--password', 'password1', '--handle', 'other');
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/email_taken/);
    const bad = await vitrine(db.url, 'user', 'create', '--role', 'emperor', '--email', 'e@x.cn', '--password', 'password1');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/invalid_role/);
    const users = await db.kysely.selectFrom('users').select('email').execute();
    expect(users.map((u) => u.email).sort()).toEqual(['cli-org@x.cn', 'cli@x.cn']);
  });

  it('creates sources with a Standard Webhooks secret', async () => {
    const r = await vitrine(db.url, 'source', 'create', '--kind', 'platform', '--name', '拼多多', '--platform', 'pdd');
    expect(r.code).toBe(0);
    expect(r.last).toEqual({ id: expect.stringMatching(/^src_/), webhook_secret: expect.stringMatching(/^whsec_/) });
    expect(Buffer.from(r.last.webhook_secret.slice(6), 'base64')).toHaveLength(24);
    const missing = await vitrine(db.url, 'source', 'create', '--kind', 'platform', '--name', 'x');
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/platform_required/);
  });

  it('migrates idempotently, and says which migrations it applied', async () => {
    const r = await vitrine(db.url, 'migrate');
    expect(r.code).toBe(0);
    expect(r.last).toEqual({ applied: [] });
    await migrateThrough(db.kysely, '014_order_events_in_orders');
    const behind = await vitrine(db.url, 'migrate');
    expect(behind.code).toBe(0);
    expect(behind.last.applied).toContain('015_one_settle_queue');
    expect(behind.last.applied).not.toContain('014_order_events_in_orders');
  });
});

describe.each(DIALECTS)('vitrine demo on %s', (dialect) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await openTestDb(dialect);
  });
  afterAll(async () => {
    await db.close();
  });

  it('fills an empty database with the demo alliance, and only an empty one', async () => {
    const r = await vitrine(db.url, 'demo');
    expect(r.code).toBe(0);
    expect(r.last).toMatchObject({ users: 7, organisations: 1, memberships: 2, sources: 6, targeted_plans: 2, colonel_activities: 3 });
    expect(r.last.products).toBeGreaterThanOrEqual(20_000);
    expect(r.last.showcase_items).toBeGreaterThan(20);
    expect(r.last.clicks).toBeGreaterThan(1000);
    const online = await db.kysely.selectFrom('products').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'online').executeTakeFirstOrThrow();
    expect(Number(online.n)).toBeGreaterThanOrEqual(20_000);
    const roles = await db.kysely.selectFrom('users').select('role').execute();
    expect(roles.map((u) => u.role).sort()).toEqual(['colonel', 'creator', 'creator', 'creator', 'merchant', 'operator', 'org']);
    // A targeted plan approved and one awaiting the merchant; a colonel activity that ran last month, one running and one proposed.
    expect((await db.kysely.selectFrom('targeted_plans').select('status').orderBy('status').execute()).map((p) => p.status)).toEqual(['approved', 'requested']);
    expect((await db.kysely.selectFrom('colonel_activities').select('status').orderBy('status').execute()).map((a) => a.status)).toEqual(['active', 'active', 'proposed']);
    // The one that ran last month earned the colonel commission, part of it settled with a statement.
    const colonel = await db.kysely.selectFrom('users').select('id').where('role', '=', 'colonel').executeTakeFirstOrThrow();
    const colonelLines = await db.kysely.selectFrom('commissions').select(['status', 'plan_kind']).where('colonel_id', '=', colonel.id).execute();
    expect(colonelLines.length).toBeGreaterThan(0);
    expect(new Set(colonelLines.map((l) => l.plan_kind))).toEqual(new Set(['colonel']));
    expect(colonelLines.some((l) => l.status === 'settled')).toBe(true);
    expect(await db.kysely.selectFrom('statements').select('id').where('party_kind', '=', 'colonel').where('party_id', '=', colonel.id).execute()).toHaveLength(1);
    const platforms = await db.kysely.selectFrom('sources').select(['platform', 'kind']).execute();
    expect(platforms.map((s) => s.platform).sort()).toEqual(['jd', 'mokuai', 'pdd', 'taobao', 'weimob', 'youzan']);
    // Orders in every status, a past settlement, a paid withdrawal, a claw-back waiting, a balanced ledger.
    expect(r.last.orders).toBeGreaterThan(50);
    expect(r.last.settled_lines).toBeGreaterThan(0);
    const statuses = await db.kysely.selectFrom('orders').select('status').distinct().execute();
    expect(statuses.map((o) => o.status).sort()).toEqual(['cancelled', 'completed', 'paid', 'refunded', 'shipped']);
    const commissionStatuses = await db.kysely.selectFrom('commissions').select('status').distinct().execute();
    expect(commissionStatuses.map((c) => c.status).sort()).toEqual(['confirmed', 'estimated', 'reversed', 'settleable', 'settled']);
    expect(await db.kysely.selectFrom('orders').select('id').where('attribution', '=', 'unattributed').execute()).toHaveLength(4);
    // Taobao's orders name no click: they come back with the creator's channel (relation_id) and are credited through it.
    const taobaoOrders = await db.kysely.selectFrom('orders').innerJoin('sources', 'sources.id', 'orders.source_id').select(['orders.attribution', 'orders.sub_id']).where('sources.platform', '=', 'taobao').execute();
    expect(taobaoOrders.length).toBeGreaterThan(0);
    expect(taobaoOrders.every((o) => o.attribution === 'sub_id' && /^27123456\d\d$/.test(o.sub_id ?? ''))).toBe(true);
    expect((await db.kysely.selectFrom('withdrawals').select('status').orderBy('requested_at').execute()).map((w) => w.status)).toEqual(['paid', 'requested']);
    expect(await db.kysely.selectFrom('ledger_transactions').select('id').where('kind', '=', 'commission_clawed_back').execute()).toHaveLength(1);
    expect(await unbalancedTransactions(db.kysely)).toEqual([]);
    expect(await balanceDrift(db.kysely)).toEqual([]);
    const again = await vitrine(db.url, 'demo');
    expect(again.code).not.toBe(0);
    expect(again.stderr).toMatch(/database_not_empty/);
  });
});

const FIXTURES = fileURLToPath(new URL('../modules/sources/connectors/fixtures/', import.meta.url));
const FEED_FIXTURES = fileURLToPath(new URL('../modules/sources/feeds/fixtures/', import.meta.url));

describe.each(DIALECTS)('vitrine import on %s', (dialect) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await openTestDb(dialect);
  });
  afterAll(async () => {
    await db.close();
  });

  async function source(platform: string): Promise<string> {
    const r = await vitrine(db.url, 'source', 'create', '--kind', 'platform', '--name', platform, '--platform', platform);
    return r.last.id;
  }

  it('imports a saved PDD goods search response with fen prices and per-mille rates', async () => {
    const id = await source('pdd');
    const r = await vitrine(db.url, 'import', '--source', id, '--format', 'pdd-goods-search', `${FIXTURES}pdd-goods-search.json`);
    expect(r.code).toBe(0);
    expect(r.last).toMatchObject({ imported: 5, updated: 0, offline: 0, rejected: [{ row: 5, reason: expect.any(String) }] });
    const first = await db.kysely.selectFrom('products').selectAll().where('source_id', '=', id).where('price_minor', '=', 15900).executeTakeFirstOrThrow();
    expect(first.commission_rate_bps).toBe(1250);
    const cheapest = await db.kysely.selectFrom('products').selectAll().where('source_id', '=', id).where('price_minor', '=', 1).executeTakeFirst();
    expect(cheapest?.commission_rate_bps).toBe(1500);
  });

  it('imports saved JD and Taobao responses, and again as updates', async () => {
    for (const [platform, format] of [['jd', 'jd-goods-query'], ['taobao', 'taobao-material-optional']] as const) {
      const id = await source(platform);
      const first = await vitrine(db.url, 'import', '--source', id, '--format', format, `${FIXTURES}${format}.json`);
      expect([platform, first.code, first.last?.imported]).toEqual([platform, 0, 5]);
      const again = await vitrine(db.url, 'import', '--source', id, '--format', format, `${FIXTURES}${format}.json`);
      expect([platform, again.last?.imported, again.last?.updated]).toEqual([platform, 0, 5]);
    }
  });

  it('imports a merchant CSV feed and reports its bad rows', async () => {
    const merchant = await vitrine(db.url, 'user', 'create', '--role', 'merchant', '--email', 'feed@x.cn', '--password', 'password1');
    const src = await vitrine(db.url, 'source', 'create', '--kind', 'merchant', '--name', '小店', '--owner', merchant.last.id, '--default-rate', '1000');
    const r = await vitrine(db.url, 'import', '--source', src.last.id, '--format', 'csv', `${FEED_FIXTURES}merchant.csv`);
    expect(r.code).toBe(0);
    expect(r.last.imported).toBeGreaterThan(0);
    expect(r.last.rejected.every((x: { row: number; reason: string }) => x.row > 0 && x.reason.length > 0)).toBe(true);
  });

  it('refuses an unknown format, a missing file and an unknown source in one line', async () => {
    const id = await source('jd');
    for (const args of [
      ['--source', id, '--format', 'excel', `${FIXTURES}jd-goods-query.json`],
      ['--source', id, '--format', 'jd-goods-query', '/nonexistent/file.json'],
      ['--source', 'src_nope', '--format', 'jd-goods-query', `${FIXTURES}jd-goods-query.json`],
      ['--source', id, '--format', 'jd-goods-query', `${FIXTURES}pdd-goods-search.json`],
    ]) {
      const r = await vitrine(db.url, 'import', ...args);
      expect(r.code).not.toBe(0);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
    const count = await db.kysely.selectFrom('products').select((eb) => eb.fn.countAll<number>().as('n')).where('source_id', '=', id).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);
  });

  it('imports an order report, reporting bad rows, and settles it; both are safe to run twice', async () => {
    const creator = await vitrine(db.url, 'user', 'create', '--role', 'creator', '--email', 'orders@x.cn', '--password', 'password1', '--handle', 'cli_orders');
    const src = await vitrine(db.url, 'source', 'create', '--kind', 'platform', '--name', '京东联盟', '--platform', 'jd');
    await db.kysely.insertInto('positions').values({ sub_id: 'pos_cli', creator_id: creator.last.id, source_id: null, label: null, created_at: new Date().toISOString() }).execute();
    const report = join(tmpdir(), `vitrine-cli-orders-${process.pid}-${dialect}.csv`);
    const paid = new Date(Date.now() - 20 * 86_400_000).toISOString();
    const done = new Date(Date.now() - 15 * 86_400_000).toISOString();
    writeFileSync(report, [
      'order_id,status,occurred_at,sub_id,line_id,product_id,quantity,paid_amount,refunded_amount',
      `R1,paid,${paid},pos_cli,1,SKU1,1,1990,0`,
      `R1,completed,${done},pos_cli,1,SKU1,1,1990,0`,
      `R2,paid,${paid},pos_cli,1,SKU2,1,19.90,0`,
    ].join('\n'));
    const first = await vitrine(db.url, 'import-orders', '--source', src.last.id, '--format', 'csv', report);
    expect(first.code).toBe(0);
    expect(first.last).toMatchObject({ events: 2, applied: 2, rejected: [{ row: 3 }] });
    const again = await vitrine(db.url, 'import-orders', '--source', src.last.id, '--format', 'csv', report);
    expect(again.last).toMatchObject({ events: 2, applied: 0 });

    for (const n of ['0', '9', 'two']) {
      const refused = await vitrine(db.url, 'settle', '--batches-at-once', n);
      expect(refused.code).not.toBe(0);
      expect(refused.stderr.trim()).toMatch(/^[^\n]*--batches-at-once is a whole number from 1 to 8[^\n]*$/);
    }
    expect(await db.kysely.selectFrom('settlement_runs').select('id').execute()).toEqual([]);
    // The database refuses to settle: one line says where the run stopped and why; run again, it resumes.
    const allow = await refuseSettling(db);
    const stopped = await vitrine(db.url, 'settle', '--as-of', new Date().toISOString().slice(0, 10), '--batches-at-once', '3');
    expect(stopped.code).not.toBe(0);
    expect(stopped.stderr.trim()).toMatch(/^[^\n]*the settlement run stopped after 0 lines: [^\n]*refused for the test[^\n]*; run it again to resume where it stopped$/);
    await allow();
    const settled = await vitrine(db.url, 'settle', '--as-of', new Date().toISOString().slice(0, 10), '--batches-at-once', '3');
    expect(settled.code).toBe(0);
    // The source has no default rate and the product is not in the pool: the line earns at 0 bps.
    expect(settled.last).toMatchObject({ lines: 1, resumed: true });
    const twice = await vitrine(db.url, 'settle');
    expect(twice.last).toMatchObject({ lines: 0 });
    expect(twice.stderr).toBe('');
    // A date after now settles, saying on stderr what that means.
    const later = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
    const early = await vitrine(db.url, 'settle', '--as-of', later);
    expect(early.code).toBe(0);
    expect(early.last).toMatchObject({ lines: 0 });
    expect(early.stderr.trim()).toMatch(new RegExp(`^vitrine: warning: --as-of ${later} is after now: [^\\n]*return window[^\\n]*$`));
    const bad = await vitrine(db.url, 'settle', '--as-of', 'next tuesday');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
  }, 120_000); // eleven vitrine processes, ~2 s each to start here, more while other test files run
});
