import type { FastifyInstance, FastifyReply, FastifyRequest, LogLevel } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Counter } from 'prom-client';
import { requireRole, requireUser } from '../../http/auth.ts';
import type { AppContext } from '../../http/context.ts';
import { absoluteUrlOf } from '../../http/urls.ts';
import type { EarlyListeners } from '../../http/early-listeners.ts';
import { errorBody } from '../../http/errors.ts';
import { ClickCountFolding } from './click-counts.ts';
import { LinkTargets } from './link-targets.ts';
import { channelSchema, type LinkWithCounts } from './model.ts';
import { qrPng, qrSvg } from './qr.ts';
import { ClickRecorder } from './recorder.ts';
import { Redirector } from './redirect.ts';
import { earlyOutcomes, REDIRECT_HEADERS, redirectListener } from './redirect-listener.ts';
import { looksLikeLinkCode, trackedPath } from './rules.ts';
import { clickIpSecret, createChannelLink, linksOfCreator, linkStatsFor } from './service.ts';
import { ClickInbox } from './click-inbox.ts';
import { PromotionUrls, promoterStore } from './promotion-urls.ts';
import { clickCountFoldFor, clickWriterFor, linkTargets, newestLinkTargets } from './store.ts';

const linkSchema = z.object({
  code: z.string(),
  url: z.string().describe('the tracked path, /r/:code'),
  absolute_url: z.string().describe('the tracked link on the origin the request came to'),
  channel: z.string(),
  product_id: z.string(),
  item_id: z.string().nullable(),
  created_at: z.string(),
  clicks: z.number().int().describe('every stored click: every 302 answered, bots and repeats included'),
  unique_clicks: z.number().int().describe('clicks neither from a bot nor a repeat of the same visitor within 30 minutes'),
});

function linkJson(request: FastifyRequest, l: LinkWithCounts): z.infer<typeof linkSchema> {
  return { code: l.code, url: l.url, absolute_url: absoluteUrlOf(request, l.url), channel: l.channel, product_id: l.productId, item_id: l.itemId, created_at: l.createdAt, clicks: l.clicks, unique_clicks: l.uniqueClicks };
}

const LOG_SEVERITY: readonly LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

/** The redirect logs warnings and worse: never more than the server is configured to log. */
function redirectLogLevel(serverLevel: string): LogLevel {
  const configured = LOG_SEVERITY.indexOf(serverLevel as LogLevel);
  return configured > LOG_SEVERITY.indexOf('warn') ? LOG_SEVERITY[configured]! : 'warn';
}

/** Links read into the redirect cache at start, newest first, so a restart is not a burst of misses. */
const WARM_START_LINKS = 100_000;

/**
 * Tracked links. `/r/:code` is the hot path: answered on the bare node:http listener before
 * Fastify's routing (`early`; the Fastify route below answers everything else about it, and
 * `app.inject`), the link from the per-node cache, the click written by the group-commit
 * recorder (on a SQLite file, into the click inbox: click-inbox.ts), which is flushed when the
 * server closes. SQLite's per-link counts are folded in the
 * background (click-counts.ts).
 */
export async function linkRoutes(app: FastifyInstance, ctx: AppContext, early: EarlyListeners): Promise<void> {
  const db = ctx.db.kysely;
  const reads = ctx.db.reads; // GET routes (and links missing from the cache) read here, without waiting for a transaction
  const targets = new LinkTargets((codes) => linkTargets(reads, codes), { onRefreshError: (err) => app.log.warn({ err }, 'link target refresh failed') });
  targets.prime(await newestLinkTargets(db, WARM_START_LINKS));
  const inbox = await ClickInbox.open(ctx.db, { onError: (err) => app.log.error({ err }, 'clicks not moved from the inbox (they stay there and move with the next)') });
  const recorder = new ClickRecorder(inbox?.write ?? clickWriterFor(ctx.db), { maxDelayMs: ctx.config.clickBatchDelayMs });
  const promotionUrls = early.registry
    ? new Counter({
        name: 'vitrine_promotion_urls_total',
        help: "Links made per click by a platform (PDD, JD), by the platform's answer: url, none (refused, not connected), unavailable; and reused: a shopper given a link's recent URL instead (the platform unavailable or just throttled)",
        labelNames: ['platform', 'outcome'] as const,
        registers: [early.registry],
      })
    : undefined;
  const promotions = new PromotionUrls(promoterStore(reads), {
    onReused: (platform) => promotionUrls?.inc({ platform, outcome: 'reused' }),
    onOutcome: (platform, outcome) => {
      promotionUrls?.inc({ platform, outcome: outcome.kind });
      // A refused product is asked about once a minute; refused credentials on every click, until the operator fixes them.
      if (outcome.kind === 'none' && outcome.error) app.log.warn({ err: outcome.error, platform }, 'the platform refused to make a promotion link: the shopper gets the product page or a 404');
    },
  });
  // A position recorded or removed changes the creator's links at once on this node (their cache would show it within its TTL).
  ctx.changes.onPositionsChanged(({ creatorId, sourceId }) => {
    targets.forgetCreator(creatorId, sourceId);
    promotions.forgetPositionsOf(creatorId, sourceId);
  });
  const redirector = new Redirector(targets, recorder, await clickIpSecret(db), { promotions });
  const fold = clickCountFoldFor(ctx.db);
  const folding = fold && new ClickCountFolding(fold, { onError: (err) => app.log.warn({ err }, 'click counts not folded') });
  app.addHook('onClose', async () => {
    await recorder.close();
    await inbox?.close();
    await folding?.stop();
  });
  early.add(redirectListener(redirector, early.metricFor('GET', '/r/:code'), (err) => app.log.error({ err }, 'click not recorded: handing the redirect to the router')));

  app.get('/r/:code', {
    config: { public: true },
    logLevel: redirectLogLevel(ctx.config.logLevel),
    schema: {
      hide: true, // a public page, not an API call: documented in docs/links.md (OpenAPI lists /api only)
      tags: ['links'],
      summary: 'Follow a tracked link',
      description:
        '302 to the product with a fresh click id (clk_…) in the parameter its source reads back: PDD custom_parameters ({"uid","sid"} JSON), JD subUnionId, Taobao external_id, any other vt_click. Answered only once the click is stored; 503 if it could not be. A product of a PDD or JD source connected to its API goes to a link the platform makes for the click (pdd.ddk.goods.promotion.url.generate, jd.union.open.promotion.bysubunionid.get; with the position id the creator registered for that source, else the source position id), 503 source_unavailable if the platform did not answer in time. Unknown link or a product without a URL: 404 (an HTML page for browsers).',
    },
    handler: async (request, reply) => {
      const { code } = request.params as { code: string };
      const outcome = earlyOutcomes.get(request.raw) ?? (await redirector.redirect(code, { ip: request.ip, userAgent: request.headers['user-agent'], referrer: request.headers.referer }));
      switch (outcome.kind) {
        case 'redirect':
          // The destination learns our origin, not the showcase page's path (JD checks the origin against the registered site).
          return reply.code(302).header('location', outcome.location).headers(REDIRECT_HEADERS).send();
        case 'unknown_link':
          return sendProblem(request, reply, 404, 'link_not_found', 'This link does not exist.', '链接不存在');
        case 'no_product_url':
          return sendProblem(request, reply, 404, 'product_unavailable', 'This product cannot be opened from here right now.', '该商品暂时无法打开');
        case 'source_unavailable':
          request.log.warn({ err: outcome.error, code }, 'the platform gave no promotion URL in time: redirect refused');
          reply.header('retry-after', '5');
          return sendProblem(request, reply, 503, 'source_unavailable', 'The shop did not answer in time. Please try again in a moment.', '商品平台暂时没有响应，请稍后再试');
        case 'not_recorded':
          request.log.error({ err: outcome.error }, 'click not recorded: redirect refused');
          reply.header('retry-after', '1');
          return sendProblem(request, reply, 503, 'click_not_recorded', 'Please try again in a moment.', '请稍后再试');
      }
    },
  });

  for (const format of ['svg', 'png'] as const) {
    app.get(`/r/:code/qr.${format}`, {
      config: { public: true },
      schema: { hide: true, tags: ['links'], summary: `QR code (${format.toUpperCase()}) of a tracked link, on the origin the request came to` },
      handler: async (request, reply) => {
        const { code } = request.params as { code: string };
        if (!looksLikeLinkCode(code) || !(await targets.resolve(code))) return sendProblem(request, reply, 404, 'link_not_found', 'This link does not exist.', '链接不存在');
        const text = absoluteUrlOf(request, trackedPath(code));
        reply.header('cache-control', 'public, max-age=86400');
        return format === 'svg' ? reply.type('image/svg+xml').send(await qrSvg(text)) : reply.type('image/png').send(await qrPng(text));
      },
    });
  }

  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/links/:code', {
    schema: { tags: ['links'], summary: "A tracked link's click counts (its creator, their organisation now, the operator)", params: z.object({ code: z.string() }), response: { 200: linkSchema } },
    handler: async (request) => linkJson(request, await linkStatsFor(reads, requireUser(request), request.params.code)),
  });

  r.get('/api/links', {
    schema: { tags: ['links'], summary: "The creator's links with click counts, newest first; by showcase item to compare channels", querystring: z.object({ item_id: z.string().optional() }), response: { 200: z.object({ items: z.array(linkSchema) }) } },
    handler: async (request) => {
      const creator = requireRole(request, 'creator');
      const links = await linksOfCreator(reads, creator.id, { itemId: request.query.item_id });
      return { items: links.map((l) => linkJson(request, l)) };
    },
  });

  r.post('/api/links', {
    schema: {
      tags: ['links'],
      summary: 'A new tracked link for a product of the showcase, for one channel',
      body: z.object({ item_id: z.string().optional(), product_id: z.string().optional(), channel: channelSchema }),
      response: { 201: z.object({ code: z.string(), url: z.string(), absolute_url: z.string(), channel: z.string() }) },
    },
    handler: async (request, reply) => {
      const creator = requireRole(request, 'creator');
      const link = await createChannelLink(db, creator, { itemId: request.body.item_id, productId: request.body.product_id, channel: request.body.channel });
      return reply.code(201).send({ ...link, absolute_url: absoluteUrlOf(request, link.url) });
    },
  });
}

/** The contract's error body for API clients; a small page for a shopper's browser. */
function sendProblem(request: FastifyRequest, reply: FastifyReply, status: number, code: string, english: string, chinese: string): FastifyReply {
  reply.code(status).header('cache-control', 'no-store');
  if (!(request.headers.accept ?? '').includes('text/html')) return reply.send(errorBody(code, english));
  const page = `<!doctype html><html lang="zh"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${chinese}</title></head><body style="font-family:system-ui,sans-serif;text-align:center;padding:3em 1em"><h1 style="font-size:1.3em">${chinese}</h1><p>${english}</p></body></html>`;
  return reply.type('text/html; charset=utf-8').send(page);
}
