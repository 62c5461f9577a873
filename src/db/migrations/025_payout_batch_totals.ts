import { sql, type Kysely } from 'kysely';

/**
 * A payout batch keeps its own totals: how many lines, their amount and currency, how many are
 * paid and how many failed. They were summed from the batch's withdrawals on every read: the
 * operator's list of batches read every batched withdrawal there ever was (~90 ms at 200,000), and
 * deciding a line looked through the batch's lines for one still open, so deciding a batch of
 * 40,000 lines one at a time read the batch 40,000 times. Written with the batch, and moved by one
 * with each line decided, in the same transaction (the batch's row is locked first on
 * PostgreSQL); batches made before are counted here from their lines.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const column of ['withdrawals', 'paid', 'failed'] as const) {
    await db.schema.alterTable('payout_batches').addColumn(column, 'integer', (c) => c.notNull().defaultTo(0)).execute();
  }
  await db.schema.alterTable('payout_batches').addColumn('amount_minor', 'bigint', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('payout_batches').addColumn('currency', 'text', (c) => c.notNull().defaultTo('CNY')).execute();
  await sql`
    update payout_batches set
      withdrawals = (select count(*) from withdrawals w where w.batch_id = payout_batches.id),
      amount_minor = (select coalesce(sum(w.amount_minor), 0) from withdrawals w where w.batch_id = payout_batches.id),
      currency = coalesce((select min(w.currency) from withdrawals w where w.batch_id = payout_batches.id), 'CNY'),
      paid = (select count(*) from withdrawals w where w.batch_id = payout_batches.id and w.status = 'paid'),
      failed = (select count(*) from withdrawals w where w.batch_id = payout_batches.id and w.status = 'failed')
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const column of ['currency', 'amount_minor', 'failed', 'paid', 'withdrawals']) await db.schema.alterTable('payout_batches').dropColumn(column).execute();
}
