import { clickIdFromCustomParameters } from '../../../links/rules.ts';
import { postForm, shanghaiTimestamp, signMd5, withRetry } from '../common.ts';
import { optionalText, positiveCount, rateBps, rejectItem, requiredText, shanghaiTimeIso, yuanAmount } from '../item-fields.ts';
import { JD_ROUTER_URL, jdUnionResult } from '../jd.ts';
import { fetchOf, retryPolicyOf } from '../paging.ts';
import type { LineStatus, OrderClient, OrderClientOptions, OrderRow, PolledOrders } from './model.ts';
import { readOrderRows } from './rows.ts';
import { timeWindows, type TimeWindow } from './windows.ts';

/**
 * JD Union orders, `jd.union.open.order.row.query` (订单行查询): one row per SKU of an order.
 *
 * As with the goods query, `queryResult` is a JSON string, here `{ code: 200, data: [...], hasMore }`.
 * From the API's field table: estimateCosPrice (预估计佣金额: the SKU's share of what the shopper
 * paid, without freight and virtual-asset payments) and actualCosPrice are yuan as JSON numbers;
 * commissionRate / finalRate percent; orderTime / finishTime / modifyTime 'yyyy-MM-dd HH:mm:ss'
 * Beijing time; subUnionId is what the promotion link carried, positionId the 推广位.
 * orderReq.type 3 queries by update time; startTime..endTime span at most 1 hour; pageSize <= 500.
 */
export const JD_ORDER_ROW_QUERY = 'jd.union.open.order.row.query';
export const JD_MAX_ORDER_WINDOW_MS = 60 * 60 * 1000;
export const JD_MAX_ORDER_PAGE_SIZE = 500;
const QUERY_BY_UPDATE_TIME = 3;

/**
 * validCode (sku 维度的有效码), ours beside it:
 *   15 待付款, 24 已付定金 -> created (only a deposit is paid; JD reports 16 once the balance is)
 *   16 已付款             -> paid, or shipped when expressStatus is 20 (已发货)
 *   17 已完成, 18 已结算   -> completed (JD stopped writing 18 back; 17 with a payMonth is settleable)
 *   2 无效-拆单           -> skipped: the parent of a split order; its child orders carry the SKUs
 *   3 无效-取消, 4–9, 11, 13, 14, 19–23, 25–28 (无效-… / 违规订单-…) -> void
 *   -1 未知, anything else -> rejected, so a new code is seen rather than guessed
 */
const JD_VOID_CODES = new Set(['3', '4', '5', '6', '7', '8', '9', '11', '13', '14', '19', '20', '21', '22', '23', '25', '26', '27', '28']);
const JD_LIVE_CODES: Record<string, LineStatus> = { '15': 'created', '24': 'created', '16': 'paid', '17': 'completed', '18': 'completed' };
const JD_SPLIT_PARENT = '2';
const JD_SHIPPED = '20';

export interface JdOrderPage {
  items: readonly unknown[];
  hasMore: boolean;
}

/** The rows of one saved or live `jd.union.open.order.row.query` answer; throws on any error code. */
export function readJdOrderRows(json: unknown): JdOrderPage {
  const result = jdUnionResult(json, JD_ORDER_ROW_QUERY);
  return { items: Array.isArray(result.data) ? result.data : [], hasMore: result.hasMore === true };
}

export function parseJdOrders(json: unknown): PolledOrders {
  return readOrderRows(readJdOrderRows(json).items, jdOrderRow, 'orderId');
}

function jdOrderRow(row: Record<string, unknown>): OrderRow {
  const orderId = requiredText(row.orderId, 'orderId');
  const parentId = optionalText(row.parentId, 'parentId');
  const rawStatus = requiredText(row.validCode, 'validCode');
  const status = jdLineStatus(rawStatus, row.expressStatus);
  const skuId = requiredText(row.skuId, 'skuId');
  const quantity = positiveCount(row.skuNum, 'skuNum');
  const paidAmountMinor = yuanAmount(row.estimateCosPrice, 'estimateCosPrice');
  const positionId = optionalText(row.positionId, 'positionId');
  const subUnionId = optionalText(row.subUnionId, 'subUnionId');
  return {
    // The shopper's order: the parent when JD split it into child orders (parentId 0 when not).
    orderId: parentId !== null && parentId !== '0' ? parentId : orderId,
    status,
    rawStatus,
    updatedAt: shanghaiTimeIso(row.modifyTime, 'modifyTime'),
    // subUnionId carries our click id bare (letters, digits, underscore); anything else is someone else's tag.
    clickId: subUnionId === null ? null : clickIdFromCustomParameters(subUnionId),
    subId: positionId === '0' ? null : positionId,
    line: {
      // By SKU rather than by row id, so that a SKU first reported under the parent and then under a
      // child order stays one line instead of being counted twice.
      lineId: skuId,
      productId: skuId,
      quantity,
      paidAmountMinor,
      refundedAmountMinor: returnedShare(paidAmountMinor, returnedCount(row.skuReturnNum, quantity), quantity),
      // The advertiser's rate (佣金比例); finalRate is the promoter's share of it, not a rate on the price.
      commissionRateBps: rateBps(row.commissionRate, 'commissionRate', 'percent'),
    },
  };
}

function jdLineStatus(validCode: string, expressStatus: unknown): LineStatus {
  if (validCode === JD_SPLIT_PARENT) rejectItem('validCode', '2 (无效-拆单): split into child orders, which carry the SKUs: skipped');
  if (JD_VOID_CODES.has(validCode)) return 'void';
  const status = JD_LIVE_CODES[validCode] ?? rejectItem('validCode', `unknown code ${validCode}`);
  return status === 'paid' && String(expressStatus) === JD_SHIPPED ? 'shipped' : status;
}

function returnedCount(value: unknown, quantity: number): number {
  if (value === undefined || value === null || value === '' || value === 0 || value === '0') return 0;
  const returned = positiveCount(value, 'skuReturnNum');
  if (returned > quantity) rejectItem('skuReturnNum', `${returned} returned of ${quantity} bought`);
  return returned;
}

/**
 * The refunded part of a line from the count of returned units (skuReturnNum), pro rata and
 * rounded down, all of it when every unit came back. actualCosPrice is not used for refunds: it
 * moves both ways (freight-coupon corrections raise it, refunds and price protection lower it).
 */
function returnedShare(paidAmountMinor: number, returned: number, quantity: number): number {
  return returned === quantity ? paidAmountMinor : Math.floor((paidAmountMinor * returned) / quantity);
}

export interface JdOrderClientOptions extends OrderClientOptions {
  /** A tool provider's authorisation key of the promoter whose orders are read (orderReq.key). */
  key?: string;
}

export function jdOrderClient(options: JdOrderClientOptions): OrderClient {
  const fetch = fetchOf(options);
  const retry = retryPolicyOf(options);
  const baseUrl = options.baseUrl ?? JD_ROUTER_URL;
  const pageSize = Math.min(options.pageSize ?? 200, JD_MAX_ORDER_PAGE_SIZE);
  const windowMs = Math.min(options.windowMs ?? JD_MAX_ORDER_WINDOW_MS, JD_MAX_ORDER_WINDOW_MS);

  const fetchPage = (window: TimeWindow, pageIndex: number) =>
    withRetry(async () => {
      const orderReq = {
        pageIndex,
        pageSize,
        type: QUERY_BY_UPDATE_TIME,
        startTime: shanghaiTimestamp(window.start),
        endTime: shanghaiTimestamp(window.end),
        ...(options.key ? { key: options.key } : {}),
      };
      const params: Record<string, string> = {
        method: JD_ORDER_ROW_QUERY,
        app_key: options.appKey,
        timestamp: shanghaiTimestamp(),
        format: 'json',
        v: '1.0',
        sign_method: 'md5',
        '360buy_param_json': JSON.stringify({ orderReq }),
      };
      return readJdOrderRows(await postForm(fetch, baseUrl, { ...params, sign: signMd5(params, options.appSecret) }, 'jd'));
    }, retry);

  return {
    async *orders(range) {
      for (const window of timeWindows(range, windowMs)) {
        for (let pageIndex = 1, more = true; more; pageIndex++) {
          const page = await fetchPage(window, pageIndex);
          const read = readOrderRows(page.items, jdOrderRow, 'orderId');
          if (read.orders.length > 0 || read.rejected.length > 0) yield read;
          more = page.hasMore && page.items.length > 0;
        }
      }
    },
  };
}
