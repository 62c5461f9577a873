import type { Kysely } from 'kysely';

/** Showcases, store bindings, tracked links, clicks and their daily rollups, settings. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('showcase_items')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('creator_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('product_id', 'text', (c) => c.notNull().references('products.id'))
    .addColumn('via', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('pinned', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('visible', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('recommendation', 'text')
    .addColumn('added_final_price_minor', 'bigint', (c) => c.notNull())
    .addColumn('added_rate_bps', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('showcase_items_creator_product', ['creator_id', 'product_id'])
    .execute();
  await db.schema.createIndex('showcase_items_order').on('showcase_items').columns(['creator_id', 'pinned', 'position']).execute();

  await db.schema
    .createTable('store_bindings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('creator_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('source_id', 'text', (c) => c.notNull().references('sources.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('requested_at', 'text', (c) => c.notNull())
    .addColumn('decided_at', 'text')
    .addColumn('decided_by', 'text')
    .execute();
  await db.schema.createIndex('store_bindings_creator').on('store_bindings').columns(['creator_id', 'source_id']).execute();
  await db.schema.createIndex('store_bindings_source').on('store_bindings').columns(['source_id', 'status']).execute();

  await db.schema
    .createTable('links')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('creator_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('product_id', 'text', (c) => c.notNull().references('products.id'))
    .addColumn('item_id', 'text')
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('links_creator').on('links').columns(['creator_id', 'created_at']).execute();
  await db.schema.createIndex('links_item').on('links').column('item_id').execute();
  // The redirect cache is warmed at start with the newest links.
  await db.schema.createIndex('links_created').on('links').column('created_at').execute();

  await db.schema
    .createTable('clicks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('link_code', 'text', (c) => c.notNull())
    .addColumn('creator_id', 'text', (c) => c.notNull())
    .addColumn('product_id', 'text', (c) => c.notNull())
    .addColumn('source_id', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('clicked_at', 'text', (c) => c.notNull())
    .addColumn('ip_hash', 'text', (c) => c.notNull())
    .addColumn('ua_class', 'text', (c) => c.notNull())
    .addColumn('referrer', 'text')
    .addColumn('is_bot', 'integer', (c) => c.notNull())
    .addColumn('is_repeat', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('clicks_link').on('clicks').columns(['link_code', 'clicked_at']).execute();
  await db.schema.createIndex('clicks_creator').on('clicks').columns(['creator_id', 'clicked_at']).execute();

  await db.schema
    .createTable('settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['settings', 'clicks', 'links', 'store_bindings', 'showcase_items']) {
    await db.schema.dropTable(table).execute();
  }
}
