import { asRecord, ConnectorError, shanghaiTimestamp, withRetry } from '../common.ts';
import { optionalText, positiveCount, rateBps, rejectItem, requiredText, shanghaiTimeIso, yuanAmount } from '../item-fields.ts';
import { fetchOf, retryPolicyOf } from '../paging.ts';
import { callTop, TAOBAO_GATEWAY_URL, topResponseBody, type TopSignMethod } from '../taobao.ts';
import type { LineStatus, OrderClient, OrderClientOptions, OrderRow, PolledOrders } from './model.ts';
import { readOrderRows } from './rows.ts';
import { timeWindows, type TimeWindow } from './windows.ts';

/**
 * Taobao Union orders, `taobao.tbk.order.details.get` (淘宝客-推广者-所有订单查询) on the TOP gateway:
 * one `publisher_order_dto` per 子订单 (trade_id) of a shopper's order (trade_parent_id).
 *
 * From the API's field table: alipay_total_price (付款金额, without freight) and pay_price
 * (结算金额, what was paid as of receipt) are yuan strings; tk_create_time / tk_paid_time /
 * tk_earning_time / modified_time are 'yyyy-MM-dd HH:mm:ss' Beijing time; total_commission_rate
 * (佣金比率) is percent; relation_id is the
 * 渠道关系 id of a registered channel, adzone_id the 推广位. query_type 4 queries by update time;
 * start_time..end_time span at most 3 hours (20 minutes during big sales: pass a shorter
 * windowMs then); page_no is 1..100, page_size 1..100, and every page after the first passes back
 * the position_index of the one before.
 *
 * The click id does not come back: publisher_order_dto has no field for the `external_id` our
 * links carry (none in the field table we read), so Taobao orders are attributed by sub id only.
 */
export const TAOBAO_ORDER_DETAILS = 'taobao.tbk.order.details.get';
export const TAOBAO_MAX_ORDER_WINDOW_MS = 3 * 60 * 60 * 1000;
export const TAOBAO_MAX_ORDER_PAGE_SIZE = 100;
export const TAOBAO_MAX_ORDER_PAGES = 100;
const QUERY_BY_UPDATE_TIME = '4';
const JUMP_FORWARD = '1';

/**
 * tk_status, ours beside it:
 *   11 拍下未付款      -> created
 *   12 付款           -> paid
 *   14 确认收货, 3 结算成功 -> completed
 *   13 失效 (closed: unpaid, cancelled, refunded before receipt, presale balance never paid) -> void
 *   anything else     -> rejected
 * A 维权 refund after receipt only sets refund_tag 1 without an amount; it is not read here.
 */
const TAOBAO_TK_STATUS: Record<string, LineStatus> = { '11': 'created', '12': 'paid', '14': 'completed', '3': 'completed', '13': 'void' };

export interface TaobaoOrderPage {
  items: readonly unknown[];
  hasNext: boolean;
  positionIndex: string | null;
}

/** The rows of one saved or live `taobao.tbk.order.details.get` answer; throws on `error_response`. */
export function readTaobaoOrderDetails(json: unknown): TaobaoOrderPage {
  const data = asRecord(topResponseBody(json, 'tbk_order_details_get_response').data);
  // TOP wraps arrays as { publisher_order_dto: [...] }; with simplify=true it sends the bare array.
  const list = Array.isArray(data.results) ? data.results : asRecord(data.results).publisher_order_dto;
  return {
    items: Array.isArray(list) ? list : [],
    hasNext: data.has_next === true,
    positionIndex: typeof data.position_index === 'string' && data.position_index !== '' ? data.position_index : null,
  };
}

export function parseTaobaoOrders(json: unknown): PolledOrders {
  return readOrderRows(readTaobaoOrderDetails(json).items, taobaoOrderRow, 'trade_parent_id');
}

function taobaoOrderRow(order: Record<string, unknown>): OrderRow {
  const orderId = requiredText(order.trade_parent_id, 'trade_parent_id');
  const rawStatus = requiredText(order.tk_status, 'tk_status');
  const status = TAOBAO_TK_STATUS[rawStatus] ?? rejectItem('tk_status', `unknown code ${rawStatus}`);
  const paidAmountMinor = yuanAmount(order.alipay_total_price, 'alipay_total_price');
  return {
    orderId,
    status,
    rawStatus,
    updatedAt: shanghaiTimeIso(order.modified_time, 'modified_time'),
    clickId: null,
    subId: taobaoSubId(order),
    line: {
      lineId: requiredText(order.trade_id, 'trade_id'),
      productId: requiredText(order.item_id, 'item_id'),
      quantity: positiveCount(order.item_num, 'item_num'),
      paidAmountMinor,
      refundedAmountMinor: status === 'completed' ? refundedBeforeReceipt(paidAmountMinor, order.pay_price) : 0,
      // 佣金比率 of the goods, in percent ("9.99"); tk_total_rate is what the promoter keeps of it.
      commissionRateBps: rateBps(order.total_commission_rate, 'total_commission_rate', 'percent'),
    },
  };
}

/**
 * The creator's id at Taobao: the 渠道关系 id when the order came through a registered channel
 * (Taobao's per-creator id), else the 推广位 id. Both are numbers; 0 means none.
 */
function taobaoSubId(order: Record<string, unknown>): string | null {
  const present = (value: unknown, field: string) => {
    const text = optionalText(value, field);
    return text === '0' ? null : text;
  };
  return present(order.relation_id, 'relation_id') ?? present(order.adzone_id, 'adzone_id');
}

/**
 * Once received, pay_price is what the shopper finally paid for the line (联盟以商家实收货款进行佣金结算);
 * less than alipay_total_price means part was refunded during the sale.
 */
function refundedBeforeReceipt(paidAmountMinor: number, payPrice: unknown): number {
  if (payPrice === undefined || payPrice === null || payPrice === '') return 0;
  return Math.max(0, paidAmountMinor - yuanAmount(payPrice, 'pay_price'));
}

export interface TaobaoOrderClientOptions extends OrderClientOptions {
  signMethod?: TopSignMethod;
  /** order_scene: 1 all orders (the default), 2 渠道 (channel) orders, 3 会员运营 orders. */
  orderScene?: 1 | 2 | 3;
}

export function taobaoOrderClient(options: TaobaoOrderClientOptions): OrderClient {
  const fetch = fetchOf(options);
  const retry = retryPolicyOf(options);
  const baseUrl = options.baseUrl ?? TAOBAO_GATEWAY_URL;
  const pageSize = Math.min(options.pageSize ?? TAOBAO_MAX_ORDER_PAGE_SIZE, TAOBAO_MAX_ORDER_PAGE_SIZE);
  const windowMs = Math.min(options.windowMs ?? TAOBAO_MAX_ORDER_WINDOW_MS, TAOBAO_MAX_ORDER_WINDOW_MS);
  const signMethod = options.signMethod ?? 'md5';

  const fetchPage = (window: TimeWindow, pageNo: number, positionIndex: string | null) =>
    withRetry(async () => {
      const params: Record<string, string> = {
        query_type: QUERY_BY_UPDATE_TIME,
        start_time: shanghaiTimestamp(window.start),
        end_time: shanghaiTimestamp(window.end),
        page_no: String(pageNo),
        page_size: String(pageSize),
      };
      if (positionIndex !== null) Object.assign(params, { position_index: positionIndex, jump_type: JUMP_FORWARD });
      if (options.orderScene) params.order_scene = String(options.orderScene);
      return readTaobaoOrderDetails(await callTop({ appKey: options.appKey, appSecret: options.appSecret, signMethod, baseUrl, fetch }, TAOBAO_ORDER_DETAILS, params));
    }, retry);

  async function* pagesOf(window: TimeWindow): AsyncGenerator<TaobaoOrderPage> {
    let page = await fetchPage(window, 1, null);
    yield page;
    for (let pageNo = 2; page.hasNext; pageNo++) {
      if (pageNo > TAOBAO_MAX_ORDER_PAGES) {
        // Reading on is impossible and stopping would lose orders: the caller must poll shorter windows.
        throw new ConnectorError('taobao', 'too_many_pages', `more than ${TAOBAO_MAX_ORDER_PAGES} pages in ${window.start.toISOString()}..${window.end.toISOString()}: poll with a shorter windowMs`, 'invalid_request');
      }
      page = await fetchPage(window, pageNo, page.positionIndex);
      yield page;
    }
  }

  return {
    async *orders(range) {
      for (const window of timeWindows(range, windowMs)) {
        for await (const page of pagesOf(window)) {
          const read = readOrderRows(page.items, taobaoOrderRow, 'trade_parent_id');
          if (read.orders.length > 0 || read.rejected.length > 0) yield read;
        }
      }
    },
  };
}
