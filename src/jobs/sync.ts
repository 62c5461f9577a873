import type { Kysely } from 'kysely';
import { nowIso } from '../core/time.ts';
import type { Database } from '../db/schema.ts';
import type { ParsedRow } from '../modules/pool/model.ts';
import type { ImportReport } from '../modules/pool/import.ts';
import type { PoolService } from '../modules/pool/service.ts';
import { claimDueSyncs, clientFor, connectionOf, recordSyncOutcome } from '../modules/sources/connections.ts';
import { findSource } from '../modules/sources/service.ts';
import { pollSourceOrders } from './orders.ts';

type Q = Kysely<Database>;

const FORMAT_OF: Record<string, string> = { pdd: 'pdd-api-sync', jd: 'jd-api-sync', taobao: 'taobao-api-sync' };

/**
 * One incremental sync of a connected platform source: every page of every keyword, as one
 * import (so it lands whole), then the index is refreshed.
 */
export async function syncSource(db: Q, pool: PoolService, sourceId: string, options: { fetch?: typeof fetch; minBackoffMs?: number; maxPages?: number } = {}): Promise<ImportReport> {
  const source = await findSource(db, sourceId);
  const connection = await connectionOf(db, sourceId);
  const client = clientFor(source, connection, options);
  const keywords = JSON.parse(connection.keywords) as string[];
  async function* rows(): AsyncGenerator<ParsedRow> {
    let row = 0;
    for (const keyword of keywords.length > 0 ? keywords : [undefined]) {
      for await (const page of client.pages({ keyword, maxPages: options.maxPages })) {
        for (const parsed of page) yield { ...parsed, row: ++row };
      }
    }
  }
  try {
    const report = await pool.importParsed(source, FORMAT_OF[source.platform ?? ''] ?? 'api-sync', 'incremental', rows());
    await recordSyncOutcome(db, sourceId, null);
    return report;
  } catch (error) {
    await recordSyncOutcome(db, sourceId, error instanceof Error ? error.message : String(error));
    throw error;
  }
}

/** Runs due syncs (products, then orders) every minute; a failure is recorded on its source and retried on schedule. */
export function startSyncScheduler(db: Q, pool: PoolService, log: (message: string) => void, everyMs = 60_000): () => void {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      for (const connection of await claimDueSyncs(db, nowIso())) {
        try {
          const report = await syncSource(db, pool, connection.source_id);
          log(`synced ${connection.source_id}: ${report.imported} new, ${report.updated} updated, ${report.rejected.length} rejected`);
        } catch (error) {
          log(`sync of ${connection.source_id} failed: ${error instanceof Error ? error.message : String(error)}`);
        }
        try {
          const report = await pollSourceOrders(db, connection.source_id);
          log(`polled orders of ${connection.source_id}: ${report.orders} read, ${report.applied} changes, ${report.rejected} rejected rows`);
        } catch (error) {
          log(`order poll of ${connection.source_id} failed: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), everyMs);
  timer.unref();
  void tick();
  return () => clearInterval(timer);
}
