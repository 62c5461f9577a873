import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { ledgerSettings, type LedgerSettings } from '../modules/ledger/settings.ts';
import { advanceCommissions, settle } from '../modules/ledger/settlement.ts';

type Q = Kysely<Database>;
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

/**
 * The monthly settlement's instant at or before `now`: the settings' day of the month at its
 * hour, Asia/Shanghai.
 */
export function lastScheduledSettlement(now: Date, settings: Pick<LedgerSettings, 'settlement_day_of_month' | 'settlement_hour'>): Date {
  const local = new Date(now.getTime() + SHANGHAI_OFFSET_MS);
  const at = (year: number, month: number) => new Date(Date.UTC(year, month, settings.settlement_day_of_month, settings.settlement_hour) - SHANGHAI_OFFSET_MS);
  const thisMonth = at(local.getUTCFullYear(), local.getUTCMonth());
  return thisMonth.getTime() <= now.getTime() ? thisMonth : at(local.getUTCFullYear(), local.getUTCMonth() - 1);
}

/**
 * One tick of the ledger's schedule: confirmed commissions whose return window has passed
 * become settleable, and the monthly settlement runs once its instant has come and no run as
 * of that instant exists yet (a run left running by a crash is resumed by `settle`).
 */
export async function ledgerTick(db: Q, now = new Date()): Promise<{ advanced: number; settled: number | null }> {
  const advanced = await advanceCommissions(db, now);
  const settings = await ledgerSettings(db);
  const due = lastScheduledSettlement(now, settings).toISOString();
  const done = await db.selectFrom('settlement_runs').select('id').where('as_of', '>=', due).where('status', '=', 'completed').executeTakeFirst();
  const running = await db.selectFrom('settlement_runs').select('id').where('status', '=', 'running').executeTakeFirst();
  if (done && !running) return { advanced, settled: null };
  const summary = await settle(db, { asOf: new Date(due) });
  return { advanced, settled: summary.lines };
}

export function startLedgerScheduler(db: Q, log: (message: string) => void, everyMs = 10 * 60_000): () => void {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      const result = await ledgerTick(db);
      if (result.settled !== null) log(`monthly settlement: ${result.settled} lines settled`);
    } catch (error) {
      log(`ledger schedule failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
