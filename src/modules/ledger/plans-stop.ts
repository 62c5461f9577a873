import type { Kysely } from 'kysely';
import { Conflict, Forbidden, NotFound, Unprocessable } from '../../core/errors.ts';
import { nowIso } from '../../core/time.ts';
import { isPostgres } from '../../db/dialect.ts';
import type { ColonelActivitiesTable, Database, TargetedPlansTable } from '../../db/schema.ts';
import { inTransaction } from '../../db/transaction.ts';
import type { User } from '../accounts/model.ts';
import { recordAudit } from '../audit/service.ts';
import { organisationOf } from '../orgs/service.ts';
import { endOnRequest, type EndRefusal } from './plan-window.ts';
import { mayDecideFor, startOfPlatformDayOrThrow } from './plans.ts';

type Q = Kysely<Database>;

/**
 * Stopping plans. An approved plan or a running activity is never edited: its window is ended
 * (plan-window.ts), so orders paid before the end keep its rate, even those reported later. What
 * has not been decided yet is simply closed: a request withdrawn by whoever asked, a proposal
 * cancelled by its colonel.
 */

/** Ends an approved targeted plan now, or at the start of `endsOn` (a platform day); by whoever may decide it. */
export async function endTargetedPlan(db: Q, user: User, planId: string, endsOn?: string | null): Promise<TargetedPlansTable> {
  const requestedEnd = endsOn ? startOfPlatformDayOrThrow(endsOn) : null;
  return inTransaction(db, async (tx) => {
    const plan = await locking(tx, tx.selectFrom('targeted_plans').selectAll().where('id', '=', planId)).executeTakeFirst();
    if (!plan || !(await mayDecideFor(tx, user, [plan.product_id]))) throw new NotFound('targeted plan');
    if (plan.status !== 'approved') throw new Unprocessable('plan_not_approved', `only an approved plan is ended; this one is ${plan.status}`);
    const decision = endOnRequest({ startsAt: plan.starts_at, endsAt: plan.ends_at }, requestedEnd, nowIso());
    if ('refused' in decision) throw refusal('plan', decision.refused);
    await tx.updateTable('targeted_plans').set({ ends_at: decision.endsAt }).where('id', '=', planId).execute();
    await recordAudit(tx, user.id, 'targeted_plan.ended', planId, { ends_at: decision.endsAt, previous_ends_at: plan.ends_at, ends_on: endsOn ?? null });
    return { ...plan, ends_at: decision.endsAt };
  });
}

/** Withdraws a plan still awaiting its decision; by the creator or organisation it was asked for. */
export async function withdrawTargetedPlan(db: Q, user: User, planId: string): Promise<TargetedPlansTable> {
  return inTransaction(db, async (tx) => {
    const plan = await locking(tx, tx.selectFrom('targeted_plans').selectAll().where('id', '=', planId)).executeTakeFirst();
    if (!plan || !(await isTargetOf(tx, user, plan))) throw new NotFound('targeted plan');
    if (plan.status !== 'requested') throw new Unprocessable('plan_already_decided', `the plan is already ${plan.status}`);
    const withdrawn = { status: 'withdrawn' as const, decided_by: user.id, decided_at: nowIso() };
    await tx.updateTable('targeted_plans').set(withdrawn).where('id', '=', planId).execute();
    await recordAudit(tx, user.id, 'targeted_plan.withdrawn', planId, {});
    return { ...plan, ...withdrawn };
  });
}

async function isTargetOf(db: Q, user: User, plan: TargetedPlansTable): Promise<boolean> {
  if (user.role === 'creator') return plan.target_kind === 'creator' && plan.target_id === user.id;
  if (user.role === 'org') return plan.target_kind === 'organisation' && plan.target_id === (await organisationOf(db, user)).id;
  return false;
}

/**
 * Cancels a proposed activity (its colonel, or the operator), or ends a running one now or at the
 * start of `endsOn` (its colonel, the operator, or whoever approved it: the owner of every
 * product's source). An ended activity stays `active`, so the orders paid while it ran keep it.
 */
export async function cancelColonelActivity(db: Q, user: User, activityId: string, endsOn?: string | null): Promise<ColonelActivitiesTable & { product_ids: string[] }> {
  const requestedEnd = endsOn ? startOfPlatformDayOrThrow(endsOn) : null;
  return inTransaction(db, async (tx) => {
    const activity = await locking(tx, tx.selectFrom('colonel_activities').selectAll().where('id', '=', activityId)).executeTakeFirst();
    const proposer = user.role === 'operator' || (user.role === 'colonel' && activity?.colonel_id === user.id);
    const productIds = (await tx.selectFrom('colonel_activity_products').select('product_id').where('activity_id', '=', activityId).execute()).map((p) => p.product_id);
    if (!activity || !(proposer || (await mayDecideFor(tx, user, productIds)))) throw new NotFound('colonel activity');
    if (activity.status === 'proposed') {
      if (!proposer) throw new Forbidden('a proposed activity is cancelled by its colonel or the operator; its products’ owners reject it');
      await tx.updateTable('colonel_activities').set({ status: 'cancelled' }).where('id', '=', activityId).execute();
      await recordAudit(tx, user.id, 'colonel_activity.cancelled', activityId, {});
      return { ...activity, status: 'cancelled', product_ids: productIds };
    }
    if (activity.status !== 'active') throw new Unprocessable('activity_not_running', `the activity is already ${activity.status}`);
    const decision = endOnRequest({ startsAt: activity.starts_at, endsAt: activity.ends_at }, requestedEnd, nowIso());
    if ('refused' in decision) throw refusal('activity', decision.refused);
    await tx.updateTable('colonel_activities').set({ ends_at: decision.endsAt }).where('id', '=', activityId).execute();
    await recordAudit(tx, user.id, 'colonel_activity.ended', activityId, { ends_at: decision.endsAt, previous_ends_at: activity.ends_at, ends_on: endsOn ?? null });
    return { ...activity, ends_at: decision.endsAt, product_ids: productIds };
  });
}

/** The row locked until the transaction ends on PostgreSQL, so two requests to end it do not both pass the checks (SQLite has one writer). */
function locking<Query extends { forUpdate(): Query }>(tx: Q, query: Query): Query {
  return isPostgres(tx) ? query.forUpdate() : query;
}

function refusal(what: 'plan' | 'activity', refused: EndRefusal): Conflict {
  return refused === 'already_ended' ? new Conflict(`${what}_already_ended`, `the ${what} has already ended`) : new Conflict('end_not_earlier', `the ${what} already ends on or before that day`);
}
