import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Forbidden } from '../../core/errors.ts';
import { requireRole } from '../../http/auth.ts';
import type { AppContext } from '../../http/context.ts';
import { platformSchema, sourceKindSchema, sourceSchema, toSourceJson } from './model.ts';
import { createSource, sourcesVisibleTo, sourceVisibleTo } from './service.ts';

export async function sourceRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = ctx.db.kysely;

  r.get('/api/sources', {
    schema: { tags: ['sources'], summary: 'Sources: all for the operator, their own for a merchant or creator', response: { 200: z.object({ items: z.array(sourceSchema) }) } },
    handler: async (request) => ({ items: (await sourcesVisibleTo(db, requireRole(request, 'operator', 'merchant', 'creator'))).map(toSourceJson) }),
  });

  r.get('/api/sources/:id', {
    schema: { tags: ['sources'], summary: 'One source (404 unless the caller may see it)', params: z.object({ id: z.string() }), response: { 200: sourceSchema } },
    handler: async (request) => toSourceJson(await sourceVisibleTo(db, requireRole(request, 'operator', 'merchant', 'creator'), request.params.id)),
  });

  r.post('/api/sources', {
    schema: {
      tags: ['sources'],
      summary: 'Create a source. An operator creates any kind for anyone; a merchant its own merchant source; a creator its own shop. The webhook secret is shown once.',
      body: z.object({
        kind: sourceKindSchema,
        name: z.string(),
        platform: platformSchema.nullable().optional(),
        owner_id: z.string().nullable().optional(),
        default_commission_bps: z.number().int().min(0).max(10_000).nullable().optional(),
      }),
      response: { 201: sourceSchema.extend({ webhook_secret: z.string() }) },
    },
    handler: async (request, reply) => {
      const user = requireRole(request, 'operator', 'merchant', 'creator');
      const b = request.body;
      const allowedKind = user.role === 'merchant' ? 'merchant' : user.role === 'creator' ? 'own_shop' : b.kind;
      if (b.kind !== allowedKind) throw new Forbidden(`a ${user.role} account creates ${allowedKind} sources only`);
      const kind = allowedKind;
      const ownerUserId = user.role === 'operator' ? b.owner_id ?? null : user.id;
      const source = await createSource(db, { kind, name: b.name, platform: b.platform ?? null, ownerUserId, defaultCommissionBps: b.default_commission_bps ?? null }, user.id);
      reply.status(201);
      return { ...toSourceJson(source), webhook_secret: source.webhookSecret };
    },
  });
}
