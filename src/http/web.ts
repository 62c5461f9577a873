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
  await app.register(fastifyStatic, { root: WEB_DIST, prefix: '/', wildcard: false, index: ['index.html'], maxAge: '1h' });
}
