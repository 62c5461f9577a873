import type { ParsedRow, ProductInput } from '../../pool/model.ts';
import { DEFAULT_RETRY, type RetryPolicy } from './common.ts';
import { parseItems } from './item-fields.ts';

/** What every platform client takes. `baseUrl` defaults to the platform's production gateway. */
export interface ConnectorClientOptions {
  appKey: string;
  appSecret: string;
  baseUrl?: string;
  fetch?: typeof fetch;
  pageSize?: number;
  maxRetries?: number;
  minBackoffMs?: number;
  maxBackoffMs?: number;
}

export interface ConnectorQuery {
  keyword?: string;
  /** Stops after this many pages even if the platform has more; default DEFAULT_MAX_PAGES. */
  maxPages?: number;
}

export const DEFAULT_MAX_PAGES = 100;

/** A platform's total-matches field (number or digit string), or null when absent or unreadable. */
export function totalOf(value: unknown): number | null {
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 ? n : null;
}

export function retryPolicyOf(options: ConnectorClientOptions): RetryPolicy {
  return {
    maxRetries: options.maxRetries ?? DEFAULT_RETRY.maxRetries,
    minBackoffMs: options.minBackoffMs ?? DEFAULT_RETRY.minBackoffMs,
    maxBackoffMs: options.maxBackoffMs ?? DEFAULT_RETRY.maxBackoffMs,
  };
}

export function fetchOf(options: ConnectorClientOptions): typeof fetch {
  return options.fetch ?? ((input, init) => fetch(input, init));
}

/** One page of a platform's search as its reader found it, before items become products. */
export interface PageOfItems {
  items: readonly unknown[];
  /** The platform's count of all matches; null when it did not say. */
  totalCount: number | null;
}

/**
 * Asks for page 1, 2, … until a page comes back empty, the platform's total (when it gave one) is reached or
 * `maxPages` were read, yielding each page's rows. Rows are numbered across pages (the first item
 * of page 2 follows the last of page 1), so a rejected row points at one item of the whole run.
 */
export async function* pageThrough<P extends PageOfItems>(
  fetchPage: (pageNo: number, previous: P | null) => Promise<P>,
  toProduct: (item: Record<string, unknown>) => ProductInput,
  maxPages: number,
): AsyncGenerator<ParsedRow[]> {
  let previous: P | null = null;
  let seen = 0;
  for (let pageNo = 1; pageNo <= maxPages; pageNo++) {
    const page = await fetchPage(pageNo, previous);
    if (page.items.length === 0) return;
    yield parseItems(page.items, toProduct, seen + 1);
    seen += page.items.length;
    if (page.totalCount !== null && seen >= page.totalCount) return;
    previous = page;
  }
}
