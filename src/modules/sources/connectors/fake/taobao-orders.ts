import { shanghaiDateTimeToIso } from '../common.ts';
import { TAOBAO_MAX_ORDER_PAGE_SIZE, TAOBAO_MAX_ORDER_PAGES, TAOBAO_ORDER_DETAILS } from '../orders/taobao-orders.ts';
import { catalogEntry, digest, fenToYuanText, priceFenOf, titleOf } from './catalog.ts';
import { beijingTime, orderUpdatedAtMs } from './orders.ts';
import { failsNow, HTTP_500, pageOf, positiveInt, startFakeGateway, type FailFirst, type FakeGateway, type FakeReply } from './server.ts';
import { taobaoErrorResponse, topGatewayError } from './taobao.ts';

/**
 * A fake of the TOP gateway answering `taobao.tbk.order.details.get`: md5/hmac signatures,
 * update-time windows of at most 3 hours, pages chained by position_index, yuan strings.
 */

/** One `publisher_order_dto`, as TOP sends it: a paid 子订单 that is the only one of its order. */
export function taobaoOrderDto(index: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const e = catalogEntry(index);
  const itemNum = 1 + (index % 2);
  const paid = priceFenOf(index) * itemNum;
  const modifiedMs = orderUpdatedAtMs(index);
  const tradeParentId = `${2_941_598_874 + index * 37}45064307`;
  const itemId = 612_345_678_901 + index * 104_729;
  return {
    tb_paid_time: beijingTime(modifiedMs - 3_000_000),
    tk_paid_time: beijingTime(modifiedMs - 2_990_000),
    pay_price: '0.00',
    pub_share_fee: '0',
    trade_id: tradeParentId,
    tk_order_role: 2,
    tk_earning_time: '',
    adzone_id: 111_112_234_455,
    pub_share_rate: '100.00',
    refund_tag: 0,
    subsidy_rate: '0.00',
    tk_total_rate: String(e.ratePerMille / 10),
    item_category_name: e.topCategory,
    seller_nick: `${e.brand}官方旗舰店`,
    pub_id: 98_836_808,
    alimama_rate: '10.00',
    subsidy_type: '--',
    item_img: `//img.alicdn.com/bao/uploaded/i1/${2_200_000_000 + index}/O1CN01${digest(`tb-${index}-0`).slice(0, 18)}.jpg`,
    pub_share_pre_fee: fenToYuanText(Math.floor((paid * e.ratePerMille) / 1000)),
    alipay_total_price: fenToYuanText(paid),
    item_title: titleOf(index),
    site_name: '维特琳',
    item_num: itemNum,
    subsidy_fee: '0.00',
    alimama_share_fee: '0.00',
    trade_parent_id: tradeParentId,
    order_type: index % 2 === 0 ? '天猫' : '淘宝',
    tk_create_time: beijingTime(modifiedMs - 3_000_000),
    flow_source: '--',
    terminal_type: '无线',
    click_time: beijingTime(modifiedMs - 3_300_000),
    tk_status: 12,
    item_price: fenToYuanText(priceFenOf(index)),
    item_id: String(itemId),
    adzone_name: '维特琳推广位',
    total_commission_rate: String(e.ratePerMille / 10),
    item_link: `https://detail.tmall.com/item.htm?id=${itemId}`,
    site_id: 45_598_009,
    seller_shop_title: `${e.brand}官方旗舰店`,
    income_rate: String(e.ratePerMille / 10),
    total_commission_fee: '0.00',
    ...(index % 3 === 0 ? { relation_id: 2_712_345_678 + index } : {}),
    modified_time: beijingTime(modifiedMs),
    tb_gmv_total_price: fenToYuanText(paid),
    ...overrides,
  };
}

export function taobaoOrderDetailsResponse(
  dtos: readonly unknown[],
  page: { pageNo: number; pageSize: number; hasNext: boolean; positionIndex: string },
): Record<string, unknown> {
  return {
    tbk_order_details_get_response: {
      data: {
        results: { publisher_order_dto: dtos },
        has_pre: page.pageNo > 1,
        position_index: page.positionIndex,
        has_next: page.hasNext,
        page_no: page.pageNo,
        page_size: page.pageSize,
      },
      request_id: `${digest(page.positionIndex).slice(0, 13)}`,
    },
  };
}

export interface FakeTaobaoOrdersOptions {
  appKey: string;
  appSecret: string;
  orders: number | Record<string, unknown>[];
  failFirst?: FailFirst;
}

const MAX_WINDOW_MS = 3 * 60 * 60 * 1000;
const remoteError = (subCode: string, subMsg: string) => taobaoErrorResponse(15, 'Remote service error', subCode, subMsg);

export async function startFakeTaobaoOrders(options: FakeTaobaoOrdersOptions): Promise<FakeGateway> {
  const orders = typeof options.orders === 'number' ? Array.from({ length: options.orders }, (_, i) => taobaoOrderDto(i)) : options.orders;
  const modifiedMs = (dto: Record<string, unknown>) => Date.parse(shanghaiDateTimeToIso(String(dto.modified_time)) ?? '');
  return startFakeGateway((params, requestNo): FakeReply => {
    if (failsNow(options.failFirst, 'http_500', requestNo)) return HTTP_500;
    const rejected = topGatewayError(params, options, TAOBAO_ORDER_DETAILS);
    if (rejected) return ok(rejected);
    if (failsNow(options.failFirst, 'rate_limit', requestNo)) return ok(remoteError('9100', '您的账号因调用不符合要求，当前触发限流'));
    if (params.query_type !== '4') return ok(remoteError('isv.invalid-parameter', '本fake只支持query_type=4（按订单更新时间）'));
    const startIso = shanghaiDateTimeToIso(params.start_time ?? '');
    const endIso = shanghaiDateTimeToIso(params.end_time ?? '');
    if (startIso === null || endIso === null) return ok(remoteError('2000', '开始时间或结束时间参数非法'));
    const [startMs, endMs] = [Date.parse(startIso), Date.parse(endIso)];
    if (endMs - startMs > MAX_WINDOW_MS) return ok(remoteError('2007', '订单查询时间段日常要求不超过3个小时'));
    const pageNo = positiveInt(params.page_no, 1);
    const pageSize = positiveInt(params.page_size, 20);
    if (pageNo === null || pageSize === null || pageNo > TAOBAO_MAX_ORDER_PAGES || pageSize > TAOBAO_MAX_ORDER_PAGE_SIZE) {
      return ok(remoteError('isv.invalid-parameter', 'page_no、page_size取值范围1~100'));
    }
    const position = (n: number) => `${Math.floor(startMs / 1000) + n}_${digest(`${startMs}-${endMs}-${n}`).slice(0, 11)}`;
    if (pageNo > 1 && (params.position_index !== position(pageNo - 1) || params.jump_type !== '1')) return ok(remoteError('1008', 'positionIndex非法'));
    const inWindow = orders.filter((o) => modifiedMs(o) >= startMs && modifiedMs(o) <= endMs).sort((a, b) => modifiedMs(a) - modifiedMs(b));
    const hasNext = pageNo * pageSize < inWindow.length;
    return ok(taobaoOrderDetailsResponse(pageOf(inWindow, pageNo, pageSize), { pageNo, pageSize, hasNext, positionIndex: position(pageNo) }));
  });
}

function ok(body: unknown): FakeReply {
  return { status: 200, body };
}
