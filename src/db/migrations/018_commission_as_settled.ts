import type { Kysely } from 'kysely';

/**
 * A settled commission line keeps what it was settled on: its terms and refunds as they stood,
 * written by the first event that changes the line after settlement (a refund clawed back, a late
 * payment that re-terms it). A statement shows each line as it was settled, and its lines add up
 * to what it paid, however the lines moved since; what moved is in a later statement's
 * claw-backs. Lines changed after settlement before this migration keep no such record: what they
 * were settled on was not kept anywhere but in the ledger's totals.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('commissions').addColumn('as_settled', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('commissions').dropColumn('as_settled').execute();
}
