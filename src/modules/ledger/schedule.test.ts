import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lastScheduledSettlement, nextScheduledSettlement } from './schedule.ts';

const schedule = { settlement_day_of_month: 1, settlement_hour: 2 };

describe('the monthly settlement instant', () => {
  it('is the 1st at 02:00 Asia/Shanghai of this month once it has come, else of last month', () => {
    expect(lastScheduledSettlement(new Date('2026-12-05T00:00:00Z'), schedule).toISOString()).toBe('2026-11-30T18:00:00.000Z');
    expect(lastScheduledSettlement(new Date('2026-11-30T17:59:59Z'), schedule).toISOString()).toBe('2026-10-31T18:00:00.000Z');
    expect(lastScheduledSettlement(new Date('2026-01-10T00:00:00Z'), { settlement_day_of_month: 20, settlement_hour: 0 }).toISOString()).toBe('2025-12-19T16:00:00.000Z');
  });

  it('comes next on the 1st at 02:00 Asia/Shanghai of this month until it has come, then of the next, across a year', () => {
    expect(nextScheduledSettlement(new Date('2026-11-30T17:59:59Z'), schedule).toISOString()).toBe('2026-11-30T18:00:00.000Z');
    expect(nextScheduledSettlement(new Date('2026-11-30T18:00:00Z'), schedule).toISOString()).toBe('2026-12-31T18:00:00.000Z');
    expect(nextScheduledSettlement(new Date('2026-12-31T18:00:00Z'), schedule).toISOString()).toBe('2027-01-31T18:00:00.000Z');
  });

  it('has no instant strictly between the last and the next', () => {
    const instants = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true });
    const schedules = fc.record({ settlement_day_of_month: fc.integer({ min: 1, max: 28 }), settlement_hour: fc.integer({ min: 0, max: 23 }) });
    fc.assert(
      fc.property(instants, schedules, (now, s) => {
        const last = lastScheduledSettlement(now, s);
        const next = nextScheduledSettlement(now, s);
        expect(last.getTime()).toBeLessThanOrEqual(now.getTime());
        expect(next.getTime()).toBeGreaterThan(now.getTime());
        // One month apart: the next after the last instant is the next instant itself.
        expect(nextScheduledSettlement(last, s).getTime()).toBe(next.getTime());
        const shanghai = new Date(next.getTime() + 8 * 3_600_000);
        expect([shanghai.getUTCDate(), shanghai.getUTCHours(), shanghai.getUTCMinutes()]).toEqual([s.settlement_day_of_month, s.settlement_hour, 0]);
      }),
      { numRuns: 500 },
    );
  });
});
