import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { NotFound } from '../../core/errors.ts';
import type { AppContext } from '../../http/context.ts';
import { findCreatorByHandle } from '../accounts/service.ts';
import { qrSvg } from '../links/qr.ts';
import { pickLanguage } from './i18n-public.ts';
import { renderNotFoundPage, renderShowcasePage, SHOWCASE_PAGE_SIZE } from './public-page.ts';
import { publicShowcase } from './service.ts';

/** What a handle can be (accounts' handle rule, any case): anything else is a 404 without a query. */
const HANDLE_SHAPE = /^[A-Za-z0-9_]{3,30}$/;
const HOST_SHAPE = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/**
 * The page loads nothing but its own images and the QR code: a script that slipped past
 * escaping would still not run.
 */
const CONTENT_SECURITY_POLICY = "default-src 'none'; img-src 'self' https: http:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const params = z.object({ handle: z.string() });
// A malformed query must not turn a shopper's page into a JSON error: bad values are ignored.
const query = z.object({
  lang: z.string().optional().catch(undefined).describe('zh or en; otherwise Accept-Language decides, Chinese by default'),
  page: z.coerce.number().int().min(1).optional().catch(undefined).describe(`1-based page of ${SHOWCASE_PAGE_SIZE} products`),
});

/** The showcase's absolute URL as the shopper reached it (behind a proxy: X-Forwarded-Proto/Host). */
function showcaseUrl(request: FastifyRequest, handle: string): string {
  const host = HOST_SHAPE.test(request.host) ? request.host : 'localhost';
  return `${request.protocol}://${host}/s/${encodeURIComponent(handle)}`;
}

function sendHtml(reply: FastifyReply, status: number, cacheControl: string, html: string): FastifyReply {
  return reply
    .status(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', cacheControl)
    .header('vary', 'Accept-Language')
    .header('content-security-policy', CONTENT_SECURITY_POLICY)
    .header('x-content-type-options', 'nosniff')
    .send(html);
}

/** The public showcase page `GET /s/:handle` and its QR code: no session, server-rendered HTML. */
export async function publicShowcaseRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const reads = ctx.db.reads; // only reads: never waits for another request's transaction

  r.get(
    '/s/:handle',
    {
      config: { public: true },
      logLevel: 'warn',
      schema: { tags: ['showcase'], summary: "A creator's public showcase page (HTML, zh or en); unknown handle: a 404 HTML page", params, querystring: query },
    },
    async (request, reply) => {
      const lang = pickLanguage(request.query.lang, request.headers['accept-language']);
      const { handle } = request.params;
      const showcase = HANDLE_SHAPE.test(handle) ? await publicShowcase(reads, handle).catch(notFoundAsNull) : null;
      if (!showcase) return sendHtml(reply, 404, 'no-cache', renderNotFoundPage(handle, { lang }));
      const html = renderShowcasePage(showcase, { lang, pageUrl: showcaseUrl(request, showcase.creator.handle), page: request.query.page });
      return sendHtml(reply, 200, 'public, max-age=60', html);
    },
  );

  r.get(
    '/s/:handle/qr.svg',
    {
      config: { public: true },
      logLevel: 'warn',
      schema: { tags: ['showcase'], summary: "QR code (SVG) of the showcase page's absolute URL, for sharing", params },
    },
    async (request, reply) => {
      const creator = HANDLE_SHAPE.test(request.params.handle) ? await findCreatorByHandle(reads, request.params.handle) : null;
      if (!creator?.handle) throw new NotFound('showcase');
      const svg = await qrSvg(showcaseUrl(request, creator.handle));
      return reply.header('content-type', 'image/svg+xml; charset=utf-8').header('cache-control', 'public, max-age=3600').send(svg);
    },
  );
}

function notFoundAsNull(error: unknown): null {
  if (error instanceof NotFound) return null;
  throw error;
}
