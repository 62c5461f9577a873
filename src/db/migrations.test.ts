import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql, type Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openDb, type Db } from './connection.ts';
import { migrateThrough, migrateToLatest } from './migrate.ts';
import { eventLineOf, storedEventsOf } from '../modules/orders/event-record.ts';
import { isPostgres } from './dialect.ts';
import { DIALECTS, openTestDb, queryPlan } from './testing.ts';

/** A SQLite database in a directory of its own, migrated up to and including `name`; closed and removed after each test. */
let db: Db | undefined;
let dir: string | undefined;
afterEach(async () => {
  await db?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  db = dir = undefined;
});

async function openAt(name: string): Promise<Db> {
  dir = mkdtempSync(join(tmpdir(), 'vitrine-migration-'));
  db = openDb(`sqlite:${join(dir, 'm.db')}`);
  await migrateThrough(db.kysely, name);
  return db;
}

describe('migration 011 (SQLite ledger tables without rowid)', () => {
  it('keeps every transaction, posting, balance and delivery, and the foreign key from postings to transactions', async () => {
    const q = (await openAt('010_links_perf')).kysely;
    await q.insertInto('ledger_transactions').values([
      { id: 'tx1', kind: 'commission_estimated', at: '2026-11-01T00:00:00.000Z', ref: '{"order":"o1"}', recorded_at: '2026-11-01T00:00:01.000Z' },
      { id: 'tx2', kind: 'commission_moved', at: '2026-11-02T00:00:00.000Z', ref: null, recorded_at: '2026-11-02T00:00:01.000Z' },
    ]).execute();
    await q.insertInto('ledger_postings').values([
      { transaction_id: 'tx1', seq: 0, account: 'source:s:receivable', currency: 'CNY', amount_minor: -199 },
      { transaction_id: 'tx1', seq: 1, account: 'creator:c:estimated', currency: 'CNY', amount_minor: 199 },
      { transaction_id: 'tx2', seq: 0, account: 'creator:c:estimated', currency: 'CNY', amount_minor: -199 },
      { transaction_id: 'tx2', seq: 1, account: 'creator:c:confirmed', currency: 'CNY', amount_minor: 199 },
    ]).execute();
    await q.insertInto('ledger_balances').values([
      { account: 'source:s:receivable', currency: 'CNY', balance_minor: -199 },
      { account: 'creator:c:confirmed', currency: 'CNY', balance_minor: 199 },
    ]).execute();
    await q.insertInto('webhook_deliveries').values({ source_id: 's', webhook_id: 'msg_1', events: 3, received_at: '2026-11-01T00:00:00.000Z' }).execute();

    expect(await migrateToLatest(q)).toContain('011_ledger_without_rowid');

    expect(await q.selectFrom('ledger_transactions').selectAll().orderBy('id').execute()).toEqual([
      { id: 'tx1', kind: 'commission_estimated', at: '2026-11-01T00:00:00.000Z', ref: '{"order":"o1"}', recorded_at: '2026-11-01T00:00:01.000Z' },
      { id: 'tx2', kind: 'commission_moved', at: '2026-11-02T00:00:00.000Z', ref: null, recorded_at: '2026-11-02T00:00:01.000Z' },
    ]);
    expect(await q.selectFrom('ledger_postings').select(['transaction_id', 'seq', 'amount_minor']).orderBy('transaction_id').orderBy('seq').execute()).toEqual([
      { transaction_id: 'tx1', seq: 0, amount_minor: -199 },
      { transaction_id: 'tx1', seq: 1, amount_minor: 199 },
      { transaction_id: 'tx2', seq: 0, amount_minor: -199 },
      { transaction_id: 'tx2', seq: 1, amount_minor: 199 },
    ]);
    expect(await q.selectFrom('ledger_balances').select(['account', 'balance_minor']).orderBy('account').execute()).toEqual([
      { account: 'creator:c:confirmed', balance_minor: 199 },
      { account: 'source:s:receivable', balance_minor: -199 },
    ]);
    expect(await q.selectFrom('webhook_deliveries').select(['webhook_id', 'events']).execute()).toEqual([{ webhook_id: 'msg_1', events: 3 }]);

    const tables = await sql<{ name: string; sql: string }>`select name, sql from sqlite_master where type = 'table' and name in ('ledger_transactions', 'ledger_postings', 'ledger_balances', 'webhook_deliveries')`.execute(q);
    expect(tables.rows).toHaveLength(4);
    for (const t of tables.rows) expect(t.sql.toLowerCase()).toMatch(/without rowid$/);
    // The old tables are gone, and a posting of no transaction is still refused.
    expect((await sql<{ n: number }>`select count(*) as n from sqlite_master where name like '%_old'`.execute(q)).rows[0]!.n).toBe(0);
    await expect(q.insertInto('ledger_postings').values({ transaction_id: 'nope', seq: 0, account: 'a', currency: 'CNY', amount_minor: 1 }).execute()).rejects.toThrow(/FOREIGN KEY/);
    // The primary keys still refuse a second posting at the same place and a second delivery.
    await expect(q.insertInto('ledger_postings').values({ transaction_id: 'tx1', seq: 1, account: 'a', currency: 'CNY', amount_minor: 1 }).execute()).rejects.toThrow(/UNIQUE|PRIMARY/);
    await expect(q.insertInto('webhook_deliveries').values({ source_id: 's', webhook_id: 'msg_1', events: 1, received_at: 'x' }).execute()).rejects.toThrow(/UNIQUE|PRIMARY/);
  });

  it('makes the organisation and settlement indexes of commissions partial, and the planner still uses them', async () => {
    const q = (await openAt('011_ledger_without_rowid')).kysely;
    const indexes = await sql<{ name: string; sql: string }>`select name, sql from sqlite_master where type = 'index' and name in ('commissions_organisation', 'commissions_settlement')`.execute(q);
    expect(indexes.rows.map((r) => r.sql.toLowerCase())).toEqual(expect.arrayContaining([expect.stringContaining('where organisation_id is not null'), expect.stringContaining('where settlement_id is not null')]));
    const plan = await sql<{ detail: string }>`explain query plan select id from commissions where organisation_id = ${'org_1'} order by paid_at`.execute(q);
    expect(plan.rows.map((r) => r.detail).join(' ')).toContain('commissions_organisation');
    const bySettlement = await sql<{ detail: string }>`explain query plan select id from commissions where settlement_id = ${'stl_1'}`.execute(q);
    expect(bySettlement.rows.map((r) => r.detail).join(' ')).toContain('commissions_settlement');
  });

  it('goes down again to rowid tables with the same rows', async () => {
    const q = (await openAt('011_ledger_without_rowid')).kysely;
    await q.insertInto('ledger_transactions').values({ id: 'tx1', kind: 'k', at: 'a', ref: null, recorded_at: 'r' }).execute();
    await q.insertInto('ledger_postings').values({ transaction_id: 'tx1', seq: 0, account: 'x', currency: 'CNY', amount_minor: 0 }).execute();
    await migrateThrough(q, '010_links_perf');
    const tables = await sql<{ sql: string }>`select sql from sqlite_master where type = 'table' and name in ('ledger_transactions', 'ledger_postings')`.execute(q);
    for (const t of tables.rows) expect(t.sql.toLowerCase()).not.toContain('without rowid');
    expect(await q.selectFrom('ledger_postings').select('transaction_id').execute()).toEqual([{ transaction_id: 'tx1' }]);
  });
});

describe('migration 012 (SQLite order events stored by order)', () => {
  const EVENT = { status: 'paid' as const, occurred_at: '2026-11-01T00:00:00.000Z', via: 'webhook' as const, delivery_id: 'msg_1', raw_status: '12', payload: '{"orderId":"A1"}', received_at: '2026-11-01T00:00:01.000Z' };

  async function seedOrder(q: Db['kysely']): Promise<void> {
    await q.insertInto('users').values({ id: 'usr_1', role: 'merchant', email: 'm@x.dev', password_hash: 'x', name: 'M', handle: null, created_at: 'now' }).execute();
    await q.insertInto('sources').values({ id: 'src_1', kind: 'merchant', name: 'S', platform: null, owner_user_id: 'usr_1', webhook_secret: 'whsec_x', created_at: 'now' } as never).execute();
    await q.insertInto('orders').values({ id: 'ord_1', source_id: 'src_1', source_order_id: 'A1', currency: 'CNY', status: 'paid', ordered_at: 'a', paid_at: 'a', completed_at: null, click_id: null, sub_id: null, paid_amount_minor: 100, refunded_amount_minor: 0, state: '{}', creator_id: null, attribution: 'unattributed', attribution_detail: '{}', created_at: 'now', updated_at: 'now' }).execute();
  }

  it('keeps every event, clustered by order in a table without rowid, and the key and foreign key still hold', async () => {
    const q = (await openAt('011_ledger_without_rowid')).kysely;
    await seedOrder(q);
    await q.insertInto('order_events').values([
      { id: 'oev_2', order_id: 'ord_1', event_key: 'k2', ...EVENT },
      { id: 'oev_1', order_id: 'ord_1', event_key: 'k1', ...EVENT, delivery_id: null, raw_status: null },
    ]).execute();

    await migrateThrough(q, '012_order_events_clustered');

    expect(await q.selectFrom('order_events').selectAll().orderBy('id').execute()).toEqual([
      { id: 'oev_1', order_id: 'ord_1', event_key: 'k1', ...EVENT, delivery_id: null, raw_status: null },
      { id: 'oev_2', order_id: 'ord_1', event_key: 'k2', ...EVENT },
    ]);
    const table = await sql<{ sql: string }>`select sql from sqlite_master where type = 'table' and name = 'order_events'`.execute(q);
    expect(table.rows[0]!.sql.toLowerCase()).toMatch(/without rowid$/);
    expect((await sql<{ n: number }>`select count(*) as n from sqlite_master where name like '%_old'`.execute(q)).rows[0]!.n).toBe(0);
    await expect(q.insertInto('order_events').values({ id: 'oev_3', order_id: 'ord_1', event_key: 'k1', ...EVENT }).execute()).rejects.toThrow(/UNIQUE|PRIMARY/);
    await expect(q.insertInto('order_events').values({ id: 'oev_4', order_id: 'ord_nope', event_key: 'k9', ...EVENT }).execute()).rejects.toThrow(/FOREIGN KEY/);
    // An order's events are read off the primary key, with no other index to go through.
    const plan = await sql<{ detail: string }>`explain query plan select payload from order_events where order_id in (${'ord_1'}, ${'ord_2'})`.execute(q);
    expect(plan.rows.map((r) => r.detail).join(' ')).toMatch(/USING PRIMARY KEY/);
  });

  it('goes down again to a rowid table with the same rows', async () => {
    const q = (await openAt('012_order_events_clustered')).kysely;
    await seedOrder(q);
    await q.insertInto('order_events').values({ id: 'oev_1', order_id: 'ord_1', event_key: 'k1', ...EVENT }).execute();
    await migrateThrough(q, '011_ledger_without_rowid');
    const table = await sql<{ sql: string }>`select sql from sqlite_master where type = 'table' and name = 'order_events'`.execute(q);
    expect(table.rows[0]!.sql.toLowerCase()).not.toContain('without rowid');
    expect(await q.selectFrom('order_events').select(['id', 'event_key']).execute()).toEqual([{ id: 'oev_1', event_key: 'k1' }]);
  });
});

/** An index's definition, lower case; undefined when there is none. */
async function indexDefinition(q: Db['kysely'], name: string): Promise<string | undefined> {
  const rows = isPostgres(q)
    ? await sql<{ def: string }>`select indexdef as def from pg_indexes where indexname = ${name}`.execute(q)
    : await sql<{ def: string }>`select sql as def from sqlite_master where type = 'index' and name = ${name}`.execute(q);
  return rows.rows[0]?.def.toLowerCase();
}

describe.each(DIALECTS)('migration 013 (no per-creator index of orders) on %s', (dialect) => {

  it('drops orders_creator and keeps commissions_creator', async () => {
    const q = (db = await openTestDb(dialect)).kysely;
    expect(await indexDefinition(q, 'orders_creator')).toBeUndefined();
    expect(await indexDefinition(q, 'commissions_creator')).toMatch(/\("?creator_id"?, "?paid_at"?\)/);
  });

  it('goes down again to orders_creator on (creator_id, ordered_at), and up without it', async () => {
    const q = (db = await openTestDb(dialect)).kysely;
    await migrateThrough(q, '012_order_events_clustered');
    expect(await indexDefinition(q, 'orders_creator')).toMatch(/\("?creator_id"?, "?ordered_at"?\)/);
    expect(await migrateToLatest(q)).toContain('013_creator_orders_by_commission');
    expect(await indexDefinition(q, 'orders_creator')).toBeUndefined();
  });
});

describe.each(DIALECTS)('migration 014 (an order’s events in its row) on %s', (dialect) => {
  const RECEIVED = { via: 'webhook' as const, received_at: '2026-11-01T00:00:05.000Z' };
  const paid = { orderId: 'A1', status: 'paid', occurredAt: '2026-11-01T00:00:00.000Z', currency: 'CNY', clickId: 'clk_1', subId: null, lines: [{ lineId: '1', productId: 'P1', quantity: 1, paidAmountMinor: 1990, refundedAmountMinor: 0 }] };
  const completed = { ...paid, status: 'completed', occurredAt: '2026-11-03T00:00:00.000Z' };

  async function seedOrder(q: Db['kysely']): Promise<void> {
    await q.insertInto('users').values({ id: 'usr_1', role: 'merchant', email: 'm@x.dev', password_hash: 'x', name: 'M', handle: null, created_at: 'now' }).execute();
    await q.insertInto('sources').values({ id: 'src_1', kind: 'merchant', name: 'S', platform: null, owner_user_id: 'usr_1', webhook_secret: 'whsec_x', created_at: 'now' } as never).execute();
    await q.insertInto('orders').values({ id: 'ord_1', source_id: 'src_1', source_order_id: 'A1', currency: 'CNY', status: 'completed', ordered_at: 'a', paid_at: 'a', completed_at: 'b', click_id: null, sub_id: null, paid_amount_minor: 1990, refunded_amount_minor: 0, state: '{}', creator_id: null, attribution: 'unattributed', attribution_detail: '{}', created_at: 'now', updated_at: 'now' }).execute();
    await q.insertInto('orders').values({ id: 'ord_2', source_id: 'src_1', source_order_id: 'A2', currency: 'CNY', status: 'paid', ordered_at: 'a', paid_at: 'a', completed_at: null, click_id: null, sub_id: null, paid_amount_minor: 1, refunded_amount_minor: 0, state: '{}', creator_id: null, attribution: 'unattributed', attribution_detail: '{}', created_at: 'now', updated_at: 'now' }).execute();
  }

  it('moves every event into its order’s row, as received, and drops order_events', async () => {
    const q = (db = await openTestDb(dialect)).kysely;
    await migrateThrough(q, '013_creator_orders_by_commission');
    await seedOrder(q);
    await q.insertInto('order_events').values([
      { id: 'oev_2', order_id: 'ord_1', event_key: 'k2', status: 'completed', occurred_at: completed.occurredAt, delivery_id: null, raw_status: '3', payload: JSON.stringify(completed), ...RECEIVED, received_at: '2026-11-03T00:00:05.000Z' },
      { id: 'oev_1', order_id: 'ord_1', event_key: 'k1', status: 'paid', occurred_at: paid.occurredAt, delivery_id: 'msg_1', raw_status: null, payload: JSON.stringify(paid), ...RECEIVED },
    ]).execute();

    expect(await migrateToLatest(q)).toContain('014_order_events_in_orders');

    const rows = await q.selectFrom('orders').select(['id', 'events']).orderBy('id').execute();
    expect(storedEventsOf(rows[0]!.events)).toEqual([
      { key: 'k1', via: 'webhook', deliveryId: 'msg_1', rawStatus: null, receivedAt: RECEIVED.received_at, event: paid },
      { key: 'k2', via: 'webhook', deliveryId: null, rawStatus: '3', receivedAt: '2026-11-03T00:00:05.000Z', event: completed },
    ]);
    expect(rows[1]!.events).toBe('');
    const left = dialect === 'sqlite'
      ? await sql<{ n: number }>`select count(*) as n from sqlite_master where name = 'order_events'`.execute(q)
      : await sql<{ n: number }>`select count(*)::int as n from information_schema.tables where table_name = 'order_events'`.execute(q);
    expect(Number(left.rows[0]!.n)).toBe(0);
  });

  it('goes down again to order_events with the same events, and up to the same rows', async () => {
    const q = (db = await openTestDb(dialect)).kysely;
    await seedOrder(q);
    const lines = [paid, completed].map((event, i) => eventLineOf({ key: `k${i + 1}`, payload: JSON.stringify(event) }, { via: 'poll', deliveryId: null, rawStatus: String(i), receivedAt: RECEIVED.received_at })).join('');
    await q.updateTable('orders').set({ events: lines }).where('id', '=', 'ord_1').execute();

    await migrateThrough(q, '013_creator_orders_by_commission');
    const events = await (q as Kysely<any>).selectFrom('order_events').select(['order_id', 'event_key', 'status', 'occurred_at', 'via', 'raw_status', 'payload']).orderBy('event_key').execute();
    expect(events).toEqual([
      { order_id: 'ord_1', event_key: 'k1', status: 'paid', occurred_at: paid.occurredAt, via: 'poll', raw_status: '0', payload: JSON.stringify(paid) },
      { order_id: 'ord_1', event_key: 'k2', status: 'completed', occurred_at: completed.occurredAt, via: 'poll', raw_status: '1', payload: JSON.stringify(completed) },
    ]);

    expect(await migrateToLatest(q)).toContain('014_order_events_in_orders');
    const back = await q.selectFrom('orders').select('events').where('id', '=', 'ord_1').executeTakeFirstOrThrow();
    expect(storedEventsOf(back.events)).toEqual(storedEventsOf(lines));
  });
});

describe.each(DIALECTS)('migration 015 (one settle queue) on %s', (dialect) => {

  it('keeps one partial index of confirmed and settleable lines, with the status beside the id, which the hourly move reads', async () => {
    const q = (db = await openTestDb(dialect)).kysely;
    expect(await indexDefinition(q, 'commissions_confirmed_due')).toBeUndefined();
    expect(await indexDefinition(q, 'commissions_settle_queue')).toMatch(/\("?id"?, "?settleable_at"?, "?status"?\)/);
    if (dialect === 'sqlite') {
      const plan = await sql<{ detail: string }>`explain query plan select * from commissions where status in ('confirmed', 'settleable') and status = 'confirmed' and settleable_at <= ${'2026-12-01'} and id > ${''} order by id limit 1000`.execute(q);
      expect(plan.rows.map((r) => r.detail).join(' ')).toMatch(/USING INDEX commissions_settle_queue/);
    }
  });

  it('goes down again to the two indexes of 006, and up to one', async () => {
    const q = (db = await openTestDb(dialect)).kysely;
    await migrateThrough(q, '014_order_events_in_orders');
    expect(await indexDefinition(q, 'commissions_confirmed_due')).toMatch(/\("?id"?, "?settleable_at"?\)/);
    expect(await indexDefinition(q, 'commissions_settle_queue')).toMatch(/\("?id"?, "?settleable_at"?\)/);
    expect(await migrateToLatest(q)).toContain('015_one_settle_queue');
    expect(await indexDefinition(q, 'commissions_confirmed_due')).toBeUndefined();
  });
});

describe.each(DIALECTS)('migration 016 (claw-backs indexed) on %s', (dialect) => {
  it('indexes the claw-back transactions alone, and the finishing run finds them through it', async () => {
    const q = (db = await openTestDb(dialect)).kysely;
    expect(await indexDefinition(q, 'ledger_transactions_clawbacks')).toMatch(/where.*kind.*= 'commission_clawed_back'/);
    if (dialect === 'sqlite') {
      const plan = await sql<{ detail: string }>`explain query plan select t.id from ledger_transactions t where t.kind = 'commission_clawed_back' and not exists (select 1 from settlement_clawbacks c where c.transaction_id = t.id)`.execute(q);
      expect(plan.rows.map((r) => r.detail).join(' ')).toMatch(/USING COVERING INDEX ledger_transactions_clawbacks/);
    }
  });

  it('goes down again without it, and up with it', async () => {
    const q = (db = await openTestDb(dialect)).kysely;
    await migrateThrough(q, '015_one_settle_queue');
    expect(await indexDefinition(q, 'ledger_transactions_clawbacks')).toBeUndefined();
    expect(await migrateToLatest(q)).toEqual(['016_clawback_index', '017_settlement_totals', '018_commission_as_settled', '019_partial_commission_indexes_postgres', '020_settlement_run_error', '021_orders_by_source_and_payment', '022_position_kind', '023_taobao_inviter_code', '024_read_paths_indexed', '025_payout_batch_totals']);
    expect(await indexDefinition(q, 'ledger_transactions_clawbacks')).toBeDefined();
  });
});

describe.each(DIALECTS)('migration 017 (settlement totals) on %s', (dialect) => {
  it('gives a run still going the totals its batches settled so far, and no other run any', async () => {
    const q = (db = await openTestDb(dialect)).kysely;
    await migrateThrough(q, '016_clawback_index');
    const run = (id: string, status: 'running' | 'completed') => ({ id, as_of: '2026-11-01T00:00:00.000Z', status, started_by: null, started_at: '2026-11-01T00:00:00.000Z', finished_at: null, lines: 2, batches: 2, summary: null });
    await q.insertInto('settlement_runs').values([run('settlement_done', 'completed'), run('settlement_going', 'running')]).execute();
    const batch = (id: string, creatorShare: number) => [
      { transaction_id: id, seq: 0, account: 'creator:c1:confirmed', currency: 'CNY', amount_minor: -creatorShare },
      { transaction_id: id, seq: 1, account: 'creator:c1:settled', currency: 'CNY', amount_minor: creatorShare },
      { transaction_id: id, seq: 2, account: 'platform:fee:confirmed', currency: 'CNY', amount_minor: -20 },
      { transaction_id: id, seq: 3, account: 'platform:fee:settled', currency: 'CNY', amount_minor: 20 },
    ];
    const ids = ['settlement:settlement_done:com_1', 'settlement:settlement_going:com_2', 'settlement:settlement_going:com_9'];
    await q.insertInto('ledger_transactions').values(ids.map((id) => ({ id, kind: 'commission_moved', at: '2026-11-01T00:00:00.000Z', ref: null, recorded_at: '2026-11-01T00:00:00.000Z' }))).execute();
    await q.insertInto('ledger_postings').values([...batch(ids[0]!, 500), ...batch(ids[1]!, 179), ...batch(ids[2]!, 161)]).execute();

    expect(await migrateToLatest(q)).toEqual(['017_settlement_totals', '018_commission_as_settled', '019_partial_commission_indexes_postgres', '020_settlement_run_error', '021_orders_by_source_and_payment', '022_position_kind', '023_taobao_inviter_code', '024_read_paths_indexed', '025_payout_batch_totals']);
    const totals = await q.selectFrom('settlement_totals').selectAll().orderBy('account').execute();
    expect(totals.map((t) => [t.settlement_id, t.account, Number(t.amount_minor)])).toEqual([
      ['settlement_going', 'creator:c1:settled', 340],
      ['settlement_going', 'platform:fee:settled', 40],
    ]);
  });

  it('goes down again without the table, and up with it', async () => {
    const q = (db = await openTestDb(dialect)).kysely;
    await migrateThrough(q, '016_clawback_index');
    await expect(q.selectFrom('settlement_totals').select('account').execute()).rejects.toThrow(/settlement_totals/);
    expect(await migrateToLatest(q)).toEqual(['017_settlement_totals', '018_commission_as_settled', '019_partial_commission_indexes_postgres', '020_settlement_run_error', '021_orders_by_source_and_payment', '022_position_kind', '023_taobao_inviter_code', '024_read_paths_indexed', '025_payout_batch_totals']);
    expect(await q.selectFrom('settlement_totals').select('account').execute()).toEqual([]);
  });
});

describe.each(DIALECTS)('migration 018 (what a settled line was settled on) on %s', (dialect) => {
  it('goes down again without the column, and up with it empty', async () => {
    const q = (db = await openTestDb(dialect)).kysely;
    await migrateThrough(q, '017_settlement_totals');
    await expect(q.selectFrom('commissions').select('as_settled').execute()).rejects.toThrow(/as_settled/);
    expect(await migrateToLatest(q)).toEqual(['018_commission_as_settled', '019_partial_commission_indexes_postgres', '020_settlement_run_error', '021_orders_by_source_and_payment', '022_position_kind', '023_taobao_inviter_code', '024_read_paths_indexed', '025_payout_batch_totals']);
    expect(await q.selectFrom('commissions').select('as_settled').execute()).toEqual([]);
  });
});

describe.each(DIALECTS)('migration 019 (partial commission indexes on PostgreSQL too) on %s', (dialect) => {
  it('indexes only the lines with an organisation, and only the settled ones, and an organisation\'s lines are still read through its index', async () => {
    const q = (db = await openTestDb(dialect)).kysely;
    expect(await indexDefinition(q, 'commissions_organisation')).toMatch(/where.*organisation_id.* is not null/);
    expect(await indexDefinition(q, 'commissions_settlement')).toMatch(/where.*settlement_id.* is not null/);
    const query = q.selectFrom('commissions').select('id').where('organisation_id', '=', 'org_1').where('paid_at', '>=', '2026-11-01T00:00:00.000Z').compile();
    const plan = await queryPlan(q, query);
    expect(plan).toMatch(/commissions_organisation/);
  });

  it('goes down to the full indexes on PostgreSQL (SQLite has had partial ones since 011), and up again', async () => {
    const q = (db = await openTestDb(dialect)).kysely;
    await migrateThrough(q, '018_commission_as_settled');
    const partial = /is not null/;
    if (dialect === 'postgres') expect(await indexDefinition(q, 'commissions_organisation')).not.toMatch(partial);
    else expect(await indexDefinition(q, 'commissions_organisation')).toMatch(partial);
    expect(await migrateToLatest(q)).toEqual(['019_partial_commission_indexes_postgres', '020_settlement_run_error', '021_orders_by_source_and_payment', '022_position_kind', '023_taobao_inviter_code', '024_read_paths_indexed', '025_payout_batch_totals']);
    expect(await indexDefinition(q, 'commissions_organisation')).toMatch(partial);
    expect(await indexDefinition(q, 'commissions_settlement')).toMatch(partial);
  });
});

describe.each(DIALECTS)('migration 020 (why a settlement run stopped, and when it last moved) on %s', (dialect) => {
  it('goes down without the columns, and up with them empty on the runs there were', async () => {
    const q = (db = await openTestDb(dialect)).kysely;
    await migrateThrough(q, '019_partial_commission_indexes_postgres');
    await sql`insert into settlement_runs (id, as_of, status, started_by, started_at, finished_at, lines, batches, summary) values ('settlement_1', '2026-11-01T00:00:00.000Z', 'running', null, '2026-11-01T00:00:00.000Z', null, 3, 1, null)`.execute(q);
    await expect(q.selectFrom('settlement_runs').select('error').execute()).rejects.toThrow(/error/);
    await expect(q.selectFrom('settlement_runs').select('heartbeat_at').execute()).rejects.toThrow(/heartbeat_at/);
    expect(await migrateToLatest(q)).toEqual(['020_settlement_run_error', '021_orders_by_source_and_payment', '022_position_kind', '023_taobao_inviter_code', '024_read_paths_indexed', '025_payout_batch_totals']);
    expect(await q.selectFrom('settlement_runs').select(['id', 'lines', 'error', 'heartbeat_at']).execute()).toEqual([{ id: 'settlement_1', lines: 3, error: null, heartbeat_at: null }]);
  });
});

describe.each(DIALECTS)('migration 022 (what a position is) on %s', (dialect) => {
  it('keeps the positions there were, as 推广位, and goes down without the column', async () => {
    const q = (db = await openTestDb(dialect)).kysely;
    await migrateThrough(q, '021_orders_by_source_and_payment');
    await sql`insert into users (id, role, email, password_hash, name, created_at) values ('usr_1', 'creator', 'a@b.cn', 'x', 'a', '2026-11-01T00:00:00.000Z')`.execute(q);
    await sql`insert into positions (sub_id, creator_id, source_id, label, created_at) values ('p1', 'usr_1', null, null, '2026-11-01T00:00:00.000Z')`.execute(q);
    expect(await migrateToLatest(q)).toEqual(['022_position_kind', '023_taobao_inviter_code', '024_read_paths_indexed', '025_payout_batch_totals']);
    expect(await q.selectFrom('positions').select(['sub_id', 'kind']).execute()).toEqual([{ sub_id: 'p1', kind: 'position' }]);
    await migrateThrough(q, '021_orders_by_source_and_payment');
    await expect(q.selectFrom('positions').select('kind').execute()).rejects.toThrow(/kind/);
    expect(await q.selectFrom('positions').select('sub_id').execute()).toEqual([{ sub_id: 'p1' }]);
  });
});

describe.each(DIALECTS)('migration 023 (a Taobao source’s inviter code) on %s', (dialect) => {
  it('keeps the connections there were, without an inviter code, and goes down without the column', async () => {
    const q = (db = await openTestDb(dialect)).kysely;
    await migrateThrough(q, '022_position_kind');
    await sql`insert into sources (id, kind, name, platform, owner_user_id, default_commission_bps, enabled, webhook_secret, created_at) values ('src_1', 'platform', '淘宝联盟', 'taobao', null, null, 1, 'whsec_x', '2026-11-01T00:00:00.000Z')`.execute(q);
    await sql`insert into source_connections (source_id, app_key, app_secret, base_url, position_id, keywords, sync_every_minutes, next_sync_at) values ('src_1', 'k', 's', null, null, '[]', 60, '2026-11-01T00:00:00.000Z')`.execute(q);
    expect(await migrateToLatest(q)).toEqual(['023_taobao_inviter_code', '024_read_paths_indexed', '025_payout_batch_totals']);
    expect(await q.selectFrom('source_connections').select(['source_id', 'inviter_code']).execute()).toEqual([{ source_id: 'src_1', inviter_code: null }]);
    await migrateThrough(q, '022_position_kind');
    await expect(q.selectFrom('source_connections').select('inviter_code').execute()).rejects.toThrow(/inviter_code/);
    expect(await q.selectFrom('source_connections').select('app_key').execute()).toEqual([{ app_key: 'k' }]);
  });
});

describe.each(DIALECTS)('migration 024 (read paths of the money pages indexed) on %s', (dialect) => {
  it('adds a colonel’s, the newest statements’, a batch’s, the newest withdrawals’ and the newest accounts’ indexes, partial where most rows have no value, and goes down without them', async () => {
    const q = (db = await openTestDb(dialect)).kysely;
    expect(await indexDefinition(q, 'commissions_colonel')).toMatch(/\("?colonel_id"?, "?paid_at"?\).*where.*colonel_id"? is not null/);
    expect(await indexDefinition(q, 'statements_newest')).toMatch(/\("?created_at"? desc, "?id"?\)/);
    expect(await indexDefinition(q, 'withdrawals_batch')).toMatch(/\("?batch_id"?\).*where.*batch_id"? is not null/);
    expect(await indexDefinition(q, 'users_newest')).toMatch(/\("?created_at"? desc, "?id"?\)/);
    expect(await indexDefinition(q, 'users_role_newest')).toMatch(/\("?role"?, "?created_at"? desc, "?id"?\)/);
    expect(await indexDefinition(q, 'withdrawals_requested')).toMatch(/\("?requested_at"?\)/);
    await migrateThrough(q, '023_taobao_inviter_code');
    for (const name of ['commissions_colonel', 'statements_newest', 'withdrawals_batch', 'withdrawals_requested', 'users_newest', 'users_role_newest']) expect(await indexDefinition(q, name)).toBeUndefined();
    expect(await migrateToLatest(q)).toEqual(['024_read_paths_indexed', '025_payout_batch_totals']);
  });
});

describe.each(DIALECTS)('migration 025 (a payout batch keeps its totals) on %s', (dialect) => {
  it('counts the batches there were from their lines, and goes down without the columns', async () => {
    const q = (db = await openTestDb(dialect)).kysely;
    await migrateThrough(q, '024_read_paths_indexed');
    await sql`insert into users (id, role, email, password_hash, name, created_at) values ('usr_op', 'operator', 'op@b.cn', 'x', 'op', '2026-11-01T00:00:00.000Z')`.execute(q);
    await sql`insert into payout_batches (id, status, created_by, created_at, closed_at) values ('pb_1', 'open', 'usr_op', '2026-11-01T00:00:00.000Z', null), ('pb_2', 'open', 'usr_op', '2026-11-02T00:00:00.000Z', null)`.execute(q);
    const line = (id: string, status: string, amount: number) =>
      sql`insert into withdrawals (id, party_kind, party_id, requested_by, currency, amount_minor, payee_name, payee_account, status, batch_id, requested_at) values (${id}, 'creator', 'usr_op', 'usr_op', 'CNY', ${amount}, 'c', 'c@alipay', ${status}, ${status === 'requested' ? null : 'pb_1'}, '2026-10-30T00:00:00.000Z')`.execute(q);
    await line('wd_1', 'paid', 1000);
    await line('wd_2', 'failed', 250);
    await line('wd_3', 'in_batch', 99);
    await line('wd_4', 'requested', 5000);
    expect(await migrateToLatest(q)).toEqual(['025_payout_batch_totals']);
    const totals = await q.selectFrom('payout_batches').select(['id', 'withdrawals', 'amount_minor', 'currency', 'paid', 'failed']).orderBy('id').execute();
    expect(totals.map((t) => ({ ...t, withdrawals: Number(t.withdrawals), amount_minor: Number(t.amount_minor), paid: Number(t.paid), failed: Number(t.failed) }))).toEqual([
      { id: 'pb_1', withdrawals: 3, amount_minor: 1349, currency: 'CNY', paid: 1, failed: 1 },
      { id: 'pb_2', withdrawals: 0, amount_minor: 0, currency: 'CNY', paid: 0, failed: 0 },
    ]);
    await migrateThrough(q, '024_read_paths_indexed');
    await expect(q.selectFrom('payout_batches').select('paid').execute()).rejects.toThrow(/paid/);
    expect(await q.selectFrom('payout_batches').select('id').orderBy('id').execute()).toEqual([{ id: 'pb_1' }, { id: 'pb_2' }]);
  });
});
