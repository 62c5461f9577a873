import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

export const WEB_DIST = fileURLToPath(new URL('../../web/dist/', import.meta.url));

export function webBuilt(): boolean {
  return existsSync(`${WEB_DIST}index.html`);
}

/** Serves the built console; any other GET outside /api is the single-page app's index. */
export async function registerConsole(app: FastifyInstance): Promise<void> {
  if (!webBuilt()) {
    app.log.warn('web/dist is missing: the console is not served (run `npm run build:web`)');
    return;
  }
  await app.register(fastifyStatic, {
    root: WEB_DIST,
    prefix: '/',
    wildcard: false,
    index: ['index.html'],
    // Hashed assets may be cached for a year; index.html must be revalidated so a deploy shows at once.
    setHeaders: (res, path) => res.setHeader('cache-control', path.endsWith('.html') ? 'no-cache' : 'public, max-age=31536000, immutable'),
  });
}
