import { useCallback, useEffect, useState } from 'react';
import { ApiError, api } from './api';

export interface Loaded<T> {
  data: T | undefined;
  error: ApiError | undefined;
  reload: () => void;
}

/** GETs `path` on mount and on every reload(); a stale answer never overwrites a newer one. */
export function useLoad<T>(path: string): Loaded<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<ApiError>();
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    let current = true;
    setError(undefined);
    api<T>('GET', path).then(
      (answer) => current && setData(answer),
      (failure: unknown) => current && setError(asApiError(failure)),
    );
    return () => {
      current = false;
    };
  }, [path, generation]);

  const reload = useCallback(() => setGeneration((n) => n + 1), []);
  return { data, error, reload };
}

export function asApiError(failure: unknown): ApiError {
  return failure instanceof ApiError ? failure : new ApiError(0, 'client_error', String(failure));
}
