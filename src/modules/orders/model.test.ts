import { describe, expect, it } from 'vitest';
import { InvalidInput } from '../../core/errors.ts';
import { parseOrderWebhookBody } from './model.ts';

const event = (data: Record<string, unknown> = {}) => ({
  type: 'order.updated',
  data: {
    order_id: 'o-1',
    status: 'paid',
    occurred_at: '2026-11-24T18:00:00+08:00',
    currency: 'CNY',
    click_id: 'clk_abc',
    lines: [{ line_id: '1', product_id: 'p-1', quantity: 2, paid_amount: 1990, refunded_amount: 0 }],
    ...data,
  },
});

function rejection(body: unknown): InvalidInput {
  try {
    parseOrderWebhookBody(body);
  } catch (error) {
    if (error instanceof InvalidInput) return error;
    throw error;
  }
  throw new Error('expected the body to be refused');
}

describe('the order webhook body', () => {
  it('reads one event as a list of one, camelCase, with occurred_at normalised to UTC', () => {
    expect(parseOrderWebhookBody(event())).toEqual([
      {
        orderId: 'o-1',
        status: 'paid',
        occurredAt: '2026-11-24T10:00:00.000Z',
        currency: 'CNY',
        clickId: 'clk_abc',
        subId: null,
        lines: [{ lineId: '1', productId: 'p-1', quantity: 2, paidAmountMinor: 1990, refundedAmountMinor: 0 }],
      },
    ]);
  });

  it('normalises every form of an instant to the same text, the canonical one kept as it is', () => {
    const at = (occurred_at: string) => parseOrderWebhookBody(event({ occurred_at }))[0]!.occurredAt;
    expect(['2026-11-24T18:00:00+08:00', '2026-11-24T10:00:00Z', '2026-11-24T10:00:00.000Z', '2026-11-24T10:00:00.0000+00:00'].map(at)).toEqual(Array(4).fill('2026-11-24T10:00:00.000Z'));
    expect(at('2028-02-29T23:59:59.999Z')).toBe('2028-02-29T23:59:59.999Z');
  });

  it('reads a batch of up to 1,000 events and refuses 1,001', () => {
    expect(parseOrderWebhookBody({ events: Array.from({ length: 1000 }, () => event()) })).toHaveLength(1000);
    expect(rejection({ events: Array.from({ length: 1001 }, () => event()) }).message).toBe('events: events must hold at most 1000 events');
    expect(rejection({ events: [] }).message).toBe('events: events must hold at least one event');
  });

  it('refuses amounts in yuan with a message naming the field and the unit', () => {
    const e = rejection(event({ lines: [{ line_id: '1', product_id: 'p', quantity: 1, paid_amount: 19.9, refunded_amount: 0 }] }));
    expect(e.code).toBe('invalid_order_event');
    expect(e.message).toBe('data.lines.0.paid_amount: paid_amount must be an integer number of minor units (fen), not a decimal amount');
  });

  it('refuses a refund larger than what was paid for the line', () => {
    const e = rejection(event({ lines: [{ line_id: '1', product_id: 'p', quantity: 1, paid_amount: 100, refunded_amount: 101 }] }));
    expect(e.message).toBe('data.lines.0.refunded_amount: refunded_amount must not exceed paid_amount');
  });

  it('refuses a zero quantity, an unknown status, another type, a bad date and a lower-case currency', () => {
    expect(rejection(event({ lines: [{ line_id: '1', product_id: 'p', quantity: 0, paid_amount: 1, refunded_amount: 0 }] })).message).toContain('quantity must be at least 1');
    expect(rejection(event({ status: 'closed' })).message).toBe('data.status: status must be one of created, paid, shipped, completed, refunded, cancelled');
    expect(rejection({ ...event(), type: 'order.created' }).message).toBe('type: type must be "order.updated"');
    expect(rejection(event({ occurred_at: 'yesterday' })).message).toContain('occurred_at must be an ISO-8601 date-time');
    expect(rejection(event({ currency: 'cny' })).message).toContain('three-letter ISO 4217 code');
  });

  it('refuses an event without lines or with the same line twice', () => {
    expect(rejection(event({ lines: [] })).message).toBe('data.lines: lines must hold at least one line');
    const line = { line_id: '1', product_id: 'p', quantity: 1, paid_amount: 1, refunded_amount: 0 };
    expect(rejection(event({ lines: [line, line] })).message).toBe('data.lines: line_id must be unique within an event');
  });

  it('lists every problem in the details, with its path', () => {
    const e = rejection({ events: [event({ status: 'x' }), event({ currency: 1 })] });
    expect(e.details).toEqual([
      { path: 'events.0.data.status', message: expect.any(String) },
      { path: 'events.1.data.currency', message: 'currency must be a string' },
    ]);
  });
});
