import { SqliteAdapter, sql, type Kysely } from 'kysely';
import { newId } from '../../core/ids.ts';

/**
 * An order's events move into its own row: `orders.events`, JSON Lines of the events it applied
 * as received (orders/event-record.ts `StoredEvent`), appended to; `order_events` is dropped.
 *
 * In their own table, every event of an order already stored went to a page of its own, apart
 * from the order's page that the same event rewrites: a third of the pages each delivery of the
 * orders bench wrote (and then the checkpoint copied) were `order_events` pages, most holding a
 * single new row. In the row, the event is written on the page the order's update dirties
 * anyway. Appending takes no read of the column (`events = events || ?`); an order's history is
 * read only when an event cannot be folded onto the stored state (see `foldInto`) and for the
 * operator's view.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  await sql`alter table orders add column events text not null default ''`.execute(db);
  if (sqlite) {
    await sql`update orders set events = coalesce((
      select group_concat(json_object('key', event_key, 'via', via, 'delivery', delivery_id, 'raw', raw_status, 'received', received_at, 'event', json(payload)), char(10) order by received_at, id) || char(10)
      from order_events where order_events.order_id = orders.id), '')`.execute(db);
  } else {
    await sql`update orders set events = coalesce((
      select string_agg(json_build_object('key', event_key, 'via', via, 'delivery', delivery_id, 'raw', raw_status, 'received', received_at, 'event', payload::json)::text, E'\n' order by received_at, id) || E'\n'
      from order_events where order_events.order_id = orders.id), '')`.execute(db);
  }
  await sql`drop table order_events`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  // The table as it was after 012 (SQLite) or 004 (PostgreSQL), with an id per event made anew.
  if (sqlite) {
    await sql`create table order_events (
      id text not null, order_id text not null references orders (id), event_key text not null, status text not null,
      occurred_at text not null, via text not null, delivery_id text, raw_status text, payload text not null, received_at text not null,
      constraint order_events_key primary key (order_id, event_key)
    ) without rowid`.execute(db);
  } else {
    await sql`create table order_events (
      id text primary key, order_id text not null references orders (id), event_key text not null, status text not null,
      occurred_at text not null, via text not null, delivery_id text, raw_status text, payload text not null, received_at text not null,
      constraint order_events_key unique (order_id, event_key)
    )`.execute(db);
  }
  const orders = await sql<{ id: string; events: string }>`select id, events from orders where events <> ''`.execute(db);
  for (const order of orders.rows) {
    for (const line of order.events.split('\n')) {
      if (line.length === 0) continue;
      const e = JSON.parse(line) as { key: string; via: string; delivery: string | null; raw: string | null; received: string; event: { status: string; occurredAt: string } };
      await sql`insert into order_events (id, order_id, event_key, status, occurred_at, via, delivery_id, raw_status, payload, received_at)
        values (${newId('orderEvent')}, ${order.id}, ${e.key}, ${e.event.status}, ${e.event.occurredAt}, ${e.via}, ${e.delivery}, ${e.raw}, ${JSON.stringify(e.event)}, ${e.received})`.execute(db);
    }
  }
  await sql`alter table orders drop column events`.execute(db);
}
