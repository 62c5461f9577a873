/**
 * Pure rules of organisation membership. Periods are half-open [startsAt, endsAt) in ISO-8601 UTC;
 * a null end is open-ended.
 */
export interface Period {
  startsAt: string;
  endsAt: string | null;
}

export type MembershipStatus = 'scheduled' | 'active' | 'ended';

export function membershipStatus(period: Period, now: string): MembershipStatus {
  if (period.endsAt !== null && period.endsAt <= now) return 'ended';
  return period.startsAt > now ? 'scheduled' : 'active';
}

export function contains(period: Period, instant: string): boolean {
  return period.startsAt <= instant && (period.endsAt === null || instant < period.endsAt);
}

export function overlaps(a: Period, b: Period): boolean {
  const aEndsAfterBStarts = a.endsAt === null || a.endsAt > b.startsAt;
  const bEndsAfterAStarts = b.endsAt === null || b.endsAt > a.startsAt;
  return aEndsAfterBStarts && bEndsAfterAStarts;
}

/**
 * An accepted invitation starts when it said, or at acceptance if that day has passed: a
 * membership never begins in the past, so commissions already earned are never re-shared.
 */
export function membershipPeriodOnAccept(invited: Period, acceptedAt: string): Period | null {
  const startsAt = invited.startsAt > acceptedAt ? invited.startsAt : acceptedAt;
  if (invited.endsAt !== null && invited.endsAt <= startsAt) return null;
  return { startsAt, endsAt: invited.endsAt };
}

/**
 * Ending a membership moves its end earlier, never into the past: the requested end is clamped
 * to now, and a membership that has already ended cannot be ended again.
 */
export function endOnRequest(current: Period, requestedEnd: string, now: string): { endsAt: string } | { refused: string } {
  if (membershipStatus(current, now) === 'ended') return { refused: 'membership_already_ended' };
  const endsAt = requestedEnd < now ? now : requestedEnd;
  if (current.endsAt !== null && endsAt >= current.endsAt) return { refused: 'end_not_earlier' };
  return { endsAt: endsAt < current.startsAt ? current.startsAt : endsAt };
}
