/**
 * How this machine compares with DESIGN's reference machine, on the three reference points DESIGN
 * gives: a bare `node:http` 302 server over an in-memory map of 1M links (~40,000 req/s, the load
 * generator on the same cores), @node-rs/jieba segmenting product titles (~250,000 titles/s), and
 * SQLite taking rows in batched transactions (~275,000 rows/s).
 *
 *   npm run bench -- machine [--duration 10] [--connections 50] [--titles 200000] [--rows 1000000]
 *
 * Each figure is divided by DESIGN's; the other benchmarks' figures can be read against the
 * targets through these ratios when the machine is not like the reference. The titles are the
 * catalogue generator's (the search benchmark's, ~32 characters), cut in precise mode without HMM
 * with jieba's own dictionary; the rows are a product's columns (text id, title, integers) into a
 * WAL file with `synchronous = NORMAL`, 10,000 a transaction. DESIGN does not say what its titles
 * and rows were, so those two ratios say how this machine differs more than by how much.
 * Prints a table and, last, one JSON line.
 */
import Database from 'better-sqlite3';
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateCatalogue } from '../src/modules/pool/catalogue/generate.ts';
import { load, rps, startChild, stopChild } from './redirect.ts';

const REFERENCE = { bareHttpRps: 40_000, jiebaTitlesPerS: 250_000, sqliteRowsPerS: 275_000 };

async function bareHttp(dir: string, duration: number, connections: number): Promise<number> {
  const codes: string[] = [];
  const pairs: [string, string][] = [];
  for (let i = 0; i < 1_000_000; i++) {
    const code = `c${i.toString(36)}`;
    codes.push(code);
    pairs.push([code, `https://item.jd.com/${100_000 + (i % 1000)}.html`]);
  }
  const file = join(dir, 'codes.json');
  writeFileSync(file, JSON.stringify(pairs));
  const server = await startChild(['--import', 'tsx', 'bench/redirect-baseline-server.ts', file], {}, 'stdout', (out) => /^(\d+)\n/.exec(out)?.[1]);
  try {
    const warm = await load(server.url, codes, { amount: 20_000, connections });
    const full = await load(server.url, codes, { amount: Math.round(duration * rps(warm)), connections });
    return rps(full);
  } finally {
    await stopChild(server.child);
  }
}

function jiebaTitles(count: number): number {
  const require = createRequire(import.meta.url);
  const { Jieba } = require('@node-rs/jieba') as { Jieba: { withDict(dict: Uint8Array): { cut(s: string, hmm?: boolean): string[] } } };
  const { dict } = require('@node-rs/jieba/dict') as { dict: Uint8Array };
  const jieba = Jieba.withDict(dict);
  const titles = Array.from(generateCatalogue(count, 1), (p) => p.title);
  for (const t of titles.slice(0, 20_000)) jieba.cut(t, false);
  let best = 0;
  for (let round = 0; round < 3; round++) {
    const started = performance.now();
    for (const t of titles) jieba.cut(t, false);
    best = Math.max(best, titles.length / ((performance.now() - started) / 1000));
  }
  return best;
}

function sqliteRows(dir: string, count: number): number {
  const db = new Database(join(dir, 'rows.db'));
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec('create table products (id text primary key, title text not null, price_minor integer not null, rate_bps integer not null, updated_at text not null)');
    const insert = db.prepare('insert into products values (?, ?, ?, ?, ?)');
    const titles = Array.from(generateCatalogue(10_000, 2), (p) => p.title);
    const batch = db.transaction((from: number, to: number) => {
      for (let i = from; i < to; i++) insert.run(`prd_${i.toString(36).padStart(8, '0')}`, titles[i % titles.length], 990 + (i % 50_000), 500 + (i % 3000), '2026-11-26T00:00:00.000Z');
    });
    const started = performance.now();
    for (let at = 0; at < count; at += 10_000) batch(at, Math.min(count, at + 10_000));
    return count / ((performance.now() - started) / 1000);
  } finally {
    db.close();
  }
}

export async function run(options: Record<string, string>): Promise<void> {
  const duration = Number(options.duration ?? 10);
  const connections = Number(options.connections ?? 50);
  const titles = Number(options.titles ?? 200_000);
  const rows = Number(options.rows ?? 1_000_000);
  const dir = mkdtempSync(join(tmpdir(), 'vitrine-bench-machine-'));
  try {
    const measured = { bareHttpRps: await bareHttp(dir, duration, connections), jiebaTitlesPerS: jiebaTitles(titles), sqliteRowsPerS: sqliteRows(dir, rows) };
    const ratio = (k: keyof typeof REFERENCE) => measured[k] / REFERENCE[k];
    const label = { bareHttpRps: 'bare node:http 302, 1M links (req/s)', jiebaTitlesPerS: 'jieba, catalogue titles (titles/s)', sqliteRowsPerS: 'SQLite batched inserts (rows/s)' };
    console.log('| reference point | this machine | DESIGN | ratio |');
    console.log('| --- | ---: | ---: | ---: |');
    for (const k of Object.keys(REFERENCE) as (keyof typeof REFERENCE)[]) {
      console.log(`| ${label[k]} | ${Math.round(measured[k]).toLocaleString('en')} | ${REFERENCE[k].toLocaleString('en')} | ${ratio(k).toFixed(2)} |`);
    }
    const load1 = loadavg().map((l) => l.toFixed(2)).join(' ');
    console.log(`load average (1/5/15 min): ${load1}`);
    const r = (x: number) => Math.round(x * 100) / 100;
    console.log(
      JSON.stringify({
        bench: 'machine',
        bare_http_rps: Math.round(measured.bareHttpRps),
        jieba_titles_per_s: Math.round(measured.jiebaTitlesPerS),
        sqlite_rows_per_s: Math.round(measured.sqliteRowsPerS),
        bare_http_ratio: r(ratio('bareHttpRps')),
        jieba_ratio: r(ratio('jiebaTitlesPerS')),
        sqlite_ratio: r(ratio('sqliteRowsPerS')),
        load_avg: load1,
      }),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
