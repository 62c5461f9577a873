import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { POOL_SORTS } from '../model.ts';
import { BruteForceSearch } from './brute-force-search.ts';
import { MemoryPoolIndex, type MemoryIndexOptions } from './memory-index.ts';
import type { PoolDoc, PoolQuery, PoolResult } from './types.ts';

const WORDS = ['手机', '手机壳', '充电宝', '华为', '小米', '面膜', '补水', '口红', '新款', '保温杯', '壳', 'iphone', '15', 'mate', '60', 'mate60', 'pro', '20000mah', '20000毫安时', '256gb', '大容量', '防摔', '保湿'];
const QUERY_WORDS = [...WORDS, '机壳', '水', '杯子', '机', 'xyz', '电宝', '20000毫安', 'mate 60', 'iphone15'];
const STABLE_QUERY_WORDS = ['iphone', '15', 'mate', '60', 'pro', '20000mah', '256gb', '壳', '水', '手', 'xyz'];
const CATEGORIES = [['数码', '手机'], ['数码', '充电宝'], ['美妆', '面膜'], ['美妆', '口红'], ['家居'], []];
const SOURCES = ['src_a', 'src_b', 'src_c', 'src_d'];
const PLATFORMS = ['jd', 'pdd', 'taobao'];

const docArb = (ids: number): fc.Arbitrary<PoolDoc> =>
  fc.record({
    productId: fc.nat(ids - 1).map((n) => `prd_${String(n).padStart(3, '0')}`),
    title: fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 6 }).chain((ws) => fc.constantFrom(ws.join(' '), ws.join(''))),
    brand: fc.option(fc.constantFrom('华为', 'Apple', '小米', '兰蔻'), { nil: null }),
    categoryPath: fc.constantFrom(...CATEGORIES),
    sourceId: fc.constantFrom(...SOURCES),
    platform: fc.option(fc.constantFrom(...PLATFORMS), { nil: null, freq: 5 }),
    priceMinor: fc.constant(0),
    finalPriceMinor: fc.integer({ min: 0, max: 20 }).map((n) => n * 500),
    rateBps: fc.integer({ min: 0, max: 8 }).map((n) => n * 250),
    commissionMinor: fc.integer({ min: 0, max: 30 }),
    sales30d: fc.integer({ min: 0, max: 5 }),
    shopScore: fc.option(fc.integer({ min: 0, max: 5 }).map((n) => n * 100), { nil: null }),
    hasCoupon: fc.boolean(),
    updatedAtMs: fc.integer({ min: 0, max: 10 }),
    online: fc.oneof({ weight: 7, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  }).map((d) => ({ ...d, priceMinor: d.finalPriceMinor }));

/** Each filter present about one time in four, so that most queries still match something. */
const sometimes = <T>(arb: fc.Arbitrary<T>) => fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: arb });

const queryArb = (words: readonly string[]): fc.Arbitrary<PoolQuery> =>
  fc
    .record({
      q: fc.oneof(
        { weight: 1, arbitrary: fc.constant(undefined) },
        { weight: 2, arbitrary: fc.constantFrom(...words) },
        { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...words), fc.constantFrom(...words)).map((ws) => ws.join(' ')) },
      ),
      sourceIds: sometimes(fc.subarray(SOURCES, { minLength: 1 })),
      platforms: sometimes(fc.subarray([...PLATFORMS, 'dangdang'], { minLength: 1 })),
      category: sometimes(fc.constantFrom('数码', '手机', '美妆', '家居', '服饰')),
      priceMin: sometimes(fc.integer({ min: 0, max: 10_000 })),
      priceMax: sometimes(fc.integer({ min: 0, max: 10_000 })),
      rateMin: sometimes(fc.integer({ min: 0, max: 2_000 })),
      hasCoupon: sometimes(fc.boolean()),
      shopScoreMin: sometimes(fc.integer({ min: 0, max: 500 })),
      sort: fc.constantFrom(...POOL_SORTS),
      limit: fc.integer({ min: 1, max: 4 }),
    })
    .map((q) => Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined)) as unknown as PoolQuery);

type Op = { kind: 'upsert'; doc: PoolDoc } | { kind: 'remove'; productId: string };
const opArb = (ids: number): fc.Arbitrary<Op> =>
  fc.oneof(
    { weight: 5, arbitrary: docArb(ids).map((doc): Op => ({ kind: 'upsert', doc })) },
    { weight: 1, arbitrary: fc.nat(ids - 1).map((n): Op => ({ kind: 'remove', productId: `prd_${String(n).padStart(3, '0')}` })) },
  );

function apply(op: Op, ...targets: { upsert(d: PoolDoc): void; remove(id: string): void }[]): void {
  for (const t of targets) {
    if (op.kind === 'upsert') t.upsert(op.doc);
    else t.remove(op.productId);
  }
}

/** Every page of a query, by following the cursors. */
function allPages(index: MemoryPoolIndex | BruteForceSearch, query: PoolQuery): string[] {
  const ids: string[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 200; page++) {
    const r: PoolResult = index.search({ ...query, cursor });
    ids.push(...r.productIds);
    if (r.nextCursor === null) return ids;
    cursor = r.nextCursor;
  }
  throw new Error('paging did not end');
}

const VARIANTS: Record<string, MemoryIndexOptions> = {
  auto: {},
  'posting scan': { scan: 'postings', denseTermMinDocs: 4 },
  'bitset scan': { scan: 'bitsets', denseTermMinDocs: 4 },
  'bitset scan, sparse terms, eager compaction': { scan: 'bitsets', compactAfterDead: 3 },
  'posting scan, dense terms, eager compaction': { scan: 'postings', denseTermMinDocs: 3, compactAfterDead: 3 },
};

describe.each(Object.entries(VARIANTS))('MemoryPoolIndex (%s) against the brute-force reference', (_name, options) => {
  it('returns the same ids in the same order, the same total and facets, page after page', () => {
    fc.assert(
      fc.property(fc.array(opArb(40), { maxLength: 80, size: 'medium' }), fc.array(queryArb(QUERY_WORDS), { minLength: 1, maxLength: 8 }), (ops, queries) => {
        const index = new MemoryPoolIndex(options);
        const oracle = new BruteForceSearch();
        for (const op of ops) apply(op, index, oracle);
        expect(index.size).toBe(oracle.size);
        for (const query of queries) {
          const got = index.search(query);
          const want = oracle.search(query);
          expect(got.productIds).toEqual(want.productIds);
          expect(got.total).toBe(want.total);
          expect(got.facets).toEqual(want.facets);
          expect(got.nextCursor === null).toBe(want.nextCursor === null);
          expect(allPages(index, query)).toEqual(allPages(oracle, { ...query, limit: 100 }));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('reports the same figures for the same search under every sort, and fresh ones once products change', () => {
    fc.assert(
      fc.property(
        fc.array(opArb(40), { maxLength: 60, size: 'medium' }),
        queryArb(QUERY_WORDS),
        fc.array(fc.array(opArb(40), { maxLength: 3 }), { minLength: 1, maxLength: 4 }),
        (ops, query, between) => {
          const index = new MemoryPoolIndex(options);
          const oracle = new BruteForceSearch();
          for (const op of ops) apply(op, index, oracle);
          for (const changes of between) {
            for (const sort of POOL_SORTS) {
              const got = index.search({ ...query, sort });
              const want = oracle.search({ ...query, sort });
              expect(got.productIds).toEqual(want.productIds);
              expect(got.total).toBe(want.total);
              expect(got.facets).toEqual(want.facets);
              expect(got.nextCursor === null).toBe(want.nextCursor === null);
              expect(allPages(index, { ...query, sort })).toEqual(allPages(oracle, { ...query, sort, limit: 100 }));
            }
            for (const op of changes) apply(op, index, oracle);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('pages without duplicates or skips while products are added, changed and removed in between', () => {
    fc.assert(
      fc.property(
        fc.array(docArb(30), { minLength: 1, maxLength: 40, size: 'medium' }),
        queryArb(STABLE_QUERY_WORDS),
        fc.array(fc.array(opArb(60), { maxLength: 4 }), { maxLength: 30 }),
        (docs, query, between) => {
          const index = new MemoryPoolIndex(options);
          index.upsertMany(docs);
          const before = new BruteForceSearch();
          before.upsertMany(docs);
          const expected = allPages(before, { ...query, limit: 100 });
          const touched = new Set<string>();
          const seen: string[] = [];
          let cursor: string | null = null;
          for (let page = 0; ; page++) {
            const r = index.search({ ...query, cursor });
            seen.push(...r.productIds);
            if (r.nextCursor === null) break;
            cursor = r.nextCursor;
            for (const op of between[page] ?? []) {
              apply(op, index);
              touched.add(op.kind === 'upsert' ? op.doc.productId : op.productId);
            }
          }
          const untouchedSeen = seen.filter((id) => !touched.has(id));
          expect(new Set(untouchedSeen).size).toBe(untouchedSeen.length);
          expect(untouchedSeen).toEqual(expected.filter((id) => !touched.has(id)));
        },
      ),
      { numRuns: 300 },
    );
  });
});
