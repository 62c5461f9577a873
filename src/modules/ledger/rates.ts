/**
 * Rate resolution: which commission rate applies to an order line, decided at the moment the
 * order was paid. Pure, no I/O: the caller loads the candidate plans of the product.
 *
 * Priority (DESIGN), highest first:
 *   1. a targeted (exclusive) plan for this creator or for the organisation they belonged to at
 *      paidAt — approved and in force at paidAt;
 *   2. a colonel (团长) activity covering the product — active and in force at paidAt;
 *   3. the product's open plan.
 * Ties inside a tier: the highest rate, then the earliest createdAt, then the smallest id — a
 * total order, so the answer never depends on the order the candidates were loaded in.
 * Windows are half-open [startsAt, endsAt) in ISO-8601 (compared as instants, not as text);
 * a null end is open-ended. Only `approved` targeted plans and `active` colonel activities count:
 * stopping a plan for future orders is done by ending its window, so orders paid earlier keep
 * their rate.
 */
import { BPS_PER_UNIT } from '../../core/money.ts';

export interface InForce {
  startsAt: string;
  endsAt: string | null;
}

export type TargetedPlanStatus = 'requested' | 'approved' | 'rejected' | 'withdrawn';

export interface TargetedPlan extends InForce {
  id: string;
  productId: string;
  /** whom the plan is for: one creator, or every creator of one organisation */
  targetKind: 'creator' | 'organisation';
  targetId: string;
  rateBps: number;
  status: TargetedPlanStatus;
  createdAt: string;
}

export type ColonelActivityStatus = 'proposed' | 'active' | 'rejected' | 'cancelled';

export interface ColonelActivity extends InForce {
  id: string;
  colonelId: string;
  productIds: readonly string[];
  rateBps: number;
  /** the colonel's service share of the commission earned under the activity */
  shareBps: number;
  status: ColonelActivityStatus;
  createdAt: string;
}

export interface RateContext {
  creatorId: string;
  /** the creator's organisation at paidAt (membership in force then), or null */
  organisationId: string | null;
  productId: string;
  paidAt: string;
}

export interface Plans {
  targeted: readonly TargetedPlan[];
  colonel: readonly ColonelActivity[];
  open: { rateBps: number };
}

export interface ResolvedRate {
  rateBps: number;
  plan: { kind: 'targeted' | 'colonel' | 'open'; id?: string };
  colonel?: { colonelId: string; shareBps: number };
}

function instant(iso: string, what: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new RangeError(`${what} is not an ISO-8601 instant: ${iso}`);
  return ms;
}

export function assertBps(bps: number, what = 'rate'): void {
  if (!Number.isSafeInteger(bps) || bps < 0 || bps > BPS_PER_UNIT) {
    throw new RangeError(`${what} must be integer basis points in [0, ${BPS_PER_UNIT}], got ${bps}`);
  }
}

export function inForceAt(window: InForce, at: string): boolean {
  const t = instant(at, 'instant');
  return instant(window.startsAt, 'startsAt') <= t && (window.endsAt === null || t < instant(window.endsAt, 'endsAt'));
}

/** Highest rate, then earliest createdAt, then smallest id. Negative: a comes first. */
function byPreference(a: { rateBps: number; createdAt: string; id: string }, b: typeof a): number {
  if (a.rateBps !== b.rateBps) return b.rateBps - a.rateBps;
  const ca = instant(a.createdAt, 'createdAt');
  const cb = instant(b.createdAt, 'createdAt');
  if (ca !== cb) return ca - cb;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function best<T extends { rateBps: number; createdAt: string; id: string }>(candidates: T[]): T | undefined {
  return candidates.reduce<T | undefined>((acc, c) => (acc === undefined || byPreference(c, acc) < 0 ? c : acc), undefined);
}

export function targetedCandidates(context: RateContext, plans: readonly TargetedPlan[]): TargetedPlan[] {
  return plans.filter(
    (p) =>
      p.status === 'approved' &&
      p.productId === context.productId &&
      ((p.targetKind === 'creator' && p.targetId === context.creatorId) ||
        (p.targetKind === 'organisation' && context.organisationId !== null && p.targetId === context.organisationId)) &&
      inForceAt(p, context.paidAt),
  );
}

export function colonelCandidates(context: RateContext, activities: readonly ColonelActivity[]): ColonelActivity[] {
  return activities.filter(
    (a) => a.status === 'active' && a.productIds.includes(context.productId) && inForceAt(a, context.paidAt),
  );
}

export function resolveRate(context: RateContext, plans: Plans): ResolvedRate {
  assertBps(plans.open.rateBps, 'open plan rate');
  const targeted = targetedCandidates(context, plans.targeted);
  targeted.forEach((p) => assertBps(p.rateBps, `targeted plan ${p.id} rate`));
  const t = best(targeted);
  if (t !== undefined) return { rateBps: t.rateBps, plan: { kind: 'targeted', id: t.id } };

  const activities = colonelCandidates(context, plans.colonel);
  activities.forEach((a) => {
    assertBps(a.rateBps, `colonel activity ${a.id} rate`);
    assertBps(a.shareBps, `colonel activity ${a.id} share`);
  });
  const c = best(activities);
  if (c !== undefined) {
    return { rateBps: c.rateBps, plan: { kind: 'colonel', id: c.id }, colonel: { colonelId: c.colonelId, shareBps: c.shareBps } };
  }
  return { rateBps: plans.open.rateBps, plan: { kind: 'open' } };
}
