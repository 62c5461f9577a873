// The webhook verifier's worker thread (verifier.ts): checks a delivery's signature and parses
// its events off the event loop. Plain JavaScript that registers tsx itself, so it starts the
// same way under `npm start`, the tests and the benchmarks.
import { parentPort } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { verifyWebhook } = await import('./webhook.ts');
const { DomainError } = await import('../../core/errors.ts');
const { packDelivery } = await import('./verifier.ts');

parentPort.on('message', ({ id, secret, headers, body, nowMs }) => {
  try {
    // The route's bytes arrive as a Uint8Array moved here, decoded off the event loop.
    const text = typeof body === 'string' ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
    const delivery = verifyWebhook(secret, headers, text, new Date(nowMs));
    parentPort.postMessage({ id, delivery: packDelivery(delivery) });
  } catch (error) {
    const refusal = error instanceof DomainError ? { status: error.status, code: error.code, message: error.message, details: error.details } : { message: String(error?.stack ?? error) };
    parentPort.postMessage({ id, error: refusal });
  }
});
