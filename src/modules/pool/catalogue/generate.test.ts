import { describe, expect, it } from 'vitest';
import { generateCatalogue } from './generate.ts';

describe('the synthetic catalogue', () => {
  const products = [...generateCatalogue(5000, 7)];

  it('is the same for the same seed', () => {
    expect([...generateCatalogue(50, 7)]).toEqual(products.slice(0, 50));
    expect([...generateCatalogue(50, 8)]).not.toEqual(products.slice(0, 50));
  });

  it('has integer money, rates in range and unique ids', () => {
    for (const p of products) {
      expect(Number.isSafeInteger(p.priceMinor) && p.priceMinor > 0).toBe(true);
      if (p.commissionRateBps !== null) expect(p.commissionRateBps).toBeGreaterThanOrEqual(100);
      if (p.coupon) expect(p.coupon.amountMinor).toBeLessThan(p.priceMinor);
    }
    expect(new Set(products.map((p) => `${p.sourceKey}/${p.sourceProductId}`)).size).toBe(products.length);
  });

  it('spreads over sources, categories, and offers some products on several sources', () => {
    expect(new Set(products.map((p) => p.sourceKey)).size).toBe(6);
    expect(new Set(products.map((p) => p.categoryPath[0])).size).toBeGreaterThan(8);
    const titles = products.map((p) => p.title.replace(/^【[^】]*】|^包邮 |^2026新款 /, ''));
    expect(titles.length - new Set(titles).size).toBeGreaterThan(50);
    expect(products.filter((p) => p.coupon).length / products.length).toBeGreaterThan(0.3);
  });
});
