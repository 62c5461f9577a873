import type { Expression, ExpressionBuilder, Kysely, Selectable, SqlBool } from 'kysely';
import { Forbidden, NotFound } from '../../core/errors.ts';
import { decodeKeyset, encodeKeyset } from '../../db/keyset.ts';
import type { CommissionsTable, Database, OrdersTable } from '../../db/schema.ts';
import type { User } from '../accounts/model.ts';
import { commissionsOfOrders } from '../ledger/commissions.ts';
import { organisationOf } from '../orgs/service.ts';
import { productsBySourceKeys } from '../pool/products.ts';
import type { StoredOrderState } from './model.ts';
import { storedEventsOfOrder } from './store.ts';

type Q = Kysely<Database>;

export interface OrderFilter {
  /** The platform's order number (`source_order_id`), exactly: the order a support request names. */
  orderNumber?: string;
  status?: string;
  attribution?: 'unattributed' | 'attributed';
  sourceId?: string;
  limit: number;
  cursor?: string | null;
}

export interface OrderLineView {
  lineId: string;
  sourceProductId: string;
  product: { id: string; title: string } | null;
  quantity: number;
  paidAmountMinor: number;
  refundedAmountMinor: number;
  commission: { status: string; rateBps: number; planKind: string; amountMinor: number } | null;
}

export interface OrderView {
  id: string;
  source: { id: string; name: string; platform: string | null };
  sourceOrderId: string;
  status: string;
  currency: string;
  orderedAt: string;
  paidAt: string | null;
  completedAt: string | null;
  paidAmountMinor: number;
  refundedAmountMinor: number;
  attribution: string;
  attributionDetail: unknown;
  clickId: string | null;
  subId: string | null;
  creator: { id: string; name: string; handle: string | null } | null;
  /** The viewer's share of the order's commission: creator's, organisation's, or the whole for the operator and the source. */
  commissionMinor: number;
  lines: OrderLineView[];
}

type Scope = { kind: 'all' } | { kind: 'creator'; id: string } | { kind: 'org'; id: string } | { kind: 'merchant'; id: string };

async function scopeOf(db: Q, viewer: User): Promise<Scope> {
  if (viewer.role === 'operator') return { kind: 'all' };
  if (viewer.role === 'creator') return { kind: 'creator', id: viewer.id };
  if (viewer.role === 'org') return { kind: 'org', id: (await organisationOf(db, viewer)).id };
  if (viewer.role === 'merchant') return { kind: 'merchant', id: viewer.id };
  throw new Forbidden();
}

/**
 * Orders the viewer may see, newest first: the operator all of them; an organisation those whose
 * commission it shares in; a merchant those of its sources (all three by order time); a creator
 * those with a commission line of theirs, by payment time (see `creatorOrdersPage`).
 */
export async function ordersVisibleTo(db: Q, viewer: User, filter: OrderFilter): Promise<{ items: OrderView[]; nextCursor: string | null }> {
  const scope = await scopeOf(db, viewer);
  const page = filter.orderNumber !== undefined ? await ordersByNumber(db, scope, filter.orderNumber, filter) : scope.kind === 'creator' ? await creatorOrdersPage(db, scope.id, filter) : await ordersPage(db, scope, filter);
  return { items: await viewsOf(db, page.rows, scope), nextCursor: page.nextCursor };
}

/** An order as the views read it: every column but its events, which only the history needs. */
type OrderRow = Omit<Selectable<OrdersTable>, 'events'>;
const ORDER_COLUMNS = ['orders.id', 'orders.source_id', 'orders.source_order_id', 'orders.currency', 'orders.status', 'orders.ordered_at', 'orders.paid_at', 'orders.completed_at', 'orders.click_id', 'orders.sub_id', 'orders.paid_amount_minor', 'orders.refunded_amount_minor', 'orders.state', 'orders.creator_id', 'orders.attribution', 'orders.attribution_detail', 'orders.created_at', 'orders.updated_at'] as const;
type Page = { rows: OrderRow[]; nextCursor: string | null };

async function ordersPage(db: Q, scope: Exclude<Scope, { kind: 'creator' }>, filter: OrderFilter): Promise<Page> {
  let query = db.selectFrom('orders').select(ORDER_COLUMNS).where((eb) => orderFilters(eb, filter));
  if (scope.kind === 'org') query = query.where('orders.id', 'in', db.selectFrom('commissions').select('order_id').where('organisation_id', '=', scope.id));
  if (scope.kind === 'merchant') query = query.where('orders.source_id', 'in', db.selectFrom('sources').select('id').where('owner_user_id', '=', scope.id));
  if (filter.cursor) {
    const [at, id] = decodeKeyset(filter.cursor);
    query = query.where((eb) => eb.or([eb('orders.ordered_at', '<', at), eb.and([eb('orders.ordered_at', '=', at), eb('orders.id', '<', id)])]));
  }
  const rows = await query.orderBy('orders.ordered_at', 'desc').orderBy('orders.id', 'desc').limit(filter.limit + 1).execute();
  return pageOf(rows, filter.limit, (r) => [r.ordered_at, r.id]);
}

/**
 * The orders with this platform order number that the viewer may see, with the list's other
 * filters: one per source at most, found through each source's (source, order number) key rather
 * than by walking a list, so a support request's order is found at once however many there are.
 * The same orders as the viewer's list holds (a creator's from payment on). One page.
 */
async function ordersByNumber(db: Q, scope: Scope, orderNumber: string, filter: OrderFilter): Promise<Page> {
  // The sources' ids as a list (a few hundred at most), so that both databases look each
  // (source, number) up in the key; as a subquery PostgreSQL may scan the key for the number alone.
  let sources = db.selectFrom('sources').select('id');
  if (scope.kind === 'merchant') sources = sources.where('owner_user_id', '=', scope.id);
  const sourceIds = (await sources.execute()).map((r) => r.id);
  if (sourceIds.length === 0) return { rows: [], nextCursor: null };
  let query = db.selectFrom('orders').select(ORDER_COLUMNS).where('orders.source_id', 'in', sourceIds).where('orders.source_order_id', '=', orderNumber).where((eb) => orderFilters(eb, filter));
  if (scope.kind === 'creator') query = query.where('orders.id', 'in', db.selectFrom('commissions').select('order_id').where('creator_id', '=', scope.id));
  if (scope.kind === 'org') query = query.where('orders.id', 'in', db.selectFrom('commissions').select('order_id').where('organisation_id', '=', scope.id));
  const rows = await query.orderBy('orders.ordered_at', 'desc').orderBy('orders.id', 'desc').execute();
  return { rows, nextCursor: null };
}

/**
 * A creator's orders are read off their commission lines, as alliance platforms (Douyin 精选联盟,
 * Taobao 联盟) show a creator orders from payment on: an order still unpaid has no line yet.
 * Newest payment first, by walking `commissions_creator` (creator, paid_at), the index the
 * earnings chart reads too; orders carry no per-creator index (migration 013). An order of several
 * lines is listed once, at its first line of this creator (its lines share the payment time).
 */
async function creatorOrdersPage(db: Q, creatorId: string, filter: OrderFilter): Promise<Page> {
  let query = db
    .selectFrom('commissions')
    .innerJoin('orders', 'orders.id', 'commissions.order_id')
    .select(ORDER_COLUMNS)
    .select('commissions.paid_at as line_paid_at')
    .where('commissions.creator_id', '=', creatorId)
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('commissions as earlier').select('earlier.id').whereRef('earlier.order_id', '=', 'commissions.order_id').whereRef('earlier.creator_id', '=', 'commissions.creator_id').whereRef('earlier.line_id', '<', 'commissions.line_id'))),
    )
    .where((eb) => orderFilters(eb, filter));
  if (filter.cursor) {
    const [at, id] = decodeKeyset(filter.cursor);
    // `paid_at <= at` on its own bounds the index range; the rest breaks ties by order id.
    query = query.where('commissions.paid_at', '<=', at).where((eb) => eb.or([eb('commissions.paid_at', '<', at), eb('commissions.order_id', '<', id)]));
  }
  const rows = await query.orderBy('commissions.paid_at', 'desc').orderBy('commissions.order_id', 'desc').limit(filter.limit + 1).execute();
  return pageOf(rows, filter.limit, (r) => [r.line_paid_at, r.id]);
}

/** The list's own filters, on the orders row. */
function orderFilters(eb: ExpressionBuilder<Database, 'orders'>, filter: OrderFilter): Expression<SqlBool> {
  const conditions: Expression<SqlBool>[] = [];
  if (filter.status) conditions.push(eb('orders.status', '=', filter.status as OrdersTable['status']));
  if (filter.attribution === 'unattributed') conditions.push(eb('orders.attribution', '=', 'unattributed'));
  if (filter.attribution === 'attributed') conditions.push(eb('orders.attribution', '<>', 'unattributed'));
  if (filter.sourceId) conditions.push(eb('orders.source_id', '=', filter.sourceId));
  return eb.and(conditions);
}

/** The first `limit` rows, and the cursor after the last of them when a further row was read. */
function pageOf<R extends OrderRow>(rows: R[], limit: number, keyOf: (row: R) => [string, string]): Page {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { rows: page, nextCursor: rows.length > limit && last ? encodeKeyset(...keyOf(last)) : null };
}

export async function orderVisibleTo(db: Q, viewer: User, orderId: string): Promise<OrderView & { history: OrderEventView[] }> {
  const scope = await scopeOf(db, viewer);
  const row = await db.selectFrom('orders').select(ORDER_COLUMNS).where('id', '=', orderId).executeTakeFirst();
  if (!row) throw new NotFound('order');
  const [view] = await viewsOf(db, [row], scope);
  const visible =
    scope.kind === 'all' ||
    (scope.kind === 'creator' && row.creator_id === scope.id) ||
    (scope.kind === 'org' && view!.lines.some((l) => l.commission !== null)) ||
    (scope.kind === 'merchant' && (await db.selectFrom('sources').select('id').where('id', '=', row.source_id).where('owner_user_id', '=', scope.id).executeTakeFirst()) !== undefined);
  if (!visible) throw new NotFound('order');
  const history = scope.kind === 'all' || scope.kind === 'merchant' ? await historyOf(db, row.id) : [];
  return { ...view!, history };
}

export interface OrderEventView {
  status: string;
  occurredAt: string;
  receivedAt: string;
  via: string;
  deliveryId: string | null;
  rawStatus: string | null;
  payload: unknown;
}

/** An order's events by the time they occurred; those of one instant in the order they came. */
async function historyOf(db: Q, orderId: string): Promise<OrderEventView[]> {
  const events = (await storedEventsOfOrder(db, orderId)).map((e, arrival) => ({ e, arrival }));
  events.sort((a, b) => (a.e.event.occurredAt < b.e.event.occurredAt ? -1 : a.e.event.occurredAt > b.e.event.occurredAt ? 1 : a.arrival - b.arrival));
  return events.map(({ e }) => ({ status: e.event.status, occurredAt: e.event.occurredAt, receivedAt: e.receivedAt, via: e.via, deliveryId: e.deliveryId, rawStatus: e.rawStatus, payload: e.event }));
}

async function viewsOf(db: Q, rows: readonly OrderRow[], scope: Scope): Promise<OrderView[]> {
  if (rows.length === 0) return [];
  const commissions = await commissionsOfOrders(db, rows.map((r) => r.id));
  const sources = new Map((await db.selectFrom('sources').select(['id', 'name', 'platform']).where('id', 'in', [...new Set(rows.map((r) => r.source_id))]).execute()).map((s) => [s.id, s]));
  const creatorIds = [...new Set(rows.flatMap((r) => (r.creator_id ? [r.creator_id] : [])))];
  const creators = new Map(creatorIds.length === 0 ? [] : (await db.selectFrom('users').select(['id', 'name', 'handle']).where('id', 'in', creatorIds).execute()).map((u) => [u.id, u]));
  const productIds = [...new Set([...commissions.values()].flatMap((c) => (c.product_id ? [c.product_id] : [])))];
  const products = new Map(productIds.length === 0 ? [] : (await db.selectFrom('products').select(['id', 'title']).where('id', 'in', productIds).execute()).map((p) => [p.id, p]));
  const states = new Map(rows.map((r) => [r.id, JSON.parse(r.state) as StoredOrderState]));
  const pooled = await pooledProductsOfLines(db, rows, states, commissions);
  return rows.map((r) => {
    const state = states.get(r.id)!;
    const lines = state.lines.map((l): OrderLineView => {
      const c = commissions.get(`${r.id} ${l.lineId}`);
      const share = c && shareFor(c, scope);
      const product = c?.product_id ? products.get(c.product_id) : pooled.get(`${r.source_id} ${l.productId}`);
      return {
        lineId: l.lineId,
        sourceProductId: l.productId,
        product: product ? { id: product.id, title: product.title } : null,
        quantity: l.quantity,
        paidAmountMinor: l.paidAmountMinor,
        refundedAmountMinor: l.refundedAmountMinor,
        commission: c && share !== null ? { status: c.status, rateBps: c.rate_bps, planKind: c.plan_kind, amountMinor: share ?? 0 } : null,
      };
    });
    const source = sources.get(r.source_id)!;
    return {
      id: r.id,
      source: { id: source.id, name: source.name, platform: source.platform },
      sourceOrderId: r.source_order_id,
      status: r.status,
      currency: r.currency,
      orderedAt: r.ordered_at,
      paidAt: r.paid_at,
      completedAt: r.completed_at,
      paidAmountMinor: Number(r.paid_amount_minor),
      refundedAmountMinor: Number(r.refunded_amount_minor),
      attribution: r.attribution,
      attributionDetail: scope.kind === 'all' ? (JSON.parse(r.attribution_detail) as unknown) : null,
      clickId: r.click_id,
      subId: r.sub_id,
      creator: r.creator_id ? (creators.get(r.creator_id) ?? null) : null,
      commissionMinor: lines.reduce((a, l) => a + (l.commission?.amountMinor ?? 0), 0),
      lines,
    };
  });
}

/**
 * The pool's products of lines that have no commission line to name theirs (an unattributed
 * order, a line booked nothing), by the source's product id: the operator deciding whom to
 * attribute an order to sees what was bought, not a platform's id. Keyed "source product".
 */
async function pooledProductsOfLines(db: Q, rows: readonly OrderRow[], states: ReadonlyMap<string, StoredOrderState>, commissions: ReadonlyMap<string, CommissionsTable>): Promise<Map<string, { id: string; title: string }>> {
  const wanted = new Map<string, string[]>();
  for (const r of rows) {
    for (const l of states.get(r.id)!.lines) {
      if (commissions.get(`${r.id} ${l.lineId}`)?.product_id) continue;
      const ids = wanted.get(r.source_id);
      if (ids) ids.push(l.productId);
      else wanted.set(r.source_id, [l.productId]);
    }
  }
  const out = new Map<string, { id: string; title: string }>();
  for (const [sourceId, ids] of wanted) {
    for (const [sourceProductId, product] of await productsBySourceKeys(db, sourceId, ids)) out.set(`${sourceId} ${sourceProductId}`, product);
  }
  return out;
}

/** The viewer's share of a line's commission; null when the viewer has none in it. */
function shareFor(c: CommissionsTable, scope: Scope): number | null {
  if (scope.kind === 'creator') return c.creator_id === scope.id ? Number(c.creator_amount_minor) : null;
  if (scope.kind === 'org') return c.organisation_id === scope.id ? Number(c.organisation_amount_minor) : null;
  return Number(c.commission_minor);
}
