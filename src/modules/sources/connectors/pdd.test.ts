import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { ParsedRow, ProductInput } from '../../pool/model.ts';
import { ConnectorError } from './common.ts';
import { pddGoodsItem, pddGoodsSearchResponse, startFakePdd, type FakePddRouter } from './fake/pdd.ts';
import { pddErrorResponse } from './fake/pdd-router.ts';
import { recordingFetch, type FakeGateway } from './fake/server.ts';
import { parsePddGoodsSearch, PddClient, readPddPromotionUrl } from './pdd.ts';

const fixture: unknown = JSON.parse(readFileSync(new URL('./fixtures/pdd-goods-search.json', import.meta.url), 'utf8'));
const CREDENTIALS = { appKey: 'a3f1c0de9b8e4d7f', appSecret: 'pdd-secret-0001' };
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

describe('parsePddGoodsSearch (saved pdd.ddk.goods.search answer)', () => {
  const rows = parsePddGoodsSearch(fixture);

  it('turns every goods entry into one row, numbered from 1', () => {
    expect(rows.map((r) => r.row)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('keeps fen as fen, reads promotion_rate per mille into bps and unix seconds into ISO', () => {
    expect(productAt(rows, 1)).toEqual({
      sourceProductId: 'E9189aba4da22954568523_J1e234710a201',
      title: '南极人纯棉四件套 1.8m床 加厚磨毛',
      brand: '南极人',
      categoryPath: ['家居家纺'],
      images: [
        'https://img.pddpic.com/mms-material-img/2026-11-18/7ff0f7953ffa42c8ff75b450349b7b5b.jpeg',
        'https://img.pddpic.com/mms-material-img/2026-11-18/bd60e2b8238cfebf07509f8491124712.jpeg',
        'https://img.pddpic.com/mms-material-img/2026-11-18/5bc4221c4de54e1ab094268f041a4079.jpeg',
      ],
      priceMinor: 15900,
      currency: 'CNY',
      coupon: { amountMinor: 2000, thresholdMinor: 15000, startsAt: '2026-11-19T16:00:00.000Z', endsAt: '2026-11-30T15:59:59.000Z' },
      commissionRateBps: 1250,
      sales30d: 100_000,
      shopName: '南极人官方旗舰店',
      shopScore: null,
      productUrl: null,
      online: true,
    });
  });

  it('pins every price, rate, coupon and sales conversion of the fixture', () => {
    const summary = products(rows).map((p) => [p.priceMinor, p.commissionRateBps, p.coupon?.amountMinor ?? null, p.coupon?.thresholdMinor ?? null, p.sales30d]);
    expect(summary).toEqual([
      [15900, 1250, 2000, 15000, 100_000],
      [1, 1500, null, null, 25_000],
      [5990, 3000, null, null, 100_000],
      [9900, 500, 900, 9900, 25_000],
      [1990, 2050, 100, 1900, 856],
    ]);
  });

  it('reports the entry without goods_sign by its row and keeps the others', () => {
    expect(rows[4]).toEqual({ row: 5, rejected: 'goods_sign: missing' });
    expect(products(rows)).toHaveLength(5);
  });

  it('rejects an unusable entry with the field that made it so', () => {
    const bad = [
      pddGoodsItem(0, { min_group_price: -100 }),
      pddGoodsItem(1, { promotion_rate: 1200 }),
      pddGoodsItem(2, { min_group_price: 'abc' }),
      pddGoodsItem(3, { goods_name: '  ' }),
      pddGoodsItem(4, { has_coupon: true, coupon_discount: -500 }),
      pddGoodsItem(5, { min_group_price: 19.9 }),
      'not an object',
      pddGoodsItem(8, { coupon_end_time: 1e15 }),
      pddGoodsItem(7),
    ];
    const parsed = parsePddGoodsSearch(pddGoodsSearchResponse(bad, bad.length, 'list-x'));
    expect(parsed.slice(0, 8)).toEqual([
      { row: 1, rejected: 'min_group_price: negative amount -100' },
      { row: 2, rejected: 'promotion_rate: 1200 (per mille) is 12000 bps, outside 0..10000' },
      { row: 3, rejected: 'min_group_price: not a decimal number: "abc"' },
      { row: 4, rejected: 'goods_name: missing' },
      { row: 5, rejected: 'coupon_discount: negative amount -500' },
      { row: 6, rejected: 'min_group_price: more than 0 decimal places: 19.9' },
      { row: 7, rejected: 'item: not an object' },
      { row: 8, rejected: 'coupon_end_time: not a Unix time in seconds: 1000000000000000' },
    ]);
    expect(parsed[8]).toMatchObject({ row: 9, product: { priceMinor: 4590 } });
  });

  it('throws the error envelope with PDD’s code and message', () => {
    const call = () => parsePddGoodsSearch(pddErrorResponse(20004, '签名验证失败'));
    expect(call).toThrow(ConnectorError);
    expect(call).toThrow('pdd 20004: 签名验证失败');
  });
});

describe('PddClient against the fake router', () => {
  let fake: FakeGateway | undefined;
  afterEach(async () => fake?.close());

  it('signs each request so the router accepts it, and pages through all items exactly once', async () => {
    fake = await startFakePdd({ ...CREDENTIALS, items: 23 });
    const { fetch: spy, bodies } = recordingFetch();
    const client = new PddClient({ ...CREDENTIALS, baseUrl: fake.url, fetch: spy, pageSize: 10, ...FAST });
    const pages = await collect(client.pages({ keyword: '四件套' }));

    expect(pages.map((p) => p.length)).toEqual([10, 10, 3]);
    const rows = pages.flat();
    expect(rows.map((r) => r.row)).toEqual(Array.from({ length: 23 }, (_, i) => i + 1));
    expect(new Set(products(rows).map((p) => p.sourceProductId)).size).toBe(23);
    expect(fake.requests).toBe(3);
    expect(bodies.map((b) => b.get('page'))).toEqual(['1', '2', '3']);
    expect(bodies.every((b) => b.get('type') === 'pdd.ddk.goods.search' && b.get('data_type') === 'JSON')).toBe(true);
    expect(bodies[0]!.get('list_id')).toBeNull();
    expect(bodies[1]!.get('list_id')).toMatch(/^list-/);
  });

  it('stops at maxPages', async () => {
    fake = await startFakePdd({ ...CREDENTIALS, items: 35 });
    const client = new PddClient({ ...CREDENTIALS, baseUrl: fake.url, pageSize: 10, ...FAST });
    expect((await collect(client.pages({ maxPages: 2 }))).flat()).toHaveLength(20);
    expect(fake.requests).toBe(2);
  });

  it('fails at once with the router’s signature error when the secret is wrong', async () => {
    fake = await startFakePdd({ ...CREDENTIALS, items: 5 });
    const client = new PddClient({ ...CREDENTIALS, appSecret: 'wrong', baseUrl: fake.url, ...FAST });
    const error = await collect(client.pages()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectorError);
    expect(error).toMatchObject({ platform: 'pdd', code: '20004', kind: 'auth', retryable: false });
    expect(fake.requests).toBe(1);
  });

  it('fails at once on an unknown client_id', async () => {
    fake = await startFakePdd({ ...CREDENTIALS, items: 5 });
    const client = new PddClient({ ...CREDENTIALS, appKey: 'nobody', baseUrl: fake.url, ...FAST });
    await expect(collect(client.pages())).rejects.toMatchObject({ code: '10016', kind: 'auth' });
    expect(fake.requests).toBe(1);
  });

  it('fails at once on a parameter error', async () => {
    fake = await startFakePdd({ ...CREDENTIALS, items: 5 });
    const client = new PddClient({ ...CREDENTIALS, baseUrl: fake.url, pageSize: 5, ...FAST });
    await expect(collect(client.pages())).rejects.toMatchObject({ code: '10000', kind: 'invalid_request' });
    expect(fake.requests).toBe(1);
  });

  it('backs off on rate limiting and then succeeds', async () => {
    fake = await startFakePdd({ ...CREDENTIALS, items: 12, failFirst: { times: 2, kind: 'rate_limit' } });
    const client = new PddClient({ ...CREDENTIALS, baseUrl: fake.url, pageSize: 10, maxRetries: 3, ...FAST });
    expect(products((await collect(client.pages())).flat())).toHaveLength(12);
    expect(fake.requests).toBe(4);
  });

  it('gives up on a router that keeps answering 500, after maxRetries', async () => {
    fake = await startFakePdd({ ...CREDENTIALS, items: 5, failFirst: { times: 1000, kind: 'http_500' } });
    const client = new PddClient({ ...CREDENTIALS, baseUrl: fake.url, maxRetries: 2, ...FAST });
    const error = await collect(client.pages()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectorError);
    expect(error).toMatchObject({ platform: 'pdd', code: 'http_500', kind: 'unavailable' });
    expect(fake.requests).toBe(3);
  });
});

describe('PddClient.promotionUrl (pdd.ddk.goods.promotion.url.generate) against the fake router', () => {
  let fake: FakePddRouter | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });
  const goodsSign = () => String(fake!.items[0]!.goods_sign);
  const CUSTOM = '{"uid":"a1b2c3d4e5f6","sid":"clk_01jdq0000000000000000000ab"}';

  it('signs the request with the promoter’s pid, one goods_sign and our custom_parameters, and answers the mobile URL', async () => {
    fake = await startFakePdd({ ...CREDENTIALS, items: 2 });
    const { fetch: spy, bodies } = recordingFetch();
    const client = new PddClient({ ...CREDENTIALS, baseUrl: fake.url, fetch: spy });
    const url = await client.promotionUrl({ pid: '1000001_2000001', goodsSign: goodsSign(), customParameters: CUSTOM });

    expect(fake.promotions).toEqual([{ pid: '1000001_2000001', goodsSign: goodsSign(), customParameters: CUSTOM, url }]);
    expect(new URL(url).searchParams.get('customParameters')).toBe(CUSTOM);
    expect(bodies[0]!.get('type')).toBe('pdd.ddk.goods.promotion.url.generate');
    expect(JSON.parse(bodies[0]!.get('goods_sign_list')!)).toEqual([goodsSign()]);
  });

  it('reads the plain URL when the answer has no mobile one, and fails on an answer with neither', () => {
    const answer = (entry: Record<string, unknown>) => ({ goods_promotion_url_generate_response: { goods_promotion_url_list: [entry], request_id: 'r' } });
    expect(readPddPromotionUrl(answer({ url: 'https://youhui.pinduoduo.com/x', mobile_url: '' }))).toBe('https://youhui.pinduoduo.com/x');
    expect(() => readPddPromotionUrl(answer({ short_url: 'https://p.pinduoduo.com/x' }))).toThrow(expect.objectContaining({ kind: 'bad_response' }));
    expect(() => readPddPromotionUrl({ goods_promotion_url_generate_response: { goods_promotion_url_list: [] } })).toThrow(ConnectorError);
  });

  it('refuses custom_parameters over 64 bytes without asking, and passes on PDD’s refusals with their kinds', async () => {
    fake = await startFakePdd({ ...CREDENTIALS, items: 1 });
    const client = new PddClient({ ...CREDENTIALS, baseUrl: fake.url });
    await expect(client.promotionUrl({ pid: '1_2', goodsSign: goodsSign(), customParameters: `{"uid":"${'x'.repeat(60)}"}` })).rejects.toMatchObject({ code: 'custom_parameters_too_long', kind: 'invalid_request' });
    expect(fake.requests).toBe(0);
    await expect(client.promotionUrl({ pid: '1_2', goodsSign: 'E9gone', customParameters: CUSTOM })).rejects.toMatchObject({ code: '60001', kind: 'platform', retryable: false });
    await expect(client.promotionUrl({ pid: 'not-a-pid', goodsSign: goodsSign(), customParameters: CUSTOM })).rejects.toMatchObject({ code: '10000', kind: 'invalid_request' });
    const wrongSecret = new PddClient({ ...CREDENTIALS, appSecret: 'wrong', baseUrl: fake.url });
    await expect(wrongSecret.promotionUrl({ pid: '1_2', goodsSign: goodsSign(), customParameters: CUSTOM })).rejects.toMatchObject({ code: '20004', kind: 'auth' });
  });

  it('does not retry: a shopper is waiting', async () => {
    fake = await startFakePdd({ ...CREDENTIALS, items: 1, failFirst: { times: 1, kind: 'rate_limit' } });
    const client = new PddClient({ ...CREDENTIALS, baseUrl: fake.url, ...FAST });
    await expect(client.promotionUrl({ pid: '1_2', goodsSign: goodsSign(), customParameters: CUSTOM })).rejects.toMatchObject({ code: '52101', retryable: true });
    expect(fake.requests).toBe(1);
  });
});
