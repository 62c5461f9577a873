import type { LedgerSettings } from './settings.ts';

/** When the monthly settlement runs: the settings' day of the month at its hour, Asia/Shanghai. */
type Schedule = Pick<LedgerSettings, 'settlement_day_of_month' | 'settlement_hour'>;

const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

/** The schedule's instant in the Shanghai month `month` (0-based, may run over) of `year`. */
function scheduledIn(year: number, month: number, schedule: Schedule): Date {
  return new Date(Date.UTC(year, month, schedule.settlement_day_of_month, schedule.settlement_hour) - SHANGHAI_OFFSET_MS);
}

/** The monthly settlement's instant at or before `now`. */
export function lastScheduledSettlement(now: Date, schedule: Schedule): Date {
  const local = new Date(now.getTime() + SHANGHAI_OFFSET_MS);
  const thisMonth = scheduledIn(local.getUTCFullYear(), local.getUTCMonth(), schedule);
  return thisMonth.getTime() <= now.getTime() ? thisMonth : scheduledIn(local.getUTCFullYear(), local.getUTCMonth() - 1, schedule);
}

/** The monthly settlement's first instant after `now`. */
export function nextScheduledSettlement(now: Date, schedule: Schedule): Date {
  const local = new Date(now.getTime() + SHANGHAI_OFFSET_MS);
  const thisMonth = scheduledIn(local.getUTCFullYear(), local.getUTCMonth(), schedule);
  return thisMonth.getTime() > now.getTime() ? thisMonth : scheduledIn(local.getUTCFullYear(), local.getUTCMonth() + 1, schedule);
}
