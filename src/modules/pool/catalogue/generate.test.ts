import { describe, expect, it } from 'vitest';
import { generateCatalogue, PROMOTION_PREFIX } from './generate.ts';
import { LEAVES } from './vocabulary.ts';

describe('the synthetic catalogue', () => {
  const products = [...generateCatalogue(5000, 7)];

  it('is the same for the same seed', () => {
    expect([...generateCatalogue(50, 7)]).toEqual(products.slice(0, 50));
    expect([...generateCatalogue(50, 8)]).not.toEqual(products.slice(0, 50));
  });

  it('has integer money from 1 to 10,000 yuan, rates of 1–50% and unique ids per source', () => {
    for (const p of products) {
      expect(Number.isSafeInteger(p.priceMinor)).toBe(true);
      expect(p.priceMinor).toBeGreaterThanOrEqual(100);
      expect(p.priceMinor).toBeLessThanOrEqual(1_000_000);
      if (p.commissionRateBps !== null) expect(p.commissionRateBps >= 100 && p.commissionRateBps <= 5_000).toBe(true);
      if (p.coupon) expect(p.coupon.amountMinor).toBeLessThan(p.priceMinor);
      if (p.shopScore !== null) expect(p.shopScore >= 0 && p.shopScore <= 500).toBe(true);
      expect(p.images[0]).toMatch(/^https:\/\/img\.vitrine\.example\/[0-9a-f]{16}\.jpg$/);
    }
    expect(new Set(products.map((p) => `${p.sourceKey}/${p.sourceProductId}`)).size).toBe(products.length);
  });

  it('spreads over sources and categories, with skewed rates and heavy-tailed sales', () => {
    expect(new Set(products.map((p) => p.sourceKey)).size).toBe(6);
    expect(new Set(products.map((p) => p.categoryPath[0])).size).toBeGreaterThan(10);
    expect(products.filter((p) => p.coupon).length / products.length).toBeGreaterThan(0.3);
    const rates = products.flatMap((p) => (p.commissionRateBps === null ? [] : [p.commissionRateBps])).sort((a, b) => a - b);
    expect(rates[Math.floor(rates.length / 2)]).toBeLessThan(1_000);
    const sales = products.map((p) => p.sales30d ?? 0).sort((a, b) => a - b);
    expect(sales[Math.floor(sales.length / 2)]).toBeLessThan(10);
    expect(sales[sales.length - 1]).toBeGreaterThan(1_000);
  });

  it('pays each category the rates its kind pays: a few percent for phones and computers, up to half for skincare', () => {
    const capOf = new Map(LEAVES.map((leaf) => [leaf.path.join('>'), leaf.rateCapBps]));
    const ratesOf = (path: string) => products.flatMap((p) => (p.categoryPath.join('>') === path && p.commissionRateBps !== null ? [p.commissionRateBps] : []));
    for (const p of products) {
      if (p.commissionRateBps !== null) expect(p.commissionRateBps).toBeLessThanOrEqual(capOf.get(p.categoryPath.join('>'))!);
    }
    expect(Math.max(...ratesOf('数码>电脑'))).toBeLessThanOrEqual(500);
    expect(Math.max(...ratesOf('数码>手机'))).toBeLessThanOrEqual(500);
    expect(Math.max(...ratesOf('美妆>护肤'))).toBeGreaterThan(3_000);
    // A merchant feed leaves the rate out (the source's default of 12–15% applies) only where its kind pays that much.
    const unrated = products.filter((p) => p.commissionRateBps === null);
    expect(unrated.length).toBeGreaterThan(0);
    for (const p of unrated) expect(capOf.get(p.categoryPath.join('>'))).toBeGreaterThanOrEqual(2_000);
  });

  it('writes specs that fit the noun: no water heater of 65 inches, no cat food for grown dogs', () => {
    for (const leaf of LEAVES) {
      for (const [noun, slots] of Object.entries(leaf.nounSpecs ?? {})) {
        expect(leaf.nouns).toContain(noun);
        expect(slots.length).toBe(leaf.specs.length);
      }
    }
    const titles = (noun: string) => products.filter((p) => p.title.includes(noun)).map((p) => p.title);
    expect(titles('热水器').length).toBeGreaterThan(0);
    for (const title of titles('热水器')) expect(title).not.toMatch(/英寸|匹/);
    for (const title of titles('空调')) expect(title).not.toMatch(/英寸|公斤/);
    for (const title of titles('猫粮')) expect(title).not.toMatch(/成犬|幼犬/);
  });

  it('offers some products on several sources under the same brand and title, at a close price', () => {
    const byTitle = new Map<string, typeof products>();
    for (const p of products) {
      const key = `${p.brand}|${p.title.replace(PROMOTION_PREFIX, '')}`;
      byTitle.set(key, [...(byTitle.get(key) ?? []), p]);
    }
    const closeInPrice = [...byTitle.values()].filter((offers) => {
      const prices = offers.map((o) => o.priceMinor);
      return new Set(offers.map((o) => o.sourceKey)).size > 1 && Math.max(...prices) / Math.min(...prices) < 1.2;
    });
    expect(closeInPrice.length).toBeGreaterThan(50);
  });

  it('writes long Chinese titles and a few English ones', () => {
    const english = products.filter((p) => !/\p{Script=Han}/u.test(p.title));
    expect(english.length / products.length).toBeGreaterThan(0.02);
    expect(english.length / products.length).toBeLessThan(0.1);
    const meanLength = products.reduce((a, p) => a + p.title.length, 0) / products.length;
    expect(meanLength).toBeGreaterThan(20);
  });
});
