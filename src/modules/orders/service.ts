import type { Kysely } from 'kysely';
import { Conflict, Forbidden, InvalidInput, NotFound } from '../../core/errors.ts';
import type { Database } from '../../db/schema.ts';
import { isPostgres, yieldOnSqlite } from '../../db/dialect.ts';
import { inRetriedTransaction, inTransaction } from '../../db/transaction.ts';
import type { User } from '../accounts/model.ts';
import { findUserById } from '../accounts/service.ts';
import { recordAudit } from '../audit/service.ts';
import { reconcileCommissions, writeCommissions, type SourceTerms } from '../ledger/commissions.ts';
import { ledgerSettings, type LedgerSettings } from '../ledger/settings.ts';
import { findSource } from '../sources/service.ts';
import type { StoredOrderState } from './model.ts';
import { groupedEvents, planOrders, type DeliveryBasis, type EventVia, type IncomingEvent } from './plan.ts';
import { lockOrdersForIngest, ordersBySourceKeys, recordDelivery, saveOrders } from './store.ts';

type Q = Kysely<Database>;

export type { EventVia, IncomingEvent } from './plan.ts';

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

/** What a delivery of this source received now would be planned on (`planOrders`), read from the database. */
async function deliveryBasis(db: Q, sourceId: string, options: Pick<IngestOptions, 'via' | 'deliveryId' | 'now' | 'settings'>): Promise<DeliveryBasis> {
  const source = await findSource(db, sourceId);
  return {
    sourceId,
    terms: { platformFeeBps: source.platformFeeBps, defaultCommissionBps: source.defaultCommissionBps },
    settings: options.settings ?? (await ledgerSettings(db)),
    nowIso: (options.now ?? new Date()).toISOString(),
    via: options.via,
    deliveryId: options.deliveryId ?? null,
  };
}

/**
 * Applies order events of one source, as one unit: the orders' states (state machine), their
 * attribution, and their commissions in the ledger all land together or not at all. Events are
 * grouped by order, so a batch of 1,000 reads each order once.
 */
export async function ingestOrderEvents(db: Q, sourceId: string, incoming: readonly IncomingEvent[], options: IngestOptions): Promise<IngestReport> {
  const basis = await deliveryBasis(db, sourceId, options);
  const { byOrder, identify } = groupedEvents(incoming);
  // Deliveries about the same orders take turns (lockOrdersForIngest); a transaction that still
  // loses a race on PostgreSQL (a deadlock with another writer, say) runs again.
  return inRetriedTransaction(db, async (tx) => {
    const report: IngestReport = { duplicateDelivery: false, events: incoming.length, applied: 0, orders: 0, ledgerTransactions: 0 };
    if (options.deliveryId && !(await recordDelivery(tx, sourceId, options.deliveryId, incoming.length, basis.nowIso))) {
      return { ...report, duplicateDelivery: true };
    }
    await lockOrdersForIngest(tx, sourceId, [...byOrder.keys()]);
    const existing = await ordersBySourceKeys(tx, sourceId, [...byOrder.keys()]);
    // On SQLite every statement runs on the event loop, and awaiting one yields to nothing but
    // other promises: without these turns a delivery held the server for its whole transaction
    // (~230 ms for 1,000 events on a slow machine), redirects included. Requests that write still
    // wait for the commit; reads do not (`Db.reads`), nor do redirects (their clicks go to the inbox).
    await yieldOnSqlite(tx);
    const planned = await planOrders(tx, basis, byOrder, existing, identify);
    if (planned.length === 0) return report;
    await yieldOnSqlite(tx);
    await saveOrders(tx, planned.map((p) => p.save));
    await yieldOnSqlite(tx);
    const booked = await writeCommissions(tx, planned.flatMap((p) => (p.commissions ? [p.commissions] : [])), basis.nowIso);
    await yieldOnSqlite(tx);
    return { ...report, applied: planned.reduce((n, p) => n + p.applied, 0), orders: planned.length, ledgerTransactions: booked.transactions };
  });
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
    // Locked on PostgreSQL, as ingestion locks it: read unlocked, the state could be one that a
    // delivery in flight (a refund, say) replaces before this commits, and the commission would be
    // booked on it.
    let query = tx.selectFrom('orders').selectAll().where('id', '=', orderId);
    if (isPostgres(tx)) query = query.forUpdate();
    const row = await query.executeTakeFirst();
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
