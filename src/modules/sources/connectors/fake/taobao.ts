import { signHmacMd5, signMd5 } from '../common.ts';
import { TAOBAO_MATERIAL_OPTIONAL, TAOBAO_MAX_PAGE_SIZE } from '../taobao.ts';
import { catalogEntry, couponOf, digest, fenToYuanText, priceFenOf, titleOf } from './catalog.ts';
import { failsNow, HTTP_500, pageOf, positiveInt, startFakeGateway, type FailFirst, type FakeGateway, type FakeReply } from './server.ts';

/**
 * A fake of the Taobao TOP gateway answering `taobao.tbk.dg.material.optional`: md5 and hmac
 * signatures checked as TOP does, TOP's system error codes, yuan strings and commission_rate in
 * hundredths of a percent.
 */

/** One `map_data` entry of `result_list`, as TOP sends it. */
export function taobaoMapData(index: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const e = catalogEntry(index);
  const price = priceFenOf(index);
  const coupon = couponOf(index);
  const itemId = 612_345_678_901 + index * 104_729;
  const sellerId = 2_200_000_000 + index;
  const image = (n: number) => `//img.alicdn.com/i${(n % 4) + 1}/${sellerId}/O1CN01${digest(`tb-${index}-${n}`).slice(0, 18)}_!!${sellerId}.jpg`;
  return {
    item_id: itemId,
    title: titleOf(index),
    short_title: `${e.brand}${e.product}`,
    pict_url: `https:${image(0)}`,
    small_images: { string: [image(1), image(2), image(3)] },
    white_image: `https:${image(9)}`,
    reserve_price: fenToYuanText(price + 2000),
    zk_final_price: fenToYuanText(price),
    user_type: index % 2,
    provcity: index % 2 === 0 ? '浙江 杭州' : '广东 广州',
    item_url: `https://detail.tmall.com/item.htm?id=${itemId}`,
    seller_id: sellerId,
    nick: `${e.brand}官方旗舰店`,
    shop_title: `${e.brand}官方旗舰店`,
    shop_dsr: 47_800 + (index % 10) * 37,
    volume: 1000 + index * 53,
    tk_total_sales: String(300 + index),
    commission_rate: String(e.ratePerMille * 10),
    commission_type: 'COMMON',
    level_one_category_id: 50_000 + (index % 10),
    level_one_category_name: e.topCategory,
    category_id: 50_100 + (index % 10),
    category_name: e.leafCategory,
    ...(coupon
      ? {
          coupon_id: digest(`tb-coupon-${index}`),
          coupon_amount: String(coupon.discountFen / 100),
          coupon_start_fee: String(coupon.thresholdFen / 100),
          coupon_info: `满${coupon.thresholdFen / 100}元减${coupon.discountFen / 100}元`,
          coupon_start_time: '2026-11-20',
          coupon_end_time: '2026-11-30',
          coupon_total_count: 100_000,
          coupon_remain_count: 61_000,
          coupon_share_url: `//uland.taobao.com/coupon/edetail?e=${digest(`e-${index}`)}`,
        }
      : {}),
    url: `//s.click.taobao.com/t?e=m%3D2%26s%3D${digest(`click-${index}`)}`,
    ...overrides,
  };
}

export function taobaoMaterialOptionalResponse(mapData: readonly unknown[], totalResults: number): Record<string, unknown> {
  return {
    tbk_dg_material_optional_response: {
      result_list: { map_data: mapData },
      total_results: totalResults,
      request_id: `${digest(String(totalResults)).slice(0, 13)}`,
    },
  };
}

export function taobaoErrorResponse(code: number, msg: string, subCode?: string, subMsg?: string): Record<string, unknown> {
  return {
    error_response: { code, msg, ...(subCode ? { sub_code: subCode } : {}), ...(subMsg ? { sub_msg: subMsg } : {}), request_id: '16fbz0e3yhjw8' },
  };
}

export interface FakeTaobaoOptions {
  appKey: string;
  appSecret: string;
  items: number | Record<string, unknown>[];
  /** page_size when the request names none; TOP's default is 20. */
  pageSize?: number;
  failFirst?: FailFirst;
}

const TIMESTAMP = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

/** TOP's checks, each answered with its system error code, for the API named `method`. */
export function topGatewayError(params: Record<string, string>, options: { appKey: string; appSecret: string }, method: string): Record<string, unknown> | null {
  if (!params.method) return taobaoErrorResponse(21, 'Missing method');
  if (params.method !== method) return taobaoErrorResponse(22, 'Invalid method');
  if (!params.app_key) return taobaoErrorResponse(28, 'Missing app key');
  if (params.app_key !== options.appKey) return taobaoErrorResponse(29, 'Invalid app Key', 'isv.appkey-not-exists');
  if (!params.timestamp) return taobaoErrorResponse(30, 'Missing timestamp');
  if (!TIMESTAMP.test(params.timestamp)) return taobaoErrorResponse(31, 'Invalid timestamp');
  if (!params.v) return taobaoErrorResponse(32, 'Missing version');
  if (params.v !== '2.0') return taobaoErrorResponse(34, 'Unsupported version');
  if (!params.sign) return taobaoErrorResponse(24, 'Missing signature');
  const signMethod = params.sign_method ?? 'md5';
  if (signMethod !== 'md5' && signMethod !== 'hmac') return taobaoErrorResponse(41, 'Invalid arguments:sign_method');
  const expected = signMethod === 'hmac' ? signHmacMd5(params, options.appSecret) : signMd5(params, options.appSecret);
  if (params.sign !== expected) return taobaoErrorResponse(25, 'Invalid signature');
  return null;
}

export async function startFakeTaobao(options: FakeTaobaoOptions): Promise<FakeGateway> {
  const items = typeof options.items === 'number' ? Array.from({ length: options.items }, (_, i) => taobaoMapData(i)) : options.items;
  return startFakeGateway((params, requestNo): FakeReply => {
    if (failsNow(options.failFirst, 'http_500', requestNo)) return HTTP_500;
    const rejected = topGatewayError(params, options, TAOBAO_MATERIAL_OPTIONAL);
    if (rejected) return ok(rejected);
    if (failsNow(options.failFirst, 'rate_limit', requestNo)) {
      return ok(taobaoErrorResponse(7, 'App Call Limited', 'accesscontrol.limited-by-app-access-count', 'This ban will last for 1 more seconds'));
    }
    if (!params.adzone_id) return ok(taobaoErrorResponse(40, 'Missing required arguments:adzone_id'));
    const pageNo = positiveInt(params.page_no, 1);
    const pageSize = positiveInt(params.page_size, options.pageSize ?? 20);
    if (pageNo === null || pageSize === null || pageSize > TAOBAO_MAX_PAGE_SIZE) {
      return ok(taobaoErrorResponse(41, 'Invalid arguments:page_size', 'isv.invalid-parameter', 'page_size取值范围1~100'));
    }
    return ok(taobaoMaterialOptionalResponse(pageOf(items, pageNo, pageSize), items.length));
  });
}

function ok(body: unknown): FakeReply {
  return { status: 200, body };
}
