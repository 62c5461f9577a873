import { describe, expect, it } from 'vitest';
import { POOL_SORTS } from '../model.ts';
import { BruteForceSearch } from './brute-force-search.ts';
import { MemoryPoolIndex } from './memory-index.ts';
import type { PoolDoc, PoolQuery } from './types.ts';

/** Enough matches (more than a scan batch) that a scan with known counts passes over whole blocks. */
const N = 12_000;
const TITLES = ['华为 手机 大容量', '小米 手机 快充', '罗马仕 充电宝 大容量', '兰蔻 面膜 补水'];

function pool(seed: number): PoolDoc[] {
  let s = seed;
  const random = () => ((s = (Math.imul(s, 1_103_515_245) + 12_345) >>> 0) / 4_294_967_296);
  return Array.from({ length: N }, (_, i) => {
    const price = 100 + Math.floor(random() * 50_000);
    const rate = 100 + Math.floor(random() * 3_000);
    return {
      productId: `prd_${String(i).padStart(5, '0')}`,
      title: TITLES[i % TITLES.length]!,
      brand: null,
      categoryPath: i % 3 === 0 ? ['数码', '手机'] : ['美妆'],
      sourceId: `src_${i % 5}`,
      platform: i % 2 === 0 ? 'jd' : 'pdd',
      priceMinor: price,
      finalPriceMinor: price,
      rateBps: rate,
      commissionMinor: Math.round((price * rate) / 10_000),
      sales30d: Math.floor(random() * 1_000),
      shopScore: 400 + Math.floor(random() * 100),
      hasCoupon: random() < 0.4,
      updatedAtMs: 1_700_000_000_000 + Math.floor(random() * 1e9),
      online: true,
    };
  });
}

const QUERIES: Omit<PoolQuery, 'sort' | 'limit'>[] = [
  { q: '手机' },
  { q: '大容量', priceMin: 5_000, priceMax: 40_000 },
  { q: '手机', platforms: ['jd'], rateMin: 1_000 },
  { priceMax: 30_000 },
];

describe('MemoryPoolIndex counts remembered between searches', () => {
  it('answers the same search under every sort, twice, as the brute-force reference does, and again after a change', () => {
    const docs = pool(7);
    for (const scan of ['bitsets', 'postings'] as const) {
      const index = new MemoryPoolIndex({ scan });
      const oracle = new BruteForceSearch();
      index.upsertMany(docs);
      oracle.upsertMany(docs);
      const check = () => {
        for (const constraints of QUERIES) {
          for (const sort of [...POOL_SORTS, ...POOL_SORTS]) {
            const query = { ...constraints, sort, limit: 20 };
            const got = index.search(query);
            const want = oracle.search(query);
            expect(got.productIds).toEqual(want.productIds);
            expect(got.total).toBe(want.total);
            expect(got.facets).toEqual(want.facets);
            expect(got.nextCursor === null).toBe(want.nextCursor === null);
            const next = { ...query, cursor: got.nextCursor };
            expect(index.search(next).productIds).toEqual(oracle.search({ ...next, cursor: want.nextCursor }).productIds);
          }
        }
      };
      check();
      const changed = docs.slice(0, 3_000).map((d, i) => ({ ...d, commissionMinor: d.commissionMinor + 100_000, online: i % 7 !== 0 }));
      index.upsertMany(changed);
      oracle.upsertMany(changed);
      check();
    }
  });
});
