import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireRole } from '../../http/auth.ts';
import type { AppContext } from '../../http/context.ts';
import { productsOfSource } from '../pool/products.ts';
import { poolItemSchema } from '../pool/routes.ts';
import { toPoolItem } from '../pool/service.ts';
import * as showcase from './service.ts';

const linkSchema = z.object({ code: z.string(), url: z.string() });
const itemSchema = z.object({
  id: z.string(),
  product_id: z.string(),
  link: linkSchema.nullable(),
  via: z.enum(['pool', 'merchant', 'own_shop', 'bound_store']),
  position: z.number().int(),
  pinned: z.boolean(),
  visible: z.boolean(),
  recommendation: z.string().nullable(),
  created_at: z.string(),
  product: poolItemSchema,
  changes: z.object({ offline: z.boolean(), price_changed: z.boolean(), rate_changed: z.boolean() }),
  added: z.object({ final_price: z.number().int(), commission_rate_bps: z.number().int() }),
});

function itemJson(i: showcase.ShowcaseItem): z.infer<typeof itemSchema> {
  return {
    id: i.id,
    product_id: i.productId,
    link: i.link,
    via: i.via,
    position: i.position,
    pinned: i.pinned,
    visible: i.visible,
    recommendation: i.recommendation,
    created_at: i.createdAt,
    product: toPoolItem(i.product),
    changes: { offline: i.changes.offline, price_changed: i.changes.priceChanged, rate_changed: i.changes.rateChanged },
    added: { final_price: i.addedFinalPriceMinor, commission_rate_bps: i.addedRateBps },
  };
}

const bindingSchema = z.object({
  id: z.string(),
  creator: z.object({ id: z.string(), name: z.string(), handle: z.string().nullable() }),
  source: z.object({ id: z.string(), name: z.string(), kind: z.string() }),
  status: z.enum(['pending', 'approved', 'rejected', 'revoked']),
  requested_at: z.string(),
  decided_at: z.string().nullable(),
});

function bindingJson(b: showcase.Binding): z.infer<typeof bindingSchema> {
  return { id: b.id, creator: b.creator, source: b.source, status: b.status, requested_at: b.requestedAt, decided_at: b.decidedAt };
}

const idParams = z.object({ id: z.string() });

export async function showcaseRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = ctx.db.kysely;
  const reads = ctx.db.reads; // GET routes read here, without waiting for a transaction

  r.post('/api/showcase/items', {
    schema: {
      tags: ['showcase'],
      summary: "Add a product to the creator's showcase (from the pool, a merchant, the own shop or a bound store); answers its tracked link",
      body: z.object({ product_id: z.string() }),
      response: { 201: itemSchema },
    },
    handler: async (request, reply) => {
      const item = await showcase.addItem(db, requireRole(request, 'creator'), request.body.product_id);
      reply.status(201);
      return itemJson(item);
    },
  });

  r.get('/api/showcase/items', {
    schema: { tags: ['showcase'], summary: "The creator's showcase in order, each item flagged if its product went offline or changed price or rate", response: { 200: z.object({ items: z.array(itemSchema) }) } },
    handler: async (request) => ({ items: (await showcase.itemsOf(reads, requireRole(request, 'creator'))).map(itemJson) }),
  });

  r.patch('/api/showcase/items/:id', {
    schema: {
      tags: ['showcase'],
      summary: 'Change an item: recommendation, visibility, pin, or acknowledge price/rate changes',
      params: idParams,
      body: z.object({ recommendation: z.string().nullable().optional(), visible: z.boolean().optional(), pinned: z.boolean().optional(), acknowledge_changes: z.boolean().optional() }),
      response: { 200: itemSchema },
    },
    handler: async (request) => {
      const b = request.body;
      return itemJson(await showcase.updateItem(db, requireRole(request, 'creator'), request.params.id, { recommendation: b.recommendation, visible: b.visible, pinned: b.pinned, acknowledgeChanges: b.acknowledge_changes }));
    },
  });

  r.put('/api/showcase/order', {
    schema: { tags: ['showcase'], summary: 'Reorder the showcase: every item id once, in the new order', body: z.object({ item_ids: z.array(z.string()).max(1000) }), response: { 200: z.object({ items: z.array(itemSchema) }) } },
    handler: async (request) => ({ items: (await showcase.reorderItems(db, requireRole(request, 'creator'), request.body.item_ids)).map(itemJson) }),
  });

  r.delete('/api/showcase/items/:id', {
    schema: { tags: ['showcase'], summary: 'Remove an item (its links keep redirecting)', params: idParams, response: { 204: z.null() } },
    handler: async (request, reply) => {
      await showcase.removeItem(db, requireRole(request, 'creator'), request.params.id);
      reply.status(204).send(null);
    },
  });

  // --- stores a creator can pick from, and binding them ------------------------------------
  r.get('/api/stores', {
    schema: {
      tags: ['showcase'],
      summary: "Merchant stores and own shops a creator can browse, with the creator's binding to each",
      response: { 200: z.object({ items: z.array(z.object({ id: z.string(), name: z.string(), kind: z.enum(['merchant', 'own_shop']), platform: z.string().nullable(), owner_name: z.string().nullable(), mine: z.boolean(), binding: z.enum(['pending', 'approved', 'rejected', 'revoked']).nullable(), products: z.number().int() })) }) },
    },
    handler: async (request) => {
      const creator = requireRole(request, 'creator');
      const stores = await reads
        .selectFrom('sources')
        .leftJoin('users', 'users.id', 'sources.owner_user_id')
        .select(['sources.id', 'sources.name', 'sources.kind', 'sources.platform', 'sources.owner_user_id', 'users.name as owner_name'])
        .select((eb) => eb.selectFrom('products').select(eb.fn.countAll<number>().as('n')).whereRef('products.source_id', '=', 'sources.id').where('products.status', '=', 'online').as('products'))
        .where('sources.kind', 'in', ['merchant', 'own_shop'])
        .where('sources.enabled', '=', 1)
        .orderBy('sources.id')
        .execute();
      const bindings = new Map((await showcase.bindingsOfCreator(reads, creator)).filter((b) => b.status !== 'revoked' && b.status !== 'rejected').map((b) => [b.source.id, b.status]));
      return {
        items: stores.map((s) => ({
          id: s.id,
          name: s.name,
          kind: s.kind as 'merchant' | 'own_shop',
          platform: s.platform,
          owner_name: s.owner_name,
          mine: s.owner_user_id === creator.id,
          binding: bindings.get(s.id) ?? null,
          products: Number(s.products ?? 0),
        })),
      };
    },
  });

  r.get('/api/stores/:id/products', {
    schema: {
      tags: ['showcase'],
      summary: "A store's online products, for a creator to add (an own shop: its creator and bound creators only)",
      params: idParams,
      querystring: z.object({ limit: z.coerce.number().int().min(1).max(100).default(40), cursor: z.string().optional() }),
      response: { 200: z.object({ items: z.array(poolItemSchema), next_cursor: z.string().nullable() }) },
    },
    handler: async (request) => {
      await showcase.storeCatalogueVisibleTo(reads, requireRole(request, 'creator'), request.params.id);
      const page = await productsOfSource(reads, request.params.id, { status: 'online', limit: request.query.limit, cursor: request.query.cursor });
      return { items: page.rows.map((row) => toPoolItem(row)), next_cursor: page.nextCursor };
    },
  });

  r.post('/api/showcase/bindings', {
    schema: { tags: ['showcase'], summary: "Ask to bind a store (merchant or another creator's own shop); its owner approves", body: z.object({ source_id: z.string() }), response: { 201: bindingSchema } },
    handler: async (request, reply) => {
      const binding = await showcase.requestBinding(db, requireRole(request, 'creator'), request.body.source_id);
      reply.status(201);
      return bindingJson(binding);
    },
  });

  r.get('/api/showcase/bindings', {
    schema: { tags: ['showcase'], summary: "The creator's store bindings", response: { 200: z.object({ items: z.array(bindingSchema) }) } },
    handler: async (request) => ({ items: (await showcase.bindingsOfCreator(reads, requireRole(request, 'creator'))).map(bindingJson) }),
  });

  r.get('/api/bindings', {
    schema: { tags: ['showcase'], summary: "Binding requests for the stores the caller owns (all, for the operator)", response: { 200: z.object({ items: z.array(bindingSchema) }) } },
    handler: async (request) => ({ items: (await showcase.bindingsToDecide(reads, requireRole(request, 'merchant', 'creator', 'operator'))).map(bindingJson) }),
  });

  for (const [action, decision] of [['approve', 'approved'], ['reject', 'rejected'], ['revoke', 'revoked']] as const) {
    r.post(`/api/bindings/:id/${action}`, {
      schema: { tags: ['showcase'], summary: `${action[0]!.toUpperCase()}${action.slice(1)} a store binding`, params: idParams, response: { 200: bindingSchema } },
      handler: async (request) => bindingJson(await showcase.decideBinding(db, requireRole(request, 'merchant', 'creator', 'operator'), request.params.id, decision)),
    });
  }
}
