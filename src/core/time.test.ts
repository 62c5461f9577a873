import { describe, expect, it } from 'vitest';
import { isCalendarDate, platformDayOf, startOfPlatformDay } from './time.ts';

describe('platform days (Asia/Shanghai)', () => {
  it('starts a day at 16:00 UTC the evening before', () => {
    expect(startOfPlatformDay('2026-12-01')).toBe('2026-11-30T16:00:00.000Z');
  });

  it('maps an instant back to its Shanghai day', () => {
    expect(platformDayOf('2026-11-30T15:59:59.999Z')).toBe('2026-11-30');
    expect(platformDayOf('2026-11-30T16:00:00.000Z')).toBe('2026-12-01');
  });

  it('rejects strings that are not real dates', () => {
    expect(isCalendarDate('2026-02-30')).toBe(false);
    expect(isCalendarDate('2026-2-3')).toBe(false);
    expect(isCalendarDate('2028-02-29')).toBe(true);
  });
});
