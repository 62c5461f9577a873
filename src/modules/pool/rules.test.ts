import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bestOffer, commissionPerUnitMinor, finalPriceMinor, groupKeyOf, normaliseTitle, pricesClose } from './rules.ts';

const NOW = '2026-11-24T00:00:00.000Z';

describe('final price', () => {
  const coupon = { amountMinor: 1000, thresholdMinor: 5900, startsAt: '2026-11-01T00:00:00.000Z', endsAt: '2026-12-01T00:00:00.000Z' };

  it('takes the coupon off when the price reaches its threshold', () => {
    expect(finalPriceMinor(5990, coupon, NOW)).toBe(4990);
    expect(finalPriceMinor(5899, coupon, NOW)).toBe(5899);
  });

  it('ignores a coupon outside its validity', () => {
    expect(finalPriceMinor(5990, coupon, '2026-12-01T00:00:00.000Z')).toBe(5990);
    expect(finalPriceMinor(5990, coupon, '2026-10-31T23:59:59.999Z')).toBe(5990);
  });

  it('never goes below zero, and never above the list price', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e9 }), fc.integer({ min: 0, max: 1e9 }), fc.integer({ min: 0, max: 1e9 }), (price, amount, threshold) => {
        const f = finalPriceMinor(price, { amountMinor: amount, thresholdMinor: threshold, startsAt: null, endsAt: null }, NOW);
        return f >= 0 && f <= price && Number.isInteger(f);
      }),
    );
  });

  it('pays commission on the final price', () => {
    expect(commissionPerUnitMinor(4990, 2000)).toBe(998);
  });
});

describe('the same product from several sources', () => {
  it('shares a group key despite promotions, spacing and case', () => {
    expect(groupKeyOf('Apple', '【官方正品】Apple iPhone 15 Pro 256GB 黑色 包邮')).toBe(groupKeyOf('apple', 'Apple iPhone 15 Pro 256GB 黑色'));
    expect(normaliseTitle('小米 充电宝 20000mAh（顺丰包邮）')).toBe('小米充电宝20000mah');
  });

  it('keeps different specs and brands apart', () => {
    expect(groupKeyOf('Apple', 'iPhone 15 Pro 256GB')).not.toBe(groupKeyOf('Apple', 'iPhone 15 Pro 512GB'));
    expect(groupKeyOf('小米', '充电宝 20000mAh')).not.toBe(groupKeyOf('罗马仕', '充电宝 20000mAh'));
  });

  it('calls prices within 20% close', () => {
    expect(pricesClose(10000, 8000)).toBe(true);
    expect(pricesClose(10000, 7999)).toBe(false);
  });

  it('shows the offer that pays the creator most, then the cheapest', () => {
    const offers = [
      { productId: 'prd_b', finalPriceMinor: 5000, commissionAmountMinor: 500 },
      { productId: 'prd_a', finalPriceMinor: 4800, commissionAmountMinor: 500 },
      { productId: 'prd_c', finalPriceMinor: 9000, commissionAmountMinor: 300 },
    ];
    expect(bestOffer(offers).productId).toBe('prd_a');
    fc.assert(
      fc.property(fc.shuffledSubarray(offers, { minLength: 1 }), (subset) => {
        const best = bestOffer(subset);
        return subset.every((o) => o.commissionAmountMinor <= best.commissionAmountMinor);
      }),
    );
  });
});
