import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { ImportMode } from '../../db/schema.ts';
import type { User } from '../accounts/model.ts';
import { parseImport, type ImportFormat } from '../sources/formats.ts';
import type { Source } from '../sources/model.ts';
import { importProducts, type ImportReport } from './import.ts';
import type { ParsedRow } from './model.ts';
import { allProducts, offersToIndex, onlineProductsByGroup, otherOffers, productsByIds, productsInGroups, toPoolDoc, type IndexedRow, type ProductRow } from './products.ts';
import type { PoolDoc } from './search/types.ts';
import type { PoolIndex, PoolQuery, PoolResult } from './search/types.ts';

type Q = Kysely<Database>;

export interface PoolItem {
  id: string;
  title: string;
  brand: string | null;
  category_path: string[];
  image: string | null;
  images: string[];
  price: number;
  coupon: { amount: number; threshold: number; starts_at: string | null; ends_at: string | null } | null;
  final_price: number;
  currency: string;
  commission_rate_bps: number;
  commission_amount: number;
  sales_30d: number;
  shop: { name: string | null; score: number | null };
  source: { id: string; name: string; platform: string | null };
  source_product_id: string;
  product_url: string | null;
  status: 'online' | 'offline';
  updated_at: string;
  also_on: { product_id: string; source: { id: string; name: string; platform: string | null }; final_price: number; commission_rate_bps: number; commission_amount: number }[];
}

export interface PoolSearchResponse {
  items: PoolItem[];
  total: number;
  facets: PoolResult['facets'];
  next_cursor: string | null;
}

export function toPoolItem(p: ProductRow, others: ProductRow[] = []): PoolItem {
  const images = JSON.parse(p.images) as string[];
  return {
    id: p.id,
    title: p.title,
    brand: p.brand,
    category_path: p.category_path ? p.category_path.split('>') : [],
    image: images[0] ?? null,
    images,
    price: p.price_minor,
    coupon: p.coupon_amount_minor === null ? null : { amount: p.coupon_amount_minor, threshold: p.coupon_threshold_minor ?? 0, starts_at: p.coupon_starts_at, ends_at: p.coupon_ends_at },
    final_price: p.final_price_minor,
    currency: p.currency,
    commission_rate_bps: p.commission_rate_bps,
    commission_amount: p.commission_amount_minor,
    sales_30d: p.sales_30d,
    shop: { name: p.shop_name, score: p.shop_score },
    source: { id: p.source_id, name: p.source_name, platform: p.source_platform },
    source_product_id: p.source_product_id,
    product_url: p.product_url,
    status: p.status,
    updated_at: p.updated_at,
    also_on: others.map((o) => ({
      product_id: o.id,
      source: { id: o.source_id, name: o.source_name, platform: o.source_platform },
      final_price: o.final_price_minor,
      commission_rate_bps: o.commission_rate_bps,
      commission_amount: o.commission_amount_minor,
    })),
  };
}

/**
 * The pool: an in-process search index over the best offer of every product, kept in step with
 * the database — rebuilt from it on start and refreshed after every import or sync.
 */
export class PoolService {
  /** Imports already reflected in this node's index (by this process or by the follower). */
  private readonly applied = new Set<string>();
  private watermark = '';
  private follower: NodeJS.Timeout | null = null;

  constructor(
    private readonly db: Q,
    readonly index: PoolIndex,
    /** Where a search reads its products (`Db.reads`: not waiting for another request's transaction). */
    private readonly reads: Q = db,
  ) {}

  /**
   * Imports written by another process (the `vitrine import` CLI, another app node, a sync job)
   * reach this node's index by polling the import history: each node keeps its own replica.
   */
  followImports(everyMs = 2000): void {
    this.follower ??= setInterval(() => {
      this.applyNewImports().catch(() => {
        // A failed poll is retried on the next tick; the index stays as it was meanwhile.
      });
    }, everyMs);
    this.follower.unref();
  }

  stopFollowing(): void {
    if (this.follower) clearInterval(this.follower);
    this.follower = null;
  }

  /** Applies every completed import not yet in the index; returns how many it applied. */
  async applyNewImports(): Promise<number> {
    // Runs can finish out of id order: look back a minute past the newest one seen.
    const since = this.watermark ? new Date(Date.parse(this.watermark) - 60_000).toISOString() : '';
    const runs = await this.db.selectFrom('import_runs').select(['id', 'finished_at']).where('status', '=', 'completed').where('finished_at', '>=', since).orderBy('finished_at').execute();
    let count = 0;
    for (const run of runs) {
      if (run.finished_at && run.finished_at > this.watermark) this.watermark = run.finished_at;
      if (this.applied.has(run.id)) continue;
      await this.refreshAfterImport(run.id);
      count += 1;
    }
    return count;
  }

  /** Rebuilds the index from the database, a page of whole groups of offers at a time, through a bulk load (tokenised in a worker thread). */
  async rebuild(): Promise<number> {
    const latest = await this.db.selectFrom('import_runs').select('finished_at').where('status', '=', 'completed').orderBy('finished_at', 'desc').limit(1).executeTakeFirst();
    this.watermark = latest?.finished_at ?? '';
    for (const run of await this.db.selectFrom('import_runs').select('id').where('status', '=', 'completed').execute()) this.applied.add(run.id);
    const load = this.index.bulkLoad();
    try {
      for await (const rows of onlineProductsByGroup(this.db)) await load.add(shownOffers(rows));
    } finally {
      await load.close();
    }
    return this.index.size;
  }

  /** Brings the index in step with what one import wrote (and the other offers of those products). */
  async refreshAfterImport(importId: string): Promise<void> {
    this.applied.add(importId);
    for await (const page of allProducts(this.db, { lastImportId: importId })) {
      const groups = await productsInGroups(this.db, [...new Set(page.map((p) => p.group_key))]);
      const byGroup = new Map<string, ProductRow[]>();
      for (const row of groups) byGroup.set(row.group_key, [...(byGroup.get(row.group_key) ?? []), row]);
      for (const offers of byGroup.values()) {
        const { shown, hidden } = offersToIndex(offers);
        for (const row of hidden) this.index.remove(row.id);
        for (const row of shown) this.index.upsert(toPoolDoc(row));
      }
    }
  }

  /** Imports a file into a source and brings the index in step once the import has committed. */
  async importFile(source: Source, format: ImportFormat, mode: ImportMode, input: AsyncIterable<Buffer | string>, options: { actorUserId?: string | null; onProgress?: (rows: number) => void } = {}): Promise<ImportReport> {
    return this.importParsed(source, format, mode, parseImport(format, input), options);
  }

  async importParsed(source: Source, format: string, mode: ImportMode, rows: AsyncIterable<ParsedRow>, options: { actorUserId?: string | null; onProgress?: (rows: number) => void } = {}): Promise<ImportReport> {
    const report = await importProducts(this.db, rows, { source, format, mode, actorUserId: options.actorUserId, onProgress: options.onProgress });
    await this.refreshAfterImport(report.importId);
    return report;
  }

  async search(_viewer: User, query: PoolQuery): Promise<PoolSearchResponse> {
    const result = this.index.search(query);
    const rows = await productsByIds(this.reads, result.productIds);
    const shown = result.productIds.map((id) => rows.get(id)).filter((r): r is ProductRow => r !== undefined);
    const others = await otherOffers(this.reads, shown);
    return {
      items: shown.map((p) => toPoolItem(p, others.get(p.group_key) ?? [])),
      total: result.total,
      facets: result.facets,
      next_cursor: result.nextCursor,
    };
  }
}

/** The documents to index of a page of whole groups (see `offersToIndex`). */
function shownOffers(rows: readonly IndexedRow[]): PoolDoc[] {
  const docs: PoolDoc[] = [];
  for (let start = 0; start < rows.length; ) {
    let end = start + 1;
    while (end < rows.length && rows[end]!.group_key === rows[start]!.group_key) end++;
    if (end === start + 1) docs.push(toPoolDoc(rows[start]!));
    else for (const row of offersToIndex(rows.slice(start, end)).shown) docs.push(toPoolDoc(row));
    start = end;
  }
  return docs;
}
