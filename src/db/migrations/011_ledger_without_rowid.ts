import { SqliteAdapter, sql, type Kysely, type RawBuilder } from 'kysely';

/**
 * SQLite: the tables every order event appends to are stored in their primary key's order.
 *
 * A rowid table with a text primary key is two b-trees (the rows by rowid, and the key's index),
 * so each ledger transaction, posting and order event cost two inserts, and each commit wrote
 * the pages of both. `WITHOUT ROWID` keeps the rows in the key's b-tree: one insert, about half
 * the pages. Their rows are small, as SQLite advises for such tables (a posting is about 80
 * bytes). The commission indexes of organisations and settlements become partial: half the lines
 * have no organisation, and no line has a settlement until it is settled, yet each cost an entry.
 * A query `organisation_id = ?` or `settlement_id = ?` implies `is not null`, so SQLite still
 * uses them. PostgreSQL has no rowid tables and keeps its schema.
 *
 * Tables are rebuilt children first: `ledger_postings` refers to `ledger_transactions`, and
 * dropping a parent that still has children would fail its foreign key.
 */
const REBUILT: { table: string; create: RawBuilder<unknown>; columns: string; indexes?: RawBuilder<unknown>[] }[] = [
  {
    table: 'ledger_transactions',
    create: sql`create table ledger_transactions (
      id text primary key, kind text not null, at text not null, ref text, recorded_at text not null
    ) without rowid`,
    columns: 'id, kind, at, ref, recorded_at',
  },
  {
    table: 'ledger_postings',
    create: sql`create table ledger_postings (
      transaction_id text not null references ledger_transactions (id), seq integer not null, account text not null,
      currency text not null, amount_minor bigint not null,
      constraint ledger_postings_pk primary key (transaction_id, seq)
    ) without rowid`,
    columns: 'transaction_id, seq, account, currency, amount_minor',
  },
  {
    table: 'ledger_balances',
    create: sql`create table ledger_balances (
      account text not null, currency text not null, balance_minor bigint not null,
      constraint ledger_balances_pk primary key (account, currency)
    ) without rowid`,
    columns: 'account, currency, balance_minor',
  },
  {
    table: 'webhook_deliveries',
    create: sql`create table webhook_deliveries (
      source_id text not null, webhook_id text not null, events integer not null, received_at text not null,
      constraint webhook_deliveries_pk primary key (source_id, webhook_id)
    ) without rowid`,
    columns: 'source_id, webhook_id, events, received_at',
  },
];

export async function up(db: Kysely<unknown>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) return;
  await rebuild(db, REBUILT);
  await sql`drop index commissions_organisation`.execute(db);
  await sql`drop index commissions_settlement`.execute(db);
  await sql`create index commissions_organisation on commissions (organisation_id, paid_at) where organisation_id is not null`.execute(db);
  await sql`create index commissions_settlement on commissions (settlement_id) where settlement_id is not null`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) return;
  await sql`drop index commissions_organisation`.execute(db);
  await sql`drop index commissions_settlement`.execute(db);
  await sql`create index commissions_organisation on commissions (organisation_id, paid_at)`.execute(db);
  await sql`create index commissions_settlement on commissions (settlement_id)`.execute(db);
  await rebuild(
    db,
    REBUILT.map((t) => ({ ...t, create: sql.raw(t.create.compile(db).sql.replace(/\)\s*without rowid\s*$/, ')')) })),
  );
}

/** Moves each table aside, creates it anew, copies its rows, then drops the old ones, children first. */
async function rebuild(db: Kysely<unknown>, tables: typeof REBUILT): Promise<void> {
  for (const t of tables) await sql`alter table ${sql.table(t.table)} rename to ${sql.table(`${t.table}_old`)}`.execute(db);
  for (const t of tables) {
    await t.create.execute(db);
    await sql`insert into ${sql.table(t.table)} (${sql.raw(t.columns)}) select ${sql.raw(t.columns)} from ${sql.table(`${t.table}_old`)}`.execute(db);
  }
  for (const t of [...tables].reverse()) await sql`drop table ${sql.table(`${t.table}_old`)}`.execute(db);
}
