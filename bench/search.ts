/**
 * Pool search: the in-process index against SQLite FTS5 on the same catalogue, in the same run.
 *
 *   npm run bench -- search --products 1000000 [--seed 1] [--queries 2100] [--warmup 300] [--baseline none]
 *
 * Builds N products from the synthetic catalogue into the index through a bulk load, a page at a
 * time, as the start-up rebuild does (timed: tokenisation in its worker included; the CPU of all
 * threads beside the rate, which a busy machine skews), measures the resident set with the index
 * loaded (the product objects released), then runs a fixed mix of queries — a common, rare or
 * very broad text, two filters, each sort, 20 per page — against the index and against SQLite
 * FTS5 (in memory; titles segmented by the same tokenizer; a plain table of the filter/sort columns
 * joined by rowid; MATCH + WHERE + ORDER BY + LIMIT). The index also counts the total and the
 * facets of every query; SQLite is not asked to. The index's figures are cold (its remembered
 * counts forgotten before each query); the same mix is then run warm and shown beside them.
 *
 *   npm run bench -- search --products 1000000 [--seed 1] --rebuild
 *
 * Times a server's start-up instead: the same catalogue written to a migrated SQLite file (not
 * timed), then `PoolService.rebuild()` reading it back into a fresh index (timed, end to end).
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { generateCatalogue, type CatalogueProduct } from '../src/modules/pool/catalogue/generate.ts';
import { POOL_SORTS, type PoolSort } from '../src/modules/pool/model.ts';
import { openDb } from '../src/db/connection.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { commissionPerUnitMinor, finalPriceMinor, groupKeyOf } from '../src/modules/pool/rules.ts';
import { PoolService } from '../src/modules/pool/service.ts';
import { MemoryPoolIndex } from '../src/modules/pool/search/memory-index.ts';
import { docTermImpacts } from '../src/modules/pool/search/relevance.ts';
import { analyseQuery } from '../src/modules/pool/search/tokenize.ts';
import type { PoolBulkLoad, PoolDoc, PoolQuery } from '../src/modules/pool/search/types.ts';

const NOW = '2026-11-25T08:00:00Z';
const NOW_MS = Date.parse(NOW);
const DEFAULT_RATE_BPS = 1_000;
const PAGE = 20;
const BUILD_PAGE = 50_000;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function poolDoc(p: CatalogueProduct, i: number): PoolDoc {
  const finalPrice = finalPriceMinor(p.priceMinor, p.coupon, NOW);
  const rate = p.commissionRateBps ?? DEFAULT_RATE_BPS;
  return {
    productId: `prd_${i.toString(36).padStart(6, '0')}`,
    title: p.title,
    brand: p.brand,
    categoryPath: p.categoryPath,
    sourceId: `src_${p.sourceKey}`,
    platform: p.sourceKey,
    priceMinor: p.priceMinor,
    finalPriceMinor: finalPrice,
    rateBps: rate,
    commissionMinor: commissionPerUnitMinor(finalPrice, rate),
    sales30d: p.sales30d ?? 0,
    shopScore: p.shopScore,
    hasCoupon: finalPrice < p.priceMinor,
    updatedAtMs: NOW_MS - ((i * 2_654_435_761) % 2_592_000_000),
    online: p.online,
  };
}

function* catalogueDocs(n: number, seed: number): Generator<PoolDoc> {
  let i = 0;
  for (const p of generateCatalogue(n, seed)) yield poolDoc(p, i++);
}

// ---------------------------------------------------------------------------------- query mix

type QueryClass = 'common' | 'rare' | 'broad';
interface BenchQuery {
  cls: QueryClass;
  query: PoolQuery;
}

/** Texts with the top-level category a shopper searching them would browse. */
const TEXTS: Record<QueryClass, [string, string][]> = {
  common: [['手机', '数码'], ['充电宝', '数码'], ['运动鞋', '鞋包'], ['羽绒服', '服饰'], ['冲锋衣', '服饰'], ['纸尿裤', '母婴'], ['iphone', '数码'], ['蓝牙耳机', '数码'], ['面膜', '美妆'], ['口红', '美妆'], ['保温杯', '家居'], ['空气炸锅', '家电'], ['猫粮', '宠物'], ['扫地机器人', '家电']],
  rare: [['华为 mate60 12gb', '数码'], ['iphone 15 pro max', '数码'], ['wh-1000xm5', '数码'], ['redmi k70', '数码'], ['红楼梦 精装典藏版', '图书'], ['20000mah 磁吸充电宝', '数码'], ['三只松鼠 每日坚果 1kg', '食品'], ['戴森 v15 吸尘器', '家电'], ['拯救者y9000p', '数码'], ['new balance 9060', '鞋包'], ['兰蔻 小黑瓶精华', '美妆'], ['飞鹤 3段奶粉', '母婴']],
  broad: [['学生', '服饰'], ['官方', '数码'], ['送礼', '美妆'], ['礼盒装', '食品'], ['正品', '家居']],
};
const CLASS_WEIGHTS: [QueryClass, number][] = [['common', 5], ['rare', 3], ['broad', 2]];

/** Two filters, as a creator narrowing the pool would. */
const FILTER_PAIRS: ((category: string) => Partial<PoolQuery>)[] = [
  () => ({ platforms: ['jd', 'pdd'], priceMax: 30_000 }),
  () => ({ hasCoupon: true, rateMin: 1_000 }),
  (category) => ({ category, shopScoreMin: 480 }),
  () => ({ priceMin: 5_000, priceMax: 50_000, rateMin: 500 }),
  () => ({ sourceIds: ['src_taobao'], shopScoreMin: 470 }),
  (category) => ({ category, hasCoupon: true }),
];

function queryMix(count: number, seed: number): BenchQuery[] {
  let s = seed >>> 0;
  const random = () => ((s = (Math.imul(s, 1_103_515_245) + 12_345) >>> 0) / 4_294_967_296);
  const total = CLASS_WEIGHTS.reduce((a, [, w]) => a + w, 0);
  const out: BenchQuery[] = [];
  for (let i = 0; i < count; i++) {
    let r = random() * total;
    const cls = CLASS_WEIGHTS.find(([, w]) => (r -= w) < 0)?.[0] ?? 'common';
    const [q, category] = TEXTS[cls][Math.floor(random() * TEXTS[cls].length)]!;
    const filters = FILTER_PAIRS[Math.floor(random() * FILTER_PAIRS.length)]!(category);
    out.push({ cls, query: { q, ...filters, sort: POOL_SORTS[i % POOL_SORTS.length]!, limit: PAGE } });
  }
  return out;
}

// ------------------------------------------------------------------------------------- sqlite

const SQL_ORDER: Record<PoolSort, string> = {
  relevance: 'bm25(fts), p.commission DESC, p.product_id',
  commission: 'p.commission DESC, p.product_id',
  rate: 'p.rate DESC, p.product_id',
  sales: 'p.sales DESC, p.product_id',
  price_asc: 'p.final_price ASC, p.product_id',
  price_desc: 'p.final_price DESC, p.product_id',
  newest: 'p.updated_at DESC, p.product_id',
};

function buildSqlite(docs: Iterable<PoolDoc>): Database.Database {
  const db = new Database(':memory:');
  db.exec(`
    CREATE TABLE products (rowid INTEGER PRIMARY KEY, product_id TEXT NOT NULL, source_id TEXT NOT NULL, platform TEXT,
      cat0 TEXT, cat1 TEXT, final_price INTEGER, rate INTEGER, commission INTEGER, sales INTEGER, shop_score INTEGER,
      has_coupon INTEGER, updated_at INTEGER);
    CREATE VIRTUAL TABLE fts USING fts5(body, content='');`);
  const product = db.prepare('INSERT INTO products VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)');
  const text = db.prepare('INSERT INTO fts (rowid, body) VALUES (?, ?)');
  let rowid = 0;
  const insert = db.transaction((batch: PoolDoc[]) => {
    for (const d of batch) {
      rowid++;
      product.run(rowid, d.productId, d.sourceId, d.platform, d.categoryPath[0] ?? null, d.categoryPath[1] ?? null, d.finalPriceMinor, d.rateBps, d.commissionMinor, d.sales30d, d.shopScore, d.hasCoupon ? 1 : 0, d.updatedAtMs);
      text.run(rowid, docTermImpacts(d).terms.join(' '));
    }
  });
  let batch: PoolDoc[] = [];
  for (const d of docs) {
    if (!d.online) continue;
    batch.push(d);
    if (batch.length === 10_000) {
      insert(batch);
      batch = [];
    }
  }
  insert(batch);
  return db;
}

function sqliteSearch(db: Database.Database, statements: Map<string, Database.Statement>, q: PoolQuery): string[] {
  const where: string[] = ['fts MATCH ?'];
  const params: unknown[] = [analyseQuery(q.q ?? '').required.map((t) => `"${t.text.replaceAll('"', '""')}"`).join(' AND ')];
  const inList = (column: string, values: string[]) => {
    where.push(`${column} IN (${values.map(() => '?').join(',')})`);
    params.push(...values);
  };
  if (q.platforms) inList('p.platform', q.platforms);
  if (q.sourceIds) inList('p.source_id', q.sourceIds);
  if (q.category !== undefined) {
    where.push('(p.cat0 = ? OR p.cat1 = ?)');
    params.push(q.category, q.category);
  }
  const compare = (sql: string, value: number | undefined) => {
    if (value === undefined) return;
    where.push(sql);
    params.push(value);
  };
  compare('p.final_price >= ?', q.priceMin);
  compare('p.final_price <= ?', q.priceMax);
  compare('p.rate >= ?', q.rateMin);
  compare('p.shop_score >= ?', q.shopScoreMin);
  compare('p.has_coupon = ?', q.hasCoupon === undefined ? undefined : q.hasCoupon ? 1 : 0);
  const sql = `SELECT p.product_id FROM fts JOIN products p ON p.rowid = fts.rowid WHERE ${where.join(' AND ')} ORDER BY ${SQL_ORDER[q.sort]} LIMIT ${q.limit}`;
  let statement = statements.get(sql);
  if (!statement) statements.set(sql, (statement = db.prepare(sql).pluck()));
  return statement.all(...params) as string[];
}

// ----------------------------------------------------------------------------------- measuring

interface Timings {
  all: number[];
  byClass: Map<QueryClass, number[]>;
}

function timeQueries(queries: BenchQuery[], warmup: BenchQuery[], answer: (q: PoolQuery) => string[]): { timings: Timings; answers: string[][] } {
  for (const { query } of warmup) answer(query);
  const timings: Timings = { all: [], byClass: new Map() };
  const answers: string[][] = [];
  for (const { cls, query } of queries) {
    const t0 = performance.now();
    const ids = answer(query);
    const ms = performance.now() - t0;
    answers.push(ids);
    timings.all.push(ms);
    timings.byClass.set(cls, [...(timings.byClass.get(cls) ?? []), ms]);
  }
  return { timings, answers };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

const round = (ms: number, digits = 3) => Number(ms.toFixed(digits));
const rssMb = () => Math.round(process.memoryUsage().rss / 1_048_576);

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ')).join('\n');
}

function latencyRows(name: string, t: Timings): string[][] {
  const row = (label: string, v: number[]) => [name, label, String(v.length), ...[50, 90, 99].map((p) => percentile(v, p).toFixed(3)), Math.max(...v).toFixed(3)];
  return [...[...t.byClass].sort(([a], [b]) => a.localeCompare(b)).map(([cls, v]) => row(cls, v)), row('all', t.all)];
}

// ------------------------------------------------------------------------------ start-up rebuild

/** The catalogue as product rows of a migrated SQLite file, one source per platform. */
function writeCatalogue(sqlite: Database.Database, n: number, seed: number): void {
  const sources = new Set<string>();
  const source = sqlite.prepare("INSERT INTO sources (id, kind, name, platform, webhook_secret, enabled, created_at) VALUES (?, 'platform', ?, ?, 'x', 1, ?)");
  const product = sqlite.prepare(`INSERT INTO products (id, source_id, source_product_id, title, brand, category_path, images, currency, price_minor,
    coupon_amount_minor, coupon_threshold_minor, coupon_starts_at, coupon_ends_at, final_price_minor, commission_rate_bps, rate_from_feed,
    commission_amount_minor, sales_30d, shop_name, shop_score, product_url, status, group_key, created_at, updated_at, last_import_id)
    VALUES (?, ?, ?, ?, ?, ?, '[]', 'CNY', ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, NULL, ?, ?, ?, ?, 'imp_bench')`);
  const insert = sqlite.transaction((rows: { p: CatalogueProduct; d: PoolDoc }[]) => {
    for (const { p, d } of rows) {
      if (!sources.has(d.sourceId)) {
        source.run(d.sourceId, d.sourceId, d.platform, NOW);
        sources.add(d.sourceId);
      }
      const c = p.coupon;
      const updatedAt = new Date(d.updatedAtMs).toISOString();
      product.run(d.productId, d.sourceId, p.sourceProductId, p.title, p.brand, p.categoryPath.join('>'), p.priceMinor, c?.amountMinor ?? null, c?.thresholdMinor ?? null,
        c?.startsAt ?? null, c?.endsAt ?? null, d.finalPriceMinor, d.rateBps, d.commissionMinor, d.sales30d, p.shopName, p.shopScore, p.online ? 'online' : 'offline',
        groupKeyOf(p.brand, p.title), updatedAt, updatedAt);
    }
  });
  let batch: { p: CatalogueProduct; d: PoolDoc }[] = [];
  let i = 0;
  for (const p of generateCatalogue(n, seed)) {
    batch.push({ p, d: poolDoc(p, i++) });
    if (batch.length === 10_000) {
      insert(batch);
      batch = [];
    }
  }
  insert(batch);
}

async function rebuildBench(n: number, seed: number, log: (line: string) => void): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'vitrine-bench-rebuild-'));
  const db = openDb(`sqlite:${join(dir, 'pool.db')}`);
  try {
    await migrateToLatest(db.kysely);
    let t0 = performance.now();
    writeCatalogue(db.sqlite!, n, seed);
    log(`wrote ${n.toLocaleString()} products to SQLite in ${((performance.now() - t0) / 1000).toFixed(1)} s (not timed)`);
    t0 = performance.now();
    const live = await new PoolService(db.kysely, new MemoryPoolIndex()).rebuild();
    const seconds = (performance.now() - t0) / 1000;
    const rate = Math.round(n / seconds);
    log(`rebuild on start: ${live.toLocaleString()} live products indexed from ${n.toLocaleString()} rows in ${seconds.toFixed(2)} s = ${rate.toLocaleString()} products/s`);
    log(`load average at the end: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    log(JSON.stringify({ bench: 'search-rebuild', products: n, live, rebuild_s: Number(seconds.toFixed(2)), rebuild_docs_per_s: rate }));
  } finally {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(options: Record<string, string>): Promise<void> {
  const n = Number(options.products ?? 100_000);
  const seed = Number(options.seed ?? 1);
  if (options.rebuild === 'true') return rebuildBench(n, seed, (line) => process.stdout.write(`${line}\n`));
  const count = Number(options.queries ?? 2_100);
  const log = (line: string) => process.stdout.write(`${line}\n`);
  const rssStart = rssMb();

  // Built a page at a time through a bulk load, as a service loads its pool from the database (its
  // worker thread tokenising one chunk while this thread writes the previous one): the load is timed
  // from its start to its close, worker start-up included; generating the pages is not.
  const index = new MemoryPoolIndex();
  let generateSeconds = 0;
  let buildSeconds = 0;
  let buildCpuUs = 0;
  const timed = async (work: () => unknown) => {
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    await work();
    const cpu = process.cpuUsage(cpu0);
    buildSeconds += (performance.now() - t0) / 1000;
    buildCpuUs += cpu.user + cpu.system;
  };
  const pages = catalogueDocs(n, seed);
  let load!: PoolBulkLoad;
  await timed(() => (load = index.bulkLoad()));
  for (let done = 0; done < n; ) {
    const t0 = performance.now();
    const page: PoolDoc[] = [];
    for (let r = pages.next(); !r.done; r = pages.next()) if (page.push(r.value) === BUILD_PAGE) break;
    generateSeconds += (performance.now() - t0) / 1000;
    await timed(() => load.add(page));
    done += page.length;
  }
  await timed(() => load.close());
  const buildRate = Math.round(n / buildSeconds);
  // CPU of every thread (the worker's included) while the build was timed: comparable on a busy machine, where the rate is not
  const buildCpuUsPerDoc = Number((buildCpuUs / n).toFixed(2));
  log(`generated ${n.toLocaleString()} products in ${generateSeconds.toFixed(1)} s (not timed)`);
  log(`index: ${index.size.toLocaleString()} live products built in ${buildSeconds.toFixed(2)} s = ${buildRate.toLocaleString()} products/s (CPU of all threads ${buildCpuUsPerDoc} µs a product)`);
  gc();
  const rss = rssMb();
  const mem = process.memoryUsage();
  log(`memory with the index: rss ${rss} MB (${rss - rssStart} MB over the process at start), heap ${Math.round(mem.heapUsed / 1_048_576)} MB, array buffers ${Math.round(mem.arrayBuffers / 1_048_576)} MB`);

  const queries = queryMix(count, 7);
  const warmup = queryMix(Number(options.warmup ?? 300), 11);
  // Cold: the index's remembered counts are forgotten before every query, so each one counts its
  // total and facets as a query seen for the first time (or after the index changed) does. This is
  // the figure the targets are read against. Warm: the same mix with counts remembered, as the next
  // page or another sort of a search already made would find them.
  const mine = timeQueries(queries, warmup, (q) => {
    index.forgetCounts();
    return index.search(q).productIds;
  });
  const warm = timeQueries(queries, warmup, (q) => index.search(q).productIds);
  const warmRow = (t: Timings) => latencyRows('index (warm)', t).filter((r) => r[1] === 'all');
  const warmJson = { p50_ms: round(percentile(warm.timings.all, 50)), p99_ms: round(percentile(warm.timings.all, 99)) };

  if (options.baseline === 'none') {
    log('');
    log(table([['engine', 'class', 'queries', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms'], ...latencyRows('index', mine.timings), ...warmRow(warm.timings)]));
    log(`load average at the end: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    log(JSON.stringify({ bench: 'search', products: n, build_docs_per_s: buildRate, build_cpu_us_per_doc: buildCpuUsPerDoc, p50_ms: round(percentile(mine.timings.all, 50)), p99_ms: round(percentile(mine.timings.all, 99)), warm: warmJson, rss_mb: rss, baseline: null }));
    return;
  }
  const sqliteStart = performance.now();
  const db = buildSqlite(catalogueDocs(n, seed));
  log(`sqlite fts5: built in ${((performance.now() - sqliteStart) / 1000).toFixed(1)} s`);
  const statements = new Map<string, Database.Statement>();
  const theirs = timeQueries(queries, warmup, (q) => sqliteSearch(db, statements, q));

  const comparable = queries.map((q, i) => ({ q, i })).filter(({ q }) => q.query.sort !== 'relevance');
  const same = comparable.filter(({ i }) => JSON.stringify(mine.answers[i]) === JSON.stringify(theirs.answers[i])).length;
  const empty = mine.answers.filter((a) => a.length === 0).length;

  log('');
  log(table([['engine', 'class', 'queries', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms'], ...latencyRows('index', mine.timings), ...warmRow(warm.timings), ...latencyRows('sqlite-fts5', theirs.timings)]));
  log('');
  log(`same page as SQLite on ${same}/${comparable.length} queries not sorted by relevance (relevance: BM25 variants differ); ${empty} queries matched nothing`);
  log(`load average at the end: ${loadavg().map((l) => l.toFixed(2)).join(' ')} (other processes on the machine skew the tail)`);
  log(JSON.stringify({
    bench: 'search',
    products: n,
    build_docs_per_s: buildRate,
    build_cpu_us_per_doc: buildCpuUsPerDoc,
    p50_ms: round(percentile(mine.timings.all, 50)),
    p99_ms: round(percentile(mine.timings.all, 99)),
    warm: warmJson,
    rss_mb: rss,
    baseline: { name: 'sqlite-fts5', p50_ms: round(percentile(theirs.timings.all, 50)), p99_ms: round(percentile(theirs.timings.all, 99)) },
  }));
}
