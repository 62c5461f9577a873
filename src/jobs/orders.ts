import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { ingestOrderEvents } from '../modules/orders/service.ts';
import { connectionOf, orderClientFor } from '../modules/sources/connections.ts';
import { findSource } from '../modules/sources/service.ts';

type Q = Kysely<Database>;

/** How far back the first poll of a newly connected source reaches. */
const FIRST_POLL_DAYS = 30;
/**
 * The platforms' order reports lag the orders by minutes; polling up to a little before now,
 * and overlapping the previous window by as much, catches rows written late. Re-reading a row
 * changes nothing (events are idempotent).
 */
const LAG_MS = 5 * 60 * 1000;

export interface OrderPollReport {
  orders: number;
  applied: number;
  rejected: number;
  polledUntil: string;
}

/**
 * One incremental poll of a connected platform source's orders, by update time: every page is
 * applied as it arrives (a page is one unit, like a webhook delivery), and the cursor moves only
 * after the whole range was read, so a failed poll is simply repeated.
 */
export async function pollSourceOrders(db: Q, sourceId: string, options: { now?: Date; fetch?: typeof fetch; minBackoffMs?: number } = {}): Promise<OrderPollReport> {
  const now = options.now ?? new Date();
  const source = await findSource(db, sourceId);
  const connection = await connectionOf(db, sourceId);
  const client = orderClientFor(source, connection, { fetch: options.fetch, minBackoffMs: options.minBackoffMs });
  const since = connection.orders_polled_until ? new Date(Date.parse(connection.orders_polled_until) - LAG_MS) : new Date(now.getTime() - FIRST_POLL_DAYS * 86_400_000);
  const until = new Date(now.getTime() - LAG_MS);
  const report: OrderPollReport = { orders: 0, applied: 0, rejected: 0, polledUntil: until.toISOString() };
  try {
    for await (const page of client.orders({ since, until })) {
      const applied = await ingestOrderEvents(db, sourceId, page.orders.map((o) => ({ event: o.event, rawStatus: o.rawStatus })), { via: 'poll', now });
      report.orders += page.orders.length;
      report.applied += applied.applied;
      report.rejected += page.rejected.length;
    }
  } catch (error) {
    await db.updateTable('source_connections').set({ orders_poll_error: error instanceof Error ? error.message : String(error) }).where('source_id', '=', sourceId).execute();
    throw error;
  }
  await db.updateTable('source_connections').set({ orders_polled_until: report.polledUntil, orders_poll_error: null }).where('source_id', '=', sourceId).execute();
  return report;
}
