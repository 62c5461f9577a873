/**
 * Instants are stored as ISO-8601 UTC strings (`2026-11-24T10:00:00.000Z`): they sort as text and
 * read the same on SQLite and PostgreSQL. Calendar dates that people type (a membership starting on
 * 2026-12-01) are days in the platform's time zone, Asia/Shanghai (UTC+8, no daylight saving).
 */
export const PLATFORM_TIME_ZONE = 'Asia/Shanghai';
const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

export function nowIso(now: Date = new Date()): string {
  return now.toISOString();
}

export function isCalendarDate(value: string): boolean {
  const m = DATE_PATTERN.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === value;
}

/** The instant a platform day begins: 2026-12-01 -> 2026-11-30T16:00:00.000Z. */
export function startOfPlatformDay(date: string): string {
  if (!isCalendarDate(date)) throw new RangeError(`not a calendar date: ${date}`);
  return new Date(Date.parse(`${date}T00:00:00.000Z`) - SHANGHAI_OFFSET_MS).toISOString();
}

/** The platform day an instant falls on. */
export function platformDayOf(instantIso: string): string {
  return new Date(Date.parse(instantIso) + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}
