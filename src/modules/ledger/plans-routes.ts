import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { nowIso, platformDayOf } from '../../core/time.ts';
import { requireRole } from '../../http/auth.ts';
import type { AppContext } from '../../http/context.ts';
import type { ColonelActivitiesTable, TargetedPlansTable } from '../../db/schema.ts';
import { windowClosed } from './plan-window.ts';
import { cancelColonelActivity, endTargetedPlan, withdrawTargetedPlan } from './plans-stop.ts';
import { colonelActivitiesFor, decideColonelActivity, decideTargetedPlan, proposeColonelActivity, requestTargetedPlan, targetedPlansFor, type ColonelActivityView, type TargetedPlanView } from './plans.ts';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'dates are YYYY-MM-DD');
const bps = z.number().int().min(0).max(10_000);
const idParams = z.object({ id: z.string() });
const endBody = z.object({ ends_on: day.optional().describe('the platform day (Asia/Shanghai) at whose start it ends; default now, and never earlier than now') }).nullish();
const windowFields = {
  starts_at: z.string().describe('the instant the window opens'),
  ends_at: z.string().nullable().describe('the instant the window closes (ends_on is its platform day), null for open-ended'),
  ended: z.boolean().describe('whether the window has closed: orders paid from now on no longer get its rate (those paid before keep it)'),
};

const targetedSchema = z.object({
  id: z.string(),
  product_id: z.string(),
  product_title: z.string().optional(),
  open_rate_bps: z.number().int().optional().describe('the product’s open rate now, which the plan would beat (lists only)'),
  target: z.object({ kind: z.enum(['creator', 'organisation']), id: z.string(), name: z.string().optional().describe('the creator’s or organisation’s name (lists only)') }),
  rate_bps: z.number().int(),
  status: z.enum(['requested', 'approved', 'rejected', 'withdrawn']).describe('withdrawn: by whoever asked, before it was decided'),
  starts_on: z.string(),
  ends_on: z.string().nullable(),
  ...windowFields,
  note: z.string().nullable(),
  created_at: z.string(),
  decided_at: z.string().nullable(),
  may_decide: z.boolean().optional().describe('whether the caller may approve or reject it now (lists only)'),
  may_end: z.boolean().optional().describe('whether the caller may end it now: approved, not ended, and the caller may decide it (lists only)'),
  may_withdraw: z.boolean().optional().describe('whether the caller may withdraw it now: still requested, and asked for the caller (lists only)'),
});

const activitySchema = z.object({
  id: z.string(),
  colonel_id: z.string(),
  name: z.string(),
  rate_bps: z.number().int(),
  share_bps: z.number().int().describe("the colonel's service share of the commission earned under the activity"),
  status: z.enum(['proposed', 'active', 'rejected', 'cancelled']),
  starts_on: z.string(),
  ends_on: z.string().nullable(),
  ...windowFields,
  product_ids: z.array(z.string()),
  products: z.array(z.object({ id: z.string(), title: z.string(), commission_rate_bps: z.number().int() })).optional().describe('the products with their titles and open rates (lists and decisions)'),
  colonel_name: z.string().optional(),
  may_decide: z.boolean().optional().describe('whether the caller may approve or reject it now: the operator, or the owner of every product’s source'),
  may_cancel: z.boolean().optional().describe('whether the caller may cancel it now: proposed, and the caller is its colonel or the operator'),
  may_end: z.boolean().optional().describe('whether the caller may end it now: running, and the caller is its colonel, the operator or the owner of every product’s source'),
  created_at: z.string(),
});

function targetedJson(p: TargetedPlansTable & Partial<Omit<TargetedPlanView, keyof TargetedPlansTable>>): z.infer<typeof targetedSchema> {
  return {
    id: p.id,
    product_id: p.product_id,
    ...(p.product_title === undefined ? {} : { product_title: p.product_title }),
    ...(p.open_rate_bps === undefined ? {} : { open_rate_bps: p.open_rate_bps }),
    target: { kind: p.target_kind, id: p.target_id, ...(p.target_name === undefined ? {} : { name: p.target_name }) },
    rate_bps: p.rate_bps,
    status: p.status,
    starts_on: platformDayOf(p.starts_at),
    ends_on: p.ends_at === null ? null : platformDayOf(p.ends_at),
    ...windowJson(p),
    note: p.note,
    created_at: p.created_at,
    decided_at: p.decided_at,
    ...(p.may_decide === undefined ? {} : { may_decide: p.may_decide }),
    ...(p.may_end === undefined ? {} : { may_end: p.may_end }),
    ...(p.may_withdraw === undefined ? {} : { may_withdraw: p.may_withdraw }),
  };
}

function windowJson(w: { starts_at: string; ends_at: string | null }) {
  return { starts_at: w.starts_at, ends_at: w.ends_at, ended: windowClosed({ startsAt: w.starts_at, endsAt: w.ends_at }, nowIso()) };
}

function activityJson(a: ColonelActivitiesTable & { product_ids: string[] } & Partial<Omit<ColonelActivityView, keyof ColonelActivitiesTable | 'product_ids'>>): z.infer<typeof activitySchema> {
  return {
    id: a.id,
    colonel_id: a.colonel_id,
    name: a.name,
    rate_bps: a.rate_bps,
    share_bps: a.share_bps,
    status: a.status,
    starts_on: platformDayOf(a.starts_at),
    ends_on: a.ends_at === null ? null : platformDayOf(a.ends_at),
    ...windowJson(a),
    product_ids: a.product_ids,
    ...(a.products === undefined ? {} : { products: a.products }),
    ...(a.colonel_name === undefined ? {} : { colonel_name: a.colonel_name }),
    ...(a.may_decide === undefined ? {} : { may_decide: a.may_decide }),
    ...(a.may_cancel === undefined ? {} : { may_cancel: a.may_cancel }),
    ...(a.may_end === undefined ? {} : { may_end: a.may_end }),
    created_at: a.created_at,
  };
}

/** Targeted plans (a higher rate for a creator or organisation) and colonel (团长) activities. */
export async function planRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = ctx.db.kysely;
  const reads = ctx.db.reads; // GET routes read here, without waiting for a transaction

  r.get('/api/plans/targeted', {
    schema: { tags: ['plans'], summary: 'Targeted plans: mine (creator, org), on my products (merchant), all (operator)', response: { 200: z.object({ items: z.array(targetedSchema) }) } },
    handler: async (request) => ({ items: (await targetedPlansFor(reads, requireRole(request, 'creator', 'org', 'merchant', 'operator'))).map(targetedJson) }),
  });

  r.post('/api/plans/targeted', {
    schema: {
      tags: ['plans'],
      summary: 'Ask for a higher rate on one product, for me (creator) or my organisation (org); the source’s owner or the operator decides',
      body: z.object({ product_id: z.string(), rate_bps: bps, starts_on: day.optional(), ends_on: day.optional(), note: z.string().max(500).optional() }),
      response: { 201: targetedSchema },
    },
    handler: async (request, reply) => {
      const b = request.body;
      const plan = await requestTargetedPlan(db, requireRole(request, 'creator', 'org'), { productId: b.product_id, rateBps: b.rate_bps, startsOn: b.starts_on, endsOn: b.ends_on, note: b.note });
      reply.status(201);
      return targetedJson(plan);
    },
  });

  for (const [path, decision] of [['approve', 'approved'], ['reject', 'rejected']] as const) {
    r.post(`/api/plans/targeted/:id/${path}`, {
      schema: { tags: ['plans'], summary: `${path === 'approve' ? 'Approve' : 'Reject'} a requested targeted plan (the product’s source owner, or the operator)`, params: idParams, response: { 200: targetedSchema } },
      handler: async (request) => targetedJson(await decideTargetedPlan(db, requireRole(request, 'merchant', 'creator', 'operator'), request.params.id, decision)),
    });
  }

  r.post('/api/plans/targeted/:id/end', {
    schema: {
      tags: ['plans'],
      summary: 'End an approved targeted plan now or from a day (the product’s source owner, or the operator); orders paid before the end keep its rate',
      params: idParams,
      body: endBody,
      response: { 200: targetedSchema },
    },
    handler: async (request) => targetedJson(await endTargetedPlan(db, requireRole(request, 'merchant', 'creator', 'operator'), request.params.id, request.body?.ends_on)),
  });

  r.post('/api/plans/targeted/:id/withdraw', {
    schema: { tags: ['plans'], summary: 'Withdraw a targeted plan still awaiting its decision (the creator or organisation it was asked for)', params: idParams, response: { 200: targetedSchema } },
    handler: async (request) => targetedJson(await withdrawTargetedPlan(db, requireRole(request, 'creator', 'org'), request.params.id)),
  });

  r.get('/api/colonel/activities', {
    schema: { tags: ['plans'], summary: 'Colonel activities: mine (colonel), on my products (merchant), active ones (creator), all (operator)', response: { 200: z.object({ items: z.array(activitySchema) }) } },
    handler: async (request) => ({ items: (await colonelActivitiesFor(reads, requireRole(request, 'colonel', 'merchant', 'creator', 'operator'))).map(activityJson) }),
  });

  r.post('/api/colonel/activities', {
    schema: {
      tags: ['plans'],
      summary: 'Propose an activity: a rate and the colonel’s share for a set of products and a window (colonel); it runs once approved',
      body: z.object({ name: z.string(), rate_bps: bps, share_bps: bps, product_ids: z.array(z.string()).min(1).max(500), starts_on: day.optional(), ends_on: day.optional() }),
      response: { 201: activitySchema },
    },
    handler: async (request, reply) => {
      const b = request.body;
      const activity = await proposeColonelActivity(db, requireRole(request, 'colonel'), { name: b.name, rateBps: b.rate_bps, shareBps: b.share_bps, productIds: b.product_ids, startsOn: b.starts_on, endsOn: b.ends_on });
      reply.status(201);
      return activityJson({ ...activity, product_ids: [...new Set(b.product_ids)] });
    },
  });

  for (const [path, decision] of [['approve', 'active'], ['reject', 'rejected']] as const) {
    r.post(`/api/colonel/activities/:id/${path}`, {
      schema: { tags: ['plans'], summary: `${path === 'approve' ? 'Approve' : 'Reject'} a proposed activity (the owner of every product’s source, or the operator)`, params: idParams, response: { 200: activitySchema } },
      handler: async (request) => {
        const activity = await decideColonelActivity(db, requireRole(request, 'merchant', 'creator', 'operator'), request.params.id, decision);
        const [withProducts] = (await colonelActivitiesFor(db, requireRole(request, 'merchant', 'creator', 'operator'))).filter((a) => a.id === activity.id);
        return activityJson(withProducts ?? { ...activity, product_ids: [] });
      },
    });
  }

  r.post('/api/colonel/activities/:id/cancel', {
    schema: {
      tags: ['plans'],
      summary: 'Cancel a proposed activity (its colonel, or the operator), or end a running one now or from a day (also the owner of every product’s source); orders paid before the end keep its rate',
      params: idParams,
      body: endBody,
      response: { 200: activitySchema },
    },
    handler: async (request) => {
      const user = requireRole(request, 'colonel', 'merchant', 'creator', 'operator');
      const activity = await cancelColonelActivity(db, user, request.params.id, request.body?.ends_on);
      const [withProducts] = (await colonelActivitiesFor(db, user)).filter((a) => a.id === activity.id);
      return activityJson(withProducts ?? activity);
    },
  });
}
