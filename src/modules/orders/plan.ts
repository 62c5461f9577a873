import type { Kysely } from 'kysely';
import { newId } from '../../core/ids.ts';
import { yieldOnSqlite } from '../../db/dialect.ts';
import type { AttributionKind, Database } from '../../db/schema.ts';
import { planCommissions, type OrderCommissions, type SourceTerms } from '../ledger/commissions.ts';
import type { LedgerSettings } from '../ledger/settings.ts';
import { clicksByIds } from '../links/service.ts';
import { attributableOrderOf, attribute, type Attribution, type ClickRecord } from './attribution.ts';
import { eventLinesOf, eventRecordOf, type EventRecord, type Receipt } from './event-record.ts';
import { storedStateOf, type OrderEvent, type OrderState, type StoredOrderState } from './model.ts';
import { foldInto, identityOf, stateOfHistory, withEvent, type Identify } from './state-machine.ts';
import { historiesOf, positionsBySubIds, type OrderRow, type SavedOrder, type StoredOrder } from './store.ts';

/**
 * Planning a delivery: what applying its events does to its orders — their states, attribution,
 * rows, commission lines and ledger entries — read from the database but not written. Ingestion
 * (service.ts) plans and writes in one transaction.
 */

type Q = Kysely<Database>;

export type EventVia = Receipt['via'];

export interface IncomingEvent {
  event: OrderEvent;
  /** The platform's own status code, kept beside ours. */
  rawStatus?: string | null;
  /** Made with the event when it was parsed (`verifyWebhook`); made here otherwise. */
  record?: EventRecord;
}

/** Everything a delivery's plan depends on besides its events and the database. */
export interface DeliveryBasis {
  sourceId: string;
  terms: SourceTerms;
  settings: LedgerSettings;
  /** The instant the delivery is applied at: its events' receipt time, and the clock commission status is judged by. */
  nowIso: string;
  via: EventVia;
  deliveryId: string | null;
}

/** One order's part of a delivery, planned: its row and the events it applied, and its commissions. */
export interface PlannedOrder {
  sourceOrderId: string;
  /** Events that changed the order. */
  applied: number;
  save: SavedOrder;
  commissions: OrderCommissions | null;
}

/** A delivery's events grouped by the source's order id, in the order they came, and who they are. */
export interface GroupedEvents {
  byOrder: Map<string, IncomingEvent[]>;
  /** Identities made with the records (in the verifier's worker) are not made again. */
  identify: Identify;
}

export function groupedEvents(incoming: readonly IncomingEvent[]): GroupedEvents {
  const byOrder = new Map<string, IncomingEvent[]>();
  const known = new Map<OrderEvent, string>();
  for (const e of incoming) {
    if (e.record) known.set(e.event, e.record.key);
    const events = byOrder.get(e.event.orderId);
    if (events) events.push(e);
    else byOrder.set(e.event.orderId, [e]);
  }
  return { byOrder, identify: (event) => known.get(event) ?? identityOf(event) };
}

/**
 * Plans the orders of `byOrder` (source order id -> its events in this delivery), `existing`
 * being those already stored. Orders the events do not change are left out.
 */
export async function planOrders(db: Q, basis: DeliveryBasis, byOrder: ReadonlyMap<string, readonly IncomingEvent[]>, existing: ReadonlyMap<string, StoredOrder>, identify: Identify): Promise<PlannedOrder[]> {
  if (byOrder.size === 0) return [];
  const lineOf = eventLinesOf({ via: basis.via, deliveryId: basis.deliveryId, receivedAt: basis.nowIso });
  const changed = await appliedEvents(db, byOrder, existing, lineOf, identify);
  if (changed.length === 0) return [];
  await yieldOnSqlite(db); // see ingestOrderEvents
  const attributions = await attributeOrders(db, basis.sourceId, changed.filter((c) => !isAttributed(c.before)).map((c) => c.state), basis.settings);
  await yieldOnSqlite(db);
  const planned = changed.map((c): PlannedOrder => {
    const decided = attributions.get(c.state.orderId);
    const row = orderRowOf(c.id, basis.sourceId, c.state, c.events, c.before, decided, basis.nowIso);
    const save = {
      row,
      isNew: c.before === undefined,
      attributionDecided: decided !== undefined,
      orderedAtMoved: c.before !== undefined && c.before.ordered_at !== row.ordered_at,
      paidAtMoved: c.before !== undefined && c.before.paid_at !== row.paid_at,
    };
    return { sourceOrderId: c.state.orderId, applied: c.applied, save, commissions: null };
  });
  const attributed = planned.flatMap(({ save }, i) => (save.row.creator_id === null ? [] : [{ id: save.row.id, sourceId: basis.sourceId, creatorId: save.row.creator_id, state: changed[i]!.state, isNew: save.isNew }]));
  await yieldOnSqlite(db);
  const commissions = await planCommissions(db, attributed, new Map([[basis.sourceId, basis.terms]]), basis.settings, new Date(basis.nowIso));
  for (const p of planned) p.commissions = commissions.get(p.save.row.id) ?? null;
  return planned;
}

/** An order the delivery changed: its new state and the lines of the events it applied. */
interface ChangedOrder {
  before: StoredOrder | undefined;
  /** Events that changed it. */
  applied: number;
  id: string;
  state: StoredOrderState;
  events: string;
}

/**
 * Applies each order's events. They fold onto the order's stored state in whatever order they
 * come; the few the fold cannot place (see `foldInto`), and rows older than `fold`, replay their
 * histories, read in one query. A new order is folded from its events here.
 */
async function appliedEvents(
  db: Q,
  byOrder: ReadonlyMap<string, readonly IncomingEvent[]>,
  existing: ReadonlyMap<string, StoredOrder>,
  eventLine: (record: EventRecord, rawStatus: string | null) => string,
  identify: Identify,
): Promise<ChangedOrder[]> {
  const changed: ChangedOrder[] = [];
  const lineOf = ({ event, rawStatus, record }: IncomingEvent) => eventLine(record ?? eventRecordOf(event), rawStatus ?? null);
  const replay = (id: string, before: StoredOrder | undefined, from: OrderState | null, events: readonly IncomingEvent[]) => {
    let state = from;
    let lines = '';
    let applied = 0;
    for (const incoming of events) {
      const next = withEvent(state, incoming.event, identify);
      if (next === state) continue;
      state = next;
      applied += 1;
      lines += lineOf(incoming);
    }
    if (state !== from) changed.push({ before, id, applied, state: storedStateOf(state!), events: lines });
  };
  const replays: { row: StoredOrder; events: readonly IncomingEvent[] }[] = [];
  for (const [orderId, events] of byOrder) {
    const row = existing.get(orderId);
    if (row === undefined) {
      replay(newId('order'), undefined, null, events);
      continue;
    }
    let state = JSON.parse(row.state) as StoredOrderState;
    let lines = '';
    let folded = 0;
    let placed = true;
    for (const incoming of events) {
      const next = foldInto(state, incoming.event, identify(incoming.event));
      if (next === null) {
        placed = false;
        break;
      }
      if (!next.changed) continue;
      state = next.state;
      folded += 1;
      lines += lineOf(incoming);
    }
    if (!placed) replays.push({ row, events });
    else if (folded > 0) changed.push({ before: row, id: row.id, applied: folded, state, events: lines });
  }
  const histories = await historiesOf(db, replays.map((r) => r.row.id));
  for (const { row, events } of replays) {
    // Identities of stored events are made again: rows from older versions kept another form.
    const history = histories.get(row.id) ?? [];
    replay(row.id, row, history.length === 0 ? null : stateOfHistory(history.map((e) => e.event), identify), events);
  }
  return changed;
}

function isAttributed(row: StoredOrder | undefined): boolean {
  return row !== undefined && row.attribution !== 'unattributed';
}

/** Attribution of orders not attributed yet, by the rules of attribution.ts, with lookups batched. */
async function attributeOrders(db: Q, sourceId: string, states: readonly StoredOrderState[], settings: LedgerSettings): Promise<Map<string, Attribution>> {
  const clicks = await clicksByIds(db, states.flatMap((s) => (s.clickId ? [s.clickId] : [])));
  const positions = await positionsBySubIds(db, states.flatMap((s) => (s.subId ? [s.subId] : [])));
  const clickLookup = (id: string): ClickRecord | undefined => {
    const c = clicks.get(id);
    // The order names the source's product id; the click names ours: compare like with like.
    return c && { id: c.id, creatorId: c.creator_id, productId: c.source_product_id ?? c.product_id, sourceId: c.source_id, clickedAt: c.clicked_at };
  };
  const positionLookup = (subId: string) => {
    const p = positions.get(subId);
    return p && { creatorId: p.creator_id, sourceId: p.source_id };
  };
  const out = new Map<string, Attribution>();
  for (const state of states) out.set(state.orderId, attribute(attributableOrderOf(state, sourceId), clickLookup, { windowDays: settings.attribution_window_days, positionLookup }));
  return out;
}

/** The order's row; `events` is the lines of the events applied now (all of them for a new order). */
function orderRowOf(id: string, sourceId: string, state: StoredOrderState, events: string, before: StoredOrder | undefined, attribution: Attribution | undefined, nowIso: string): OrderRow {
  const decided = attribution ?? null;
  const creatorId = decided ? (decided.kind === 'unattributed' ? null : decided.creatorId) : (before?.creator_id ?? null);
  const kind: AttributionKind = decided ? decided.kind : (before?.attribution ?? 'unattributed');
  return {
    id,
    source_id: sourceId,
    source_order_id: state.orderId,
    currency: state.currency,
    status: state.status,
    ordered_at: state.orderedAt,
    paid_at: state.paidAt,
    completed_at: state.completedAt,
    click_id: state.clickId,
    sub_id: state.subId,
    paid_amount_minor: state.lines.reduce((a, l) => a + l.paidAmountMinor, 0),
    refunded_amount_minor: state.lines.reduce((a, l) => a + l.refundedAmountMinor, 0),
    state: JSON.stringify(state),
    creator_id: creatorId,
    attribution: kind,
    // Written only with a decision, and on insert: an order stored before keeps its own (saveOrders).
    attribution_detail: decided ? JSON.stringify(decided) : '{}',
    created_at: nowIso,
    updated_at: nowIso,
    events,
  };
}

