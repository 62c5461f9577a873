import { SqliteAdapter, sql, type Kysely } from 'kysely';

/**
 * SQLite: an order's events are stored together, in the order of its unique key (order id, event
 * key), in a `WITHOUT ROWID` table.
 *
 * As a rowid table with a text primary key and a unique key, each event cost three inserts (the
 * row by rowid, the `id` index, the `(order_id, event_key)` index) and its commit the pages of
 * all three; reading an order's events back (each delivery does, to fold a new event into its
 * history) went through the key index and then to the rows one by one. Now the row is in the key's
 * b-tree: one insert, and an order's events are side by side. `id` stays a column (the operator's
 * history sorts ties by it) without an index of its own: nothing looks an event up by id.
 * PostgreSQL keeps its schema.
 */
const COLUMNS = 'id, order_id, event_key, status, occurred_at, via, delivery_id, raw_status, payload, received_at';

export async function up(db: Kysely<unknown>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) return;
  await rebuild(
    db,
    sql`create table order_events (
      id text not null, order_id text not null references orders (id), event_key text not null, status text not null,
      occurred_at text not null, via text not null, delivery_id text, raw_status text, payload text not null, received_at text not null,
      constraint order_events_key primary key (order_id, event_key)
    ) without rowid`,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) return;
  await rebuild(
    db,
    sql`create table order_events (
      id text primary key, order_id text not null references orders (id), event_key text not null, status text not null,
      occurred_at text not null, via text not null, delivery_id text, raw_status text, payload text not null, received_at text not null,
      constraint order_events_key unique (order_id, event_key)
    )`,
  );
}

async function rebuild(db: Kysely<unknown>, create: ReturnType<typeof sql>): Promise<void> {
  await sql`alter table order_events rename to order_events_old`.execute(db);
  await create.execute(db);
  await sql`insert into order_events (${sql.raw(COLUMNS)}) select ${sql.raw(COLUMNS)} from order_events_old`.execute(db);
  await sql`drop table order_events_old`.execute(db);
}
