import { isRecord, shanghaiDateTimeToIso } from '../common.ts';
import { JD_MAX_ORDER_PAGE_SIZE, JD_ORDER_ROW_QUERY } from '../orders/jd-orders.ts';
import { catalogEntry, digest, fenToYuanText, priceFenOf, titleOf } from './catalog.ts';
import { jdErrorResponse, jdGatewayError } from './jd-router.ts';
import { beijingTime, clickIdOf, orderUpdatedAtMs } from './orders.ts';
import { failsNow, HTTP_500, pageOf, startFakeGateway, type FailFirst, type FakeGateway, type FakeReply } from './server.ts';

/**
 * A fake of the JD router answering `jd.union.open.order.row.query`: the gateway's checks, the
 * result as a JSON string inside `jd_union_open_order_row_query_responce`, update-time windows of
 * at most an hour, pages with hasMore, yuan as JSON numbers and rates in percent.
 */

function yuanNumber(fen: number): number {
  return Number(fenToYuanText(fen));
}

/** One row of `queryResult.data`, as JD sends it: a SKU of an order, paid and not yet shipped. */
export function jdOrderRowItem(index: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const e = catalogEntry(index);
  const skuNum = 1 + (index % 2);
  const cosPrice = priceFenOf(index) * skuNum;
  const orderId = 301_234_567_890 + index * 13;
  const skuId = 100_012_345_678 + index * 7919;
  const modifiedMs = orderUpdatedAtMs(index);
  const commissionRate = e.ratePerMille / 10;
  return {
    id: `${orderId}${digest(`jd-row-${index}`).replace(/\D/g, '').slice(0, 8)}`,
    orderId,
    parentId: 0,
    orderTime: beijingTime(modifiedMs - 3_600_000),
    finishTime: '',
    modifyTime: beijingTime(modifiedMs),
    orderEmt: 2,
    plus: 0,
    unionId: 1_000_123_456,
    skuId,
    skuName: titleOf(index),
    skuNum,
    skuReturnNum: 0,
    skuFrozenNum: 0,
    price: yuanNumber(priceFenOf(index)),
    commissionRate,
    subSideRate: 90,
    subsidyRate: 0,
    finalRate: 90,
    estimateCosPrice: yuanNumber(cosPrice),
    estimateFee: yuanNumber(Math.floor((cosPrice * e.ratePerMille * 9) / 10_000)),
    actualCosPrice: 0,
    actualFee: 0,
    validCode: 16,
    traceType: 2,
    positionId: 3_000_123_456,
    siteId: 4_000_123,
    unionAlias: '',
    pid: '',
    cid1: 1320 + (index % 10),
    cid2: 1580,
    cid3: 1590,
    subUnionId: clickIdOf(index) ?? '',
    unionTag: '00000000000000000000000000000000',
    popId: 600_000 + index,
    ext1: '',
    payMonth: 0,
    cpActId: 0,
    unionRole: 1,
    giftCouponOcsAmount: 0,
    giftCouponKey: '',
    balanceExt: '',
    sign: '',
    proPriceAmount: 0,
    rid: 0,
    expressStatus: 10,
    channelId: 0,
    ...overrides,
  };
}

export function jdOrderRowQueryResponse(data: readonly unknown[], hasMore: boolean): Record<string, unknown> {
  return {
    jd_union_open_order_row_query_responce: {
      code: '0',
      queryResult: JSON.stringify({ code: 200, data, hasMore, message: 'success', requestId: `o_${digest(JSON.stringify(data)).slice(0, 22)}` }),
    },
  };
}

/** A business error: the gateway says code "0" and the union API puts its own code inside. */
function innerError(code: number, message: string): Record<string, unknown> {
  return { jd_union_open_order_row_query_responce: { code: '0', queryResult: JSON.stringify({ code, message }) } };
}

export interface FakeJdOrdersOptions {
  appKey: string;
  appSecret: string;
  rows: number | Record<string, unknown>[];
  failFirst?: FailFirst;
}

const MAX_WINDOW_MS = 60 * 60 * 1000;

interface OrderReq {
  key?: string;
  pageIndex: number;
  pageSize: number;
  startMs: number;
  endMs: number;
}

export async function startFakeJdOrders(options: FakeJdOrdersOptions): Promise<FakeGateway> {
  const rows = typeof options.rows === 'number' ? Array.from({ length: options.rows }, (_, i) => jdOrderRowItem(i)) : options.rows;
  return startFakeGateway((params, requestNo): FakeReply => {
    if (failsNow(options.failFirst, 'http_500', requestNo)) return HTTP_500;
    const rejected = jdGatewayError(params, options, JD_ORDER_ROW_QUERY);
    if (rejected) return ok(rejected);
    if (failsNow(options.failFirst, 'rate_limit', requestNo)) return ok(jdErrorResponse('2', '限制时间内调用失败次数', 'App Call Limited'));
    return ok(answerJdOrderRows(params['360buy_param_json'], rows));
  });
}

/** `jd.union.open.order.row.query` for the rows updated in the window asked for, a page of them in update order. */
export function answerJdOrderRows(json: string | undefined, rows: readonly Record<string, unknown>[]): Record<string, unknown> {
  const modifiedMs = (row: Record<string, unknown>) => Date.parse(shanghaiDateTimeToIso(String(row.modifyTime)) ?? '');
  const req = orderReq(json);
  if (typeof req === 'string') return innerError(400, req);
  // This fake knows no promoter that authorised a tool provider.
  if (req.key !== undefined) return innerError(403, `key ${req.key} 未授权`);
  if (req.endMs - req.startMs > MAX_WINDOW_MS) return innerError(400, '开始时间与结束时间间隔不能超过1小时');
  const inWindow = rows.filter((r) => modifiedMs(r) >= req.startMs && modifiedMs(r) <= req.endMs).sort((a, b) => modifiedMs(a) - modifiedMs(b));
  const hasMore = req.pageIndex * req.pageSize < inWindow.length;
  return jdOrderRowQueryResponse(pageOf(inWindow, req.pageIndex, req.pageSize), hasMore);
}

/** orderReq of the business parameters, or what is wrong with it. */
function orderReq(json: string | undefined): OrderReq | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json ?? '');
  } catch {
    return '360buy_param_json 不是JSON';
  }
  const req = isRecord(parsed) ? parsed.orderReq : null;
  if (!isRecord(req)) return '360buy_param_json 须含 orderReq';
  if (req.type !== 3) return 'type 须为 3（按更新时间查询）';
  const startIso = shanghaiDateTimeToIso(String(req.startTime ?? ''));
  const endIso = shanghaiDateTimeToIso(String(req.endTime ?? ''));
  if (startIso === null || endIso === null) return 'startTime/endTime 格式须为 yyyy-MM-dd HH:mm:ss';
  const pageIndex = Number.isSafeInteger(req.pageIndex) && (req.pageIndex as number) > 0 ? (req.pageIndex as number) : 1;
  const pageSize = Number.isSafeInteger(req.pageSize) && (req.pageSize as number) > 0 ? (req.pageSize as number) : 20;
  if (pageSize > JD_MAX_ORDER_PAGE_SIZE) return 'pageSize 上限为500';
  const key = typeof req.key === 'string' ? { key: req.key } : {};
  return { ...key, pageIndex, pageSize, startMs: Date.parse(startIso), endMs: Date.parse(endIso) };
}

function ok(body: unknown): FakeReply {
  return { status: 200, body };
}
