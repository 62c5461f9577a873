import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { InvalidInput } from '../../core/errors.ts';
import { requireRole, requireUser } from '../../http/auth.ts';
import type { AppContext } from '../../http/context.ts';
import { defaultModeOf, IMPORT_FORMATS, isImportFormat, PLATFORM_RESPONSE_FORMATS } from '../sources/formats.ts';
import { sourceVisibleTo } from '../sources/service.ts';
import { importRun, importRunsOfSource, rejectionsOf } from './history.ts';
import { POOL_SORTS, type PoolSort } from './model.ts';
import { productsOfSource } from './products.ts';
import { toPoolItem } from './service.ts';

const sourceRef = z.object({ id: z.string(), name: z.string(), platform: z.string().nullable() });
export const poolItemSchema = z.object({
  id: z.string(),
  title: z.string(),
  brand: z.string().nullable(),
  category_path: z.array(z.string()),
  image: z.string().nullable(),
  images: z.array(z.string()),
  price: z.number().int(),
  coupon: z.object({ amount: z.number().int(), threshold: z.number().int(), starts_at: z.string().nullable(), ends_at: z.string().nullable() }).nullable(),
  final_price: z.number().int(),
  currency: z.string(),
  commission_rate_bps: z.number().int(),
  commission_amount: z.number().int(),
  sales_30d: z.number().int(),
  shop: z.object({ name: z.string().nullable(), score: z.number().int().nullable() }),
  source: sourceRef,
  source_product_id: z.string(),
  product_url: z.string().nullable(),
  status: z.enum(['online', 'offline']),
  updated_at: z.string(),
  also_on: z.array(z.object({ product_id: z.string(), source: sourceRef, final_price: z.number().int(), commission_rate_bps: z.number().int(), commission_amount: z.number().int() })),
});

const repeatable = z.union([z.string(), z.array(z.string())]).optional().transform((v) => (v === undefined ? undefined : Array.isArray(v) ? v : [v]));
const minorUnits = z.coerce.number().int().min(0).optional();
const importSummary = z.object({ import_id: z.string(), imported: z.number().int(), updated: z.number().int(), offline: z.number().int(), rejected: z.array(z.object({ row: z.number().int(), reason: z.string() })) });
const importRunSchema = z.object({
  id: z.string(),
  format: z.string(),
  mode: z.enum(['full', 'incremental']),
  status: z.enum(['running', 'completed', 'failed']),
  started_at: z.string(),
  finished_at: z.string().nullable(),
  imported: z.number().int(),
  updated: z.number().int(),
  offline: z.number().int(),
  rejected: z.number().int(),
  error: z.string().nullable(),
});

/** Uploads may be large: the import streams them, so they get their own body limit. */
const UPLOAD_LIMIT_BYTES = 512 * 1024 * 1024;

export async function poolRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = ctx.db.kysely;
  const reads = ctx.db.reads; // GET routes read here, without waiting for a transaction

  r.get('/api/pool/search', {
    schema: {
      tags: ['pool'],
      summary: 'Search the product pool (选品池): text, filters, facets, sorts, cursor paging',
      querystring: z.object({
        q: z.string().max(200).optional(),
        source: repeatable,
        platform: repeatable,
        category: z.string().max(100).optional(),
        price_min: minorUnits,
        price_max: minorUnits,
        rate_min: z.coerce.number().int().min(0).max(10_000).optional(),
        has_coupon: z.enum(['true', 'false']).optional(),
        sort: z.enum(POOL_SORTS as [PoolSort, ...PoolSort[]]).optional(),
        limit: z.coerce.number().int().min(1).max(100).default(20),
        cursor: z.string().max(500).optional(),
      }),
      response: {
        200: z.object({
          items: z.array(poolItemSchema),
          total: z.number().int(),
          facets: z.object({ platform: z.record(z.string(), z.number()), source: z.record(z.string(), z.number()), category: z.record(z.string(), z.number()), has_coupon: z.object({ true: z.number(), false: z.number() }) }),
          next_cursor: z.string().nullable(),
        }),
      },
    },
    handler: async (request) => {
      const user = requireUser(request);
      const q = request.query;
      const text = q.q?.trim() || undefined;
      try {
        return await ctx.pool.search(user, {
          q: text,
          sourceIds: q.source,
          platforms: q.platform,
          category: q.category,
          priceMin: q.price_min,
          priceMax: q.price_max,
          rateMin: q.rate_min,
          hasCoupon: q.has_coupon === undefined ? undefined : q.has_coupon === 'true',
          sort: q.sort ?? (text ? 'relevance' : 'commission'),
          limit: q.limit,
          cursor: q.cursor ?? null,
        });
      } catch (error) {
        if (error instanceof RangeError) throw new InvalidInput('invalid_cursor', 'the cursor is not one this search returned');
        throw error;
      }
    },
  });

  r.get('/api/sources/:id/products', {
    schema: {
      tags: ['sources'],
      summary: "A source's products, online and offline (its owner, the operator)",
      params: z.object({ id: z.string() }),
      querystring: z.object({ status: z.enum(['online', 'offline']).optional(), limit: z.coerce.number().int().min(1).max(200).default(50), cursor: z.string().optional() }),
      response: { 200: z.object({ items: z.array(poolItemSchema), next_cursor: z.string().nullable() }) },
    },
    handler: async (request) => {
      const source = await sourceVisibleTo(reads, requireRole(request, 'operator', 'merchant', 'creator'), request.params.id);
      const page = await productsOfSource(reads, source.id, request.query);
      return { items: page.rows.map((row) => toPoolItem(row)), next_cursor: page.nextCursor };
    },
  });

  await app.register(async (uploads) => {
    // The file arrives as the raw body and is parsed as a stream, never buffered here.
    uploads.removeAllContentTypeParsers();
    uploads.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
    uploads.withTypeProvider<ZodTypeProvider>().post('/api/sources/:id/imports', {
      bodyLimit: UPLOAD_LIMIT_BYTES,
      schema: {
        tags: ['sources'],
        summary: `Import products into a source from a file sent as the raw body. Formats: ${IMPORT_FORMATS.join(', ')}`,
        params: z.object({ id: z.string() }),
        querystring: z.object({ format: z.string(), mode: z.enum(['full', 'incremental']).optional() }),
        response: { 201: importSummary },
      },
      handler: async (request, reply) => {
        const user = requireRole(request, 'operator', 'merchant', 'creator');
        const source = await sourceVisibleTo(reads, user, request.params.id);
        const { format, mode } = request.query;
        if (!isImportFormat(format)) throw new InvalidInput('invalid_format', `format must be one of ${IMPORT_FORMATS.join(', ')}`);
        if (user.role !== 'operator' && (PLATFORM_RESPONSE_FORMATS as readonly string[]).includes(format)) {
          throw new InvalidInput('invalid_format', 'platform API responses are imported by the operator');
        }
        const body = request.body as AsyncIterable<Buffer> | undefined;
        if (!body || typeof (body as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] !== 'function') throw new InvalidInput('file_required', 'send the file as the request body');
        const report = await ctx.pool.importFile(source, format, mode ?? defaultModeOf(format), body, { actorUserId: user.id });
        reply.status(201);
        return { import_id: report.importId, imported: report.imported, updated: report.updated, offline: report.offline, rejected: report.rejected };
      },
    });
  });

  r.get('/api/sources/:id/imports', {
    schema: { tags: ['sources'], summary: 'Import history of a source', params: z.object({ id: z.string() }), response: { 200: z.object({ items: z.array(importRunSchema) }) } },
    handler: async (request) => {
      const source = await sourceVisibleTo(reads, requireRole(request, 'operator', 'merchant', 'creator'), request.params.id);
      const runs = await importRunsOfSource(reads, source.id);
      return { items: runs.map(({ source_id: _s, started_by: _b, ...run }) => run) };
    },
  });

  r.get('/api/imports/:id/rejections', {
    schema: { tags: ['sources'], summary: 'The rows an import rejected, with their reasons', params: z.object({ id: z.string() }), response: { 200: z.object({ items: z.array(z.object({ row: z.number().int(), reason: z.string() })) }) } },
    handler: async (request) => {
      const user = requireRole(request, 'operator', 'merchant', 'creator');
      const run = await importRun(reads, request.params.id);
      await sourceVisibleTo(reads, user, run.source_id);
      return { items: await rejectionsOf(reads, run.id) };
    },
  });
}
