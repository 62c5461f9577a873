/**
 * The pool's search state, kept in the hash (#/pool?q=…&sort=…) with the same names and units as
 * GET /api/pool/search: prices in fen, the rate in bps. The page reads it, the API gets it as is.
 */

export const SORTS = ['relevance', 'commission', 'rate', 'sales', 'price_asc', 'price_desc', 'newest'] as const;
export type Sort = (typeof SORTS)[number];

export const PAGE_SIZE = 24;

export interface PoolQuery {
  q: string;
  platforms: string[];
  source: string;
  category: string;
  priceMin: number | null;
  priceMax: number | null;
  rateMin: number | null;
  hasCoupon: boolean;
  /** Empty: the default for the query (relevance with words to match, else commission). */
  sort: Sort | '';
}

export const EMPTY_QUERY: PoolQuery = { q: '', platforms: [], source: '', category: '', priceMin: null, priceMax: null, rateMin: null, hasCoupon: false, sort: '' };

function integerOf(text: string | null): number | null {
  return text !== null && /^\d{1,12}$/.test(text) ? Number.parseInt(text, 10) : null;
}

export function parsePoolQuery(search: string): PoolQuery {
  const params = new URLSearchParams(search);
  const sort = params.get('sort') ?? '';
  return {
    q: params.get('q') ?? '',
    platforms: [...new Set(params.getAll('platform').filter(Boolean))],
    source: params.get('source') ?? '',
    category: params.get('category') ?? '',
    priceMin: integerOf(params.get('price_min')),
    priceMax: integerOf(params.get('price_max')),
    rateMin: integerOf(params.get('rate_min')),
    hasCoupon: params.get('has_coupon') === 'true',
    sort: (SORTS as readonly string[]).includes(sort) ? (sort as Sort) : '',
  };
}

/** The hash's query: only what differs from the defaults, in a stable order. */
export function poolQueryParams(query: PoolQuery): URLSearchParams {
  const params = new URLSearchParams();
  const q = query.q.trim();
  if (q) params.set('q', q);
  for (const platform of query.platforms) params.append('platform', platform);
  if (query.source) params.set('source', query.source);
  if (query.category) params.set('category', query.category);
  if (query.priceMin !== null) params.set('price_min', String(query.priceMin));
  if (query.priceMax !== null) params.set('price_max', String(query.priceMax));
  if (query.rateMin !== null) params.set('rate_min', String(query.rateMin));
  if (query.hasCoupon) params.set('has_coupon', 'true');
  if (query.sort) params.set('sort', query.sort);
  return params;
}

export function effectiveSort(query: PoolQuery): Sort {
  return query.sort || (query.q.trim() ? 'relevance' : 'commission');
}

/** The search request for the first page (no cursor) or a later one. */
export function searchPath(query: PoolQuery, cursor?: string, limit = PAGE_SIZE): string {
  const params = poolQueryParams(query);
  params.set('sort', effectiveSort(query));
  params.set('limit', String(limit));
  if (cursor) params.set('cursor', cursor);
  return `/api/pool/search?${params.toString()}`;
}

export function hasFilters(query: PoolQuery): boolean {
  return poolQueryParams({ ...query, sort: '' }).toString() !== '';
}

/**
 * The server counts facets over the filtered result, so once a platform is chosen every other
 * platform counts 0. A chip should say what choosing it would give: platform counts come from
 * the same search without the platform filter, category counts without the category filter.
 * Null when the filter is not set (the main search's facets are right then).
 */
export function facetContextPath(query: PoolQuery, facet: 'platform' | 'category'): string | null {
  if (facet === 'platform' && query.platforms.length === 0) return null;
  if (facet === 'category' && !query.category) return null;
  const without = facet === 'platform' ? { ...query, platforms: [] } : { ...query, category: '' };
  return searchPath({ ...without, sort: 'commission' }, undefined, 1);
}
