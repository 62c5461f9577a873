import { createHash } from 'node:crypto';
import { sql, type Kysely, type Selectable } from 'kysely';
import { chunked, insertRows, selectRows, updateRows } from '../../db/bulk.ts';
import { isPostgres, yieldOnSqlite } from '../../db/dialect.ts';
import type { Database, OrdersTable, PositionsTable } from '../../db/schema.ts';
import { storedEventsOf, type StoredEvent } from './event-record.ts';
import { compareEvents } from './state-machine.ts';

type Q = Kysely<Database>;

/**
 * PostgreSQL: a delivery holds the orders it names, by the source's order ids, until it commits,
 * whether or not they exist yet. Two deliveries in flight often name the same new orders (a
 * sender's consecutive batches): without this, one of them lost the race for each new order's key
 * and ran again, and under a steady stream kept losing. The second now waits for the first's
 * commit and then reads the orders it wrote; deliveries about other orders, of the same source or
 * another, go on beside it. Transaction-scoped advisory locks on a 64-bit hash of each key, taken
 * in one statement in ascending order, so two deliveries never wait on each other in a circle; a
 * hash shared by two keys only makes their deliveries take turns.
 */
export async function lockOrdersForIngest(db: Q, sourceId: string, sourceOrderIds: readonly string[]): Promise<void> {
  if (!isPostgres(db) || sourceOrderIds.length === 0) return;
  const keys = [...new Set(sourceOrderIds.map((id) => createHash('sha256').update(`vitrine:orders:${sourceId}:${id}`).digest().readBigInt64BE(0)))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  await sql`select pg_advisory_xact_lock(k) from unnest(${keys.map(String)}::bigint[]) with ordinality as held(k, n) order by n`.execute(db);
}

/**
 * What ingestion reads of an order it has already: the rest of the row follows from the state, and
 * an update writes neither its creation time nor, unless attribution is decided again (and then
 * anew), its attribution's detail. Its `ordered_at` and `paid_at` tell whether this delivery moved
 * them (both are in indexes).
 */
const STORED_ORDER_COLUMNS = ['id', 'source_order_id', 'state', 'creator_id', 'attribution', 'ordered_at', 'paid_at'] as const;
export type StoredOrder = Pick<OrdersTable, (typeof STORED_ORDER_COLUMNS)[number]>;

/**
 * The orders of one source by the source's order ids. On PostgreSQL the rows are locked until the
 * caller's transaction ends, so two deliveries about one order apply one after the other.
 */
export async function ordersBySourceKeys(db: Q, sourceId: string, sourceOrderIds: readonly string[]): Promise<Map<string, StoredOrder>> {
  const out = new Map<string, StoredOrder>();
  for (const ids of chunked([...new Set(sourceOrderIds)])) {
    let query = db.selectFrom('orders').select(STORED_ORDER_COLUMNS).where('source_id', '=', sourceId).where('source_order_id', 'in', ids);
    if (isPostgres(db)) query = query.orderBy('source_order_id').forUpdate();
    for (const row of await selectRows(db, query)) out.set(row.source_order_id, row);
  }
  return out;
}

/** What an event moves on an order; none of these columns is in an index. */
const LIFECYCLE_COLUMNS = ['status', 'completed_at', 'click_id', 'sub_id', 'paid_amount_minor', 'refunded_amount_minor', 'state', 'updated_at'] as const;
/** Written when the order's attribution was decided again: these are in indexes (by creator, by attribution). */
const ATTRIBUTION_COLUMNS = ['creator_id', 'attribution', 'attribution_detail'] as const;
type UpdatedColumn = (typeof LIFECYCLE_COLUMNS)[number] | (typeof ATTRIBUTION_COLUMNS)[number] | 'ordered_at' | 'paid_at';

/**
 * The columns an update of a stored order writes. SQLite rewrites an order's entry in every index
 * holding a column the UPDATE sets, whether or not its value changed: `ordered_at` (moved by an
 * earlier event that came late) and `paid_at` (set when the order is paid; a partial index by
 * source and payment time) are written only when they moved, the attribution's columns only when
 * this delivery decided it. Writing
 * `paid_at` with every event had cost each delivery of the orders bench ~240 of its ~1,840 pages.
 */
function updatedColumns(r: SavedOrder): readonly UpdatedColumn[] {
  const columns: UpdatedColumn[] = [...LIFECYCLE_COLUMNS];
  if (r.attributionDecided) columns.push(...ATTRIBUTION_COLUMNS);
  if (r.orderedAtMoved) columns.push('ordered_at');
  if (r.paidAtMoved) columns.push('paid_at');
  return columns;
}

/** An order's row as written: every column, `events` included. */
export type OrderRow = Omit<OrdersTable, 'events'> & { events: string };

/**
 * An order as ingestion writes it. Its row's `events` holds the lines of the events this delivery
 * applied: the whole column for a new order, what is appended to it for one stored before.
 */
export interface SavedOrder {
  row: OrderRow;
  isNew: boolean;
  /** Attribution was decided in this delivery (so its columns are written). */
  attributionDecided: boolean;
  /** The order's time (its earliest event) is not the one stored: an earlier event came late. */
  orderedAtMoved: boolean;
  /** Its payment time is not the one stored (it was paid now, or an earlier payment came late). */
  paidAtMoved: boolean;
}

/**
 * Inserts new orders and rewrites changed ones, appending the events each applied (`events`: for
 * a new order, all of them). A stored order rewrites only what this delivery can have moved
 * (`updatedColumns`), so its index entries are left alone unless their columns changed.
 */
export async function saveOrders(db: Q, rows: readonly SavedOrder[]): Promise<void> {
  const inserts: OrderRow[] = [];
  const updates = new Map<string, { columns: readonly UpdatedColumn[]; rows: OrderRow[] }>();
  for (const r of rows) {
    if (r.isNew) {
      inserts.push(r.row);
      continue;
    }
    const columns = updatedColumns(r);
    const key = columns.join();
    const same = updates.get(key);
    if (same) same.rows.push(r.row);
    else updates.set(key, { columns, rows: [r.row] });
  }
  await insertRows(db, 'orders', inserts);
  await yieldOnSqlite(db); // see ingestOrderEvents
  for (const { columns, rows: changed } of updates.values()) await updateRows(db, 'orders', 'id', columns, changed, ['events']);
}

/**
 * The events applied to these orders (our ids), as received, each history in true time order:
 * what the state machine replays when it cannot fold an event onto the stored state.
 */
export async function historiesOf(db: Q, orderIds: readonly string[]): Promise<Map<string, StoredEvent[]>> {
  const out = new Map<string, StoredEvent[]>();
  for (const ids of chunked(orderIds)) {
    for (const row of await db.selectFrom('orders').select(['id', 'events']).where('id', 'in', ids).execute()) {
      out.set(row.id, storedEventsOf(row.events).sort((a, b) => compareEvents(a.event, b.event)));
    }
  }
  return out;
}

/** Records a webhook delivery; false when this webhook-id was received before (a redelivery). */
export async function recordDelivery(db: Q, sourceId: string, webhookId: string, events: number, receivedAt: string): Promise<boolean> {
  const inserted = await db
    .insertInto('webhook_deliveries')
    .values({ source_id: sourceId, webhook_id: webhookId, events, received_at: receivedAt })
    .onConflict((oc) => oc.columns(['source_id', 'webhook_id']).doNothing())
    .returning('webhook_id')
    .executeTakeFirst();
  return inserted !== undefined;
}

export async function positionsBySubIds(db: Q, subIds: readonly string[]): Promise<Map<string, Selectable<PositionsTable>>> {
  const out = new Map<string, Selectable<PositionsTable>>();
  for (const ids of chunked([...new Set(subIds)])) {
    for (const row of await db.selectFrom('positions').selectAll().where('sub_id', 'in', ids).execute()) out.set(row.sub_id, row);
  }
  return out;
}

/** An order's events as received, in the order applied (our id); empty for an unknown order. */
export async function storedEventsOfOrder(db: Q, orderId: string): Promise<StoredEvent[]> {
  const row = await db.selectFrom('orders').select('events').where('id', '=', orderId).executeTakeFirst();
  return row ? storedEventsOf(row.events) : [];
}
