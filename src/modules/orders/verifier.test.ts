import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { afterAll, describe, expect, it } from 'vitest';
import { DomainError } from '../../core/errors.ts';
import { packDelivery, unpackDelivery, VERIFY_INLINE_BELOW_BYTES, WebhookVerifier } from './verifier.ts';
import { verifyWebhook } from './webhook.ts';

const secret = `whsec_${randomBytes(24).toString('base64')}`;

/** A batch big enough to go to the worker. */
function batch(events: number, now = new Date()): string {
  const at = new Date(now.getTime() - 60_000).toISOString();
  return JSON.stringify({
    events: Array.from({ length: events }, (_, i) => ({
      type: 'order.updated',
      data: { order_id: `JD${i}`, status: 'paid', occurred_at: at, currency: 'CNY', click_id: `clk_${i}`, lines: [{ line_id: '1', product_id: `P${i}`, quantity: 1, paid_amount: 1990 + i, refunded_amount: 0 }] },
    })),
  });
}

function signed(payload: string, id = 'msg_1', key = secret, sentAt = new Date()): Record<string, string> {
  return { 'webhook-id': id, 'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)), 'webhook-signature': new Webhook(key).sign(id, sentAt, payload) };
}

async function refusal(promise: Promise<unknown>): Promise<DomainError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  if (!(error instanceof DomainError)) throw new Error(`expected a refusal, got ${String(error)}`);
  return error;
}

describe('verifying large webhook deliveries off the event loop', () => {
  const verifier = new WebhookVerifier();
  afterAll(() => verifier.close());

  it('gives the same delivery as verifying inline, for a batch large enough to go to the worker', async () => {
    const body = batch(500);
    expect(body.length).toBeGreaterThan(VERIFY_INLINE_BELOW_BYTES);
    const headers = signed(body, 'msg_big');
    const inWorker = await verifier.verify(secret, headers, body);
    expect(inWorker).toEqual(verifyWebhook(secret, headers, body));
    expect(inWorker.sentAt).toBeInstanceOf(Date);
    expect(inWorker.events).toHaveLength(500);
    expect(inWorker.events[499]).toMatchObject({ orderId: 'JD499', clickId: 'clk_499', lines: [{ paidAmountMinor: 2489 }] });
  });

  it('verifies the bytes as received, large in the worker and small inline, decoding UTF-8 and leaving the caller’s buffer intact', async () => {
    const big = batch(500).replace('"JD0"', '"京东0"');
    const bytes = Buffer.from(big);
    expect(bytes.length).toBeGreaterThan(big.length); // three bytes a Chinese character
    const headers = signed(big, 'msg_bytes');
    const inWorker = await verifier.verify(secret, headers, bytes);
    expect(inWorker).toEqual(verifyWebhook(secret, headers, big));
    expect(inWorker.events[0]!.orderId).toBe('京东0');
    expect(bytes.toString('utf8')).toBe(big);
    const small = batch(1);
    expect((await verifier.verify(secret, signed(small, 'msg_small_bytes'), Buffer.from(small))).events).toHaveLength(1);
    const tampered = Buffer.from(big.replace('"JD1"', '"JD2"'));
    expect((await refusal(verifier.verify(secret, headers, tampered))).code).toBe('webhook_signature_invalid');
  });

  it('verifies several deliveries in flight at once, each with its own result', async () => {
    const bodies = [batch(300), batch(400), batch(350)];
    const results = await Promise.all(bodies.map((body, i) => verifier.verify(secret, signed(body, `msg_${i}`), body)));
    expect(results.map((r) => [r.webhookId, r.events.length])).toEqual([['msg_0', 300], ['msg_1', 400], ['msg_2', 350]]);
  });

  it('refuses a large delivery with a bad signature, or a bad body, with the status and code of an inline refusal', async () => {
    const body = batch(300);
    const forged = await refusal(verifier.verify(secret, signed(body, 'msg_x', `whsec_${randomBytes(24).toString('base64')}`), body));
    expect([forged.status, forged.code]).toEqual([401, 'webhook_signature_invalid']);
    const notJson = `${body.slice(0, -1)} oops`;
    const broken = await refusal(verifier.verify(secret, signed(notJson), notJson));
    expect([broken.status, broken.code]).toEqual([400, 'invalid_json']);
    const missing = await refusal(verifier.verify(secret, { 'webhook-id': 'msg_y' }, body));
    expect([missing.status, missing.code]).toEqual([401, 'webhook_headers_missing']);
  });

  it('verifies a small delivery inline, with the same refusals', async () => {
    const body = batch(1);
    expect(body.length).toBeLessThan(VERIFY_INLINE_BELOW_BYTES);
    expect((await verifier.verify(secret, signed(body, 'msg_small'), body)).events).toHaveLength(1);
    const forged = await refusal(verifier.verify(secret, signed(body, 'msg_s', `whsec_${randomBytes(24).toString('base64')}`), body));
    expect(forged.code).toBe('webhook_signature_invalid');
  });

  it('refuses what is in the worker when it is closed, and starts a new worker on the next delivery', async () => {
    const body = batch(800);
    const inFlight = verifier.verify(secret, signed(body, 'msg_closed'), body);
    await verifier.close();
    await expect(inFlight).rejects.toThrow(/closed|exited/);
    expect((await verifier.verify(secret, signed(body, 'msg_after'), body)).webhookId).toBe('msg_after');
  });
});

describe('handing a verified delivery from the worker to the event loop', () => {
  it('rebuilds the same events and records, whatever characters the payloads hold', () => {
    const at = new Date(Date.now() - 60_000).toISOString();
    const body = JSON.stringify({
      events: [
        { type: 'order.updated', data: { order_id: '订单"1"', status: 'paid', occurred_at: at, currency: 'CNY', sub_id: 'a,b]\n{c}', lines: [{ line_id: '1', product_id: '商品 😀', quantity: 2, paid_amount: 1990, refunded_amount: 0, commission_rate_bps: 1250 }] } },
        { type: 'order.updated', data: { order_id: 'JD2', status: 'refunded', occurred_at: at, currency: 'CNY', click_id: 'clk_\\x', lines: [{ line_id: '1', product_id: 'P', quantity: 1, paid_amount: 5, refunded_amount: 5 }] } },
        { type: 'order.updated', data: { order_id: 'JD3', status: 'created', occurred_at: at, currency: 'USD', lines: [{ line_id: 'x', product_id: 'Q', quantity: 1, paid_amount: 0, refunded_amount: 0 }] } },
      ],
    });
    const delivery = verifyWebhook(secret, signed(body, 'msg_pack'), body);
    const packed = packDelivery(delivery);
    expect(typeof packed.json).toBe('string');
    const back = unpackDelivery(structuredClone(packed));
    expect(back).toEqual(delivery);
    expect(back.records.map((r) => JSON.parse(r.payload))).toEqual(delivery.events);
  });
});

describe('warming the verifier', () => {
  it('starts the worker before any delivery, and an idle worker does not keep the process alive', () => {
    // A process of its own that warms a verifier and then has nothing left to do: it must end by
    // itself (a server's CLI neighbours and tests would otherwise hang), having started the worker.
    const script = `import { WebhookVerifier } from ${JSON.stringify(new URL('./verifier.ts', import.meta.url).pathname)};
      const verifier = new WebhookVerifier();
      const before = verifier.running;
      verifier.warm();
      console.log(JSON.stringify({ before, after: verifier.running }));`;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30_000 });
    expect(child.error).toBeUndefined();
    expect(child.status).toBe(0);
    expect(JSON.parse(child.stdout.trim())).toEqual({ before: false, after: true });
  });

  it('verifies with a warmed worker as with one started by a delivery, and can be warmed again after closing', async () => {
    const verifier = new WebhookVerifier();
    try {
      verifier.warm();
      const body = batch(200);
      const headers = signed(body, 'msg_warm');
      expect(await verifier.verify(secret, headers, body)).toEqual(verifyWebhook(secret, headers, body));
      await verifier.close();
      expect(verifier.running).toBe(false);
      verifier.warm();
      expect(verifier.running).toBe(true);
      expect(await verifier.verify(secret, headers, body)).toEqual(verifyWebhook(secret, headers, body));
    } finally {
      await verifier.close();
    }
  });
});
