import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { ParsedRow, ProductInput } from '../../pool/model.ts';
import { ConnectorError } from './common.ts';
import type { FakeGateway } from './fake/server.ts';
import { startFakeTaobao, taobaoErrorResponse, taobaoMapData, taobaoMaterialOptionalResponse } from './fake/taobao.ts';
import { parseTaobaoMaterialOptional, TaobaoClient } from './taobao.ts';

const fixture: unknown = JSON.parse(readFileSync(new URL('./fixtures/taobao-material-optional.json', import.meta.url), 'utf8'));
const CREDENTIALS = { appKey: '12345678', appSecret: 'taobao-secret-0001', adzoneId: '110580850157' };
const FAST = { minBackoffMs: 1, maxBackoffMs: 5 };

function products(rows: ParsedRow[]): ProductInput[] {
  return rows.flatMap((r) => ('product' in r ? [r.product] : []));
}

function productAt(rows: ParsedRow[], row: number): ProductInput {
  const found = rows.find((r) => r.row === row);
  if (!found || !('product' in found)) throw new Error(`row ${row} is not a product`);
  return found.product;
}

async function collect(pages: AsyncGenerator<ParsedRow[]>): Promise<ParsedRow[][]> {
  const all: ParsedRow[][] = [];
  for await (const page of pages) all.push(page);
  return all;
}

describe('parseTaobaoMaterialOptional (saved taobao.tbk.dg.material.optional answer)', () => {
  const rows = parseTaobaoMaterialOptional(fixture);

  it('turns every map_data entry into one row, numbered from 1', () => {
    expect(rows.map((r) => r.row)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('reads "59.90" as 5990 fen, commission_rate "1350" (13.50%) as 1350 bps, coupon dates as Beijing days', () => {
    const item = productAt(rows, 1);
    expect(item).toMatchObject({
      sourceProductId: '612346202546',
      title: '蓝月亮深层洁净洗衣液 3kg*2瓶 薰衣草香',
      brand: null,
      categoryPath: ['日用百货', '洗衣液'],
      priceMinor: 5990,
      currency: 'CNY',
      commissionRateBps: 1350,
      sales30d: 1265,
      shopName: '蓝月亮官方旗舰店',
      shopScore: 480,
      // The 推广链接 for the request's adzone: the item page (item_url) credits no one.
      productUrl: 'https://s.click.taobao.com/t?e=m%3D2%26s%3D0667ca6ceaa0b7dffc346d151fa53081',
      online: true,
    });
    // The coupon is good through the whole of 2026-11-30, Beijing time.
    expect(item.coupon).toEqual({ amountMinor: 1000, thresholdMinor: 5900, startsAt: '2026-11-19T16:00:00.000Z', endsAt: '2026-11-30T16:00:00.000Z' });
    expect(item.images).toHaveLength(4);
    expect(item.images.every((url) => url.startsWith('https://img.alicdn.com/'))).toBe(true);
  });

  it('pins every price, rate and coupon conversion of the fixture', () => {
    const summary = products(rows).map((p) => [p.priceMinor, p.commissionRateBps, p.coupon?.amountMinor ?? null, p.coupon?.thresholdMinor ?? null]);
    expect(summary).toEqual([
      [5990, 1350, 1000, 5900],
      [1, 1500, null, null],
      [113, 1250, null, null],
      [9900, 500, 900, 9900],
      [1990, 2050, 100, 1900],
    ]);
  });

  it('sends shoppers to the coupon-and-item link when there is one, else the 推广链接, else the item page', () => {
    expect(productAt(rows, 4).productUrl).toBe('https://uland.taobao.com/coupon/edetail?e=68c93af2e35601165b9bd16182915d6d');
    const plain = taobaoMapData(0, { url: '', coupon_share_url: undefined, item_url: '//detail.tmall.com/item.htm?id=1' });
    const [row] = parseTaobaoMaterialOptional(taobaoMaterialOptionalResponse([plain], 1));
    expect(row).toMatchObject({ product: { productUrl: 'https://detail.tmall.com/item.htm?id=1' } });
  });

  it('reports the entry whose commission_rate is over 100% by its row and keeps the others', () => {
    expect(rows[4]).toEqual({ row: 5, rejected: 'commission_rate: 12000 (hundredths of percent) is 12000 bps, outside 0..10000' });
    expect(products(rows)).toHaveLength(5);
  });

  it('rejects an unusable entry with the field that made it so', () => {
    const bad = [
      taobaoMapData(0, { item_id: '' }),
      taobaoMapData(1, { zk_final_price: '¥29.90' }),
      taobaoMapData(2, { zk_final_price: '-3.00' }),
      taobaoMapData(3, { commission_rate: '13.5' }),
      taobaoMapData(4, { coupon_end_time: '30/11/2026' }),
      taobaoMapData(5),
    ];
    const parsed = parseTaobaoMaterialOptional(taobaoMaterialOptionalResponse(bad, bad.length));
    expect(parsed.slice(0, 5)).toEqual([
      { row: 1, rejected: 'item_id: missing' },
      { row: 2, rejected: 'zk_final_price: not a decimal number: "¥29.90" (yuan)' },
      { row: 3, rejected: 'zk_final_price: negative amount -300' },
      { row: 4, rejected: 'commission_rate: more than 0 decimal places: 13.5 (hundredths of percent)' },
      { row: 5, rejected: 'coupon_end_time: not a date: 30/11/2026' },
    ]);
    expect(parsed[5]).toMatchObject({ row: 6, product: { priceMinor: 3990, commissionRateBps: 3000 } });
  });

  it('reads millisecond coupon times and the simplified result_list array too', () => {
    const item = taobaoMapData(0, { coupon_start_time: '1795104000000', coupon_end_time: '1796054399000' });
    const [row] = parseTaobaoMaterialOptional({ tbk_dg_material_optional_response: { result_list: [item], total_results: 1 } });
    expect(row).toMatchObject({ row: 1, product: { coupon: { startsAt: '2026-11-19T16:00:00.000Z', endsAt: '2026-11-30T15:59:59.000Z' } } });
  });

  it('throws the error envelope with TOP’s code, sub_code and message', () => {
    const call = () =>
      parseTaobaoMaterialOptional(taobaoErrorResponse(15, 'Remote service error', 'isv.invalid-parameter', '参数错误'));
    expect(call).toThrow(ConnectorError);
    expect(call).toThrow('taobao 15: Remote service error — isv.invalid-parameter — 参数错误');
  });
});

describe('TaobaoClient against the fake TOP gateway', () => {
  let fake: FakeGateway | undefined;
  afterEach(async () => fake?.close());

  for (const signMethod of ['md5', 'hmac'] as const) {
    it(`signs with ${signMethod} so the gateway accepts it, and pages through all items exactly once`, async () => {
      fake = await startFakeTaobao({ ...CREDENTIALS, items: 19 });
      const client = new TaobaoClient({ ...CREDENTIALS, signMethod, baseUrl: fake.url, pageSize: 8, ...FAST });
      const pages = await collect(client.pages({ keyword: '洗衣液' }));

      expect(pages.map((p) => p.length)).toEqual([8, 8, 3]);
      const rows = pages.flat();
      expect(rows.map((r) => r.row)).toEqual(Array.from({ length: 19 }, (_, i) => i + 1));
      expect(new Set(products(rows).map((p) => p.sourceProductId)).size).toBe(19);
      expect(fake.requests).toBe(3);
    });
  }

  it('fails at once with Invalid signature when the secret is wrong', async () => {
    fake = await startFakeTaobao({ ...CREDENTIALS, items: 5 });
    const client = new TaobaoClient({ ...CREDENTIALS, appSecret: 'wrong', signMethod: 'hmac', baseUrl: fake.url, ...FAST });
    const error = await collect(client.pages({ keyword: '洗衣液' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectorError);
    expect(error).toMatchObject({ platform: 'taobao', code: '25', kind: 'auth', retryable: false });
    expect(fake.requests).toBe(1);
  });

  it('fails at once when the required adzone_id is missing', async () => {
    fake = await startFakeTaobao({ ...CREDENTIALS, items: 5 });
    const client = new TaobaoClient({ appKey: CREDENTIALS.appKey, appSecret: CREDENTIALS.appSecret, baseUrl: fake.url, ...FAST });
    await expect(collect(client.pages({ keyword: '洗衣液' }))).rejects.toMatchObject({ code: '40', kind: 'invalid_request' });
    expect(fake.requests).toBe(1);
  });

  it('backs off on App Call Limited and then succeeds', async () => {
    fake = await startFakeTaobao({ ...CREDENTIALS, items: 11, failFirst: { times: 3, kind: 'rate_limit' } });
    const client = new TaobaoClient({ ...CREDENTIALS, baseUrl: fake.url, pageSize: 10, maxRetries: 3, ...FAST });
    expect(products((await collect(client.pages({ keyword: '洗衣液' }))).flat())).toHaveLength(11);
    expect(fake.requests).toBe(5);
  });

  it('gives up on a gateway that keeps answering 500, after maxRetries', async () => {
    fake = await startFakeTaobao({ ...CREDENTIALS, items: 5, failFirst: { times: 1000, kind: 'http_500' } });
    const client = new TaobaoClient({ ...CREDENTIALS, baseUrl: fake.url, maxRetries: 1, ...FAST });
    await expect(collect(client.pages({ keyword: '洗衣液' }))).rejects.toMatchObject({ platform: 'taobao', code: 'http_500', kind: 'unavailable' });
    expect(fake.requests).toBe(2);
  });
});
