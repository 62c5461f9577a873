import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { DomainError, InvalidInput } from '../../core/errors.ts';
import { eventRecordOf, type EventRecord } from './event-record.ts';
import { parseOrderWebhookBody, type OrderEvent } from './model.ts';

/**
 * Verification of the contract's order webhook (Standard Webhooks). The signature is checked by
 * the `standardwebhooks` reference implementation, never by our own HMAC code; we only check the
 * headers and the clock first, so each refusal gets its own typed error and code.
 */
export const WEBHOOK_TOLERANCE_SECONDS = 5 * 60;
const REQUIRED_HEADERS = ['webhook-id', 'webhook-timestamp', 'webhook-signature'] as const;

/** Every refusal is a 401 and changes nothing (CONTRACT.md). */
export class WebhookRejected extends DomainError {
  constructor(code: string, message: string, details?: unknown) {
    super(401, code, message, details);
  }
}

export class WebhookHeadersMissing extends WebhookRejected {
  constructor(readonly missing: string[]) {
    super('webhook_headers_missing', `missing webhook headers: ${missing.join(', ')}`, { missing });
  }
}

export class WebhookTimestampOutsideWindow extends WebhookRejected {
  constructor(timestamp: string) {
    super('webhook_timestamp_outside_window', `webhook-timestamp ${timestamp} is not a Unix time within ${WEBHOOK_TOLERANCE_SECONDS / 60} minutes of now`);
  }
}

export class WebhookSignatureInvalid extends WebhookRejected {
  constructor() {
    super('webhook_signature_invalid', 'webhook-signature does not match the body for this source\'s secret');
  }
}

export interface VerifiedDelivery {
  /** `webhook-id`: the same id delivered again must change nothing (the caller dedupes on it). */
  webhookId: string;
  sentAt: Date;
  events: OrderEvent[];
  /** Per event, in the same order: what the order keeps of it (`orders.events`), made here (off the event loop, for a large delivery). */
  records: EventRecord[];
}

/**
 * `now` is the clock the 5-minute window is checked against. The library checks the same
 * window against the process clock, so a `now` far from it is refused too: tests that move time
 * set the system time (vi.setSystemTime) and pass the same instant.
 */
export function verifyWebhook(secret: string, headers: Record<string, string | undefined>, rawBody: string, now: Date = new Date()): VerifiedDelivery {
  const present = lowerCased(headers);
  const missing = REQUIRED_HEADERS.filter((h) => !present[h]);
  if (missing.length > 0) throw new WebhookHeadersMissing(missing);
  const timestamp = present['webhook-timestamp']!;
  const sentAt = sentAtWithinWindow(timestamp, now);
  try {
    new Webhook(secret).verify(rawBody, present, { jsonParse: false });
  } catch (error) {
    if (!(error instanceof WebhookVerificationError)) throw error;
    if (/timestamp/i.test(error.message)) throw new WebhookTimestampOutsideWindow(timestamp);
    throw new WebhookSignatureInvalid();
  }
  const events = parseOrderWebhookBody(parseJson(rawBody));
  return { webhookId: present['webhook-id']!, sentAt, events, records: events.map(eventRecordOf) };
}

function lowerCased(headers: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) out[name.toLowerCase()] = value;
  return out;
}

function sentAtWithinWindow(timestamp: string, now: Date): Date {
  if (!/^\d{1,12}$/.test(timestamp)) throw new WebhookTimestampOutsideWindow(timestamp);
  const sentAt = new Date(Number(timestamp) * 1000);
  if (Math.abs(now.getTime() - sentAt.getTime()) > WEBHOOK_TOLERANCE_SECONDS * 1000) throw new WebhookTimestampOutsideWindow(timestamp);
  return sentAt;
}

function parseJson(rawBody: string): unknown {
  try {
    return JSON.parse(rawBody);
  } catch {
    throw new InvalidInput('invalid_json', 'the webhook body is not valid JSON');
  }
}
