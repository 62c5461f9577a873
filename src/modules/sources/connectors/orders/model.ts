import type { EventLine, OrderEvent, OrderStatus } from '../../../orders/model.ts';
import type { ConnectorClientOptions } from '../paging.ts';

/**
 * What the order connectors share: an order read from a platform's order report, as the
 * contract's OrderEvent plus what the platform said.
 */

export interface PolledOrder {
  event: OrderEvent;
  /** The platform's own status code(s) of the order's rows, distinct and comma-separated: "16" or "16,3". */
  rawStatus: string;
  /** The platform's last update time of the order (the latest of its rows), ISO UTC: kept for idempotency. */
  upstreamUpdatedAt: string;
}

export interface RejectedOrderRow {
  /** Position of the row in the response, from 1. */
  row: number;
  /** The platform's order id, when the row had a readable one. */
  orderId: string | null;
  reason: string;
}

/** One response (saved or polled) read as orders; rows that cannot become an order line are set aside. */
export interface PolledOrders {
  orders: PolledOrder[];
  rejected: RejectedOrderRow[];
}

export interface OrderPollRange {
  since: Date;
  /**
   * A few minutes in the past: the platforms' order reports lag the orders, and a row written
   * after its window was read only comes back when the order changes again.
   */
  until: Date;
}

/**
 * A line's status in our terms, or `void` when the platform voided its commission (cancelled,
 * refunded before shipping, invalid for commission): see `ordersOfRows` for how an order is formed.
 */
export type LineStatus = Exclude<OrderStatus, 'refunded' | 'cancelled'> | 'void';

/** One platform row read as one line of one order. */
export interface OrderRow {
  orderId: string;
  status: LineStatus;
  rawStatus: string;
  updatedAt: string;
  clickId: string | null;
  subId: string | null;
  line: EventLine;
}

export interface OrderClientOptions extends ConnectorClientOptions {
  /** Length of one polled window; at most, and by default, the platform's limit. */
  windowMs?: number;
}

export interface OrderClient {
  /** The orders updated within the range, one batch per platform page (empty pages are not yielded). */
  orders(range: OrderPollRange): AsyncGenerator<PolledOrders>;
}
