import { PostgresAdapter, type Kysely } from 'kysely';

/** True on PostgreSQL: for the few statements SQLite does not have (FOR UPDATE, SKIP LOCKED). */
export function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}
