import type { Kysely } from 'kysely';
import { Forbidden, InvalidInput, NotFound, Unprocessable } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import { nowIso, startOfPlatformDay } from '../../core/time.ts';
import type { ColonelActivitiesTable, Database, TargetedPlansTable } from '../../db/schema.ts';
import { inTransaction } from '../../db/transaction.ts';
import type { User } from '../accounts/model.ts';
import { recordAudit } from '../audit/service.ts';
import { organisationOf } from '../orgs/service.ts';
import { windowClosed } from './plan-window.ts';

type Q = Kysely<Database>;

/**
 * Commission plans beyond a product's open rate (DESIGN "Rate resolution"):
 * - a targeted plan: a creator or an organisation asks for a higher rate on one product; the
 *   product's source owner (merchant or own shop) or, for platform sources, the operator approves;
 * - a colonel (团长) activity: a colonel proposes a rate and their service share for a set of
 *   products and a window; it runs once approved by the owner of every product's source (or the
 *   operator).
 * Approved plans are never edited: to stop one, its window is ended (orders paid earlier keep it);
 * see plans-stop.ts.
 */
export interface PlanWindow {
  startsOn?: string | null;
  endsOn?: string | null;
}

function windowOf(input: PlanWindow, now: string): { startsAt: string; endsAt: string | null } {
  const startsAt = input.startsOn ? startOfPlatformDayOrThrow(input.startsOn) : now;
  const endsAt = input.endsOn ? startOfPlatformDayOrThrow(input.endsOn) : null;
  if (endsAt !== null && endsAt <= startsAt) throw new InvalidInput('invalid_window', 'ends_on must be after starts_on');
  return { startsAt, endsAt };
}

export function startOfPlatformDayOrThrow(date: string): string {
  try {
    return startOfPlatformDay(date);
  } catch {
    throw new InvalidInput('invalid_date', `${date} is not a calendar date (YYYY-MM-DD)`);
  }
}

function checkRate(rateBps: number, what = 'rate_bps'): void {
  if (!Number.isInteger(rateBps) || rateBps < 0 || rateBps > 10_000) throw new InvalidInput('invalid_rate', `${what} is 0-10000 basis points`);
}

/** Who may decide on plans for a product: its source's owner, or the operator. */
export async function mayDecideFor(db: Q, user: User, productIds: readonly string[]): Promise<boolean> {
  if (user.role === 'operator') return true;
  if (productIds.length === 0) return false;
  const owners = await db.selectFrom('products').innerJoin('sources', 'sources.id', 'products.source_id').select(['products.id', 'sources.owner_user_id']).where('products.id', 'in', [...productIds]).execute();
  return owners.length === new Set(productIds).size && owners.every((o) => o.owner_user_id === user.id);
}

export async function requestTargetedPlan(db: Q, user: User, input: { productId: string; rateBps: number; note?: string | null } & PlanWindow): Promise<TargetedPlansTable> {
  if (user.role !== 'creator' && user.role !== 'org') throw new Forbidden();
  checkRate(input.rateBps);
  const product = await db.selectFrom('products').select(['id', 'commission_rate_bps']).where('id', '=', input.productId).executeTakeFirst();
  if (!product) throw new NotFound('product');
  if (input.rateBps <= product.commission_rate_bps) throw new InvalidInput('rate_not_higher', `a targeted plan asks for more than the open rate (${product.commission_rate_bps} bps)`);
  const now = nowIso();
  const target = user.role === 'creator' ? { kind: 'creator' as const, id: user.id } : { kind: 'organisation' as const, id: (await organisationOf(db, user)).id };
  const row: TargetedPlansTable = {
    id: newId('targetedPlan'),
    product_id: product.id,
    target_kind: target.kind,
    target_id: target.id,
    rate_bps: input.rateBps,
    status: 'requested',
    ...(({ startsAt, endsAt }) => ({ starts_at: startsAt, ends_at: endsAt }))(windowOf(input, now)),
    note: input.note?.trim() || null,
    requested_by: user.id,
    decided_by: null,
    decided_at: null,
    created_at: now,
  };
  await db.insertInto('targeted_plans').values(row).execute();
  await recordAudit(db, user.id, 'targeted_plan.requested', row.id, { product_id: row.product_id, rate_bps: row.rate_bps });
  return row;
}

/** A targeted plan as its viewer sees it: the product, the open rate it would replace, who asked, and what the viewer may do with it now. */
export type TargetedPlanView = TargetedPlansTable & { product_title: string; open_rate_bps: number; target_name: string; may_decide: boolean; may_end: boolean; may_withdraw: boolean };

/** Plans the user may see: their own (creator, org), their products' (merchant), all (operator). */
export async function targetedPlansFor(db: Q, user: User): Promise<TargetedPlanView[]> {
  let query = db
    .selectFrom('targeted_plans')
    .innerJoin('products', 'products.id', 'targeted_plans.product_id')
    .selectAll('targeted_plans')
    .select(['products.title as product_title', 'products.commission_rate_bps as open_rate_bps'])
    .orderBy('targeted_plans.created_at', 'desc');
  if (user.role === 'creator') query = query.where('targeted_plans.target_kind', '=', 'creator').where('targeted_plans.target_id', '=', user.id);
  else if (user.role === 'org') query = query.where('targeted_plans.target_kind', '=', 'organisation').where('targeted_plans.target_id', '=', (await organisationOf(db, user)).id);
  else if (user.role === 'merchant') query = query.where('products.source_id', 'in', db.selectFrom('sources').select('id').where('owner_user_id', '=', user.id));
  else if (user.role !== 'operator') throw new Forbidden();
  const rows = await query.limit(500).execute();
  const names = await targetNames(db, rows);
  // A merchant sees only its own products' plans, the operator all: both decide what they see;
  // a creator or an organisation sees only the plans it asked for.
  const decides = user.role === 'merchant' || user.role === 'operator';
  const now = nowIso();
  return rows.map((r) => ({
    ...r,
    target_name: names.get(`${r.target_kind}:${r.target_id}`) ?? r.target_id,
    may_decide: decides && r.status === 'requested',
    may_end: decides && r.status === 'approved' && !windowClosed({ startsAt: r.starts_at, endsAt: r.ends_at }, now),
    may_withdraw: !decides && r.status === 'requested',
  }));
}

async function targetNames(db: Q, plans: readonly Pick<TargetedPlansTable, 'target_kind' | 'target_id'>[]): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  const creatorIds = [...new Set(plans.filter((p) => p.target_kind === 'creator').map((p) => p.target_id))];
  const organisationIds = [...new Set(plans.filter((p) => p.target_kind === 'organisation').map((p) => p.target_id))];
  if (creatorIds.length > 0) for (const u of await db.selectFrom('users').select(['id', 'name']).where('id', 'in', creatorIds).execute()) names.set(`creator:${u.id}`, u.name);
  if (organisationIds.length > 0) for (const o of await db.selectFrom('organisations').select(['id', 'name']).where('id', 'in', organisationIds).execute()) names.set(`organisation:${o.id}`, o.name);
  return names;
}

export async function decideTargetedPlan(db: Q, user: User, planId: string, decision: 'approved' | 'rejected'): Promise<TargetedPlansTable> {
  return inTransaction(db, async (tx) => {
    const plan = await tx.selectFrom('targeted_plans').selectAll().where('id', '=', planId).executeTakeFirst();
    if (!plan || !(await mayDecideFor(tx, user, [plan.product_id]))) throw new NotFound('targeted plan');
    if (plan.status !== 'requested') throw new Unprocessable('plan_already_decided', `the plan is already ${plan.status}`);
    const decided = { status: decision, decided_by: user.id, decided_at: nowIso() };
    // Only while still requested: on PostgreSQL a withdrawal may have committed since the read.
    const updated = await tx.updateTable('targeted_plans').set(decided).where('id', '=', planId).where('status', '=', 'requested').executeTakeFirst();
    if (updated.numUpdatedRows === 0n) throw new Unprocessable('plan_already_decided', 'the plan was decided or withdrawn meanwhile');
    await recordAudit(tx, user.id, `targeted_plan.${decision}`, planId, {});
    return { ...plan, ...decided };
  });
}

export async function proposeColonelActivity(db: Q, colonel: User, input: { name: string; rateBps: number; shareBps: number; productIds: string[] } & PlanWindow): Promise<ColonelActivitiesTable> {
  if (colonel.role !== 'colonel') throw new Forbidden();
  const name = input.name.trim();
  if (!name || name.length > 100) throw new InvalidInput('invalid_name', 'name is 1-100 characters');
  checkRate(input.rateBps);
  checkRate(input.shareBps, 'share_bps');
  const productIds = [...new Set(input.productIds)];
  if (productIds.length === 0 || productIds.length > 500) throw new InvalidInput('invalid_products', 'an activity covers 1-500 products');
  const found = await db.selectFrom('products').select('id').where('id', 'in', productIds).execute();
  if (found.length !== productIds.length) throw new InvalidInput('unknown_product', 'every product_id must be a product of the pool');
  const now = nowIso();
  const { startsAt, endsAt } = windowOf(input, now);
  const row: ColonelActivitiesTable = { id: newId('colonelActivity'), colonel_id: colonel.id, name, rate_bps: input.rateBps, share_bps: input.shareBps, status: 'proposed', starts_at: startsAt, ends_at: endsAt, created_by: colonel.id, created_at: now };
  await inTransaction(db, async (tx) => {
    await tx.insertInto('colonel_activities').values(row).execute();
    await tx.insertInto('colonel_activity_products').values(productIds.map((product_id) => ({ activity_id: row.id, product_id }))).execute();
    await recordAudit(tx, colonel.id, 'colonel_activity.proposed', row.id, { products: productIds.length, rate_bps: row.rate_bps, share_bps: row.share_bps });
  });
  return row;
}

/** An activity as its viewer sees it: its products by title, its colonel by name, and what the viewer may do with it now. */
export type ColonelActivityView = ColonelActivitiesTable & {
  product_ids: string[];
  products: { id: string; title: string; commission_rate_bps: number }[];
  colonel_name: string;
  may_decide: boolean;
  may_cancel: boolean;
  may_end: boolean;
};

export async function colonelActivitiesFor(db: Q, user: User): Promise<ColonelActivityView[]> {
  let query = db.selectFrom('colonel_activities').innerJoin('users', 'users.id', 'colonel_activities.colonel_id').selectAll('colonel_activities').select('users.name as colonel_name').orderBy('colonel_activities.created_at', 'desc');
  if (user.role === 'colonel') query = query.where('colonel_activities.colonel_id', '=', user.id);
  else if (user.role === 'merchant') {
    query = query.where('colonel_activities.id', 'in', db.selectFrom('colonel_activity_products').innerJoin('products', 'products.id', 'colonel_activity_products.product_id').innerJoin('sources', 'sources.id', 'products.source_id').select('colonel_activity_products.activity_id').where('sources.owner_user_id', '=', user.id));
  } else if (user.role !== 'operator' && user.role !== 'creator') throw new Forbidden();
  const now = nowIso();
  // Creators see what runs now or later: an ended activity (plan-window.ts) leaves their list.
  if (user.role === 'creator') {
    query = query
      .where('colonel_activities.status', '=', 'active')
      .where((w) => w.or([w('colonel_activities.ends_at', 'is', null), w.and([w('colonel_activities.ends_at', '>', now), w('colonel_activities.ends_at', '>', w.ref('colonel_activities.starts_at'))])]));
  }
  const rows = await query.limit(500).execute();
  const products =
    rows.length === 0
      ? []
      : await db
          .selectFrom('colonel_activity_products')
          .innerJoin('products', 'products.id', 'colonel_activity_products.product_id')
          .innerJoin('sources', 'sources.id', 'products.source_id')
          .select(['colonel_activity_products.activity_id', 'products.id', 'products.title', 'products.commission_rate_bps', 'sources.owner_user_id'])
          .where('colonel_activity_products.activity_id', 'in', rows.map((r) => r.id))
          .orderBy('products.id')
          .execute();
  return rows.map((r) => {
    const own = products.filter((p) => p.activity_id === r.id);
    // The same rule as mayDecideFor: the operator, or the owner of every product's source.
    const decides = user.role === 'operator' || (user.role !== 'colonel' && own.length > 0 && own.every((p) => p.owner_user_id === user.id));
    // The same rules as cancelColonelActivity: its colonel or the operator cancels a proposal; they or the deciders end a running one.
    const proposer = user.role === 'operator' || (user.role === 'colonel' && r.colonel_id === user.id);
    const running = r.status === 'active' && !windowClosed({ startsAt: r.starts_at, endsAt: r.ends_at }, now);
    return {
      ...r,
      product_ids: own.map((p) => p.id),
      products: own.map((p) => ({ id: p.id, title: p.title, commission_rate_bps: p.commission_rate_bps })),
      may_decide: decides && r.status === 'proposed',
      may_cancel: proposer && r.status === 'proposed',
      may_end: (proposer || decides) && running,
    };
  });
}

export async function decideColonelActivity(db: Q, user: User, activityId: string, decision: 'active' | 'rejected'): Promise<ColonelActivitiesTable> {
  return inTransaction(db, async (tx) => {
    const activity = await tx.selectFrom('colonel_activities').selectAll().where('id', '=', activityId).executeTakeFirst();
    const productIds = (await tx.selectFrom('colonel_activity_products').select('product_id').where('activity_id', '=', activityId).execute()).map((p) => p.product_id);
    if (!activity || !(await mayDecideFor(tx, user, productIds))) throw new NotFound('colonel activity');
    if (activity.status !== 'proposed') throw new Unprocessable('activity_already_decided', `the activity is already ${activity.status}`);
    // Only while still proposed: on PostgreSQL a cancellation may have committed since the read.
    const updated = await tx.updateTable('colonel_activities').set({ status: decision }).where('id', '=', activityId).where('status', '=', 'proposed').executeTakeFirst();
    if (updated.numUpdatedRows === 0n) throw new Unprocessable('activity_already_decided', 'the activity was decided or cancelled meanwhile');
    await recordAudit(tx, user.id, decision === 'active' ? 'colonel_activity.approved' : 'colonel_activity.rejected', activityId, {});
    return { ...activity, status: decision };
  });
}
