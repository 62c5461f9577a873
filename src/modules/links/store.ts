import { SqliteAdapter, sql, type Kysely, type SelectQueryBuilder } from 'kysely';
import type SQLite from 'better-sqlite3';
import { beforeSqliteTransaction, type Db } from '../../db/connection.ts';
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

/** SQLite's per-link click counts, folded from clicks (migration 010): the rest stays in `clicks` above the watermark. */
interface LinkClickCountsTable {
  link_code: string;
  clicks: number;
  unique_clicks: number;
}

/** The rowid of the last click folded into link_click_counts, in `settings`. */
const FOLDED_THROUGH_KEY = 'link_clicks_folded_through_rowid';

const isUnique = sql<number>`case when clicks.is_bot = 0 and clicks.is_repeat = 0 then 1 else 0 end`;

/** Links with their counts, filtered and ordered by the caller on `links` columns. */
function withCounts(db: Q): SelectQueryBuilder<Database, 'links', LinkRowWithCounts> {
  // The SQLite query also joins the rollup, which the filters and orders on `links` never name.
  return db.getExecutor().adapter instanceof SqliteAdapter ? (withFoldedCounts(db) as unknown as SelectQueryBuilder<Database, 'links', LinkRowWithCounts>) : withCountedClicks(db);
}

/** PostgreSQL: counts straight from clicks, by its (link_code, clicked_at) index. */
function withCountedClicks(db: Q) {
  return db
    .selectFrom('links')
    .leftJoin('clicks', 'clicks.link_code', 'links.code')
    .selectAll('links')
    .select((eb) => [eb.fn.count<number>('clicks.id').as('clicks'), eb.fn.coalesce(eb.fn.sum<number>(isUnique), sql<number>`0`).as('unique_clicks')])
    .groupBy('links.code');
}

/** SQLite: folded counts plus the clicks not folded yet (a few seconds' worth at most while the server runs). */
function withFoldedCounts(db: Q) {
  const folded = db.withTables<{ link_click_counts: LinkClickCountsTable }>();
  const recent = folded
    .selectFrom('clicks')
    .select((eb) => ['clicks.link_code', eb.fn.countAll<number>().as('clicks'), eb.fn.sum<number>(isUnique).as('unique_clicks')])
    .where(sql`clicks.rowid`, '>', sql<number>`(select cast(value as integer) from settings where key = ${FOLDED_THROUGH_KEY})`)
    .groupBy('clicks.link_code')
    .as('recent');
  return folded
    .selectFrom('links')
    .leftJoin('link_click_counts as counted', 'counted.link_code', 'links.code')
    .leftJoin(recent, 'recent.link_code', 'links.code')
    .selectAll('links')
    .select([
      sql<number>`coalesce(counted.clicks, 0) + coalesce(recent.clicks, 0)`.as('clicks'),
      sql<number>`coalesce(counted.unique_clicks, 0) + coalesce(recent.unique_clicks, 0)`.as('unique_clicks'),
    ]);
}

export type LinkRowWithCounts = LinksTable & { clicks: number; unique_clicks: number };

export async function linkRowWithCounts(db: Q, code: string): Promise<LinkRowWithCounts | undefined> {
  return withCounts(db).where('links.code', '=', code).executeTakeFirst();
}

export async function linkRowsOfCreator(db: Q, creatorId: string, itemId: string | undefined): Promise<LinkRowWithCounts[]> {
  const query = withCounts(db).where('links.creator_id', '=', creatorId);
  return (itemId === undefined ? query : query.where('links.item_id', '=', itemId)).orderBy('links.created_at', 'desc').orderBy('links.code').execute();
}

export function countsOf(row: { clicks: number | string; unique_clicks: number | string }): ClickCounts {
  return { clicks: Number(row.clicks), uniqueClicks: Number(row.unique_clicks) };
}

function targetsQuery(db: Q) {
  return db
    .selectFrom('links')
    .innerJoin('products', 'products.id', 'links.product_id')
    .innerJoin('sources', 'sources.id', 'products.source_id')
    .select(['links.code', 'links.creator_id', 'links.product_id', 'links.channel', 'products.source_id', 'products.source_product_id', 'products.product_url', 'sources.platform'])
    .select((eb) =>
      // A Taobao link carries its creator's 渠道关系 id; asked only for Taobao sources.
      eb
        .case()
        .when('sources.platform', '=', 'taobao')
        .then(
          eb
            .selectFrom('positions')
            .select('positions.sub_id')
            .whereRef('positions.creator_id', '=', 'links.creator_id')
            .whereRef('positions.source_id', '=', 'products.source_id')
            .where('positions.kind', '=', 'relation')
            // The newest: a channel registered (or typed in) later replaces the one before on new links;
            // the older id still credits the orders Taobao reports under it.
            .orderBy('positions.created_at', 'desc')
            .limit(1),
        )
        .end()
        .as('relation_id'),
    );
}

type TargetRow = Awaited<ReturnType<ReturnType<typeof targetsQuery>['execute']>>[number];

function toTarget(r: TargetRow): LinkTarget {
  return { code: r.code, creatorId: r.creator_id, productId: r.product_id, sourceId: r.source_id, sourceProductId: r.source_product_id, platform: r.platform, channel: r.channel, productUrl: r.product_url, relationId: r.relation_id };
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

export const CLICK_COLUMNS = ['id', 'link_code', 'creator_id', 'product_id', 'source_id', 'channel', 'clicked_at', 'ip_hash', 'ua_class', 'referrer', 'is_bot', 'is_repeat'] as const;

export function clickWriterFor(db: Db): ClickWriter {
  return db.sqlite ? sqliteClickWriter(db.kysely, db.sqlite, db.sqliteHooks) : (rows) => db.kysely.insertInto('clicks').values([...rows]).execute().then(() => undefined);
}

/** SQLite: `insert into clicks` of every column, a row's values in CLICK_COLUMNS order; `conflict` is appended. */
export function sqliteClickInsert(database: NonNullable<Db['sqlite']>, conflict = ''): SQLite.Statement<unknown[]> {
  return database.prepare(`insert into clicks (${CLICK_COLUMNS.join(', ')}) values (${CLICK_COLUMNS.map(() => '?').join(', ')})${conflict}`);
}

/** SQLite: a transaction (call it `.immediate`) inserting a batch of clicks into `clicks` of this database. */
export function sqliteClickInserts(database: NonNullable<Db['sqlite']>): SQLite.Transaction<(rows: readonly ClickRow[]) => void> {
  const insert = sqliteClickInsert(database);
  return database.transaction((rows: readonly ClickRow[]) => {
    for (const r of rows) insert.run(r.id, r.link_code, r.creator_id, r.product_id, r.source_id, r.channel, r.clicked_at, r.ip_hash, r.ua_class, r.referrer, r.is_bot, r.is_repeat);
  });
}

/**
 * SQLite: one prepared statement run per row inside one transaction — the cheapest commit there
 * is. It runs while holding Kysely's single connection, so it never lands inside another
 * caller's open transaction (which could still roll back after our 302s went out). Like Kysely's
 * transactions on this connection, it begins `immediate` after the connection's hook (which lets
 * the WAL start over under steady writes: see checkpointer.ts).
 */
function sqliteClickWriter(kysely: Q, database: NonNullable<Db['sqlite']>, hooks: Db['sqliteHooks']): ClickWriter {
  const insertAll = sqliteClickInserts(database);
  return (rows) =>
    kysely.connection().execute(async () => {
      await beforeSqliteTransaction(hooks);
      if (database.inTransaction) throw new Error('the SQLite connection is inside a transaction; clicks are not written into it');
      insertAll.immediate(rows);
    });
}

/** Folds up to `maxClicks` clicks into the per-link counts; resolves with how many it folded (0 once caught up). */
export type ClickCountFold = (maxClicks: number) => Promise<number>;

/**
 * SQLite only (null on PostgreSQL, which counts by index): one transaction reads the clicks above
 * the watermark in rowid order — SQLite has one writer, so rowid order is commit order and no
 * click can appear below the watermark later — adds them to link_click_counts and moves the
 * watermark, so counts are exact at every moment. Like the click writer, it runs holding Kysely's
 * connection, never inside another caller's transaction, and begins as the click writer does.
 */
export function clickCountFoldFor(db: Db): ClickCountFold | null {
  const database = db.sqlite;
  if (!database) return null;
  const watermark = database.prepare('select cast(value as integer) from settings where key = ?').pluck();
  const clicksAbove = database.prepare('select rowid, link_code, is_bot, is_repeat from clicks where rowid > ? order by rowid limit ?').raw();
  const add = database.prepare(
    'insert into link_click_counts (link_code, clicks, unique_clicks) values (?, ?, ?) on conflict (link_code) do update set clicks = clicks + excluded.clicks, unique_clicks = unique_clicks + excluded.unique_clicks',
  );
  const advance = database.prepare('update settings set value = ? where key = ?');
  const fold = database.transaction((maxClicks: number): number => {
    const rows = clicksAbove.all(watermark.get(FOLDED_THROUGH_KEY), maxClicks) as [number, string, number, number][];
    if (rows.length === 0) return 0;
    const byLink = new Map<string, { clicks: number; unique: number }>();
    for (const [, code, isBot, isRepeat] of rows) {
      let counts = byLink.get(code);
      if (!counts) byLink.set(code, (counts = { clicks: 0, unique: 0 }));
      counts.clicks++;
      if (isBot === 0 && isRepeat === 0) counts.unique++;
    }
    for (const [code, counts] of byLink) add.run(code, counts.clicks, counts.unique);
    advance.run(String(rows[rows.length - 1]![0]), FOLDED_THROUGH_KEY);
    return rows.length;
  });
  return (maxClicks) =>
    db.kysely.connection().execute(async () => {
      await beforeSqliteTransaction(db.sqliteHooks);
      if (database.inTransaction) throw new Error('the SQLite connection is inside a transaction; click counts are not folded into it');
      // Immediate: it reads before it writes, and a deferred transaction would be refused at once
      // while another process writes (see db/connection.ts).
      return fold.immediate(maxClicks);
    });
}
