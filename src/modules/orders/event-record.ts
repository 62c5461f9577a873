import type { OrderEvent } from './model.ts';
import { identityOfUncached } from './state-machine.ts';

/**
 * What an order keeps of an event besides how it came in: its identity and its content. Made
 * where a delivery is parsed — for a large webhook delivery, in the verifier's worker thread — so
 * the one thread that writes the database does not spend its time serialising and hashing events.
 */
export interface EventRecord {
  /** The event's identity (`identityOf`, made uncached): what the state machine tells events apart by. */
  key: string;
  /** The event as JSON: what the operator's history shows and the state machine replays. */
  payload: string;
}

export function eventRecordOf(event: OrderEvent): EventRecord {
  return { key: identityOfUncached(event), payload: JSON.stringify(event) };
}

/** How an event came in, kept with it. */
export interface Receipt {
  via: 'webhook' | 'poll' | 'import' | 'manual';
  /** The webhook delivery's `webhook-id`. */
  deliveryId: string | null;
  /** The platform's own status code, beside ours (PDD order_status, JD validCode, Taobao tk_status). */
  rawStatus: string | null;
  receivedAt: string;
}

/** One event an order has applied, as `orders.events` keeps it. */
export interface StoredEvent extends Receipt {
  key: string;
  event: OrderEvent;
}

/**
 * An event as one line of `orders.events` (JSON Lines, newline-terminated): the record's JSON is
 * spliced in as made, so nothing is serialised twice. Appending to the column takes no read of it.
 */
export function eventLineOf(record: EventRecord, receipt: Receipt): string {
  return eventLinesOf(receipt)(record, receipt.rawStatus);
}

/**
 * `eventLineOf` for the events of one delivery, which share their receipt but for the raw status:
 * the receipt's part of a line is serialised once per raw status, not once per event.
 */
export function eventLinesOf(receipt: Omit<Receipt, 'rawStatus'>): (record: EventRecord, rawStatus: string | null) => string {
  const tails = new Map<string | null, string>();
  return (record, rawStatus) => {
    let tail = tails.get(rawStatus);
    if (tail === undefined) {
      const rest = JSON.stringify({ via: receipt.via, delivery: receipt.deliveryId, raw: rawStatus, received: receipt.receivedAt });
      tails.set(rawStatus, (tail = `,${rest.slice(1, -1)},"event":`));
    }
    return `{"key":${JSON.stringify(record.key)}${tail}${record.payload}}\n`;
  };
}

/** The events of an `orders.events` column, in the order they were applied. */
export function storedEventsOf(column: string): StoredEvent[] {
  const out: StoredEvent[] = [];
  for (const line of column.split('\n')) {
    if (line.length === 0) continue;
    const e = JSON.parse(line) as { key: string; via: Receipt['via']; delivery: string | null; raw: string | null; received: string; event: OrderEvent };
    out.push({ key: e.key, via: e.via, deliveryId: e.delivery, rawStatus: e.raw, receivedAt: e.received, event: e.event });
  }
  return out;
}
