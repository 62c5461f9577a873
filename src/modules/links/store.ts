import { sql, type Kysely } from 'kysely';
import type { Db } from '../../db/connection.ts';
import type { Database, LinksTable } from '../../db/schema.ts';
import type { ClickCounts, ClickRow, LinkTarget } from './model.ts';

type Q = Kysely<Database>;

/** Inserts the link unless its code is taken; false on a collision (no error, so a caller's transaction survives on PostgreSQL). */
export async function insertLinkIfCodeFree(db: Q, row: LinksTable): Promise<boolean> {
  const inserted = await db.insertInto('links').values(row).onConflict((oc) => oc.column('code').doNothing()).returning('code').executeTakeFirst();
  return inserted !== undefined;
}

export async function linkRow(db: Q, code: string): Promise<LinksTable | undefined> {
  return db.selectFrom('links').selectAll().where('code', '=', code).executeTakeFirst();
}

function withCounts(db: Q) {
  return db
    .selectFrom('links')
    .leftJoin('clicks', 'clicks.link_code', 'links.code')
    .selectAll('links')
    .select((eb) => [
      eb.fn.count<number>('clicks.id').as('clicks'),
      eb.fn.coalesce(eb.fn.sum<number>(sql<number>`case when clicks.is_bot = 0 and clicks.is_repeat = 0 then 1 else 0 end`), sql<number>`0`).as('unique_clicks'),
    ])
    .groupBy('links.code');
}

export type LinkRowWithCounts = LinksTable & { clicks: number; unique_clicks: number };

export async function linkRowWithCounts(db: Q, code: string): Promise<LinkRowWithCounts | undefined> {
  return withCounts(db).where('links.code', '=', code).executeTakeFirst();
}

export async function linkRowsOfCreator(db: Q, creatorId: string, itemId: string | undefined): Promise<LinkRowWithCounts[]> {
  let query = withCounts(db).where('links.creator_id', '=', creatorId);
  if (itemId !== undefined) query = query.where('links.item_id', '=', itemId);
  return query.orderBy('links.created_at', 'desc').orderBy('links.code').execute();
}

export function countsOf(row: { clicks: number | string; unique_clicks: number | string }): ClickCounts {
  return { clicks: Number(row.clicks), uniqueClicks: Number(row.unique_clicks) };
}

function targetsQuery(db: Q) {
  return db
    .selectFrom('links')
    .innerJoin('products', 'products.id', 'links.product_id')
    .innerJoin('sources', 'sources.id', 'products.source_id')
    .select(['links.code', 'links.creator_id', 'links.product_id', 'links.channel', 'products.source_id', 'products.product_url', 'sources.platform']);
}

type TargetRow = Awaited<ReturnType<ReturnType<typeof targetsQuery>['execute']>>[number];

function toTarget(r: TargetRow): LinkTarget {
  return { code: r.code, creatorId: r.creator_id, productId: r.product_id, sourceId: r.source_id, platform: r.platform, channel: r.channel, productUrl: r.product_url };
}

/** What redirects need, for several codes in one query (the redirect cache batches its misses). */
export async function linkTargets(db: Q, codes: readonly string[]): Promise<LinkTarget[]> {
  if (codes.length === 0) return [];
  return (await targetsQuery(db).where('links.code', 'in', [...codes]).execute()).map(toTarget);
}

/** The newest links' targets, newest first (to warm the redirect cache at start). */
export async function newestLinkTargets(db: Q, limit: number): Promise<LinkTarget[]> {
  return (await targetsQuery(db).orderBy('links.created_at', 'desc').limit(limit).execute()).map(toTarget);
}

/**
 * The showcase's items are the showcase module's; links read them (never write) to check that a
 * creator links only what they show. Reading here avoids an import cycle: the showcase service
 * calls createLink.
 */
export async function showcaseItemOfCreator(db: Q, creatorId: string, by: { itemId: string } | { productId: string }): Promise<{ id: string; product_id: string } | undefined> {
  let query = db.selectFrom('showcase_items').select(['id', 'product_id']).where('creator_id', '=', creatorId);
  query = 'itemId' in by ? query.where('id', '=', by.itemId) : query.where('product_id', '=', by.productId);
  return query.executeTakeFirst();
}

export async function settingValue(db: Q, key: string): Promise<string | undefined> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
  return row?.value;
}

/** Stores the value unless the key exists (another node may have won the race); returns the stored one. */
export async function settingValueOrInsert(db: Q, key: string, value: string): Promise<string> {
  await db.insertInto('settings').values({ key, value }).onConflict((oc) => oc.column('key').doNothing()).execute();
  const stored = await settingValue(db, key);
  if (stored === undefined) throw new Error(`setting ${key} vanished right after it was written`);
  return stored;
}

/** Writes one batch of clicks atomically: all stored when it resolves, none when it rejects. */
export type ClickWriter = (rows: readonly ClickRow[]) => Promise<void>;

const CLICK_COLUMNS = ['id', 'link_code', 'creator_id', 'product_id', 'source_id', 'channel', 'clicked_at', 'ip_hash', 'ua_class', 'referrer', 'is_bot', 'is_repeat'] as const;

export function clickWriterFor(db: Db): ClickWriter {
  return db.sqlite ? sqliteClickWriter(db.kysely, db.sqlite) : (rows) => db.kysely.insertInto('clicks').values([...rows]).execute().then(() => undefined);
}

/**
 * SQLite: one prepared statement run per row inside one transaction — the cheapest commit there
 * is. It runs while holding Kysely's single connection, so it never lands inside another
 * caller's open transaction (which could still roll back after our 302s went out).
 */
function sqliteClickWriter(kysely: Q, database: NonNullable<Db['sqlite']>): ClickWriter {
  const insert = database.prepare(`insert into clicks (${CLICK_COLUMNS.join(', ')}) values (${CLICK_COLUMNS.map(() => '?').join(', ')})`);
  const insertAll = database.transaction((rows: readonly ClickRow[]) => {
    for (const r of rows) insert.run(r.id, r.link_code, r.creator_id, r.product_id, r.source_id, r.channel, r.clicked_at, r.ip_hash, r.ua_class, r.referrer, r.is_bot, r.is_repeat);
  });
  return (rows) =>
    kysely.connection().execute(async () => {
      if (database.inTransaction) throw new Error('the SQLite connection is inside a transaction; clicks are not written into it');
      insertAll(rows);
    });
}
