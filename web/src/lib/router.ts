import { useSyncExternalStore } from 'react';

/** A hash router small enough to read at once: the route is whatever follows "#/". */

function currentPath(): string {
  const path = window.location.hash.replace(/^#\/?/, '');
  return path.split('?')[0] ?? '';
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

export function useRoute(): string {
  return useSyncExternalStore(subscribe, currentPath);
}

export function navigate(path: string): void {
  window.location.hash = `#/${path}`;
}

export function href(path: string): string {
  return `#/${path}`;
}
