import type { CouponInput, ParsedRow, ProductInput } from '../../pool/model.ts';
import {
  asRecord,
  ConnectorError,
  isRecord,
  postForm,
  ratingHundredths,
  shanghaiDateTimeToIso,
  shanghaiTimestamp,
  signHmacMd5,
  signMd5,
  withRetry,
  type ConnectorErrorKind,
  type RetryPolicy,
} from './common.ts';
import {
  absoluteUrl,
  optionalCount,
  optionalText,
  parseItems,
  rateBps,
  rejectItem,
  requiredText,
  textList,
  yuanAmount,
} from './item-fields.ts';
import { DEFAULT_MAX_PAGES, fetchOf, pageThrough, retryPolicyOf, totalOf, type ConnectorClientOptions, type ConnectorQuery, type PageOfItems } from './paging.ts';

/**
 * Taobao Union 淘宝联盟, `taobao.tbk.dg.material.optional` (通用物料搜索API) on the TOP gateway.
 *
 * Units, from the API's field table (MapData):
 *   zk_final_price (折扣价), reserve_price (一口价), coupon_amount, coupon_start_fee (满X元可用)
 *     — yuan, as strings ("59.90")
 *   commission_rate — 佣金比率, "1550表示15.5%": hundredths of a percent, i.e. already bps.
 *     (The optimus material APIs send the same field name in percent, "9.0"; not this one.)
 *   coupon_start_time / coupon_end_time — dates ("2019-06-07", Beijing time) in saved answers,
 *     millisecond timestamps in some newer ones; both are read.
 *   shop_dsr — 店铺dsr评分 in ten-thousandths of a point (48230 = 4.823)
 *   volume — 30天销量
 */
export const TAOBAO_GATEWAY_URL = 'https://eco.taobao.com/router/rest';
export const TAOBAO_MATERIAL_OPTIONAL = 'taobao.tbk.dg.material.optional';
/** page_size: 页大小，默认20，1~100. */
export const TAOBAO_MAX_PAGE_SIZE = 100;

/**
 * TOP system error codes: 7 App Call Limited, 8 App Call Exceeds Limited Frequency, 10 Service
 * Currently Unavailable; 11 insufficient ISV permissions, 24/25 missing/invalid signature, 26/27
 * session, 28/29 missing/invalid app key; 21–23, 30–34, 40–43 method, format, timestamp, version
 * and argument errors. Code 15 (Remote Service Error) carries a sub_code: `isp.*` is the
 * platform's side (retry), `isv.*` the caller's.
 */
const TOP_RATE_LIMITED = new Set(['7', '8']);
/**
 * Alimama's account-wide throttle, from taobao.tbk.order.details.get's 错误码表: 9100 (about 40 API
 * calls a second per account) and 3000 (throttled until the next day); 3001 is 系统繁忙.
 */
const TBK_RATE_LIMITED = new Set(['9100', '3000']);
const TOP_AUTH = new Set(['11', '24', '25', '26', '27', '28', '29']);
const TOP_INVALID = new Set(['21', '22', '23', '30', '31', '32', '33', '34', '40', '41', '42', '43']);

function topErrorKind(code: string, subCode: string): ConnectorErrorKind {
  if (TOP_RATE_LIMITED.has(code) || TBK_RATE_LIMITED.has(subCode)) return 'rate_limited';
  if (code === '10' || subCode === '3001' || subCode.startsWith('isp.')) return 'unavailable';
  if (TOP_AUTH.has(code)) return 'auth';
  if (TOP_INVALID.has(code) || subCode.startsWith('isv.')) return 'invalid_request';
  return 'platform';
}

/** The body under `key` of a TOP answer; throws TOP's `error_response` as a ConnectorError. */
export function topResponseBody(json: unknown, key: string): Record<string, unknown> {
  if (!isRecord(json)) throw new ConnectorError('taobao', 'bad_json', 'response is not a JSON object', 'bad_response');
  if (isRecord(json.error_response)) throw topError(json.error_response);
  const body = json[key];
  if (!isRecord(body)) throw new ConnectorError('taobao', 'bad_json', `no ${key} in the response`, 'bad_response');
  return body;
}

/** The items of one saved or live `taobao.tbk.dg.material.optional` answer; throws on `error_response`. */
export function readTaobaoMaterialOptional(json: unknown): PageOfItems {
  const body = topResponseBody(json, 'tbk_dg_material_optional_response');
  // TOP wraps arrays as { map_data: [...] }; with simplify=true it sends the bare array.
  const list = Array.isArray(body.result_list) ? body.result_list : asRecord(body.result_list).map_data;
  const items = Array.isArray(list) ? list : [];
  return { items, totalCount: totalOf(body.total_results) };
}

function topError(error: Record<string, unknown>): ConnectorError {
  const code = String(error.code ?? 'unknown');
  const subCode = typeof error.sub_code === 'string' || typeof error.sub_code === 'number' ? String(error.sub_code) : '';
  const message = textList(error.msg, subCode, error.sub_msg).join(' — ') || 'error_response without a message';
  return new ConnectorError('taobao', code, message, topErrorKind(code, subCode));
}

export function parseTaobaoMaterialOptional(json: unknown): ParsedRow[] {
  return parseItems(readTaobaoMaterialOptional(json).items, taobaoItemToProduct);
}

/**
 * Where a shopper is sent: the 推广链接 made for the request's adzone, not the plain item page,
 * which credits no one. coupon_share_url (券二合一: the coupon and the item in one) first, else url,
 * else item_url; Taobao writes them without a scheme (`//s.click.taobao.com/…`).
 */
function promotedUrlOf(item: Record<string, unknown>): string | null {
  const url = [item.coupon_share_url, item.url, item.item_url].find((u) => typeof u === 'string' && u !== '');
  return typeof url === 'string' ? absoluteUrl(url) : null;
}

function taobaoItemToProduct(item: Record<string, unknown>): ProductInput {
  const smallImages = Array.isArray(item.small_images) ? item.small_images : asRecord(item.small_images).string;
  return {
    sourceProductId: requiredText(item.item_id, 'item_id'),
    title: requiredText(item.title, 'title'),
    brand: null,
    categoryPath: textList(item.level_one_category_name, item.category_name),
    images: textList(item.pict_url, smallImages).map(absoluteUrl),
    // 折扣价: what a shopper pays before a coupon; reserve_price is the struck-through 一口价.
    priceMinor: yuanAmount(item.zk_final_price, 'zk_final_price'),
    currency: 'CNY',
    coupon: taobaoCoupon(item),
    commissionRateBps: rateBps(item.commission_rate, 'commission_rate', 'hundredths_of_percent'),
    sales30d: optionalCount(item.volume, 'volume'),
    shopName: optionalText(item.shop_title, 'shop_title'),
    shopScore: taobaoShopScore(item.shop_dsr),
    productUrl: promotedUrlOf(item),
    online: true,
  };
}

function taobaoCoupon(item: Record<string, unknown>): CouponInput | null {
  const amount = item.coupon_amount;
  if (amount === undefined || amount === null || amount === '') return null;
  const amountMinor = yuanAmount(amount, 'coupon_amount');
  if (amountMinor === 0) return null;
  const threshold = item.coupon_start_fee;
  return {
    amountMinor,
    thresholdMinor: threshold === undefined || threshold === null || threshold === '' ? 0 : yuanAmount(threshold, 'coupon_start_fee'),
    startsAt: couponTime(item.coupon_start_time, 'coupon_start_time', 'start'),
    endsAt: couponTime(item.coupon_end_time, 'coupon_end_time', 'end'),
  };
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** An end *date* means the coupon is good through that whole Beijing day: it ends at the next midnight. */
function couponTime(value: unknown, field: string, edge: 'start' | 'end'): string | null {
  if (value === undefined || value === null || value === '') return null;
  const text = String(value).trim();
  if (/^\d{13}$/.test(text)) return new Date(Number(text)).toISOString();
  const iso = shanghaiDateTimeToIso(text);
  if (iso === null) rejectItem(field, `not a date: ${text}`);
  const dateOnly = text.length === 10;
  return edge === 'end' && dateOnly ? new Date(Date.parse(iso) + DAY_MS).toISOString() : iso;
}

/** shop_dsr 48230 -> 482; 0 (no rating yet) or anything else unreadable is unknown. */
function taobaoShopScore(dsr: unknown): number | null {
  const n = typeof dsr === 'string' && /^\d+$/.test(dsr) ? Number(dsr) : dsr;
  return typeof n === 'number' && n > 0 ? ratingHundredths(n) : null;
}

export type TopSignMethod = 'md5' | 'hmac';

export interface TopCall {
  appKey: string;
  appSecret: string;
  signMethod?: TopSignMethod;
  /** The gateway (TAOBAO_GATEWAY_URL unless a sandbox or a fake). */
  baseUrl?: string;
  fetch: typeof fetch;
}

/**
 * One signed call of a TOP method with its business parameters (`session`: a user's access
 * token, for the methods that act for them); the answer as JSON, read with `topResponseBody`.
 */
export async function callTop(call: TopCall, method: string, business: Record<string, string>): Promise<unknown> {
  const signMethod = call.signMethod ?? 'md5';
  const params: Record<string, string> = { method, app_key: call.appKey, timestamp: shanghaiTimestamp(), format: 'json', v: '2.0', sign_method: signMethod, ...business };
  const sign = signMethod === 'hmac' ? signHmacMd5(params, call.appSecret) : signMd5(params, call.appSecret);
  return postForm(call.fetch, call.baseUrl ?? TAOBAO_GATEWAY_URL, { ...params, sign }, 'taobao');
}

export interface TaobaoClientOptions extends ConnectorClientOptions {
  /** 推广位 id, the third part of mm_xxx_xxx_xxx: required by the API. */
  adzoneId?: string;
  signMethod?: TopSignMethod;
}

export class TaobaoClient {
  private readonly fetch: typeof fetch;
  private readonly retry: RetryPolicy;
  private readonly baseUrl: string;
  private readonly pageSize: number;

  constructor(private readonly options: TaobaoClientOptions) {
    this.fetch = fetchOf(options);
    this.retry = retryPolicyOf(options);
    this.baseUrl = options.baseUrl ?? TAOBAO_GATEWAY_URL;
    this.pageSize = Math.min(options.pageSize ?? 20, TAOBAO_MAX_PAGE_SIZE);
  }

  async *pages(query: ConnectorQuery = {}): AsyncGenerator<ParsedRow[]> {
    yield* pageThrough(
      (pageNo) => withRetry(() => this.fetchPage(query, pageNo), this.retry),
      taobaoItemToProduct,
      query.maxPages ?? DEFAULT_MAX_PAGES,
    );
  }

  private async fetchPage(query: ConnectorQuery, pageNo: number): Promise<PageOfItems> {
    const params: Record<string, string> = { page_no: String(pageNo), page_size: String(this.pageSize) };
    if (query.keyword) params.q = query.keyword;
    if (this.options.adzoneId) params.adzone_id = this.options.adzoneId;
    const call = { appKey: this.options.appKey, appSecret: this.options.appSecret, signMethod: this.options.signMethod, baseUrl: this.baseUrl, fetch: this.fetch };
    return readTaobaoMaterialOptional(await callTop(call, TAOBAO_MATERIAL_OPTIONAL, params));
  }
}
