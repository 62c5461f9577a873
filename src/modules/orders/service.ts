import type { Kysely } from 'kysely';
import { Conflict, Forbidden, InvalidInput, NotFound } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import type { AttributionKind, Database, OrdersTable } from '../../db/schema.ts';
import { inRetriedTransaction, inTransaction } from '../../db/transaction.ts';
import type { User } from '../accounts/model.ts';
import { findUserById } from '../accounts/service.ts';
import { recordAudit } from '../audit/service.ts';
import { reconcileCommissions, type SourceTerms } from '../ledger/commissions.ts';
import { ledgerSettings, type LedgerSettings } from '../ledger/settings.ts';
import { clicksByIds } from '../links/service.ts';
import { productsByIds } from '../pool/products.ts';
import { findSource } from '../sources/service.ts';
import { attributableOrderOf, attribute, type Attribution, type ClickRecord } from './attribution.ts';
import { storedStateOf, type OrderEvent, type OrderState, type StoredOrderState } from './model.ts';
import { eventLineOf, eventRecordOf, type EventRecord, type Receipt } from './event-record.ts';
import { applyEvent, foldInto, identityOf, stateOfHistory, type Identify } from './state-machine.ts';
import { historiesOf, lockSourceForIngest, ordersBySourceKeys, positionsBySubIds, recordDelivery, saveOrders, type StoredOrder } from './store.ts';

type Q = Kysely<Database>;

export type EventVia = Receipt['via'];

export interface IncomingEvent {
  event: OrderEvent;
  /** The platform's own status code, kept beside ours. */
  rawStatus?: string | null;
  /** Made with the event when it was parsed (`verifyWebhook`); made here otherwise. */
  record?: EventRecord;
}

export interface IngestOptions {
  via: EventVia;
  /** A webhook delivery's `webhook-id`: a delivery seen before changes nothing. */
  deliveryId?: string | null;
  now?: Date;
  settings?: LedgerSettings;
}

export interface IngestReport {
  /** True when the delivery id had been received before: nothing was applied. */
  duplicateDelivery: boolean;
  events: number;
  /** Events that changed an order (the others were already applied). */
  applied: number;
  orders: number;
  ledgerTransactions: number;
}

/**
 * Applies order events of one source, as one unit: the orders' states (state machine), their
 * attribution, and their commissions in the ledger all land together or not at all. Events are
 * grouped by order, so a batch of 1,000 reads each order once.
 */
export async function ingestOrderEvents(db: Q, sourceId: string, incoming: readonly IncomingEvent[], options: IngestOptions): Promise<IngestReport> {
  const now = options.now ?? new Date();
  const source = await findSource(db, sourceId);
  const settings = options.settings ?? (await ledgerSettings(db));
  const terms = new Map<string, SourceTerms>([[sourceId, { platformFeeBps: source.platformFeeBps, defaultCommissionBps: source.defaultCommissionBps }]]);
  // Deliveries of one source take turns (lockSourceForIngest); a transaction that still loses a
  // race on PostgreSQL (a deadlock with another writer, say) runs again.
  return inRetriedTransaction(db, async (tx) => {
    const nowIso = now.toISOString();
    const report: IngestReport = { duplicateDelivery: false, events: incoming.length, applied: 0, orders: 0, ledgerTransactions: 0 };
    await lockSourceForIngest(tx, sourceId);
    if (options.deliveryId && !(await recordDelivery(tx, sourceId, options.deliveryId, incoming.length, nowIso))) {
      return { ...report, duplicateDelivery: true };
    }
    const byOrder = new Map<string, IncomingEvent[]>();
    // Identities made with the records (in the verifier's worker) are not made again.
    const known = new Map<OrderEvent, string>();
    const identify: Identify = (event) => known.get(event) ?? identityOf(event);
    for (const e of incoming) {
      if (e.record) known.set(e.event, e.record.key);
      const events = byOrder.get(e.event.orderId);
      if (events) events.push(e);
      else byOrder.set(e.event.orderId, [e]);
    }
    const existing = await ordersBySourceKeys(tx, sourceId, [...byOrder.keys()]);
    const receipt = (rawStatus: string | null | undefined): Receipt => ({ via: options.via, deliveryId: options.deliveryId ?? null, rawStatus: rawStatus ?? null, receivedAt: nowIso });
    const { changed, applied } = await appliedEvents(tx, byOrder, existing, receipt, identify);
    report.applied = applied;
    if (changed.length === 0) return report;

    const attributions = await attributeOrders(tx, sourceId, changed.filter((c) => !isAttributed(c.before)).map((c) => c.state), settings);
    const rows = changed.map((c) => ({ c, row: orderRowOf(c.id, sourceId, c.state, c.before, attributions.get(c.state.orderId), nowIso) }));
    await saveOrders(tx, rows.map(({ c, row }) => ({ row, isNew: c.before === undefined, attributionDecided: attributions.has(c.state.orderId), events: c.events })));
    const attributed = rows.filter(({ row }) => row.creator_id !== null).map(({ c, row }) => ({ id: c.id, sourceId, creatorId: row.creator_id!, state: c.state, isNew: c.before === undefined }));
    const booked = await reconcileCommissions(tx, attributed, terms, settings, now);
    return { ...report, orders: changed.length, ledgerTransactions: booked.transactions };
  });
}

/** An order the delivery changed: its new state and the lines of the events it applied. */
interface ChangedOrder {
  before: StoredOrder | undefined;
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
  receipt: (rawStatus: string | null | undefined) => Receipt,
  identify: Identify,
): Promise<{ changed: ChangedOrder[]; applied: number }> {
  const changed: ChangedOrder[] = [];
  let applied = 0;
  const lineOf = ({ event, rawStatus, record }: IncomingEvent) => eventLineOf(record ?? eventRecordOf(event), receipt(rawStatus));
  const replay = (id: string, before: StoredOrder | undefined, from: OrderState | null, events: readonly IncomingEvent[]) => {
    let state = from;
    let lines = '';
    for (const incoming of events) {
      const next = applyEvent(state, incoming.event, identify);
      if (!next.changed) continue;
      state = next.state;
      applied += 1;
      lines += lineOf(incoming);
    }
    if (state !== from) changed.push({ before, id, state: storedStateOf(state!), events: lines });
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
    else if (folded > 0) {
      applied += folded;
      changed.push({ before: row, id: row.id, state, events: lines });
    }
  }
  const histories = await historiesOf(db, replays.map((r) => r.row.id));
  for (const { row, events } of replays) {
    // Identities of stored events are made again: rows from older versions kept another form.
    const history = histories.get(row.id) ?? [];
    replay(row.id, row, history.length === 0 ? null : stateOfHistory(history.map((e) => e.event), identify), events);
  }
  return { changed, applied };
}

function isAttributed(row: StoredOrder | undefined): boolean {
  return row !== undefined && row.attribution !== 'unattributed';
}

/** Attribution of orders not attributed yet, by the rules of attribution.ts, with lookups batched. */
async function attributeOrders(db: Q, sourceId: string, states: readonly StoredOrderState[], settings: LedgerSettings): Promise<Map<string, Attribution>> {
  const clicks = await clicksByIds(db, states.flatMap((s) => (s.clickId ? [s.clickId] : [])));
  const products = await productsByIds(db, [...new Set([...clicks.values()].map((c) => c.product_id))]);
  const positions = await positionsBySubIds(db, states.flatMap((s) => (s.subId ? [s.subId] : [])));
  const clickLookup = (id: string): ClickRecord | undefined => {
    const c = clicks.get(id);
    // The order names the source's product id; the click names ours: compare like with like.
    return c && { id: c.id, creatorId: c.creator_id, productId: products.get(c.product_id)?.source_product_id ?? c.product_id, sourceId: c.source_id, clickedAt: c.clicked_at };
  };
  const positionLookup = (subId: string) => {
    const p = positions.get(subId);
    return p && { creatorId: p.creator_id, sourceId: p.source_id };
  };
  const out = new Map<string, Attribution>();
  for (const state of states) out.set(state.orderId, attribute(attributableOrderOf(state, sourceId), clickLookup, { windowDays: settings.attribution_window_days, positionLookup }));
  return out;
}

function orderRowOf(id: string, sourceId: string, state: StoredOrderState, before: StoredOrder | undefined, attribution: Attribution | undefined, nowIso: string): Omit<OrdersTable, 'events'> {
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
  };
}

/**
 * The operator credits an unattributed order to a creator by hand, with a reason (audited); its
 * commission is booked at once, on the terms in force when the order was paid.
 */
export async function attributeByHand(db: Q, operator: User, orderId: string, input: { creatorId: string; reason: string }, now = new Date()): Promise<void> {
  if (operator.role !== 'operator') throw new Forbidden();
  const reason = input.reason.trim();
  if (reason.length === 0 || reason.length > 500) throw new InvalidInput('invalid_reason', 'a reason of 1-500 characters is required');
  const creator = await findUserById(db, input.creatorId);
  if (!creator || creator.role !== 'creator') throw new InvalidInput('unknown_creator', `no creator ${input.creatorId}`);
  const settings = await ledgerSettings(db);
  await inTransaction(db, async (tx) => {
    const row = await tx.selectFrom('orders').selectAll().where('id', '=', orderId).executeTakeFirst();
    if (!row) throw new NotFound('order');
    if (row.attribution !== 'unattributed') throw new Conflict('order_already_attributed', `order ${orderId} is already attributed (${row.attribution})`);
    const claimed = await tx
      .updateTable('orders')
      .set({ creator_id: creator.id, attribution: 'manual', attribution_detail: JSON.stringify({ kind: 'manual', creatorId: creator.id, reason, by: operator.id }), updated_at: now.toISOString() })
      .where('id', '=', orderId)
      .where('attribution', '=', 'unattributed')
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) throw new Conflict('order_already_attributed', `order ${orderId} was attributed meanwhile`);
    const source = await findSource(tx, row.source_id);
    const terms = new Map<string, SourceTerms>([[source.id, { platformFeeBps: source.platformFeeBps, defaultCommissionBps: source.defaultCommissionBps }]]);
    await reconcileCommissions(tx, [{ id: row.id, sourceId: row.source_id, creatorId: creator.id, state: JSON.parse(row.state) as StoredOrderState }], terms, settings, now);
    await recordAudit(tx, operator.id, 'order.attributed_by_hand', orderId, { creator_id: creator.id, reason });
  });
}
