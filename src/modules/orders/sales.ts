import { sql, type Kysely } from 'kysely';
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
 * Each day is summed in the database through `orders_source_paid` (source, paid_at), so a day
 * costs its own orders, whoever else sells.
 */
export async function merchantSales(db: Q, merchantId: string, currency: string, days: number, now = new Date()): Promise<DailySales[]> {
  const sources = (await db.selectFrom('sources').select('id').where('owner_user_id', '=', merchantId).execute()).map((s) => s.id);
  const firstDay = platformDayOf(new Date(now.getTime() - (days - 1) * DAY_MS).toISOString());
  const out: DailySales[] = [];
  for (let i = 0; i < days; i++) {
    const from = new Date(Date.parse(startOfPlatformDay(firstDay)) + i * DAY_MS).toISOString();
    const to = new Date(Date.parse(from) + DAY_MS).toISOString();
    const day: DailySales = { day: platformDayOf(from), orders: 0, paidMinor: 0, refundedMinor: 0, netMinor: 0, commissionMinor: 0 };
    out.push(day);
    if (sources.length === 0) continue;
    const ofDay = db.selectFrom('orders').where('source_id', 'in', sources).where('paid_at', '>=', from).where('paid_at', '<', to).where('currency', '=', currency);
    const o = await ofDay
      .select((eb) => [
        eb.fn.countAll<number>().as('orders'),
        eb.fn.coalesce(eb.fn.sum<number>('paid_amount_minor'), eb.lit(0)).as('paid'),
        eb.fn.coalesce(eb.fn.sum<number>('refunded_amount_minor'), eb.lit(0)).as('refunded'),
        sql<number>`coalesce(sum(case when ${sql.ref('status')} = 'cancelled' then 0 else ${sql.ref('paid_amount_minor')} - ${sql.ref('refunded_amount_minor')} end), 0)`.as('net'),
      ])
      .executeTakeFirstOrThrow();
    const c = await db
      .selectFrom('commissions')
      .where('order_id', 'in', ofDay.select('id'))
      .select(sql<number>`coalesce(sum(case when ${sql.ref('status')} = 'reversed' then 0 else ${sql.ref('commission_minor')} end), 0)`.as('commission'))
      .executeTakeFirstOrThrow();
    day.orders = Number(o.orders);
    day.paidMinor = Number(o.paid);
    day.refundedMinor = Number(o.refunded);
    day.netMinor = Number(o.net);
    day.commissionMinor = Number(c.commission);
  }
  return out;
}
