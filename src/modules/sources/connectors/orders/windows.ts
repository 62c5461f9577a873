import type { OrderPollRange } from './model.ts';

export interface TimeWindow {
  start: Date;
  end: Date;
}

/**
 * [since, until] cut into consecutive windows of at most `maxMs`. Each window starts where the
 * previous one ended: a row updated exactly on the boundary may come twice, which applying an
 * event twice makes harmless, and none falls between two windows.
 */
export function timeWindows(range: OrderPollRange, maxMs: number): TimeWindow[] {
  const windows: TimeWindow[] = [];
  for (let start = range.since.getTime(); start < range.until.getTime(); start += maxMs) {
    windows.push({ start: new Date(start), end: new Date(Math.min(start + maxMs, range.until.getTime())) });
  }
  return windows;
}
