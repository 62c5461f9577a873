import type { ReactNode } from 'react';
import type { Loaded } from '../lib/useLoad';
import { ErrorAlert } from './Alerts';
import { Loading } from './Loading';

/** Shows a loaded answer, or why it is not there yet. */
export function Async<T>({ loaded, children }: { loaded: Loaded<T>; children: (data: T) => ReactNode }) {
  if (loaded.error) return <ErrorAlert error={loaded.error} onRetry={loaded.reload} />;
  if (loaded.data === undefined) return <Loading />;
  return <>{children(loaded.data)}</>;
}
