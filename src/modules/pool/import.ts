import type { Kysely } from 'kysely';
import { newId } from '../../core/ids.ts';
import { nowIso } from '../../core/time.ts';
import type { Database, ImportMode, ProductsTable } from '../../db/schema.ts';
import { inTransaction } from '../../db/transaction.ts';
import type { Source } from '../sources/model.ts';
import type { ParsedRow, ProductInput, RejectedRow } from './model.ts';
import { commissionPerUnitMinor, finalPriceMinor, groupKeyOf } from './rules.ts';

type Q = Kysely<Database>;

export interface ImportOptions {
  source: Source;
  format: string;
  /** full: a product of this source missing from the import goes offline; incremental: untouched. */
  mode: ImportMode;
  actorUserId?: string | null;
  onProgress?: (rowsRead: number) => void;
}

export interface ImportReport {
  importId: string;
  imported: number;
  updated: number;
  offline: number;
  rejected: RejectedRow[];
}

const BATCH_SIZE = 500;

/**
 * Upserts a stream of parsed rows into the pool by (source, source product id), in one
 * transaction: an import lands whole or not at all. Bad rows are reported with their row number
 * and reason, the rest imported. In a full sync, the source's products the import did not
 * mention go offline (never deleted). The run and its rejections are kept as import history.
 */
export async function importProducts(db: Q, rows: AsyncIterable<ParsedRow>, options: ImportOptions): Promise<ImportReport> {
  const importId = newId('import');
  const startedAt = nowIso();
  await db
    .insertInto('import_runs')
    .values({ id: importId, source_id: options.source.id, format: options.format, mode: options.mode, status: 'running', started_by: options.actorUserId ?? null, started_at: startedAt, finished_at: null, error: null, imported: 0, updated: 0, offline: 0, rejected: 0 })
    .execute();
  try {
    // Inside a caller's transaction (the demo fills everything in one) the import joins it.
    const report = await inTransaction(db, async (tx) => {
      const counts = { imported: 0, updated: 0, offline: 0, rejected: [] as RejectedRow[] };
      let batch: { row: number; product: ProductInput }[] = [];
      let read = 0;
      const flush = async () => {
        const result = await upsertBatch(tx, batch, options.source, importId, startedAt);
        counts.imported += result.imported;
        counts.updated += result.updated;
        counts.rejected.push(...result.rejected);
        batch = [];
      };
      for await (const parsed of rows) {
        read += 1;
        if ('rejected' in parsed) counts.rejected.push({ row: parsed.row, reason: parsed.rejected });
        else batch.push(parsed);
        if (batch.length >= BATCH_SIZE) await flush();
        if (read % 10_000 === 0) options.onProgress?.(read);
      }
      await flush();
      options.onProgress?.(read);
      if (options.mode === 'full') counts.offline = await markMissingOffline(tx, options.source.id, importId, startedAt);
      counts.rejected.sort((a, b) => a.row - b.row);
      for (let i = 0; i < counts.rejected.length; i += BATCH_SIZE) {
        await tx.insertInto('import_rejections').values(counts.rejected.slice(i, i + BATCH_SIZE).map((r) => ({ import_id: importId, row: r.row, reason: r.reason }))).execute();
      }
      await tx
        .updateTable('import_runs')
        .set({ status: 'completed', finished_at: nowIso(), imported: counts.imported, updated: counts.updated, offline: counts.offline, rejected: counts.rejected.length })
        .where('id', '=', importId)
        .execute();
      return counts;
    });
    return { importId, ...report };
  } catch (error) {
    // In a caller's transaction the run itself is rolled back with everything else.
    if (db.isTransaction) throw error;
    const message = error instanceof Error ? error.message : String(error);
    await db.updateTable('import_runs').set({ status: 'failed', finished_at: nowIso(), error: message.slice(0, 1000) }).where('id', '=', importId).execute();
    throw error;
  }
}

async function upsertBatch(tx: Q, batch: { row: number; product: ProductInput }[], source: Source, importId: string, now: string) {
  const result = { imported: 0, updated: 0, rejected: [] as RejectedRow[] };
  if (batch.length === 0) return result;
  const keys = [...new Set(batch.map((b) => b.product.sourceProductId))];
  const existing = new Map(
    (await tx.selectFrom('products').select(['id', 'source_product_id', 'last_import_id', 'created_at']).where('source_id', '=', source.id).where('source_product_id', 'in', keys).execute()).map((r) => [r.source_product_id, r]),
  );
  const firstRowOf = new Map<string, number>();
  const values: ProductsTable[] = [];
  for (const { row, product } of batch) {
    const key = product.sourceProductId;
    const seen = existing.get(key);
    if (firstRowOf.has(key) || seen?.last_import_id === importId) {
      result.rejected.push({ row, reason: `duplicate id ${key}${firstRowOf.has(key) ? ` (first on row ${firstRowOf.get(key)})` : ' (already in this import)'}` });
      continue;
    }
    const rateBps = product.commissionRateBps ?? source.defaultCommissionBps;
    if (rateBps === null) {
      result.rejected.push({ row, reason: 'no commission rate, and the source has no default rate' });
      continue;
    }
    firstRowOf.set(key, row);
    values.push(toProductRow(product, rateBps, source, importId, now, seen ? { id: seen.id, createdAt: seen.created_at } : null));
    if (seen) result.updated += 1;
    else result.imported += 1;
  }
  if (values.length > 0) {
    await tx
      .insertInto('products')
      .values(values)
      .onConflict((oc) =>
        oc.columns(['source_id', 'source_product_id']).doUpdateSet((eb) => ({
          title: eb.ref('excluded.title'),
          brand: eb.ref('excluded.brand'),
          category_path: eb.ref('excluded.category_path'),
          images: eb.ref('excluded.images'),
          currency: eb.ref('excluded.currency'),
          price_minor: eb.ref('excluded.price_minor'),
          coupon_amount_minor: eb.ref('excluded.coupon_amount_minor'),
          coupon_threshold_minor: eb.ref('excluded.coupon_threshold_minor'),
          coupon_starts_at: eb.ref('excluded.coupon_starts_at'),
          coupon_ends_at: eb.ref('excluded.coupon_ends_at'),
          final_price_minor: eb.ref('excluded.final_price_minor'),
          commission_rate_bps: eb.ref('excluded.commission_rate_bps'),
          rate_from_feed: eb.ref('excluded.rate_from_feed'),
          commission_amount_minor: eb.ref('excluded.commission_amount_minor'),
          sales_30d: eb.ref('excluded.sales_30d'),
          shop_name: eb.ref('excluded.shop_name'),
          shop_score: eb.ref('excluded.shop_score'),
          product_url: eb.ref('excluded.product_url'),
          status: eb.ref('excluded.status'),
          group_key: eb.ref('excluded.group_key'),
          updated_at: eb.ref('excluded.updated_at'),
          last_import_id: eb.ref('excluded.last_import_id'),
        })),
      )
      .execute();
  }
  return result;
}

export function toProductRow(p: ProductInput, rateBps: number, source: Source, importId: string, now: string, existing: { id: string; createdAt: string } | null): ProductsTable {
  const finalPrice = finalPriceMinor(p.priceMinor, p.coupon, now);
  return {
    id: existing?.id ?? newId('product'),
    source_id: source.id,
    source_product_id: p.sourceProductId,
    title: p.title,
    brand: p.brand,
    category_path: p.categoryPath.join('>'),
    images: JSON.stringify(p.images),
    currency: p.currency,
    price_minor: p.priceMinor,
    coupon_amount_minor: p.coupon?.amountMinor ?? null,
    coupon_threshold_minor: p.coupon?.thresholdMinor ?? null,
    coupon_starts_at: p.coupon?.startsAt ?? null,
    coupon_ends_at: p.coupon?.endsAt ?? null,
    final_price_minor: finalPrice,
    commission_rate_bps: rateBps,
    rate_from_feed: p.commissionRateBps === null ? 0 : 1,
    commission_amount_minor: commissionPerUnitMinor(finalPrice, rateBps),
    sales_30d: p.sales30d ?? 0,
    shop_name: p.shopName,
    shop_score: p.shopScore,
    product_url: p.productUrl,
    status: p.online ? 'online' : 'offline',
    group_key: groupKeyOf(p.brand, p.title),
    created_at: existing?.createdAt ?? now,
    updated_at: now,
    last_import_id: importId,
  };
}

async function markMissingOffline(tx: Q, sourceId: string, importId: string, now: string): Promise<number> {
  const result = await tx
    .updateTable('products')
    .set({ status: 'offline', updated_at: now, last_import_id: importId })
    .where('source_id', '=', sourceId)
    .where('status', '=', 'online')
    .where('last_import_id', '!=', importId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
