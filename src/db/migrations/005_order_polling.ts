import type { Kysely } from 'kysely';

/** Where order polling of a connected platform source got to, and its last error. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('source_connections').addColumn('orders_polled_until', 'text').execute();
  await db.schema.alterTable('source_connections').addColumn('orders_poll_error', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('source_connections').dropColumn('orders_poll_error').execute();
  await db.schema.alterTable('source_connections').dropColumn('orders_polled_until').execute();
}
