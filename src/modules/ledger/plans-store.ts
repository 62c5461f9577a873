import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { ColonelActivity, TargetedPlan } from './rates.ts';
import { chunked } from '../../db/bulk.ts';

type Q = Kysely<Database>;

/** The approved targeted plans and active colonel activities of these products, by product id. */
export async function plansOfProducts(db: Q, productIds: readonly string[]): Promise<{ targeted: Map<string, TargetedPlan[]>; colonel: Map<string, ColonelActivity[]> }> {
  const targeted = new Map<string, TargetedPlan[]>();
  const colonel = new Map<string, ColonelActivity[]>();
  for (const ids of chunked([...new Set(productIds)])) {
    const plans = await db.selectFrom('targeted_plans').selectAll().where('product_id', 'in', ids).where('status', '=', 'approved').execute();
    for (const p of plans) {
      const plan: TargetedPlan = { id: p.id, productId: p.product_id, targetKind: p.target_kind, targetId: p.target_id, rateBps: p.rate_bps, status: p.status, startsAt: p.starts_at, endsAt: p.ends_at, createdAt: p.created_at };
      targeted.set(p.product_id, [...(targeted.get(p.product_id) ?? []), plan]);
    }
    const activities = await db
      .selectFrom('colonel_activity_products')
      .innerJoin('colonel_activities', 'colonel_activities.id', 'colonel_activity_products.activity_id')
      .selectAll('colonel_activities')
      .select('colonel_activity_products.product_id')
      .where('colonel_activity_products.product_id', 'in', ids)
      .where('colonel_activities.status', '=', 'active')
      .execute();
    for (const a of activities) {
      const activity: ColonelActivity = { id: a.id, colonelId: a.colonel_id, productIds: [a.product_id], rateBps: a.rate_bps, shareBps: a.share_bps, status: a.status, startsAt: a.starts_at, endsAt: a.ends_at, createdAt: a.created_at };
      colonel.set(a.product_id, [...(colonel.get(a.product_id) ?? []), activity]);
    }
  }
  return { targeted, colonel };
}
