import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { CompiledQuery, Kysely, PostgresDialect, SqliteDialect, type DatabaseConnection, type Driver } from 'kysely';
import pg from 'pg';
import { sqlitePathOf } from '../core/config.ts';
import { SqliteHandle } from './bulk.ts';
import { preparedNameOf } from './prepared.ts';
import type { Database } from './schema.ts';
import { WalSync } from './durability.ts';
import { loadWalBuffer } from './walbuffer.ts';

export type Dialect = 'sqlite' | 'postgres';

export interface Db {
  kysely: Kysely<Database>;
  /**
   * For reads that need not see an open transaction's writes (GET routes, the caller's session).
   * On a SQLite file, a second connection, read-only (`query_only`): WAL lets it read the last
   * commit while `kysely`'s one connection is inside a transaction, where a read on `kysely` waits
   * for the commit (an order delivery's transaction: up to a few hundred milliseconds). Elsewhere
   * (in memory, PostgreSQL's pool) `kysely` itself.
   */
  reads: Kysely<Database>;
  dialect: Dialect;
  /**
   * The raw better-sqlite3 handle behind `kysely` (SQLite only), for hot paths that need prepared
   * statements; use it only while holding Kysely's connection (`kysely.connection().execute`), so
   * it never runs inside another caller's open transaction.
   */
  sqlite?: SQLite.Database;
  /** SQLite only: runs on the idle connection just before each transaction begins (see `beforeTransaction`). */
  sqliteHooks?: SqliteHooks;
  /**
   * Resolves once every commit made before the call would survive a power loss: await it before
   * telling anyone outside that a write happened. On a SQLite file an fdatasync of its WAL off the
   * event loop, shared by the callers of the moment (`WalSync`); PostgreSQL's commits are synced
   * already, and a database in memory has nothing to sync.
   */
  durable(): Promise<void>;
  /** What `durable` syncs with, on a SQLite file. */
  walSync?: WalSync;
  /** Closes the connections, once what was committed is durable. */
  close(): Promise<void>;
}

export interface SqliteHooks {
  /**
   * Called with Kysely's one connection held and no transaction open on it, just before a
   * transaction begins: the one moment a long-running writer is sure to be between transactions.
   * A promise it returns is awaited (the connection still held, the event loop free) before the
   * transaction begins.
   */
  beforeTransaction?: () => void | Promise<void>;
}

/**
 * Runs `hooks.beforeTransaction` and waits for it: for code that begins its own transactions on
 * the raw handle, holding Kysely's connection (see SqliteHooks).
 */
export async function beforeSqliteTransaction(hooks: SqliteHooks | undefined): Promise<void> {
  const before = hooks?.beforeTransaction?.();
  if (before) await before;
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
  if (path !== ':memory:') {
    mkdirSync(dirname(path), { recursive: true });
    loadWalBuffer();
  }
  const database = new SQLite(path);
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  database.pragma('cache_size = -65536');
  // Statement journals in memory: a multi-row write inside a transaction journals each page it
  // touches so that it alone can be undone, and past 64 KiB SQLite spilled that journal to a
  // temporary file, a system call per page (about 5% of order ingestion).
  database.pragma('temp_store = MEMORY');
  // After the WAL is started over, a file grown by a burst of writes is cut back to this: above
  // what it reaches under steady ingestion (RESTART_FRAMES of 4 KiB and the transactions before
  // the start-over: up to ~310 MiB in the orders bench), so that the file is overwritten in place
  // rather than cut back and grown again, a new block at a time, on every start-over.
  database.pragma(`journal_size_limit = ${512 * 1024 * 1024}`);
  const hooks: SqliteHooks = {};
  const kysely = new Kysely<Database>({ dialect: new VitrineSqliteDialect(database, hooks), plugins: [new SqliteHandle(database)] });
  const reads = path === ':memory:' ? kysely : openSqliteReads(path);
  const walSync = path === ':memory:' ? undefined : new WalSync(`${path}-wal`);
  const durable = async () => walSync?.durable();
  const close = async () => {
    // The last connection to close checkpoints and syncs; a server's beside this one keeps the WAL.
    if (database.open) await durable();
    if (reads !== kysely) await reads.destroy();
    await kysely.destroy();
  };
  return { kysely, reads, dialect: 'sqlite', sqlite: database, sqliteHooks: hooks, walSync, durable, close };
}

/**
 * The read connection of a SQLite file (`Db.reads`). Its transactions are SQLite's own deferred
 * ones and its statements are cached as the main connection's are; it has no raw handle plugin,
 * so the bulk helpers run on it through Kysely. A write on it fails (`query_only`) rather than
 * slipping past the main connection's transactions.
 */
function openSqliteReads(path: string): Kysely<Database> {
  const database = new SQLite(path);
  database.pragma('busy_timeout = 5000');
  database.pragma('cache_size = -16384');
  database.pragma('temp_store = MEMORY');
  database.pragma('query_only = ON');
  return new Kysely<Database>({ dialect: new VitrineSqliteDialect(database, {}, { immediate: false }) });
}

/** Statements kept prepared per connection; texts beyond it (IN-lists of every length) are prepared again when next used. */
const CACHED_STATEMENTS = 256;

/**
 * Kysely's SQLite dialect with two changes. Its connection prepares every query again each time
 * it runs; here a statement is prepared once per SQL text and reused (least recently used texts
 * are dropped past CACHED_STATEMENTS), a statement still being iterated is never handed out twice.
 * And a transaction begins `immediate`, after `hooks.beforeTransaction` (see `HookedDriver`), except on
 * the read connection (`immediate: false`), whose transactions only read.
 */
class VitrineSqliteDialect extends SqliteDialect {
  constructor(
    database: SQLite.Database,
    private readonly hooks: SqliteHooks,
    private readonly options = { immediate: true },
  ) {
    const cache = new Map<string, SQLite.Statement>();
    super({
      database: {
        close: () => database.close(),
        prepare: (text: string) => {
          const cached = cache.get(text);
          if (cached !== undefined && !cached.busy) {
            cache.delete(text); // set again below: the map's order is the order of last use
            cache.set(text, cached);
            return cached;
          }
          const statement = database.prepare(text);
          if (cached === undefined) {
            cache.set(text, statement);
            if (cache.size > CACHED_STATEMENTS) cache.delete(cache.keys().next().value!);
          }
          return statement;
        },
      },
    });
  }

  override createDriver(): Driver {
    return this.options.immediate ? new HookedDriver(super.createDriver(), this.hooks) : super.createDriver();
  }
}

/** Kysely's SQLite driver, except for how a transaction begins. */
class HookedDriver implements Driver {
  constructor(
    private readonly driver: Driver,
    private readonly hooks: SqliteHooks,
  ) {}
  init(): Promise<void> {
    return this.driver.init();
  }
  acquireConnection(): Promise<DatabaseConnection> {
    return this.driver.acquireConnection();
  }
  /**
   * `begin immediate`, not Kysely's `begin`: the write lock is taken at once, waiting for another
   * process's writer (a CLI import beside the server) under busy_timeout. A deferred transaction
   * that read first and then wrote was refused at once with SQLITE_BUSY whatever the timeout
   * (SQLite does not wait to turn a read transaction into a write one), failing the request.
   */
  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    const before = this.hooks.beforeTransaction?.();
    if (before) await before;
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.driver.commitTransaction(connection);
  }
  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return this.driver.rollbackTransaction(connection);
  }
  savepoint: Driver['savepoint'] = (connection, name, compile) => this.driver.savepoint!(connection, name, compile);
  rollbackToSavepoint: Driver['rollbackToSavepoint'] = (connection, name, compile) => this.driver.rollbackToSavepoint!(connection, name, compile);
  releaseSavepoint: Driver['releaseSavepoint'] = (connection, name, compile) => this.driver.releaseSavepoint!(connection, name, compile);
  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.driver.releaseConnection(connection);
  }
  destroy(): Promise<void> {
    return this.driver.destroy();
  }
}

function openPostgres(url: string): Db {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle client can lose its server (a restart, a failover, an administrator): pg then emits
  // 'error' on the pool, which would crash the process if nobody listened. The pool replaces the
  // client on the next query; there is nothing else to do but say so.
  pool.on('error', (error: Error & { code?: string }) => {
    if (error.code !== '57P01') process.stderr.write(`postgres: idle connection lost: ${error.message}\n`);
  });
  // Texts registered by `preparedText` run as named statements: pg parses each once per connection.
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (config: unknown, values?: unknown, callback?: unknown) => {
      const name = typeof config === 'string' && Array.isArray(values) ? preparedNameOf(config) : undefined;
      return name === undefined ? query(config, values, callback) : query({ name, text: config, values }, callback);
    };
  });
  const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { kysely, reads: kysely, dialect: 'postgres', durable: async () => undefined, close: () => kysely.destroy() };
}
