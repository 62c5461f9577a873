import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { split } from '../../core/money.ts';
import { commissionOf, cut, splitCommission, type SplitInput } from './split.ts';

const bps = fc.integer({ min: 0, max: 10_000 });
const shares = fc.record({ platformFeeBps: bps, colonelShareBps: bps, organisationShareBps: bps });
const amount = fc.integer({ min: 0, max: 1_000_000_000_000 });
const sum = (p: ReturnType<typeof splitCommission>) => p.platform + p.colonel + p.organisation + p.creator;

describe('cut', () => {
  it('is the largest-remainder split of the amount between the share and the rest of 10,000 bps', () => {
    const amounts = fc.oneof(fc.integer({ min: -1_000_000_000_000, max: 1_000_000_000_000 }), fc.integer({ min: -20_000, max: 20_000 }), fc.constantFrom(Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 0, -0, 1, -1, 5_000, -5_000));
    fc.assert(
      fc.property(amounts, fc.oneof(bps, fc.constantFrom(0, 1, 5_000, 9_999, 10_000)), (a, b) => {
        expect(cut(a, b)).toEqual(split(a, [b, 10_000 - b]));
      }),
      { numRuns: 5000 },
    );
  });
});

describe('splitCommission', () => {
  it('parts are non-negative integers that add up exactly to the commission', () => {
    fc.assert(
      fc.property(amount, shares, (c, s) => {
        const p = splitCommission({ commissionMinor: c, ...s });
        expect(sum(p)).toBe(c);
        for (const v of Object.values(p)) {
          expect(Number.isSafeInteger(v)).toBe(true);
          expect(v).toBeGreaterThanOrEqual(0);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('claw-backs split symmetrically: split(-c) = -split(c)', () => {
    fc.assert(
      fc.property(amount, shares, (c, s) => {
        const pos = splitCommission({ commissionMinor: c, ...s });
        const neg = splitCommission({ commissionMinor: -c, ...s });
        expect(neg).toEqual({ platform: 0 - pos.platform, colonel: 0 - pos.colonel, organisation: 0 - pos.organisation, creator: 0 - pos.creator });
      }),
    );
  });

  it('every part is non-decreasing in the commission', () => {
    fc.assert(
      fc.property(amount, fc.integer({ min: 0, max: 10_000 }), shares, (c, d, s) => {
        const a = splitCommission({ commissionMinor: c, ...s });
        const b = splitCommission({ commissionMinor: c + d, ...s });
        for (const k of ['platform', 'colonel', 'organisation', 'creator'] as const) expect(b[k]).toBeGreaterThanOrEqual(a[k]);
      }),
      { numRuns: 1000 },
    );
  });

  it('a larger platform fee never gives the creator more', () => {
    fc.assert(
      fc.property(amount, shares, bps, (c, s, other) => {
        const lo = Math.min(s.platformFeeBps, other);
        const hi = Math.max(s.platformFeeBps, other);
        const a = splitCommission({ commissionMinor: c, ...s, platformFeeBps: lo });
        const b = splitCommission({ commissionMinor: c, ...s, platformFeeBps: hi });
        expect(b.platform).toBeGreaterThanOrEqual(a.platform);
        expect(b.creator).toBeLessThanOrEqual(a.creator);
      }),
    );
  });

  it('cascades: fee off the top, colonel of the net, organisation of what is left, creator the rest', () => {
    // 1000 x 10% = 100 ; 900 x 20% = 180 ; 720 x 30% = 216 ; 504
    expect(splitCommission({ commissionMinor: 1000, platformFeeBps: 1000, colonelShareBps: 2000, organisationShareBps: 3000 })).toEqual({
      platform: 100, colonel: 180, organisation: 216, creator: 504,
    });
    // 1 fen cannot be halved: largest remainder, tie to the earlier part (the cut share)
    expect(splitCommission({ commissionMinor: 1, platformFeeBps: 5000 })).toEqual({ platform: 1, colonel: 0, organisation: 0, creator: 0 });
    expect(splitCommission({ commissionMinor: 3, platformFeeBps: 3333 })).toEqual({ platform: 1, colonel: 0, organisation: 0, creator: 2 });
    expect(splitCommission({ commissionMinor: 0, platformFeeBps: 1000 })).toEqual({ platform: 0, colonel: 0, organisation: 0, creator: 0 });
    expect(splitCommission({ commissionMinor: 999, platformFeeBps: 0 } satisfies SplitInput).creator).toBe(999);
  });

  it('refuses fractional amounts and shares outside [0, 10000] bps', () => {
    expect(() => splitCommission({ commissionMinor: 1.5, platformFeeBps: 0 })).toThrow(RangeError);
    expect(() => splitCommission({ commissionMinor: 1, platformFeeBps: -1 })).toThrow(RangeError);
    expect(() => splitCommission({ commissionMinor: 1, platformFeeBps: 0, organisationShareBps: 10_001 })).toThrow(RangeError);
  });
});

describe('commissionOf', () => {
  it('is paid amount x rate, rounded half up to the fen', () => {
    expect(commissionOf(1990, 2000)).toBe(398);
    expect(commissionOf(1995, 1250)).toBe(249); // 249.375
    expect(commissionOf(25, 2000)).toBe(5);
    expect(commissionOf(5, 1000)).toBe(1); // 0.5 -> 1
    expect(() => commissionOf(100, 10_001)).toThrow(RangeError);
  });

  it('is monotone in the paid amount and never exceeds it', () => {
    fc.assert(
      fc.property(amount, fc.integer({ min: 0, max: 10_000 }), bps, (a, d, r) => {
        expect(commissionOf(a + d, r)).toBeGreaterThanOrEqual(commissionOf(a, r));
        expect(commissionOf(a, r)).toBeLessThanOrEqual(a);
      }),
    );
  });
});
