import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { ParsedRow, ProductInput } from '../../pool/model.ts';
import { ConnectorError } from './common.ts';
import { jdGoodsItem, jdGoodsQueryResponse, startFakeJd, type FakeJdRouter } from './fake/jd.ts';
import { jdErrorResponse } from './fake/jd-router.ts';
import { recordingFetch, type FakeGateway } from './fake/server.ts';
import { JdClient, parseJdGoodsQuery, readJdPromotionUrl } from './jd.ts';

const fixture: unknown = JSON.parse(readFileSync(new URL('./fixtures/jd-goods-query.json', import.meta.url), 'utf8'));
const CREDENTIALS = { appKey: '3c9be283d7d9e0e1529463ff7cc61398', appSecret: 'jd-secret-0001' };
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

describe('parseJdGoodsQuery (saved jd.union.open.goods.query answer)', () => {
  const rows = parseJdGoodsQuery(fixture);

  it('unwraps the queryResult JSON string inside jd_union_open_goods_query_responce', () => {
    expect(rows.map((r) => r.row)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('reads yuan 1.13 as 113 fen and commissionShare 20.5% as 2050 bps', () => {
    expect(productAt(rows, 1)).toEqual({
      sourceProductId: '100012393192',
      title: '百草味芒果干 120g*3袋',
      brand: '百草味',
      categoryPath: ['食品', '果干蜜饯', '芒果干'],
      images: expect.arrayContaining([expect.stringMatching(/^https:\/\/img14\.360buyimg\.com\/pop\/jfs\/t1\/[0-9a-f]{32}\.jpg$/)]),
      priceMinor: 113,
      currency: 'CNY',
      coupon: null,
      commissionRateBps: 2050,
      sales30d: 1422,
      shopName: '百草味京东自营旗舰店',
      shopScore: 460,
      productUrl: 'https://item.jd.com/100012393192.html',
      online: true,
    });
    expect(productAt(rows, 1).images).toHaveLength(3);
  });

  it('pins every price, rate and coupon conversion of the fixture', () => {
    const summary = products(rows).map((p) => [p.priceMinor, p.commissionRateBps, p.coupon?.amountMinor ?? null, p.coupon?.thresholdMinor ?? null, p.shopScore]);
    expect(summary).toEqual([
      [113, 2050, null, null, 460],
      [1, 1500, null, null, 480],
      [15900, 2000, 1000, 9900, 450],
      [5990, 3000, null, null, 450],
      [9900, 500, 900, 9900, 470],
    ]);
  });

  it('takes the coupon JD marks isBest, with its quota as the threshold and millisecond times as ISO', () => {
    expect(productAt(rows, 3).coupon).toEqual({
      amountMinor: 1000,
      thresholdMinor: 9900,
      startsAt: '2026-11-19T16:00:00.000Z',
      endsAt: '2026-11-30T15:59:59.000Z',
    });
  });

  it('reports the SKU with a negative price by its row and keeps the others', () => {
    expect(rows[4]).toEqual({ row: 5, rejected: 'priceInfo.price: negative amount -100' });
    expect(products(rows)).toHaveLength(5);
  });

  it('rejects an unusable SKU with the field that made it so', () => {
    const bad = [
      jdGoodsItem(0, { skuId: undefined }),
      jdGoodsItem(1, { priceInfo: { price: 19.999 } }),
      jdGoodsItem(2, { commissionInfo: { commissionShare: 100.5 } }),
      jdGoodsItem(3, { priceInfo: {} }),
      jdGoodsItem(4, { couponInfo: { couponList: [{ discount: 5, quota: -10, isBest: 1 }] } }),
      jdGoodsItem(5, { skuId: 2 ** 53 + 2 }),
      jdGoodsItem(6),
    ];
    const parsed = parseJdGoodsQuery(jdGoodsQueryResponse(bad, bad.length));
    expect(parsed.slice(0, 6)).toEqual([
      { row: 1, rejected: 'skuId: missing' },
      { row: 2, rejected: 'priceInfo.price: more than 2 decimal places: 19.999 (yuan)' },
      { row: 3, rejected: 'commissionInfo.commissionShare: 100.5 (percent) is 10050 bps, outside 0..10000' },
      { row: 4, rejected: 'priceInfo.price: missing' },
      { row: 5, rejected: 'couponInfo.couponList[].quota: negative amount -1000' },
      { row: 6, rejected: 'skuId: 9007199254740994 is not an exact integer id' },
    ]);
    expect(parsed[6]).toMatchObject({ row: 7, product: { priceMinor: 1990, commissionRateBps: 2050 } });
  });

  it('reads the older `_response` / `result` shape of saved answers the same way', () => {
    const legacy = { jd_union_open_goods_query_response: { code: '0', result: JSON.stringify({ code: 200, data: [jdGoodsItem(5)], totalCount: 1 }) } };
    expect(parseJdGoodsQuery(legacy)).toEqual(parseJdGoodsQuery(jdGoodsQueryResponse([jdGoodsItem(5)], 1)));
  });

  it('throws the gateway error with JD’s code and description', () => {
    const call = () => parseJdGoodsQuery(jdErrorResponse('12', '无效签名', 'Invalid Signature'));
    expect(call).toThrow(ConnectorError);
    expect(call).toThrow('jd 12: 无效签名 / Invalid Signature');
  });

  it('throws the union API’s own error code from inside queryResult', () => {
    const inner = { jd_union_open_goods_query_responce: { code: '0', queryResult: JSON.stringify({ code: 411, message: 'sceneId mismatch' }) } };
    expect(() => parseJdGoodsQuery(inner)).toThrow('jd 411: sceneId mismatch');
  });
});

describe('JdClient against the fake router', () => {
  let fake: FakeGateway | undefined;
  afterEach(async () => fake?.close());

  it('signs each request so the router accepts it, and pages through all items exactly once', async () => {
    fake = await startFakeJd({ ...CREDENTIALS, items: 20 });
    const { fetch: spy, bodies } = recordingFetch();
    const client = new JdClient({ ...CREDENTIALS, baseUrl: fake.url, fetch: spy, pageSize: 7, ...FAST });
    const pages = await collect(client.pages({ keyword: '坚果' }));

    expect(pages.map((p) => p.length)).toEqual([7, 7, 6]);
    const rows = pages.flat();
    expect(rows.map((r) => r.row)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(new Set(products(rows).map((p) => p.sourceProductId)).size).toBe(20);
    expect(fake.requests).toBe(3);
    const first = bodies[0]!;
    expect(first.get('timestamp')).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(JSON.parse(first.get('360buy_param_json')!)).toEqual({ goodsReqDTO: { keyword: '坚果', pageIndex: 1, pageSize: 7, sceneId: 1 } });
  });

  it('fails at once with the router’s signature error when the secret is wrong', async () => {
    fake = await startFakeJd({ ...CREDENTIALS, items: 5 });
    const client = new JdClient({ ...CREDENTIALS, appSecret: 'wrong', baseUrl: fake.url, ...FAST });
    const error = await collect(client.pages()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectorError);
    expect(error).toMatchObject({ platform: 'jd', code: '12', kind: 'auth', retryable: false });
    expect(fake.requests).toBe(1);
  });

  it('fails at once on an unknown app_key', async () => {
    fake = await startFakeJd({ ...CREDENTIALS, items: 5 });
    const client = new JdClient({ ...CREDENTIALS, appKey: 'nobody', baseUrl: fake.url, ...FAST });
    await expect(collect(client.pages())).rejects.toMatchObject({ code: '21', kind: 'auth' });
    expect(fake.requests).toBe(1);
  });

  it('backs off on App Call Limited and then succeeds', async () => {
    fake = await startFakeJd({ ...CREDENTIALS, items: 9, failFirst: { times: 2, kind: 'rate_limit' } });
    const client = new JdClient({ ...CREDENTIALS, baseUrl: fake.url, pageSize: 5, maxRetries: 3, ...FAST });
    expect(products((await collect(client.pages())).flat())).toHaveLength(9);
    expect(fake.requests).toBe(4);
  });

  it('gives up on a router that keeps answering 500, after maxRetries', async () => {
    fake = await startFakeJd({ ...CREDENTIALS, items: 5, failFirst: { times: 1000, kind: 'http_500' } });
    const client = new JdClient({ ...CREDENTIALS, baseUrl: fake.url, maxRetries: 3, ...FAST });
    await expect(collect(client.pages())).rejects.toMatchObject({ platform: 'jd', code: 'http_500', kind: 'unavailable' });
    expect(fake.requests).toBe(4);
  });
});

describe('JdClient.promotionUrl (jd.union.open.promotion.bysubunionid.get) against the fake router', () => {
  let fake: FakeJdRouter | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });
  const material = () => `https://${String(fake!.items[0]!.materialUrl)}`;
  const CLICK = 'clk_01jdq0000000000000000000ab';

  it('signs promotionCodeReq with the materialUrl, our subUnionId and a numeric positionId, and answers the long clickURL', async () => {
    fake = await startFakeJd({ ...CREDENTIALS, items: 2 });
    const { fetch: spy, bodies } = recordingFetch();
    const client = new JdClient({ ...CREDENTIALS, baseUrl: fake.url, fetch: spy });
    const url = await client.promotionUrl({ materialUrl: material(), subUnionId: CLICK, positionId: '3000123456' });
    expect(fake.promotions).toEqual([{ materialId: material(), subUnionId: CLICK, positionId: 3_000_123_456, url }]);
    expect(url).toMatch(/^https:\/\/union-click\.jd\.com\/jdc\?/);
    expect(bodies[0]!.get('method')).toBe('jd.union.open.promotion.bysubunionid.get');
    expect(JSON.parse(bodies[0]!.get('360buy_param_json')!)).toEqual({ promotionCodeReq: { materialId: material(), subUnionId: CLICK, positionId: 3_000_123_456, chainType: 3 } });

    await client.promotionUrl({ materialUrl: material(), subUnionId: CLICK, positionId: 'not-a-number' });
    await client.promotionUrl({ materialUrl: material(), subUnionId: CLICK, positionId: null });
    expect(fake.promotions.slice(1).map((p) => p.positionId)).toEqual([null, null]);
  });

  it('reads the short URL when there is no long one, and fails on an answer with neither', () => {
    const answer = (data: Record<string, unknown>) => ({ jd_union_open_promotion_bysubunionid_get_responce: { code: '0', getResult: JSON.stringify({ code: 200, data, message: 'success' }) } });
    expect(readJdPromotionUrl(answer({ shortURL: 'https://u.jd.com/AbCdEfG' }))).toBe('https://u.jd.com/AbCdEfG');
    expect(() => readJdPromotionUrl(answer({ jCommand: '6.0 x' }))).toThrow(expect.objectContaining({ kind: 'bad_response' }));
  });

  it('refuses a subUnionId JD would not take without asking, and passes on JD’s refusals with their kinds', async () => {
    fake = await startFakeJd({ ...CREDENTIALS, items: 1 });
    const client = new JdClient({ ...CREDENTIALS, baseUrl: fake.url });
    await expect(client.promotionUrl({ materialUrl: material(), subUnionId: '{"sid":"x"}', positionId: null })).rejects.toMatchObject({ code: 'invalid_subunionid' });
    expect(fake.requests).toBe(0);
    await expect(client.promotionUrl({ materialUrl: 'https://item.jd.com/1.html', subUnionId: CLICK, positionId: null })).rejects.toMatchObject({ code: '2001702', kind: 'invalid_request', retryable: false });
    const wrongSecret = new JdClient({ ...CREDENTIALS, appSecret: 'wrong', baseUrl: fake.url });
    await expect(wrongSecret.promotionUrl({ materialUrl: material(), subUnionId: CLICK, positionId: null })).rejects.toMatchObject({ code: '12', kind: 'auth' });
  });
});
