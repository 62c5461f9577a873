import { readFileSync } from 'node:fs';
import type { PolledOrder, PolledOrders } from './model.ts';

/** Test helpers for the order connectors. */

export function orderFixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8'));
}

export function orderById(read: PolledOrders, orderId: string): PolledOrder {
  const found = read.orders.find((o) => o.event.orderId === orderId);
  if (!found) throw new Error(`no order ${orderId} in ${read.orders.map((o) => o.event.orderId).join(', ')}`);
  return found;
}

export async function collectPages(pages: AsyncIterable<PolledOrders>): Promise<PolledOrders[]> {
  const all: PolledOrders[] = [];
  for await (const page of pages) all.push(page);
  return all;
}

/** [orderId, status, rawStatus] of every order, in order: a compact pin of a whole answer. */
export function statusesOf(read: PolledOrders): Array<[string, string, string]> {
  return read.orders.map((o) => [o.event.orderId, o.event.status, o.rawStatus]);
}

/** Fetch that records each request's form body before passing it on. */
export function recordingFetch(bodies: URLSearchParams[]): typeof fetch {
  return async (url, init) => {
    bodies.push(new URLSearchParams(String(init?.body)));
    return fetch(url, init);
  };
}
