import type { Kysely } from 'kysely';

/** The product pool, import runs with their rejected rows, and source sync settings. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('products')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('source_id', 'text', (c) => c.notNull().references('sources.id'))
    .addColumn('source_product_id', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('brand', 'text')
    .addColumn('category_path', 'text', (c) => c.notNull())
    .addColumn('images', 'text', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('price_minor', 'bigint', (c) => c.notNull())
    .addColumn('coupon_amount_minor', 'bigint')
    .addColumn('coupon_threshold_minor', 'bigint')
    .addColumn('coupon_starts_at', 'text')
    .addColumn('coupon_ends_at', 'text')
    .addColumn('final_price_minor', 'bigint', (c) => c.notNull())
    .addColumn('commission_rate_bps', 'integer', (c) => c.notNull())
    .addColumn('rate_from_feed', 'integer', (c) => c.notNull())
    .addColumn('commission_amount_minor', 'bigint', (c) => c.notNull())
    .addColumn('sales_30d', 'bigint', (c) => c.notNull())
    .addColumn('shop_name', 'text')
    .addColumn('shop_score', 'integer')
    .addColumn('product_url', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('group_key', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('last_import_id', 'text', (c) => c.notNull())
    .addUniqueConstraint('products_source_key', ['source_id', 'source_product_id'])
    .execute();
  await db.schema.createIndex('products_source_status').on('products').columns(['source_id', 'status', 'id']).execute();
  await db.schema.createIndex('products_group').on('products').columns(['group_key', 'status']).execute();
  await db.schema.createIndex('products_last_import').on('products').columns(['last_import_id', 'id']).execute();

  await db.schema
    .createTable('import_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('source_id', 'text', (c) => c.notNull().references('sources.id'))
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('started_by', 'text')
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .addColumn('imported', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('offline', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rejected', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('error', 'text')
    .execute();
  await db.schema.createIndex('import_runs_source').on('import_runs').columns(['source_id', 'id']).execute();

  await db.schema
    .createTable('import_rejections')
    .addColumn('import_id', 'text', (c) => c.notNull().references('import_runs.id'))
    .addColumn('row', 'integer', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('import_rejections_pk', ['import_id', 'row'])
    .execute();

  await db.schema
    .createTable('source_connections')
    .addColumn('source_id', 'text', (c) => c.primaryKey().references('sources.id'))
    .addColumn('app_key', 'text', (c) => c.notNull())
    .addColumn('app_secret', 'text', (c) => c.notNull())
    .addColumn('base_url', 'text')
    .addColumn('position_id', 'text')
    .addColumn('keywords', 'text', (c) => c.notNull())
    .addColumn('sync_every_minutes', 'integer', (c) => c.notNull())
    .addColumn('next_sync_at', 'text', (c) => c.notNull())
    .addColumn('last_sync_at', 'text')
    .addColumn('last_sync_error', 'text')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['source_connections', 'import_rejections', 'import_runs', 'products']) {
    await db.schema.dropTable(table).execute();
  }
}
