import { describe, expect, it } from 'vitest';
import { formatBps, parsePercentToBps } from './percent';

describe('parsePercentToBps', () => {
  it('reads whole and fractional percentages as exact basis points', () => {
    expect(parsePercentToBps('15')).toBe(1500);
    expect(parsePercentToBps('12.5')).toBe(1250);
    expect(parsePercentToBps('0.05')).toBe(5);
    expect(parsePercentToBps(' 7.25% ')).toBe(725);
    expect(parsePercentToBps('100')).toBe(10_000);
    expect(parsePercentToBps('3.')).toBe(300);
  });

  it('refuses more than two decimals, over 100% and anything not a number', () => {
    for (const bad of ['', 'abc', '12.345', '100.01', '-5', '1e2', '15,5']) {
      expect(parsePercentToBps(bad)).toBeNull();
    }
  });
});

describe('formatBps', () => {
  it('prints basis points as a percentage with two decimals', () => {
    expect(formatBps(1500)).toBe('15.00%');
    expect(formatBps(1250)).toBe('12.50%');
    expect(formatBps(5)).toBe('0.05%');
    expect(formatBps(0)).toBe('0.00%');
    expect(formatBps(10_000)).toBe('100.00%');
  });

  it('round-trips every basis point through its text', () => {
    for (let bps = 0; bps <= 10_000; bps += 1) {
      expect(parsePercentToBps(formatBps(bps))).toBe(bps);
    }
  });
});
