/**
 * Tracked redirect with a durable click: the real server against a bare node:http 302 server, in
 * the same run, on the same machine.
 *
 *   npm run bench -- redirect [--links 100000] [--duration 10] [--connections 50] [--rate 5000] [--warmup 20000 (requests)]
 *                             [--orders-rate 2000] [--rate-with-orders 1000] [--dashboard-rate 20] [--cpu-prof DIR]
 *
 * Builds a fresh SQLite database with N links (over 1,000 products of four sources: JD, PDD,
 * Taobao, a Youzan merchant, so every click-parameter path runs), starts `vitrine serve` on it in
 * a child process, and drives GET /r/:code from this process, each request on a random code: a
 * warm-up and full speed with autocannon, then a steady 5,000 req/s, each request sent at its own
 * moment (bench/paced.ts: autocannon's fixed rate sends each second's requests in a burst). The server is then stopped
 * (SIGTERM) and the stored clicks counted: every 302 answered must be a stored click. The same
 * load then runs against the baseline (bench/redirect-baseline-server.ts) on the same codes.
 * Before the server stops, one more run: redirects at `--rate-with-orders` while signed webhook
 * deliveries of 1,000 order events (the orders bench's stream) arrive at `--orders-rate` events/s,
 * one at a time — how long a redirect waits while the server ingests orders (0: no such run).
 * Beside both of those redirect runs, the orders' creator reads their dashboard (earnings summary,
 * newest orders) at `--dashboard-rate` requests/s: how long a signed-in read waits meanwhile.
 * Prints a table and, last, one JSON line.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon, { type Result } from 'autocannon';
import { openDb, type Db } from '../src/db/connection.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { createUser } from '../src/modules/accounts/service.ts';
import { linkCodeFrom } from '../src/modules/links/rules.ts';
import { seedSource } from '../src/modules/links/testing.ts';
import { recordPastClicks } from '../src/modules/links/service.ts';
import { updateLedgerSettings } from '../src/modules/ledger/settings.ts';
import { Webhook } from 'standardwebhooks';
import { clickIdOf, eventStream, percentile } from './orders.ts';
import { paced } from './paced.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const PHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.40';
const SOURCES = [
  { kind: 'platform', platform: 'jd', url: (i: number) => `https://item.jd.com/${100000 + i}.html` },
  { kind: 'platform', platform: 'pdd', url: (i: number) => `https://mobile.yangkeduo.com/goods.html?goods_id=${i}` },
  { kind: 'platform', platform: 'taobao', url: (i: number) => `https://uland.taobao.com/item/edetail?id=${i}&src=tk` },
  { kind: 'merchant', platform: 'youzan', url: (i: number) => `https://shop.youzan.com/v2/goods/${i}#detail` },
] as const;
const PRODUCTS_PER_SOURCE = 250;

interface Seeded {
  codes: string[];
  productUrlOf: Map<string, string>;
  /** A JD source whose orders (the orders bench's stream, one creator) arrive during `--orders-rate`. */
  orders: { sourceId: string; secret: string };
}

async function seed(databaseUrl: string, links: number): Promise<Seeded> {
  const db = openDb(databaseUrl);
  try {
    await migrateToLatest(db.kysely);
    const creator = await createUser(db.kysely, { role: 'creator', email: 'bench@x.cn', password: 'password1', name: 'bench', handle: 'bench_creator' });
    const merchant = await createUser(db.kysely, { role: 'merchant', email: 'shop@x.cn', password: 'password1', name: 'shop' });
    const products: { id: string; url: string }[] = [];
    for (const s of SOURCES) {
      const feed = Array.from({ length: PRODUCTS_PER_SOURCE }, (_, i) => ({ id: `${s.platform}-${i}`, url: s.url(i) }));
      const { productIds } = await seedSource(db.kysely, { kind: s.kind, platform: s.platform, ownerUserId: s.kind === 'merchant' ? merchant.id : null }, feed);
      for (const f of feed) products.push({ id: productIds[f.id]!, url: f.url });
    }
    // Straight into the table in one transaction: 100,000 createLink calls would time the seeding, not the redirect.
    const insert = db.sqlite!.prepare('insert into links (code, creator_id, product_id, item_id, channel, created_at) values (?, ?, ?, null, ?, ?)');
    const codes: string[] = [];
    const productUrlOf = new Map<string, string>();
    const now = new Date().toISOString();
    db.sqlite!.transaction(() => {
      while (codes.length < links) {
        const code = linkCodeFrom(randomBytes(16));
        if (code === null || productUrlOf.has(code)) continue;
        const product = products[codes.length % products.length]!;
        insert.run(code, creator.id, product.id, codes.length % 3 === 0 ? 'video' : 'showcase', now);
        codes.push(code);
        productUrlOf.set(code, product.url);
      }
    })();
    return { codes, productUrlOf, orders: await seedOrderSource(db, creator.id) };
  } finally {
    await db.close();
  }
}

/**
 * A JD source for the orders bench's stream of one creator (`eventStream(n, 1, 1, …)`): its click,
 * 11 days back, within a 30-day attribution window. Returns the source and its webhook secret.
 */
export async function seedOrderSource(db: Db, creatorId: string): Promise<{ sourceId: string; secret: string }> {
  const jd = await seedSource(db.kysely, { kind: 'platform', platform: 'jd', name: 'orders' }, Array.from({ length: 1000 }, (_, i) => ({ id: `P${i}`, url: `https://item.jd.com/${i}.html` })));
  const clickedAt = new Date(Date.now() - 11 * 24 * 3_600_000).toISOString();
  await recordPastClicks(db.kysely, [{ id: clickIdOf(0, 0, 1), link_code: 'bench', creator_id: creatorId, product_id: jd.productIds.P0!, source_id: jd.sourceId, channel: 'showcase', clicked_at: clickedAt, ip_hash: 'h', ua_class: 'mobile', referrer: null, is_bot: 0, is_repeat: 0 }]);
  await updateLedgerSettings(db.kysely, { attribution_window_days: 30 });
  const secret = (await db.kysely.selectFrom('sources').select('webhook_secret').where('id', '=', jd.sourceId).executeTakeFirstOrThrow()).webhook_secret;
  return { sourceId: jd.sourceId, secret };
}

export interface SignedDelivery {
  headers: Record<string, string>;
  body: string;
}

/** The orders bench's stream of one creator as `events` order events in signed webhook deliveries of up to 1,000. */
export function signedDeliveries(secret: string, events: number): SignedDelivery[] {
  const BATCH = 1000;
  const signer = new Webhook(secret);
  const deliveries: SignedDelivery[] = [];
  let pending: Record<string, unknown>[] = [];
  const flush = () => {
    const id = `msg_bench_${deliveries.length}`;
    const body = JSON.stringify({ events: pending });
    const now = new Date();
    deliveries.push({ headers: { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(Math.floor(now.getTime() / 1000)), 'webhook-signature': signer.sign(id, now, body) }, body });
    pending = [];
  };
  for (const { event } of eventStream(events, 1, 1, 11)) {
    pending.push(event);
    if (pending.length === BATCH) flush();
  }
  if (pending.length > 0) flush();
  return deliveries;
}

/** Spawns a server and resolves with its base URL once `portOf` finds the port in its output. */
export function startChild(args: string[], env: NodeJS.ProcessEnv, stream: 'stdout' | 'stderr', portOf: (output: string) => string | undefined): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child[stream]!.on('data', (chunk) => {
      output += chunk;
      const port = portOf(output);
      if (port) resolve({ child, url: `http://127.0.0.1:${port}` });
    });
    child.on('exit', (code) => reject(new Error(`${args.join(' ')} exited (${code}) before listening:\n${output}`)));
  });
}

export function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

interface Run extends Result {
  /** Seconds from the first request to the last response (autocannon's own `duration` is rounded up to its 1-second tick). */
  seconds: number;
}

/**
 * Every run is a fixed number of requests, so none is in flight when it ends: a 302 cut off by
 * the end of a timed run would be stored but never counted as answered.
 */
export async function load(url: string, codes: readonly string[], options: { amount: number; connections: number }): Promise<Run> {
  const started = performance.now();
  let lastResponse = started;
  const tracker = autocannon({
    url,
    ...options,
    headers: { 'user-agent': PHONE },
    requests: [{ method: 'GET', setupRequest: (request) => ({ ...request, path: `/r/${codes[Math.floor(Math.random() * codes.length)]}` }) }],
  }).on('response', () => {
    lastResponse = performance.now();
  });
  const result = await tracker;
  return { ...result, seconds: (lastResponse - started) / 1000 };
}

/**
 * CPU time a process has used, in microseconds (Linux /proc; null elsewhere). Per request it is
 * steadier than req/s on a machine shared with other work, so the table shows it too.
 */
export function cpuMicrosOf(pid: number, thread?: number): number | null {
  try {
    // A process's stat counts all its threads; a task's, that thread alone (the main thread's id is the pid).
    const fields = readFileSync(thread === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${thread}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1_000_000) / 100; // utime + stime, in USER_HZ (100/s)
  } catch {
    return null; // no /proc (not Linux): the column shows "-"
  }
}

/** Warm-up, then about `duration` seconds at full speed (sized by the warm-up's rate), then `duration` seconds at `rate`. */
async function drive(server: { url: string; child: ChildProcess }, codes: readonly string[], o: { duration: number; connections: number; rate: number; warmupRequests: number }) {
  const url = server.url;
  const warm = await load(url, codes, { amount: o.warmupRequests, connections: o.connections });
  const cpuBefore = cpuMicrosOf(server.child.pid!);
  const full = await load(url, codes, { amount: Math.max(o.connections, Math.round(o.duration * rps(warm))), connections: o.connections });
  const cpuAfter = cpuMicrosOf(server.child.pid!);
  const cpuMicrosPerRequest = cpuBefore === null || cpuAfter === null ? null : (cpuAfter - cpuBefore) / full.requests.total;
  const fixed = await pacedRedirects(url, codes, { amount: o.duration * o.rate, connections: o.connections, rate: o.rate });
  return { warm, full, fixed, cpuMicrosPerRequest };
}

/**
 * The creator's dashboard at `rate` requests/s, signed in with `token`: their earnings summary and
 * their newest orders, in turn — reads that share the database with the orders arriving.
 */
async function dashboardLoad(url: string, token: string, options: { amount: number; rate: number }): Promise<Run> {
  const headers = { authorization: `Bearer ${token}` };
  const result = await paced(url, { amount: options.amount, rate: options.rate, connections: 4, next: (i) => ({ path: i % 2 === 0 ? '/api/earnings/summary' : '/api/orders?limit=20', headers }) });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`dashboard reads failed: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return result;
}

/** Redirects of random links at a steady rate (`paced`), as a phone's browser asks them. */
function pacedRedirects(url: string, codes: readonly string[], options: { amount: number; connections: number; rate: number }): Promise<Run> {
  return paced(url, { ...options, next: () => ({ path: `/r/${codes[Math.floor(Math.random() * codes.length)]}`, headers: { 'user-agent': PHONE } }) });
}

interface OrdersRun {
  /** The same redirects with no orders arriving, run just before. */
  alone: Run;
  redirects: Run;
  /** The creator's dashboard read meanwhile, without and with orders arriving. */
  dashboardAlone: Run;
  dashboard: Run;
  events: number;
  seconds: number;
  deliveryMs: number[];
}

/** Redirects at `rate` while a source sends deliveries of 1,000 order events at `ordersRate` events/s (see the top of the file). */
async function redirectsWhileOrders(url: string, codes: readonly string[], orders: Seeded['orders'], o: { duration: number; connections: number; rate: number; ordersRate: number; dashboardRate: number }): Promise<OrdersRun> {
  const BATCH = 1000;
  const deliveries = signedDeliveries(orders.secret, Math.max(BATCH, o.ordersRate * o.duration));
  const login = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'bench@x.cn', password: 'password1' }) });
  const { token } = (await login.json()) as { token: string };
  const dashboardAt = { amount: o.duration * o.dashboardRate, rate: o.dashboardRate };
  await dashboardLoad(url, token, { amount: 100, rate: 100 }); // warm-up: the routes' first runs compile and prepare
  const [alone, dashboardAlone] = await Promise.all([pacedRedirects(url, codes, { amount: o.duration * o.rate, connections: o.connections, rate: o.rate }), dashboardLoad(url, token, dashboardAt)]);
  let stopped = false;
  let events = 0;
  const deliveryMs: number[] = [];
  const started = performance.now();
  const sending = (async () => {
    for (let i = 0; i < deliveries.length && !stopped; i++) {
      const wait = started + (i * BATCH * 1000) / o.ordersRate - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const sent = performance.now();
      const response = await fetch(`${url}/api/webhooks/sources/${orders.sourceId}/orders`, { method: 'POST', headers: deliveries[i]!.headers, body: deliveries[i]!.body });
      if (!response.ok) throw new Error(`delivery ${i} answered ${response.status}: ${await response.text()}`);
      events += ((await response.json()) as { received: number }).received;
      deliveryMs.push(performance.now() - sent);
    }
    return performance.now();
  })();
  const [redirects, dashboard] = await Promise.all([pacedRedirects(url, codes, { amount: o.duration * o.rate, connections: o.connections, rate: o.rate }), dashboardLoad(url, token, dashboardAt)]);
  stopped = true;
  const ended = await sending;
  return { alone, redirects, dashboardAlone, dashboard, events, seconds: (ended - started) / 1000, deliveryMs };
}

const redirectsIn = (r: Run) => r.statusCodeStats['302']?.count ?? 0;
export const rps = (r: Run) => r.requests.total / r.seconds;

export async function run(options: Record<string, string>): Promise<void> {
  const links = Number(options.links ?? 100_000);
  const duration = Number(options.duration ?? 10);
  const connections = Number(options.connections ?? 50);
  const rate = Number(options.rate ?? 5_000);
  const warmupRequests = Number(options.warmup ?? 20_000);
  const ordersRate = Number(options['orders-rate'] ?? 2_000);
  const rateWithOrders = Number(options['rate-with-orders'] ?? 1_000);
  const dashboardRate = Number(options['dashboard-rate'] ?? 20);
  // The server's own CPU profile (written when it stops), to see where a redirect's time goes.
  const profileArgs = options['cpu-prof'] ? ['--cpu-prof', '--cpu-prof-dir', options['cpu-prof']] : [];
  const dir = mkdtempSync(join(tmpdir(), 'vitrine-bench-redirect-'));
  const databaseUrl = `sqlite:${join(dir, 'bench.db')}`;
  try {
    const started = Date.now();
    const { codes, productUrlOf, orders } = await seed(databaseUrl, links);
    process.stderr.write(`seeded ${codes.length.toLocaleString('en')} links in ${Date.now() - started} ms\n`);

    const vitrine = await startChild([...profileArgs, 'bin/vitrine.mjs', 'serve', '--port', '0', '--no-demo'], { DATABASE_URL: databaseUrl, HOST: '127.0.0.1', LOG_LEVEL: 'warn' }, 'stderr', (out) => /serving http:\/\/[^:]+:(\d+)/.exec(out)?.[1]);
    const ours = await drive(vitrine, codes, { duration, connections, rate, warmupRequests });
    const withOrders = ordersRate > 0 ? await redirectsWhileOrders(vitrine.url, codes, orders, { duration, connections, rate: rateWithOrders, ordersRate, dashboardRate }) : null;
    await stopChild(vitrine.child);
    const db = openDb(databaseUrl);
    // The seeded click of the orders' stream (link 'bench') was not a redirect.
    const stored = await db.kysely.selectFrom('clicks').select((eb) => eb.fn.countAll<number>().as('n')).where('link_code', '!=', 'bench').executeTakeFirstOrThrow();
    await db.close();

    const codesFile = join(dir, 'codes.json');
    writeFileSync(codesFile, JSON.stringify([...productUrlOf]));
    const bare = await startChild(['--import', 'tsx', 'bench/redirect-baseline-server.ts', codesFile], {}, 'stdout', (out) => /^(\d+)\n/.exec(out)?.[1]);
    const baseline = await drive(bare, codes, { duration, connections, rate, warmupRequests });
    await stopChild(bare.child);

    const cpu = (us: number | null) => (us === null ? '-' : us.toFixed(1));
    const row = (name: string, r: Run, cpuMicros: number | null = null) =>
      `${name.padEnd(34)} ${rps(r).toFixed(0).padStart(8)} ${r.latency.p50.toFixed(2).padStart(8)} ${r.latency.p99.toFixed(2).padStart(8)} ${r.latency.max.toFixed(1).padStart(8)} ${String(redirectsIn(r)).padStart(9)} ${String(r.errors + r.timeouts + r.non2xx - redirectsIn(r)).padStart(7)} ${cpu(cpuMicros).padStart(13)}`;
    console.log(`\n${links.toLocaleString('en')} links, ${connections} connections, about ${duration} s per run (after ${warmupRequests.toLocaleString('en')} warm-up requests), a random code per request`);
    console.log(`${'run'.padEnd(34)} ${'req/s'.padStart(8)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'max ms'.padStart(8)} ${'302s'.padStart(9)} ${'other'.padStart(7)} ${'server µs/req'.padStart(13)}`);
    console.log(row('vitrine /r/:code, full speed', ours.full, ours.cpuMicrosPerRequest));
    console.log(row(`vitrine /r/:code, ${rate} req/s`, ours.fixed));
    console.log(row('bare node:http 302, full speed', baseline.full, baseline.cpuMicrosPerRequest));
    console.log(row(`bare node:http 302, ${rate} req/s`, baseline.fixed));
    if (withOrders) console.log(row(`vitrine, ${rateWithOrders} req/s`, withOrders.alone));
    if (withOrders) console.log(row(`vitrine, ${rateWithOrders} req/s, orders arriving`, withOrders.redirects));
    if (withOrders) console.log(row(`dashboard, ${dashboardRate} req/s`, withOrders.dashboardAlone));
    if (withOrders) console.log(row(`dashboard, ${dashboardRate} req/s, orders arriving`, withOrders.dashboard));
    const deliveryP99 = percentile(withOrders?.deliveryMs ?? [], 99);
    if (withOrders) console.log(`orders arriving meanwhile: ${withOrders.events.toLocaleString('en')} events in ${withOrders.deliveryMs.length} deliveries of up to 1,000 over ${withOrders.seconds.toFixed(1)} s (asked: ${ordersRate.toLocaleString('en')} events/s), p99 ${deliveryP99.toFixed(0)} ms a delivery`);
    const redirectsAnswered = redirectsIn(ours.warm) + redirectsIn(ours.full) + redirectsIn(ours.fixed) + (withOrders ? redirectsIn(withOrders.alone) + redirectsIn(withOrders.redirects) : 0);
    console.log(`clicks stored ${Number(stored.n)} / redirects answered ${redirectsAnswered} (warm-up included)`);
    const round = (n: number, places = 2) => Number(n.toFixed(places));
    console.log(
      JSON.stringify({
        bench: 'redirect',
        rps: round(rps(ours.full), 0),
        p50_ms: round(ours.full.latency.p50),
        p99_ms: round(ours.full.latency.p99),
        p99_ms_at_5k: round(ours.fixed.latency.p99),
        ...(withOrders ? { p99_ms_without_orders: round(withOrders.alone.latency.p99), p99_ms_with_orders: round(withOrders.redirects.latency.p99), max_ms_with_orders: round(withOrders.redirects.latency.max, 1), dashboard_p99_ms_without_orders: round(withOrders.dashboardAlone.latency.p99), dashboard_p99_ms_with_orders: round(withOrders.dashboard.latency.p99), dashboard_max_ms_with_orders: round(withOrders.dashboard.latency.max, 1), orders_events_per_s: round(withOrders.events / withOrders.seconds, 0) } : {}),
        baseline_rps: round(rps(baseline.full), 0),
        baseline_p99_ms_at_5k: round(baseline.fixed.latency.p99),
        ratio: round(rps(ours.full) / rps(baseline.full), 3),
        clicks_stored: Number(stored.n),
        redirects_answered: redirectsAnswered,
        cpu_us_per_redirect: ours.cpuMicrosPerRequest === null ? null : round(ours.cpuMicrosPerRequest, 1),
        baseline_cpu_us_per_redirect: baseline.cpuMicrosPerRequest === null ? null : round(baseline.cpuMicrosPerRequest, 1),
      }),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
