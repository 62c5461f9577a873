import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ORDER_STATUSES, storedStateOf, type EventLine, type OrderEvent, type OrderState, type StoredOrderState } from './model.ts';
import { applyEvent, commissionBaseOf, commissionStatusOf, compareEvents, eventKey, foldInto, stateOfHistory, statusRank } from './state-machine.ts';

const T0 = Date.UTC(2026, 10, 1);
// Few instants and few line ids, so that ties, duplicates and conflicting reports are common.
const instant = fc.integer({ min: 0, max: 6 }).map((h) => new Date(T0 + h * 3_600_000).toISOString());
const eventLine: fc.Arbitrary<EventLine> = fc
  .record({ lineId: fc.constantFrom('1', '2', '3'), productId: fc.constantFrom('p-a', 'p-b'), quantity: fc.integer({ min: 1, max: 3 }), paid: fc.constantFrom(0, 500, 1990), refundShare: fc.constantFrom(0, 0, 0.5, 1) })
  .map(({ lineId, productId, quantity, paid, refundShare }) => ({ lineId, productId, quantity, paidAmountMinor: paid, refundedAmountMinor: Math.floor(paid * refundShare) }));
const orderEvent: fc.Arbitrary<OrderEvent> = fc.record({
  orderId: fc.constant('o-1'),
  status: fc.constantFrom(...ORDER_STATUSES),
  occurredAt: instant,
  currency: fc.constant('CNY'),
  clickId: fc.option(fc.constantFrom('clk_a', 'clk_b'), { nil: null }),
  subId: fc.option(fc.constant('pos_1'), { nil: null }),
  lines: fc.uniqueArray(eventLine, { minLength: 1, maxLength: 3, selector: (l) => l.lineId }),
});

/** A set of distinct events, and one way they might arrive: shuffled, some delivered more than once. */
const deliveries = fc
  .uniqueArray(orderEvent, { minLength: 1, maxLength: 8, selector: eventKey })
  .chain((events) =>
    fc.record({
      events: fc.constant(events),
      arrivals: fc.shuffledSubarray([...events, ...events, ...events], { minLength: events.length * 3, maxLength: events.length * 3 })
        .chain((all) => fc.shuffledSubarray(all, { minLength: events.length })),
    }),
  )
  .filter(({ events, arrivals }) => events.every((e) => arrivals.some((a) => eventKey(a) === eventKey(e))));

function applyInTrueTimeOrder(events: OrderEvent[]): OrderState {
  let state: OrderState | null = null;
  for (const e of [...events].sort(compareEvents)) state = applyEvent(state, e).state;
  return state!;
}

function arrive(arrivals: OrderEvent[], check: (before: OrderState | null, after: OrderState, e: OrderEvent) => void): OrderState {
  let state: OrderState | null = null;
  for (const e of arrivals) {
    const next: OrderState = applyEvent(state, e).state;
    check(state, next, e);
    state = next;
  }
  return state!;
}

describe('order events in any order, duplicated', () => {
  it('end in the state of the same events applied once each in true time order', () => {
    fc.assert(
      fc.property(deliveries, ({ events, arrivals }) => {
        expect(arrive(arrivals, () => {})).toEqual(applyInTrueTimeOrder(events));
      }),
    );
  });

  it('end in the same state when ingestion folds each onto the stored row, replaying the history only when the fold cannot place one', () => {
    fc.assert(
      fc.property(deliveries, ({ events, arrivals }) => {
        // As ingestion does: the row holds the state without its history, as JSON; the history is
        // read only when `foldInto` gives up.
        const asRow = (state: StoredOrderState) => JSON.parse(JSON.stringify(state)) as StoredOrderState;
        let row: StoredOrderState | null = null;
        const history: OrderEvent[] = [];
        for (const e of arrivals) {
          const seen = history.some((h) => eventKey(h) === eventKey(e));
          const folded = row && foldInto(row, e);
          if (folded) {
            expect(folded.changed).toBe(!seen);
            if (folded.changed) history.push(e);
            row = asRow(folded.state);
            continue;
          }
          const applied = applyEvent(history.length === 0 ? null : stateOfHistory([...history].sort(compareEvents)), e);
          expect(applied.changed).toBe(!seen);
          if (!applied.changed) continue;
          history.push(e);
          row = asRow(storedStateOf(applied.state));
        }
        expect(row).toEqual(asRow(storedStateOf(applyInTrueTimeOrder(events))));
      }),
    );
  });

  it('fold a new event onto the stored state as a replay of all would, giving up only on a tie with another event', () => {
    fc.assert(
      fc.property(fc.uniqueArray(orderEvent, { minLength: 2, maxLength: 8, selector: eventKey }), fc.nat(), (events, pick) => {
        const added = events[pick % events.length]!;
        const others = events.filter((e) => e !== added);
        const stored = JSON.parse(JSON.stringify(storedStateOf(applyInTrueTimeOrder(others)))) as StoredOrderState;
        const folded = foldInto(stored, added);
        if (folded === null) {
          expect(others.some((o) => o.occurredAt === added.occurredAt && statusRank(o.status) === statusRank(added.status))).toBe(true);
          return;
        }
        expect(folded).toEqual({ state: storedStateOf(applyInTrueTimeOrder(events)), changed: true });
        // Folded once, it is one of the order's events: again, it changes nothing.
        expect(foldInto(folded.state, added)).toEqual({ state: folded.state, changed: false });
      }),
    );
  });

  it('end in the status and refunds that a plain reading of the events gives', () => {
    fc.assert(
      fc.property(deliveries, ({ events, arrivals }) => {
        const state = arrive(arrivals, () => {});
        const statuses = new Set(events.map((e) => e.status));
        const furthest = (['completed', 'shipped', 'paid', 'created'] as const).find((s) => statuses.has(s)) ?? 'created';
        expect(state.status).toBe(statuses.has('refunded') ? 'refunded' : statuses.has('cancelled') ? 'cancelled' : furthest);
        for (const l of state.lines) {
          const reports = events.filter((e) => e.lines.some((x) => x.lineId === l.lineId)).sort(compareEvents);
          const newest = reports.at(-1)!.lines.find((x) => x.lineId === l.lineId)!;
          const mostRefunded = Math.max(...reports.map((e) => e.lines.find((x) => x.lineId === l.lineId)!.refundedAmountMinor));
          expect(l.paidAmountMinor).toBe(newest.paidAmountMinor);
          expect(l.refundedAmountMinor).toBe(statuses.has('refunded') ? newest.paidAmountMinor : Math.min(mostRefunded, newest.paidAmountMinor));
        }
        expect(state.history).toHaveLength(events.length);
      }),
    );
  });

  it('change nothing when any already applied event is applied again', () => {
    fc.assert(
      fc.property(deliveries, fc.nat(), ({ arrivals }, pick) => {
        const state = arrive(arrivals, () => {});
        const again = applyEvent(state, arrivals[pick % arrivals.length]!);
        expect(again.changed).toBe(false);
        expect(again.transitions).toEqual([]);
        expect(again.state).toBe(state);
      }),
    );
  });

  it('never move the status backwards', () => {
    fc.assert(
      fc.property(deliveries, ({ arrivals }) => {
        arrive(arrivals, (before, after) => {
          if (before !== null) expect(statusRank(after.status)).toBeGreaterThanOrEqual(statusRank(before.status));
        });
      }),
    );
  });

  it('never refund more than was paid on a line, so the commission base is never negative', () => {
    fc.assert(
      fc.property(deliveries, ({ arrivals }) => {
        arrive(arrivals, (_before, after) => {
          for (const l of after.lines) {
            expect(l.refundedAmountMinor).toBeLessThanOrEqual(l.paidAmountMinor);
            expect(l.refundedAmountMinor).toBeGreaterThanOrEqual(0);
            expect(commissionBaseOf(l)).toBeGreaterThanOrEqual(0);
          }
        });
      }),
    );
  });

  it('report a transition exactly when the status, the set of lines or an amount changed', () => {
    fc.assert(
      fc.property(deliveries, ({ arrivals }) => {
        let state: OrderState | null = null;
        for (const e of arrivals) {
          const applied = applyEvent(state, e);
          const visible = (s: OrderState | null) => s && { status: s.status, lines: s.lines.map((l) => [l.lineId, l.paidAmountMinor, l.refundedAmountMinor]) };
          expect(applied.transitions.length > 0).toBe(JSON.stringify(visible(state)) !== JSON.stringify(visible(applied.state)));
          state = applied.state;
        }
      }),
    );
  });

  it('give a commission status only to an order that was paid, and reverse it on a refund', () => {
    fc.assert(
      fc.property(deliveries, fc.integer({ min: 0, max: 30 }), ({ arrivals }, day) => {
        const state = arrive(arrivals, () => {});
        const status = commissionStatusOf(state, new Date(T0 + day * 86_400_000), 7);
        if (state.status === 'refunded') expect(status).toBe('reversed');
        if (state.paidAt === null && state.status !== 'refunded') expect(status).toBeNull();
        if (status === 'settleable') expect(state.status).toBe('completed');
      }),
    );
  });
});
