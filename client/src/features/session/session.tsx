/**
 * Who is signed in. Loads GET /api/session once, keeps the CSRF token for api.ts, and turns any
 * 401 into the signed-out page. The last known person is cached so a plan opened earlier can
 * still be written offline after a reload (the server re-checks everything on reconnect).
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, ApiError, NETWORK_ERROR, setCsrfToken, setUnauthorizedHandler, type SessionUser } from '../../lib/api.ts';
import { clearOfflineCopies } from '../editor/offlineStore.ts';
import { clearOutboxes } from '../connection/commandOutbox.ts';
import { clearUnsavedTexts } from '../connection/unsavedText.ts';

const USER_CACHE_KEY = 'minga.user';

/** Where the session stands. */
export type SessionState =
  | { status: 'loading' }
  | { status: 'signedOut'; ended: boolean }
  | { status: 'signedIn'; user: SessionUser; offline: boolean }
  | { status: 'error'; error: unknown };

interface SessionApi {
  state: SessionState;
  /** Ask the server again (after redeeming an invite, or to retry). */
  refresh: () => Promise<void>;
  /** End this browser's session, or every session of the person. */
  signOut: (everywhere: boolean) => Promise<void>;
  /** Mark the session as ended (e.g. the websocket closed with 4401). */
  markSignedOut: () => void;
}

const SessionContext = createContext<SessionApi | null>(null);

function cachedUser(): SessionUser | null {
  try {
    const raw = localStorage.getItem(USER_CACHE_KEY);
    return raw ? (JSON.parse(raw) as SessionUser) : null;
  } catch {
    return null;
  }
}

function cacheUser(user: SessionUser | null): void {
  try {
    if (user) localStorage.setItem(USER_CACHE_KEY, JSON.stringify(user));
    else localStorage.removeItem(USER_CACHE_KEY);
  } catch {
    // Without storage the app still works online.
  }
}

/** Provides the session to the app. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });

  const markSignedOut = useCallback(() => {
    setCsrfToken(null);
    cacheUser(null);
    setState({ status: 'signedOut', ended: true });
  }, []);

  const refresh = useCallback(async () => {
    try {
      const { user, csrfToken } = await api.session();
      setCsrfToken(csrfToken);
      cacheUser(user);
      setState({ status: 'signedIn', user, offline: false });
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        setCsrfToken(null);
        cacheUser(null);
        setState({ status: 'signedOut', ended: false });
        return;
      }
      const user = error instanceof ApiError && error.status === NETWORK_ERROR ? cachedUser() : null;
      setState(user ? { status: 'signedIn', user, offline: true } : { status: 'error', error });
    }
  }, []);

  const signOut = useCallback(
    async (everywhere: boolean) => {
      if (everywhere) await api.logoutAll();
      else await api.logout();
      // A shared computer should not keep plans readable after signing out.
      await clearOfflineCopies();
      clearOutboxes();
      clearUnsavedTexts();
      markSignedOut();
    },
    [markSignedOut],
  );

  useEffect(() => {
    void refresh();
  }, [refresh]);

  useEffect(() => {
    setUnauthorizedHandler(markSignedOut);
    return () => setUnauthorizedHandler(null);
  }, [markSignedOut]);

  const value = useMemo(() => ({ state, refresh, signOut, markSignedOut }), [state, refresh, signOut, markSignedOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

/** The nearest session. */
export function useSession(): SessionApi {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession() outside <SessionProvider>');
  return value;
}
