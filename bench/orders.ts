/**
 * Order events into attribution and the ledger, and a settlement run.
 *
 *   npm run bench -- orders [--events 200000] [--batch 1000] [--settle-lines 1000000] [--creators 200]
 *                           [--in-flight 2] [--sources 1] [--database postgres://…] [--pages N]
 *
 * On a fresh database (a SQLite file, WAL, as `npm start` uses; or a new database on the given
 * PostgreSQL server): creators with org memberships, `--sources` JD sources with 1,000 products
 * each and a click per creator on each. Each order belongs to one source, and each delivery carries
 * one source's events (signed with its secret): on PostgreSQL deliveries are ingested side by
 * side, those naming a common order taking turns. A stream of webhook deliveries of `--batch` events each — a realistic mix: 55% new
 * paid orders carrying a click id, 25% of them completed later, 8% partially refunded, 4% fully
 * refunded, 8% duplicates of earlier events — is signed, then sent `--in-flight` at a time: each
 * delivery verified (Standard Webhooks) and parsed in a worker thread, and ingested (state
 * machine, attribution, commission booking, postings, balances) in one transaction, as the
 * webhook route does. Then `--settle-lines` completed commission lines (bulk-loaded) are settled
 * by a run, and the longest the event loop was held meanwhile is reported. With `--pages N` (SQLite), the last N deliveries are kept out of the timed run and
 * ingested afterwards, to count the pages each writes by table and index (`pagesPerDelivery`).
 * Prints a table and, last, one JSON line.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { Webhook } from 'standardwebhooks';
import { newId } from '../src/core/ids.ts';
import { startBackgroundCheckpoints } from '../src/db/checkpointer.ts';
import { openDb, type Db } from '../src/db/connection.ts';
import type { Kysely } from 'kysely';
import { insertRows } from '../src/db/bulk.ts';
import type { Database } from '../src/db/schema.ts';
import { appendTransactions } from '../src/modules/ledger/store.ts';
import { inTransaction } from '../src/db/transaction.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { createUser } from '../src/modules/accounts/service.ts';
import { DEFAULT_LEDGER_SETTINGS } from '../src/modules/ledger/settings.ts';
import { settle } from '../src/modules/ledger/settlement.ts';
import { recordPastClicks } from '../src/modules/links/service.ts';
import { seedSource } from '../src/modules/links/testing.ts';
import { ingestOrderEvents } from '../src/modules/orders/service.ts';
import { WebhookVerifier } from '../src/modules/orders/verifier.ts';
import { recordPastMembership, registerOrganisation } from '../src/modules/orgs/service.ts';

const HOUR = 3_600_000;

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/**
 * How long the event loop could not answer anything (a redirect, a webhook) while work went on:
 * the gaps between the firings of a 5 ms timer, less its 5 ms — the longest, and the 99th
 * percentile of those over 10 ms (the holds; shorter gaps are the timer's own jitter).
 */
function stallMeter(): { stop(): { longest: number; p99: number } } {
  let last = performance.now();
  const holds: number[] = [];
  let longest = 0;
  const note = (at: number) => {
    const held = at - last - 5;
    longest = Math.max(longest, held);
    if (held > 10) holds.push(held);
    last = at;
  };
  const ticker = setInterval(() => note(performance.now()), 5);
  return {
    stop() {
      clearInterval(ticker);
      note(performance.now());
      return { longest: Math.max(0, longest), p99: percentile(holds, 99) };
    },
  };
}

/** A deterministic stream of order events (xorshift), with later events for earlier orders. */
export function* eventStream(total: number, creators: number, sources: number, seed: number): Generator<{ source: number; event: Record<string, unknown> }> {
  let x = seed >>> 0 || 1;
  const random = () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 4_294_967_296;
  };
  const t0 = Date.now() - 10 * 24 * HOUR;
  const orders: { id: string; source: number; click: string; paid: number; at: number; product: string }[] = [];
  const sent: { source: number; event: Record<string, unknown> }[] = [];
  for (let n = 0; n < total; n++) {
    const roll = random();
    let event: { source: number; event: Record<string, unknown> };
    if (orders.length < 100 || roll < 0.55) {
      const source = orders.length % sources;
      const o = { id: `JD${1_000_000 + orders.length}`, source, click: clickIdOf(Math.floor(random() * creators), source, sources), paid: 990 + Math.floor(random() * 40_000), at: t0 + orders.length * 1000, product: `P${Math.floor(random() * 1000)}` };
      orders.push(o);
      event = wire(o, 'paid', o.at, 0);
    } else if (roll < 0.8) {
      const o = orders[Math.floor(random() * orders.length)]!;
      event = wire(o, 'completed', o.at + 3 * 24 * HOUR, 0);
    } else if (roll < 0.88) {
      const o = orders[Math.floor(random() * orders.length)]!;
      event = wire(o, 'paid', o.at + HOUR, Math.floor(o.paid / 3));
    } else if (roll < 0.92) {
      const o = orders[Math.floor(random() * orders.length)]!;
      event = wire(o, 'refunded', o.at + 2 * HOUR, o.paid);
    } else {
      event = sent[Math.floor(random() * sent.length)]!;
    }
    sent.push(event);
    yield event;
  }
}

/** A creator's click on a source's product (with one source, the ids of runs before `--sources`). */
export function clickIdOf(creator: number, source: number, sources: number): string {
  return sources === 1 ? `clk_bench${creator}` : `clk_bench${creator}_${source}`;
}

function wire(o: { id: string; source: number; click: string; paid: number; product: string }, status: string, at: number, refunded: number): { source: number; event: Record<string, unknown> } {
  return {
    source: o.source,
    event: {
      type: 'order.updated',
      data: { order_id: o.id, status, occurred_at: new Date(at).toISOString(), currency: 'CNY', click_id: o.click, lines: [{ line_id: '1', product_id: o.product, quantity: 1, paid_amount: o.paid, refunded_amount: refunded }] },
    },
  };
}

export async function run(options: Record<string, string>): Promise<void> {
  const total = Number(options.events ?? 200_000);
  const batch = Number(options.batch ?? 1000);
  const settleLines = Number(options['settle-lines'] ?? 1_000_000);
  const creators = Number(options.creators ?? 200);
  const inFlight = Math.max(1, Number(options['in-flight'] ?? 2));
  const sourceCount = Math.max(1, Number(options.sources ?? 1));
  const pagesOf = Math.max(0, Number(options.pages ?? 0));
  const target = await benchDatabase(options.database);
  const db = target.db;
  try {
    await migrateToLatest(db.kysely);
    const q = db.kysely;
    process.stderr.write(`setting up ${creators} creators, ${sourceCount} source(s) of 1,000 products…\n`);
    const admin = await createUser(q, { role: 'org', email: 'org@bench.cn', password: 'password1', name: 'org' });
    const org = await registerOrganisation(q, admin, 'Bench MCN');
    const sources: Awaited<ReturnType<typeof seedSource>>[] = [];
    for (let s = 0; s < sourceCount; s++) {
      sources.push(await seedSource(q, { kind: 'platform', platform: 'jd', name: `JD ${s + 1}` }, Array.from({ length: 1000 }, (_, i) => ({ id: `P${i}`, url: `https://item.jd.com/${i}.html` }))));
    }
    const seeded = sources[0]!;
    const clicks: Parameters<typeof recordPastClicks>[1][number][] = [];
    for (let c = 0; c < creators; c++) {
      const creator = await q
        .insertInto('users')
        .values({ id: newId('user'), role: 'creator', email: `c${c}@bench.cn`, password_hash: 'x', name: `c${c}`, handle: `bench_${c}`, created_at: new Date().toISOString() })
        .returning('id')
        .executeTakeFirstOrThrow();
      if (c % 2 === 0) await recordPastMembership(q, { organisationId: org.id, creatorId: creator.id, shareBps: 1000, startsAt: new Date(Date.now() - 90 * 24 * HOUR).toISOString() });
      sources.forEach((source, s) =>
        clicks.push({ id: clickIdOf(c, s, sourceCount), link_code: 'bench', creator_id: creator.id, product_id: source.productIds.P0!, source_id: source.sourceId, channel: 'showcase', clicked_at: new Date(Date.now() - 11 * 24 * HOUR).toISOString(), ip_hash: 'h', ua_class: 'mobile', referrer: null, is_bot: 0, is_repeat: 0 }),
      );
    }
    await recordPastClicks(q, clicks);
    const secrets: string[] = [];
    for (const source of sources) secrets.push((await q.selectFrom('sources').select('webhook_secret').where('id', '=', source.sourceId).executeTakeFirstOrThrow()).webhook_secret);
    const signers = secrets.map((secret) => new Webhook(secret));
    // A 30-day attribution window: the stream's orders span ten days after the clicks.
    const settings = { ...DEFAULT_LEDGER_SETTINGS, attribution_window_days: 30 };

    process.stderr.write(`signing ${total.toLocaleString('en')} events in deliveries of ${batch}…\n`);
    // Bodies as the route receives them: bytes (the verifier decodes them, a large one in its worker).
    const deliveries: { source: number; headers: Record<string, string>; body: Buffer; events: number }[] = [];
    const pending: Record<string, unknown>[][] = sources.map(() => []);
    const flush = (source: number) => {
      const id = `msg_${deliveries.length}`;
      const body = JSON.stringify({ events: pending[source] });
      const now = new Date();
      deliveries.push({ source, headers: { 'webhook-id': id, 'webhook-timestamp': String(Math.floor(now.getTime() / 1000)), 'webhook-signature': signers[source]!.sign(id, now, body) }, body: Buffer.from(body), events: pending[source]!.length });
      pending[source] = [];
    };
    for (const { source, event } of eventStream(total, creators, sourceCount, 7)) {
      pending[source]!.push(event);
      if (pending[source]!.length === batch) flush(source);
    }
    pending.forEach((events, source) => events.length > 0 && flush(source));

    process.stderr.write('ingesting…\n');
    // As the server does: WAL checkpoints in a worker thread, off the committing connection.
    const stopCheckpoints = startBackgroundCheckpoints(db);
    const batchMs: number[] = [];
    let applied = 0;
    // As the webhook route does: large deliveries are verified and parsed in a worker thread,
    // then ingested. `--in-flight` deliveries at a time (a sender with that many requests open):
    // one is checked while another is ingested; on PostgreSQL they also commit side by side.
    const verifier = new WebhookVerifier();
    await verifier.verify(secrets[deliveries[0]!.source]!, deliveries[0]!.headers, deliveries[0]!.body); // start the worker before the clock
    const cpuBefore = mainThreadCpuUs();
    const waitedBefore = mainThreadWaitedForCpuUs();
    const processCpuBefore = process.cpuUsage();
    const started = performance.now();
    const ingestStalls = stallMeter();
    const ingest = async (d: (typeof deliveries)[number]) => {
      const verified = await verifier.verify(secrets[d.source]!, d.headers, d.body);
      return ingestOrderEvents(q, sources[d.source]!.sourceId, verified.events.map((event, i) => ({ event, record: verified.records[i] })), { via: 'webhook', deliveryId: verified.webhookId, settings });
    };
    // `--pages N`: the last N deliveries are kept out of the timed run, for `pagesPerDelivery`.
    const held = db.sqlite ? Math.min(pagesOf, deliveries.length - 1) : 0;
    const timed = deliveries.slice(0, deliveries.length - held);
    const timedEvents = timed.reduce((n, d) => n + d.events, 0);
    let nextDelivery = 0;
    const sender = async () => {
      for (let d = timed[nextDelivery++]; d !== undefined; d = timed[nextDelivery++]) {
        const t = performance.now();
        const report = await ingest(d);
        applied += report.applied;
        batchMs.push(performance.now() - t);
      }
    };
    await Promise.all(Array.from({ length: inFlight }, sender));
    const ingestS = (performance.now() - started) / 1000;
    const ingestHolds = ingestStalls.stop();
    // The event loop's CPU time per event: less sensitive than wall time to whatever else the
    // machine is running, so two builds can be compared on a busy machine.
    const cpuUsPerEvent = (mainThreadCpuUs() - cpuBefore) / timedEvents;
    // How long the event loop was ready to run but had no core (the other threads, other processes).
    const waitedForCpuUs = mainThreadWaitedForCpuUs() - waitedBefore;
    // All threads (verifier, checkpoints, the engine's GC and compiler threads): with two cores,
    // the bound once the event loop's work is spread over them.
    const processCpu = process.cpuUsage(processCpuBefore);
    const processCpuUsPerEvent = (processCpu.user + processCpu.system) / timedEvents;
    // Between transactions, waiting (idle, with deliveries queued) for the WAL to be copied so it could start over.
    const restart = stopCheckpoints.restartWaits();
    await stopCheckpoints();
    const eventsPerS = Math.round(timedEvents / ingestS);
    const pages = held > 0 ? await pagesPerDelivery(db, deliveries.slice(timed.length), ingest) : null;
    await verifier.close();

    process.stderr.write(`loading ${settleLines.toLocaleString('en')} completed commission lines…\n`);
    const postings = await bulkLoadSettleable(q, settleLines, clicks.map((c) => c.creator_id), org.id, seeded.sourceId);
    const settleStarted = performance.now();
    const settleStalls = stallMeter();
    const summary = await settle(q, { asOf: new Date() });
    const settleHolds = settleStalls.stop();
    const longestStallMs = settleHolds.longest;
    const settleEnded = performance.now();
    const settleS = (settleEnded - settleStarted) / 1000;
    const settledAll = summary.lines;

    const load = loadavg().map((l) => l.toFixed(2)).join(' ');
    log('');
    if (pages) {
      log(`| pages written per delivery (${held} deliveries, ${target.name}) | b-tree |`);
      log(`| ---: | --- |`);
      for (const [name, n] of pages.byTree) log(`| ${n.toFixed(0)} | ${name} |`);
      log(`| ${pages.total.toFixed(0)} | all |`);
      log('');
    }
    log(`| step | count | seconds | per second | p50 batch ms | p99 batch ms | event-loop CPU µs each | process CPU µs each |`);
    log(`| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |`);
    log(`| order events (batches of ${batch}, ${inFlight} in flight, ${sourceCount} source${sourceCount === 1 ? '' : 's'}, ${target.name}) | ${timedEvents.toLocaleString('en')} (${applied.toLocaleString('en')} changed an order) | ${ingestS.toFixed(2)} | ${eventsPerS.toLocaleString('en')} | ${percentile(batchMs, 50).toFixed(1)} | ${percentile(batchMs, 99).toFixed(1)} | ${cpuUsPerEvent.toFixed(1)} | ${processCpuUsPerEvent.toFixed(1)} |`);
    log(`| settlement run | ${settledAll.toLocaleString('en')} lines (${postings.toLocaleString('en')} preloaded) | ${settleS.toFixed(2)} | ${Math.round(settledAll / settleS).toLocaleString('en')} | | | | |`);
    log(`ingestion held the event loop at most ${ingestHolds.longest.toFixed(0)} ms at a time (p99 of the holds ${ingestHolds.p99.toFixed(0)} ms); the settlement run at most ${longestStallMs.toFixed(0)} ms (p99 ${settleHolds.p99.toFixed(0)} ms)`);
    log(`load average (1/5/15 min): ${load}; the event loop waited ${(waitedForCpuUs / 1e6).toFixed(2)} s of ${ingestS.toFixed(2)} for a core and ${(restart.waitedMs / 1000).toFixed(2)} s (${restart.waits} times) for the WAL to start over; targets: >= 20,000 events/s; 1M lines settled in < 30 s`);
    log(JSON.stringify({ bench: 'orders', database: target.name, in_flight: inFlight, sources: sourceCount, events: timedEvents, events_per_s: eventsPerS, ...(pages ? { pages_per_delivery: Math.round(pages.total) } : {}), p99_batch_ms: Number(percentile(batchMs, 99).toFixed(1)), loop_cpu_us_per_event: Number(cpuUsPerEvent.toFixed(1)), process_cpu_us_per_event: Number(processCpuUsPerEvent.toFixed(1)), loop_waited_for_cpu_s: Number((waitedForCpuUs / 1e6).toFixed(2)), loop_waited_for_wal_restart_s: Number((restart.waitedMs / 1000).toFixed(2)), ingest_longest_stall_ms: Math.round(ingestHolds.longest), ingest_stall_p99_ms: Math.round(ingestHolds.p99), settle_lines: settledAll, settle_s: Number(settleS.toFixed(2)), settle_lines_per_s: Math.round(settledAll / settleS), settle_longest_stall_ms: Math.round(longestStallMs), settle_stall_p99_ms: Math.round(settleHolds.p99), load_avg: load }));
  } finally {
    await target.drop();
  }
}

/**
 * SQLite only: the pages each of `held` deliveries writes, by the b-tree they belong to — what
 * its commits write to the WAL and the checkpoints copy back, the storage layout's cost. With
 * checkpoints stopped and the WAL emptied, the deliveries are ingested one by one; then the
 * WAL's frames are counted and their pages named through the `dbstat` table.
 */
async function pagesPerDelivery(db: Db, held: readonly unknown[], ingest: (d: never) => Promise<unknown>): Promise<{ total: number; byTree: [string, number][] } | null> {
  const sqlite = db.sqlite;
  if (!sqlite || held.length === 0) return null;
  sqlite.pragma('wal_autocheckpoint = 0');
  sqlite.pragma('wal_checkpoint(TRUNCATE)');
  for (const d of held) await ingest(d as never);
  const wal = readFileSync(`${sqlite.name}-wal`);
  const pageSize = wal.readUInt32BE(8);
  const frames: number[] = [];
  // A WAL file is a 32-byte header, then frames of a 24-byte header (the page number first) and a page.
  for (let at = 32; at + 24 + pageSize <= wal.length; at += 24 + pageSize) frames.push(wal.readUInt32BE(at));
  const treeOf = new Map((sqlite.prepare('select pageno, name from dbstat').all() as { pageno: number; name: string }[]).map((r) => [r.pageno, r.name]));
  const byTree = new Map<string, number>();
  for (const page of frames) byTree.set(treeOf.get(page) ?? '(freed)', (byTree.get(treeOf.get(page) ?? '(freed)') ?? 0) + 1 / held.length);
  sqlite.pragma('wal_autocheckpoint = 1000');
  return { total: frames.length / held.length, byTree: [...byTree].sort((a, b) => b[1] - a[1]) };
}

/**
 * A fresh database for the run: a SQLite file in a temporary directory (WAL, as `npm start` uses),
 * or with `--database postgres://…/any` a new database on that server, dropped afterwards.
 */
async function benchDatabase(url: string | undefined): Promise<{ db: Db; name: string; drop: () => Promise<void> }> {
  if (url === undefined || url.startsWith('sqlite')) {
    const dir = mkdtempSync(join(tmpdir(), 'vitrine-bench-orders-'));
    const db = openDb(`sqlite:${join(dir, 'bench.db')}`);
    return { db, name: 'sqlite', drop: async () => { await db.close(); rmSync(dir, { recursive: true, force: true }); } };
  }
  const name = `vitrine_bench_${Date.now().toString(36)}`;
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try { await client.query(statement); } finally { await client.end(); }
  };
  await admin(`create database ${name}`);
  const dbUrl = new URL(url);
  dbUrl.pathname = `/${name}`;
  const db = openDb(dbUrl.toString());
  return { db, name: 'postgres', drop: async () => { await db.close(); await admin(`drop database ${name}`); } };
}

/**
 * CPU time of the main thread (user and system), from Linux's per-thread stat: the checkpoint
 * worker's time is not in it. Elsewhere, the whole process's.
 */
function mainThreadCpuUs(): number {
  try {
    const fields = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // utime and stime are fields 14 and 15 of stat(5), in clock ticks (100 per second on Linux).
    return (Number(fields[11]) + Number(fields[12])) * 10_000;
  } catch {
    const usage = process.cpuUsage();
    return usage.user + usage.system;
  }
}

/**
 * Completed commissions past their return window, with their orders and estimated->confirmed
 * postings, written straight into the tables (as if ingested earlier), so the settlement run has
 * `lines` lines to settle. Returns how many lines were loaded.
 */
async function bulkLoadSettleable(db: Kysely<Database>, lines: number, creatorIds: string[], orgId: string, sourceId: string): Promise<number> {
  const at = new Date(Date.now() - 20 * 24 * HOUR).toISOString();
  const settleableAt = new Date(Date.now() - 24 * HOUR).toISOString();
  const chunk = 50_000;
  for (let start = 0; start < lines; start += chunk) {
    await inTransaction(db, async (tx) => {
      const totals = new Map<string, number>();
      const add = (account: string, amount: number) => totals.set(account, (totals.get(account) ?? 0) + amount);
      const txId = `bench-load:${start}`;
      const orders = [];
      const commissions = [];
      for (let i = start; i < Math.min(lines, start + chunk); i++) {
        const creator = creatorIds[i % creatorIds.length]!;
        const withOrg = i % 2 === 0;
        const orderId = `ord_bench${i}`;
        orders.push({ id: orderId, source_id: sourceId, source_order_id: `BULK${i}`, currency: 'CNY', status: 'completed' as const, ordered_at: at, paid_at: at, completed_at: at, click_id: null, sub_id: null, paid_amount_minor: 1990, refunded_amount_minor: 0, state: '{}', creator_id: creator, attribution: 'click' as const, attribution_detail: '{}', created_at: at, updated_at: at });
        // 199: fee 20, then org 10% of 179 = 18 (when a member), creator the rest.
        const org = withOrg ? 18 : 0;
        const creatorShare = 179 - org;
        commissions.push({
          id: `com_bench${String(i).padStart(8, '0')}`, order_id: orderId, line_id: '1', source_id: sourceId, source_product_id: 'P1', product_id: null, currency: 'CNY', creator_id: creator,
          organisation_id: withOrg ? orgId : null, organisation_share_bps: withOrg ? 1000 : null, colonel_id: null, colonel_share_bps: null, platform_fee_bps: 1000, rate_bps: 1000, plan_kind: 'open' as const, plan_id: null,
          paid_amount_minor: 1990, refunded_amount_minor: 0, commission_minor: 199, creator_amount_minor: creatorShare, organisation_amount_minor: org, status: 'confirmed' as const, paid_at: at, settleable_at: settleableAt, settlement_id: null, created_at: at, updated_at: at,
        });
        add(`source:${sourceId}:receivable`, -199);
        add('platform:fee:confirmed', 20);
        add(`creator:${creator}:confirmed`, creatorShare);
        if (withOrg) add(`org:${orgId}:confirmed`, org);
      }
      await insertRows(tx, 'orders', orders);
      await insertRows(tx, 'commissions', commissions);
      // One transaction per chunk, with one posting per account: the lines' estimated->confirmed
      // moves, summed, as if ingested earlier.
      await appendTransactions(tx, [{ id: txId, kind: 'commission_moved', at, postings: [...totals].map(([account, amountMinor]) => ({ account, currency: 'CNY', amountMinor })) }], at);
    });
  }
  return lines;
}

/**
 * How long the main thread was ready to run but waited for a core (Linux's per-thread schedstat):
 * on two cores shared with the verifier, the checkpoints, the engine's threads and whatever else
 * the machine runs, the part of the wall time the event loop's CPU time does not explain.
 */
function mainThreadWaitedForCpuUs(): number {
  try {
    // schedstat: time on a CPU, time waiting on a run queue (ns), timeslices.
    return Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[1]) / 1000;
  } catch {
    return Number.NaN;
  }
}
