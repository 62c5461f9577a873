import { createContext, useContext } from 'react';
import type { Me } from './types';

export interface Session {
  me: Me;
  /** Re-reads /api/me, e.g. after a creator joined an organisation. */
  refresh: () => Promise<void>;
  signOut: () => Promise<void>;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a signed-in console');
  return session;
}
