import { sql, type Kysely } from 'kysely';

/**
 * A partial index of the claw-back transactions, which every settlement run charges to itself
 * when it finishes (those not charged to a run yet). Without it, finding them read every ledger
 * transaction ever written, a cost that grew with the ledger however few claw-backs there were.
 * Claw-backs are rare, so ingestion pays for almost no entries.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('ledger_transactions_clawbacks')
    .on('ledger_transactions')
    .column('id')
    .where(sql.ref('kind'), '=', sql.lit('commission_clawed_back'))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('ledger_transactions_clawbacks').execute();
}
