import { createServer, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import type { FastifyServerOptions } from 'fastify';
import type { Counter, Histogram, Registry } from 'prom-client';

/**
 * Answers a request on the bare node:http listener and returns true, or returns false and leaves
 * the request untouched. `router` is Fastify's own listener, for a request the early listener
 * took but then hands over (an unknown link gets the router's 404 page).
 */
export type EarlyListener = (request: IncomingMessage, response: ServerResponse, router: RequestListener) => boolean;

/** Counts an early answer in the same metrics as Fastify's answers. */
export type AnswerMetric = (status: number, startedMs: number) => void;

/**
 * A hot path that must not pay for Fastify's routing, hooks, request and reply objects (the
 * tracked redirect: they were about half of its CPU) answers here, before the router. Everything
 * an early listener does not take goes to Fastify as usual, and `app.inject` always does, so
 * Fastify's route stays the reference for the same path.
 */
export class EarlyListeners {
  readonly #listeners: EarlyListener[] = [];
  #registry: Registry | null = null;

  add(listener: EarlyListener): void {
    this.#listeners.push(listener);
  }

  /** Fastify's `serverFactory`: the server Fastify would make, with the early listeners in front. */
  readonly serverFactory = (router: RequestListener, options: FastifyServerOptions) => {
    const listeners = this.#listeners;
    const server = createServer((request, response) => {
      for (const listener of listeners) if (listener(request, response, router)) return;
      router(request, response);
    });
    // What Fastify sets on a server it makes itself (its defaults are filled in by now).
    server.keepAliveTimeout = options.keepAliveTimeout!;
    server.requestTimeout = options.requestTimeout!;
    server.setTimeout(options.connectionTimeout!);
    if (options.maxRequestsPerSocket) server.maxRequestsPerSocket = options.maxRequestsPerSocket;
    return server;
  };

  /** Where answers are counted: the registry of `registerMetrics`. */
  countIn(registry: Registry): void {
    this.#registry = registry;
  }

  /** The registry of `registerMetrics`, for a module's own metrics; undefined before countIn. */
  get registry(): Registry | undefined {
    return this.#registry ?? undefined;
  }

  /** A counter of early answers on `route` for `/metrics`, with Fastify's metric names and labels. */
  metricFor(method: string, route: string): AnswerMetric {
    const requests = this.#registry?.getSingleMetric('vitrine_http_requests_total') as Counter<'method' | 'route' | 'status'> | undefined;
    const duration = this.#registry?.getSingleMetric('vitrine_http_request_duration_seconds') as Histogram<'method' | 'route'> | undefined;
    if (!requests || !duration) return () => undefined;
    const timed = duration.labels(method, route);
    const counted = new Map<number, ReturnType<typeof requests.labels>>();
    return (status, startedMs) => {
      let count = counted.get(status);
      if (!count) counted.set(status, (count = requests.labels(method, route, String(status))));
      count.inc();
      timed.observe((performance.now() - startedMs) / 1000);
    };
  }
}
