import type { IncomingMessage } from 'node:http';
import type { AnswerMetric, EarlyListener } from '../../http/early-listeners.ts';
import type { RedirectOutcome, Redirector, Visit } from './redirect.ts';
import { looksLikeLinkCode } from './rules.ts';

const TRACKED_PREFIX = '/r/';

/** The headers of every tracked redirect (Fastify's route sends the same). */
export const REDIRECT_HEADERS = { 'cache-control': 'no-store', 'referrer-policy': 'strict-origin-when-cross-origin' } as const;

/** The code of `/r/<code>` or `/r/<code>?…`, or null for any other path. */
function linkCodeOf(url: string): string | null {
  if (!url.startsWith(TRACKED_PREFIX)) return null;
  const query = url.indexOf('?', TRACKED_PREFIX.length);
  const code = query === -1 ? url.slice(TRACKED_PREFIX.length) : url.slice(TRACKED_PREFIX.length, query);
  return looksLikeLinkCode(code) ? code : null;
}

/** The visitor as Fastify sees it with trustProxy on: the client end of X-Forwarded-For, else the peer. */
function visitOf(request: IncomingMessage): Visit {
  const header = request.headers['x-forwarded-for'];
  const forwarded = Array.isArray(header) ? header[0] : header;
  let ip = request.socket.remoteAddress ?? '';
  if (forwarded) {
    const comma = forwarded.indexOf(',');
    ip = (comma === -1 ? forwarded : forwarded.slice(0, comma)).trim();
  }
  return { ip, userAgent: request.headers['user-agent'], referrer: request.headers.referer };
}

/**
 * GET /r/:code on the bare node:http listener: the same Redirector as the Fastify route, and the
 * 302 written directly. Only redirects are answered here; every other outcome (unknown link,
 * product without a URL, a platform that gave no link, a click that could not be stored) is
 * handed to Fastify's router, whose route answers it with the contract's error body or a page
 * (from `earlyOutcomes`, without asking again), and a click not stored is tried once more there
 * before the 503. No log line per redirect (the route logs warnings and worse only).
 */
/**
 * What the early listener found for a request it handed to the router, so the route answers it
 * without asking again: a platform that timed out would otherwise be waited for twice. A click
 * that could not be stored is not kept here: the route tries it once more.
 */
export const earlyOutcomes = new WeakMap<IncomingMessage, RedirectOutcome>();

export function redirectListener(redirector: Redirector, answered: AnswerMetric, onNotRecorded: (error: unknown) => void): EarlyListener {
  return (request, response, router) => {
    if (request.method !== 'GET') return false;
    const code = linkCodeOf(request.url ?? '');
    if (code === null) return false;
    const startedMs = performance.now();
    redirector.redirect(code, visitOf(request)).then(
      (outcome) => {
        if (outcome.kind !== 'redirect') {
          if (outcome.kind === 'not_recorded') onNotRecorded(outcome.error);
          else earlyOutcomes.set(request, outcome);
          router(request, response);
          return;
        }
        response.writeHead(302, { location: outcome.location, ...REDIRECT_HEADERS }).end();
        answered(302, startedMs);
      },
      () => router(request, response), // an unexpected failure: the route meets it again and answers as any error
    );
    return true;
  };
}
