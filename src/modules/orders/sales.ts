import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { platformDayOf, startOfPlatformDay } from '../../core/time.ts';

type Q = Kysely<Database>;

/** A merchant's sales on one platform day (Asia/Shanghai): its sources' orders paid that day. */
export interface DailySales {
  day: string;
  orders: number;
  paidMinor: number;
  refundedMinor: number;
  /** Paid less refunded; a cancelled order counts nothing. */
  netMinor: number;
  /** What those orders' commission lines carry now (after refunds; a reversed line counts nothing): what the merchant pays the creators. */
  commissionMinor: number;
}

const DAY_MS = 86_400_000;

/**
 * The last `days` platform days of a merchant's sales, today last, in one currency: the orders of
 * the sources it owns by the day they were paid, as the creators' earnings chart counts days.
 * Summed in the database in two queries, grouped by day (the day's index is a CASE over the
 * days' first instants, the same SQL on SQLite and PostgreSQL), through `orders_source_paid`
 * (source, paid_at): the window costs the merchant's own orders, whoever else sells.
 */
export async function merchantSales(db: Q, merchantId: string, currency: string, days: number, now = new Date()): Promise<DailySales[]> {
  const first = Date.parse(startOfPlatformDay(platformDayOf(new Date(now.getTime() - (days - 1) * DAY_MS).toISOString())));
  const starts = Array.from({ length: days + 1 }, (_, i) => new Date(first + i * DAY_MS).toISOString());
  const out: DailySales[] = starts.slice(0, days).map((start) => ({ day: platformDayOf(start), orders: 0, paidMinor: 0, refundedMinor: 0, netMinor: 0, commissionMinor: 0 }));
  const sources = (await db.selectFrom('sources').select('id').where('owner_user_id', '=', merchantId).execute()).map((s) => s.id);
  if (sources.length === 0) return out;
  // The index in `out` of the day an instant falls on (one day: always the first).
  const dayOf = (column: RawBuilder<unknown>) =>
    days === 1 ? sql<number>`${sql.lit(0)}` : sql<number>`case ${sql.join(starts.slice(1, -1).map((start, i) => sql`when ${column} < ${start} then ${sql.lit(i)}`), sql` `)} else ${sql.lit(days - 1)} end`;
  const inWindow = db
    .selectFrom('orders')
    .where('source_id', 'in', sources)
    .where('paid_at', '>=', starts[0]!)
    .where('paid_at', '<', starts[days]!)
    .where('currency', '=', currency);
  const orders = await inWindow
    .select((eb) => [
      dayOf(sql.ref('paid_at')).as('day'),
      eb.fn.countAll<number>().as('orders'),
      eb.fn.sum<number>('paid_amount_minor').as('paid'),
      eb.fn.sum<number>('refunded_amount_minor').as('refunded'),
      sql<number>`sum(case when ${sql.ref('status')} = 'cancelled' then 0 else ${sql.ref('paid_amount_minor')} - ${sql.ref('refunded_amount_minor')} end)`.as('net'),
    ])
    .groupBy('day')
    .execute();
  const commissions = await db
    .selectFrom('commissions')
    .innerJoin(inWindow.select(['id', 'paid_at']).as('o'), 'o.id', 'commissions.order_id')
    .select([dayOf(sql.ref('o.paid_at')).as('day'), sql<number>`sum(case when ${sql.ref('commissions.status')} = 'reversed' then 0 else ${sql.ref('commissions.commission_minor')} end)`.as('commission')])
    .groupBy('day')
    .execute();
  for (const row of orders) {
    const day = out[Number(row.day)]!;
    day.orders = Number(row.orders);
    day.paidMinor = Number(row.paid);
    day.refundedMinor = Number(row.refunded);
    day.netMinor = Number(row.net);
  }
  for (const row of commissions) out[Number(row.day)]!.commissionMinor = Number(row.commission);
  return out;
}
