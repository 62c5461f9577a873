import type { FastifyReply, FastifyRequest } from 'fastify';
import { Forbidden, Unauthorized } from '../core/errors.ts';
import type { Role } from '../db/schema.ts';
import type { User } from '../modules/accounts/model.ts';
import { authenticate } from '../modules/accounts/service.ts';
import type { AppContext } from './context.ts';

export const SESSION_COOKIE = 'vt_session';

declare module 'fastify' {
  interface FastifyRequest {
    user: User | null;
    sessionToken: string | null;
  }
}

/** The token of the request: a bearer token for API clients, or the console's session cookie. */
export function tokenOf(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice('Bearer '.length).trim() || null;
  return request.cookies?.[SESSION_COOKIE] ?? null;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route answers without a session (sign-in, sign-up, signed webhooks). */
    public?: boolean;
  }
}

const OPEN_PREFIXES = ['/api/docs', '/api/openapi.json'];

/**
 * Resolves the caller before anything else runs, and refuses every API route that is not marked
 * public with 401 — before its input is even validated, so an anonymous caller learns nothing.
 */
export function authenticateRequests(ctx: AppContext) {
  return async (request: FastifyRequest): Promise<void> => {
    const token = tokenOf(request);
    request.sessionToken = token;
    request.user = token ? await authenticate(ctx.db.reads, token) : null;
    const isApi = request.url.startsWith('/api/') && !OPEN_PREFIXES.some((p) => request.url.startsWith(p));
    const isPublic = request.routeOptions.config?.public === true || request.is404;
    if (isApi && !isPublic && !request.user) throw new Unauthorized();
  };
}

/** The signed-in user, or 401. */
export function requireUser(request: FastifyRequest): User {
  if (!request.user) throw new Unauthorized();
  return request.user;
}

/** The signed-in user if their role is one of these, else 401/403. */
export function requireRole(request: FastifyRequest, ...roles: Role[]): User {
  const user = requireUser(request);
  if (!roles.includes(user.role)) throw new Forbidden(`only ${roles.join(' or ')} accounts can do this`);
  return user;
}

export function setSessionCookie(reply: FastifyReply, token: string, expiresAt: string, secure: boolean): void {
  reply.setCookie(SESSION_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', secure, expires: new Date(expiresAt) });
}

export function clearSessionCookie(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
}
