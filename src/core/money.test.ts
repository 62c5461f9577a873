import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyRate, formatBps, formatMinor, split } from './money.ts';

const amount = fc.integer({ min: -1_000_000_000_000, max: 1_000_000_000_000 });
const weights = fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 1, maxLength: 8 }).filter((w) => w.some((x) => x > 0));

describe('split', () => {
  it('always sums to the whole amount', () => {
    fc.assert(fc.property(amount, weights, (a, w) => split(a, w).reduce((x, y) => x + y, 0) === a));
  });

  it('gives every part within one minor unit of its exact share', () => {
    fc.assert(
      fc.property(amount, weights, (a, w) => {
        const total = w.reduce((x, y) => x + y, 0);
        return split(a, w).every((part, i) => Math.abs(part * total - a * w[i]!) < total + 1e-6 * Math.abs(a * w[i]!));
      }),
    );
  });

  it('gives a zero weight nothing and keeps the sign of the amount', () => {
    fc.assert(
      fc.property(amount, weights, (a, w) =>
        split(a, [...w, 0]).every((part, i, parts) => (i === parts.length - 1 ? part === 0 : Math.sign(part) * Math.sign(a) >= 0)),
      ),
    );
  });

  it('hands the leftover fen to the largest remainders, earlier part first on ties', () => {
    expect(split(100, [1, 1, 1])).toEqual([34, 33, 33]);
    expect(split(10, [3333, 3333, 3334])).toEqual([3, 3, 4]);
    expect(split(-100, [1, 1, 1])).toEqual([-34, -33, -33]);
  });

  it('gives the same parts in plain integers as the BigInt reference, up to the largest safe amounts', () => {
    const anyAmount = fc.oneof(amount, fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }));
    fc.assert(fc.property(anyAmount, weights, (a, w) => split(a, w).every((part, i) => Object.is(part, referenceSplit(a, w)[i]))));
  });

  it('refuses weights that cannot divide anything', () => {
    expect(() => split(100, [])).toThrow(RangeError);
    expect(() => split(100, [0, 0])).toThrow(RangeError);
    expect(() => split(100, [1.5])).toThrow(RangeError);
    expect(() => split(1.5, [1])).toThrow(RangeError);
  });
});

describe('applyRate', () => {
  it('rounds half up to the fen', () => {
    expect(applyRate(1990, 2000)).toBe(398);
    expect(applyRate(5, 1000)).toBe(1); // 0.5 fen rounds up
    expect(applyRate(4, 1000)).toBe(0); // 0.4 fen rounds down
    expect(applyRate(-5, 1000)).toBe(-1);
  });

  it('is the exact rational product within half a fen, and odd-symmetric', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), fc.integer({ min: 0, max: 10_000 }), (a, bps) => {
        const r = applyRate(a, bps);
        const exactTimes10k = BigInt(a) * BigInt(bps);
        const diff = BigInt(r) * 10_000n - exactTimes10k;
        return (diff < 0n ? -diff : diff) <= 5_000n && applyRate(-a, bps) === -r;
      }),
    );
  });

  it('rounds exactly half up at the limits of safe amounts', () => {
    expect(applyRate(Number.MAX_SAFE_INTEGER, 10_000)).toBe(Number.MAX_SAFE_INTEGER);
    expect(applyRate(Number.MAX_SAFE_INTEGER, 5_000)).toBe(4_503_599_627_370_496);
    expect(applyRate(-Number.MAX_SAFE_INTEGER, 1)).toBe(-900_719_925_474);
    expect(Object.is(applyRate(-4, 1000), 0)).toBe(true);
  });
});

/** The largest-remainder split all in BigInt, as the rule reads. */
function referenceSplit(amountMinor: number, weights: number[]): number[] {
  const sign = amountMinor < 0 ? -1n : 1n;
  const amount = BigInt(amountMinor) * sign;
  const total = BigInt(weights.reduce((x, y) => x + y, 0));
  const floors = weights.map((w) => (amount * BigInt(w)) / total);
  let leftover = amount - floors.reduce((x, y) => x + y, 0n);
  const order = weights.map((w, i) => ({ i, r: (amount * BigInt(w)) % total })).sort((x, y) => (x.r === y.r ? x.i - y.i : x.r > y.r ? -1 : 1));
  for (const { i } of order) {
    if (leftover === 0n) break;
    floors[i]! += 1n;
    leftover -= 1n;
  }
  return floors.map((f) => Number(f * sign));
}

describe('formatBps', () => {
  it('prints basis points as a percentage without floats', () => {
    expect(formatBps(1500)).toBe('15.00%');
    expect(formatBps(1)).toBe('0.01%');
    expect(formatBps(10_000)).toBe('100.00%');
  });
});

describe('formatMinor', () => {
  it('writes fen as yuan with two places, by integer arithmetic', () => {
    expect([formatMinor(1990), formatMinor(5), formatMinor(0), formatMinor(-16100), formatMinor(123_456_789_012)]).toEqual(['19.90', '0.05', '0.00', '-161.00', '1234567890.12']);
  });
});
