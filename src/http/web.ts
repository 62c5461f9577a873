import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

export const WEB_DIST = fileURLToPath(new URL('../../web/dist/', import.meta.url));
const WEB = fileURLToPath(new URL('../../web/', import.meta.url));

/**
 * Whether the console needs building: never built, or a file it is built from (its page, config,
 * sources, public files) changed since — after a `git pull`, say, which writes the files it
 * changes anew. `vitrine serve` and the end-to-end tests build it then.
 */
export function consoleBuildIsStale(): boolean {
  const built = join(WEB_DIST, 'index.html');
  if (!existsSync(built)) return true;
  const builtAt = statSync(built).mtimeMs;
  return [join(WEB, 'index.html'), join(WEB, 'vite.config.ts'), ...filesUnder(join(WEB, 'src')), ...filesUnder(join(WEB, 'public'))].some((file) => statSync(file).mtimeMs > builtAt);
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)]));
}

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
