import { z } from 'zod';
import { InvalidInput } from '../../core/errors.ts';

/**
 * The order webhook of the public contract (CONTRACT.md, "Order webhooks"), and the order's state
 * as the state machine keeps it. The wire format is snake_case; the parsed event is camelCase with
 * units in the names, and `occurred_at` is normalised to `toISOString()` form so instants compare
 * as text.
 */
export const ORDER_STATUSES = ['created', 'paid', 'shipped', 'completed', 'refunded', 'cancelled'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const MAX_EVENTS_PER_DELIVERY = 1_000;

const nonEmptyId = (what: string) => z.string({ error: `${what} must be a string` }).trim().min(1, `${what} must not be empty`).max(200, `${what} is longer than 200 characters`);
const minorUnits = (what: string) =>
  z
    .number({ error: `${what} must be a number of minor units` })
    .int(`${what} must be an integer number of minor units (fen), not a decimal amount`)
    .min(0, `${what} must not be negative`)
    .max(Number.MAX_SAFE_INTEGER, `${what} is too large`);

const lineSchema = z
  .object({
    line_id: nonEmptyId('line_id'),
    product_id: nonEmptyId('product_id'),
    quantity: z.number({ error: 'quantity must be a number' }).int('quantity must be a whole number').min(1, 'quantity must be at least 1'),
    paid_amount: minorUnits('paid_amount'),
    refunded_amount: minorUnits('refunded_amount'),
    commission_rate_bps: z
      .number({ error: 'commission_rate_bps must be a number of basis points' })
      .int('commission_rate_bps must be whole basis points (1250 = 12.50%)')
      .min(0, 'commission_rate_bps must not be negative')
      .max(10_000, 'commission_rate_bps must not exceed 10000 (100%)')
      .nullish(),
  })
  .refine((l) => l.refunded_amount <= l.paid_amount, { message: 'refunded_amount must not exceed paid_amount', path: ['refunded_amount'] });

const dataSchema = z.object({
  order_id: nonEmptyId('order_id'),
  status: z.enum(ORDER_STATUSES, { error: `status must be one of ${ORDER_STATUSES.join(', ')}` }),
  occurred_at: z.iso.datetime({ offset: true, error: 'occurred_at must be an ISO-8601 date-time such as 2026-11-24T10:00:00Z' }),
  currency: z.string({ error: 'currency must be a string' }).regex(/^[A-Z]{3}$/, 'currency must be a three-letter ISO 4217 code such as CNY'),
  click_id: nonEmptyId('click_id').nullish(),
  sub_id: nonEmptyId('sub_id').nullish(),
  lines: z
    .array(lineSchema, { error: 'lines must be an array' })
    .min(1, 'lines must hold at least one line')
    .refine((lines) => lines.length === 1 || new Set(lines.map((l) => l.line_id)).size === lines.length, 'line_id must be unique within an event'),
});

const wireEventSchema = z.object({
  type: z.literal('order.updated', { error: 'type must be "order.updated"' }),
  data: dataSchema,
});

export interface EventLine {
  lineId: string;
  productId: string;
  quantity: number;
  paidAmountMinor: number;
  /** Total refunded so far for this line (a running total, not this event's refund). */
  refundedAmountMinor: number;
  /** The rate the source says it pays on this line (its open plan), when it says. */
  commissionRateBps?: number | null;
}

export interface OrderEvent {
  orderId: string;
  status: OrderStatus;
  /** ISO-8601 UTC, `toISOString()` form. */
  occurredAt: string;
  currency: string;
  clickId: string | null;
  subId: string | null;
  lines: EventLine[];
}

/**
 * `toISOString()` form, which an instant valid by the schema already in that form is (most
 * senders write it so): parsing and printing it again cost ~1.2 µs an event, most of what a
 * delivery's events cost beyond their validation.
 */
const CANONICAL_INSTANT = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
function canonicalInstant(valid: string): string {
  return CANONICAL_INSTANT.test(valid) ? valid : new Date(valid).toISOString();
}

export const orderEventSchema = wireEventSchema.transform(({ data }): OrderEvent => ({
  orderId: data.order_id,
  status: data.status,
  occurredAt: canonicalInstant(data.occurred_at),
  currency: data.currency,
  clickId: data.click_id ?? null,
  subId: data.sub_id ?? null,
  lines: data.lines.map((l) => ({
    lineId: l.line_id,
    productId: l.product_id,
    quantity: l.quantity,
    paidAmountMinor: l.paid_amount,
    refundedAmountMinor: l.refunded_amount,
    ...(l.commission_rate_bps === undefined || l.commission_rate_bps === null ? {} : { commissionRateBps: l.commission_rate_bps }),
  })),
}));

const batchSchema = z.object({
  events: z
    .array(orderEventSchema, { error: 'events must be an array' })
    .min(1, 'events must hold at least one event')
    .max(MAX_EVENTS_PER_DELIVERY, `events must hold at most ${MAX_EVENTS_PER_DELIVERY} events`),
});

/**
 * A delivery is one event or `{ "events": [...] }` of 1 to 1,000; either way, a list of events.
 * Chosen by the presence of `events` rather than a zod union, so a bad field is reported by its
 * own message and path instead of "no union member matched".
 */
export function parseOrderWebhookBody(body: unknown): OrderEvent[] {
  const isBatch = typeof body === 'object' && body !== null && 'events' in body;
  const parsed = isBatch ? batchSchema.safeParse(body) : orderEventSchema.safeParse(body);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    const first = issues[0]!;
    throw new InvalidInput('invalid_order_event', first.path ? `${first.path}: ${first.message}` : first.message, issues);
  }
  return 'events' in parsed.data ? parsed.data.events : [parsed.data];
}

export interface LineState {
  lineId: string;
  productId: string;
  quantity: number;
  paidAmountMinor: number;
  /** Never more than `paidAmountMinor`. */
  refundedAmountMinor: number;
  commissionRateBps?: number | null;
}

export interface OrderState {
  orderId: string;
  currency: string;
  status: OrderStatus;
  /** Earliest `occurredAt` of any event: when the shopper placed the order, as near as we know. */
  orderedAt: string;
  /** Earliest event saying paid, shipped or completed; null while never paid. */
  paidAt: string | null;
  /** Earliest event saying completed: the return window runs from here. */
  completedAt: string | null;
  clickId: string | null;
  subId: string | null;
  /** Sorted by lineId. */
  lines: LineState[];
  /** Every distinct event applied, in true time order (see `compareEvents`). */
  history: OrderEvent[];
  /** What the fold of the history keeps, so another event can be applied without it (`foldInto`). */
  fold: FoldPosition;
}

/** What the fold of an order's events keeps beyond the state, to fold one more without them: see `foldInto`. */
export interface FoldPosition {
  /** The furthest lifecycle status reported (its rank), and whether any event said cancelled: a terminal status hides both. */
  lifecycleRank: number;
  cancelled: boolean;
  /** Per line, the largest refund reported, where it is more than the line's refunded amount (capped at its paid amount). */
  rawRefunded?: Record<string, number>;
  /** [occurredAt, status rank] of the event that decided the click id, the sub id, each line. */
  clickAt?: [string, number];
  subAt?: [string, number];
  lineAt: Record<string, [string, number]>;
  /** The identity (`identityOf`) of every event applied. */
  keys: string[];
}

/**
 * The state as `orders.state` stores it: without the history, which `orders.events` holds already
 * (appended to, never rewritten), and with what folding one more event onto it needs (`fold`).
 */
export type StoredOrderState = Omit<OrderState, 'history' | 'fold'> & {
  /** Absent in rows written before it was kept: their next event replays the history. */
  fold?: FoldPosition;
};

export function storedStateOf(state: OrderState): StoredOrderState {
  const { history: _history, ...stored } = state;
  return stored;
}
