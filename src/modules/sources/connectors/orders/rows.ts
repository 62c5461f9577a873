import type { EventLine, OrderStatus } from '../../../orders/model.ts';
import { readItems } from '../item-fields.ts';
import type { LineStatus, OrderRow, PolledOrder, PolledOrders } from './model.ts';

/**
 * The items of one platform response as orders: each item read by `readRow` into one line of
 * one order; an item it rejects is set aside with the order id it carried, if readable.
 */
export function readOrderRows(items: readonly unknown[], readRow: (item: Record<string, unknown>) => OrderRow, orderIdField: string): PolledOrders {
  const read = readItems(items, readRow);
  const rows = read.flatMap((r) => ('value' in r ? [r.value] : []));
  const rejected = read.flatMap((r) => ('rejected' in r ? [{ row: r.row, orderId: orderIdIn(items[r.row - 1], orderIdField), reason: r.rejected }] : []));
  return { orders: ordersOfRows(rows), rejected };
}

function orderIdIn(item: unknown, field: string): string | null {
  const value = typeof item === 'object' && item !== null ? (item as Record<string, unknown>)[field] : undefined;
  return typeof value === 'string' || typeof value === 'number' ? String(value) : null;
}

const LIFECYCLE: readonly LineStatus[] = ['created', 'paid', 'shipped', 'completed'];

/**
 * Rows of the same platform order, in the order they came, as one order each:
 * - the order's status is the least advanced status of its live lines (an order is completed when
 *   all of its lines are), or `cancelled` when the platform voided every line;
 * - a voided line beside live ones is reported fully refunded: our orders have no per-line
 *   cancellation, and a refunded line earns nothing, which is what the platform says of it;
 * - rows with the same line id (JD: one SKU split across child orders) add up into one line;
 * - the event happened at the latest update time of its rows; click and sub id are the first given.
 */
export function ordersOfRows(rows: readonly OrderRow[]): PolledOrder[] {
  const byOrder = new Map<string, OrderRow[]>();
  for (const row of rows) byOrder.set(row.orderId, [...(byOrder.get(row.orderId) ?? []), row]);
  return [...byOrder.values()].map(orderOfRows);
}

function orderOfRows(rows: readonly OrderRow[]): PolledOrder {
  const live = rows.filter((r) => r.status !== 'void');
  const status: OrderStatus = live.length === 0 ? 'cancelled' : leastAdvanced(live.map((r) => r.status));
  const updatedAt = rows.map((r) => r.updatedAt).reduce((a, b) => (a > b ? a : b));
  const voidedBesideLive = (r: OrderRow) => r.status === 'void' && live.length > 0;
  return {
    event: {
      orderId: rows[0]!.orderId,
      status,
      occurredAt: updatedAt,
      currency: 'CNY',
      clickId: rows.find((r) => r.clickId !== null)?.clickId ?? null,
      subId: rows.find((r) => r.subId !== null)?.subId ?? null,
      lines: mergedLines(rows.map((r) => (voidedBesideLive(r) ? { ...r.line, refundedAmountMinor: r.line.paidAmountMinor } : r.line))),
    },
    rawStatus: [...new Set(rows.map((r) => r.rawStatus))].join(','),
    upstreamUpdatedAt: updatedAt,
  };
}

function leastAdvanced(statuses: readonly LineStatus[]): OrderStatus {
  const rank = Math.min(...statuses.map((s) => LIFECYCLE.indexOf(s)));
  return LIFECYCLE[rank] as OrderStatus;
}

function mergedLines(lines: readonly EventLine[]): EventLine[] {
  const byId = new Map<string, EventLine>();
  for (const line of lines) {
    const seen = byId.get(line.lineId);
    byId.set(
      line.lineId,
      seen === undefined
        ? line
        : {
            ...seen,
            quantity: seen.quantity + line.quantity,
            paidAmountMinor: seen.paidAmountMinor + line.paidAmountMinor,
            refundedAmountMinor: seen.refundedAmountMinor + line.refundedAmountMinor,
          },
    );
  }
  return [...byId.values()];
}
