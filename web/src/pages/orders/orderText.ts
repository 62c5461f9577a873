import type { CommissionStatus, Order } from '../../lib/types';

/** The statuses of the viewer's commission across an order's lines, each once, in line order. */
export function commissionStatusesOf(order: Order): CommissionStatus[] {
  return [...new Set(order.lines.flatMap((line) => (line.commission ? [line.commission.status] : [])))];
}

/** What an order is, in one line: its first product's title (or the source's product id). */
export function firstProductOf(order: Order): string {
  const line = order.lines[0];
  return line ? (line.product?.title ?? line.source_product_id) : order.source_order_id;
}
