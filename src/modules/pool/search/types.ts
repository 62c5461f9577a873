import type { PoolSort } from '../model.ts';

/** What the search index knows of one product: the searchable text, the filter and the sort keys. */
export interface PoolDoc {
  /** The pool's own id (`prd_…`); the key of the index. */
  productId: string;
  title: string;
  brand: string | null;
  /** Top-down, e.g. ['数码', '手机']. */
  categoryPath: string[];
  sourceId: string;
  platform: string | null;
  priceMinor: number;
  finalPriceMinor: number;
  rateBps: number;
  /** Per unit, at the final price. */
  commissionMinor: number;
  sales30d: number;
  /** 0–500 (hundredths of a 0–5 rating); null when unknown, and then no `shopScoreMin` matches it. */
  shopScore: number | null;
  hasCoupon: boolean;
  updatedAtMs: number;
  /** False: the index keeps nothing of the product and never returns it. */
  online: boolean;
}

export interface PoolQuery {
  /**
   * Every query term must match (title, brand or category). When no live product has them all
   * (filters aside), any of them does, ranked by how many and how well — the fallback a cursor
   * keeps for the following pages. A query with nothing searchable in it is no text constraint.
   */
  q?: string;
  /** Any of these; an empty list is no filter (also for `platforms`). */
  sourceIds?: string[];
  platforms?: string[];
  /** Matches any level of the path: '数码' matches 数码>手机. */
  category?: string;
  /** On finalPriceMinor, inclusive. */
  priceMin?: number;
  priceMax?: number;
  rateMin?: number;
  hasCoupon?: boolean;
  shopScoreMin?: number;
  sort: PoolSort;
  /** 1..100 */
  limit: number;
  cursor?: string | null;
}

export interface PoolFacets {
  platform: Record<string, number>;
  source: Record<string, number>;
  /** Top-level category (the first element of the path). */
  category: Record<string, number>;
  has_coupon: { true: number; false: number };
}

/**
 * `total` and `facets` count every match of the query with all of its filters applied (the cursor
 * is not a filter: every page of one query reports the same figures). Facet values with no match
 * are left out; a product without platform or category counts in neither of those facets.
 */
export interface PoolResult {
  productIds: string[];
  total: number;
  facets: PoolFacets;
  nextCursor: string | null;
}

export interface PoolIndex {
  upsert(doc: PoolDoc): void;
  upsertMany(docs: Iterable<PoolDoc>): void;
  /** For loading many pages (a rebuild from the database): the same result as `upsertMany` page by page, perhaps faster. */
  bulkLoad(): PoolBulkLoad;
  remove(productId: string): void;
  search(query: PoolQuery): PoolResult;
  /** Products that can be found (online, not removed). */
  readonly size: number;
}

/** Pages of documents loaded in turn; `close` when done (also after a failure). */
export interface PoolBulkLoad {
  /** Resolves once the page is in the index. */
  add(docs: readonly PoolDoc[]): Promise<void>;
  close(): Promise<void>;
}

export type { PoolSort };
