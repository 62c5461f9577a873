import { sql, type Kysely } from 'kysely';
import { NotFound } from '../../core/errors.ts';
import { formatBps, formatMinor } from '../../core/money.ts';
import { platformDayOf, startOfPlatformDay } from '../../core/time.ts';
import { decodeKeyset, encodeKeyset } from '../../db/keyset.ts';
import type { Database, SettlementRunsTable } from '../../db/schema.ts';
import type { User } from '../accounts/model.ts';
import { csvField, partyOfUser } from './withdrawals.ts';
import { lineAsSettled, lineOfRow, SHARE_COLUMNS } from './commissions.ts';
import { partyKey, remainingCommission, sharesOf, summaryFromBalances, type EarningsSummary, type Party } from './postings.ts';
import { balancesWithPrefix } from './store.ts';

type Q = Kysely<Database>;

/** CONTRACT `GET /api/earnings/summary` for one party, from the cached balances. */
export async function earningsOf(db: Q, party: Party, currency: string): Promise<EarningsSummary> {
  const balances = await balancesWithPrefix(db, `${partyKey(party)}:`, currency);
  return summaryFromBalances(new Map([[currency, balances]]), party, currency);
}

export interface StatementView {
  id: string;
  settlementId: string;
  asOf: string;
  party: { kind: string; id: string; name: string };
  currency: string;
  lines: number;
  settledMinor: number;
  clawedBackMinor: number;
  netMinor: number;
  createdAt: string;
}

export interface StatementFilter {
  settlementId?: string;
  id?: string;
  /** At most this many (default and most 1,000). */
  limit?: number;
  /** `nextCursor` of the page before. */
  cursor?: string | null;
}

/** Statements the user may read: their own (creator, organisation, colonel), or all of them (operator); the first page of them. */
export async function statementsOf(db: Q, user: User, filter: StatementFilter = {}): Promise<StatementView[]> {
  return (await statementsPage(db, user, filter)).items;
}

/** `statementsOf` a page at a time, newest first (a run's in id order), with the cursor of the next page when there is one. */
export async function statementsPage(db: Q, user: User, filter: StatementFilter = {}): Promise<{ items: StatementView[]; nextCursor: string | null }> {
  const limit = Math.min(filter.limit ?? 1000, 1000);
  let query = db
    .selectFrom('statements')
    .innerJoin('settlement_runs', 'settlement_runs.id', 'statements.settlement_id')
    .selectAll('statements')
    .select('settlement_runs.as_of')
    .orderBy('statements.created_at', 'desc')
    .orderBy('statements.id');
  if (user.role !== 'operator') {
    const party = await partyOfUser(db, user);
    query = query.where('statements.party_kind', '=', party.kind).where('statements.party_id', '=', party.id);
  }
  if (filter.settlementId) query = query.where('statements.settlement_id', '=', filter.settlementId);
  if (filter.id) query = query.where('statements.id', '=', filter.id);
  if (filter.cursor) {
    const [at, id] = decodeKeyset(filter.cursor);
    query = query.where((eb) => eb.or([eb('statements.created_at', '<', at), eb.and([eb('statements.created_at', '=', at), eb('statements.id', '>', id)])]));
  }
  const rows = await query.limit(limit + 1).execute();
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const names = await partyNames(db, page.map((r) => ({ kind: r.party_kind, id: r.party_id })));
  return {
    items: page.map((r) => ({
      id: r.id,
      settlementId: r.settlement_id,
      asOf: r.as_of,
      party: { kind: r.party_kind, id: r.party_id, name: names.get(`${r.party_kind}:${r.party_id}`) ?? r.party_id },
      currency: r.currency,
      lines: r.lines,
      settledMinor: Number(r.settled_minor),
      clawedBackMinor: Number(r.clawed_back_minor),
      netMinor: Number(r.net_minor),
      createdAt: r.created_at,
    })),
    nextCursor: rows.length > limit && last ? encodeKeyset(last.created_at, last.id) : null,
  };
}

/** Display names of ledger parties, keyed `kind:id` (users for creators and colonels, organisations). */
export async function partyNames(db: Q, parties: readonly { kind: string; id: string }[]): Promise<Map<string, string>> {
  const userIds = [...new Set(parties.filter((p) => p.kind !== 'org').map((p) => p.id))];
  const orgIds = [...new Set(parties.filter((p) => p.kind === 'org').map((p) => p.id))];
  const out = new Map<string, string>();
  if (userIds.length > 0) for (const u of await db.selectFrom('users').select(['id', 'name', 'role']).where('id', 'in', userIds).execute()) out.set(`${u.role === 'colonel' ? 'colonel' : 'creator'}:${u.id}`, u.name);
  if (orgIds.length > 0) for (const o of await db.selectFrom('organisations').select(['id', 'name']).where('id', 'in', orgIds).execute()) out.set(`org:${o.id}`, o.name);
  return out;
}

/** One statement the user may read (by id: a run has a statement per party, often more than a list's thousand). */
export async function statementOf(db: Q, user: User, id: string): Promise<StatementView> {
  const [found] = await statementsOf(db, user, { id });
  if (!found) throw new NotFound('statement');
  return found;
}

/** Where a party of each kind stands on a commission line. */
const PARTY_COLUMN = { creator: 'creator_id', org: 'organisation_id', colonel: 'colonel_id' } as const;

/** One order line of a statement, as it was settled. */
export interface StatementLine {
  orderId: string;
  sourceOrderId: string;
  lineId: string;
  product: { id: string; title: string } | null;
  /** Whose order it was: an organisation's or a colonel's statement spans creators. */
  creator: { id: string; name: string };
  paidAt: string;
  paidAmountMinor: number;
  refundedMinor: number;
  rateBps: number;
  commissionMinor: number;
  /** The statement's party's share of the line's commission. */
  shareMinor: number;
  currency: string;
  /** Refunded or re-termed since it was settled: what moved is in a later statement's claw-backs. */
  changedSince: boolean;
}

/**
 * A statement and its lines: each order line settled in its run for the party, as it was settled
 * (a line refunded or re-termed since shows what was paid then), oldest payment first. They add up
 * to the statement's settled total. `limit` keeps the first lines only.
 */
export async function statementLines(db: Q, user: User, id: string, limit = Number.MAX_SAFE_INTEGER): Promise<{ statement: StatementView; lines: StatementLine[] }> {
  const statement = await statementOf(db, user, id);
  const kind = statement.party.kind as keyof typeof PARTY_COLUMN;
  const base = db
    .selectFrom('commissions')
    .innerJoin('orders', 'orders.id', 'commissions.order_id')
    .leftJoin('products', 'products.id', 'commissions.product_id')
    .select(['orders.source_order_id', 'products.title', ...SHARE_COLUMNS.map((c) => `commissions.${c}` as const), 'commissions.order_id', 'commissions.line_id', 'commissions.product_id', 'commissions.plan_kind', 'commissions.plan_id', 'commissions.refunded_amount_minor', 'commissions.paid_at', 'commissions.as_settled'])
    .where('commissions.settlement_id', '=', statement.settlementId)
    .where('commissions.currency', '=', statement.currency);
  // Lines as they are, the first `limit` of them in order; and every line changed since the run
  // (few), which may have had this party then and not now, and another instant.
  let unchanged = base.where(`commissions.${PARTY_COLUMN[kind]}`, '=', statement.party.id).where('commissions.as_settled', 'is', null).orderBy('commissions.paid_at').orderBy('commissions.id');
  if (limit < Number.MAX_SAFE_INTEGER) unchanged = unchanged.limit(limit);
  const changed = await base.where('commissions.as_settled', 'is not', null).execute();
  const settled = [...(await unchanged.execute()), ...changed.map(lineAsSettled).filter((r) => r[PARTY_COLUMN[kind]] === statement.party.id)].sort((a, b) =>
    a.paid_at < b.paid_at ? -1 : a.paid_at > b.paid_at ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0,
  );
  const shown = settled.slice(0, limit);
  const names = await partyNames(db, [...new Set(shown.map((r) => r.creator_id))].map((id) => ({ kind: 'creator', id })));
  const lines = shown.map((r): StatementLine => {
    const line = lineOfRow(r);
    const refunded = Number(r.refunded_amount_minor);
    return {
      orderId: r.order_id,
      sourceOrderId: r.source_order_id,
      lineId: r.line_id,
      product: r.product_id === null ? null : { id: r.product_id, title: r.title ?? '' },
      creator: { id: r.creator_id, name: names.get(`creator:${r.creator_id}`) ?? r.creator_id },
      paidAt: r.paid_at,
      paidAmountMinor: Number(r.paid_amount_minor),
      refundedMinor: refunded,
      rateBps: r.rate_bps,
      commissionMinor: remainingCommission(line, refunded),
      shareMinor: sharesOf(line, refunded).find((p) => p.party.kind === kind && p.party.id === statement.party.id)?.amountMinor ?? 0,
      currency: r.currency,
      changedSince: r.as_settled !== null,
    };
  });
  return { statement, lines };
}

/** A statement as CSV: its lines (`statementLines`), all of them, then the totals. */
export async function statementCsv(db: Q, user: User, id: string): Promise<{ filename: string; csv: string }> {
  const { statement: s, lines } = await statementLines(db, user, id);
  const header = 'order_id,line_id,product,paid_at,paid_amount,refunded_amount,rate,commission,your_share,currency,creator';
  const rows = lines.map((l) =>
    [l.sourceOrderId, l.lineId, l.product?.title ?? '', l.paidAt, formatMinor(l.paidAmountMinor), formatMinor(l.refundedMinor), formatBps(l.rateBps), formatMinor(l.commissionMinor), formatMinor(l.shareMinor), l.currency, l.creator.name].map(csvField).join(','),
  );
  const totals = [`settled,,,,,,,,${formatMinor(s.settledMinor)},${s.currency},`, `clawed_back,,,,,,,,${formatMinor(s.clawedBackMinor)},${s.currency},`, `net,,,,,,,,${formatMinor(s.netMinor)},${s.currency},`];
  return { filename: `statement-${s.asOf.slice(0, 10)}-${s.party.kind}-${s.id}.csv`, csv: `${[header, ...rows, ...totals].join('\r\n')}\r\n` };
}

export interface DailyEarnings {
  day: string;
  lines: number;
  /** The party's share of commission booked on orders paid that day, less refunds; reversed lines count 0. */
  amountMinor: number;
}

const DAILY_COLUMNS = ['paid_at', 'status', 'creator_amount_minor', 'organisation_amount_minor'] as const;

/** Earnings by Asia/Shanghai day of payment, for the last `days` days (the console's chart). */
export async function dailyEarningsOf(db: Q, user: User, days: number, now = new Date()): Promise<DailyEarnings[]> {
  const party = await partyOfUser(db, user);
  const firstDay = platformDayOf(new Date(now.getTime() - (days - 1) * 86_400_000).toISOString());
  const since = startOfPlatformDay(firstDay);
  // Only what the party's amount needs: a creator's month can be tens of thousands of lines, and
  // reading whole rows took most of the time (a colonel's share is worked out from the split's terms).
  const columns = party.kind === 'colonel' ? ([...DAILY_COLUMNS, ...SHARE_COLUMNS, 'product_id', 'plan_kind', 'plan_id', 'refunded_amount_minor'] as const) : DAILY_COLUMNS;
  const rows = await db.selectFrom('commissions').select(columns).where(PARTY_COLUMN[party.kind], '=', party.id).where('paid_at', '>=', since).execute();
  const amountOf = (row: (typeof rows)[number]): number => {
    if (party.kind === 'creator') return Number(row.creator_amount_minor);
    if (party.kind === 'org') return Number(row.organisation_amount_minor);
    return sharesOf(lineOfRow(row), Number(row.refunded_amount_minor)).find((s) => s.party.kind === 'colonel')?.amountMinor ?? 0;
  };
  const byDay = new Map<string, DailyEarnings>();
  for (let i = 0; i < days; i++) {
    const day = platformDayOf(new Date(Date.parse(startOfPlatformDay(firstDay)) + i * 86_400_000).toISOString());
    byDay.set(day, { day, lines: 0, amountMinor: 0 });
  }
  for (const r of rows) {
    const d = byDay.get(platformDayOf(r.paid_at));
    if (!d) continue;
    d.lines += 1;
    d.amountMinor += r.status === 'reversed' ? 0 : amountOf(r);
  }
  return [...byDay.values()];
}

export interface CreatorPerformance {
  creator: { id: string; name: string; handle: string | null };
  /** Orders with a line paid in the window (an order of several lines counts once). */
  orders: number;
  paidMinor: number;
  refundedMinor: number;
  /** The lines' commission after refunds; a reversed line counts nothing. */
  commissionMinor: number;
  /** The organisation's share of it. */
  shareMinor: number;
}

/**
 * An organisation's creators by what they sold in the last `days` platform days (Asia/Shanghai,
 * today included, as the earnings chart counts them): the lines of orders paid in the window that
 * the organisation shares in, read through `commissions_organisation` (organisation, paid_at).
 * A creator who has left still has the lines of the time they belonged. Largest share first.
 */
export async function earningsByCreator(db: Q, user: User, days: number, now = new Date()): Promise<CreatorPerformance[]> {
  const party = await partyOfUser(db, user);
  if (party.kind !== 'org') return [];
  const since = startOfPlatformDay(platformDayOf(new Date(now.getTime() - (days - 1) * 86_400_000).toISOString()));
  // Summed in the database: an organisation's month can be many thousands of lines.
  const counted = (column: 'commission_minor' | 'organisation_amount_minor') => sql<number>`sum(case when ${sql.ref('status')} = 'reversed' then 0 else ${sql.ref(column)} end)`;
  const rows = await db
    .selectFrom('commissions')
    .select((eb) => [
      'creator_id',
      eb.fn.count<number>('order_id').distinct().as('orders'),
      eb.fn.sum<number>('paid_amount_minor').as('paid'),
      eb.fn.sum<number>('refunded_amount_minor').as('refunded'),
      counted('commission_minor').as('commission'),
      counted('organisation_amount_minor').as('share'),
    ])
    .where('organisation_id', '=', party.id)
    .where('paid_at', '>=', since)
    .groupBy('creator_id')
    .execute();
  if (rows.length === 0) return [];
  const users = new Map((await db.selectFrom('users').select(['id', 'name', 'handle']).where('id', 'in', rows.map((r) => r.creator_id)).execute()).map((u) => [u.id, u]));
  return rows
    .map((r) => ({ creator: users.get(r.creator_id) ?? { id: r.creator_id, name: r.creator_id, handle: null }, orders: Number(r.orders), paidMinor: Number(r.paid), refundedMinor: Number(r.refunded), commissionMinor: Number(r.commission), shareMinor: Number(r.share) }))
    .sort((a, b) => b.shareMinor - a.shareMinor || b.commissionMinor - a.commissionMinor || (a.creator.id < b.creator.id ? -1 : 1));
}

export interface ProductPerformance {
  /** The pool's product, when the line names one (a line of a product not in the pool has only the source's id). */
  product: { id: string; title: string; images: string[] } | null;
  source: { id: string; name: string; platform: string | null };
  sourceProductId: string;
  /** Orders with a line of this product paid in the window. */
  orders: number;
  paidMinor: number;
  refundedMinor: number;
  /** The lines' commission after refunds; a reversed line counts nothing. */
  commissionMinor: number;
  /** The caller's part of it: the creator's, the organisation's or the colonel's. */
  shareMinor: number;
}

/**
 * What sold, product by product, in the last `days` platform days (as the earnings chart counts
 * them): the caller's commission lines of orders paid in the window, read through the party's
 * index (creator, organisation or colonel, by payment time) and summed per product; the `limit`
 * products that earned the caller most, and how many products there were in all.
 */
export async function earningsByProduct(db: Q, user: User, days: number, limit: number, now = new Date()): Promise<{ items: ProductPerformance[]; products: number }> {
  const party = await partyOfUser(db, user);
  const since = startOfPlatformDay(platformDayOf(new Date(now.getTime() - (days - 1) * 86_400_000).toISOString()));
  type Summed = Omit<ProductPerformance, 'product' | 'source'> & { productId: string | null; sourceId: string };
  let summed: Summed[];
  if (party.kind === 'colonel') {
    // A colonel's part is not a column: worked out line by line from the split's terms, as the chart does.
    const rows = await db.selectFrom('commissions').select([...SHARE_COLUMNS, 'product_id', 'plan_kind', 'plan_id', 'order_id', 'source_product_id', 'status', 'refunded_amount_minor', 'commission_minor']).where('colonel_id', '=', party.id).where('paid_at', '>=', since).execute();
    const byProduct = new Map<string, Summed & { orderIds: Set<string> }>();
    for (const r of rows) {
      const key = `${r.product_id ?? ''}\u0000${r.source_id}\u0000${r.source_product_id}`;
      let p = byProduct.get(key);
      if (!p) byProduct.set(key, (p = { productId: r.product_id, sourceId: r.source_id, sourceProductId: r.source_product_id, orders: 0, paidMinor: 0, refundedMinor: 0, commissionMinor: 0, shareMinor: 0, orderIds: new Set() }));
      p.orderIds.add(r.order_id);
      p.paidMinor += Number(r.paid_amount_minor);
      p.refundedMinor += Number(r.refunded_amount_minor);
      if (r.status === 'reversed') continue;
      p.commissionMinor += Number(r.commission_minor);
      p.shareMinor += sharesOf(lineOfRow(r), Number(r.refunded_amount_minor)).find((s) => s.party.kind === 'colonel')?.amountMinor ?? 0;
    }
    summed = [...byProduct.values()].map(({ orderIds, ...p }) => ({ ...p, orders: orderIds.size }));
  } else {
    // Summed in the database: a creator's month can be tens of thousands of lines.
    const share = party.kind === 'creator' ? 'creator_amount_minor' : 'organisation_amount_minor';
    const counted = (column: 'commission_minor' | typeof share) => sql<number>`sum(case when ${sql.ref('status')} = 'reversed' then 0 else ${sql.ref(column)} end)`;
    const rows = await db
      .selectFrom('commissions')
      .select((eb) => [
        'product_id',
        'source_id',
        'source_product_id',
        eb.fn.count<number>('order_id').distinct().as('orders'),
        eb.fn.sum<number>('paid_amount_minor').as('paid'),
        eb.fn.sum<number>('refunded_amount_minor').as('refunded'),
        counted('commission_minor').as('commission'),
        counted(share).as('share'),
      ])
      .where(PARTY_COLUMN[party.kind], '=', party.id)
      .where('paid_at', '>=', since)
      .groupBy(['product_id', 'source_id', 'source_product_id'])
      .execute();
    summed = rows.map((r) => ({ productId: r.product_id, sourceId: r.source_id, sourceProductId: r.source_product_id, orders: Number(r.orders), paidMinor: Number(r.paid), refundedMinor: Number(r.refunded), commissionMinor: Number(r.commission), shareMinor: Number(r.share) }));
  }
  const top = summed
    .sort((a, b) => b.shareMinor - a.shareMinor || b.paidMinor - b.refundedMinor - (a.paidMinor - a.refundedMinor) || (a.sourceProductId < b.sourceProductId ? -1 : a.sourceProductId > b.sourceProductId ? 1 : 0))
    .slice(0, limit);
  const productIds = [...new Set(top.flatMap((p) => (p.productId ? [p.productId] : [])))];
  const products = new Map((productIds.length === 0 ? [] : await db.selectFrom('products').select(['id', 'title', 'images']).where('id', 'in', productIds).execute()).map((p) => [p.id, p]));
  const sourceIds = [...new Set(top.map((p) => p.sourceId))];
  const sources = new Map((sourceIds.length === 0 ? [] : await db.selectFrom('sources').select(['id', 'name', 'platform']).where('id', 'in', sourceIds).execute()).map((s) => [s.id, s]));
  return {
    products: summed.length,
    items: top.map(({ productId, sourceId, ...p }) => {
      const product = productId ? products.get(productId) : undefined;
      const source = sources.get(sourceId);
      return { ...p, product: product ? { id: product.id, title: product.title, images: JSON.parse(product.images) as string[] } : null, source: { id: sourceId, name: source?.name ?? sourceId, platform: source?.platform ?? null } };
    }),
  };
}

/** A settlement run as the API shows it: where it stands, its lines so far, its totals once done, and why it stopped if it did. */
export interface SettlementRunView {
  id: string;
  as_of: string;
  status: SettlementRunsTable['status'];
  started_at: string;
  finished_at: string | null;
  lines: number;
  batches: number;
  summary: unknown;
  error: string | null;
  heartbeat_at: string | null;
  /** Running, not stopped, and something settled a batch of it (or started it) within the last two minutes. */
  active: boolean;
}

/**
 * A running run nothing has moved for this long is taken for abandoned (its process died): a
 * batch takes well under a second, a run's finish seconds.
 */
const RUN_STALE_MS = 2 * 60_000;

/** Something is working on the run: running, not stopped, and moved within RUN_STALE_MS. */
export function isRunActive(r: Pick<SettlementRunsTable, 'status' | 'error' | 'heartbeat_at'>, now: Date): boolean {
  return r.status === 'running' && r.error === null && r.heartbeat_at !== null && now.getTime() - Date.parse(r.heartbeat_at) < RUN_STALE_MS;
}

function settlementRunView(r: SettlementRunsTable, now: Date): SettlementRunView {
  const active = isRunActive(r, now);
  return { id: r.id, as_of: r.as_of, status: r.status, started_at: r.started_at, finished_at: r.finished_at, lines: r.lines, batches: r.batches, summary: r.summary === null ? null : (JSON.parse(r.summary) as unknown), error: r.error, heartbeat_at: r.heartbeat_at, active };
}

export async function settlementRuns(db: Q, now = new Date()): Promise<SettlementRunView[]> {
  const rows = await db.selectFrom('settlement_runs').selectAll().orderBy('started_at', 'desc').limit(200).execute();
  return rows.map((r) => settlementRunView(r, now));
}

export async function settlementRun(db: Q, id: string, now = new Date()): Promise<SettlementRunView> {
  const row = await db.selectFrom('settlement_runs').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFound(`settlement run ${id}`);
  return settlementRunView(row, now);
}
