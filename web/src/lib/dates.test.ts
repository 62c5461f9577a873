import { describe, expect, it } from 'vitest';
import { dateOf, dateTimeOf, todayIso } from './dates';

describe('platform days', () => {
  it('counts the day in Asia/Shanghai, not in the browser’s zone', () => {
    expect(todayIso(new Date('2026-11-24T15:59:59Z'))).toBe('2026-11-24');
    expect(todayIso(new Date('2026-11-24T16:00:00Z'))).toBe('2026-11-25');
  });

  it('shows a timestamp as its platform day and leaves unreadable text alone', () => {
    expect(dateOf('2026-08-27T17:05:41.007Z')).toBe('2026-08-28');
    expect(dateOf('soon')).toBe('soon');
  });

  it('shows a timestamp to the minute in the platform zone', () => {
    expect(dateTimeOf('2026-08-27T17:05:41.007Z')).toBe('2026-08-28 01:05');
    expect(dateTimeOf('2026-08-27T03:00:00Z')).toBe('2026-08-27 11:00');
  });
});
