import type { Kysely } from 'kysely';
import { newId } from '../../core/ids.ts';
import { chunked, insertRows, selectRows, updateRows } from '../../db/bulk.ts';
import { isPostgres, yieldOnSqlite } from '../../db/dialect.ts';
import type { CommissionsTable, Database } from '../../db/schema.ts';
import type { LineState, StoredOrderState } from '../orders/model.ts';
import { commissionBaseOf, commissionStatusOf } from '../orders/state-machine.ts';
import { membershipsAtMany } from '../orgs/service.ts';
import { productsBySourceKeys } from '../pool/products.ts';
import { commissionRetermed, commissionStep, type CommissionPosition, type CommissionTarget } from './commission.ts';
import { plansOfProducts } from './plans-store.ts';
import { combined, remainingCommission, sharesOf, type CommissionLine, type Transaction } from './postings.ts';
import { resolveRate } from './rates.ts';
import type { LedgerSettings } from './settings.ts';
import { appendTransactions } from './store.ts';

type Q = Kysely<Database>;
/** What moves on a booked commission. */
const MUTABLE_COLUMNS = ['status', 'refunded_amount_minor', 'commission_minor', 'creator_amount_minor', 'organisation_amount_minor', 'settleable_at', 'updated_at'] as const;
/**
 * And when its order's paid instant moved earlier (a "paid" event came after a later one): the
 * terms resolved at the new instant, and the instant itself, which is in two indexes (by creator,
 * by organisation), so it is written only then; and what a settled line was settled on, kept by
 * its first change after settlement.
 */
const REWRITTEN_COLUMNS = [...MUTABLE_COLUMNS, 'paid_at', 'rate_bps', 'plan_kind', 'plan_id', 'colonel_id', 'colonel_share_bps', 'organisation_id', 'organisation_share_bps', 'as_settled'] as const;

/** What a line's split and its statement line depend on that can change after it is settled. */
const AS_SETTLED_COLUMNS = ['rate_bps', 'plan_kind', 'plan_id', 'colonel_id', 'colonel_share_bps', 'organisation_id', 'organisation_share_bps', 'refunded_amount_minor', 'paid_at'] as const;
/** A settled line's terms, refunds and instant as it was settled (`commissions.as_settled`). */
export type AsSettled = Pick<CommissionsTable, (typeof AS_SETTLED_COLUMNS)[number]>;

function asSettledRecord(row: AsSettled): string {
  const record: Record<string, unknown> = {};
  for (const c of AS_SETTLED_COLUMNS) record[c] = c === 'refunded_amount_minor' ? Number(row[c]) : row[c];
  return JSON.stringify(record);
}

/** A line as it was settled: its current columns, with what it was settled on over them when it has changed since. */
export function lineAsSettled<R extends AsSettled & Pick<CommissionsTable, 'as_settled'>>(row: R): R {
  return row.as_settled === null ? row : { ...row, ...(JSON.parse(row.as_settled) as AsSettled) };
}
const DAY_MS = 24 * 60 * 60 * 1000;

/** An attributed order, as the orders module hands it to the ledger after applying its events. */
export interface OrderForCommission {
  /** Our order id (`ord_…`). */
  id: string;
  sourceId: string;
  creatorId: string;
  state: StoredOrderState;
  /** Stored in this same transaction, so it has no commission yet: nothing to look up. */
  isNew?: boolean;
}

export interface SourceTerms {
  platformFeeBps: number | null;
  defaultCommissionBps: number | null;
}

/** What bringing one order's commissions in line writes: new lines, moved lines, ledger entries. */
export interface OrderCommissions {
  inserts: CommissionsTable[];
  updates: CommissionsTable[];
  /**
   * Lines whose order's paid instant moved earlier (terms and instant rewritten too), and settled
   * lines changed for the first time since (what they were settled on kept beside).
   */
  rewritten: CommissionsTable[];
  transactions: Transaction[];
}

/**
 * Brings the commissions of these orders in line with their states, in the caller's transaction:
 * books new lines (terms fixed at the moment the order was paid: the rate per DESIGN's priority,
 * the organisation of the membership in force then, the source's service fee), and moves, reverses
 * or claws back existing ones. Idempotent: a second call with the same states posts nothing.
 * The call's ledger entries are `combined`: one transaction per kind, not one per line and step.
 */
export async function reconcileCommissions(
  db: Q,
  orders: readonly OrderForCommission[],
  sources: ReadonlyMap<string, SourceTerms>,
  settings: LedgerSettings,
  now: Date,
): Promise<{ transactions: number }> {
  const planned = await planCommissions(db, orders, sources, settings, now);
  return writeCommissions(db, planned.values(), now.toISOString());
}

/** Orders planned between two turns of the event loop (SQLite): a delivery's 1,000 took ~30 ms in one go on a slow machine. */
const ORDERS_PER_TURN = 250;

/**
 * What `reconcileCommissions` would write for each order (by our order id), read but not written:
 * the lines it books, those it moves, and the ledger entries of each step. Orders with nothing to
 * write are left out.
 */
export async function planCommissions(
  db: Q,
  orders: readonly OrderForCommission[],
  sources: ReadonlyMap<string, SourceTerms>,
  settings: LedgerSettings,
  now: Date,
): Promise<Map<string, OrderCommissions>> {
  const out = new Map<string, OrderCommissions>();
  const paid = orders.filter((o) => o.state.paidAt !== null);
  if (paid.length === 0) return out;
  const existing = await bookedLinesOf(db, paid.filter((o) => !o.isNew).map((o) => o.id));
  // Turns for the rest of the server between steps, on SQLite: see ingestOrderEvents.
  await yieldOnSqlite(db);
  const terms = await termsForLines(db, paid, existing, sources, settings);
  await yieldOnSqlite(db);
  const nowIso = now.toISOString();
  let sinceTurn = 0;
  for (const order of paid) {
    if (++sinceTurn === ORDERS_PER_TURN) {
      sinceTurn = 0;
      await yieldOnSqlite(db);
    }
    const orderTarget = commissionStatusOf(order.state, now, settings.return_window_days);
    if (orderTarget === null) continue;
    const paidAt = order.state.paidAt!;
    const settleableAt = order.state.completedAt === null ? null : new Date(Date.parse(order.state.completedAt) + settings.return_window_days * DAY_MS).toISOString();
    const planned: OrderCommissions = { inserts: [], updates: [], rewritten: [], transactions: [] };
    for (const line of order.state.lines) {
      const key = `${order.id} ${line.lineId}`;
      const row = existing.get(key);
      let commissionLine = row ? lineOfRow(row) : terms.get(key);
      if (commissionLine === undefined) continue;
      const current: CommissionPosition | null = row ? { status: row.status, refundedMinor: Number(row.refunded_amount_minor) } : null;
      const retermed = row !== undefined && paidAt < row.paid_at ? terms.get(key)! : null;
      if (retermed !== null) {
        const moved = commissionRetermed(commissionLine, retermed, current!, paidAt);
        if (moved !== null) planned.transactions.push(moved);
        commissionLine = retermed;
      }
      const step = commissionStep(commissionLine, current, targetOf(orderTarget, line), paidAt);
      planned.transactions.push(...step.transactions);
      const next = rowOf(commissionLine, step.next, order, line, settleableAt, nowIso);
      if (!row) planned.inserts.push(next);
      else if (retermed !== null || (row.status === 'settled' && row.as_settled === null && moneyMoved(row, next))) {
        // Its statement shows the line as it was settled: the first change after settlement keeps that.
        next.as_settled = row.as_settled ?? (row.status === 'settled' ? asSettledRecord(row) : null);
        planned.rewritten.push(next);
      } else if (changed(row, next)) planned.updates.push(next);
    }
    if (planned.inserts.length + planned.updates.length + planned.rewritten.length + planned.transactions.length > 0) out.set(order.id, planned);
  }
  return out;
}

/** Writes planned commissions of any number of orders, their ledger entries `combined`; returns how many ledger transactions that made. */
export async function writeCommissions(db: Q, planned: Iterable<OrderCommissions>, nowIso: string): Promise<{ transactions: number }> {
  const inserts: CommissionsTable[] = [];
  const updates: CommissionsTable[] = [];
  const rewritten: CommissionsTable[] = [];
  const transactions: Transaction[] = [];
  for (const p of planned) {
    inserts.push(...p.inserts);
    updates.push(...p.updates);
    rewritten.push(...p.rewritten);
    transactions.push(...p.transactions);
  }
  await insertRows(db, 'commissions', inserts);
  await yieldOnSqlite(db);
  await updateRows(db, 'commissions', 'id', MUTABLE_COLUMNS, updates);
  await updateRows(db, 'commissions', 'id', REWRITTEN_COLUMNS, rewritten);
  await yieldOnSqlite(db);
  const entries = combined(transactions);
  await appendTransactions(db, entries, nowIso);
  return { transactions: entries.length };
}

function targetOf(orderTarget: Exclude<ReturnType<typeof commissionStatusOf>, null>, line: LineState): CommissionTarget {
  const lineFullyRefunded = line.refundedAmountMinor > 0 && commissionBaseOf(line) === 0;
  return { status: lineFullyRefunded ? 'reversed' : orderTarget, refundedMinor: line.refundedAmountMinor };
}

export async function commissionsOfOrders(db: Q, orderIds: readonly string[]): Promise<Map<string, CommissionsTable>> {
  const out = new Map<string, CommissionsTable>();
  for (const ids of chunked(orderIds)) {
    for (const row of await db.selectFrom('commissions').selectAll().where('order_id', 'in', ids).execute()) out.set(`${row.order_id} ${row.line_id}`, row);
  }
  return out;
}

type ResolvedLine = CommissionLine & { productId: string | null; planKind: CommissionsTable['plan_kind']; planId: string | null };

/**
 * Terms resolved at the instant each order was paid, for every line not yet booked, and for every
 * booked line whose order's paid instant has since moved earlier (a "paid" event that came after
 * a later one): those keep their id, base and service fee, and, when they were on the open plan,
 * its rate (the open rate is the source's, not a matter of the instant), and take the rate, plan,
 * colonel and organisation in force at the earlier instant.
 */
async function termsForLines(
  db: Q,
  orders: readonly OrderForCommission[],
  existing: ReadonlyMap<string, BookedLine>,
  sources: ReadonlyMap<string, SourceTerms>,
  settings: LedgerSettings,
): Promise<Map<string, ResolvedLine>> {
  const wanted: { order: OrderForCommission; line: LineState; booked: BookedLine | undefined }[] = [];
  for (const order of orders) {
    for (const line of order.state.lines) {
      const booked = existing.get(`${order.id} ${line.lineId}`);
      if (booked === undefined || order.state.paidAt! < booked.paid_at) wanted.push({ order, line, booked });
    }
  }
  const out = new Map<string, ResolvedLine>();
  if (wanted.length === 0) return out;
  const products = new Map<string, Awaited<ReturnType<typeof productsBySourceKeys>>>();
  for (const sourceId of new Set(wanted.map((f) => f.order.sourceId))) {
    products.set(sourceId, await productsBySourceKeys(db, sourceId, wanted.filter((f) => f.order.sourceId === sourceId).map((f) => f.line.productId)));
  }
  const productIds = [...products.values()].flatMap((m) => [...m.values()].map((p) => p.id));
  const plans = await plansOfProducts(db, productIds);
  const membershipAt = await membershipsAtMany(db, wanted.map((f) => f.order.creatorId));
  for (const { order, line, booked } of wanted) {
    const source = sources.get(order.sourceId);
    const product = products.get(order.sourceId)?.get(line.productId);
    const paidAt = order.state.paidAt!;
    const membership = membershipAt(order.creatorId, paidAt);
    const openRate = booked?.plan_kind === 'open' ? booked.rate_bps : (line.commissionRateBps ?? product?.commission_rate_bps ?? source?.defaultCommissionBps ?? 0);
    const resolved = product
      ? resolveRate(
          { creatorId: order.creatorId, organisationId: membership?.organisationId ?? null, productId: product.id, paidAt },
          { targeted: plans.targeted.get(product.id) ?? [], colonel: plans.colonel.get(product.id) ?? [], open: { rateBps: openRate } },
        )
      : { rateBps: openRate, plan: { kind: 'open' as const } };
    out.set(`${order.id} ${line.lineId}`, {
      id: booked?.id ?? newId('commission'),
      sourceId: order.sourceId,
      currency: order.state.currency,
      creatorId: order.creatorId,
      paidAmountMinor: booked === undefined ? line.paidAmountMinor : Number(booked.paid_amount_minor),
      rateBps: resolved.rateBps,
      platformFeeBps: booked?.platform_fee_bps ?? source?.platformFeeBps ?? settings.platform_fee_bps,
      colonel: 'colonel' in resolved && resolved.colonel ? resolved.colonel : null,
      organisation: membership ? { organisationId: membership.organisationId, shareBps: membership.shareBps } : null,
      productId: product?.id ?? booked?.product_id ?? null,
      planKind: resolved.plan.kind,
      planId: resolved.plan.id ?? null,
    });
  }
  return out;
}

export function lineOfRow(row: Pick<CommissionsTable, (typeof SHARE_COLUMNS)[number] | 'product_id' | 'plan_kind' | 'plan_id'>): ResolvedLine {
  return { ...commissionLineOfRow(row), productId: row.product_id, planKind: row.plan_kind, planId: row.plan_id };
}

/** The columns a commission's split between the parties depends on: enough for `sharesOf`. */
export const SHARE_COLUMNS = ['id', 'source_id', 'currency', 'creator_id', 'paid_amount_minor', 'rate_bps', 'platform_fee_bps', 'colonel_id', 'colonel_share_bps', 'organisation_id', 'organisation_share_bps'] as const;

/** What reconciling reads of a booked line: its terms, instant and where it stands, not its amounts (they follow). */
const BOOKED_COLUMNS = [...SHARE_COLUMNS, 'order_id', 'line_id', 'product_id', 'plan_kind', 'plan_id', 'status', 'refunded_amount_minor', 'settleable_at', 'paid_at', 'as_settled'] as const;
type BookedLine = Pick<CommissionsTable, (typeof BOOKED_COLUMNS)[number]>;

/**
 * On PostgreSQL the lines are locked until the caller's transaction ends. A settlement batch or
 * the hourly move takes its lines `FOR UPDATE SKIP LOCKED`: unlocked, a line read here as
 * settleable could be settled meanwhile, and this transaction's update would then set it back to
 * settleable and take a refund from the wrong bucket, so the next run would settle it again.
 * Locked, a batch that holds a line makes this read wait and return the line as it left it.
 */
async function bookedLinesOf(db: Q, orderIds: readonly string[]): Promise<Map<string, BookedLine>> {
  const out = new Map<string, BookedLine>();
  for (const ids of chunked(orderIds)) {
    let query = db.selectFrom('commissions').select(BOOKED_COLUMNS).where('order_id', 'in', ids);
    if (isPostgres(db)) query = query.forUpdate();
    for (const row of await selectRows(db, query)) out.set(`${row.order_id} ${row.line_id}`, row);
  }
  return out;
}

export function commissionLineOfRow(row: Pick<CommissionsTable, (typeof SHARE_COLUMNS)[number]>): CommissionLine {
  return {
    id: row.id,
    sourceId: row.source_id,
    currency: row.currency,
    creatorId: row.creator_id,
    paidAmountMinor: Number(row.paid_amount_minor),
    rateBps: row.rate_bps,
    platformFeeBps: row.platform_fee_bps,
    colonel: row.colonel_id === null ? null : { colonelId: row.colonel_id, shareBps: row.colonel_share_bps ?? 0 },
    organisation: row.organisation_id === null ? null : { organisationId: row.organisation_id, shareBps: row.organisation_share_bps ?? 0 },
  };
}

function rowOf(
  line: ReturnType<typeof lineOfRow>,
  position: CommissionPosition,
  order: OrderForCommission,
  orderLine: LineState,
  settleableAt: string | null,
  nowIso: string,
): CommissionsTable {
  const refunded = Math.min(position.refundedMinor, line.paidAmountMinor);
  let creatorAmount = 0;
  let organisationAmount = 0;
  for (const share of sharesOf(line, refunded)) {
    if (share.party.kind === 'creator') creatorAmount = share.amountMinor;
    else if (share.party.kind === 'org') organisationAmount = share.amountMinor;
  }
  return {
    id: line.id,
    order_id: order.id,
    line_id: orderLine.lineId,
    source_id: line.sourceId,
    source_product_id: orderLine.productId,
    product_id: line.productId,
    currency: line.currency,
    creator_id: line.creatorId,
    organisation_id: line.organisation?.organisationId ?? null,
    organisation_share_bps: line.organisation?.shareBps ?? null,
    colonel_id: line.colonel?.colonelId ?? null,
    colonel_share_bps: line.colonel?.shareBps ?? null,
    platform_fee_bps: line.platformFeeBps,
    rate_bps: line.rateBps,
    plan_kind: line.planKind,
    plan_id: line.planId,
    paid_amount_minor: line.paidAmountMinor,
    refunded_amount_minor: refunded,
    commission_minor: remainingCommission(line, refunded),
    creator_amount_minor: creatorAmount,
    organisation_amount_minor: organisationAmount,
    status: position.status,
    paid_at: order.state.paidAt!,
    settleable_at: settleableAt,
    // A booked line is rewritten in MUTABLE_COLUMNS or REWRITTEN_COLUMNS only, so these count
    // for a new line alone (`planCommissions` sets `as_settled` on a rewritten one).
    settlement_id: null,
    as_settled: null,
    created_at: nowIso,
    updated_at: nowIso,
  };
}

/** A refund or a reversal: what the line pays moved (a later completion moving only `settleable_at` does not). */
function moneyMoved(before: BookedLine, after: CommissionsTable): boolean {
  return before.status !== after.status || Number(before.refunded_amount_minor) !== after.refunded_amount_minor;
}

function changed(before: BookedLine, after: CommissionsTable): boolean {
  return (
    before.status !== after.status ||
    Number(before.refunded_amount_minor) !== after.refunded_amount_minor ||
    before.settleable_at !== after.settleable_at
  );
}
