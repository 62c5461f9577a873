import { describe, expect, it } from 'vitest';
import { POOL_SORTS } from '../model.ts';
import { generateCatalogue } from '../catalogue/generate.ts';
import { FIXTURE_DOCS } from './fixtures.ts';
import { MemoryPoolIndex } from './memory-index.ts';
import { docTermImpacts } from './relevance.ts';
import type { PoolDoc, PoolQuery } from './types.ts';

function catalogueDocs(n: number, seed: number): PoolDoc[] {
  return [...generateCatalogue(n, seed)].map((p, i) => ({
    productId: `prd_${String(i).padStart(6, '0')}`,
    title: p.title,
    brand: p.brand,
    categoryPath: p.categoryPath,
    sourceId: `src_${p.sourceKey}`,
    platform: p.sourceKey,
    priceMinor: p.priceMinor,
    finalPriceMinor: p.priceMinor - (i % 7 === 0 ? 500 : 0),
    rateBps: p.commissionRateBps ?? 1_000,
    commissionMinor: Math.round((p.priceMinor * (p.commissionRateBps ?? 1_000)) / 10_000),
    sales30d: p.sales30d ?? 0,
    shopScore: p.shopScore,
    hasCoupon: i % 7 === 0,
    updatedAtMs: 1_764_000_000_000 - i * 1_000,
    online: p.online,
  }));
}

/** Pages as a rebuild and the imports after it would bring them: the catalogue, then changed prices, changed titles, products gone offline, and the fixtures. */
function pagesOfLoads(): PoolDoc[][] {
  const docs = catalogueDocs(6_000, 3);
  const pages: PoolDoc[][] = [];
  for (let i = 0; i < docs.length; i += 2_500) pages.push(docs.slice(i, i + 2_500));
  pages.push(
    docs.slice(0, 900).map((d, i) => {
      if (i % 3 === 0) return { ...d, finalPriceMinor: d.finalPriceMinor + 100, sales30d: d.sales30d + 1 };
      if (i % 3 === 1) return { ...d, title: `${d.title} 新款`, online: true };
      return { ...d, online: false };
    }),
  );
  pages.push([...FIXTURE_DOCS, ...FIXTURE_DOCS.map((d) => ({ ...d, title: `${d.title} 官方正品` }))]);
  return pages;
}

const TEXTS = [undefined, '手机', '充电宝 20000mah', 'iphone 15 pro', '华为 mate60', '口红', '壳', '新款', '官方正品', '小黑瓶', 'xyz 手机', '学生'];
const FILTERS: Partial<PoolQuery>[] = [{}, { platforms: ['jd', 'pdd'], priceMax: 30_000 }, { hasCoupon: true, rateMin: 1_000 }, { category: '数码', shopScoreMin: 450 }, { sourceIds: ['src_taobao'] }];

/** Every query of the mix, two pages deep; and every term of the pages alone, by relevance (which reads each posting's impact). */
function answers(index: MemoryPoolIndex, pages: PoolDoc[][]): unknown[] {
  const out: unknown[] = [];
  const terms = new Set(pages.flat().flatMap((d) => docTermImpacts(d).terms));
  for (const q of terms) {
    const r = index.search({ q, sort: 'relevance', limit: 50 });
    out.push([q, r.total, r.productIds]);
  }
  for (const q of TEXTS) {
    for (const filters of FILTERS) {
      for (const sort of POOL_SORTS) {
        const first = index.search({ q, ...filters, sort, limit: 20 });
        out.push(first, first.nextCursor ? index.search({ q, ...filters, sort, limit: 20, cursor: first.nextCursor }) : null);
      }
    }
  }
  return out;
}

describe('a bulk load', () => {
  it('builds the same index as upsertMany page by page, tokenising in its worker', async () => {
    const pages = pagesOfLoads();
    const direct = new MemoryPoolIndex();
    for (const page of pages) direct.upsertMany(page);
    const loaded = new MemoryPoolIndex();
    const load = loaded.bulkLoad({ inlineBelow: 0, chunkSize: 300 });
    try {
      for (const page of pages) await load.add(page);
    } finally {
      await load.close();
    }
    expect(loaded.size).toBe(direct.size);
    expect(answers(loaded, pages)).toEqual(answers(direct, pages));
  });

  it('leaves the index whole for searches and upserts made between two chunks of a page', async () => {
    const [page] = pagesOfLoads();
    const direct = new MemoryPoolIndex();
    direct.upsertMany(page!);
    direct.upsertMany(FIXTURE_DOCS);
    const loaded = new MemoryPoolIndex();
    const upserting = [...FIXTURE_DOCS];
    const totals: number[] = [];
    // what another caller would do on the event loop while the load waits for the worker's next chunk
    const writeChunk = loaded.upsertTokenised.bind(loaded);
    loaded.upsertTokenised = (...chunk) => {
      writeChunk(...chunk);
      if (upserting.length > 0) loaded.upsert(upserting.shift()!);
      totals.push(loaded.search({ q: '手机', sort: 'commission', limit: 1 }).total);
    };
    const load = loaded.bulkLoad({ inlineBelow: 0, chunkSize: 100 });
    try {
      await load.add(page!);
    } finally {
      await load.close();
    }
    loaded.upsertMany(upserting);
    expect(totals).toHaveLength(25);
    expect(totals).toEqual([...totals].sort((a, b) => a - b));
    expect(answers(loaded, [page!, FIXTURE_DOCS])).toEqual(answers(direct, [page!, FIXTURE_DOCS]));
  });

  it('refuses a page with a number that is not finite, and then any other page', async () => {
    const [page] = pagesOfLoads();
    const index = new MemoryPoolIndex();
    const load = index.bulkLoad({ inlineBelow: 0, chunkSize: 100 });
    try {
      const broken = page!.map((d, i) => (i === 1_234 ? { ...d, priceMinor: Number.NaN } : d));
      await expect(load.add(broken)).rejects.toThrow(/finite/);
      await expect(load.add(page!)).rejects.toThrow(/failed earlier/);
    } finally {
      await load.close();
    }
  });

  it('refuses a page once its worker is gone, rather than waiting for it', async () => {
    const [page] = pagesOfLoads();
    const load = new MemoryPoolIndex().bulkLoad({ inlineBelow: 0 });
    try {
      await load.add(page!.slice(0, 100));
      await (load as unknown as { worker: { close(): Promise<void> } }).worker.close();
      await expect(load.add(page!)).rejects.toThrow(/exited/);
    } finally {
      await load.close();
    }
  });

  it('writes small pages on its own thread until a worker is running', async () => {
    const index = new MemoryPoolIndex();
    const load = index.bulkLoad();
    await load.add(FIXTURE_DOCS);
    await load.close();
    expect(index.search({ q: '红楼梦', sort: 'relevance', limit: 5 }).productIds).toEqual(['prd_book']);
  });
});
