/**
 * Calendar days in the API (starts_on, ends_on) are days in the platform's time zone, Asia/Shanghai,
 * whatever zone the browser is in (see src/core/time.ts).
 */
const PLATFORM_TIME_ZONE = 'Asia/Shanghai';

const platformDay = new Intl.DateTimeFormat('en-CA', { timeZone: PLATFORM_TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });

/** Today's platform day as YYYY-MM-DD. */
export function todayIso(now: Date = new Date()): string {
  const part = (type: Intl.DateTimeFormatPartTypes) => platformDay.formatToParts(now).find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/** An ISO timestamp as its platform day, for compact tables. */
export function dateOf(timestamp: string): string {
  const instant = new Date(timestamp);
  return Number.isNaN(instant.getTime()) ? timestamp : todayIso(instant);
}

const platformMinute = new Intl.DateTimeFormat('en-CA', {
  timeZone: PLATFORM_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** An ISO timestamp as platform day and minute ("2026-08-28 01:05"), for logs such as import runs. */
export function dateTimeOf(timestamp: string): string {
  const instant = new Date(timestamp);
  if (Number.isNaN(instant.getTime())) return timestamp;
  const parts = platformMinute.formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}`;
}
