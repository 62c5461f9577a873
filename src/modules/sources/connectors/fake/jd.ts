import { isRecord } from '../common.ts';
import { JD_GOODS_QUERY, JD_MAX_PAGE_SIZE, JD_PROMOTION_BY_SUBUNIONID } from '../jd.ts';
import { JD_ORDER_ROW_QUERY } from '../orders/jd-orders.ts';
import { catalogEntry, COUPON_END_MS, COUPON_START_MS, couponOf, digest, fenToYuanText, priceFenOf, titleOf } from './catalog.ts';
import { answerJdOrderRows } from './jd-orders.ts';
import { jdErrorResponse, jdGatewayError } from './jd-router.ts';
import { failsNow, HTTP_500, pageOf, startFakeGateway, type FailFirst, type FakeGateway, type FakeReply } from './server.ts';

/**
 * A fake of the JD open-platform router answering `jd.union.open.goods.query`,
 * `jd.union.open.promotion.bysubunionid.get` and (from `orders`) `jd.union.open.order.row.query`: same signature check, same gateway error codes, and
 * the result as a JSON string inside `jd_union_open_goods_query_responce` (sic) or
 * `..._bysubunionid_get_responce`'s getResult, prices in yuan and commissionShare in percent.
 */

/** Yuan as the JSON number JD sends: 5990 fen -> 59.9. */
function yuanNumber(fen: number): number {
  return Number(fenToYuanText(fen));
}

/** One SKU of `queryResult.data`, as JD sends it. */
export function jdGoodsItem(index: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const e = catalogEntry(index);
  const price = priceFenOf(index);
  const coupon = couponOf(index);
  const skuId = 100_012_345_678 + index * 7919;
  const commissionShare = Number((e.ratePerMille / 10).toFixed(1));
  const image = (n: number) => ({ url: `https://img14.360buyimg.com/pop/jfs/t1/${digest(`jd-${index}-${n}`)}.jpg` });
  return {
    skuId,
    skuName: titleOf(index),
    spuid: skuId - 11,
    brandCode: String(8000 + (index % 10)),
    brandName: e.brand,
    owner: index % 3 === 0 ? 'g' : 'p',
    isJdSale: index % 3 === 0 ? 1 : 0,
    materialUrl: `item.jd.com/${skuId}.html`,
    categoryInfo: { cid1: 1320 + (index % 10), cid1Name: e.topCategory, cid2: 1580, cid2Name: e.leafCategory, cid3: 1590, cid3Name: e.product },
    imageInfo: { imageList: [image(0), image(1), image(2)], whiteImage: image(9).url },
    priceInfo: { price: yuanNumber(price), lowestPrice: yuanNumber(price), lowestPriceType: 1, lowestCouponPrice: yuanNumber(price - (coupon?.discountFen ?? 0)) },
    commissionInfo: {
      commission: yuanNumber(Math.floor((price * e.ratePerMille) / 1000)),
      commissionShare,
      couponCommission: yuanNumber(Math.floor(((price - (coupon?.discountFen ?? 0)) * e.ratePerMille) / 1000)),
      plusCommissionShare: commissionShare,
      isLock: 0,
    },
    couponInfo: {
      couponList: coupon
        ? [
            {
              bindType: 3,
              discount: yuanNumber(coupon.discountFen),
              quota: yuanNumber(coupon.thresholdFen),
              getStartTime: COUPON_START_MS,
              getEndTime: COUPON_END_MS,
              useStartTime: COUPON_START_MS,
              useEndTime: COUPON_END_MS,
              isBest: 1,
              platformType: 0,
              link: `https://coupon.m.jd.com/coupons/show.action?key=${digest(`coupon-${index}`)}&roleId=${20_000_000 + index}`,
            },
          ]
        : [],
    },
    shopInfo: { shopId: 600_000 + index, shopName: `${e.brand}京东自营旗舰店`, shopLevel: Number(((45 + (index % 5)) / 10).toFixed(1)), shopLabel: '0' },
    inOrderCount30Days: 1200 + index * 37,
    inOrderComm30Days: 5985.68,
    comments: 22_000 + index,
    goodCommentsShare: 98,
    isHot: 1,
    ...overrides,
  };
}

export function jdGoodsQueryResponse(data: readonly unknown[], totalCount: number): Record<string, unknown> {
  return {
    jd_union_open_goods_query_responce: {
      code: '0',
      queryResult: JSON.stringify({ code: 200, data, message: 'success', requestId: `o_${digest(String(totalCount)).slice(0, 22)}`, totalCount }),
    },
  };
}


export interface FakeJdOptions {
  appKey: string;
  appSecret: string;
  items: number | Record<string, unknown>[];
  /** pageSize when the request names none; JD's default is 20. */
  pageSize?: number;
  failFirst?: FailFirst;
  /** Rows for `jd.union.open.order.row.query` on the same router (none by default). */
  orders?: Record<string, unknown>[];
}


/** One link the fake made: what a shopper buying through it would carry back on the order rows. */
export interface FakeJdPromotion {
  materialId: string;
  subUnionId: string;
  positionId: number | null;
  url: string;
}

export interface FakeJdRouter extends FakeGateway {
  /** The goods promoted now: a test removes one to have JD refuse it. */
  readonly items: Record<string, unknown>[];
  /** Every promotion link made so far, oldest first. */
  readonly promotions: readonly FakeJdPromotion[];
  /** The rows `jd.union.open.order.row.query` answers from; a test adds the ones shoppers make. */
  readonly orders: Record<string, unknown>[];
}

const ROUTED = [JD_GOODS_QUERY, JD_PROMOTION_BY_SUBUNIONID, JD_ORDER_ROW_QUERY];

export async function startFakeJd(options: FakeJdOptions): Promise<FakeJdRouter> {
  const items = typeof options.items === 'number' ? Array.from({ length: options.items }, (_, i) => jdGoodsItem(i)) : [...options.items];
  const promotions: FakeJdPromotion[] = [];
  const orders = options.orders ?? [];
  const gateway = await startFakeGateway((params, requestNo): FakeReply => {
    if (failsNow(options.failFirst, 'http_500', requestNo)) return HTTP_500;
    const method = ROUTED.includes(params.method ?? '') ? params.method! : JD_GOODS_QUERY;
    const rejected = jdGatewayError(params, options, method);
    if (rejected) return ok(rejected);
    if (failsNow(options.failFirst, 'rate_limit', requestNo)) return ok(jdErrorResponse('2', '限制时间内调用失败次数', 'App Call Limited'));
    if (method === JD_PROMOTION_BY_SUBUNIONID) return ok(answerJdPromotion(params['360buy_param_json'], items, promotions));
    if (method === JD_ORDER_ROW_QUERY) return ok(answerJdOrderRows(params['360buy_param_json'], orders));
    const request = goodsReq(params['360buy_param_json']);
    if (!request) return ok(innerError(JD_GOODS_QUERY, 400, '360buy_param_json 须含 goodsReqDTO'));
    const pageSize = Math.min(request.pageSize ?? options.pageSize ?? 20, JD_MAX_PAGE_SIZE);
    return ok(jdGoodsQueryResponse(pageOf(items, request.pageIndex ?? 1, pageSize), items.length));
  });
  return Object.assign(gateway, { items, promotions, orders });
}

/**
 * `jd.union.open.promotion.bysubunionid.get` for the materialUrl of goods the fake lists (with or
 * without its scheme). The links are shaped like JD's: union-click.jd.com/jdc?e=… long, u.jd.com short.
 */
export function answerJdPromotion(json: string | undefined, items: readonly Record<string, unknown>[], promotions: FakeJdPromotion[]): Record<string, unknown> {
  let req: unknown;
  try {
    req = (JSON.parse(json ?? '') as { promotionCodeReq?: unknown }).promotionCodeReq;
  } catch {
    req = null;
  }
  if (!isRecord(req) || typeof req.materialId !== 'string' || req.materialId === '') return innerError(JD_PROMOTION_BY_SUBUNIONID, 400, 'materialId不能为空');
  const subUnionId = typeof req.subUnionId === 'string' ? req.subUnionId : '';
  if (!/^[A-Za-z0-9_]{0,80}$/.test(subUnionId)) return innerError(JD_PROMOTION_BY_SUBUNIONID, 400, 'subUnionId格式不正确');
  if (req.positionId !== undefined && !Number.isSafeInteger(req.positionId)) return innerError(JD_PROMOTION_BY_SUBUNIONID, 400, 'positionId格式不正确');
  const bare = (url: string) => url.replace(/^https?:\/\//, '');
  if (!items.some((item) => bare(String(item.materialUrl)) === bare(req.materialId as string))) return innerError(JD_PROMOTION_BY_SUBUNIONID, 2001702, '推广物料不支持推广');
  const token = digest(`${req.materialId}|${subUnionId}|${String(req.positionId)}|${promotions.length}`);
  const clickURL = `https://union-click.jd.com/jdc?e=&p=${token}&sub_union_id=${subUnionId}`;
  promotions.push({ materialId: req.materialId, subUnionId, positionId: (req.positionId as number | undefined) ?? null, url: clickURL });
  const data = { clickURL, shortURL: `https://u.jd.com/${token.slice(0, 7)}`, jCommand: `6.0 ${token.slice(0, 10)} 京东` };
  return {
    jd_union_open_promotion_bysubunionid_get_responce: {
      code: '0',
      getResult: JSON.stringify({ code: 200, data, message: 'success', requestId: `o_${token.slice(0, 22)}` }),
    },
  };
}

function goodsReq(json: string | undefined): { pageIndex?: number; pageSize?: number } | null {
  try {
    const parsed: unknown = JSON.parse(json ?? '');
    const dto = isRecord(parsed) ? parsed.goodsReqDTO : null;
    if (!isRecord(dto)) return null;
    const positive = (v: unknown) => (Number.isSafeInteger(v) && (v as number) > 0 ? (v as number) : undefined);
    return { pageIndex: positive(dto.pageIndex), pageSize: positive(dto.pageSize) };
  } catch {
    return null;
  }
}

/** A business error: the gateway says code "0" and the union API puts its own code inside. */
function innerError(method: string, code: number, message: string): Record<string, unknown> {
  const key = method === JD_GOODS_QUERY ? 'queryResult' : 'getResult';
  return { [`${method.replaceAll('.', '_')}_responce`]: { code: '0', [key]: JSON.stringify({ code, message }) } };
}

function ok(body: unknown): FakeReply {
  return { status: 200, body };
}
