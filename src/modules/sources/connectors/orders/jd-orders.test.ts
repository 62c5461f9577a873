import { afterEach, describe, expect, it } from 'vitest';
import { ConnectorError } from '../common.ts';
import { jdErrorResponse } from '../fake/jd-router.ts';
import { jdOrderRowItem, jdOrderRowQueryResponse, startFakeJdOrders } from '../fake/jd-orders.ts';
import { orderUpdatedAtMs } from '../fake/orders.ts';
import type { FakeGateway } from '../fake/server.ts';
import { jdOrderClient, parseJdOrders } from './jd-orders.ts';
import { collectPages, orderById, orderFixture, recordingFetch, statusesOf } from './testing.ts';

const CREDENTIALS = { appKey: '3c9be283d7d9e0e1529463ff7cc61398', appSecret: 'jd-secret-0001' };
const FAST = { minBackoffMs: 1, maxBackoffMs: 5 };
const HOUR = 60 * 60 * 1000;
/** Fake rows 0..17 (one every 10 minutes); three hours, so three one-hour windows. */
const THREE_HOURS = { since: new Date(orderUpdatedAtMs(0)), until: new Date(orderUpdatedAtMs(0) + 3 * HOUR - 1000) };

describe('parseJdOrders (saved jd.union.open.order.row.query answer)', () => {
  const read = parseJdOrders(orderFixture('jd-order-row-query.json'));

  it('reads estimateCosPrice 1.13 yuan as 113 fen, modifyTime from Beijing time to UTC, subUnionId as the click id', () => {
    expect(orderById(read, '301234567968')).toEqual({
      event: {
        orderId: '301234567968',
        status: 'paid',
        occurredAt: '2026-11-24T03:10:00.000Z',
        currency: 'CNY',
        clickId: 'clk_01jdqc7920071979daf8a93c85',
        subId: '3000123456',
        lines: [
          { lineId: '100012393192', productId: '100012393192', quantity: 1, paidAmountMinor: 113, refundedAmountMinor: 0, commissionRateBps: 2050 },
          { lineId: '100012401111', productId: '100012401111', quantity: 2, paidAmountMinor: 9180, refundedAmountMinor: 0, commissionRateBps: 600 },
        ],
      },
      rawStatus: '16',
      upstreamUpdatedAt: '2026-11-24T03:10:00.000Z',
    });
  });

  it('maps every validCode of the fixture onto ours, keeping JD’s codes', () => {
    expect(statusesOf(read)).toEqual([
      ['301234567968', 'paid', '16'],
      ['301234567999', 'completed', '17'],
      ['301234567929', 'cancelled', '3'],
      ['301234567955', 'completed', '17'],
      ['301234567994', 'created', '15'],
      ['301234569010', 'paid', '16,6'],
    ]);
  });

  it('reports the child orders of a split order under the parent, and skips the parent’s own row', () => {
    expect(orderById(read, '301234567999').event.lines.map((l) => [l.productId, l.paidAmountMinor])).toEqual([
      ['100012361516', 9900],
      ['100012377354', 19900],
    ]);
    expect(read.rejected[0]).toEqual({ row: 3, orderId: '301234567999', reason: 'validCode: 2 (无效-拆单): split into child orders, which carry the SKUs: skipped' });
  });

  it('refunds the returned share of a line: 1 of 2 units back is half of 79.80 yuan', () => {
    expect(orderById(read, '301234567955').event.lines[0]).toMatchObject({ quantity: 2, paidAmountMinor: 7980, refundedAmountMinor: 3990 });
  });

  it('reports a SKU JD voided inside a live order as fully refunded', () => {
    expect(orderById(read, '301234569010').event.lines.map((l) => [l.paidAmountMinor, l.refundedAmountMinor])).toEqual([
      [16000, 0],
      [26000, 26000],
    ]);
  });

  it('ignores a subUnionId that is not one of our click ids', () => {
    expect(orderById(read, '301234567994').event.clickId).toBeNull();
  });

  it('rejects an unknown validCode rather than guessing', () => {
    expect(read.rejected[1]).toEqual({ row: 9, orderId: '301234568007', reason: 'validCode: unknown code -1' });
  });

  it('calls a paid SKU shipped once expressStatus says 已发货', () => {
    const parsed = parseJdOrders(jdOrderRowQueryResponse([jdOrderRowItem(1, { expressStatus: 20 })], false));
    expect(parsed.orders[0]).toMatchObject({ event: { status: 'shipped' }, rawStatus: '16' });
  });

  it('rejects a row whose amount is not exact yuan', () => {
    const parsed = parseJdOrders(jdOrderRowQueryResponse([jdOrderRowItem(1, { estimateCosPrice: 12.345 })], false));
    expect(parsed.rejected).toEqual([{ row: 1, orderId: '301234567903', reason: 'estimateCosPrice: more than 2 decimal places: 12.345 (yuan)' }]);
  });

  it('throws the gateway error with JD’s code and description', () => {
    expect(() => parseJdOrders(jdErrorResponse('12', '无效签名', 'Invalid Signature'))).toThrow('jd 12: 无效签名 / Invalid Signature');
  });
});

describe('jdOrderClient against the fake router', () => {
  let fake: FakeGateway | undefined;
  afterEach(async () => fake?.close());

  it('signs each request, queries by update time in windows of an hour, and pages while hasMore', async () => {
    fake = await startFakeJdOrders({ ...CREDENTIALS, rows: 18 });
    const bodies: URLSearchParams[] = [];
    const client = jdOrderClient({ ...CREDENTIALS, baseUrl: fake.url, fetch: recordingFetch(bodies), pageSize: 4, ...FAST });
    const pages = await collectPages(client.orders(THREE_HOURS));

    const requests = bodies.map((b) => JSON.parse(b.get('360buy_param_json')!).orderReq);
    expect(requests[0]).toEqual({ pageIndex: 1, pageSize: 4, type: 3, startTime: '2026-11-24 10:00:00', endTime: '2026-11-24 11:00:00' });
    expect(requests.map((r) => `${r.startTime.slice(11, 16)}#${r.pageIndex}`)).toEqual([
      '10:00#1', '10:00#2', '11:00#1', '11:00#2', '12:00#1', '12:00#2',
    ]);
    const orderIds = pages.flatMap((p) => p.orders.map((o) => o.event.orderId));
    // Rows on a window's boundary come twice (10:00–11:00 and 11:00–12:00 both hold 11:00).
    expect(new Set(orderIds).size).toBe(18);
    expect(orderIds).toHaveLength(20);
  });

  it('fails at once with the router’s signature error when the secret is wrong', async () => {
    fake = await startFakeJdOrders({ ...CREDENTIALS, rows: 3 });
    const client = jdOrderClient({ ...CREDENTIALS, appSecret: 'wrong', baseUrl: fake.url, ...FAST });
    const error = await collectPages(client.orders(THREE_HOURS)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectorError);
    expect(error).toMatchObject({ platform: 'jd', code: '12', kind: 'auth' });
    expect(fake.requests).toBe(1);
  });

  it('fails at once on the union API’s own error code', async () => {
    fake = await startFakeJdOrders({ ...CREDENTIALS, rows: 3 });
    const client = jdOrderClient({ ...CREDENTIALS, baseUrl: fake.url, key: 'not-authorised', ...FAST });
    await expect(collectPages(client.orders(THREE_HOURS))).rejects.toMatchObject({ code: '403', kind: 'invalid_request' });
    expect(fake.requests).toBe(1);
  });

  it('backs off on App Call Limited, then reads every row', async () => {
    fake = await startFakeJdOrders({ ...CREDENTIALS, rows: 6, failFirst: { times: 2, kind: 'rate_limit' } });
    const client = jdOrderClient({ ...CREDENTIALS, baseUrl: fake.url, maxRetries: 3, ...FAST });
    const orders = (await collectPages(client.orders(THREE_HOURS))).flatMap((p) => p.orders);
    expect(new Set(orders.map((o) => o.event.orderId)).size).toBe(6);
  });
});
