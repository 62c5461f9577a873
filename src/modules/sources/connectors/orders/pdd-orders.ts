import { clickIdFromCustomParameters } from '../../../links/rules.ts';
import { ConnectorError, postForm, signMd5, withRetry } from '../common.ts';
import { fenAmount, optionalText, positiveCount, rateBps, rejectItem, requiredText, unixTimeIso } from '../item-fields.ts';
import { fetchOf, retryPolicyOf, totalOf } from '../paging.ts';
import { PDD_ROUTER_URL, pddResponseBody } from '../pdd.ts';
import type { LineStatus, OrderClient, OrderClientOptions, OrderRow, PolledOrders } from './model.ts';
import { readOrderRows } from './rows.ts';
import { timeWindows, type TimeWindow } from './windows.ts';

/**
 * Pinduoduo 多多进宝 orders, `pdd.ddk.order.list.increment.get` (最后更新时间段增量同步推广订单信息).
 *
 * From the API's field table: one order_sn is one goods (goods_id / goods_sign, goods_quantity);
 * goods_price and order_amount (实际支付金额) are in fen, promotion_rate per mille,
 * order_create_time / order_pay_time / order_receive_time / order_modify_at Unix seconds;
 * custom_parameters gives back what the promotion URL carried, p_id the 推广位.
 * A window (start_update_time..end_update_time) may span at most 24 hours; page_size is 10..100
 * ("建议使用40~50"); page is 1..10000.
 */
export const PDD_ORDER_LIST_INCREMENT = 'pdd.ddk.order.list.increment.get';
export const PDD_MAX_ORDER_WINDOW_MS = 24 * 60 * 60 * 1000;
export const PDD_ORDER_PAGE_SIZE = { min: 10, max: 100, default: 50 } as const;

/**
 * order_status, ours beside it (null: the row is skipped):
 *   -1 未支付                     -> created
 *    0 已支付, 1 已成团            -> paid    (a group-buy order ships once the group is formed)
 *    2 确认收货, 3 审核成功, 5 已经结算 -> completed (3 and 5 are PDD's own commission steps after receipt)
 *    4 审核失败（不可提现）, 10 已处罚 -> void: cancelled, or the line refunded beside live ones.
 *      PDD does not say whether money went back to the shopper, only that no commission is paid.
 *    8 非多多进宝商品（无佣金订单）   -> skipped: not a DDK order, nothing to attribute or pay.
 */
const PDD_ORDER_STATUS: Record<string, LineStatus | null> = {
  '-1': 'created',
  '0': 'paid',
  '1': 'paid',
  '2': 'completed',
  '3': 'completed',
  '5': 'completed',
  '4': 'void',
  '10': 'void',
  '8': null,
};

export interface PddOrderPage {
  items: readonly unknown[];
  /** total_count of the whole window; null when asked with return_count=false. */
  totalCount: number | null;
}

/** The rows of one saved or live `pdd.ddk.order.list.increment.get` answer; throws on `error_response`. */
export function readPddOrderList(json: unknown): PddOrderPage {
  const body = pddResponseBody(json, 'order_list_get_response');
  if (!Array.isArray(body.order_list)) {
    throw new ConnectorError('pdd', 'bad_json', 'no order_list_get_response.order_list in the response', 'bad_response');
  }
  return { items: body.order_list, totalCount: totalOf(body.total_count) };
}

export function parsePddOrders(json: unknown): PolledOrders {
  return readOrderRows(readPddOrderList(json).items, pddOrderRow, 'order_sn');
}

function pddOrderRow(order: Record<string, unknown>): OrderRow {
  const orderId = requiredText(order.order_sn, 'order_sn');
  const rawStatus = requiredText(order.order_status, 'order_status');
  const status = PDD_ORDER_STATUS[rawStatus];
  if (status === undefined) rejectItem('order_status', `unknown code ${rawStatus}`);
  if (status === null) rejectItem('order_status', `${rawStatus} (非多多进宝商品, no commission): skipped`);
  const customParameters = optionalText(order.custom_parameters, 'custom_parameters');
  return {
    orderId,
    status,
    rawStatus,
    updatedAt: unixTimeIso(order.order_modify_at, 'order_modify_at', 'seconds') ?? rejectItem('order_modify_at', 'missing'),
    clickId: customParameters === null ? null : clickIdFromCustomParameters(customParameters),
    subId: optionalText(order.p_id, 'p_id'),
    line: {
      // One goods per order_sn, so the order number is also the line's.
      lineId: orderId,
      // goods_sign is the product id of the DDK goods APIs (and of our pool); older answers carry goods_id only.
      productId: optionalText(order.goods_sign, 'goods_sign') ?? requiredText(order.goods_id, 'goods_id'),
      quantity: positiveCount(order.goods_quantity, 'goods_quantity'),
      paidAmountMinor: fenAmount(order.order_amount, 'order_amount'),
      refundedAmountMinor: 0,
      commissionRateBps: rateBps(order.promotion_rate, 'promotion_rate', 'per_mille'),
    },
  };
}

export function pddOrderClient(options: OrderClientOptions): OrderClient {
  const fetch = fetchOf(options);
  const retry = retryPolicyOf(options);
  const baseUrl = options.baseUrl ?? PDD_ROUTER_URL;
  const pageSize = Math.max(PDD_ORDER_PAGE_SIZE.min, Math.min(options.pageSize ?? PDD_ORDER_PAGE_SIZE.default, PDD_ORDER_PAGE_SIZE.max));
  const windowMs = Math.min(options.windowMs ?? PDD_MAX_ORDER_WINDOW_MS, PDD_MAX_ORDER_WINDOW_MS);

  /** Signed afresh on every attempt: the timestamp is part of the signature. */
  const fetchPage = (window: TimeWindow, page: number) =>
    withRetry(async () => {
      const params: Record<string, string> = {
        type: PDD_ORDER_LIST_INCREMENT,
        client_id: options.appKey,
        timestamp: String(Math.floor(Date.now() / 1000)),
        data_type: 'JSON',
        start_update_time: String(Math.floor(window.start.getTime() / 1000)),
        end_update_time: String(Math.floor(window.end.getTime() / 1000)),
        page: String(page),
        page_size: String(pageSize),
        return_count: 'true',
      };
      const signed = { ...params, sign: signMd5(params, options.appSecret) };
      return readPddOrderList(await postForm(fetch, baseUrl, signed, 'pdd'));
    }, retry);

  /**
   * PDD: "使用最后更新时间范围增量同步时，必须采用倒序的分页方式（从最后一页往回取）才能避免漏单问题".
   * An order updated while we page leaves the window and the rows behind it move up a place;
   * read from the last page back, a row can only move onto a page still to be read. So page 1 is
   * read first for the count, and again last when there is more than one page.
   */
  async function* pagesOf(window: TimeWindow): AsyncGenerator<PddOrderPage> {
    const first = await fetchPage(window, 1);
    if (first.totalCount === null && first.items.length >= pageSize) {
      throw new ConnectorError('pdd', 'bad_json', 'a full page without total_count although return_count was asked for', 'bad_response');
    }
    const lastPage = Math.ceil((first.totalCount ?? first.items.length) / pageSize);
    if (lastPage <= 1) {
      yield first;
      return;
    }
    for (let page = lastPage; page >= 1; page--) yield await fetchPage(window, page);
  }

  return {
    async *orders(range) {
      for (const window of timeWindows(range, windowMs)) {
        for await (const page of pagesOf(window)) {
          const read = readOrderRows(page.items, pddOrderRow, 'order_sn');
          if (read.orders.length > 0 || read.rejected.length > 0) yield read;
        }
      }
    },
  };
}
