import { PDD_ORDER_LIST_INCREMENT, PDD_ORDER_PAGE_SIZE } from '../orders/pdd-orders.ts';
import { catalogEntry, digest, priceFenOf, titleOf } from './catalog.ts';
import { clickIdOf, orderUpdatedAtMs } from './orders.ts';
import { pddErrorResponse, pddRouterError } from './pdd-router.ts';
import { failsNow, HTTP_500, pageOf, positiveInt, startFakeGateway, type FailFirst, type FakeGateway, type FakeReply } from './server.ts';

/**
 * A fake of the PDD router answering `pdd.ddk.order.list.increment.get`: the router's signature
 * check, windows of at most 24 hours on order_modify_at, pages in update order, amounts in fen.
 */

const PDD_STATUS_DESC: Record<number, string> = { [-1]: '未支付', 0: '已支付', 1: '已成团', 2: '确认收货', 3: '审核成功', 4: '审核失败', 5: '已经结算', 8: '非多多进宝商品', 10: '已处罚' };

/** One entry of `order_list_get_response.order_list`, as PDD sends it. */
export function pddOrderItem(index: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const e = catalogEntry(index);
  const quantity = 1 + (index % 3);
  const amount = priceFenOf(index) * quantity;
  const id = digest(`pdd-${index}`);
  const modifiedS = orderUpdatedAtMs(index) / 1000;
  const createdS = modifiedS - 3600;
  const clickId = clickIdOf(index);
  const status = typeof overrides.order_status === 'number' ? overrides.order_status : 0;
  return {
    order_sn: `261124-${String(528_000_000_000_000 + index * 7919)}`,
    goods_id: 412_345_678_901 + index * 131,
    goods_sign: `E9${id.slice(0, 20)}_J${id.slice(20)}`,
    goods_name: titleOf(index),
    goods_thumbnail_url: `https://img.pddpic.com/mms-material-img/2026-11-18/${digest(`${id}-0`)}.thumb.jpeg`,
    goods_quantity: quantity,
    goods_price: priceFenOf(index),
    order_amount: amount,
    promotion_rate: e.ratePerMille,
    promotion_amount: Math.floor((amount * e.ratePerMille) / 1000),
    order_status: status,
    order_status_desc: PDD_STATUS_DESC[status] ?? '',
    order_create_time: createdS,
    order_pay_time: createdS + 40,
    order_group_success_time: createdS + 120,
    order_receive_time: 0,
    order_verify_time: 0,
    order_settle_time: 0,
    order_modify_at: modifiedS,
    custom_parameters: clickId ? `{"uid":"${digest(`visitor-${index}`).slice(0, 12)}","sid":"${clickId}"}` : '',
    p_id: '8888888_123456789',
    cpa_new: 0,
    type: 0,
    auth_duo_id: 0,
    batch_no: '',
    group_id: 1_000_000_000 + index,
    fail_reason: '',
    zs_duo_id: 0,
    price_compare_status: 0,
    ...overrides,
  };
}

export function pddOrderListResponse(orders: readonly unknown[], totalCount: number | null): Record<string, unknown> {
  return {
    order_list_get_response: {
      order_list: orders,
      ...(totalCount === null ? {} : { total_count: totalCount }),
      request_id: `req-${digest(String(totalCount)).slice(0, 16)}`,
    },
  };
}

export interface FakePddOrdersOptions {
  appKey: string;
  appSecret: string;
  orders: number | Record<string, unknown>[];
  failFirst?: FailFirst;
}

const MAX_WINDOW_S = 24 * 60 * 60;

/** `order_list_get_response` for the orders updated in the window asked for, a page of them in update order. */
export function answerPddOrderList(params: Record<string, string>, orders: readonly Record<string, unknown>[]): Record<string, unknown> {
  const start = positiveInt(params.start_update_time, 0);
  const end = positiveInt(params.end_update_time, 0);
  if (!start || !end) return pddErrorResponse(10000, '参数错误', 'start_update_time和end_update_time不能为空');
  if (end - start > MAX_WINDOW_S) return pddErrorResponse(10000, '参数错误', '查询时间段不能超过24小时');
  const page = positiveInt(params.page, 1);
  const pageSize = positiveInt(params.page_size, PDD_ORDER_PAGE_SIZE.max);
  if (page === null || pageSize === null || pageSize < PDD_ORDER_PAGE_SIZE.min || pageSize > PDD_ORDER_PAGE_SIZE.max) {
    return pddErrorResponse(10000, '参数错误', 'page或page_size不合法，page_size取值范围10~100');
  }
  const inWindow = orders
    .filter((o) => (o.order_modify_at as number) >= start && (o.order_modify_at as number) <= end)
    .sort((a, b) => (a.order_modify_at as number) - (b.order_modify_at as number));
  return pddOrderListResponse(pageOf(inWindow, page, pageSize), params.return_count === 'false' ? null : inWindow.length);
}

export async function startFakePddOrders(options: FakePddOrdersOptions): Promise<FakeGateway> {
  const orders = typeof options.orders === 'number' ? Array.from({ length: options.orders }, (_, i) => pddOrderItem(i)) : options.orders;
  return startFakeGateway((params, requestNo): FakeReply => {
    if (failsNow(options.failFirst, 'http_500', requestNo)) return HTTP_500;
    const rejected = pddRouterError(params, options, PDD_ORDER_LIST_INCREMENT);
    if (rejected) return ok(rejected);
    if (failsNow(options.failFirst, 'rate_limit', requestNo)) return ok(pddErrorResponse(52101, '当前接口调用频率超过限制，请稍后重试'));
    return ok(answerPddOrderList(params, orders));
  });
}

function ok(body: unknown): FakeReply {
  return { status: 200, body };
}
