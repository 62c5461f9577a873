import { describe, expect, it } from 'vitest';
import type { ProductInput } from '../../pool/model.ts';
import { requiredText } from './item-fields.ts';
import { pageThrough, totalOf, type PageOfItems } from './paging.ts';

function toProduct(item: Record<string, unknown>): ProductInput {
  return {
    sourceProductId: requiredText(item.id, 'id'),
    title: 'x',
    brand: null,
    categoryPath: [],
    images: [],
    priceMinor: 100,
    currency: 'CNY',
    coupon: null,
    commissionRateBps: null,
    sales30d: null,
    shopName: null,
    shopScore: null,
    productUrl: null,
    online: true,
  };
}

/** A platform holding `count` items, `size` a page, that reports `total` (null: says nothing). */
function platform(count: number, size: number, total: number | null) {
  const asked: number[] = [];
  const fetchPage = async (pageNo: number): Promise<PageOfItems> => {
    asked.push(pageNo);
    const items = Array.from({ length: count }, (_, i) => ({ id: `sku-${i}` })).slice((pageNo - 1) * size, pageNo * size);
    return { items, totalCount: total };
  };
  return { asked, fetchPage };
}

async function rowsOf(gen: AsyncGenerator<unknown[]>): Promise<unknown[][]> {
  const pages: unknown[][] = [];
  for await (const page of gen) pages.push(page);
  return pages;
}

describe('pageThrough', () => {
  it('stops as soon as the reported total is reached, without asking for an empty page', async () => {
    const p = platform(20, 10, 20);
    expect((await rowsOf(pageThrough(p.fetchPage, toProduct, 100))).map((page) => page.length)).toEqual([10, 10]);
    expect(p.asked).toEqual([1, 2]);
  });

  it('keeps asking until an empty page when the platform gives no total', async () => {
    const p = platform(25, 10, null);
    expect((await rowsOf(pageThrough(p.fetchPage, toProduct, 100))).flat()).toHaveLength(25);
    expect(p.asked).toEqual([1, 2, 3, 4]);
  });

  it('numbers rows across pages and honours maxPages', async () => {
    const p = platform(50, 10, 50);
    const pages = await rowsOf(pageThrough(p.fetchPage, toProduct, 2));
    expect(pages.flat().map((r) => (r as { row: number }).row)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(p.asked).toEqual([1, 2]);
  });
});

describe('totalOf', () => {
  it('reads the platform total from a number or a digit string', () => {
    expect(totalOf(331301)).toBe(331301);
    expect(totalOf('85631')).toBe(85631);
    expect(totalOf(undefined)).toBeNull();
    expect(totalOf(null)).toBeNull();
    expect(totalOf(-1)).toBeNull();
    expect(totalOf('many')).toBeNull();
  });
});
