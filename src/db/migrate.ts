import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import * as foundation from './migrations/001_foundation.ts';
import * as pool from './migrations/002_pool.ts';
import * as showcaseLinks from './migrations/003_showcase_links.ts';
import * as ordersLedger from './migrations/004_orders_ledger.ts';
import * as orderPolling from './migrations/005_order_polling.ts';
import * as ledgerHotPaths from './migrations/006_ledger_hot_paths.ts';
import * as linksPerf from './migrations/010_links_perf.ts';
import * as ledgerWithoutRowid from './migrations/011_ledger_without_rowid.ts';
import * as orderEventsClustered from './migrations/012_order_events_clustered.ts';
import * as creatorOrdersByCommission from './migrations/013_creator_orders_by_commission.ts';
import * as orderEventsInOrders from './migrations/014_order_events_in_orders.ts';
import * as oneSettleQueue from './migrations/015_one_settle_queue.ts';
import * as clawbackIndex from './migrations/016_clawback_index.ts';
import * as settlementTotals from './migrations/017_settlement_totals.ts';
import * as commissionAsSettled from './migrations/018_commission_as_settled.ts';
import * as partialCommissionIndexesPostgres from './migrations/019_partial_commission_indexes_postgres.ts';
import * as settlementRunError from './migrations/020_settlement_run_error.ts';
import * as ordersBySourceAndPayment from './migrations/021_orders_by_source_and_payment.ts';
import * as positionKind from './migrations/022_position_kind.ts';
import * as taobaoInviterCode from './migrations/023_taobao_inviter_code.ts';
import * as readPathsIndexed from './migrations/024_read_paths_indexed.ts';
import * as payoutBatchTotals from './migrations/025_payout_batch_totals.ts';

/** Migrations are listed here in order, so they ship inside the code and need no file scanning. */
const MIGRATIONS: Record<string, Migration> = {
  '001_foundation': foundation,
  '002_pool': pool,
  '003_showcase_links': showcaseLinks,
  '004_orders_ledger': ordersLedger,
  '005_order_polling': orderPolling,
  '006_ledger_hot_paths': ledgerHotPaths,
  '010_links_perf': linksPerf,
  '011_ledger_without_rowid': ledgerWithoutRowid,
  '012_order_events_clustered': orderEventsClustered,
  '013_creator_orders_by_commission': creatorOrdersByCommission,
  '014_order_events_in_orders': orderEventsInOrders,
  '015_one_settle_queue': oneSettleQueue,
  '016_clawback_index': clawbackIndex,
  '017_settlement_totals': settlementTotals,
  '018_commission_as_settled': commissionAsSettled,
  '019_partial_commission_indexes_postgres': partialCommissionIndexesPostgres,
  '020_settlement_run_error': settlementRunError,
  '021_orders_by_source_and_payment': ordersBySourceAndPayment,
  '022_position_kind': positionKind,
  '023_taobao_inviter_code': taobaoInviterCode,
  '024_read_paths_indexed': readPathsIndexed,
  '025_payout_batch_totals': payoutBatchTotals,
};

class StaticMigrationProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    return MIGRATIONS;
  }
}

export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  // Numbers are taken in ranges per area (010 came before 006), so a database that already ran a
  // higher number must still run a lower one that shipped later.
  const migrator = new Migrator({ db, provider: new StaticMigrationProvider(), allowUnorderedMigrations: true });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Runs the migrations up to and including `name` (in name order), and no further: for migration tests. */
export async function migrateThrough(db: Kysely<any>, name: string): Promise<void> {
  const migrator = new Migrator({ db, provider: new StaticMigrationProvider(), allowUnorderedMigrations: true });
  const { error } = await migrator.migrateTo(name);
  if (error) throw error instanceof Error ? error : new Error(String(error));
}
