import { afterEach, describe, expect, it } from 'vitest';
import { ConnectorError } from '../common.ts';
import { orderUpdatedAtMs } from '../fake/orders.ts';
import { pddErrorResponse } from '../fake/pdd-router.ts';
import { pddOrderItem, pddOrderListResponse, startFakePddOrders } from '../fake/pdd-orders.ts';
import type { FakeGateway } from '../fake/server.ts';
import { parsePddOrders, pddOrderClient } from './pdd-orders.ts';
import { collectPages, orderById, orderFixture, recordingFetch, statusesOf } from './testing.ts';

const CREDENTIALS = { appKey: 'a3f1c0de9b8e4d7f', appSecret: 'pdd-secret-0001' };
const FAST = { minBackoffMs: 1, maxBackoffMs: 5 };
const HOUR = 60 * 60 * 1000;
/** Covers fake orders 0..143 (one every 10 minutes from ORDER_BASE_MS). */
const DAY = { since: new Date(orderUpdatedAtMs(0)), until: new Date(orderUpdatedAtMs(0) + 24 * HOUR - 1000) };

describe('parsePddOrders (saved pdd.ddk.order.list.increment.get answer)', () => {
  const read = parsePddOrders(orderFixture('pdd-order-list-increment.json'));

  it('keeps order_amount in fen, reads the click id from custom_parameters and order_modify_at as ISO', () => {
    expect(orderById(read, '261124-528000000047514')).toEqual({
      event: {
        orderId: '261124-528000000047514',
        status: 'paid',
        occurredAt: '2026-11-24T03:00:00.000Z',
        currency: 'CNY',
        clickId: 'clk_01jdqc7920071979daf8a93c85',
        subId: '8888888_123456789',
        lines: [{ lineId: '261124-528000000047514', productId: 'E9385d380c3e36ea6e3e4e_Jee8447045c46', quantity: 2, paidAmountMinor: 3980, refundedAmountMinor: 0, commissionRateBps: 2050 }],
      },
      rawStatus: '0',
      upstreamUpdatedAt: '2026-11-24T03:00:00.000Z',
    });
  });

  it('maps every order_status of the fixture onto ours, keeping PDD’s code', () => {
    expect(statusesOf(read)).toEqual([
      ['261124-528000000047514', 'paid', '0'],
      ['261124-528000000007919', 'completed', '2'],
      ['261124-528000000000000', 'completed', '5'],
      ['261124-528000000023757', 'cancelled', '4'],
      ['261124-528000000055433', 'created', '-1'],
      ['261124-528000000087109', 'paid', '1'],
    ]);
  });

  it('leaves the click id out when custom_parameters is empty or someone else’s', () => {
    expect(orderById(read, '261124-528000000007919').event.clickId).toBeNull();
    expect(orderById(read, '261124-528000000087109').event.clickId).toBeNull();
  });

  it('skips a non-DDK order (status 8) and rejects a yuan amount, naming the order', () => {
    expect(read.rejected).toEqual([
      { row: 5, orderId: '261124-528000000039595', reason: 'order_status: 8 (非多多进宝商品, no commission): skipped' },
      { row: 7, orderId: '261124-528000000071271', reason: 'order_amount: more than 0 decimal places: 19.9' },
    ]);
  });

  it('rejects an unknown order_status rather than guessing', () => {
    const parsed = parsePddOrders(pddOrderListResponse([pddOrderItem(0, { order_status: 6 })], 1));
    expect(parsed).toEqual({ orders: [], rejected: [{ row: 1, orderId: expect.any(String), reason: 'order_status: unknown code 6' }] });
  });

  it('falls back to goods_id when an older answer has no goods_sign', () => {
    const parsed = parsePddOrders(pddOrderListResponse([pddOrderItem(0, { goods_sign: undefined })], 1));
    expect(parsed.orders[0]!.event.lines[0]!.productId).toBe('412345678901');
  });

  it('throws the error envelope with PDD’s code', () => {
    expect(() => parsePddOrders(pddErrorResponse(20004, '签名验证失败'))).toThrow('pdd 20004: 签名验证失败');
  });
});

describe('pddOrderClient against the fake router', () => {
  let fake: FakeGateway | undefined;
  afterEach(async () => fake?.close());

  it('signs each request, and reads a window from its last page back to the first', async () => {
    fake = await startFakePddOrders({ ...CREDENTIALS, orders: 25 });
    const bodies: URLSearchParams[] = [];
    const client = pddOrderClient({ ...CREDENTIALS, baseUrl: fake.url, fetch: recordingFetch(bodies), pageSize: 10, ...FAST });
    const pages = await collectPages(client.orders(DAY));

    expect(bodies.map((b) => b.get('page'))).toEqual(['1', '3', '2', '1']);
    expect(pages.map((p) => p.orders.length)).toEqual([5, 10, 10]);
    expect(new Set(pages.flatMap((p) => p.orders.map((o) => o.event.orderId))).size).toBe(25);
    expect(bodies[0]!.get('type')).toBe('pdd.ddk.order.list.increment.get');
    expect(bodies[0]!.get('start_update_time')).toBe(String(orderUpdatedAtMs(0) / 1000));
  });

  it('cuts a range longer than 24 hours into windows PDD accepts', async () => {
    fake = await startFakePddOrders({ ...CREDENTIALS, orders: 200 });
    const bodies: URLSearchParams[] = [];
    const client = pddOrderClient({ ...CREDENTIALS, baseUrl: fake.url, fetch: recordingFetch(bodies), pageSize: 100, ...FAST });
    const range = { since: DAY.since, until: new Date(DAY.since.getTime() + 36 * HOUR) };
    const orders = (await collectPages(client.orders(range))).flatMap((p) => p.orders);

    expect(new Set(orders.map((o) => o.event.orderId)).size).toBe(200);
    const windows = new Set(bodies.map((b) => `${b.get('start_update_time')}..${b.get('end_update_time')}`));
    expect(windows.size).toBe(2);
    for (const w of windows) {
      const [start, end] = w.split('..').map(Number);
      expect(end! - start!).toBeLessThanOrEqual(24 * 60 * 60);
    }
  });

  it('fails at once with the router’s signature error when the secret is wrong', async () => {
    fake = await startFakePddOrders({ ...CREDENTIALS, orders: 5 });
    const client = pddOrderClient({ ...CREDENTIALS, appSecret: 'wrong', baseUrl: fake.url, ...FAST });
    const error = await collectPages(client.orders(DAY)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectorError);
    expect(error).toMatchObject({ platform: 'pdd', code: '20004', kind: 'auth' });
    expect(fake.requests).toBe(1);
  });

  it('backs off on rate limiting and then reads every order', async () => {
    fake = await startFakePddOrders({ ...CREDENTIALS, orders: 12, failFirst: { times: 2, kind: 'rate_limit' } });
    const client = pddOrderClient({ ...CREDENTIALS, baseUrl: fake.url, pageSize: 10, maxRetries: 3, ...FAST });
    const orders = (await collectPages(client.orders(DAY))).flatMap((p) => p.orders);
    expect(new Set(orders.map((o) => o.event.orderId)).size).toBe(12);
    expect(fake.requests).toBe(2 + 3);
  });
});
