import { useCallback, useEffect, useRef, useState } from 'react';
import { api, type ApiError } from './api';
import { asApiError } from './useLoad';

interface CursorPage<T> {
  items: T[];
  next_cursor: string | null;
}

export interface CursorPages<T, R> {
  /** The first page's whole answer (totals, facets…), undefined until it came. */
  first: R | undefined;
  /** The path `first` and `items` answer; while it is not the current one, they are the previous list. */
  loadedPath: string | undefined;
  items: T[];
  hasMore: boolean;
  /** The first page is on its way (a new path, or a reload). */
  loading: boolean;
  loadingMore: boolean;
  error: ApiError | undefined;
  moreError: ApiError | undefined;
  loadMore: () => void;
  reload: () => void;
}

function withCursor(path: string, cursor: string): string {
  return `${path}${path.includes('?') ? '&' : '?'}cursor=${encodeURIComponent(cursor)}`;
}

/**
 * A list read page by page with next_cursor: a new `path` starts over, loadMore() appends the
 * next page (once at a time, never an item twice), and an answer for an older path is dropped.
 * The previous items stay on screen while the first page of a new path loads.
 */
export function useCursorPages<T extends { id: string }, R extends CursorPage<T> = CursorPage<T>>(path: string): CursorPages<T, R> {
  const [first, setFirst] = useState<R>();
  const [loadedPath, setLoadedPath] = useState<string>();
  const [items, setItems] = useState<T[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<ApiError>();
  const [moreError, setMoreError] = useState<ApiError>();
  const [generation, setGeneration] = useState(0);
  const current = useRef({ path, generation, busy: false });

  useEffect(() => {
    const ticket = { path, generation, busy: false };
    current.current = ticket;
    setLoading(true);
    setLoadingMore(false);
    setError(undefined);
    setMoreError(undefined);
    api<R>('GET', path).then(
      (answer) => {
        if (current.current !== ticket) return;
        setFirst(answer);
        setLoadedPath(path);
        setItems(answer.items);
        setNext(answer.next_cursor);
        setLoading(false);
      },
      (failure: unknown) => {
        if (current.current !== ticket) return;
        setError(asApiError(failure));
        setLoading(false);
      },
    );
  }, [path, generation]);

  const loadMore = useCallback(() => {
    const ticket = current.current;
    if (!next || loading || ticket.busy) return;
    ticket.busy = true;
    setLoadingMore(true);
    setMoreError(undefined);
    api<R>('GET', withCursor(ticket.path, next)).then(
      (answer) => {
        if (current.current !== ticket) return;
        setItems((shown) => {
          const seen = new Set(shown.map((item) => item.id));
          return [...shown, ...answer.items.filter((item) => !seen.has(item.id))];
        });
        setNext(answer.next_cursor);
      },
      (failure: unknown) => {
        if (current.current === ticket) setMoreError(asApiError(failure));
      },
    ).finally(() => {
      ticket.busy = false;
      if (current.current === ticket) setLoadingMore(false);
    });
  }, [next, loading]);

  const reload = useCallback(() => setGeneration((n) => n + 1), []);
  return { first, loadedPath, items, hasMore: next !== null, loading, loadingMore, error, moreError, loadMore, reload };
}
