import { sql, type Kysely } from 'kysely';

/**
 * A merchant's sales by day (`GET /api/merchant/sales`) are its sources' orders by payment time:
 * without this index they were found by reading every order of the period, anyone's. Partial: an
 * order enters it once paid, so orders reported before payment cost nothing until then.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('orders_source_paid')
    .on('orders')
    .columns(['source_id', 'paid_at'])
    .where(sql.ref('paid_at'), 'is not', null)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('orders_source_paid').execute();
}
