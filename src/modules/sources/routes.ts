import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DomainError, Forbidden } from '../../core/errors.ts';
import { syncSource } from '../../jobs/sync.ts';
import { ConnectorError } from './connectors/common.ts';
import { connectionOf, connectSource } from './connections.ts';
import { requireRole } from '../../http/auth.ts';
import type { AppContext } from '../../http/context.ts';
import { platformSchema, sourceKindSchema, sourceSchema, toSourceJson } from './model.ts';
import { createSource, sourcesVisibleTo, sourceVisibleTo } from './service.ts';

export async function sourceRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = ctx.db.kysely;
  const reads = ctx.db.reads; // GET routes read here, without waiting for a transaction

  r.get('/api/sources', {
    schema: { tags: ['sources'], summary: 'Sources: all for the operator, their own for a merchant or creator', response: { 200: z.object({ items: z.array(sourceSchema) }) } },
    handler: async (request) => ({ items: (await sourcesVisibleTo(reads, requireRole(request, 'operator', 'merchant', 'creator'))).map(toSourceJson) }),
  });

  r.get('/api/sources/:id', {
    schema: { tags: ['sources'], summary: 'One source (404 unless the caller may see it)', params: z.object({ id: z.string() }), response: { 200: sourceSchema } },
    handler: async (request) => toSourceJson(await sourceVisibleTo(reads, requireRole(request, 'operator', 'merchant', 'creator'), request.params.id)),
  });

  const connectionSchema = z.object({
    source_id: z.string(),
    app_key: z.string(),
    base_url: z.string().nullable(),
    position_id: z.string().nullable(),
    keywords: z.array(z.string()),
    sync_every_minutes: z.number().int(),
    next_sync_at: z.string(),
    last_sync_at: z.string().nullable(),
    last_sync_error: z.string().nullable(),
    orders_polled_until: z.string().nullable(),
    orders_poll_error: z.string().nullable(),
    inviter_code: z.string().nullable().describe('Taobao: the 渠道邀请码 creators register as channels with'),
  });
  const connectionJson = (c: Awaited<ReturnType<typeof connectionOf>>): z.infer<typeof connectionSchema> => ({
    source_id: c.source_id,
    app_key: c.app_key,
    base_url: c.base_url,
    position_id: c.position_id,
    keywords: JSON.parse(c.keywords) as string[],
    sync_every_minutes: c.sync_every_minutes,
    next_sync_at: c.next_sync_at,
    last_sync_at: c.last_sync_at,
    last_sync_error: c.last_sync_error,
    orders_polled_until: c.orders_polled_until,
    orders_poll_error: c.orders_poll_error,
    inviter_code: c.inviter_code,
  });

  r.get('/api/sources/:id/connection', {
    schema: {
      tags: ['sources'],
      summary: "A platform source's API connection and how its syncs and order polls went (operator); never the secret. 404 when not connected",
      params: z.object({ id: z.string() }),
      response: { 200: connectionSchema },
    },
    handler: async (request) => {
      const source = await sourceVisibleTo(reads, requireRole(request, 'operator'), request.params.id);
      return connectionJson(await connectionOf(reads, source.id));
    },
  });

  r.put('/api/sources/:id/connection', {
    schema: {
      tags: ['sources'],
      summary: 'Connect a platform source to its API (credentials, keywords to sync, schedule) (operator)',
      params: z.object({ id: z.string() }),
      body: z.object({
        app_key: z.string().min(1),
        app_secret: z.string().min(1).optional().describe('required the first time; left out, the stored one is kept'),
        base_url: z.string().url().nullable().optional(),
        position_id: z.string().nullable().optional(),
        keywords: z.array(z.string().max(100)).max(100).default([]),
        sync_every_minutes: z.number().int().min(5).max(7 * 24 * 60).default(60),
        inviter_code: z.string().max(32).nullable().optional().describe('Taobao only: the 渠道邀请码 (渠道管理 in the Union back office) with which creators register as channels and get their relation id'),
      }),
      response: { 200: connectionSchema },
    },
    handler: async (request) => {
      const user = requireRole(request, 'operator');
      const source = await sourceVisibleTo(db, user, request.params.id);
      const b = request.body;
      await connectSource(db, source, { appKey: b.app_key, appSecret: b.app_secret ?? null, baseUrl: b.base_url ?? null, positionId: b.position_id ?? null, keywords: b.keywords, syncEveryMinutes: b.sync_every_minutes, inviterCode: b.inviter_code ?? null }, user.id);
      return connectionJson(await connectionOf(db, source.id));
    },
  });

  r.post('/api/sources/:id/sync', {
    schema: {
      tags: ['sources'],
      summary: 'Sync a connected platform source now (operator); the schedule also does it',
      params: z.object({ id: z.string() }),
      response: { 200: z.object({ import_id: z.string(), imported: z.number().int(), updated: z.number().int(), rejected: z.array(z.object({ row: z.number().int(), reason: z.string() })) }) },
    },
    handler: async (request) => {
      const source = await sourceVisibleTo(db, requireRole(request, 'operator'), request.params.id);
      try {
        const report = await syncSource(db, ctx.pool, source.id);
        return { import_id: report.importId, imported: report.imported, updated: report.updated, rejected: report.rejected };
      } catch (error) {
        if (error instanceof ConnectorError) throw new DomainError(502, 'platform_error', `${error.message}`);
        throw error;
      }
    },
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
