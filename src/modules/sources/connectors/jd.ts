import type { CouponInput, ParsedRow, ProductInput } from '../../pool/model.ts';
import {
  asRecord,
  ConnectorError,
  isRecord,
  parseDecimalScaled,
  postForm,
  ratingHundredths,
  shanghaiTimestamp,
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
  requiredText,
  textList,
  unixTimeIso,
  yuanAmount,
} from './item-fields.ts';
import { DEFAULT_MAX_PAGES, fetchOf, pageThrough, retryPolicyOf, totalOf, type ConnectorClientOptions, type ConnectorQuery, type PageOfItems } from './paging.ts';

/**
 * JD Union 京东联盟, `jd.union.open.goods.query` (关键词商品查询) on the JD open-platform router.
 *
 * The answer is `jd_union_open_goods_query_responce` — JD's own spelling — whose `queryResult` is
 * a JSON *string* holding `{ code: 200, message, data: [...], totalCount }`. Units, from the
 * API's field table and real answers (commission 9.95 on price 19.9 at commissionShare 50.0):
 *   priceInfo.price / lowestPrice, couponList[].discount / quota — yuan, as JSON numbers
 *   commissionInfo.commissionShare — percent (20.5 = 20.5% = 2050 bps)
 *   couponList[].useStartTime / useEndTime — milliseconds since the epoch
 *   shopInfo.shopLevel — shop rating on a 0–5 scale
 */
export const JD_ROUTER_URL = 'https://api.jd.com/routerjson';
export const JD_GOODS_QUERY = 'jd.union.open.goods.query';
/**
 * 社交媒体获取推广链接接口【申请】: a promotion link for one material (the goods' materialUrl) with a
 * subUnionId of ours, which `jd.union.open.order.row.query` gives back on every order row.
 */
export const JD_PROMOTION_BY_SUBUNIONID = 'jd.union.open.promotion.bysubunionid.get';
/** subUnionId: letters, digits and underscores, at most 80 characters. */
const JD_SUBUNIONID = /^[A-Za-z0-9_]{1,80}$/;
/** 每页数量，单页数最大30，默认20. */
export const JD_MAX_PAGE_SIZE = 30;

/**
 * Gateway codes from JD's 网关系统错误码 table: 2 App Call Limited; 11/12 missing/invalid
 * signature; 19 invalid access_token; 21 invalid app_key; 4/5/7/8/14/15 version, timestamp and
 * method errors. Inner `queryResult.code` values other than 200 are the union API's own.
 */
const JD_AUTH = new Set(['11', '12', '19', '21']);
const JD_INVALID = new Set(['4', '5', '7', '8', '14', '15']);

function jdGatewayErrorKind(code: string): ConnectorErrorKind {
  if (code === '2') return 'rate_limited';
  if (JD_AUTH.has(code)) return 'auth';
  if (JD_INVALID.has(code)) return 'invalid_request';
  return 'platform';
}

/**
 * The union API's own result inside a JD router answer for `method` (jd.union.open.goods.query ->
 * `jd_union_open_goods_query_responce`, JD's spelling); throws on any gateway or union error code.
 */
export function jdUnionResult(json: unknown, method: string): Record<string, unknown> {
  if (!isRecord(json)) throw new ConnectorError('jd', 'bad_json', 'response is not a JSON object', 'bad_response');
  if (isRecord(json.error_response)) throw jdGatewayError(json.error_response);
  const key = method.replaceAll('.', '_');
  // Older gateway versions answered `..._response` with `result`; saved files of both kinds exist.
  const envelope = json[`${key}_responce`] ?? json[`${key}_response`];
  if (!isRecord(envelope)) throw new ConnectorError('jd', 'bad_json', `no ${key}_responce in the response`, 'bad_response');
  const result = innerResult(envelope.queryResult ?? envelope.getResult ?? envelope.result);
  if (Number(result.code) !== 200) {
    const code = String(result.code ?? envelope.code ?? 'unknown');
    // 5xx is the union's own trouble; other codes (400s, seven-digit business codes) are about the request.
    const kind = Number(result.code) >= 500 && Number(result.code) < 600 ? 'unavailable' : 'invalid_request';
    throw new ConnectorError('jd', code, String(result.message ?? 'queryResult without a message'), kind);
  }
  return result;
}

/** The SKUs of one saved or live `jd.union.open.goods.query` answer; throws on any error code. */
export function readJdGoodsQuery(json: unknown): PageOfItems {
  const result = jdUnionResult(json, JD_GOODS_QUERY);
  const items = Array.isArray(result.data) ? result.data : [];
  return { items, totalCount: totalOf(result.totalCount) };
}

/**
 * The URL to send a shopper to from one `jd.union.open.promotion.bysubunionid.get` answer
 * (`getResult.data`): the long clickURL, which needs no further hop, else the u.jd.com shortURL.
 */
export function readJdPromotionUrl(json: unknown): string {
  const data = asRecord(jdUnionResult(json, JD_PROMOTION_BY_SUBUNIONID).data);
  const url = [data.clickURL, data.shortURL].find((u) => typeof u === 'string' && /^https?:\/\//.test(u));
  if (typeof url !== 'string') throw new ConnectorError('jd', 'bad_json', 'no getResult.data.clickURL or shortURL in the response', 'bad_response');
  return url;
}

export interface JdPromotionUrlRequest {
  /** The goods' materialUrl (JD takes a URL here, not a SKU id). */
  materialUrl: string;
  subUnionId: string;
  /** The 推广位 id, a number; left out when there is none. */
  positionId: string | null;
  timeoutMs?: number;
}

function innerResult(raw: unknown): Record<string, unknown> {
  if (isRecord(raw)) return raw;
  if (typeof raw === 'string') {
    try {
      const parsed: unknown = JSON.parse(raw);
      if (isRecord(parsed)) return parsed;
    } catch {
      // falls through to the error below, with the text that would not parse
    }
  }
  throw new ConnectorError('jd', 'bad_json', `queryResult is not a JSON object: ${String(raw).slice(0, 120)}`, 'bad_response');
}

function jdGatewayError(error: Record<string, unknown>): ConnectorError {
  const code = String(error.code ?? 'unknown');
  const message = textList(error.zh_desc, error.en_desc).join(' / ') || 'error_response without a message';
  return new ConnectorError('jd', code, message, jdGatewayErrorKind(code));
}

export function parseJdGoodsQuery(json: unknown): ParsedRow[] {
  return parseItems(readJdGoodsQuery(json).items, jdSkuToProduct);
}

function jdSkuToProduct(sku: Record<string, unknown>): ProductInput {
  const category = asRecord(sku.categoryInfo);
  const shop = asRecord(sku.shopInfo);
  const images = asRecord(sku.imageInfo).imageList;
  return {
    sourceProductId: requiredText(sku.skuId, 'skuId'),
    title: requiredText(sku.skuName, 'skuName'),
    brand: optionalText(sku.brandName, 'brandName'),
    categoryPath: textList(category.cid1Name, category.cid2Name, category.cid3Name),
    images: textList(Array.isArray(images) ? images.map((image) => asRecord(image).url) : []).map(absoluteUrl),
    priceMinor: yuanAmount(asRecord(sku.priceInfo).price, 'priceInfo.price'),
    currency: 'CNY',
    coupon: jdBestCoupon(asRecord(sku.couponInfo).couponList),
    commissionRateBps: rateBps(asRecord(sku.commissionInfo).commissionShare, 'commissionInfo.commissionShare', 'percent'),
    sales30d: optionalCount(sku.inOrderCount30Days, 'inOrderCount30Days'),
    shopName: optionalText(shop.shopName, 'shopInfo.shopName'),
    shopScore: jdShopScore(shop.shopLevel),
    productUrl: typeof sku.materialUrl === 'string' && sku.materialUrl !== '' ? absoluteUrl(sku.materialUrl) : null,
    // stockState (1 有货, 0 无货) is only sent when asked for; without it the SKU is on sale.
    online: sku.stockState !== 0,
  };
}

/** The coupon JD marks isBest = 1, else the first one listed. */
function jdBestCoupon(list: unknown): CouponInput | null {
  const coupons = Array.isArray(list) ? list.filter(isRecord) : [];
  const best = coupons.find((c) => Number(c.isBest) === 1) ?? coupons[0];
  if (!best) return null;
  const amountMinor = yuanAmount(best.discount, 'couponInfo.couponList[].discount');
  if (amountMinor === 0) return null;
  return {
    amountMinor,
    thresholdMinor: best.quota === undefined || best.quota === null ? 0 : yuanAmount(best.quota, 'couponInfo.couponList[].quota'),
    startsAt: unixTimeIso(best.useStartTime, 'couponInfo.couponList[].useStartTime', 'milliseconds'),
    endsAt: unixTimeIso(best.useEndTime, 'couponInfo.couponList[].useEndTime', 'milliseconds'),
  };
}

/** shopLevel 4.85 -> 485; a rating that is absent or not a 0–5 decimal is unknown, not an error. */
function jdShopScore(shopLevel: unknown): number | null {
  if (shopLevel === undefined || shopLevel === null || shopLevel === '') return null;
  try {
    return ratingHundredths(parseDecimalScaled(shopLevel, 4));
  } catch {
    return null;
  }
}

export class JdClient {
  private readonly fetch: typeof fetch;
  private readonly retry: RetryPolicy;
  private readonly baseUrl: string;
  private readonly pageSize: number;

  constructor(private readonly options: ConnectorClientOptions) {
    this.fetch = fetchOf(options);
    this.retry = retryPolicyOf(options);
    this.baseUrl = options.baseUrl ?? JD_ROUTER_URL;
    this.pageSize = Math.min(options.pageSize ?? 20, JD_MAX_PAGE_SIZE);
  }

  async *pages(query: ConnectorQuery = {}): AsyncGenerator<ParsedRow[]> {
    yield* pageThrough(
      (pageNo) => withRetry(() => this.fetchPage(query, pageNo), this.retry),
      jdSkuToProduct,
      query.maxPages ?? DEFAULT_MAX_PAGES,
    );
  }

  /** One promotion link, made per click so the order rows carry that click's id back. No retries: a shopper is waiting. */
  async promotionUrl(request: JdPromotionUrlRequest): Promise<string> {
    if (!JD_SUBUNIONID.test(request.subUnionId)) throw new ConnectorError('jd', 'invalid_subunionid', 'subUnionId is 1-80 letters, digits or underscores', 'invalid_request');
    const promotionCodeReq = {
      materialId: request.materialUrl,
      subUnionId: request.subUnionId,
      ...(request.positionId !== null && /^\d{1,18}$/.test(request.positionId) ? { positionId: Number(request.positionId) } : {}),
      chainType: 3, // the long link and the short one
    };
    const signed = this.signed(JD_PROMOTION_BY_SUBUNIONID, { promotionCodeReq });
    return readJdPromotionUrl(await postForm(this.fetch, this.baseUrl, signed, 'jd', request.timeoutMs));
  }

  /** Business parameters travel as one JSON string, `360buy_param_json`, which is signed too. */
  private signed(method: string, business: Record<string, unknown>): Record<string, string> {
    const params: Record<string, string> = {
      method,
      app_key: this.options.appKey,
      timestamp: shanghaiTimestamp(),
      format: 'json',
      v: '1.0',
      sign_method: 'md5',
      '360buy_param_json': JSON.stringify(business),
    };
    return { ...params, sign: signMd5(params, this.options.appSecret) };
  }

  private async fetchPage(query: ConnectorQuery, pageNo: number): Promise<PageOfItems> {
    const goodsReqDTO = { ...(query.keyword ? { keyword: query.keyword } : {}), pageIndex: pageNo, pageSize: this.pageSize, sceneId: 1 };
    const signed = this.signed(JD_GOODS_QUERY, { goodsReqDTO });
    return readJdGoodsQuery(await postForm(this.fetch, this.baseUrl, signed, 'jd'));
  }
}
