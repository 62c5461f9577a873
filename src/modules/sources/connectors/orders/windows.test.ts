import { describe, expect, it } from 'vitest';
import { timeWindows } from './windows.ts';

const at = (iso: string) => new Date(iso);

describe('timeWindows', () => {
  it('cuts a range into windows of at most the limit, each starting where the last ended', () => {
    const windows = timeWindows({ since: at('2026-11-24T00:00:00Z'), until: at('2026-11-24T02:30:00Z') }, 60 * 60 * 1000);
    expect(windows.map((w) => [w.start.toISOString(), w.end.toISOString()])).toEqual([
      ['2026-11-24T00:00:00.000Z', '2026-11-24T01:00:00.000Z'],
      ['2026-11-24T01:00:00.000Z', '2026-11-24T02:00:00.000Z'],
      ['2026-11-24T02:00:00.000Z', '2026-11-24T02:30:00.000Z'],
    ]);
  });

  it('gives no window for an empty or reversed range', () => {
    expect(timeWindows({ since: at('2026-11-24T01:00:00Z'), until: at('2026-11-24T01:00:00Z') }, 1000)).toEqual([]);
    expect(timeWindows({ since: at('2026-11-24T02:00:00Z'), until: at('2026-11-24T01:00:00Z') }, 1000)).toEqual([]);
  });
});
