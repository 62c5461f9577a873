import { createHash } from 'node:crypto';
import type { OrderEvent } from './model.ts';
import { eventKey } from './state-machine.ts';

/**
 * What `order_events` stores of an event besides its columns: its identity and its content. Made
 * where a delivery is parsed — for a large webhook delivery, in the verifier's worker thread — so
 * the one thread that writes the database does not spend its time serialising and hashing events.
 */
export interface EventRecord {
  /**
   * The event's identity as order_events stores it under its primary key: the first 128 bits of
   * its key's SHA-256, in base64url (22 characters, a third of the hex digest: a smaller key for
   * every event). The state machine deduplicates events by their full key; this only backs it up.
   */
  key: string;
  /** The event as JSON: what the operator's history shows and the state machine replays. */
  payload: string;
}

export function eventRecordOf(event: OrderEvent): EventRecord {
  return { key: createHash('sha256').update(eventKey(event)).digest().subarray(0, 16).toString('base64url'), payload: JSON.stringify(event) };
}
