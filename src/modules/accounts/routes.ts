import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { InvalidInput } from '../../core/errors.ts';
import { clearSessionCookie, requireRole, requireUser, setSessionCookie } from '../../http/auth.ts';
import type { AppContext } from '../../http/context.ts';
import { currentOrganisationOfCreator, organisationOf, registerOrganisation } from '../orgs/service.ts';
import { publicUserSchema, roleSchema, toPublicUser } from './model.ts';
import { createUser, login, logout, openSession, usersPage } from './service.ts';

const sessionResponse = z.object({ token: z.string(), user: publicUserSchema });
const orgRef = z.object({ id: z.string(), name: z.string() }).nullable();

export async function accountRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = ctx.db.kysely;
  const reads = ctx.db.reads; // GET routes read here, without waiting for a transaction

  r.post('/api/auth/login', {
    config: { public: true, rateLimit: { max: ctx.config.loginAttemptsPerMinute, timeWindow: 60_000 } },
    schema: {
      tags: ['auth'],
      summary: 'Sign in; answers a bearer token and sets the console session cookie',
      body: z.object({ email: z.string(), password: z.string() }),
      response: { 200: sessionResponse },
    },
    handler: async (request, reply) => {
      const session = await login(db, request.body.email, request.body.password, ctx.config.sessionTtlDays);
      setSessionCookie(reply, session.token, session.expiresAt, ctx.config.secureCookies);
      return { token: session.token, user: toPublicUser(session.user) };
    },
  });

  r.post('/api/auth/signup', {
    config: { public: true, rateLimit: { max: ctx.config.loginAttemptsPerMinute, timeWindow: 60_000 } },
    schema: {
      tags: ['auth'],
      summary: 'Sign up as a creator, as an organisation (MCN), or as a colonel (团长: a person, no organisation)',
      body: z.object({
        role: z.enum(['creator', 'org', 'colonel']),
        email: z.string(),
        password: z.string(),
        name: z.string(),
        handle: z.string().optional(),
        organisation_name: z.string().optional(),
      }),
      response: { 201: sessionResponse },
    },
    handler: async (request, reply) => {
      const body = request.body;
      if (body.role === 'org' && !body.organisation_name?.trim()) {
        throw new InvalidInput('organisation_name_required', 'an organisation signs up with its name');
      }
      const user = await db.transaction().execute(async (tx) => {
        const created = await createUser(tx, { role: body.role, email: body.email, password: body.password, name: body.name, handle: body.role === 'creator' ? body.handle ?? null : null });
        if (created.role === 'org') await registerOrganisation(tx, created, body.organisation_name!);
        return created;
      });
      const session = await openSession(db, user, ctx.config.sessionTtlDays);
      setSessionCookie(reply, session.token, session.expiresAt, ctx.config.secureCookies);
      reply.status(201);
      return { token: session.token, user: toPublicUser(user) };
    },
  });

  r.post('/api/auth/logout', {
    schema: { tags: ['auth'], summary: 'Revoke the current session', response: { 204: z.null() } },
    handler: async (request, reply) => {
      requireUser(request);
      await logout(db, request.sessionToken!);
      clearSessionCookie(reply);
      reply.status(204).send(null);
    },
  });

  r.get('/api/me', {
    schema: {
      tags: ['auth'],
      summary: 'The signed-in user, and their organisation (an org account: its own; a creator: the one bound now)',
      response: { 200: z.object({ user: publicUserSchema, organisation: orgRef }) },
    },
    handler: async (request) => {
      const user = requireUser(request);
      let organisation: { id: string; name: string } | null = null;
      if (user.role === 'org') organisation = await organisationOf(reads, user).then((o) => ({ id: o.id, name: o.name }));
      if (user.role === 'creator') organisation = await currentOrganisationOfCreator(reads, user.id);
      return { user: toPublicUser(user), organisation };
    },
  });

  r.get('/api/admin/users', {
    schema: {
      tags: ['admin'],
      summary: 'Accounts, newest first, a page at a time; `q` finds an exact email or @handle, or part of a name or email (operator)',
      querystring: z.object({ role: roleSchema.optional(), q: z.string().max(200).optional(), limit: z.coerce.number().int().min(1).max(500).default(50), cursor: z.string().optional() }),
      response: { 200: z.object({ items: z.array(publicUserSchema.extend({ created_at: z.string() })), next_cursor: z.string().nullable() }) },
    },
    handler: async (request) => {
      requireRole(request, 'operator');
      const { role, q, limit, cursor } = request.query;
      const page = await usersPage(reads, { role, q, limit, cursor });
      return { items: page.items.map((u) => ({ ...toPublicUser(u), created_at: u.createdAt })), next_cursor: page.nextCursor };
    },
  });
}
