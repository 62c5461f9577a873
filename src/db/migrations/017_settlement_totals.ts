import { sql, type Kysely } from 'kysely';

/**
 * What each account gained in `settled` by each settlement run, kept as the run's batches land
 * (in each batch's transaction), so that finishing a run reads its own few rows. It summed the
 * postings of the transactions named after the run instead: on PostgreSQL, whose `LIKE` on a
 * prefix cannot use an index under a collation other than C, that read every posting ever
 * written, a cost growing with the ledger. A run still going when this lands keeps what its
 * batches settled so far.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('settlement_totals')
    .addColumn('settlement_id', 'text', (c) => c.notNull().references('settlement_runs.id'))
    .addColumn('account', 'text', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('amount_minor', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('settlement_totals_pk', ['settlement_id', 'account', 'currency'])
    .execute();
  await sql`insert into settlement_totals (settlement_id, account, currency, amount_minor)
    select r.id, p.account, p.currency, sum(p.amount_minor)
    from settlement_runs r join ledger_postings p on p.transaction_id like 'settlement:' || r.id || ':%'
    where r.status = 'running' and p.account like '%:settled'
    group by r.id, p.account, p.currency`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('settlement_totals').execute();
}
