import { PostgresAdapter, type Kysely } from 'kysely';

/** True on PostgreSQL: for the few statements SQLite does not have (FOR UPDATE, SKIP LOCKED). */
export function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/**
 * Between the transactions of a long job: on SQLite, lets the event loop answer what waits
 * (better-sqlite3 runs each statement on it, and a chain of them never waits for I/O, so a job of
 * many transactions otherwise holds the server until its last). PostgreSQL's queries wait on the
 * network, which gives the loop its turns.
 */
export async function yieldOnSqlite(db: Kysely<any>): Promise<void> {
  if (!isPostgres(db)) await new Promise((resolve) => setImmediate(resolve));
}
