import type { Kysely } from 'kysely';
import { newId } from '../../core/ids.ts';
import { platformDayOf, startOfPlatformDay } from '../../core/time.ts';
import type { Database } from '../../db/schema.ts';
import type { User } from '../accounts/model.ts';
import { findUserById } from '../accounts/service.ts';
import { decideColonelActivity, decideTargetedPlan, proposeColonelActivity, requestTargetedPlan } from '../ledger/plans.ts';

const DAY = 86_400_000;
/** What a plan asks above a product's open rate, in basis points. */
const UPLIFT_BPS = 500;
/** Plans go to products with an everyday open rate, so the demo's plan rates look like real ones. */
const MAX_OPEN_RATE_BPS = 2500;

/**
 * The demo's commission plans, made after its orders so those keep the rates they were paid at:
 * for lin, a targeted plan the merchant approved and one still awaiting it; for the colonel, an
 * activity over three JD products the operator approved (running for a month) and one over the
 * merchant's products awaiting the merchant.
 */
export async function fillDemoPlans(db: Kysely<Database>, ids: { operator: string; merchant: string; lin: string; colonel: string }): Promise<{ targeted_plans: number; colonel_activities: number }> {
  const operator = await userOrThrow(db, ids.operator);
  const merchant = await userOrThrow(db, ids.merchant);
  const lin = await userOrThrow(db, ids.lin);
  const colonel = await userOrThrow(db, ids.colonel);
  const merchantProducts = await bestProducts(db, (q) => q.where('sources.owner_user_id', '=', merchant.id), 4);
  const jdProducts = await bestProducts(db, (q) => q.where('sources.platform', '=', 'jd'), 3);

  const [approvedOn, requestedOn, ...proposedOver] = merchantProducts;
  const approved = await requestTargetedPlan(db, lin, { productId: approvedOn!.id, rateBps: above(approvedOn!.commission_rate_bps), note: '直播间专场，预计单场 300 单' });
  await decideTargetedPlan(db, merchant, approved.id, 'approved');
  await requestTargetedPlan(db, lin, { productId: requestedOn!.id, rateBps: above(requestedOn!.commission_rate_bps), endsOn: platformDayOf(new Date(Date.now() + 60 * DAY).toISOString()), note: '双十二短视频种草' });

  const running = await proposeColonelActivity(db, colonel, {
    name: '年货节 · 数码家电专场',
    rateBps: above(Math.max(...jdProducts.map((p) => p.commission_rate_bps))),
    shareBps: 1500,
    productIds: jdProducts.map((p) => p.id),
    endsOn: platformDayOf(new Date(Date.now() + 30 * DAY).toISOString()),
  });
  await decideColonelActivity(db, operator, running.id, 'active');
  await proposeColonelActivity(db, colonel, {
    name: '双十二 · 好物优选狂欢周',
    rateBps: above(Math.max(...proposedOver.map((p) => p.commission_rate_bps))),
    shareBps: 1200,
    productIds: proposedOver.map((p) => p.id),
    startsOn: platformDayOf(new Date(Date.now() + 7 * DAY).toISOString()),
    endsOn: platformDayOf(new Date(Date.now() + 21 * DAY).toISOString()),
  });
  return { targeted_plans: 2, colonel_activities: 2 };
}

/**
 * The colonel's activity of the month before (双十一 · 爆款返场), recorded as it ran — approved,
 * over the twelve products the demo creators' shoppers clicked most, from 30 to 12 days ago — and
 * before the demo's orders, so that those paid while it ran earn under it: the colonel has
 * earnings, a line in the past settlement and a statement on a first start. The console cannot
 * make an activity in the past (its window starts today at the earliest); the demo records one,
 * as it records memberships that began in the past.
 */
export async function recordPastColonelActivity(db: Kysely<Database>, ids: { colonel: string; creators: string[] }): Promise<number> {
  const clicked = await db
    .selectFrom('clicks')
    .innerJoin('products', 'products.id', 'clicks.product_id')
    .select(['products.id', 'products.commission_rate_bps', (eb) => eb.fn.countAll<number>().as('clicks')])
    .where('clicks.creator_id', 'in', ids.creators)
    .where('clicks.is_bot', '=', 0)
    .groupBy(['products.id', 'products.commission_rate_bps'])
    .orderBy('clicks', 'desc')
    .orderBy('products.id')
    .limit(12)
    .execute();
  if (clicked.length === 0) return 0;
  const now = Date.now();
  const startsAt = startOfPlatformDay(platformDayOf(new Date(now - 30 * DAY).toISOString()));
  const endsAt = startOfPlatformDay(platformDayOf(new Date(now - 12 * DAY).toISOString()));
  const id = newId('colonelActivity');
  await db
    .insertInto('colonel_activities')
    .values({ id, colonel_id: ids.colonel, name: '双十一 · 爆款返场', rate_bps: above(Math.max(...clicked.map((p) => p.commission_rate_bps))), share_bps: 1500, status: 'active', starts_at: startsAt, ends_at: endsAt, created_by: ids.colonel, created_at: new Date(Date.parse(startsAt) - 3 * DAY).toISOString() })
    .execute();
  await db.insertInto('colonel_activity_products').values(clicked.map((p) => ({ activity_id: id, product_id: p.id }))).execute();
  return 1;
}

function above(openRateBps: number): number {
  return Math.ceil((openRateBps + UPLIFT_BPS) / 100) * 100;
}

async function userOrThrow(db: Kysely<Database>, id: string): Promise<User> {
  const user = await findUserById(db, id);
  if (!user) throw new Error(`demo user ${id} is missing`);
  return user;
}

type ProductsQuery = ReturnType<typeof productsQuery>;

function productsQuery(db: Kysely<Database>) {
  return db
    .selectFrom('products')
    .innerJoin('sources', 'sources.id', 'products.source_id')
    .select(['products.id', 'products.commission_rate_bps'])
    .where('products.status', '=', 'online')
    .where('products.commission_rate_bps', '<=', MAX_OPEN_RATE_BPS);
}

/** The online products paying the most per unit, in a stable order. */
async function bestProducts(db: Kysely<Database>, where: (query: ProductsQuery) => ProductsQuery, count: number) {
  const products = await where(productsQuery(db)).orderBy('products.commission_amount_minor', 'desc').orderBy('products.id').limit(count).execute();
  if (products.length < count) throw new Error(`the demo pool has fewer than ${count} products for its plans`);
  return products;
}
