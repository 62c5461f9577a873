import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { sqlitePathOf } from '../core/config.ts';
import { SqliteHandle } from './bulk.ts';
import type { Database } from './schema.ts';

export type Dialect = 'sqlite' | 'postgres';

export interface Db {
  kysely: Kysely<Database>;
  dialect: Dialect;
  /**
   * The raw better-sqlite3 handle behind `kysely` (SQLite only), for hot paths that need prepared
   * statements; use it only while holding Kysely's connection (`kysely.connection().execute`), so
   * it never runs inside another caller's open transaction.
   */
  sqlite?: SQLite.Database;
  close(): Promise<void>;
}

// int8 columns (counts, sums of minor units) come back as numbers: every amount we store is far
// below 2^53, and a string where a number is expected would be a bug waiting in every caller.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export function openDb(databaseUrl: string): Db {
  const sqlitePath = sqlitePathOf(databaseUrl);
  if (sqlitePath !== null) return openSqlite(sqlitePath);
  if (databaseUrl.startsWith('postgres://') || databaseUrl.startsWith('postgresql://')) {
    return openPostgres(databaseUrl);
  }
  throw new RangeError(`DATABASE_URL must be sqlite:PATH or postgres://…, got "${databaseUrl}"`);
}

function openSqlite(path: string): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const database = new SQLite(path);
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  database.pragma('cache_size = -65536');
  const kysely = new Kysely<Database>({ dialect: new SqliteDialect({ database }), plugins: [new SqliteHandle(database)] });
  return { kysely, dialect: 'sqlite', sqlite: database, close: () => kysely.destroy() };
}

function openPostgres(url: string): Db {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle client can lose its server (a restart, a failover, an administrator): pg then emits
  // 'error' on the pool, which would crash the process if nobody listened. The pool replaces the
  // client on the next query; there is nothing else to do but say so.
  pool.on('error', (error: Error & { code?: string }) => {
    if (error.code !== '57P01') process.stderr.write(`postgres: idle connection lost: ${error.message}\n`);
  });
  const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { kysely, dialect: 'postgres', close: () => kysely.destroy() };
}
