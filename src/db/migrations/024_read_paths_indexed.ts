import { sql, type Kysely } from 'kysely';

/**
 * Three reads that went through a whole table, found by running the tests with every SELECT's
 * plan checked for a scan of a table that grows:
 *
 * - a colonel's earnings (`/api/earnings/daily`, `/api/earnings/summary` lines) are its commission
 *   lines by payment time, read by `colonel_id`: every commission line of the platform was read.
 *   Partial, as the organisations' is (011, 019): a line outside a colonel activity, most of them,
 *   puts no entry in it, so ingestion writes nothing more for those;
 * - the operator's statements, newest first, a page at a time (`GET /api/statements`): every
 *   statement was read and sorted for each page. In the list's own order, newest first and then
 *   by id, so a page is read off the index and stops at its limit;
 * - a payout batch's withdrawals (`GET /api/payout-batches/:id`, its CSV, its totals): read through
 *   every withdrawal ever batched. Partial: a withdrawal enters it once it is in a batch;
 * - the operator's latest withdrawals (`GET /api/withdrawals`, the 500 newest): every withdrawal
 *   was read and sorted;
 * - the operator's accounts, newest first, a page at a time, all or of one role
 *   (`GET /api/admin/users`): every account had been sent at once.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('commissions_colonel').on('commissions').columns(['colonel_id', 'paid_at']).where(sql.ref('colonel_id'), 'is not', null).execute();
  await db.schema.createIndex('statements_newest').on('statements').columns(['created_at desc', 'id']).execute();
  await db.schema.createIndex('withdrawals_batch').on('withdrawals').column('batch_id').where(sql.ref('batch_id'), 'is not', null).execute();
  await db.schema.createIndex('withdrawals_requested').on('withdrawals').column('requested_at').execute();
  await db.schema.createIndex('users_newest').on('users').columns(['created_at desc', 'id']).execute();
  await db.schema.createIndex('users_role_newest').on('users').columns(['role', 'created_at desc', 'id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('users_role_newest').execute();
  await db.schema.dropIndex('users_newest').execute();
  await db.schema.dropIndex('withdrawals_requested').execute();
  await db.schema.dropIndex('withdrawals_batch').execute();
  await db.schema.dropIndex('statements_newest').execute();
  await db.schema.dropIndex('commissions_colonel').execute();
}
