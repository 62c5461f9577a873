import { sql, type Kysely } from 'kysely';

/**
 * A position says what the platform issued: a 推广位 (`position`: PDD pid, JD positionId, Taobao
 * adzone_id) or, at Taobao, a channel's 渠道关系 id (`relation`: relation_id). Both credit an order
 * that names them; only a relation id is appended to the creator's Taobao links (`relationId`),
 * which is how Taobao learns whose channel a sale came through. The two are numbers alike, so the
 * creator says which.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('positions').addColumn('kind', 'text', (c) => c.notNull().defaultTo('position')).execute();
  await sql`create index positions_creator_source on positions (creator_id, source_id, kind)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('positions_creator_source').execute();
  await db.schema.alterTable('positions').dropColumn('kind').execute();
}
