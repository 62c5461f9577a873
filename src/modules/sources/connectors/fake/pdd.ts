import { signMd5 } from '../common.ts';
import { PDD_GOODS_SEARCH, PDD_MAX_PAGE_SIZE } from '../pdd.ts';
import { catalogEntry, COUPON_END_MS, COUPON_START_MS, couponOf, digest, priceFenOf, titleOf } from './catalog.ts';
import { failsNow, HTTP_500, pageOf, positiveInt, startFakeGateway, type FailFirst, type FakeGateway, type FakeReply } from './server.ts';

/**
 * A fake of the PDD open-platform router answering `pdd.ddk.goods.search` the way the real one
 * does: same signature check, same envelopes, prices in fen and promotion_rate per mille.
 */

/** One goods entry of `goods_search_response.goods_list`, as PDD sends it. */
export function pddGoodsItem(index: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const e = catalogEntry(index);
  const price = priceFenOf(index);
  const coupon = couponOf(index);
  const id = digest(`pdd-${index}`);
  const image = (n: number) => `https://img.pddpic.com/mms-material-img/2026-11-18/${digest(`${id}-${n}`)}.jpeg`;
  return {
    goods_sign: `E9${id.slice(0, 20)}_J${id.slice(20)}`,
    goods_name: titleOf(index),
    goods_desc: `${e.brand}${e.product}，${e.spec}，品质保证`,
    goods_image_url: image(0),
    goods_thumbnail_url: image(0).replace('.jpeg', '.thumb.jpeg'),
    goods_gallery_urls: [image(0), image(1), image(2)],
    brand_name: e.brand,
    mall_id: 100_000 + index,
    mall_name: `${e.brand}官方旗舰店`,
    merchant_type: 3,
    category_id: 1000 + (index % 10),
    category_name: e.topCategory,
    cat_ids: [1000 + (index % 10), 2000 + (index % 10), 3000 + (index % 10)],
    opt_id: 14,
    opt_name: e.leafCategory,
    min_group_price: price,
    min_normal_price: price + 500,
    promotion_rate: e.ratePerMille,
    has_coupon: coupon !== null,
    coupon_discount: coupon?.discountFen ?? 0,
    coupon_min_order_amount: coupon?.thresholdFen ?? 0,
    coupon_start_time: coupon ? COUPON_START_MS / 1000 : 0,
    coupon_end_time: coupon ? Math.floor(COUPON_END_MS / 1000) : 0,
    coupon_total_quantity: coupon ? 100_000 : 0,
    coupon_remain_quantity: coupon ? 42_000 : 0,
    sales_tip: e.salesTip,
    desc_txt: '高',
    serv_txt: '高',
    lgst_txt: '中',
    activity_tags: [],
    only_scene_auth: true,
    search_id: `search-${digest(String(index)).slice(0, 12)}`,
    zs_duo_id: 0,
    ...overrides,
  };
}

export function pddGoodsSearchResponse(goods: readonly unknown[], totalCount: number, listId: string): Record<string, unknown> {
  return {
    goods_search_response: {
      goods_list: goods,
      list_id: listId,
      search_id: `sid-${listId}`,
      total_count: totalCount,
      request_id: `req-${digest(listId).slice(0, 16)}`,
    },
  };
}

export function pddErrorResponse(errorCode: number, errorMsg: string, subMsg = errorMsg): Record<string, unknown> {
  return {
    error_response: { error_code: errorCode, error_msg: errorMsg, sub_code: String(errorCode), sub_msg: subMsg, request_id: '17043503757231146' },
  };
}

export interface FakePddOptions {
  appKey: string;
  appSecret: string;
  items: number | Record<string, unknown>[];
  /** page_size when the request names none; PDD's default is 100. */
  pageSize?: number;
  failFirst?: FailFirst;
}

const REQUIRED = ['type', 'client_id', 'timestamp', 'sign'] as const;

/** The router's checks of the public parameters and the signature, for the API named `type`. */
export function pddRouterError(params: Record<string, string>, credentials: { appKey: string; appSecret: string }, type: string): Record<string, unknown> | null {
  const missing = REQUIRED.find((name) => !params[name]);
  if (missing) return pddErrorResponse(10000, '参数错误', `公共参数${missing}不能为空`);
  if (params.client_id !== credentials.appKey) return pddErrorResponse(10016, 'client下线或者clientId不正确');
  if (params.type !== type) return pddErrorResponse(10000, '参数错误', `type ${params.type} 不存在`);
  if (!/^\d{10}$/.test(params.timestamp!)) return pddErrorResponse(10000, '参数错误', 'timestamp格式错误');
  if (params.sign !== signMd5(params, credentials.appSecret)) return pddErrorResponse(20004, '签名验证失败');
  return null;
}

export async function startFakePdd(options: FakePddOptions): Promise<FakeGateway> {
  const items = typeof options.items === 'number' ? Array.from({ length: options.items }, (_, i) => pddGoodsItem(i)) : options.items;
  return startFakeGateway((params, requestNo): FakeReply => {
    if (failsNow(options.failFirst, 'http_500', requestNo)) return HTTP_500;
    const rejected = pddRouterError(params, options, PDD_GOODS_SEARCH);
    if (rejected) return ok(rejected);
    if (failsNow(options.failFirst, 'rate_limit', requestNo)) return ok(pddErrorResponse(52101, '当前接口调用频率超过限制，请稍后重试'));
    const pageNo = positiveInt(params.page, 1);
    const pageSize = positiveInt(params.page_size, options.pageSize ?? PDD_MAX_PAGE_SIZE);
    if (pageNo === null || pageSize === null || pageSize < 10 || pageSize > PDD_MAX_PAGE_SIZE) {
      return ok(pddErrorResponse(10000, '参数错误', 'page或page_size不合法，page_size取值范围10~100'));
    }
    const listId = params.list_id || `list-${digest(params.keyword ?? '').slice(0, 16)}`;
    return ok(pddGoodsSearchResponse(pageOf(items, pageNo, pageSize), items.length, listId));
  });
}

function ok(body: unknown): FakeReply {
  return { status: 200, body };
}
