import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CompiledQuery, sql, type Kysely } from 'kysely';
import pg from 'pg';
import { openDb, type Db, type Dialect } from './connection.ts';
import type { Database } from './schema.ts';
import { inTransaction } from './transaction.ts';
import { isPostgres } from './dialect.ts';
import { migrateToLatest } from './migrate.ts';

/**
 * The dialects every storage test runs on: SQLite always, PostgreSQL when TEST_DATABASE_URL
 * points at a server (`.ci/run` sets it). Tests are written once: `describe.each(DIALECTS)`.
 */
export const DIALECTS: Dialect[] = process.env.TEST_DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];

export interface TestDb extends Db {
  url: string;
}

/** A fresh, migrated database of its own: a temp file, or a new PostgreSQL database dropped on close. */
export async function openTestDb(dialect: Dialect): Promise<TestDb> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'vitrine-test-'));
    const url = `sqlite:${join(dir, 'test.db')}`;
    const db = openDb(url);
    await migrateToLatest(db.kysely);
    return { ...db, url, close: async () => { await db.close(); rmSync(dir, { recursive: true, force: true }); } };
  }
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) throw new Error('TEST_DATABASE_URL is not set');
  const name = `vitrine_test_${randomBytes(6).toString('hex')}`;
  await withAdmin(adminUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const db = openDb(url.toString());
  await migrateToLatest(db.kysely);
  return {
    ...db,
    url: url.toString(),
    close: async () => {
      await db.close();
      await withAdmin(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

async function withAdmin<T>(adminUrl: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/**
 * `db` as a caller's code would use it, with every statement it runs kept (compiled, as the
 * database gets them): to read the plan of a service's own query with `queryPlan`.
 */
export function watchedQueries<DB>(db: Kysely<DB>): { spy: Kysely<DB>; seen: CompiledQuery[] } {
  const seen: CompiledQuery[] = [];
  const spy = db.withPlugin({
    transformQuery: (args) => {
      seen.push(db.getExecutor().compileQuery(args.node, args.queryId));
      return args.node;
    },
    transformResult: async (args) => args.result,
  });
  return { spy, seen };
}

/**
 * The plan of a compiled statement, as the database would run it (SQLite's `explain query plan`,
 * PostgreSQL's `explain`). PostgreSQL is told not to scan, as a test's table of a few rows would
 * invite it to.
 */
export async function queryPlan(q: Kysely<any>, query: CompiledQuery): Promise<string> {
  const postgres = isPostgres(q);
  return q.connection().execute(async (conn) => {
    if (postgres) await sql`set enable_seqscan = off`.execute(conn);
    const rows = (await conn.executeQuery<Record<string, string>>(CompiledQuery.raw(`${postgres ? 'explain' : 'explain query plan'} ${query.sql}`, [...query.parameters]))).rows;
    if (postgres) await sql`reset enable_seqscan`.execute(conn);
    return rows.map((r) => r.detail ?? r['QUERY PLAN']).join('\n');
  });
}

/**
 * Another request's long transaction (an order delivery, say): `work` runs in a transaction on
 * `db` that then stays open until the returned `release` is called; awaiting `release` waits for
 * the commit.
 */
export async function holdTransaction(db: Kysely<Database>, work: (tx: Kysely<Database>) => Promise<unknown>): Promise<() => Promise<void>> {
  let release!: () => void;
  let ran!: () => void;
  const workDone = new Promise<void>((resolve) => (ran = resolve));
  const held = inTransaction(db, async (tx) => {
    await work(tx);
    ran();
    await new Promise<void>((resolve) => (release = resolve));
  });
  await Promise.race([workDone, held]); // `held` settles first only if `work` failed: it throws here
  return async () => {
    release();
    await held;
  };
}
