import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { InvalidInput } from '../../core/errors.ts';
import { verifyWebhook, WebhookHeadersMissing, WebhookRejected, WebhookSignatureInvalid, WebhookTimestampOutsideWindow } from './webhook.ts';

const secret = `whsec_${randomBytes(24).toString('base64')}`;
const NOW = new Date('2026-11-24T10:00:00.000Z');
const body = JSON.stringify({
  type: 'order.updated',
  data: { order_id: 'o-1', status: 'paid', occurred_at: '2026-11-24T09:59:00Z', currency: 'CNY', lines: [{ line_id: '1', product_id: 'p', quantity: 1, paid_amount: 1990, refunded_amount: 0 }] },
});

function signed(payload: string, sentAt = NOW, id = 'msg_1', key = secret): Record<string, string> {
  return {
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
    'webhook-signature': new Webhook(key).sign(id, sentAt, payload),
  };
}

function refusal(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected the delivery to be refused');
}

describe('verifying an order webhook', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
  });
  afterEach(() => vi.useRealTimers());

  it('accepts a delivery signed with the source secret and returns its id, time and events', () => {
    const delivery = verifyWebhook(secret, signed(body), body, NOW);
    expect(delivery.webhookId).toBe('msg_1');
    expect(delivery.sentAt).toEqual(NOW);
    expect(delivery.events.map((e) => [e.orderId, e.status])).toEqual([['o-1', 'paid']]);
  });

  it('reads headers whatever their case, and one valid signature among several is enough', () => {
    const h = signed(body);
    const other = new Webhook(`whsec_${randomBytes(24).toString('base64')}`).sign('msg_1', NOW, body);
    const headers = { 'Webhook-Id': h['webhook-id'], 'WEBHOOK-TIMESTAMP': h['webhook-timestamp'], 'webhook-signature': `${other} ${h['webhook-signature']}` };
    expect(verifyWebhook(secret, headers, body, NOW).events).toHaveLength(1);
  });

  it('accepts a timestamp up to 5 minutes either side of now', () => {
    expect(verifyWebhook(secret, signed(body, new Date(NOW.getTime() - 300_000)), body, NOW).events).toHaveLength(1);
    expect(verifyWebhook(secret, signed(body, new Date(NOW.getTime() + 300_000)), body, NOW).events).toHaveLength(1);
  });

  it('refuses a body changed after signing as a bad signature (401)', () => {
    const error = refusal(() => verifyWebhook(secret, signed(body), body.replace('1990', '99990'), NOW));
    expect(error).toBeInstanceOf(WebhookSignatureInvalid);
    expect(error).toMatchObject({ status: 401, code: 'webhook_signature_invalid' });
  });

  it('refuses a delivery signed with another secret, or under another webhook-id', () => {
    const otherSecret = `whsec_${randomBytes(24).toString('base64')}`;
    expect(refusal(() => verifyWebhook(secret, signed(body, NOW, 'msg_1', otherSecret), body, NOW))).toBeInstanceOf(WebhookSignatureInvalid);
    const replayedUnderNewId = { ...signed(body), 'webhook-id': 'msg_2' };
    expect(refusal(() => verifyWebhook(secret, replayedUnderNewId, body, NOW))).toBeInstanceOf(WebhookSignatureInvalid);
  });

  it('refuses a timestamp more than 5 minutes old or ahead, signed or not', () => {
    for (const offsetMs of [-301_000, 301_000, -86_400_000]) {
      const error = refusal(() => verifyWebhook(secret, signed(body, new Date(NOW.getTime() + offsetMs)), body, NOW));
      expect(error).toBeInstanceOf(WebhookTimestampOutsideWindow);
      expect(error).toMatchObject({ status: 401, code: 'webhook_timestamp_outside_window' });
    }
    expect(refusal(() => verifyWebhook(secret, { ...signed(body), 'webhook-timestamp': 'soon' }, body, NOW))).toBeInstanceOf(WebhookTimestampOutsideWindow);
  });

  it('refuses a delivery whose signature was made for another timestamp', () => {
    const headers = { ...signed(body, new Date(NOW.getTime() - 60_000)), 'webhook-timestamp': String(NOW.getTime() / 1000) };
    expect(refusal(() => verifyWebhook(secret, headers, body, NOW))).toBeInstanceOf(WebhookSignatureInvalid);
  });

  it('refuses a delivery missing any of the three headers, naming them', () => {
    for (const name of ['webhook-id', 'webhook-timestamp', 'webhook-signature']) {
      const error = refusal(() => verifyWebhook(secret, { ...signed(body), [name]: undefined }, body, NOW));
      expect(error).toBeInstanceOf(WebhookHeadersMissing);
      expect(error).toMatchObject({ status: 401, code: 'webhook_headers_missing', missing: [name] });
    }
    expect((refusal(() => verifyWebhook(secret, {}, body, NOW)) as WebhookHeadersMissing).missing).toHaveLength(3);
  });

  it('checks the signature before reading the body, so a forged bad body is a 401, not a 400', () => {
    const garbage = 'not json';
    expect(refusal(() => verifyWebhook(secret, { ...signed(body) }, garbage, NOW))).toBeInstanceOf(WebhookRejected);
    expect(refusal(() => verifyWebhook(secret, signed(garbage), garbage, NOW))).toMatchObject({ status: 400, code: 'invalid_json' });
    const notAnEvent = JSON.stringify({ type: 'order.updated', data: {} });
    expect(refusal(() => verifyWebhook(secret, signed(notAnEvent), notAnEvent, NOW))).toBeInstanceOf(InvalidInput);
  });
});
