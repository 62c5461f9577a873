import type { FastifyRequest } from 'fastify';

/** `path` on the origin the caller reached us on (behind a proxy, its X-Forwarded-Proto/Host: trustProxy is on). */
export function absoluteUrlOf(request: FastifyRequest, path: string): string {
  return `${request.protocol}://${request.host}${path}`;
}
