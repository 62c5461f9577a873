import type { Kysely } from 'kysely';

/**
 * A Taobao source's 渠道邀请码 (from 渠道管理 in the Union's back office): with it a creator
 * registers as a channel of the source's account by authorising on Taobao (渠道备案), and gets
 * the relation id their links carry, without copying it by hand.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('source_connections').addColumn('inviter_code', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('source_connections').dropColumn('inviter_code').execute();
}
