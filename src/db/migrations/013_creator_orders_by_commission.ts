import type { Kysely } from 'kysely';

/**
 * Drops `orders_creator` (creator, ordered_at), on SQLite and PostgreSQL: a creator's order list
 * is read off their commission lines now, through `commissions_creator` (creator, paid_at), the
 * index the earnings chart reads too. Every new attributed order wrote a page of both per-creator
 * indexes, each about 14% of the pages a delivery wrote; one serves both reads.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('orders_creator').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('orders_creator').on('orders').columns(['creator_id', 'ordered_at']).execute();
}
