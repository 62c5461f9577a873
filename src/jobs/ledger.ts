import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { lastScheduledSettlement } from '../modules/ledger/schedule.ts';
import { ledgerSettings } from '../modules/ledger/settings.ts';
import { advanceCommissions, settle } from '../modules/ledger/settlement.ts';

type Q = Kysely<Database>;

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
