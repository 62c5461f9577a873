import { describe, expect, it } from 'vitest';
import { encodeCursor } from './cursor.ts';
import { FIXTURE_DOCS } from './fixtures.ts';
import { MemoryPoolIndex } from './memory-index.ts';
import type { PoolDoc, PoolQuery } from './types.ts';

function loaded(): MemoryPoolIndex {
  const index = new MemoryPoolIndex();
  index.upsertMany(FIXTURE_DOCS);
  return index;
}

const doc = (id: string): PoolDoc => FIXTURE_DOCS.find((d) => d.productId === id)!;

describe('MemoryPoolIndex', () => {
  it('moves a product when an upsert changes its price or rate, and keeps one copy of it', () => {
    const index = loaded();
    const cheapest = () => index.search({ sort: 'price_asc', limit: 1 }).productIds[0];
    expect(cheapest()).toBe('prd_ip15');
    index.upsert({ ...doc('prd_book'), finalPriceMinor: 1 });
    expect(cheapest()).toBe('prd_book');
    index.upsert({ ...doc('prd_lipbalm'), rateBps: 9_000 });
    expect(index.search({ sort: 'rate', limit: 1 }).productIds).toEqual(['prd_lipbalm']);
    expect(index.search({ q: '红楼梦', sort: 'relevance', limit: 5 }).productIds).toEqual(['prd_book']);
    expect(index.size).toBe(FIXTURE_DOCS.length);
  });

  it('re-indexes the text when an upsert changes the title', () => {
    const index = loaded();
    index.upsert({ ...doc('prd_book'), title: '西游记 原著 全2册' });
    expect(index.search({ q: '红楼梦', sort: 'relevance', limit: 5 }).total).toBe(0);
    expect(index.search({ q: '西游记', sort: 'relevance', limit: 5 }).productIds).toEqual(['prd_book']);
  });

  it('hides a removed product and an offline one, and shows it again when it comes back online', () => {
    const index = loaded();
    index.remove('prd_lancome');
    index.upsert({ ...doc('prd_nuts'), online: false });
    expect(index.search({ q: '兰蔻', sort: 'relevance', limit: 5 }).total).toBe(0);
    expect(index.search({ q: '坚果', sort: 'relevance', limit: 5 }).total).toBe(0);
    expect(index.size).toBe(FIXTURE_DOCS.length - 2);
    const all = index.search({ sort: 'commission', limit: 100 });
    expect(all.productIds).not.toContain('prd_lancome');
    expect(all.total).toBe(FIXTURE_DOCS.length - 2);
    index.upsert(doc('prd_nuts'));
    expect(index.search({ q: '坚果', sort: 'relevance', limit: 5 }).productIds).toEqual(['prd_nuts']);
    index.remove('prd_unknown');
  });

  it('filters by source, platform, category at any level, price, rate, coupon and shop score', () => {
    const index = loaded();
    const ids = (q: Omit<PoolQuery, 'sort' | 'limit'>) => new Set(index.search({ ...q, sort: 'newest', limit: 100 }).productIds);
    const want = (pred: (d: PoolDoc) => boolean) => new Set(FIXTURE_DOCS.filter(pred).map((d) => d.productId));
    expect(ids({ sourceIds: ['src_jd', 'src_shop'] })).toEqual(want((d) => d.sourceId !== 'src_pdd'));
    expect(ids({ platforms: ['pdd'] })).toEqual(want((d) => d.platform === 'pdd'));
    expect(ids({ category: '手机' })).toEqual(want((d) => d.categoryPath[1] === '手机'));
    expect(ids({ category: '美妆' })).toEqual(want((d) => d.categoryPath[0] === '美妆'));
    expect(ids({ priceMin: 12_000, priceMax: 20_000 })).toEqual(want((d) => d.finalPriceMinor >= 12_000 && d.finalPriceMinor <= 20_000));
    expect(ids({ rateMin: 2_000, hasCoupon: true })).toEqual(want((d) => d.rateBps >= 2_000 && d.hasCoupon));
    expect(ids({ shopScoreMin: 470 })).toEqual(want((d) => d.shopScore !== null && d.shopScore >= 470));
    expect(ids({ category: '服饰', platforms: ['dangdang'] })).toEqual(new Set());
  });

  it('counts facets over all matches, whatever the page', () => {
    const index = loaded();
    const first = index.search({ q: '手机', sort: 'commission', limit: 2 });
    const second = index.search({ q: '手机', sort: 'commission', limit: 2, cursor: first.nextCursor });
    const phones = FIXTURE_DOCS.filter((d) => d.categoryPath.some((c) => c.includes('手机')) || d.title.includes('手机'));
    expect(first.total).toBe(phones.length);
    expect(second.total).toBe(first.total);
    expect(second.facets).toEqual(first.facets);
    expect(first.facets.category).toEqual({ 数码: phones.length });
    expect(first.facets.has_coupon.true + first.facets.has_coupon.false).toBe(phones.length);
    expect(Object.values(first.facets.source).reduce((a, b) => a + b, 0)).toBe(phones.length);
  });

  it('pages through every match once, in order, by keyset cursor', () => {
    const index = loaded();
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = index.search({ sort: 'sales', limit: 7, cursor });
      seen.push(...page.productIds);
      cursor = page.nextCursor;
    } while (cursor);
    const sales = (id: string) => doc(id).sales30d;
    expect(seen).toHaveLength(FIXTURE_DOCS.length);
    expect(new Set(seen).size).toBe(seen.length);
    for (let i = 1; i < seen.length; i++) {
      const [a, b] = [seen[i - 1]!, seen[i]!];
      expect(sales(a) > sales(b) || (sales(a) === sales(b) && a < b)).toBe(true);
    }
  });

  it('refuses a cursor it did not make, or made for another sort', () => {
    const index = loaded();
    const cursor = index.search({ sort: 'rate', limit: 1 }).nextCursor!;
    expect(() => index.search({ sort: 'sales', limit: 1, cursor })).toThrow(new RangeError('invalid cursor'));
    expect(() => index.search({ sort: 'rate', limit: 1, cursor: 'not-a-cursor' })).toThrow(new RangeError('invalid cursor'));
    const forged = encodeCursor({ sort: 'rate', mode: 'all', primary: Number.NaN, secondary: 0, productId: 'x' });
    expect(() => index.search({ sort: 'rate', limit: 1, cursor: forged })).toThrow(new RangeError('invalid cursor'));
  });

  it('refuses a limit outside 1..100', () => {
    const index = loaded();
    expect(() => index.search({ sort: 'rate', limit: 0 })).toThrow(RangeError);
    expect(() => index.search({ sort: 'rate', limit: 101 })).toThrow(RangeError);
  });

  it('counts facets past the ids that fit in the packed facet key (510 top categories, 65,535 sources)', () => {
    const index = new MemoryPoolIndex();
    const docs = Array.from({ length: 66_000 }, (_, i): PoolDoc => ({
      ...doc('prd_book'),
      productId: `prd_${i}`,
      title: i % 2 === 0 ? '书' : '笔',
      categoryPath: [`类${i % 600}`],
      sourceId: `src_${i}`,
    }));
    index.upsertMany(docs);
    const r = index.search({ q: '笔', category: '类599', sort: 'newest', limit: 100 });
    expect(r.total).toBe(docs.filter((d) => d.title === '笔' && d.categoryPath[0] === '类599').length);
    expect(r.facets.category).toEqual({ 类599: r.total });
    expect(index.search({ sourceIds: ['src_65999'], sort: 'newest', limit: 1 }).facets.source).toEqual({ src_65999: 1 });
    expect(Object.keys(index.search({ q: '笔', sort: 'newest', limit: 1 }).facets.source)).toHaveLength(33_000);
  });

  it('answers the same after compaction drops the dead ordinals', () => {
    const index = new MemoryPoolIndex({ compactAfterDead: 4 });
    index.upsertMany(FIXTURE_DOCS);
    const before = index.search({ q: '手机', sort: 'price_desc', limit: 100 });
    for (const d of FIXTURE_DOCS.slice(20)) index.upsert({ ...d, title: `${d.title} 升级款` });
    for (const d of FIXTURE_DOCS.slice(20, 25)) index.remove(d.productId);
    for (const d of FIXTURE_DOCS.slice(20, 25)) index.upsert(d);
    expect(index.search({ q: '手机', sort: 'price_desc', limit: 100 })).toEqual(before);
    expect(index.search({ q: '升级款', sort: 'relevance', limit: 100 }).total).toBe(FIXTURE_DOCS.length - 25);
  });

  it('counts sources and categories beyond what the facet key holds, before and after compaction', () => {
    const index = new MemoryPoolIndex({ compactAfterDead: 1 });
    const base = doc('prd_pb_anker');
    const many = Array.from({ length: 70_000 }, (_, i): PoolDoc => ({ ...base, productId: `prd_${i}`, sourceId: `src_${i}`, categoryPath: [`类目${i % 600}`] }));
    index.upsertMany(many);
    const facets = () => index.search({ sourceIds: ['src_0', 'src_65534', 'src_65535', 'src_69999'], sort: 'commission', limit: 10 }).facets;
    expect(facets().source).toEqual({ src_0: 1, src_65534: 1, src_65535: 1, src_69999: 1 });
    expect(facets().category).toEqual({ 类目0: 1, 类目134: 1, 类目135: 1, 类目399: 1 });
    expect(index.search({ sort: 'commission', limit: 1 }).facets.category['类目599']).toBe(many.filter((d) => d.categoryPath[0] === '类目599').length);
    for (let i = 0; i < 60_000; i++) index.remove(`prd_${i}`);
    expect(facets().source).toEqual({ src_65534: 1, src_65535: 1, src_69999: 1 });
    expect(index.search({ sort: 'commission', limit: 1 }).facets.source).toEqual(Object.fromEntries(many.slice(60_000).map((d) => [d.sourceId, 1])));
  });
});
