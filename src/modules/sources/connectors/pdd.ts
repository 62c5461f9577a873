import type { CouponInput, ParsedRow, ProductInput } from '../../pool/model.ts';
import { ConnectorError, isRecord, postForm, signMd5, withRetry, type ConnectorErrorKind, type RetryPolicy } from './common.ts';
import {
  absoluteUrl,
  fenAmount,
  optionalCount,
  optionalText,
  parseItems,
  rateBps,
  requiredText,
  textList,
  unixTimeIso,
} from './item-fields.ts';
import { DEFAULT_MAX_PAGES, fetchOf, pageThrough, retryPolicyOf, totalOf, type ConnectorClientOptions, type ConnectorQuery, type PageOfItems } from './paging.ts';

/**
 * Pinduoduo 多多进宝, `pdd.ddk.goods.search` (多多进宝商品查询) on the PDD open-platform router.
 *
 * Units, from the API's field table:
 *   min_group_price, min_normal_price, coupon_discount, coupon_min_order_amount — 单位为分 (fen)
 *   promotion_rate — 佣金比例，千分比 (per mille: 125 = 12.5% = 1250 bps)
 *   coupon_start_time, coupon_end_time — UNIX时间戳 (seconds)
 *   sales_tip — 已售卖件数, a display string such as "10万+"
 */
export const PDD_ROUTER_URL = 'https://gw-api.pinduoduo.com/api/router';
export const PDD_GOODS_SEARCH = 'pdd.ddk.goods.search';
/** 生成多多进宝推广链接: a promotion URL for one promoter (p_id) carrying our custom_parameters. */
export const PDD_PROMOTION_URL_GENERATE = 'pdd.ddk.goods.promotion.url.generate';
/** custom_parameters is documented as at most 64 bytes. */
export const PDD_CUSTOM_PARAMETERS_MAX_BYTES = 64;
/** The API's documented page_size range is 10..100, default 100. */
export const PDD_MAX_PAGE_SIZE = 100;

/**
 * error_code values seen on the router: 20004 签名验证失败, 10016 client下线或者clientId不正确,
 * 10019 access_token已过期; 100xx are public-parameter errors. The rate-limit codes (52101–52103,
 * 70031) come from developer reports rather than a page we could read: treat them as best known.
 */
const PDD_AUTH = new Set(['10016', '10019', '20004']);
const PDD_RATE_LIMITED = new Set(['52101', '52102', '52103', '70031']);

function pddErrorKind(code: string): ConnectorErrorKind {
  if (PDD_AUTH.has(code)) return 'auth';
  if (PDD_RATE_LIMITED.has(code)) return 'rate_limited';
  if (/^100\d\d$/.test(code)) return 'invalid_request';
  return 'platform';
}

export interface PddGoodsSearchPage extends PageOfItems {
  /** Must be passed back on the next page so PDD pages through the same result list. */
  listId: string | null;
}

/** The body under `key` of a PDD router answer; throws PDD's `error_response` as a ConnectorError. */
export function pddResponseBody(json: unknown, key: string): Record<string, unknown> {
  if (!isRecord(json)) throw new ConnectorError('pdd', 'bad_json', 'response is not a JSON object', 'bad_response');
  if (isRecord(json.error_response)) throw pddError(json.error_response);
  const body = json[key];
  if (!isRecord(body)) throw new ConnectorError('pdd', 'bad_json', `no ${key} in the response`, 'bad_response');
  return body;
}

/** The goods of one saved or live `pdd.ddk.goods.search` answer; throws on `error_response`. */
export function readPddGoodsSearch(json: unknown): PddGoodsSearchPage {
  const body = pddResponseBody(json, 'goods_search_response');
  if (!Array.isArray(body.goods_list)) {
    throw new ConnectorError('pdd', 'bad_json', 'no goods_search_response.goods_list in the response', 'bad_response');
  }
  return {
    items: body.goods_list,
    totalCount: totalOf(body.total_count),
    listId: typeof body.list_id === 'string' && body.list_id !== '' ? body.list_id : null,
  };
}

/**
 * The URL to send a shopper to from one `pdd.ddk.goods.promotion.url.generate` answer: the
 * mobile URL (a shopper follows a creator's link on a phone; PDD opens its app from it, or the
 * mobile site), else the plain one.
 */
export function readPddPromotionUrl(json: unknown): string {
  const body = pddResponseBody(json, 'goods_promotion_url_generate_response');
  const first = Array.isArray(body.goods_promotion_url_list) ? body.goods_promotion_url_list[0] : undefined;
  const url = isRecord(first) ? [first.mobile_url, first.url].find((u) => typeof u === 'string' && /^https?:\/\//.test(u)) : undefined;
  if (typeof url !== 'string') throw new ConnectorError('pdd', 'bad_json', 'no goods_promotion_url_list[0].mobile_url or url in the response', 'bad_response');
  return url;
}

function pddError(error: Record<string, unknown>): ConnectorError {
  const code = String(error.error_code ?? error.sub_code ?? 'unknown');
  const message = textList(error.error_msg, error.sub_msg).join(' — ') || 'error_response without a message';
  return new ConnectorError('pdd', code, message, pddErrorKind(code));
}

export function parsePddGoodsSearch(json: unknown): ParsedRow[] {
  return parseItems(readPddGoodsSearch(json).items, pddGoodsToProduct);
}

function pddGoodsToProduct(goods: Record<string, unknown>): ProductInput {
  return {
    // goods_sign replaced goods_id as the public id of a DDK product.
    sourceProductId: requiredText(goods.goods_sign, 'goods_sign'),
    title: requiredText(goods.goods_name, 'goods_name'),
    brand: optionalText(goods.brand_name, 'brand_name'),
    categoryPath: textList(goods.category_name),
    images: textList(goods.goods_image_url, goods.goods_gallery_urls).map(absoluteUrl),
    // The group price (拼团价) is what a shopper pays on PDD and what DDK commission is paid on.
    priceMinor: fenAmount(goods.min_group_price, 'min_group_price'),
    currency: 'CNY',
    coupon: pddCoupon(goods),
    commissionRateBps: rateBps(goods.promotion_rate, 'promotion_rate', 'per_mille'),
    sales30d: optionalCount(goods.sales_tip, 'sales_tip'),
    shopName: optionalText(goods.mall_name, 'mall_name'),
    // desc_txt / serv_txt / lgst_txt are 高/中/低 relative to peers, not a rating on a 0–5 scale.
    shopScore: null,
    // A DDK link must be generated per promoter (pdd.ddk.goods.promotion.url.generate).
    productUrl: null,
    online: true,
  };
}

function pddCoupon(goods: Record<string, unknown>): CouponInput | null {
  if (goods.has_coupon !== true) return null;
  const amountMinor = fenAmount(goods.coupon_discount, 'coupon_discount');
  if (amountMinor === 0) return null;
  const threshold = goods.coupon_min_order_amount;
  return {
    amountMinor,
    thresholdMinor: threshold === undefined || threshold === null ? 0 : fenAmount(threshold, 'coupon_min_order_amount'),
    startsAt: unixTimeIso(goods.coupon_start_time, 'coupon_start_time', 'seconds'),
    endsAt: unixTimeIso(goods.coupon_end_time, 'coupon_end_time', 'seconds'),
  };
}

export interface PddClientOptions extends ConnectorClientOptions {
  /** 推广位 id, sent as `pid` when given. */
  pid?: string;
}

export interface PddPromotionUrlRequest {
  /** The 推广位 the order will be credited to. */
  pid: string;
  goodsSign: string;
  /** Given back on every order bought through the URL (the JSON `{"uid","sid"}` PDD asks for). */
  customParameters: string;
  timeoutMs?: number;
}

export class PddClient {
  private readonly fetch: typeof fetch;
  private readonly retry: RetryPolicy;
  private readonly baseUrl: string;
  private readonly pageSize: number;

  constructor(private readonly options: PddClientOptions) {
    this.fetch = fetchOf(options);
    this.retry = retryPolicyOf(options);
    this.baseUrl = options.baseUrl ?? PDD_ROUTER_URL;
    this.pageSize = Math.min(options.pageSize ?? PDD_MAX_PAGE_SIZE, PDD_MAX_PAGE_SIZE);
  }

  async *pages(query: ConnectorQuery = {}): AsyncGenerator<ParsedRow[]> {
    yield* pageThrough<PddGoodsSearchPage>(
      (pageNo, previous) => withRetry(() => this.fetchPage(query, pageNo, previous?.listId ?? null), this.retry),
      pddGoodsToProduct,
      query.maxPages ?? DEFAULT_MAX_PAGES,
    );
  }

  /**
   * One promotion URL, generated per click so the order PDD reports carries that click's id back.
   * No retries: a shopper is waiting on the answer.
   */
  async promotionUrl(request: PddPromotionUrlRequest): Promise<string> {
    if (Buffer.byteLength(request.customParameters) > PDD_CUSTOM_PARAMETERS_MAX_BYTES) {
      throw new ConnectorError('pdd', 'custom_parameters_too_long', `custom_parameters is at most ${PDD_CUSTOM_PARAMETERS_MAX_BYTES} bytes`, 'invalid_request');
    }
    const params: Record<string, string> = {
      type: PDD_PROMOTION_URL_GENERATE,
      client_id: this.options.appKey,
      timestamp: String(Math.floor(Date.now() / 1000)),
      data_type: 'JSON',
      p_id: request.pid,
      goods_sign_list: JSON.stringify([request.goodsSign]),
      custom_parameters: request.customParameters,
    };
    const signed = { ...params, sign: signMd5(params, this.options.appSecret) };
    return readPddPromotionUrl(await postForm(this.fetch, this.baseUrl, signed, 'pdd', request.timeoutMs));
  }

  /** Signed afresh on every attempt: the timestamp is part of the signature. */
  private async fetchPage(query: ConnectorQuery, pageNo: number, listId: string | null): Promise<PddGoodsSearchPage> {
    const params: Record<string, string> = {
      type: PDD_GOODS_SEARCH,
      client_id: this.options.appKey,
      timestamp: String(Math.floor(Date.now() / 1000)),
      data_type: 'JSON',
      page: String(pageNo),
      page_size: String(this.pageSize),
    };
    if (query.keyword) params.keyword = query.keyword;
    if (listId) params.list_id = listId;
    if (this.options.pid) params.pid = this.options.pid;
    const signed = { ...params, sign: signMd5(params, this.options.appSecret) };
    return readPddGoodsSearch(await postForm(this.fetch, this.baseUrl, signed, 'pdd'));
  }
}
