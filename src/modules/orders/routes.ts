import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DomainError, NotFound } from '../../core/errors.ts';
import { requireRole } from '../../http/auth.ts';
import type { AppContext } from '../../http/context.ts';
import { errorSchema } from '../../http/errors.ts';
import { absoluteUrlOf } from '../../http/urls.ts';
import { webhookSecretOf } from '../sources/service.ts';
import { ORDER_STATUSES } from './model.ts';
import { addPosition, POSITION_KINDS, positionsOf, positionSources, removePosition } from './positions.ts';
import { orderVisibleTo, ordersVisibleTo, type OrderView } from './queries.ts';
import { merchantSales } from './sales.ts';
import { attributeByHand, ingestOrderEvents } from './service.ts';
import { registerTaobaoChannelFrom, taobaoChannelAuthorizeUrl } from './taobao-channel.ts';

/** Where Taobao's OAuth page sends a creator back after authorising (渠道备案). */
const TAOBAO_CHANNEL_CALLBACK = '/api/positions/taobao-channel/callback';

const lineSchema = z.object({
  line_id: z.string(),
  source_product_id: z.string(),
  product: z.object({ id: z.string(), title: z.string() }).nullable(),
  quantity: z.number().int(),
  paid_amount: z.number().int(),
  refunded_amount: z.number().int(),
  commission: z.object({ status: z.string(), rate_bps: z.number().int(), plan: z.string(), amount: z.number().int() }).nullable().describe("the viewer's share of this line's commission"),
});

const orderSchema = z.object({
  id: z.string(),
  source: z.object({ id: z.string(), name: z.string(), platform: z.string().nullable() }),
  source_order_id: z.string(),
  status: z.string(),
  currency: z.string(),
  ordered_at: z.string(),
  paid_at: z.string().nullable(),
  completed_at: z.string().nullable(),
  paid_amount: z.number().int(),
  refunded_amount: z.number().int(),
  attribution: z.enum(['click', 'sub_id', 'manual', 'unattributed']),
  attribution_detail: z.unknown().describe('operator only: the rule that decided and why a click or sub id was not used'),
  click_id: z.string().nullable(),
  sub_id: z.string().nullable(),
  creator: z.object({ id: z.string(), name: z.string(), handle: z.string().nullable() }).nullable(),
  commission: z.number().int().describe("the viewer's share of the order's commission (the whole for the operator and the source)"),
  lines: z.array(lineSchema),
});

const eventSchema = z.object({ status: z.string(), occurred_at: z.string(), received_at: z.string(), via: z.string(), delivery_id: z.string().nullable(), raw_status: z.string().nullable(), payload: z.unknown() });

function orderJson(o: OrderView): z.infer<typeof orderSchema> {
  return {
    id: o.id,
    source: o.source,
    source_order_id: o.sourceOrderId,
    status: o.status,
    currency: o.currency,
    ordered_at: o.orderedAt,
    paid_at: o.paidAt,
    completed_at: o.completedAt,
    paid_amount: o.paidAmountMinor,
    refunded_amount: o.refundedAmountMinor,
    attribution: o.attribution as z.infer<typeof orderSchema>['attribution'],
    attribution_detail: o.attributionDetail,
    click_id: o.clickId,
    sub_id: o.subId,
    creator: o.creator,
    commission: o.commissionMinor,
    lines: o.lines.map((l) => ({
      line_id: l.lineId,
      source_product_id: l.sourceProductId,
      product: l.product,
      quantity: l.quantity,
      paid_amount: l.paidAmountMinor,
      refunded_amount: l.refundedAmountMinor,
      commission: l.commission && { status: l.commission.status, rate_bps: l.commission.rateBps, plan: l.commission.planKind, amount: l.commission.amountMinor },
    })),
  };
}

export async function orderRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const db = ctx.db.kysely;
  const reads = ctx.db.reads; // GET routes read here, without waiting for a transaction

  // Large deliveries are verified in a worker thread, started on the first one (or by `serve`).
  const verifier = ctx.webhookVerifier;
  app.addHook('onClose', () => verifier.close());
  await app.register(async (hooks) => {
    // The signature covers the exact bytes sent, so the body is kept as they came, and decoded by
    // the verifier (a large delivery in its worker).
    hooks.removeAllContentTypeParsers();
    hooks.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
    hooks.withTypeProvider<ZodTypeProvider>().post('/api/webhooks/sources/:sourceId/orders', {
      config: { public: true },
      schema: {
        tags: ['orders'],
        summary: 'Order events from a source, signed per Standard Webhooks: one event or { "events": [...] } of up to 1,000',
        params: z.object({ sourceId: z.string() }),
        response: {
          200: z.object({ received: z.number().int(), applied: z.number().int(), duplicate_delivery: z.boolean() }),
          400: errorSchema,
          401: errorSchema,
          404: errorSchema,
        },
      },
      handler: async (request) => {
        const secret = await webhookSecretOf(reads, request.params.sourceId);
        if (secret === null) throw new NotFound('source');
        const body = Buffer.isBuffer(request.body) ? request.body : '';
        const delivery = await verifier.verify(secret, request.headers as Record<string, string | undefined>, body);
        const report = await ingestOrderEvents(db, request.params.sourceId, delivery.events.map((event, i) => ({ event, record: delivery.records[i] })), { via: 'webhook', deliveryId: delivery.webhookId });
        return { received: report.events, applied: report.applied, duplicate_delivery: report.duplicateDelivery };
      },
    });
  });

  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/orders', {
    schema: {
      tags: ['orders'],
      summary: 'Orders the caller may see, newest first: all (operator), credited to me (creator), sharing in my commission (org), of my sources (merchant)',
      querystring: z.object({
        order: z.string().trim().min(1).max(128).optional().describe("the platform's order number, exactly (one page; `cursor` does not apply)"),
        status: z.enum(ORDER_STATUSES).optional(),
        attribution: z.enum(['unattributed', 'attributed']).optional(),
        source: z.string().optional(),
        limit: z.coerce.number().int().min(1).max(100).default(50),
        cursor: z.string().optional(),
      }),
      response: { 200: z.object({ items: z.array(orderSchema), next_cursor: z.string().nullable() }) },
    },
    handler: async (request) => {
      const viewer = requireRole(request, 'operator', 'creator', 'org', 'merchant');
      const q = request.query;
      const page = await ordersVisibleTo(reads, viewer, { orderNumber: q.order, status: q.status, attribution: q.attribution, sourceId: q.source, limit: q.limit, cursor: q.cursor });
      return { items: page.items.map(orderJson), next_cursor: page.nextCursor };
    },
  });

  r.get('/api/merchant/sales', {
    schema: {
      tags: ['orders'],
      summary: "The merchant's sales by day the orders were paid (Asia/Shanghai days, today last): its sources' orders, paid and refunded amounts, and the commission they carry (merchant)",
      querystring: z.object({ days: z.coerce.number().int().min(1).max(90).default(7), currency: z.string().regex(/^[A-Z]{3}$/).default('CNY') }),
      response: {
        200: z.object({
          currency: z.string(),
          items: z.array(
            z.object({
              day: z.string(),
              orders: z.number().int(),
              paid_amount: z.number().int(),
              refunded_amount: z.number().int(),
              net_amount: z.number().int().describe('paid less refunded; a cancelled order counts nothing'),
              commission: z.number().int().describe("the orders' commission after refunds, a reversed line counting nothing: what the merchant pays the creators"),
            }),
          ),
        }),
      },
    },
    handler: async (request) => {
      const merchant = requireRole(request, 'merchant');
      const { days, currency } = request.query;
      const items = await merchantSales(reads, merchant.id, currency, days);
      return { currency, items: items.map((d) => ({ day: d.day, orders: d.orders, paid_amount: d.paidMinor, refunded_amount: d.refundedMinor, net_amount: d.netMinor, commission: d.commissionMinor })) };
    },
  });

  r.get('/api/orders/:id', {
    schema: {
      tags: ['orders'],
      summary: "One order with its lines and the caller's commission; the operator and the source's owner also get every event applied to it",
      params: z.object({ id: z.string() }),
      response: { 200: orderSchema.extend({ history: z.array(eventSchema) }) },
    },
    handler: async (request) => {
      const order = await orderVisibleTo(reads, requireRole(request, 'operator', 'creator', 'org', 'merchant'), request.params.id);
      return {
        ...orderJson(order),
        history: order.history.map((e) => ({ status: e.status, occurred_at: e.occurredAt, received_at: e.receivedAt, via: e.via, delivery_id: e.deliveryId, raw_status: e.rawStatus, payload: e.payload })),
      };
    },
  });

  const positionSchema = z.object({
    sub_id: z.string(),
    source_id: z.string().nullable(),
    label: z.string().nullable(),
    created_at: z.string(),
    kind: z.string().describe('position: a 推广位 (PDD pid, JD positionId, Taobao adzone_id); relation: a Taobao 渠道关系 id, carried as relationId by the creator’s Taobao links'),
  });
  r.get('/api/positions', {
    schema: {
      tags: ['orders'],
      summary: "The creator's position ids at the sources: the attribution fallback when an order has no click id, and the 推广位 PDD and JD links are made for",
      response: {
        200: z.object({
          items: z.array(positionSchema),
          sources: z
            .array(z.object({ id: z.string(), name: z.string(), platform: z.string().nullable(), channel_registration: z.boolean().describe('a Taobao source the creator can register as a channel of (POST /api/positions/taobao-channel)') }))
            .describe('the platform sources a position id may be recorded for'),
        }),
      },
    },
    handler: async (request) => ({
      items: await positionsOf(reads, requireRole(request, 'creator')),
      sources: (await positionSources(reads)).map((s) => ({ id: s.id, name: s.name, platform: s.platform, channel_registration: s.channelRegistration })),
    }),
  });

  r.delete('/api/positions/:sub_id', {
    schema: { tags: ['orders'], summary: 'Remove one of the creator’s position ids (orders already credited through it stay so)', params: z.object({ sub_id: z.string() }), response: { 204: z.null() } },
    handler: async (request, reply) => {
      const removed = await removePosition(db, requireRole(request, 'creator'), request.params.sub_id);
      ctx.changes.positionsChanged({ creatorId: removed.creator_id, sourceId: removed.source_id });
      reply.status(204).send(null);
    },
  });

  r.post('/api/positions', {
    schema: {
      tags: ['orders'],
      summary: 'Record a position id the platform issued to the creator (PDD pid, JD positionId, Taobao adzone_id, or with kind relation a Taobao relation_id)',
      body: z.object({
        sub_id: z.string(),
        source_id: z.string().nullable().optional(),
        label: z.string().max(100).nullable().optional(),
        kind: z.enum(POSITION_KINDS, { error: `kind must be one of ${POSITION_KINDS.join(', ')}` }).optional(),
      }),
      response: { 201: positionSchema },
    },
    handler: async (request, reply) => {
      const row = await addPosition(db, requireRole(request, 'creator'), { subId: request.body.sub_id, sourceId: request.body.source_id, label: request.body.label, kind: request.body.kind });
      ctx.changes.positionsChanged({ creatorId: row.creator_id, sourceId: row.source_id });
      reply.status(201);
      return row;
    },
  });

  r.post('/api/positions/taobao-channel', {
    schema: {
      tags: ['orders'],
      summary: 'Start registering as a channel (渠道备案) of a Taobao source: where to send the creator to authorise on Taobao; Taobao then sends them to the callback, which records the relation id it issued (creator)',
      body: z.object({ source_id: z.string() }),
      response: { 200: z.object({ authorize_url: z.string() }) },
    },
    handler: async (request) => ({
      authorize_url: await taobaoChannelAuthorizeUrl(db, requireRole(request, 'creator'), request.body.source_id, absoluteUrlOf(request, TAOBAO_CHANNEL_CALLBACK)),
    }),
  });

  r.get(TAOBAO_CHANNEL_CALLBACK, {
    // Taobao's page sends the browser here: refusals are said to the console (a redirect), not as 401s;
    // the signed state names the creator, whose session the browser must carry.
    config: { public: true },
    schema: {
      tags: ['orders'],
      summary: "Where Taobao's OAuth page sends the creator back (code and state, or error): registers the channel and records the relation id, then redirects to the console's 推广链接 page with taobao_channel=registered|already&relation_id=…, or taobao_channel_error=<error code> (and for platform_error taobao_channel_reason, Taobao's answer)",
      querystring: z.object({ state: z.string().default(''), code: z.string().optional(), error: z.string().optional(), error_description: z.string().optional() }),
    },
    handler: async (request, reply) => {
      const query = request.query;
      let outcome: string;
      try {
        const registered = await registerTaobaoChannelFrom(db, { state: query.state, code: query.code, error: query.error }, request.user);
        ctx.changes.positionsChanged({ creatorId: registered.position.creator_id, sourceId: registered.position.source_id });
        outcome = new URLSearchParams({ taobao_channel: registered.already ? 'already' : 'registered', relation_id: registered.position.sub_id }).toString();
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        request.log.warn({ err: error }, 'Taobao channel registration refused');
        // Taobao's own words (an expired inviter code, say) for the console to show; nothing of ours.
        const reason: Record<string, string> = error.code === 'platform_error' ? { taobao_channel_reason: error.message.slice(0, 200) } : {};
        outcome = new URLSearchParams({ taobao_channel_error: error.code, ...reason }).toString();
      }
      return reply.redirect(`/#/links?${outcome}`, 303);
    },
  });

  r.post('/api/orders/:id/attribution', {
    schema: {
      tags: ['orders'],
      summary: 'Attribute an unattributed order to a creator by hand, with a reason (operator; audited)',
      params: z.object({ id: z.string() }),
      body: z.object({ creator_id: z.string(), reason: z.string() }),
      response: { 200: orderSchema },
    },
    handler: async (request) => {
      const operator = requireRole(request, 'operator');
      await attributeByHand(db, operator, request.params.id, { creatorId: request.body.creator_id, reason: request.body.reason });
      return orderJson(await orderVisibleTo(db, operator, request.params.id));
    },
  });
}
