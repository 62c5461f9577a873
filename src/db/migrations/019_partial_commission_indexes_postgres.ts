import { PostgresAdapter, sql, type Kysely } from 'kysely';

/**
 * PostgreSQL: the commission indexes of organisations and settlements become partial, as SQLite's
 * did in 011. Half the lines have no organisation and no line has a settlement until it is
 * settled, yet each new line put an entry in both, and each line a settlement run rewrote (a new
 * row version, with an entry in every index) put one in the organisation's again. A query
 * `organisation_id = $1` or `settlement_id = $1` implies `is not null`, so the planner still uses
 * them. Rebuilding them takes a lock on `commissions` for as long as it runs.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  await sql`drop index commissions_organisation`.execute(db);
  await sql`drop index commissions_settlement`.execute(db);
  await sql`create index commissions_organisation on commissions (organisation_id, paid_at) where organisation_id is not null`.execute(db);
  await sql`create index commissions_settlement on commissions (settlement_id) where settlement_id is not null`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  await sql`drop index commissions_organisation`.execute(db);
  await sql`drop index commissions_settlement`.execute(db);
  await sql`create index commissions_organisation on commissions (organisation_id, paid_at)`.execute(db);
  await sql`create index commissions_settlement on commissions (settlement_id)`.execute(db);
}
