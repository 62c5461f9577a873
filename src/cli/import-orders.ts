import { createReadStream, statSync } from 'node:fs';
import { InvalidInput } from '../core/errors.ts';
import { inTransaction } from '../db/transaction.ts';
import { MAX_EVENTS_PER_DELIVERY, type OrderEvent } from '../modules/orders/model.ts';
import { readOrderReport } from '../modules/orders/report.ts';
import { ingestOrderEvents } from '../modules/orders/service.ts';
import { findSource } from '../modules/sources/service.ts';
import { printResult, withDb } from './context.ts';

const FORMATS = ['csv', 'jsonl'] as const;

/**
 * `vitrine import-orders --source ID --format csv|jsonl FILE`: the whole report is read first (a
 * broken file is refused before anything is applied), then its events are applied in one
 * transaction, a thousand at a time, exactly as webhook deliveries are. Bad rows are reported
 * and the rest imported; importing the same report again changes nothing.
 */
export async function importOrdersCommand(file: string, options: { source: string; format: string }): Promise<void> {
  const format = options.format as (typeof FORMATS)[number];
  if (!FORMATS.includes(format)) throw new InvalidInput('invalid_format', `--format must be one of ${FORMATS.join(', ')}`);
  try {
    statSync(file);
  } catch {
    throw new InvalidInput('file_not_found', `cannot read ${file}`);
  }
  await withDb(async (db) => {
    const source = await findSource(db.kysely, options.source);
    const events: OrderEvent[] = [];
    const rejected: { row: number; reason: string }[] = [];
    for await (const item of readOrderReport(createReadStream(file), format)) {
      if ('event' in item) events.push(item.event);
      else rejected.push({ row: item.row, reason: item.rejected });
    }
    const totals = { events: events.length, applied: 0, orders: 0 };
    await inTransaction(db.kysely, async (tx) => {
      for (let i = 0; i < events.length; i += MAX_EVENTS_PER_DELIVERY) {
        const report = await ingestOrderEvents(tx, source.id, events.slice(i, i + MAX_EVENTS_PER_DELIVERY).map((event) => ({ event })), { via: 'import' });
        totals.applied += report.applied;
        totals.orders += report.orders;
      }
    });
    printResult({ ...totals, rejected });
  });
}
