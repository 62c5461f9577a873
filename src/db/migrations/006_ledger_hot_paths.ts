import { sql, type Kysely } from 'kysely';

/**
 * Indexes for what the ledger does most: append postings, and settle due lines in id order.
 *
 * - `ledger_postings_account` is dropped: no query looks postings up by account (balances are
 *   cached in `ledger_balances`; the drift check and the statements scan postings anyway), yet
 *   every posting paid for an entry at a random place in it.
 * - `commissions_due` (status, settleable_at) made a settlement batch read every due line and
 *   sort them all by id to take the first 5,000: quadratic over a run of 1M lines. It becomes two
 *   partial indexes in id order, with `settleable_at` beside the id, so a batch reads the next
 *   due ids straight off one: `commissions_settle_queue` holds the lines a settlement can still
 *   take, `commissions_confirmed_due` those the hourly move to settleable can. Lines
 *   still estimated, settled or reversed are in neither, so booking them costs no entry.
 *   Queries name the statuses as literals, as the indexes do: SQLite matches a partial index's
 *   condition when it prepares the statement, not against bound values.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('ledger_postings_account').execute();
  await db.schema.dropIndex('commissions_due').execute();
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

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('commissions_confirmed_due').execute();
  await db.schema.dropIndex('commissions_settle_queue').execute();
  await db.schema.createIndex('commissions_due').on('commissions').columns(['status', 'settleable_at']).execute();
  await db.schema.createIndex('ledger_postings_account').on('ledger_postings').columns(['account', 'currency']).execute();
}
