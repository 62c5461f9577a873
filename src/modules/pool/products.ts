import type { Kysely } from 'kysely';
import { NotFound } from '../../core/errors.ts';
import { selectRows } from '../../db/bulk.ts';
import type { Database, ProductsTable } from '../../db/schema.ts';
import type { PoolDoc } from './search/types.ts';
import { bestOffer, pricesClose } from './rules.ts';

type Q = Kysely<Database>;

export type ProductRow = ProductsTable & { source_name: string; source_platform: string | null };

function productsWithSource(db: Q) {
  return db
    .selectFrom('products')
    .innerJoin('sources', 'sources.id', 'products.source_id')
    .selectAll('products')
    .select(['sources.name as source_name', 'sources.platform as source_platform']);
}

export async function productsByIds(db: Q, ids: readonly string[]): Promise<Map<string, ProductRow>> {
  if (ids.length === 0) return new Map();
  const rows = await productsWithSource(db).where('products.id', 'in', [...ids]).execute();
  return new Map(rows.map((r) => [r.id, r]));
}

export async function productById(db: Q, id: string): Promise<ProductRow> {
  const row = await productsWithSource(db).where('products.id', '=', id).executeTakeFirst();
  if (!row) throw new NotFound('product');
  return row;
}

/** Other online offers of the same products, keyed by group, for "also on 京东 ¥x · 6%". */
export async function otherOffers(db: Q, shown: readonly ProductRow[]): Promise<Map<string, ProductRow[]>> {
  const groups = [...new Set(shown.map((p) => p.group_key))];
  const byGroup = new Map<string, ProductRow[]>();
  if (groups.length === 0) return byGroup;
  const rows = await productsWithSource(db)
    .where('products.group_key', 'in', groups)
    .where('products.status', '=', 'online')
    .where('products.id', 'not in', shown.map((p) => p.id))
    .execute();
  const shownByGroup = new Map(shown.map((p) => [p.group_key, p]));
  for (const r of rows) {
    const best = shownByGroup.get(r.group_key)!;
    if (!pricesClose(best.final_price_minor, r.final_price_minor)) continue;
    byGroup.set(r.group_key, [...(byGroup.get(r.group_key) ?? []), r]);
  }
  return byGroup;
}

/** What the index needs of a product row (with its source's platform). */
export type IndexedRow = Pick<
  ProductRow,
  | 'id'
  | 'group_key'
  | 'title'
  | 'brand'
  | 'category_path'
  | 'source_id'
  | 'source_platform'
  | 'price_minor'
  | 'final_price_minor'
  | 'commission_rate_bps'
  | 'commission_amount_minor'
  | 'sales_30d'
  | 'shop_score'
  | 'updated_at'
  | 'status'
>;

export function toPoolDoc(r: IndexedRow): PoolDoc {
  return {
    productId: r.id,
    title: r.title,
    brand: r.brand,
    categoryPath: r.category_path ? r.category_path.split('>') : [],
    sourceId: r.source_id,
    platform: r.source_platform,
    priceMinor: r.price_minor,
    finalPriceMinor: r.final_price_minor,
    rateBps: r.commission_rate_bps,
    commissionMinor: r.commission_amount_minor,
    sales30d: r.sales_30d,
    shopScore: r.shop_score,
    hasCoupon: r.final_price_minor < r.price_minor,
    updatedAtMs: Date.parse(r.updated_at),
    online: r.status === 'online',
  };
}

/**
 * Of the offers of one product (its group), the one the pool shows: the best online offer whose
 * price is close to it; an offer too far off in price is a different product and shown on its own.
 */
export function offersToIndex<T extends Pick<ProductRow, 'id' | 'status' | 'final_price_minor' | 'commission_amount_minor'>>(group: readonly T[]): { shown: T[]; hidden: T[] } {
  const online = group.filter((p) => p.status === 'online');
  const shown: T[] = [];
  const hidden: T[] = group.filter((p) => p.status !== 'online');
  let rest = online;
  if (online.length === 1) return { shown: online, hidden };
  while (rest.length > 0) {
    const best = bestOffer(rest.map((p) => ({ productId: p.id, finalPriceMinor: p.final_price_minor, commissionAmountMinor: p.commission_amount_minor })));
    const bestRow = rest.find((p) => p.id === best.productId)!;
    shown.push(bestRow);
    const same = rest.filter((p) => p !== bestRow && pricesClose(bestRow.final_price_minor, p.final_price_minor));
    hidden.push(...same);
    rest = rest.filter((p) => p !== bestRow && !same.includes(p));
  }
  return { shown, hidden };
}

/** Pages through every product row (with its source), for rebuilding the index. */
export async function* allProducts(db: Q, filter: { lastImportId?: string; groupKeys?: string[] } = {}, pageSize = 5000): AsyncGenerator<ProductRow[]> {
  let after = '';
  for (;;) {
    let query = productsWithSource(db).where('products.id', '>', after).orderBy('products.id').limit(pageSize);
    if (filter.lastImportId) query = query.where('products.last_import_id', '=', filter.lastImportId);
    const rows = await query.execute();
    if (rows.length === 0) return;
    yield rows;
    after = rows[rows.length - 1]!.id;
  }
}

/**
 * The online products, narrowed to what the index needs, a page of whole groups at a time in
 * group order (every offer of a product in the same page), for rebuilding the index on start: one
 * query per page on the `products_group` index, the sources' platforms read once instead of joined
 * into every row. A page ends before its last group, which the next page starts with, unless that
 * group is the whole page; then the group is read on its own.
 */
export async function* onlineProductsByGroup(db: Q, pageSize = 20_000): AsyncGenerator<IndexedRow[]> {
  const platforms = new Map((await db.selectFrom('sources').select(['id', 'platform']).execute()).map((s) => [s.id, s.platform]));
  const columns = ['id', 'group_key', 'title', 'brand', 'category_path', 'source_id', 'price_minor', 'final_price_minor', 'commission_rate_bps', 'commission_amount_minor', 'sales_30d', 'shop_score', 'updated_at', 'status'] as const;
  const online = () => db.selectFrom('products').select(columns).where('status', '=', 'online');
  const withPlatform = (rows: Omit<IndexedRow, 'source_platform'>[]): IndexedRow[] => {
    // the rows are this page's own: given their platform in place rather than copied
    for (const r of rows as IndexedRow[]) r.source_platform = platforms.get(r.source_id) ?? null;
    return rows as IndexedRow[];
  };
  let after: string | null = null;
  for (;;) {
    let page = online().orderBy('group_key').limit(pageSize);
    if (after !== null) page = page.where('group_key', '>', after);
    const rows = await page.execute();
    if (rows.length === 0) return;
    const lastKey = rows[rows.length - 1]!.group_key;
    if (rows.length < pageSize) {
      yield withPlatform(rows);
      return;
    }
    let cut = rows.length;
    while (cut > 0 && rows[cut - 1]!.group_key === lastKey) cut--;
    if (cut > 0) {
      yield withPlatform(rows.slice(0, cut));
      after = rows[cut - 1]!.group_key;
    } else {
      yield withPlatform(await online().where('group_key', '=', lastKey).execute());
      after = lastKey;
    }
  }
}

export async function productsInGroups(db: Q, groupKeys: readonly string[]): Promise<ProductRow[]> {
  if (groupKeys.length === 0) return [];
  return productsWithSource(db).where('products.group_key', 'in', [...groupKeys]).execute();
}

/** A source's products, newest id first, by keyset cursor (the last id seen). */
export async function productsOfSource(db: Q, sourceId: string, options: { status?: 'online' | 'offline'; limit: number; cursor?: string | null }): Promise<{ rows: ProductRow[]; nextCursor: string | null }> {
  let query = productsWithSource(db).where('products.source_id', '=', sourceId).orderBy('products.id', 'desc').limit(options.limit + 1);
  if (options.status) query = query.where('products.status', '=', options.status);
  if (options.cursor) query = query.where('products.id', '<', options.cursor);
  const rows = await query.execute();
  const page = rows.slice(0, options.limit);
  return { rows: page, nextCursor: rows.length > options.limit ? page[page.length - 1]!.id : null };
}

export interface ProductOfSource {
  id: string;
  source_product_id: string;
  title: string;
  commission_rate_bps: number;
}

/** Products of one source by the source's own product ids (the ids its orders carry). */
export async function productsBySourceKeys(db: Q, sourceId: string, sourceProductIds: readonly string[]): Promise<Map<string, ProductOfSource>> {
  const out = new Map<string, ProductOfSource>();
  const unique = [...new Set(sourceProductIds)];
  for (let i = 0; i < unique.length; i += 500) {
    const rows = await selectRows(
      db,
      db.selectFrom('products').select(['id', 'source_product_id', 'title', 'commission_rate_bps']).where('source_id', '=', sourceId).where('source_product_id', 'in', unique.slice(i, i + 500)),
    );
    for (const row of rows) out.set(row.source_product_id, row);
  }
  return out;
}
