import { describe, expect, it } from 'vitest';
import type { EventLine } from '../../../orders/model.ts';
import type { LineStatus, OrderRow } from './model.ts';
import { ordersOfRows } from './rows.ts';

function row(orderId: string, status: LineStatus, lineId: string, updatedAt: string, line: Partial<EventLine> = {}): OrderRow {
  return {
    orderId,
    status,
    rawStatus: status,
    updatedAt,
    clickId: null,
    subId: null,
    line: { lineId, productId: `p-${lineId}`, quantity: 1, paidAmountMinor: 1000, refundedAmountMinor: 0, ...line },
  };
}

describe('ordersOfRows', () => {
  it('calls an order completed only when every live line is', () => {
    const [order] = ordersOfRows([row('o1', 'completed', 'a', '2026-11-24T01:00:00.000Z'), row('o1', 'shipped', 'b', '2026-11-24T02:00:00.000Z')]);
    expect(order!.event).toMatchObject({ status: 'shipped', occurredAt: '2026-11-24T02:00:00.000Z' });
    expect(order!.upstreamUpdatedAt).toBe('2026-11-24T02:00:00.000Z');
  });

  it('cancels the order when the platform voided every line', () => {
    const [order] = ordersOfRows([row('o1', 'void', 'a', '2026-11-24T01:00:00.000Z'), row('o1', 'void', 'b', '2026-11-24T01:00:00.000Z')]);
    expect(order!.event.status).toBe('cancelled');
    expect(order!.event.lines.every((l) => l.refundedAmountMinor === 0)).toBe(true);
  });

  it('refunds a voided line in full when other lines of the order stand', () => {
    const [order] = ordersOfRows([row('o1', 'paid', 'a', '2026-11-24T01:00:00.000Z'), row('o1', 'void', 'b', '2026-11-24T01:00:00.000Z', { paidAmountMinor: 700 })]);
    expect(order!.event.status).toBe('paid');
    expect(order!.event.lines.map((l) => [l.lineId, l.refundedAmountMinor])).toEqual([['a', 0], ['b', 700]]);
  });

  it('adds up rows of the same line, as a SKU split over two child orders', () => {
    const rows = [row('o1', 'paid', 'a', '2026-11-24T01:00:00.000Z', { quantity: 1, paidAmountMinor: 500 }), row('o1', 'paid', 'a', '2026-11-24T01:00:00.000Z', { quantity: 2, paidAmountMinor: 900 })];
    expect(ordersOfRows(rows)[0]!.event.lines).toEqual([{ lineId: 'a', productId: 'p-a', quantity: 3, paidAmountMinor: 1400, refundedAmountMinor: 0 }]);
  });

  it('keeps orders in the order their first row came, with each order’s distinct raw statuses', () => {
    const orders = ordersOfRows([row('o2', 'paid', 'a', '2026-11-24T01:00:00.000Z'), row('o1', 'created', 'b', '2026-11-24T01:00:00.000Z'), row('o2', 'void', 'c', '2026-11-24T01:00:00.000Z')]);
    expect(orders.map((o) => [o.event.orderId, o.rawStatus])).toEqual([['o2', 'paid,void'], ['o1', 'created']]);
  });
});
