import { PDD_ORDER_LIST_INCREMENT } from '../orders/pdd-orders.ts';
import { PDD_CUSTOM_PARAMETERS_MAX_BYTES, PDD_GOODS_SEARCH, PDD_MAX_PAGE_SIZE, PDD_PROMOTION_URL_GENERATE } from '../pdd.ts';
import { catalogEntry, COUPON_END_MS, COUPON_START_MS, couponOf, digest, priceFenOf, titleOf } from './catalog.ts';
import { answerPddOrderList } from './pdd-orders.ts';
import { pddErrorResponse, pddRouterError } from './pdd-router.ts';
import { failsNow, HTTP_500, pageOf, positiveInt, startFakeGateway, type FailFirst, type FakeGateway, type FakeReply } from './server.ts';

/**
 * A fake of the PDD open-platform router answering `pdd.ddk.goods.search` and
 * `pdd.ddk.goods.promotion.url.generate` the way the real one does: same signature check, same
 * envelopes, prices in fen and promotion_rate per mille.
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


/** One URL the fake made: what a shopper buying through it would carry back on the order. */
export interface FakePromotion {
  pid: string;
  goodsSign: string;
  customParameters: string;
  url: string;
}

export interface FakePddRouter extends FakeGateway {
  /** Every promotion URL generated so far, oldest first. */
  readonly promotions: readonly FakePromotion[];
  /** The goods promoted now: a test removes one to have PDD refuse it. */
  readonly items: Record<string, unknown>[];
  /** The orders `pdd.ddk.order.list.increment.get` answers from; a test adds the ones shoppers make. */
  readonly orders: Record<string, unknown>[];
  /** While set, every request fails so: an outage a test turns on and off. */
  failWith: FailFirst['kind'] | null;
}

/**
 * `pdd.ddk.goods.promotion.url.generate` for goods the fake lists. The long URLs are shaped like
 * PDD's (duo_coupon_landing.html with goods_sign, pid, customParameters and a cpsSign); which code
 * PDD answers for goods no longer promoted is not in the pages we could read, so the fake answers
 * a platform error (60001) that is not one of the router's public-parameter codes.
 */
export function answerPddPromotionUrl(params: Record<string, string>, items: readonly Record<string, unknown>[], promotions: FakePromotion[]): Record<string, unknown> {
  const pid = params.p_id ?? '';
  if (!/^\d+_\d+$/.test(pid)) return pddErrorResponse(10000, '参数错误', 'p_id不合法');
  let signs: unknown;
  try {
    signs = JSON.parse(params.goods_sign_list ?? '');
  } catch {
    signs = null;
  }
  if (!Array.isArray(signs) || signs.length === 0 || !signs.every((sign) => typeof sign === 'string')) {
    return pddErrorResponse(10000, '参数错误', 'goods_sign_list格式错误');
  }
  const custom = params.custom_parameters ?? '';
  if (Buffer.byteLength(custom) > PDD_CUSTOM_PARAMETERS_MAX_BYTES) return pddErrorResponse(10000, '参数错误', `custom_parameters长度不能超过${PDD_CUSTOM_PARAMETERS_MAX_BYTES}`);
  const promoted = new Set(items.map((item) => item.goods_sign));
  if (!(signs as string[]).every((sign) => promoted.has(sign))) return pddErrorResponse(60001, '商品不存在或已下架', '该商品不在推广中');
  const list = (signs as string[]).map((goodsSign) => {
    const token = digest(`${pid}|${goodsSign}|${custom}|${promotions.length}`);
    const query = new URLSearchParams({ goods_sign: goodsSign, pid, customParameters: custom, cpsSign: `CC_${params.timestamp}_${pid}_${token.slice(0, 32)}`, duoduo_type: '2' });
    const url = `https://mobile.yangkeduo.com/duo_coupon_landing.html?${query}`;
    promotions.push({ pid, goodsSign, customParameters: custom, url });
    return {
      mobile_url: url,
      mobile_short_url: `https://p.pinduoduo.com/${token.slice(0, 8)}`,
      url: url.replace('mobile.yangkeduo.com', 'youhui.pinduoduo.com'),
      short_url: `https://p.pinduoduo.com/${token.slice(8, 16)}`,
      schema_url: `pinduoduo://com.xunmeng.pinduoduo/duo_coupon_landing.html?${query}`,
      we_app_web_view_url: `https://mobile.yangkeduo.com/app.html?launch_url=${encodeURIComponent(url)}`,
      we_app_web_view_short_url: `https://p.pinduoduo.com/${token.slice(16, 24)}`,
      we_app_info: null,
    };
  });
  return { goods_promotion_url_generate_response: { goods_promotion_url_list: list, request_id: `req-${digest(custom).slice(0, 16)}` } };
}

export interface FakePddOptions {
  appKey: string;
  appSecret: string;
  items: number | Record<string, unknown>[];
  /** page_size when the request names none; PDD's default is 100. */
  pageSize?: number;
  failFirst?: FailFirst;
  /** Orders for `pdd.ddk.order.list.increment.get` on the same router (none by default). */
  orders?: Record<string, unknown>[];
}


const ROUTED = [PDD_GOODS_SEARCH, PDD_PROMOTION_URL_GENERATE, PDD_ORDER_LIST_INCREMENT];

export async function startFakePdd(options: FakePddOptions): Promise<FakePddRouter> {
  const items = typeof options.items === 'number' ? Array.from({ length: options.items }, (_, i) => pddGoodsItem(i)) : [...options.items];
  const promotions: FakePromotion[] = [];
  const orders = options.orders ?? [];
  const gateway = await startFakeGateway((params, requestNo): FakeReply => {
    if (failsNow(options.failFirst, 'http_500', requestNo) || router.failWith === 'http_500') return HTTP_500;
    const type = ROUTED.includes(params.type ?? '') ? params.type! : PDD_GOODS_SEARCH;
    const rejected = pddRouterError(params, options, type);
    if (rejected) return ok(rejected);
    if (failsNow(options.failFirst, 'rate_limit', requestNo) || router.failWith === 'rate_limit') return ok(pddErrorResponse(52101, '当前接口调用频率超过限制，请稍后重试'));
    if (type === PDD_PROMOTION_URL_GENERATE) return ok(answerPddPromotionUrl(params, items, promotions));
    if (type === PDD_ORDER_LIST_INCREMENT) return ok(answerPddOrderList(params, orders));
    const pageNo = positiveInt(params.page, 1);
    const pageSize = positiveInt(params.page_size, options.pageSize ?? PDD_MAX_PAGE_SIZE);
    if (pageNo === null || pageSize === null || pageSize < 10 || pageSize > PDD_MAX_PAGE_SIZE) {
      return ok(pddErrorResponse(10000, '参数错误', 'page或page_size不合法，page_size取值范围10~100'));
    }
    const listId = params.list_id || `list-${digest(params.keyword ?? '').slice(0, 16)}`;
    return ok(pddGoodsSearchResponse(pageOf(items, pageNo, pageSize), items.length, listId));
  });
  const router: FakePddRouter = Object.assign(gateway, { items, promotions, orders, failWith: null });
  return router;
}

function ok(body: unknown): FakeReply {
  return { status: 200, body };
}
