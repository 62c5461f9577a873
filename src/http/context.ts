import type { Config } from '../core/config.ts';
import type { Db } from '../db/connection.ts';
import { WebhookVerifier } from '../modules/orders/verifier.ts';
import { MemoryPoolIndex } from '../modules/pool/search/memory-index.ts';
import { PoolService } from '../modules/pool/service.ts';
import { Changes } from './changes.ts';

/** What every route module is handed: the database, the configuration, the pool and its index. */
export interface AppContext {
  db: Db;
  config: Config;
  pool: PoolService;
  /** Checks large order webhook deliveries in a worker thread (started on first use, or by `warm`). */
  webhookVerifier: WebhookVerifier;
  /** Changes one module announces to those that cache its data on this node. */
  changes: Changes;
}

/**
 * Opens the pool: an in-process index replica built from the database. A deployment that
 * outgrows one machine swaps MemoryPoolIndex for a client of a dedicated engine (same interface).
 */
export async function openAppContext(db: Db, config: Config): Promise<AppContext> {
  const pool = new PoolService(db.kysely, new MemoryPoolIndex(), db.reads);
  await pool.rebuild();
  return { db, config, pool, webhookVerifier: new WebhookVerifier(), changes: new Changes() };
}
