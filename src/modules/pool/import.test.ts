import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, openTestDb, type TestDb } from '../../db/testing.ts';
import type { Source } from '../sources/model.ts';
import { createSource } from '../sources/service.ts';
import { importProducts } from './import.ts';
import type { ParsedRow, ProductInput } from './model.ts';

function product(id: string, overrides: Partial<ProductInput> = {}): ProductInput {
  return {
    sourceProductId: id,
    title: `小米充电宝 20000mAh ${id}`,
    brand: '小米',
    categoryPath: ['数码', '充电宝'],
    images: [`https://img.example/${id}.jpg`],
    priceMinor: 9900,
    currency: 'CNY',
    coupon: { amountMinor: 1000, thresholdMinor: 5000, startsAt: null, endsAt: null },
    commissionRateBps: 2000,
    sales30d: 1200,
    shopName: '小米官方旗舰店',
    shopScore: 490,
    productUrl: `https://shop.example/${id}`,
    online: true,
    ...overrides,
  };
}

async function* stream(rows: ParsedRow[]): AsyncGenerator<ParsedRow> {
  yield* rows;
}

describe.each(DIALECTS)('importing products on %s', (dialect) => {
  let db: TestDb;
  let source: Source;
  let noDefault: Source;
  beforeAll(async () => {
    db = await openTestDb(dialect);
    source = await createSource(db.kysely, { kind: 'platform', name: '京东联盟', platform: 'jd', defaultCommissionBps: 500 });
    noDefault = await createSource(db.kysely, { kind: 'platform', name: '拼多多', platform: 'pdd' });
  });
  afterAll(async () => {
    await db.close();
  });

  const productsOf = (sourceId: string) => db.kysely.selectFrom('products').selectAll().where('source_id', '=', sourceId).orderBy('source_product_id').execute();

  it('stores final price and commission per unit in minor units', async () => {
    const report = await importProducts(db.kysely, stream([{ row: 1, product: product('a') }]), { source, format: 'test', mode: 'incremental' });
    expect(report).toMatchObject({ imported: 1, updated: 0, offline: 0, rejected: [] });
    const [row] = await productsOf(source.id);
    expect(row).toMatchObject({ price_minor: 9900, final_price_minor: 8900, commission_rate_bps: 2000, commission_amount_minor: 1780, status: 'online', category_path: '数码>充电宝', rate_from_feed: 1 });
    expect(JSON.parse(row!.images)).toEqual(['https://img.example/a.jpg']);
  });

  it('upserts by source product id, keeping the product id', async () => {
    const [before] = await productsOf(source.id);
    const report = await importProducts(db.kysely, stream([{ row: 1, product: product('a', { priceMinor: 19900, commissionRateBps: null }) }]), { source, format: 'test', mode: 'incremental' });
    expect(report).toMatchObject({ imported: 0, updated: 1 });
    const [after] = await productsOf(source.id);
    expect(after!.id).toBe(before!.id);
    expect(after).toMatchObject({ price_minor: 19900, final_price_minor: 18900, commission_rate_bps: 500, rate_from_feed: 0, commission_amount_minor: 945 });
  });

  it('reports bad rows with their number and reason and imports the rest', async () => {
    const rows: ParsedRow[] = [
      { row: 1, product: product('b') },
      { row: 2, rejected: 'price: not a number' },
      { row: 3, product: product('c') },
      { row: 4, product: product('b') },
    ];
    const report = await importProducts(db.kysely, stream(rows), { source, format: 'test', mode: 'incremental' });
    expect(report.imported).toBe(2);
    expect(report.rejected).toEqual([
      { row: 2, reason: 'price: not a number' },
      { row: 4, reason: 'duplicate id b (first on row 1)' },
    ]);
    const stored = await db.kysely.selectFrom('import_rejections').select(['row', 'reason']).where('import_id', '=', report.importId).orderBy('row').execute();
    expect(stored).toEqual(report.rejected);
  });

  it('rejects a product without a rate when the source has no default', async () => {
    const report = await importProducts(db.kysely, stream([{ row: 1, product: product('x', { commissionRateBps: null }) }]), { source: noDefault, format: 'test', mode: 'incremental' });
    expect(report.imported).toBe(0);
    expect(report.rejected[0]?.reason).toMatch(/no commission rate/);
  });

  it('marks products missing from a full sync offline, never deleting them', async () => {
    const report = await importProducts(db.kysely, stream([{ row: 1, product: product('c') }]), { source, format: 'test', mode: 'full' });
    expect(report).toMatchObject({ imported: 0, updated: 1, offline: 2 });
    const rows = await productsOf(source.id);
    expect(rows.map((r) => [r.source_product_id, r.status])).toEqual([
      ['a', 'offline'],
      ['b', 'offline'],
      ['c', 'online'],
    ]);
    const back = await importProducts(db.kysely, stream([{ row: 1, product: product('a') }]), { source, format: 'test', mode: 'incremental' });
    expect(back.updated).toBe(1);
    expect((await productsOf(source.id)).find((r) => r.source_product_id === 'a')?.status).toBe('online');
  });

  it('lands nothing when the input fails part-way, and records the failed run', async () => {
    const before = await productsOf(source.id);
    async function* broken(): AsyncGenerator<ParsedRow> {
      for (let i = 0; i < 1200; i++) yield { row: i + 1, product: product(`z${i}`) };
      throw new Error('unexpected end of file');
    }
    await expect(importProducts(db.kysely, broken(), { source, format: 'test', mode: 'full' })).rejects.toThrow('unexpected end of file');
    expect(await productsOf(source.id)).toEqual(before);
    const run = await db.kysely.selectFrom('import_runs').selectAll().orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(run).toMatchObject({ status: 'failed', error: 'unexpected end of file' });
  });

  it('imports thousands of rows in batches', async () => {
    async function* many(): AsyncGenerator<ParsedRow> {
      for (let i = 0; i < 3000; i++) yield { row: i + 1, product: product(`m${i}`, { priceMinor: 100 + i }) };
    }
    const report = await importProducts(db.kysely, many(), { source: noDefault, format: 'test', mode: 'full' });
    expect(report).toMatchObject({ imported: 3000, rejected: [] });
    const sum = await db.kysely.selectFrom('products').select((eb) => eb.fn.sum<number>('price_minor').as('s')).where('source_id', '=', noDefault.id).executeTakeFirstOrThrow();
    expect(Number(sum.s)).toBe(3000 * 100 + (2999 * 3000) / 2);
  });
});
