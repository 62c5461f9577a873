import { useSyncExternalStore } from 'react';

/**
 * A hash router small enough to read at once: the route is whatever follows "#/", up to "?";
 * what follows "?" is the page's own state (filters, sort…), so a reload keeps it.
 */

const QUERY_CHANGED = 'vitrine:querychange';

function currentPath(): string {
  const path = window.location.hash.replace(/^#\/?/, '');
  return path.split('?')[0] ?? '';
}

function currentQuery(): string {
  const hash = window.location.hash;
  const mark = hash.indexOf('?');
  return mark < 0 ? '' : hash.slice(mark + 1);
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  window.addEventListener(QUERY_CHANGED, onChange);
  return () => {
    window.removeEventListener('hashchange', onChange);
    window.removeEventListener(QUERY_CHANGED, onChange);
  };
}

export function useRoute(): string {
  return useSyncExternalStore(subscribe, currentPath);
}

/** The hash's query string ("q=…&sort=…"), re-rendering on every change. */
export function useHashQuery(): string {
  return useSyncExternalStore(subscribe, currentQuery);
}

/**
 * Replaces the query of the current route. `replace` rewrites the history entry in place (for
 * typing); otherwise the change is a new entry the back button returns from.
 */
export function setHashQuery(params: URLSearchParams, { replace = false }: { replace?: boolean } = {}): void {
  const query = params.toString();
  const next = `#/${currentPath()}${query ? `?${query}` : ''}`;
  if (next === window.location.hash) return;
  if (replace) window.history.replaceState(window.history.state, '', next);
  else window.history.pushState(window.history.state, '', next);
  window.dispatchEvent(new Event(QUERY_CHANGED));
}

/** Sets (or, given an empty value, removes) some of the current route's query parameters, keeping the others. */
export function changeHashQuery(query: URLSearchParams, changes: Record<string, string>): void {
  const next = new URLSearchParams(query);
  for (const [key, value] of Object.entries(changes)) {
    if (value) next.set(key, value);
    else next.delete(key);
  }
  setHashQuery(next);
}

export function navigate(path: string): void {
  window.location.hash = `#/${path}`;
}

export function href(path: string): string {
  return `#/${path}`;
}
