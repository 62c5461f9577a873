import { useCallback, useEffect, useMemo, useState } from 'react';
import { ErrorAlert } from './components/Alerts';
import { Loading } from './components/Loading';
import { Shell } from './components/Shell';
import { api, ApiError, whenUnauthorized } from './lib/api';
import { mayOpen } from './lib/nav';
import { navigate, useRoute } from './lib/router';
import { SessionContext, type Session } from './lib/session';
import type { Me, Role } from './lib/types';
import { LoginPage } from './pages/LoginPage';
import { SignupPage } from './pages/SignupPage';
import { pageFor } from './routes';

const PUBLIC_ROUTES = ['login', 'signup'];

/** undefined while /api/me is being asked, null when signed out. */
type SessionState = Me | null | undefined;

export function App() {
  const route = useRoute();
  const [me, setMe] = useState<SessionState>(undefined);
  const [bootError, setBootError] = useState<ApiError>();

  const refresh = useCallback(async () => {
    try {
      setMe(await api<Me>('GET', '/api/me'));
      setBootError(undefined);
    } catch (failure) {
      if (failure instanceof ApiError && failure.status === 401) setMe(null);
      else if (failure instanceof ApiError) setBootError(failure);
      else throw failure;
    }
  }, []);

  useEffect(() => {
    whenUnauthorized(() => setMe(null));
    void refresh();
  }, [refresh]);

  const key = route.split('/')[0] ?? '';
  const allowed = me ? mayOpen(me.user.role, route) : PUBLIC_ROUTES.includes(key);

  useEffect(() => {
    if (me === undefined || allowed) return;
    navigate(me ? 'home' : 'login');
  }, [me, allowed]);

  const session = useMemo<Session | null>(
    () =>
      me
        ? {
            me,
            refresh,
            signOut: async () => {
              await api('POST', '/api/auth/logout').catch(() => undefined);
              setMe(null);
              navigate('login');
            },
          }
        : null,
    [me, refresh],
  );

  if (me === undefined) return <Boot error={bootError} onRetry={() => void refresh()} />;
  if (!session) return key === 'signup' ? <SignupPage onSignedIn={refresh} /> : <LoginPage onSignedIn={refresh} />;
  if (!allowed) return null;
  return (
    <SessionContext.Provider value={session}>
      <Shell active={menuEntryOf(session.me.user.role, route)}>{pageFor(session.me.user.role, route)}</Shell>
    </SessionContext.Provider>
  );
}

/** The menu entry a route belongs to: its first segment, except that a merchant's source pages sit under 商品 and a creator's own shop under 橱窗. */
function menuEntryOf(role: Role, route: string): string {
  const [key = '', id] = route.split('/');
  if (key === 'sources' && id && role === 'merchant') return 'products';
  if (key === 'sources' && id && role === 'creator') return 'showcase';
  return key;
}

function Boot({ error, onRetry }: { error: ApiError | undefined; onRetry: () => void }) {
  return (
    <div className="boot">
      {error ? (
        <div className="boot-error">
          <ErrorAlert error={error} onRetry={onRetry} />
        </div>
      ) : (
        <Loading />
      )}
    </div>
  );
}
