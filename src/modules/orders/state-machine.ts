import { Unprocessable } from '../../core/errors.ts';
import type { EventLine, FoldPosition, LineState, OrderEvent, OrderState, OrderStatus, StoredOrderState } from './model.ts';

/**
 * The order state machine of DESIGN.md: created -> paid -> shipped -> completed, refunded or
 * cancelled at any point. Events arrive duplicated and out of order, so the state is a function of
 * the *set* of distinct events, never of their arrival order:
 *
 * - the lifecycle status is the furthest one any event reported (a stale or a lower status never
 *   moves the order back);
 * - `cancelled` and `refunded` are terminal: later lifecycle events are kept in the history but do
 *   not reopen the order; `refunded` outranks `cancelled` (money went back either way);
 * - a `refunded` event is a full refund: every line's refunded amount becomes its paid amount.
 *   A partial refund comes as the order's current status with the lines' `refunded_amount`;
 * - per line, product, quantity and paid amount come from the newest event carrying the line; the
 *   refunded amount is a running total, so the largest ever reported counts (a late refund still
 *   counts), capped at the paid amount;
 * - a line missing from an event is unchanged (an event never deletes a line);
 * - click and sub id: the newest event that carries one (a later event without one erases nothing).
 *
 * `applyEvent` inserts the event into the time-ordered history and folds the history again, so
 * applying events one by one in any order equals replaying them in true time order by construction.
 * An order has a handful of events, so the replay costs little.
 */
const LIFECYCLE: readonly OrderStatus[] = ['created', 'paid', 'shipped', 'completed'];
/** Order of statuses that never goes backwards; also breaks ties between events at one instant. */
const STATUS_RANK: Record<OrderStatus, number> = { created: 0, paid: 1, shipped: 2, completed: 3, cancelled: 4, refunded: 5 };

export type OrderTransition =
  | { kind: 'status'; from: OrderStatus | null; to: OrderStatus }
  | { kind: 'line_added'; lineId: string; paidAmountMinor: number }
  | { kind: 'line_paid_amount'; lineId: string; fromMinor: number; toMinor: number }
  | { kind: 'line_refunded'; lineId: string; fromMinor: number; toMinor: number };

export interface AppliedEvent {
  state: OrderState;
  /** False exactly when the event had already been applied: the state is returned as it was. */
  changed: boolean;
  /**
   * What the event changed that money depends on: the status, new lines, paid and refunded amounts.
   * Empty for an event kept only as history. A corrected product or quantity shows in the state only.
   */
  transitions: OrderTransition[];
}

export function statusRank(status: OrderStatus): number {
  return STATUS_RANK[status];
}

export function applyEvent(state: OrderState | null, event: OrderEvent): AppliedEvent {
  if (state !== null) assertSameOrder(state, event);
  if (state !== null && state.history.some((e) => isSameEvent(e, event))) return { state, changed: false, transitions: [] };
  const next = orderStateFrom(insertInTimeOrder(state?.history ?? [], event));
  return { state: next, changed: true, transitions: transitionsBetween(state, next) };
}

/**
 * Keys already computed, per event object: an event's key is read on every comparison and every
 * replay of its order's history. Events are never mutated once parsed, so a key cannot go stale.
 */
const keys = new WeakMap<OrderEvent, string>();

/** Identity of an event: all of its content. Two deliveries of the same content are one event. */
export function eventKey(event: OrderEvent): string {
  let key = keys.get(event);
  if (key === undefined) {
    const lines = [...event.lines].sort((a, b) => compareText(a.lineId, b.lineId)).map(lineKey);
    keys.set(event, (key = JSON.stringify([event.orderId, event.status, event.occurredAt, event.currency, event.clickId, event.subId, lines])));
  }
  return key;
}

/** Same content; the instant and the status are part of the key, so events differing there differ without serialising either. */
function isSameEvent(a: OrderEvent, b: OrderEvent): boolean {
  return a.occurredAt === b.occurredAt && a.status === b.status && eventKey(a) === eventKey(b);
}

/** True time order: by `occurredAt`, then lifecycle rank, then content, so it is total. */
export function compareEvents(a: OrderEvent, b: OrderEvent): number {
  return compareText(a.occurredAt, b.occurredAt) || STATUS_RANK[a.status] - STATUS_RANK[b.status] || compareText(eventKey(a), eventKey(b));
}

function assertSameOrder(state: StoredOrderState, event: OrderEvent): void {
  if (state.orderId !== event.orderId) throw new Unprocessable('order_id_mismatch', `event for order ${event.orderId} applied to order ${state.orderId}`);
  if (state.currency !== event.currency) {
    throw new Unprocessable('order_currency_changed', `order ${state.orderId} is in ${state.currency}; an event in ${event.currency} cannot apply`);
  }
}

function insertInTimeOrder(history: readonly OrderEvent[], event: OrderEvent): OrderEvent[] {
  const at = history.findIndex((e) => compareEvents(event, e) < 0);
  return at === -1 ? [...history, event] : [...history.slice(0, at), event, ...history.slice(at)];
}

/** The state of an order whose distinct events, in true time order, are `history` (not empty). */
export function stateOfHistory(history: OrderEvent[]): OrderState {
  return orderStateFrom(history);
}

/** Folds a history already in true time order into the order's state. */
function orderStateFrom(history: OrderEvent[]): OrderState {
  const first = history[0]!;
  const fold: Fold = { lifecycleRank: 0, cancelled: false, fullyRefunded: false, paidAt: null, completedAt: null, clickId: null, subId: null, lines: new Map(), last: first };
  for (const event of history) step(fold, event);
  return { ...stateOf(fold, first.orderId, first.currency, first.occurredAt), history };
}

/** The running fold of an order's events in true time order, up to the `last` one. */
interface Fold {
  lifecycleRank: number;
  cancelled: boolean;
  fullyRefunded: boolean;
  paidAt: string | null;
  completedAt: string | null;
  clickId: string | null;
  subId: string | null;
  /** Refunded amounts as reported (the largest so far), before capping at the paid amount. */
  lines: Map<string, LineState>;
  last: Pick<OrderEvent, 'occurredAt' | 'status'>;
}

function step(fold: Fold, event: OrderEvent): void {
  const rank = STATUS_RANK[event.status];
  if (rank < LIFECYCLE.length) fold.lifecycleRank = Math.max(fold.lifecycleRank, rank);
  if (rank >= STATUS_RANK.paid && rank <= STATUS_RANK.completed) fold.paidAt ??= event.occurredAt;
  if (event.status === 'completed') fold.completedAt ??= event.occurredAt;
  fold.cancelled ||= event.status === 'cancelled';
  fold.fullyRefunded ||= event.status === 'refunded';
  fold.clickId = event.clickId ?? fold.clickId;
  fold.subId = event.subId ?? fold.subId;
  for (const line of event.lines) fold.lines.set(line.lineId, newestLine(line, fold.lines.get(line.lineId)));
  fold.last = event;
}

function stateOf(fold: Fold, orderId: string, currency: string, orderedAt: string): Omit<OrderState, 'history'> {
  const status: OrderStatus = fold.fullyRefunded ? 'refunded' : fold.cancelled ? 'cancelled' : LIFECYCLE[fold.lifecycleRank]!;
  const lines = [...fold.lines.values()].sort((a, b) => compareText(a.lineId, b.lineId));
  const capped = lines.map((l) => cappedRefund(l, fold.fullyRefunded));
  const rawRefunded: Record<string, number> = {};
  let anyRaw = false;
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.refundedAmountMinor === capped[i]!.refundedAmountMinor) continue;
    rawRefunded[lines[i]!.lineId] = lines[i]!.refundedAmountMinor;
    anyRaw = true;
  }
  const position: FoldPosition = { lastAt: fold.last.occurredAt, lastRank: STATUS_RANK[fold.last.status], lifecycleRank: fold.lifecycleRank, cancelled: fold.cancelled };
  if (anyRaw) position.rawRefunded = rawRefunded;
  return { orderId, currency, status, orderedAt, paidAt: fold.paidAt, completedAt: fold.completedAt, clickId: fold.clickId, subId: fold.subId, lines: capped, fold: position };
}

/**
 * An order's stored state with one more event applied, without its history, when the event comes
 * after every event folded into it: a later instant, or the same instant and a higher status (the
 * usual case: a platform reports an order's steps in order). Null otherwise — the event may be a
 * duplicate or belong earlier, or the row predates `fold` — and the caller replays the history
 * with `applyEvent`. Either way the result is the same state (the fold goes event by event in true
 * time order); a later event is never one applied before, so it always changes the order.
 */
export function foldLater(stored: StoredOrderState, event: OrderEvent): StoredOrderState | null {
  const position = stored.fold;
  if (position === undefined) return null;
  const rank = STATUS_RANK[event.status];
  if (!(event.occurredAt > position.lastAt || (event.occurredAt === position.lastAt && rank > position.lastRank))) return null;
  assertSameOrder(stored, event);
  const fold: Fold = {
    lifecycleRank: position.lifecycleRank,
    cancelled: position.cancelled,
    fullyRefunded: stored.status === 'refunded',
    paidAt: stored.paidAt,
    completedAt: stored.completedAt,
    clickId: stored.clickId,
    subId: stored.subId,
    lines: new Map(stored.lines.map((l) => [l.lineId, { ...l, refundedAmountMinor: position.rawRefunded?.[l.lineId] ?? l.refundedAmountMinor }])),
    last: event,
  };
  step(fold, event);
  return stateOf(fold, stored.orderId, stored.currency, stored.orderedAt);
}

function newestLine(line: EventLine, before: LineState | undefined): LineState {
  return { ...line, refundedAmountMinor: Math.max(line.refundedAmountMinor, before?.refundedAmountMinor ?? 0) };
}

function cappedRefund(line: LineState, fullyRefunded: boolean): LineState {
  const refunded = fullyRefunded ? line.paidAmountMinor : Math.min(line.refundedAmountMinor, line.paidAmountMinor);
  return { ...line, refundedAmountMinor: refunded };
}

function transitionsBetween(before: OrderState | null, after: OrderState): OrderTransition[] {
  const out: OrderTransition[] = [];
  if (before?.status !== after.status) out.push({ kind: 'status', from: before?.status ?? null, to: after.status });
  const previous = new Map(before?.lines.map((l) => [l.lineId, l]));
  for (const line of after.lines) {
    const was = previous.get(line.lineId);
    if (was === undefined) out.push({ kind: 'line_added', lineId: line.lineId, paidAmountMinor: line.paidAmountMinor });
    else if (was.paidAmountMinor !== line.paidAmountMinor) out.push({ kind: 'line_paid_amount', lineId: line.lineId, fromMinor: was.paidAmountMinor, toMinor: line.paidAmountMinor });
    if ((was?.refundedAmountMinor ?? 0) !== line.refundedAmountMinor) {
      out.push({ kind: 'line_refunded', lineId: line.lineId, fromMinor: was?.refundedAmountMinor ?? 0, toMinor: line.refundedAmountMinor });
    }
  }
  return out;
}

/** A reported rate is part of the line's identity only when reported, so older keys stay the same. */
function lineKey(l: EventLine): (string | number)[] {
  const key: (string | number)[] = [l.lineId, l.productId, l.quantity, l.paidAmountMinor, l.refundedAmountMinor];
  if (l.commissionRateBps !== undefined && l.commissionRateBps !== null) key.push(l.commissionRateBps);
  return key;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `settled` is not here: it is the ledger's, once a settlement included the commission. */
export type CommissionStatus = 'estimated' | 'confirmed' | 'settleable' | 'reversed';
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The commission status an order's state implies (DESIGN.md), or null while it earns none
 * (created, or cancelled before it was paid). A cancellation after payment reverses like a refund:
 * the sources void the commission of a cancelled order (Taobao tk_status 13 "invalid", JD's
 * invalid validCodes). An order whose every line is refunded in full is reversed even when the
 * source kept its status. The return window has passed at completedAt + returnWindowDays, exactly.
 */
export function commissionStatusOf(order: StoredOrderState, now: Date, returnWindowDays: number): CommissionStatus | null {
  if (order.status === 'refunded') return 'reversed';
  if (order.status === 'cancelled') return order.paidAt === null ? null : 'reversed';
  if (order.status === 'created') return null;
  if (isEntirelyRefunded(order)) return 'reversed';
  if (order.status !== 'completed' || order.completedAt === null) return 'estimated';
  const windowEnds = Date.parse(order.completedAt) + returnWindowDays * DAY_MS;
  return now.getTime() >= windowEnds ? 'settleable' : 'confirmed';
}

/** What commission is paid on: the line's paid amount less what was refunded of it (never negative). */
export function commissionBaseOf(line: LineState): number {
  return line.paidAmountMinor - line.refundedAmountMinor;
}

function isEntirelyRefunded(order: StoredOrderState): boolean {
  return order.lines.some((l) => l.refundedAmountMinor > 0) && order.lines.every((l) => commissionBaseOf(l) === 0);
}
