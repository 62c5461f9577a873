import { hash } from 'node:crypto';
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

/** How an event's identity is found: `identityOf`, or one that knows identities made elsewhere first. */
export type Identify = (event: OrderEvent) => string;

export function applyEvent(state: OrderState | null, event: OrderEvent, identify: Identify = identityOf): AppliedEvent {
  const next = withEvent(state, event, identify);
  if (next === state) return { state, changed: false, transitions: [] };
  return { state: next, changed: true, transitions: transitionsBetween(state, next) };
}

/** `applyEvent` without the transitions: the new state, or `state` itself when the event had already been applied. */
export function withEvent(state: OrderState | null, event: OrderEvent, identify: Identify = identityOf): OrderState {
  if (state !== null) assertSameOrder(state, event);
  if (state !== null && state.history.some((e) => isSameEvent(e, event))) return state;
  return orderStateFrom(insertInTimeOrder(state?.history ?? [], event), identify);
}

/**
 * Keys already computed, per event object: an event's key is read on every comparison and every
 * replay of its order's history. Events are never mutated once parsed, so a key cannot go stale.
 */
const keys = new WeakMap<OrderEvent, string>();

/** Identity of an event: all of its content. Two deliveries of the same content are one event. */
export function eventKey(event: OrderEvent): string {
  let key = keys.get(event);
  if (key === undefined) keys.set(event, (key = keyOf(event)));
  return key;
}

function keyOf(event: OrderEvent): string {
  // Lines in line-id order, so their order in the event does not matter (most events have one).
  const lines = event.lines.length === 1 ? [lineKey(event.lines[0]!)] : [...event.lines].sort((a, b) => compareText(a.lineId, b.lineId)).map(lineKey);
  return JSON.stringify([event.orderId, event.status, event.occurredAt, event.currency, event.clickId, event.subId, lines]);
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
export function stateOfHistory(history: OrderEvent[], identify: Identify = identityOf): OrderState {
  return orderStateFrom(history, identify);
}

/** Folds a history already in true time order into the order's state. */
function orderStateFrom(history: OrderEvent[], identify: Identify): OrderState {
  const first = history[0]!;
  const fold: Fold = {
    lifecycleRank: 0, cancelled: false, fullyRefunded: false, orderedAt: first.occurredAt, paidAt: null, completedAt: null,
    clickId: null, clickAt: null, subId: null, subAt: null, lines: new Map(), lineAt: new Map(), keys: [],
  };
  for (const event of history) absorb(fold, event, identify(event), 'later wins');
  return { ...stateOf(fold, first.orderId, first.currency), history };
}

/** Where an event stands in true time order, as far as its instant and status tell. */
type Position = [occurredAt: string, rank: number];

/**
 * The fold of an order's events. Every part of it is the same whatever order the events come in:
 * furthest status, terminal flags, earliest instants, largest refunds; and for what the newest
 * event decides (click id, sub id, each line's product, quantity and amount), the position of the
 * event that decided it, so a newer one can take over and an older one cannot.
 */
interface Fold {
  lifecycleRank: number;
  cancelled: boolean;
  fullyRefunded: boolean;
  orderedAt: string;
  paidAt: string | null;
  completedAt: string | null;
  clickId: string | null;
  clickAt: Position | null;
  subId: string | null;
  subAt: Position | null;
  /** Refunded amounts as reported (the largest so far), before capping at the paid amount. */
  lines: Map<string, LineState>;
  lineAt: Map<string, Position>;
  /** `identityOf` each event folded. */
  keys: string[];
}

function comparePositions(a: Position, b: Position): number {
  return compareText(a[0], b[0]) || a[1] - b[1];
}

/**
 * Adds one event not folded before. Replaying a history in true time order, an event at the same
 * position as the one that decided a value comes after it (`later wins`: the tie is broken by the
 * event's key, as `compareEvents` does). Folding onto a stored state, the key of the other event is
 * not at hand: a tie is no question when both say the same, and otherwise the fold gives up
 * (returns false) and the caller replays the history.
 */
function absorb(fold: Fold, event: OrderEvent, identity: string, onTie: 'later wins' | 'give up'): boolean {
  const rank = STATUS_RANK[event.status];
  const at: Position = [event.occurredAt, rank];
  const takes = (decided: Position | null, same: boolean): boolean | null => {
    if (decided === null) return true;
    const c = comparePositions(at, decided);
    if (c !== 0) return c > 0;
    return onTie === 'later wins' ? true : same ? false : null;
  };
  const clickTaken = event.clickId == null ? false : takes(fold.clickAt, event.clickId === fold.clickId);
  const subTaken = event.subId == null ? false : takes(fold.subAt, event.subId === fold.subId);
  const lineTaken = event.lines.map((line) => {
    const before = fold.lines.get(line.lineId);
    return takes(fold.lineAt.get(line.lineId) ?? null, before !== undefined && sameLineTerms(line, before));
  });
  if (clickTaken === null || subTaken === null || lineTaken.includes(null)) return false;

  if (rank < LIFECYCLE.length) fold.lifecycleRank = Math.max(fold.lifecycleRank, rank);
  if (rank >= STATUS_RANK.paid && rank <= STATUS_RANK.completed && (fold.paidAt === null || event.occurredAt < fold.paidAt)) fold.paidAt = event.occurredAt;
  if (event.status === 'completed' && (fold.completedAt === null || event.occurredAt < fold.completedAt)) fold.completedAt = event.occurredAt;
  if (event.occurredAt < fold.orderedAt) fold.orderedAt = event.occurredAt;
  fold.cancelled ||= event.status === 'cancelled';
  fold.fullyRefunded ||= event.status === 'refunded';
  if (clickTaken) [fold.clickId, fold.clickAt] = [event.clickId!, at];
  if (subTaken) [fold.subId, fold.subAt] = [event.subId!, at];
  event.lines.forEach((line, i) => {
    const before = fold.lines.get(line.lineId);
    const refunded = Math.max(line.refundedAmountMinor, before?.refundedAmountMinor ?? 0);
    if (lineTaken[i]) {
      fold.lines.set(line.lineId, { ...line, refundedAmountMinor: refunded });
      fold.lineAt.set(line.lineId, at);
    } else fold.lines.set(line.lineId, { ...before!, refundedAmountMinor: refunded });
  });
  fold.keys.push(identity);
  return true;
}

/** What the newest report of a line decides: all of it but the refunded amount, which only grows. */
function sameLineTerms(a: EventLine, b: LineState): boolean {
  return a.productId === b.productId && a.quantity === b.quantity && a.paidAmountMinor === b.paidAmountMinor && a.commissionRateBps === b.commissionRateBps;
}

function stateOf(fold: Fold, orderId: string, currency: string): Omit<OrderState, 'history'> {
  const status: OrderStatus = fold.fullyRefunded ? 'refunded' : fold.cancelled ? 'cancelled' : LIFECYCLE[fold.lifecycleRank]!;
  const lines = [...fold.lines.values()].sort((a, b) => compareText(a.lineId, b.lineId));
  const capped = lines.map((l) => cappedRefund(l, fold.fullyRefunded));
  // Sorted, so the stored state is the same whatever order the events came in.
  const position: FoldPosition = { lifecycleRank: fold.lifecycleRank, cancelled: fold.cancelled, lineAt: Object.fromEntries([...fold.lineAt].sort(([a], [b]) => compareText(a, b))), keys: fold.keys.sort(compareText) };
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.refundedAmountMinor === capped[i]!.refundedAmountMinor) continue;
    (position.rawRefunded ??= {})[lines[i]!.lineId] = lines[i]!.refundedAmountMinor;
  }
  if (fold.clickAt) position.clickAt = fold.clickAt;
  if (fold.subAt) position.subAt = fold.subAt;
  return { orderId, currency, status, orderedAt: fold.orderedAt, paidAt: fold.paidAt, completedAt: fold.completedAt, clickId: fold.clickId, subId: fold.subId, lines: capped, fold: position };
}

/**
 * An order's stored state with one more event applied, without reading its history: the fold does
 * not depend on the order events come in (see `Fold`), and the state keeps what it needs (`fold`).
 * `changed` is false when the event was applied before (its identity is among the folded ones).
 * Null when the fold cannot tell — the event ties with the one that decided a value and says
 * otherwise, or the row predates `fold` — and the caller replays the history with `applyEvent`.
 * Either way the result is the state of all the events replayed in true time order.
 */
export function foldInto(stored: StoredOrderState, event: OrderEvent, identity: string = identityOf(event)): { state: StoredOrderState; changed: boolean } | null {
  const position = stored.fold;
  if (position?.keys === undefined) return null;
  if (position.keys.includes(identity)) return { state: stored, changed: false };
  assertSameOrder(stored, event);
  const fold: Fold = {
    lifecycleRank: position.lifecycleRank,
    cancelled: position.cancelled,
    fullyRefunded: stored.status === 'refunded',
    orderedAt: stored.orderedAt,
    paidAt: stored.paidAt,
    completedAt: stored.completedAt,
    clickId: stored.clickId,
    clickAt: position.clickAt ?? null,
    subId: stored.subId,
    subAt: position.subAt ?? null,
    lines: new Map(stored.lines.map((l) => [l.lineId, { ...l, refundedAmountMinor: position.rawRefunded?.[l.lineId] ?? l.refundedAmountMinor }])),
    lineAt: new Map(Object.entries(position.lineAt)),
    keys: [...position.keys],
  };
  if (!absorb(fold, event, identity, 'give up')) return null;
  return { state: stateOf(fold, stored.orderId, stored.currency), changed: true };
}

const identities = new WeakMap<OrderEvent, string>();

/**
 * An event's identity as stored: the first 128 bits of its key's SHA-256, in base64url (22
 * characters). Two events are one exactly when their keys are equal; a collision is out of reach.
 */
export function identityOf(event: OrderEvent): string {
  let identity = identities.get(event);
  if (identity === undefined) identities.set(event, (identity = identityOfKey(eventKey(event))));
  return identity;
}

/**
 * `identityOf` for an event looked at once (a delivery's, as its record is made in the
 * verifier's worker), keeping nothing: an entry in the two WeakMaps cost more than the hash, and
 * more again in the garbage collector's marking (~3 µs an event here, all told).
 */
export function identityOfUncached(event: OrderEvent): string {
  return identities.get(event) ?? identityOfKey(keys.get(event) ?? keyOf(event));
}

function identityOfKey(key: string): string {
  return hash('sha256', key, 'buffer').subarray(0, 16).toString('base64url');
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
