import { afterEach, describe, expect, it } from 'vitest';
import { ConnectorError } from '../common.ts';
import { orderUpdatedAtMs } from '../fake/orders.ts';
import type { FakeGateway } from '../fake/server.ts';
import { taobaoErrorResponse } from '../fake/taobao.ts';
import { startFakeTaobaoOrders, taobaoOrderDetailsResponse, taobaoOrderDto } from '../fake/taobao-orders.ts';
import { parseTaobaoOrders, taobaoOrderClient } from './taobao-orders.ts';
import { collectPages, orderById, orderFixture, recordingFetch, statusesOf } from './testing.ts';

const CREDENTIALS = { appKey: '23456789', appSecret: 'tb-secret-0001' };
const FAST = { minBackoffMs: 1, maxBackoffMs: 5 };
const HOUR = 60 * 60 * 1000;
const SIX_HOURS = { since: new Date(orderUpdatedAtMs(0)), until: new Date(orderUpdatedAtMs(0) + 6 * HOUR - 1000) };
const ONE_PAGE = { pageNo: 1, pageSize: 20, hasNext: false, positionIndex: 'p1' };

describe('parseTaobaoOrders (saved taobao.tbk.order.details.get answer)', () => {
  const read = parseTaobaoOrders(orderFixture('taobao-order-details.json'));

  it('groups 子订单 by trade_parent_id, reads "59.90" as 5990 fen and modified_time from Beijing time to UTC', () => {
    expect(orderById(read, '294159898545064307')).toEqual({
      event: {
        orderId: '294159898545064307',
        status: 'paid',
        occurredAt: '2026-11-24T02:40:00.000Z',
        currency: 'CNY',
        clickId: null,
        subId: '2712345681',
        lines: [
          { lineId: '294159898545064307', productId: '612345993088', quantity: 1, paidAmountMinor: 5990, refundedAmountMinor: 0, commissionRateBps: 1500 },
          { lineId: '294159898545064308', productId: '612346097817', quantity: 1, paidAmountMinor: 1990, refundedAmountMinor: 0, commissionRateBps: 800 },
        ],
      },
      rawStatus: '12',
      upstreamUpdatedAt: '2026-11-24T02:40:00.000Z',
    });
  });

  it('maps every tk_status of the fixture onto ours, keeping Taobao’s code', () => {
    expect(statusesOf(read)).toEqual([
      ['294159898545064307', 'paid', '12'],
      ['294159891145064307', 'completed', '14'],
      ['294159894845064307', 'completed', '3'],
      ['294159905945064307', 'cancelled', '13'],
      ['294159917045064307', 'created', '11'],
    ]);
  });

  it('counts what pay_price falls short of alipay_total_price at receipt as refunded', () => {
    expect(orderById(read, '294159891145064307').event.lines[0]).toMatchObject({ paidAmountMinor: 5990, refundedAmountMinor: 1000 });
    expect(orderById(read, '294159894845064307').event.lines[0]).toMatchObject({ paidAmountMinor: 9900, refundedAmountMinor: 0 });
  });

  it('takes the channel’s relation_id as the sub id, else the adzone_id', () => {
    expect(read.orders.map((o) => o.event.subId)).toEqual(['2712345681', '111112234455', '111112234455', '111112234455', '111112234455']);
  });

  it('rejects an unknown tk_status, naming the order', () => {
    expect(read.rejected).toEqual([{ row: 6, orderId: '294159913345064307', reason: 'tk_status: unknown code 99' }]);
  });

  it('rejects a trade id sent as a number too large to be exact', () => {
    const parsed = parseTaobaoOrders(taobaoOrderDetailsResponse([taobaoOrderDto(0, { trade_id: 294159887445064307 })], ONE_PAGE));
    expect(parsed.rejected[0]!.reason).toBe('trade_id: 294159887445064300 is not an exact integer id');
  });

  it('throws TOP’s error with its code and sub code', () => {
    const error = taobaoErrorResponse(15, 'Remote service error', '9100', '当前触发限流');
    expect(() => parseTaobaoOrders(error)).toThrow('taobao 15: Remote service error — 9100 — 当前触发限流');
  });
});

describe('taobaoOrderClient against the fake TOP gateway', () => {
  let fake: FakeGateway | undefined;
  afterEach(async () => fake?.close());

  it('queries by update time in windows of 3 hours, chaining pages by position_index', async () => {
    fake = await startFakeTaobaoOrders({ ...CREDENTIALS, orders: 30 });
    const bodies: URLSearchParams[] = [];
    const client = taobaoOrderClient({ ...CREDENTIALS, baseUrl: fake.url, fetch: recordingFetch(bodies), pageSize: 8, signMethod: 'hmac', ...FAST });
    const pages = await collectPages(client.orders(SIX_HOURS));

    expect(bodies.map((b) => `${b.get('start_time')!.slice(11, 16)}#${b.get('page_no')}`)).toEqual([
      '10:00#1', '10:00#2', '10:00#3', '13:00#1', '13:00#2',
    ]);
    expect(bodies.every((b) => b.get('query_type') === '4' && b.get('sign_method') === 'hmac')).toBe(true);
    expect(bodies[0]!.get('position_index')).toBeNull();
    expect(bodies[1]!.get('position_index')).toMatch(/^\d+_[0-9a-f]{11}$/);
    expect(bodies[1]!.get('jump_type')).toBe('1');
    expect(new Set(pages.flatMap((p) => p.orders.map((o) => o.event.orderId))).size).toBe(30);
  });

  it('refuses to stop at page 100 of a window, which would lose the orders beyond it', async () => {
    const busy = Array.from({ length: 101 }, (_, i) => taobaoOrderDto(i, { modified_time: '2026-11-24 10:30:00' }));
    fake = await startFakeTaobaoOrders({ ...CREDENTIALS, orders: busy });
    const client = taobaoOrderClient({ ...CREDENTIALS, baseUrl: fake.url, pageSize: 1, ...FAST });
    await expect(collectPages(client.orders(SIX_HOURS))).rejects.toMatchObject({ code: 'too_many_pages', retryable: false });
    expect(fake.requests).toBe(100);
  });

  it('fails at once with TOP’s signature error when the secret is wrong', async () => {
    fake = await startFakeTaobaoOrders({ ...CREDENTIALS, orders: 3 });
    const client = taobaoOrderClient({ ...CREDENTIALS, appSecret: 'wrong', baseUrl: fake.url, ...FAST });
    const error = await collectPages(client.orders(SIX_HOURS)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectorError);
    expect(error).toMatchObject({ platform: 'taobao', code: '25', kind: 'auth' });
    expect(fake.requests).toBe(1);
  });

  it('backs off on Alimama’s 9100 throttle, then reads every order', async () => {
    fake = await startFakeTaobaoOrders({ ...CREDENTIALS, orders: 5, failFirst: { times: 2, kind: 'rate_limit' } });
    const client = taobaoOrderClient({ ...CREDENTIALS, baseUrl: fake.url, maxRetries: 3, ...FAST });
    const orders = (await collectPages(client.orders(SIX_HOURS))).flatMap((p) => p.orders);
    expect(orders).toHaveLength(5);
  });

  it('gives up on a gateway that keeps answering 500, after maxRetries', async () => {
    fake = await startFakeTaobaoOrders({ ...CREDENTIALS, orders: 5, failFirst: { times: 1000, kind: 'http_500' } });
    const client = taobaoOrderClient({ ...CREDENTIALS, baseUrl: fake.url, maxRetries: 2, ...FAST });
    await expect(collectPages(client.orders(SIX_HOURS))).rejects.toMatchObject({ code: 'http_500', kind: 'unavailable' });
    expect(fake.requests).toBe(3);
  });
});
