import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { contains, endOnRequest, membershipPeriodOnAccept, membershipStatus, overlaps, type Period } from './rules.ts';

const T0 = Date.UTC(2026, 0, 1);
const instant = fc.integer({ min: 0, max: 1000 }).map((d) => new Date(T0 + d * 3_600_000).toISOString());
const period: fc.Arbitrary<Period> = fc
  .tuple(instant, fc.option(instant, { nil: null }))
  .filter(([s, e]) => e === null || e > s)
  .map(([startsAt, endsAt]) => ({ startsAt, endsAt }));

describe('membership periods', () => {
  it('overlap exactly when some instant lies in both', () => {
    fc.assert(
      fc.property(period, period, fc.array(instant, { minLength: 50, maxLength: 50 }), (a, b, probes) => {
        const shared = [a.startsAt, b.startsAt, ...probes].some((t) => contains(a, t) && contains(b, t));
        return overlaps(a, b) === shared && overlaps(b, a) === overlaps(a, b);
      }),
    );
  });

  it('never start before the invitation is accepted', () => {
    fc.assert(
      fc.property(period, instant, (invited, acceptedAt) => {
        const p = membershipPeriodOnAccept(invited, acceptedAt);
        if (p === null) return invited.endsAt !== null && invited.endsAt <= (invited.startsAt > acceptedAt ? invited.startsAt : acceptedAt);
        return p.startsAt >= acceptedAt && p.startsAt >= invited.startsAt && p.endsAt === invited.endsAt;
      }),
    );
  });

  it('end no earlier than now and no later than they already would', () => {
    fc.assert(
      fc.property(period, instant, instant, (current, requested, now) => {
        const d = endOnRequest(current, requested, now);
        if ('refused' in d) return membershipStatus(current, now) === 'ended' || (current.endsAt !== null && (requested < now ? now : requested) >= current.endsAt);
        return d.endsAt >= now && d.endsAt >= current.startsAt && (current.endsAt === null || d.endsAt < current.endsAt);
      }),
    );
  });

  it('are active from their start until their end', () => {
    const p = { startsAt: '2026-01-02T00:00:00.000Z', endsAt: '2026-01-05T00:00:00.000Z' };
    expect(membershipStatus(p, '2026-01-01T00:00:00.000Z')).toBe('scheduled');
    expect(membershipStatus(p, '2026-01-02T00:00:00.000Z')).toBe('active');
    expect(membershipStatus(p, '2026-01-05T00:00:00.000Z')).toBe('ended');
  });
});
