import type { Kysely } from 'kysely';

/**
 * A settlement run that stops keeps why (`error`): the run stays `running`, to be resumed by the
 * next call, and the operator, who may have started it from the console and left, sees where it
 * stopped and why. The next call that resumes the run clears it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('settlement_runs').addColumn('error', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('settlement_runs').dropColumn('error').execute();
}
