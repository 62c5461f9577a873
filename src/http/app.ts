import fastifyCookie from '@fastify/cookie';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { newId } from '../core/ids.ts';
import { accountRoutes } from '../modules/accounts/routes.ts';
import { linkRoutes } from '../modules/links/routes.ts';
import { planRoutes } from '../modules/ledger/plans-routes.ts';
import { ledgerRoutes } from '../modules/ledger/routes.ts';
import { orderRoutes } from '../modules/orders/routes.ts';
import { orgRoutes } from '../modules/orgs/routes.ts';
import { poolRoutes } from '../modules/pool/routes.ts';
import { publicShowcaseRoutes } from '../modules/showcase/public-routes.ts';
import { showcaseRoutes } from '../modules/showcase/routes.ts';
import { sourceRoutes } from '../modules/sources/routes.ts';
import { authenticateRequests } from './auth.ts';
import type { AppContext } from './context.ts';
import { EarlyListeners } from './early-listeners.ts';
import { errorBody, handleError } from './errors.ts';
import { registerMetrics } from './metrics.ts';
import { registerConsole, WEB_DIST, webBuilt } from './web.ts';

export interface AppOptions {
  logger?: FastifyServerOptions['logger'];
}

/** Assembles the HTTP server: plugins, error mapping, every module's routes, the console. */
export async function buildApp(ctx: AppContext, options: AppOptions = {}): Promise<FastifyInstance> {
  const early = new EarlyListeners(); // hot paths answered before routing (the tracked redirect)
  const app = Fastify({
    serverFactory: early.serverFactory,
    logger: options.logger ?? { level: ctx.config.logLevel },
    bodyLimit: ctx.config.bodyLimitBytes,
    genReqId: () => newId('request'),
    trustProxy: true,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(handleError);
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  // A write is answered only once it would survive a power loss (Db.durable): a source that got
  // its 2xx does not send the delivery again, an operator who saw "paid" does not pay again.
  // If the sync fails, whether the write is on disk is unknown: the answer says so (503, retry;
  // a webhook delivery sent again changes nothing once it is in), whatever the route answered.
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS') return payload;
    try {
      await ctx.db.durable();
      return payload;
    } catch (error) {
      request.log.error({ err: error }, 'the write could not be synced to disk');
      reply.code(503).header('content-type', 'application/json; charset=utf-8');
      return JSON.stringify(errorBody('not_durable', `the write may not survive a power loss (the database could not sync it to disk); try again; request id ${request.id}`, { request_id: String(request.id) }));
    }
  });
  app.decorateRequest('user', null);
  app.decorateRequest('sessionToken', null);

  await app.register(fastifyCookie);
  app.addHook('onRequest', authenticateRequests(ctx));
  await app.register(fastifyRateLimit, {
    global: false,
    keyGenerator: (request) => request.ip,
    errorResponseBuilder: (_request, context) => ({ statusCode: 429, ...errorBody('rate_limited', `too many attempts; try again in ${Math.ceil(context.ttl / 1000)} s`) }),
  });
  await app.register(fastifySwagger, {
    openapi: {
      info: { title: 'Vitrine API', version: '0.1.0', description: 'Creator-commerce platform: product alliance, showcases, tracked links, commissions.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' }, cookie: { type: 'apiKey', in: 'cookie', name: 'vt_session' } } },
      security: [{ bearer: [] }, { cookie: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' });

  early.countIn(registerMetrics(app));

  app.get('/healthz', { schema: { hide: true } }, async () => {
    await ctx.db.kysely.selectFrom('users').select('id').limit(1).execute();
    return { ok: true };
  });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await accountRoutes(app, ctx);
  await orgRoutes(app, ctx);
  await sourceRoutes(app, ctx);
  await poolRoutes(app, ctx);
  await showcaseRoutes(app, ctx);
  await linkRoutes(app, ctx, early);
  await orderRoutes(app, ctx);
  await ledgerRoutes(app, ctx);
  await planRoutes(app, ctx);
  await publicShowcaseRoutes(app, ctx);
  await registerConsole(app);

  app.setNotFoundHandler((request, reply) => {
    const isPage = request.method === 'GET' && !request.url.startsWith('/api/') && (request.headers.accept ?? '').includes('text/html');
    if (isPage && webBuilt()) return reply.type('text/html').sendFile('index.html', WEB_DIST);
    return reply.status(404).send(errorBody('not_found', `no route ${request.method} ${request.url.split('?')[0]}`));
  });
  return app;
}
