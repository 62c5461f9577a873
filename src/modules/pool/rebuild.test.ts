import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, openTestDb, type TestDb } from '../../db/testing.ts';
import { createSource } from '../sources/service.ts';
import type { ParsedRow, ProductInput } from './model.ts';
import { onlineProductsByGroup } from './products.ts';
import { MemoryPoolIndex } from './search/memory-index.ts';
import type { PoolQuery } from './search/types.ts';
import { PoolService } from './service.ts';

function product(id: string, title: string, priceMinor: number, rateBps: number, online = true): ProductInput {
  return {
    sourceProductId: id,
    title,
    brand: '小米',
    categoryPath: ['数码', '充电宝'],
    images: [],
    priceMinor,
    currency: 'CNY',
    coupon: null,
    commissionRateBps: rateBps,
    sales30d: 10,
    shopName: null,
    shopScore: 480,
    productUrl: null,
    online,
  };
}

async function* stream(products: ProductInput[]): AsyncGenerator<ParsedRow> {
  let row = 0;
  for (const p of products) yield { row: ++row, product: p };
}

const QUERIES: PoolQuery[] = [
  { sort: 'commission', limit: 100 },
  { q: '充电宝', sort: 'relevance', limit: 100 },
  { platforms: ['jd'], sort: 'price_asc', limit: 100 },
];

describe.each(DIALECTS)('rebuilding the pool index on start on %s', (dialect) => {
  let db: TestDb;
  let imported: PoolService;
  beforeAll(async () => {
    db = await openTestDb(dialect);
    imported = new PoolService(db.kysely, new MemoryPoolIndex());
    const jd = await createSource(db.kysely, { kind: 'platform', name: '京东联盟', platform: 'jd' });
    const pdd = await createSource(db.kysely, { kind: 'platform', name: '拼多多', platform: 'pdd' });
    // groups of one to four offers: close prices (one product, the best shown), a far price (shown apart), offline offers
    const titles = Array.from({ length: 12 }, (_, i) => `小米充电宝 型号${i} 20000mAh`);
    const onJd = titles.flatMap((t, i) => [product(`j${i}`, t, 10_000 + i * 100, 1_000 + (i % 3) * 500, i % 5 !== 4), ...(i % 4 === 0 ? [product(`j${i}far`, t, 30_000, 1_000)] : [])]);
    const onPdd = titles.filter((_, i) => i % 2 === 0).map((t, i) => product(`p${i}`, t, 10_500, 1_500 + (i % 2) * 1_000));
    await imported.importParsed(jd, 'test', 'incremental', stream(onJd));
    await imported.importParsed(pdd, 'test', 'incremental', stream(onPdd));
  });
  afterAll(async () => {
    await db.close();
  });

  it('finds what the index kept in step with the imports found', async () => {
    const rebuilt = new PoolService(db.kysely, new MemoryPoolIndex());
    expect(await rebuilt.rebuild()).toBe(imported.index.size);
    for (const q of QUERIES) expect(rebuilt.index.search(q)).toEqual(imported.index.search(q));
  });

  it('reads every online product once, each group whole in one page, even with pages smaller than a group', async () => {
    const online = await db.kysely.selectFrom('products').select(['id', 'group_key']).where('status', '=', 'online').execute();
    for (const pageSize of [1, 2, 3, 5, 1000]) {
      const pages: { id: string; group_key: string }[][] = [];
      for await (const page of onlineProductsByGroup(db.kysely, pageSize)) pages.push(page);
      expect(pages.flat().map((r) => r.id).sort()).toEqual(online.map((r) => r.id).sort());
      const pageOfGroup = new Map<string, number>();
      pages.forEach((page, i) => page.forEach((r) => expect(setOnce(pageOfGroup, r.group_key, i)).toBe(i)));
    }
  });
});

function setOnce(map: Map<string, number>, key: string, value: number): number {
  if (!map.has(key)) map.set(key, value);
  return map.get(key)!;
}
