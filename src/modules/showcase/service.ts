import type { Kysely } from 'kysely';
import { Conflict, Forbidden, InvalidInput, NotFound, Unprocessable } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import { nowIso } from '../../core/time.ts';
import type { Database, ShowcaseVia } from '../../db/schema.ts';
import { inTransaction } from '../../db/transaction.ts';
import type { User } from '../accounts/model.ts';
import { recordAudit } from '../audit/service.ts';
import { createLink } from '../links/service.ts';
import { productById, type ProductRow } from '../pool/products.ts';
import { changesSinceAdded, compareItems, MAX_RECOMMENDATION_LENGTH, MAX_SHOWCASE_ITEMS, wayIn, type ItemChangeFlags } from './rules.ts';

type Q = Kysely<Database>;

export interface ShowcaseItem {
  id: string;
  productId: string;
  via: ShowcaseVia;
  position: number;
  pinned: boolean;
  visible: boolean;
  recommendation: string | null;
  createdAt: string;
  link: { code: string; url: string } | null;
  product: ProductRow;
  changes: ItemChangeFlags;
  addedFinalPriceMinor: number;
  addedRateBps: number;
}

function requireCreator(user: User): void {
  if (user.role !== 'creator') throw new Forbidden('only creators have a showcase');
}

async function isBound(db: Q, creatorId: string, sourceId: string): Promise<boolean> {
  const row = await db.selectFrom('store_bindings').select('id').where('creator_id', '=', creatorId).where('source_id', '=', sourceId).where('status', '=', 'approved').executeTakeFirst();
  return row !== undefined;
}

async function sourceKindOf(db: Q, sourceId: string) {
  return db.selectFrom('sources').select(['kind', 'owner_user_id', 'enabled']).where('id', '=', sourceId).executeTakeFirstOrThrow();
}

/**
 * Adds a product to the creator's showcase, by whichever of the four ways in applies, with its
 * tracked link; one transaction, so an item never exists without its link.
 */
export async function addItem(db: Q, creator: User, productId: string): Promise<ShowcaseItem> {
  requireCreator(creator);
  const product = await productById(db, productId).catch(() => null);
  if (!product) throw new NotFound('product');
  const source = await sourceKindOf(db, product.source_id);
  const via = wayIn({ kind: source.kind, ownerUserId: source.owner_user_id }, creator.id, await isBound(db, creator.id, product.source_id));
  if (via === null) throw new NotFound('product');
  if (product.status !== 'online' || source.enabled !== 1) throw new Unprocessable('product_offline', 'this product is offline and cannot be added');
  const itemId = await inTransaction(db, async (tx) => {
    const stats = await tx
      .selectFrom('showcase_items')
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('position').as('last')])
      .where('creator_id', '=', creator.id)
      .executeTakeFirstOrThrow();
    if (Number(stats.n) >= MAX_SHOWCASE_ITEMS) throw new Unprocessable('showcase_full', `a showcase holds at most ${MAX_SHOWCASE_ITEMS} items; remove some first`);
    const exists = await tx.selectFrom('showcase_items').select('id').where('creator_id', '=', creator.id).where('product_id', '=', product.id).executeTakeFirst();
    if (exists) throw new Conflict('already_in_showcase', 'this product is already in your showcase');
    const id = newId('item');
    await tx
      .insertInto('showcase_items')
      .values({
        id,
        creator_id: creator.id,
        product_id: product.id,
        via,
        position: stats.last === null ? 0 : Number(stats.last) + 1,
        pinned: 0,
        visible: 1,
        recommendation: null,
        added_final_price_minor: product.final_price_minor,
        added_rate_bps: product.commission_rate_bps,
        created_at: nowIso(),
      })
      .execute();
    await createLink(tx, { creatorId: creator.id, productId: product.id, itemId: id, channel: 'showcase' });
    return id;
  });
  return itemOf(db, creator, itemId);
}

function itemsQuery(db: Q) {
  return db
    .selectFrom('showcase_items')
    .innerJoin('products', 'products.id', 'showcase_items.product_id')
    .innerJoin('sources', 'sources.id', 'products.source_id')
    .selectAll('products')
    .select([
      'sources.name as source_name',
      'sources.platform as source_platform',
      'showcase_items.id as item_id',
      'showcase_items.via',
      'showcase_items.position',
      'showcase_items.pinned',
      'showcase_items.visible',
      'showcase_items.recommendation',
      'showcase_items.added_final_price_minor',
      'showcase_items.added_rate_bps',
      'showcase_items.created_at as item_created_at',
      (eb) => eb.selectFrom('links').select('links.code').whereRef('links.item_id', '=', 'showcase_items.id').where('links.channel', '=', 'showcase').limit(1).as('link_code'),
    ]);
}

type ItemRow = Awaited<ReturnType<ReturnType<typeof itemsQuery>['executeTakeFirstOrThrow']>>;

function toItem(r: ItemRow): ShowcaseItem {
  const { item_id, via, position, pinned, visible, recommendation, added_final_price_minor, added_rate_bps, item_created_at, link_code, ...product } = r;
  return {
    id: item_id,
    productId: product.id,
    via,
    position,
    pinned: pinned === 1,
    visible: visible === 1,
    recommendation,
    createdAt: item_created_at,
    link: link_code ? { code: link_code, url: `/r/${link_code}` } : null,
    product: product as ProductRow,
    changes: changesSinceAdded({ finalPriceMinor: added_final_price_minor, rateBps: added_rate_bps }, { finalPriceMinor: product.final_price_minor, rateBps: product.commission_rate_bps, online: product.status === 'online' }),
    addedFinalPriceMinor: added_final_price_minor,
    addedRateBps: added_rate_bps,
  };
}

/** The creator's showcase in showcase order: pinned first, then by position. */
export async function itemsOf(db: Q, creator: User): Promise<ShowcaseItem[]> {
  requireCreator(creator);
  const rows = await itemsQuery(db).where('showcase_items.creator_id', '=', creator.id).execute();
  return rows.map(toItem).sort(compareItems);
}

export async function itemOf(db: Q, creator: User, itemId: string): Promise<ShowcaseItem> {
  requireCreator(creator);
  const row = await itemsQuery(db).where('showcase_items.id', '=', itemId).where('showcase_items.creator_id', '=', creator.id).executeTakeFirst();
  if (!row) throw new NotFound('showcase item');
  return toItem(row);
}

export interface ItemChanges {
  recommendation?: string | null;
  visible?: boolean;
  pinned?: boolean;
  /** Takes the current price and rate as the new reference, clearing the change flags. */
  acknowledgeChanges?: boolean;
}

export async function updateItem(db: Q, creator: User, itemId: string, changes: ItemChanges): Promise<ShowcaseItem> {
  const item = await itemOf(db, creator, itemId);
  const recommendation = changes.recommendation === undefined ? undefined : changes.recommendation?.trim() || null;
  if (recommendation && [...recommendation].length > MAX_RECOMMENDATION_LENGTH) {
    throw new InvalidInput('recommendation_too_long', `a recommendation is one line of at most ${MAX_RECOMMENDATION_LENGTH} characters`);
  }
  if (recommendation && /[\r\n]/.test(recommendation)) throw new InvalidInput('recommendation_multiline', 'a recommendation is one line');
  await db
    .updateTable('showcase_items')
    .set({
      ...(recommendation !== undefined ? { recommendation } : {}),
      ...(changes.visible !== undefined ? { visible: changes.visible ? 1 : 0 } : {}),
      ...(changes.pinned !== undefined ? { pinned: changes.pinned ? 1 : 0 } : {}),
      ...(changes.acknowledgeChanges ? { added_final_price_minor: item.product.final_price_minor, added_rate_bps: item.product.commission_rate_bps } : {}),
    })
    .where('id', '=', item.id)
    .execute();
  return itemOf(db, creator, item.id);
}

/** Puts the items in the given order (drag to reorder); the list must be exactly the showcase's items. */
export async function reorderItems(db: Q, creator: User, itemIds: string[]): Promise<ShowcaseItem[]> {
  requireCreator(creator);
  await db.transaction().execute(async (tx) => {
    const current = await tx.selectFrom('showcase_items').select('id').where('creator_id', '=', creator.id).execute();
    const mine = new Set(current.map((r) => r.id));
    if (itemIds.length !== mine.size || new Set(itemIds).size !== itemIds.length || itemIds.some((id) => !mine.has(id))) {
      throw new InvalidInput('order_mismatch', 'send every item of your showcase exactly once, in the new order');
    }
    for (const [position, id] of itemIds.entries()) {
      await tx.updateTable('showcase_items').set({ position }).where('id', '=', id).where('creator_id', '=', creator.id).execute();
    }
  });
  return itemsOf(db, creator);
}

/** Removes an item; its links keep redirecting (they were shared), detached from the item. */
export async function removeItem(db: Q, creator: User, itemId: string): Promise<void> {
  const item = await itemOf(db, creator, itemId);
  await db.transaction().execute(async (tx) => {
    await tx.updateTable('links').set({ item_id: null }).where('item_id', '=', item.id).execute();
    await tx.deleteFrom('showcase_items').where('id', '=', item.id).execute();
  });
}

// --- store bindings: the fourth way in ------------------------------------------------------

export interface Binding {
  id: string;
  creator: { id: string; name: string; handle: string | null };
  source: { id: string; name: string; kind: string };
  status: 'pending' | 'approved' | 'rejected' | 'revoked';
  requestedAt: string;
  decidedAt: string | null;
}

function bindingsQuery(db: Q) {
  return db
    .selectFrom('store_bindings')
    .innerJoin('users', 'users.id', 'store_bindings.creator_id')
    .innerJoin('sources', 'sources.id', 'store_bindings.source_id')
    .select([
      'store_bindings.id',
      'store_bindings.status',
      'store_bindings.requested_at',
      'store_bindings.decided_at',
      'store_bindings.creator_id',
      'users.name as creator_name',
      'users.handle as creator_handle',
      'sources.id as source_id',
      'sources.name as source_name',
      'sources.kind as source_kind',
      'sources.owner_user_id',
    ]);
}

type BindingRow = Awaited<ReturnType<ReturnType<typeof bindingsQuery>['executeTakeFirstOrThrow']>>;

function toBinding(r: BindingRow): Binding {
  return {
    id: r.id,
    creator: { id: r.creator_id, name: r.creator_name, handle: r.creator_handle },
    source: { id: r.source_id, name: r.source_name, kind: r.source_kind },
    status: r.status,
    requestedAt: r.requested_at,
    decidedAt: r.decided_at,
  };
}

/** A creator asks to bind a merchant's store or another creator's own shop. */
export async function requestBinding(db: Q, creator: User, sourceId: string): Promise<Binding> {
  requireCreator(creator);
  const source = await db.selectFrom('sources').select(['id', 'kind', 'owner_user_id']).where('id', '=', sourceId).executeTakeFirst();
  if (!source || source.kind === 'platform') throw new NotFound('store');
  if (source.owner_user_id === creator.id) throw new InvalidInput('own_store', 'your own shop is already yours');
  const open = await db.selectFrom('store_bindings').select('id').where('creator_id', '=', creator.id).where('source_id', '=', sourceId).where('status', 'in', ['pending', 'approved']).executeTakeFirst();
  if (open) throw new Conflict('binding_exists', 'you already asked to bind this store');
  const id = newId('binding');
  await db.insertInto('store_bindings').values({ id, creator_id: creator.id, source_id: sourceId, status: 'pending', requested_at: nowIso(), decided_at: null, decided_by: null }).execute();
  await recordAudit(db, creator.id, 'binding.requested', id, { source_id: sourceId });
  return (await bindingsQuery(db).where('store_bindings.id', '=', id).executeTakeFirstOrThrow().then(toBinding));
}

export async function bindingsOfCreator(db: Q, creator: User): Promise<Binding[]> {
  requireCreator(creator);
  return (await bindingsQuery(db).where('store_bindings.creator_id', '=', creator.id).orderBy('store_bindings.id', 'desc').execute()).map(toBinding);
}

/** Requests to bind the stores a merchant or creator owns (all, for the operator). */
export async function bindingsToDecide(db: Q, owner: User): Promise<Binding[]> {
  let query = bindingsQuery(db).orderBy('store_bindings.id', 'desc');
  if (owner.role !== 'operator') query = query.where('sources.owner_user_id', '=', owner.id);
  return (await query.execute()).map(toBinding);
}

/** The store's owner (or the operator) approves or rejects; either side may revoke an approved one. */
export async function decideBinding(db: Q, actor: User, bindingId: string, decision: 'approved' | 'rejected' | 'revoked'): Promise<Binding> {
  const row = await bindingsQuery(db).where('store_bindings.id', '=', bindingId).executeTakeFirst();
  const isOwner = row && (actor.role === 'operator' || row.owner_user_id === actor.id);
  const isCreator = row && row.creator_id === actor.id;
  if (!row || !(isOwner || (isCreator && decision === 'revoked'))) throw new NotFound('binding');
  const allowed = decision === 'revoked' ? row.status === 'approved' || row.status === 'pending' : row.status === 'pending';
  if (!allowed) throw new Conflict('binding_not_open', `the binding is ${row.status}`);
  await db.updateTable('store_bindings').set({ status: decision, decided_at: nowIso(), decided_by: actor.id }).where('id', '=', row.id).where('status', '=', row.status).execute();
  await recordAudit(db, actor.id, `binding.${decision}`, row.id, {});
  return toBinding(await bindingsQuery(db).where('store_bindings.id', '=', row.id).executeTakeFirstOrThrow());
}

/**
 * A store's catalogue as a creator may browse it to add products: a merchant store is open to all,
 * an own shop to its creator and the creators bound to it.
 */
export async function storeCatalogueVisibleTo(db: Q, creator: User, sourceId: string): Promise<void> {
  requireCreator(creator);
  const source = await db.selectFrom('sources').select(['kind', 'owner_user_id']).where('id', '=', sourceId).executeTakeFirst();
  if (!source || source.kind === 'platform') throw new NotFound('store');
  const via = wayIn({ kind: source.kind, ownerUserId: source.owner_user_id }, creator.id, await isBound(db, creator.id, sourceId));
  if (via === null) throw new NotFound('store');
}

// --- the public page's data -------------------------------------------------------------------

export interface PublicShowcase {
  creator: { name: string; handle: string };
  items: {
    id: string;
    title: string;
    image: string | null;
    priceMinor: number;
    finalPriceMinor: number;
    currency: string;
    coupon: { amountMinor: number; thresholdMinor: number } | null;
    recommendation: string | null;
    linkCode: string;
    platform: string | null;
    sourceName: string;
  }[];
}

/** What a shopper sees at /s/:handle: visible items whose products are online, in showcase order. */
export async function publicShowcase(db: Q, handle: string): Promise<PublicShowcase> {
  const creator = await db.selectFrom('users').select(['id', 'name', 'handle']).where('handle', '=', handle.toLowerCase()).where('role', '=', 'creator').executeTakeFirst();
  if (!creator || !creator.handle) throw new NotFound('showcase');
  const rows = await itemsQuery(db).where('showcase_items.creator_id', '=', creator.id).where('showcase_items.visible', '=', 1).where('products.status', '=', 'online').execute();
  const items = rows.map(toItem).sort(compareItems).filter((i) => i.link !== null);
  return {
    creator: { name: creator.name, handle: creator.handle },
    items: items.map((i) => ({
      id: i.id,
      title: i.product.title,
      image: (JSON.parse(i.product.images) as string[])[0] ?? null,
      priceMinor: i.product.price_minor,
      finalPriceMinor: i.product.final_price_minor,
      currency: i.product.currency,
      coupon: i.product.coupon_amount_minor === null ? null : { amountMinor: i.product.coupon_amount_minor, thresholdMinor: i.product.coupon_threshold_minor ?? 0 },
      recommendation: i.recommendation,
      linkCode: i.link!.code,
      platform: i.product.source_platform,
      sourceName: i.product.source_name,
    })),
  };
}
