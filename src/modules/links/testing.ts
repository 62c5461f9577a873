import type { Kysely } from 'kysely';
import type { Database, Platform, SourceKind } from '../../db/schema.ts';
import { importProducts } from '../pool/import.ts';
import { parseFeed } from '../sources/feeds/index.ts';
import { createSource } from '../sources/service.ts';

/** Test helpers: a source with products (through the real CSV import), product ids by feed id. */
export async function seedSource(
  db: Kysely<Database>,
  source: { kind: SourceKind; platform: Platform | null; ownerUserId?: string | null; name?: string },
  products: { id: string; url: string | null }[],
): Promise<{ sourceId: string; productIds: Record<string, string> }> {
  const created = await createSource(db, { kind: source.kind, name: source.name ?? `${source.platform ?? source.kind} source`, platform: source.platform, ownerUserId: source.ownerUserId ?? null });
  const csv = ['id,title,price,commission_rate,url', ...products.map((p) => `${p.id},商品 ${p.id},19.90,10%,${p.url === null ? '' : `"${p.url}"`}`)].join('\n');
  async function* body() {
    yield Buffer.from(csv);
  }
  const report = await importProducts(db, parseFeed('csv', body()), { source: created, format: 'csv', mode: 'incremental' });
  if (report.rejected.length > 0) throw new Error(`seed rows rejected: ${JSON.stringify(report.rejected)}`);
  const rows = await db.selectFrom('products').select(['id', 'source_product_id']).where('source_id', '=', created.id).execute();
  return { sourceId: created.id, productIds: Object.fromEntries(rows.map((r) => [r.source_product_id, r.id])) };
}
