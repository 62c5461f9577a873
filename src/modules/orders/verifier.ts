import { Worker } from 'node:worker_threads';
import { DomainError } from '../../core/errors.ts';
import { verifyWebhook, type VerifiedDelivery } from './webhook.ts';

/**
 * Below this size a delivery is verified on the event loop: handing it to the worker and its
 * events back costs more than checking a few events. A full batch (1,000 events, about 300 KB)
 * takes some 15 ms of HMAC, JSON and schema checks, which would otherwise hold up every other
 * request, redirects included.
 */
export const VERIFY_INLINE_BELOW_BYTES = 32 * 1024;

type Refusal = { status?: number; code?: string; message: string; details?: unknown };
type Reply = { id: number; delivery?: PackedDelivery; error?: Refusal };

/**
 * A verified delivery as the worker hands it over: its events' JSON as one array, and their
 * identities. One string crosses threads instead of a thousand objects, and the event loop
 * rebuilds the events with one `JSON.parse` (about half what the structured clone's
 * deserialisation of the same objects cost); each record's payload is a slice of that string.
 */
export interface PackedDelivery {
  webhookId: string;
  sentAtMs: number;
  /** `[payload,payload,…]`: the records' payloads, in order, joined. */
  json: string;
  /** Per event, its identity and the length of its payload. */
  keys: string[];
  lengths: number[];
}

export function packDelivery(delivery: VerifiedDelivery): PackedDelivery {
  const payloads = delivery.records.map((r) => r.payload);
  return { webhookId: delivery.webhookId, sentAtMs: delivery.sentAt.getTime(), json: `[${payloads.join(',')}]`, keys: delivery.records.map((r) => r.key), lengths: payloads.map((p) => p.length) };
}

export function unpackDelivery(packed: PackedDelivery): VerifiedDelivery {
  const events = JSON.parse(packed.json) as VerifiedDelivery['events'];
  const records = new Array<VerifiedDelivery['records'][number]>(events.length);
  let at = 1;
  for (let i = 0; i < events.length; i++) {
    const end = at + packed.lengths[i]!;
    records[i] = { key: packed.keys[i]!, payload: packed.json.slice(at, end) };
    at = end + 1;
  }
  return { webhookId: packed.webhookId, sentAt: new Date(packed.sentAtMs), events, records };
}

/**
 * Standard Webhooks verification (webhook.ts) of large deliveries in a worker thread, so the
 * server keeps answering while it checks one, and ingests one delivery while it checks the next.
 * The worker starts on first use and is kept alive only while a delivery is in it. Refusals come
 * back as the same status, code and message as when checked inline.
 */
export class WebhookVerifier {
  #worker: Worker | null = null;
  #pending = new Map<number, { resolve: (d: VerifiedDelivery) => void; reject: (e: Error) => void }>();
  #nextId = 1;

  /**
   * `rawBody` as received: the bytes (the route's), or text. A large delivery's bytes go to the
   * worker as they are, in a buffer handed over rather than copied, and are decoded there: on
   * this machine decoding a delivery's 250 KB took the event loop ~1.3 ms, and handing the text
   * to the worker ~0.7 ms more, against ~0.05 ms to copy the bytes and hand them over.
   */
  verify(secret: string, headers: Record<string, string | undefined>, rawBody: string | Buffer, now: Date = new Date()): Promise<VerifiedDelivery> {
    if (rawBody.length < VERIFY_INLINE_BELOW_BYTES) {
      return Promise.resolve().then(() => verifyWebhook(secret, headers, typeof rawBody === 'string' ? rawBody : rawBody.toString('utf8'), now));
    }
    const worker = this.#started();
    const id = this.#nextId++;
    // A copy of the bytes in a buffer of their own, moved to the worker: the caller's stays intact.
    const body = typeof rawBody === 'string' ? rawBody : new Uint8Array(rawBody);
    return new Promise<VerifiedDelivery>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      if (this.#pending.size === 1) worker.ref();
      worker.postMessage({ id, secret, headers: plainHeaders(headers), body, nowMs: now.getTime() }, typeof body === 'string' ? [] : [body.buffer]);
    });
  }

  /**
   * Starts the worker now rather than with the first large delivery, which otherwise waits for it
   * (~0.4 s on the reference machine: a thread, and tsx loading the parser's modules). A server
   * warms it once it listens; an idle worker does not keep the process alive.
   */
  warm(): void {
    this.#started();
  }

  /** Whether the worker has been started (by a large delivery or `warm`) and not closed since. */
  get running(): boolean {
    return this.#worker !== null;
  }

  /** Stops the worker; deliveries still in it are refused. */
  async close(): Promise<void> {
    const worker = this.#worker;
    this.#worker = null;
    if (worker) await worker.terminate();
    this.#failAll(new Error('the webhook verifier was closed'));
  }

  #started(): Worker {
    if (this.#worker) return this.#worker;
    const worker = new Worker(new URL('./verify-worker.mjs', import.meta.url));
    worker.unref();
    worker.on('message', ({ id, delivery, error }: Reply) => {
      const waiting = this.#pending.get(id);
      if (!waiting) return;
      this.#pending.delete(id);
      if (this.#pending.size === 0) worker.unref();
      if (error) waiting.reject(error.status !== undefined && error.code !== undefined ? new DomainError(error.status, error.code, error.message, error.details) : new Error(error.message));
      else waiting.resolve(unpackDelivery(delivery!));
    });
    const gone = (error: Error) => {
      if (this.#worker === worker) this.#worker = null;
      this.#failAll(error);
    };
    worker.on('error', gone);
    worker.on('exit', (code) => gone(new Error(`the webhook verifier's worker exited (${code})`)));
    this.#worker = worker;
    return worker;
  }

  #failAll(error: Error): void {
    for (const waiting of this.#pending.values()) waiting.reject(error);
    this.#pending.clear();
  }
}

/** Fastify's headers may hold arrays and other values a worker message can carry but we do not need. */
function plainHeaders(headers: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (typeof value === 'string') out[name] = value;
  return out;
}
