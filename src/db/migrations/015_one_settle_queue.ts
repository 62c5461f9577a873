import { sql, type Kysely } from 'kysely';

/**
 * One partial index for the lines a settlement can take and those the hourly move to settleable
 * can, where there were two (006): `commissions_settle_queue` on (id, settleable_at, status) for
 * statuses confirmed and settleable; `commissions_confirmed_due` goes. Every order completed put
 * its lines into both, each at a random place (by id), and those pages were a sixth of what an
 * ingestion delivery wrote. The hourly move reads the confirmed lines off the one index, the
 * status beside the id, walking it by id once per run.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('commissions_confirmed_due').execute();
  await db.schema.dropIndex('commissions_settle_queue').execute();
  await db.schema
    .createIndex('commissions_settle_queue')
    .on('commissions')
    .columns(['id', 'settleable_at', 'status'])
    .where(sql.ref('status'), 'in', sql`('confirmed', 'settleable')`)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('commissions_settle_queue').execute();
  await db.schema
    .createIndex('commissions_settle_queue')
    .on('commissions')
    .columns(['id', 'settleable_at'])
    .where(sql.ref('status'), 'in', sql`('confirmed', 'settleable')`)
    .execute();
  await db.schema
    .createIndex('commissions_confirmed_due')
    .on('commissions')
    .columns(['id', 'settleable_at'])
    .where(sql.ref('status'), '=', sql.lit('confirmed'))
    .execute();
}
