import { describe, expect, it } from 'vitest';
import type { EventLine, OrderEvent, OrderState } from './model.ts';
import { applyEvent, commissionBaseOf, commissionStatusOf, identityOf, identityOfUncached } from './state-machine.ts';

const at = (hour: number) => new Date(Date.UTC(2026, 10, 24, hour)).toISOString();
const line = (lineId: string, paidAmountMinor: number, refundedAmountMinor = 0, productId = `p-${lineId}`): EventLine => ({ lineId, productId, quantity: 1, paidAmountMinor, refundedAmountMinor });
const event = (status: OrderEvent['status'], hour: number, lines: EventLine[] = [line('1', 1990)], more: Partial<OrderEvent> = {}): OrderEvent => ({
  orderId: 'o-1', status, occurredAt: at(hour), currency: 'CNY', clickId: null, subId: null, lines, ...more,
});

function applyAll(events: OrderEvent[]): OrderState {
  let state: OrderState | null = null;
  for (const e of events) state = applyEvent(state, e).state;
  return state!;
}

describe('order lifecycle', () => {
  it('walks created -> paid -> shipped -> completed, reporting each status change', () => {
    let state: OrderState | null = null;
    const seen: unknown[] = [];
    for (const [status, hour] of [['created', 1], ['paid', 2], ['shipped', 3], ['completed', 4]] as const) {
      const applied = applyEvent(state, event(status, hour));
      state = applied.state;
      seen.push(applied.transitions.find((t) => t.kind === 'status'));
    }
    expect(seen).toEqual([
      { kind: 'status', from: null, to: 'created' },
      { kind: 'status', from: 'created', to: 'paid' },
      { kind: 'status', from: 'paid', to: 'shipped' },
      { kind: 'status', from: 'shipped', to: 'completed' },
    ]);
    expect(state).toMatchObject({ status: 'completed', orderedAt: at(1), paidAt: at(2), completedAt: at(4) });
  });

  it('changes nothing when the same event is applied twice', () => {
    const once = applyEvent(null, event('paid', 2)).state;
    const twice = applyEvent(once, event('paid', 2));
    expect(twice).toEqual({ state: once, changed: false, transitions: [] });
    expect(twice.state).toBe(once);
  });

  it('keeps a stale event in the history without moving the order back', () => {
    const completed = applyAll([event('paid', 2), event('completed', 4)]);
    const applied = applyEvent(completed, event('shipped', 3));
    expect(applied.changed).toBe(true);
    expect(applied.transitions).toEqual([]);
    expect(applied.state.status).toBe('completed');
    expect(applied.state.history.map((e) => e.status)).toEqual(['paid', 'shipped', 'completed']);
  });

  it('never moves back on a newer event reporting an earlier status', () => {
    expect(applyAll([event('shipped', 3), event('paid', 5)]).status).toBe('shipped');
  });

  it('takes the paid time from the earliest paying event, even when it arrives last', () => {
    expect(applyAll([event('completed', 4), event('paid', 2)])).toMatchObject({ paidAt: at(2), completedAt: at(4), orderedAt: at(2) });
  });

  it('does not reopen a cancelled order on a later lifecycle event', () => {
    expect(applyAll([event('created', 1), event('cancelled', 2), event('paid', 3)]).status).toBe('cancelled');
  });

  it('lets a refund outrank a cancellation, whatever order they arrive in', () => {
    expect(applyAll([event('paid', 1), event('refunded', 3), event('cancelled', 2)]).status).toBe('refunded');
    expect(applyAll([event('paid', 1), event('cancelled', 3), event('refunded', 2)]).status).toBe('refunded');
  });

  it('refuses an event of another order or in another currency', () => {
    const state = applyAll([event('paid', 2)]);
    expect(() => applyEvent(state, event('shipped', 3, undefined, { orderId: 'o-2' }))).toThrow(expect.objectContaining({ code: 'order_id_mismatch', status: 422 }));
    expect(() => applyEvent(state, event('shipped', 3, undefined, { currency: 'USD' }))).toThrow(expect.objectContaining({ code: 'order_currency_changed' }));
  });
});

describe('lines and refunds', () => {
  it('takes paid amounts from the newest event, so a stale one cannot undo a price change', () => {
    const state = applyAll([event('paid', 2, [line('1', 1800)]), event('created', 1, [line('1', 2000)])]);
    expect(state.lines[0]!.paidAmountMinor).toBe(1800);
  });

  it('counts a partial refund that arrives after a newer event, since refunded_amount is a running total', () => {
    const state = applyAll([event('paid', 2, [line('1', 1000), line('2', 500)]), event('completed', 5, [line('1', 1000), line('2', 500)]), event('shipped', 3, [line('1', 1000, 300), line('2', 500)])]);
    expect(state.status).toBe('completed');
    expect(state.lines.map(commissionBaseOf)).toEqual([700, 500]);
  });

  it('reports a refund as a line transition with the running totals', () => {
    const paid = applyAll([event('paid', 2, [line('1', 1000)])]);
    expect(applyEvent(paid, event('paid', 3, [line('1', 1000, 400)])).transitions).toEqual([{ kind: 'line_refunded', lineId: '1', fromMinor: 0, toMinor: 400 }]);
  });

  it('reports new lines and changed paid amounts as line transitions', () => {
    const created = applyAll([event('created', 1, [line('1', 2000)])]);
    expect(applyEvent(created, event('paid', 2, [line('1', 1800), line('2', 500)])).transitions).toEqual([
      { kind: 'status', from: 'created', to: 'paid' },
      { kind: 'line_paid_amount', lineId: '1', fromMinor: 2000, toMinor: 1800 },
      { kind: 'line_added', lineId: '2', paidAmountMinor: 500 },
    ]);
  });

  it('keeps a line that a later event leaves out', () => {
    const state = applyAll([event('paid', 2, [line('1', 1000), line('2', 500)]), event('shipped', 3, [line('1', 1000)])]);
    expect(state.lines.map((l) => l.lineId)).toEqual(['1', '2']);
  });

  it('refunds every line in full on a refunded event', () => {
    const state = applyAll([event('paid', 2, [line('1', 1000), line('2', 500, 100)]), event('refunded', 3, [line('1', 1000)])]);
    expect(state.lines.map((l) => l.refundedAmountMinor)).toEqual([1000, 500]);
    expect(state.lines.map(commissionBaseOf)).toEqual([0, 0]);
  });

  it('caps a refund at the paid amount the newest event reports', () => {
    const state = applyAll([event('paid', 2, [line('1', 1000, 800)]), event('shipped', 3, [line('1', 600)])]);
    expect(state.lines[0]).toMatchObject({ paidAmountMinor: 600, refundedAmountMinor: 600 });
  });

  it('keeps the click id of the newest event that carries one; a later event without one erases nothing', () => {
    const state = applyAll([event('created', 1, undefined, { clickId: 'clk_a', subId: 's1' }), event('paid', 2, undefined, { clickId: 'clk_b' }), event('shipped', 3)]);
    expect(state).toMatchObject({ clickId: 'clk_b', subId: 's1' });
  });
});

describe('commission status', () => {
  const days = (n: number, from: string) => new Date(Date.parse(from) + n * 86_400_000);

  it('is none for an order that is only created, estimated once paid or shipped', () => {
    expect(commissionStatusOf(applyAll([event('created', 1)]), new Date(at(9)), 7)).toBeNull();
    expect(commissionStatusOf(applyAll([event('paid', 2)]), new Date(at(9)), 7)).toBe('estimated');
    expect(commissionStatusOf(applyAll([event('shipped', 3)]), new Date(at(9)), 7)).toBe('estimated');
  });

  it('is confirmed when completed and settleable once the return window has passed, exactly at its end', () => {
    const completed = applyAll([event('paid', 2), event('completed', 4)]);
    expect(commissionStatusOf(completed, new Date(days(7, at(4)).getTime() - 1), 7)).toBe('confirmed');
    expect(commissionStatusOf(completed, days(7, at(4)), 7)).toBe('settleable');
  });

  it('is reversed when the order is refunded, even after it became settleable', () => {
    const refunded = applyAll([event('paid', 2), event('completed', 4), event('refunded', 200)]);
    expect(commissionStatusOf(refunded, new Date(at(300)), 7)).toBe('reversed');
  });

  it('is reversed when every line was refunded in full under the old status', () => {
    const state = applyAll([event('completed', 4, [line('1', 1000, 1000)])]);
    expect(commissionStatusOf(state, new Date(at(5)), 7)).toBe('reversed');
  });

  it('stays on the remaining amount after a partial refund', () => {
    const state = applyAll([event('paid', 2, [line('1', 1000, 250)])]);
    expect(commissionStatusOf(state, new Date(at(5)), 7)).toBe('estimated');
    expect(commissionBaseOf(state.lines[0]!)).toBe(750);
  });

  it('is none for a cancellation before payment and reversed for one after', () => {
    expect(commissionStatusOf(applyAll([event('created', 1), event('cancelled', 2)]), new Date(at(5)), 7)).toBeNull();
    expect(commissionStatusOf(applyAll([event('paid', 1), event('cancelled', 2)]), new Date(at(5)), 7)).toBe('reversed');
  });
});

describe("an event's identity", () => {
  // Stored orders keep the identities of the events they applied (`fold.keys`) and tell a repeated
  // event by them: identities made by an earlier version must come out the same, or a repeat would
  // be applied twice. These values are what the identities stored so far were made by.
  const lines = [
    { lineId: '2', productId: 'P2', quantity: 2, paidAmountMinor: 1990, refundedAmountMinor: 0 },
    { lineId: '1', productId: 'P1', quantity: 1, paidAmountMinor: 12345, refundedAmountMinor: 100, commissionRateBps: 1500 },
  ];
  const paid = (eventLines: EventLine[]): OrderEvent => ({ orderId: 'JD1000001', status: 'paid', occurredAt: '2026-11-20T08:00:00.000Z', currency: 'CNY', clickId: 'clk_01abc', subId: null, lines: eventLines });

  it('is what the identities stored so far were made with, for one line and for several in any order', () => {
    expect(identityOf(paid([lines[0]!]))).toBe('jWpd-PTRDFygfKMFGUAgmw');
    expect(identityOf(paid(lines))).toBe('k39Ng5WdlVraIDlCEAQ0Cw');
    expect(identityOf(paid([lines[1]!, lines[0]!]))).toBe('k39Ng5WdlVraIDlCEAQ0Cw');
  });

  it('is the same made uncached, as the verifier makes a delivery\'s records, as cached', () => {
    // Fresh event objects each time, so neither call finds the other's result kept.
    expect(identityOfUncached(paid([lines[0]!]))).toBe('jWpd-PTRDFygfKMFGUAgmw');
    expect(identityOfUncached(paid([lines[1]!, lines[0]!]))).toBe('k39Ng5WdlVraIDlCEAQ0Cw');
    const seen = paid(lines);
    expect([identityOf(seen), identityOfUncached(seen)]).toEqual(['k39Ng5WdlVraIDlCEAQ0Cw', 'k39Ng5WdlVraIDlCEAQ0Cw']);
  });

  it('changes with what the event says, a reported rate included', () => {
    expect(identityOf(paid([{ ...lines[0]!, refundedAmountMinor: 1 }]))).not.toBe('jWpd-PTRDFygfKMFGUAgmw');
    expect(identityOf(paid([{ ...lines[0]!, commissionRateBps: 1500 }]))).not.toBe('jWpd-PTRDFygfKMFGUAgmw');
    expect(identityOf({ ...paid([lines[0]!]), status: 'completed' })).not.toBe('jWpd-PTRDFygfKMFGUAgmw');
  });
});
