import { useState } from 'react';
import type { ApiError } from './api';
import { asApiError } from './useLoad';

export interface Action {
  busy: boolean;
  error: ApiError | undefined;
  /** Runs `work` unless one is already running; its failure lands in `error` instead of throwing. */
  run: (work: () => Promise<void>) => Promise<void>;
  clearError: () => void;
}

export function useAction(): Action {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  const run = async (work: () => Promise<void>) => {
    if (busy) return;
    setBusy(true);
    setError(undefined);
    try {
      await work();
    } catch (failure) {
      setError(asApiError(failure));
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run, clearError: () => setError(undefined) };
}
