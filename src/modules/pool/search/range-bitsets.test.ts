import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hasBit } from './bitset.ts';
import { type Bucketing, type Leveling, PRICE_BUCKETS, PRICE_LEVELS, RangeBitsets, RATE_BUCKETS, RATE_LEVELS, SHOP_SCORE_BUCKETS, SHOP_SCORE_LEVELS } from './range-bitsets.ts';

const BUCKETINGS: [string, Bucketing, Leveling, fc.Arbitrary<number>][] = [
  ['price', PRICE_BUCKETS, PRICE_LEVELS, fc.oneof(fc.integer({ min: -5, max: 20_000_000 }), fc.double({ min: -10, max: 2e7, noNaN: true }))],
  ['rate', RATE_BUCKETS, RATE_LEVELS, fc.integer({ min: -100, max: 12_000 })],
  ['shop score', SHOP_SCORE_BUCKETS, SHOP_SCORE_LEVELS, fc.integer({ min: -10, max: 600 })],
];

describe.each(BUCKETINGS)('%s buckets and levels', (_name, bucketing, leveling, value) => {
  it('never decrease, and a bucket starts at its lower bound', () => {
    fc.assert(
      fc.property(value, value, (a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(bucketing.bucket(lo)).toBeLessThanOrEqual(bucketing.bucket(hi));
        for (let k = 0; k <= bucketing.count; k++) expect(bucketing.bucket(a) >= k).toBe(a >= bucketing.lowerBound(k));
        expect(leveling(lo)).toBeLessThanOrEqual(leveling(hi));
      }),
    );
  });

  it('make masks whose sure part is inside the range and whose superset holds all of it', () => {
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 64 }), value, value, (values, a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const ranges = new RangeBitsets(bucketing, leveling, 2);
        values.forEach((v, o) => ranges.add(o, v));
        for (const [from, to] of [[lo, hi], [lo, Infinity], [-Infinity, hi]] as const) {
          const m = ranges.mask(from, to);
          values.forEach((v, o) => {
            const inside = v >= from && v <= to;
            const possible = hasBit(m.superFrom, o) && !hasBit(m.superTo, o);
            const sure = hasBit(m.sureFrom, o) && !hasBit(m.sureTo, o);
            if (inside) expect(possible).toBe(true);
            if (sure) expect(inside).toBe(true);
          });
        }
      }),
    );
  });
});
