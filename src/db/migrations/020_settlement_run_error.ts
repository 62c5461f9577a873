import type { Kysely } from 'kysely';

/**
 * A settlement run that stops keeps why (`error`): the run stays `running`, to be resumed by the
 * next call, and the operator, who may have started it from the console and left, sees where it
 * stopped and why. The next call that resumes the run clears it. A run whose process died leaves
 * no error; its `heartbeat_at`, written as it starts and with each batch, tells that nothing is
 * working on it any more.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('settlement_runs').addColumn('error', 'text').execute();
  await db.schema.alterTable('settlement_runs').addColumn('heartbeat_at', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('settlement_runs').dropColumn('heartbeat_at').execute();
  await db.schema.alterTable('settlement_runs').dropColumn('error').execute();
}
