/**
 * Ending a plan's window: how a targeted plan or a colonel activity is stopped, since approved
 * plans are never edited otherwise. Pure, no I/O. Windows are half-open [startsAt, endsAt) in
 * ISO-8601 UTC, as in rates.ts.
 *
 * An end is never earlier than now: rates are resolved at the moment an order was paid, and an
 * order paid before now may not have been reported yet (platform reports lag), so an end in the
 * past would take its rate away. It is never later than an end the window already has: ending
 * only ever shortens a window.
 */
import type { InForce } from './rates.ts';

export type EndRefusal = 'already_ended' | 'end_not_earlier';

/** Whether no order paid from `now` on can fall in the window: its end has come, or it is empty. */
export function windowClosed(window: InForce, now: string): boolean {
  if (window.endsAt === null) return false;
  const endsAt = Date.parse(window.endsAt);
  return endsAt <= Date.parse(now) || endsAt <= Date.parse(window.startsAt);
}

/**
 * The end a window gets when asked to end at `requestedEnd` (null: now). A window that has not
 * started yet ends where it starts, an empty window, rather than before its own start.
 */
export function endOnRequest(current: InForce, requestedEnd: string | null, now: string): { endsAt: string } | { refused: EndRefusal } {
  if (windowClosed(current, now)) return { refused: 'already_ended' };
  const nowMs = Date.parse(now);
  const wanted = requestedEnd === null ? nowMs : Math.max(Date.parse(requestedEnd), nowMs);
  if (current.endsAt !== null && wanted >= Date.parse(current.endsAt)) return { refused: 'end_not_earlier' };
  return { endsAt: new Date(Math.max(wanted, Date.parse(current.startsAt))).toISOString() };
}
