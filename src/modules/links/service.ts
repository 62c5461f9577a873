import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { Forbidden, InvalidInput, NotFound, Unprocessable } from '../../core/errors.ts';
import { nowIso } from '../../core/time.ts';
import { selectRows } from '../../db/bulk.ts';
import type { ClicksTable, Database } from '../../db/schema.ts';
import type { User } from '../accounts/model.ts';
import { membershipAt, organisationOf } from '../orgs/service.ts';
import type { Link, LinkWithCounts, NewLink } from './model.ts';
import { linkCodeFrom, trackedPath } from './rules.ts';
import * as store from './store.ts';

type Q = Kysely<Database>;

/** A collision among 62^9 codes is rare enough that a handful of retries never runs out in practice. */
const CODE_ATTEMPTS = 5;

function randomLinkCode(): string {
  for (;;) {
    const code = linkCodeFrom(randomBytes(16));
    if (code !== null) return code;
  }
}

/**
 * Creates a tracked link (links are immutable once made). Safe inside the caller's transaction
 * on both dialects: a code collision is retried without raising an error.
 */
export async function createLink(db: Q, input: NewLink): Promise<{ code: string; url: string }> {
  for (let attempt = 0; attempt < CODE_ATTEMPTS; attempt++) {
    const code = randomLinkCode();
    const row = { code, creator_id: input.creatorId, product_id: input.productId, item_id: input.itemId, channel: input.channel, created_at: nowIso() };
    if (await store.insertLinkIfCodeFree(db, row)) return { code, url: trackedPath(code) };
  }
  throw new Error(`no free link code after ${CODE_ATTEMPTS} attempts`);
}

function toLinkWithCounts(row: store.LinkRowWithCounts): LinkWithCounts {
  const link: Link = { code: row.code, url: trackedPath(row.code), creatorId: row.creator_id, productId: row.product_id, itemId: row.item_id, channel: row.channel, createdAt: row.created_at };
  return { ...link, ...store.countsOf(row) };
}

/** A creator's links with their click counts, newest first; by item to compare its channels. */
export async function linksOfCreator(db: Q, creatorId: string, filter: { itemId?: string } = {}): Promise<LinkWithCounts[]> {
  return (await store.linkRowsOfCreator(db, creatorId, filter.itemId)).map(toLinkWithCounts);
}

export async function linkStats(db: Q, code: string): Promise<LinkWithCounts> {
  const row = await store.linkRowWithCounts(db, code);
  if (!row) throw new NotFound('link');
  return toLinkWithCounts(row);
}

/**
 * A link's stats for whoever may see them: its creator, the organisation the creator is bound to
 * now (not one they left, not one they have yet to join), the operator. Anyone else: 404.
 */
export async function linkStatsFor(db: Q, viewer: User, code: string): Promise<LinkWithCounts> {
  const stats = await linkStats(db, code);
  if (!(await maySeeLinksOf(db, viewer, stats.creatorId))) throw new NotFound('link');
  return stats;
}

async function maySeeLinksOf(db: Q, viewer: User, creatorId: string): Promise<boolean> {
  if (viewer.role === 'operator') return true;
  if (viewer.role === 'creator') return viewer.id === creatorId;
  if (viewer.role !== 'org') return false;
  const membership = await membershipAt(db, creatorId, nowIso());
  if (!membership) return false;
  const organisation = await organisationOf(db, viewer).catch((error: unknown) => {
    if (error instanceof NotFound) return null;
    throw error;
  });
  return organisation?.id === membership.organisationId;
}

/**
 * A creator's extra link for a product of their showcase, per channel (a video, a live session,
 * a group chat), so they can compare where their clicks come from. Named by item or by product.
 */
export async function createChannelLink(db: Q, creator: User, input: { itemId?: string; productId?: string; channel: string }): Promise<{ code: string; url: string; channel: string }> {
  if (creator.role !== 'creator') throw new Forbidden('only creators make links');
  if (input.itemId === undefined && input.productId === undefined) throw new InvalidInput('item_or_product_required', 'give item_id or product_id');
  const item = await store.showcaseItemOfCreator(db, creator.id, input.itemId !== undefined ? { itemId: input.itemId } : { productId: input.productId! });
  if (!item) {
    if (input.itemId !== undefined) throw new NotFound('showcase item');
    throw new Unprocessable('not_in_showcase', 'add the product to your showcase before making links for it');
  }
  if (input.productId !== undefined && input.productId !== item.product_id) throw new InvalidInput('item_product_mismatch', 'item_id and product_id name different products');
  const link = await createLink(db, { creatorId: creator.id, productId: item.product_id, itemId: item.id, channel: input.channel });
  return { ...link, channel: input.channel };
}

const CLICK_SECRET_KEY = 'click_ip_hash_secret';

/**
 * The server secret that keys the hash of click IPs, made on first use and kept in `settings` so
 * every node and every restart hash an IP the same way (repeats and uniques stay comparable).
 */
export async function clickIpSecret(db: Q): Promise<Buffer> {
  const stored = (await store.settingValue(db, CLICK_SECRET_KEY)) ?? (await store.settingValueOrInsert(db, CLICK_SECRET_KEY, randomBytes(32).toString('base64url')));
  return Buffer.from(stored, 'base64url');
}

/**
 * Records clicks that happened elsewhere or earlier — history brought in at set-up (the demo, a
 * migration from another system) — in batches, inside the caller's transaction if there is one.
 */
export async function recordPastClicks(db: Q, clicks: readonly ClicksTable[]): Promise<number> {
  for (let i = 0; i < clicks.length; i += 500) await db.insertInto('clicks').values(clicks.slice(i, i + 500)).execute();
  return clicks.length;
}

/** What attributing an order reads of a click: who, when, and its product as the source names it. */
export interface ClickForAttribution {
  id: string;
  creator_id: string;
  source_id: string;
  clicked_at: string;
  /** Our product id, and the source's id of it (null if the product is gone). */
  product_id: string;
  source_product_id: string | null;
}

/**
 * Clicks by id, for attributing orders (the ids an order brought back), with their products'
 * source ids in the same read: a click's row is 13 columns, a product's with its source 30, and
 * each value read costs better-sqlite3 a call into V8 (~1,300 instructions), where attribution
 * needs six.
 */
export async function clicksByIds(db: Q, ids: readonly string[]): Promise<Map<string, ClickForAttribution>> {
  const out = new Map<string, ClickForAttribution>();
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += 500) {
    const query = db
      .selectFrom('clicks')
      .leftJoin('products', 'products.id', 'clicks.product_id')
      .select(['clicks.id', 'clicks.creator_id', 'clicks.source_id', 'clicks.clicked_at', 'clicks.product_id', 'products.source_product_id'])
      .where('clicks.id', 'in', unique.slice(i, i + 500));
    for (const row of await selectRows(db, query)) out.set(row.id, row);
  }
  return out;
}
