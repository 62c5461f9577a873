import { sql, type Kysely } from 'kysely';

/**
 * Orders and their events, attribution positions, commission plans, commissions, the double-entry
 * ledger, settlement runs and statements, withdrawals and payout batches.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('sources').addColumn('platform_fee_bps', 'integer').execute();

  await db.schema
    .createTable('orders')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('source_id', 'text', (c) => c.notNull().references('sources.id'))
    .addColumn('source_order_id', 'text', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('ordered_at', 'text', (c) => c.notNull())
    .addColumn('paid_at', 'text')
    .addColumn('completed_at', 'text')
    .addColumn('click_id', 'text')
    .addColumn('sub_id', 'text')
    .addColumn('paid_amount_minor', 'bigint', (c) => c.notNull())
    .addColumn('refunded_amount_minor', 'bigint', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('creator_id', 'text')
    .addColumn('attribution', 'text', (c) => c.notNull())
    .addColumn('attribution_detail', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('orders_source_key', ['source_id', 'source_order_id'])
    .execute();
  await db.schema.createIndex('orders_creator').on('orders').columns(['creator_id', 'ordered_at']).execute();
  await db.schema.createIndex('orders_attribution').on('orders').columns(['attribution', 'ordered_at']).execute();
  await db.schema.createIndex('orders_ordered').on('orders').column('ordered_at').execute();

  await db.schema
    .createTable('order_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('order_id', 'text', (c) => c.notNull().references('orders.id'))
    .addColumn('event_key', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('occurred_at', 'text', (c) => c.notNull())
    .addColumn('via', 'text', (c) => c.notNull())
    .addColumn('delivery_id', 'text')
    .addColumn('raw_status', 'text')
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('order_events_key', ['order_id', 'event_key'])
    .execute();

  await db.schema
    .createTable('webhook_deliveries')
    .addColumn('source_id', 'text', (c) => c.notNull())
    .addColumn('webhook_id', 'text', (c) => c.notNull())
    .addColumn('events', 'integer', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('webhook_deliveries_pk', ['source_id', 'webhook_id'])
    .execute();

  await db.schema
    .createTable('positions')
    .addColumn('sub_id', 'text', (c) => c.primaryKey())
    .addColumn('creator_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('source_id', 'text')
    .addColumn('label', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('positions_creator').on('positions').column('creator_id').execute();

  await db.schema
    .createTable('targeted_plans')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('product_id', 'text', (c) => c.notNull().references('products.id'))
    .addColumn('target_kind', 'text', (c) => c.notNull())
    .addColumn('target_id', 'text', (c) => c.notNull())
    .addColumn('rate_bps', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('starts_at', 'text', (c) => c.notNull())
    .addColumn('ends_at', 'text')
    .addColumn('note', 'text')
    .addColumn('requested_by', 'text', (c) => c.notNull())
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('targeted_plans_product').on('targeted_plans').columns(['product_id', 'status']).execute();

  await db.schema
    .createTable('colonel_activities')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('colonel_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('rate_bps', 'integer', (c) => c.notNull())
    .addColumn('share_bps', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('starts_at', 'text', (c) => c.notNull())
    .addColumn('ends_at', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('colonel_activity_products')
    .addColumn('activity_id', 'text', (c) => c.notNull().references('colonel_activities.id'))
    .addColumn('product_id', 'text', (c) => c.notNull().references('products.id'))
    .addPrimaryKeyConstraint('colonel_activity_products_pk', ['activity_id', 'product_id'])
    .execute();
  await db.schema.createIndex('colonel_activity_products_product').on('colonel_activity_products').column('product_id').execute();

  await db.schema
    .createTable('commissions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('order_id', 'text', (c) => c.notNull().references('orders.id'))
    .addColumn('line_id', 'text', (c) => c.notNull())
    .addColumn('source_id', 'text', (c) => c.notNull())
    .addColumn('source_product_id', 'text', (c) => c.notNull())
    .addColumn('product_id', 'text')
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('creator_id', 'text', (c) => c.notNull())
    .addColumn('organisation_id', 'text')
    .addColumn('organisation_share_bps', 'integer')
    .addColumn('colonel_id', 'text')
    .addColumn('colonel_share_bps', 'integer')
    .addColumn('platform_fee_bps', 'integer', (c) => c.notNull())
    .addColumn('rate_bps', 'integer', (c) => c.notNull())
    .addColumn('plan_kind', 'text', (c) => c.notNull())
    .addColumn('plan_id', 'text')
    .addColumn('paid_amount_minor', 'bigint', (c) => c.notNull())
    .addColumn('refunded_amount_minor', 'bigint', (c) => c.notNull())
    .addColumn('commission_minor', 'bigint', (c) => c.notNull())
    .addColumn('creator_amount_minor', 'bigint', (c) => c.notNull())
    .addColumn('organisation_amount_minor', 'bigint', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('paid_at', 'text', (c) => c.notNull())
    .addColumn('settleable_at', 'text')
    .addColumn('settlement_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('commissions_order_line', ['order_id', 'line_id'])
    .execute();
  await db.schema.createIndex('commissions_due').on('commissions').columns(['status', 'settleable_at']).execute();
  await db.schema.createIndex('commissions_creator').on('commissions').columns(['creator_id', 'paid_at']).execute();
  await db.schema.createIndex('commissions_organisation').on('commissions').columns(['organisation_id', 'paid_at']).execute();
  await db.schema.createIndex('commissions_settlement').on('commissions').column('settlement_id').execute();

  await db.schema
    .createTable('ledger_transactions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('ref', 'text')
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('ledger_postings')
    .addColumn('transaction_id', 'text', (c) => c.notNull().references('ledger_transactions.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('account', 'text', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('amount_minor', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('ledger_postings_pk', ['transaction_id', 'seq'])
    .execute();
  await db.schema.createIndex('ledger_postings_account').on('ledger_postings').columns(['account', 'currency']).execute();
  await db.schema
    .createTable('ledger_balances')
    .addColumn('account', 'text', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('balance_minor', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('ledger_balances_pk', ['account', 'currency'])
    .execute();

  await db.schema
    .createTable('settlement_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('as_of', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('started_by', 'text')
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .addColumn('lines', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('batches', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('summary', 'text')
    .execute();
  // At most one run at a time, on any node: a second insert of a running run fails.
  await db.schema.createIndex('settlement_runs_one_running').on('settlement_runs').column('status').unique().where(sql.ref('status'), '=', 'running').execute();
  await db.schema
    .createTable('settlement_clawbacks')
    .addColumn('transaction_id', 'text', (c) => c.primaryKey())
    .addColumn('settlement_id', 'text', (c) => c.notNull().references('settlement_runs.id'))
    .execute();
  await db.schema
    .createTable('statements')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('settlement_id', 'text', (c) => c.notNull().references('settlement_runs.id'))
    .addColumn('party_kind', 'text', (c) => c.notNull())
    .addColumn('party_id', 'text', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('lines', 'integer', (c) => c.notNull())
    .addColumn('settled_minor', 'bigint', (c) => c.notNull())
    .addColumn('clawed_back_minor', 'bigint', (c) => c.notNull())
    .addColumn('net_minor', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('statements_party', ['settlement_id', 'party_kind', 'party_id', 'currency'])
    .execute();
  await db.schema.createIndex('statements_by_party').on('statements').columns(['party_kind', 'party_id']).execute();

  await db.schema
    .createTable('payout_batches')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('closed_at', 'text')
    .execute();
  await db.schema
    .createTable('withdrawals')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('party_kind', 'text', (c) => c.notNull())
    .addColumn('party_id', 'text', (c) => c.notNull())
    .addColumn('requested_by', 'text', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('amount_minor', 'bigint', (c) => c.notNull())
    .addColumn('payee_name', 'text', (c) => c.notNull())
    .addColumn('payee_account', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('batch_id', 'text')
    .addColumn('idempotency_key', 'text')
    .addColumn('failure_reason', 'text')
    .addColumn('requested_at', 'text', (c) => c.notNull())
    .addColumn('decided_at', 'text')
    .addUniqueConstraint('withdrawals_idempotency', ['requested_by', 'idempotency_key'])
    .execute();
  await db.schema.createIndex('withdrawals_party').on('withdrawals').columns(['party_kind', 'party_id', 'requested_at']).execute();
  await db.schema.createIndex('withdrawals_status').on('withdrawals').columns(['status', 'batch_id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  const tables = [
    'withdrawals', 'payout_batches', 'statements', 'settlement_clawbacks', 'settlement_runs', 'ledger_balances', 'ledger_postings',
    'ledger_transactions', 'commissions', 'colonel_activity_products', 'colonel_activities', 'targeted_plans', 'positions',
    'webhook_deliveries', 'order_events', 'orders',
  ];
  for (const table of tables) await db.schema.dropTable(table).execute();
  await db.schema.alterTable('sources').dropColumn('platform_fee_bps').execute();
}
