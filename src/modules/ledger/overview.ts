import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { PLATFORM } from './postings.ts';
import { nextScheduledSettlement } from './schedule.ts';
import { earningsOf, isRunActive } from './service.ts';
import { ledgerSettings } from './settings.ts';

type Q = Kysely<Database>;

/** What waits on the operator, and what the platform has earned: the operator's home. */
export interface OperatorOverview {
  currency: string;
  /** The platform's service fee by commission status (the `platform:fee` accounts). */
  platformFee: { estimated: number; confirmed: number; settleable: number; settled: number };
  /** Orders no rule could credit, for attribution by hand. */
  unattributedOrders: number;
  /** Withdrawals not yet gathered into a payout batch. */
  withdrawalsRequested: { count: number; amountMinor: number };
  /** Batches still open: lines to mark paid or failed. */
  openPayoutBatches: number;
  lastSettlement: { id: string; asOf: string; status: string; finishedAt: string | null; error: string | null; active: boolean } | null;
  /** When the monthly settlement runs next (the ledger settings' day and hour, Asia/Shanghai). */
  nextSettlementAt: string;
}

export async function operatorOverview(db: Q, currency: string, now = new Date()): Promise<OperatorOverview> {
  const fee = await earningsOf(db, PLATFORM, currency);
  // Counted off indexes: orders_attribution (attribution, ordered_at), withdrawals_status (status, batch_id).
  const unattributed = await db.selectFrom('orders').select((eb) => eb.fn.countAll<number>().as('n')).where('attribution', '=', 'unattributed').executeTakeFirstOrThrow();
  const requested = await db
    .selectFrom('withdrawals')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.coalesce(eb.fn.sum<number>('amount_minor'), eb.lit(0)).as('amount')])
    .where('status', '=', 'requested')
    .where('currency', '=', currency)
    .executeTakeFirstOrThrow();
  const open = await db.selectFrom('payout_batches').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'open').executeTakeFirstOrThrow();
  const last = await db.selectFrom('settlement_runs').selectAll().orderBy('started_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
  return {
    currency,
    platformFee: { estimated: fee.estimated, confirmed: fee.confirmed, settleable: fee.settleable, settled: fee.settled },
    unattributedOrders: Number(unattributed.n),
    withdrawalsRequested: { count: Number(requested.n), amountMinor: Number(requested.amount) },
    openPayoutBatches: Number(open.n),
    lastSettlement: last ? { id: last.id, asOf: last.as_of, status: last.status, finishedAt: last.finished_at, error: last.error, active: isRunActive(last, now) } : null,
    nextSettlementAt: nextScheduledSettlement(now, await ledgerSettings(db)).toISOString(),
  };
}
