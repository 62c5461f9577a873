import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

/**
 * Runs `work` in a transaction: a new one, or the caller's when `db` already is one (so an
 * operation can be both a unit of its own and a step of a larger unit, like the demo fill).
 */
export function inTransaction<T>(db: Kysely<Database>, work: (tx: Kysely<Database>) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db) : db.transaction().execute(work);
}

/**
 * PostgreSQL's codes for a transaction that lost a race to a concurrent one: a unique key the
 * other inserted first, a deadlock, a serialization failure. Run again, the transaction sees the winner's rows. SQLite has one writer at a time,
 * so its transactions never lose such races.
 */
const LOST_RACE = new Set(['23505', '40P01', '40001']);

/**
 * Like `inTransaction`, but a new transaction that lost a race to a concurrent one is run again
 * from the start (at most `attempts` times in all). `work` must be safe to run again: whatever it
 * wrote was rolled back.
 */
export async function inRetriedTransaction<T>(db: Kysely<Database>, work: (tx: Kysely<Database>) => Promise<T>, attempts = 5): Promise<T> {
  if (db.isTransaction) return work(db);
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().execute(work);
    } catch (error) {
      if (attempt >= attempts || !LOST_RACE.has((error as { code?: unknown }).code as string)) throw error;
    }
  }
}
