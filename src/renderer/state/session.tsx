// Who is logged in, and the street's reference data from meta.bootstrap (grids, units, catalog).

import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { Bootstrap, CatalogItem, GridInfo, UnitInfo, User } from '../../shared/api/types';
import type { RunMode } from '../../shared/domain/ticket';
import { ApiError, call, endSession, getToken, isAuthError, onUnauthorized, setToken, subscribe } from '../api/client';
import { syncClock } from '../lib/format';

export interface Lookups {
  grids: Map<string, GridInfo>;
  units: Map<string, UnitInfo>;
  catalog: Map<string, CatalogItem>;
  /** Catalog leaves sorted by path: what a ticket can be classified as. */
  leaves: CatalogItem[];
  /** Every catalog item sorted by path (filters accept a top category too). */
  catalogSorted: CatalogItem[];
}

interface SessionValue {
  /** mustChange: logged in with a one-time password, which must be replaced before anything else. */
  status: 'loading' | 'anonymous' | 'mustChange' | 'ready';
  user: User | null;
  boot: Bootstrap | null;
  lookups: Lookups;
  /** Why the operator was sent back to the login screen, if not by choice. */
  notice: string | null;
  login(username: string, password: string): Promise<void>;
  changePassword(current: string, next: string): Promise<void>;
  logout(): Promise<void>;
  refreshBootstrap(): Promise<void>;
  setRunMode(mode: RunMode): Promise<void>;
}

const SessionContext = createContext<SessionValue | null>(null);

function buildLookups(boot: Bootstrap | null): Lookups {
  const grids = new Map((boot?.grids ?? []).map((g) => [g.id, g] as const));
  const units = new Map((boot?.units ?? []).map((u) => [u.id, u] as const));
  const catalog = new Map((boot?.catalog ?? []).map((c) => [c.id, c] as const));
  const catalogSorted = [...(boot?.catalog ?? [])].sort((a, b) => a.code.localeCompare(b.code) || a.path.localeCompare(b.path, 'zh-CN'));
  const leaves = catalogSorted.filter((c) => c.isLeaf);
  return { grids, units, catalog, leaves, catalogSorted };
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState<SessionValue['status']>(getToken() ? 'loading' : 'anonymous');
  const [boot, setBoot] = useState<Bootstrap | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [pendingUser, setPendingUser] = useState<User | null>(null);
  const statusRef = useRef(status);
  statusRef.current = status;

  const dropSession = useCallback((message: string | null) => {
    setToken(null);
    setBoot(null);
    setNotice(message);
    setStatus('anonymous');
  }, []);

  const loadBootstrap = useCallback(async () => {
    let b: Bootstrap;
    try {
      b = await call('meta.bootstrap', {});
    } catch (e) {
      if (e instanceof ApiError && e.code === 'mustChangePassword') {
        setPendingUser(await call('session.me', {}));
        setStatus('mustChange');
        return;
      }
      throw e;
    }
    syncClock(b.now);
    setBoot(b);
    setStatus('ready');
  }, []);

  // Restore a session kept in sessionStorage (page reload).
  useEffect(() => {
    onUnauthorized(() => {
      if (statusRef.current !== 'anonymous') dropSession('登录已失效，请重新登录');
    });
    if (getToken()) {
      loadBootstrap().catch((e) => dropSession(isAuthError(e) ? '登录已失效，请重新登录' : null));
    }
    return () => onUnauthorized(null);
  }, [dropSession, loadBootstrap]);

  // Run mode changes made elsewhere (another workstation, the leader).
  useEffect(() => {
    if (status !== 'ready') return;
    return subscribe((e) => {
      if (e.type === 'settings.changed' || e.type === 'reconnected') loadBootstrap().catch(() => undefined);
    });
  }, [status, loadBootstrap]);

  const login = useCallback(
    async (username: string, password: string) => {
      const res = await call('session.login', { username, password });
      setToken(res.token);
      setNotice(null);
      if (res.user.mustChangePassword) {
        setPendingUser(res.user);
        setStatus('mustChange');
        return;
      }
      try {
        await loadBootstrap();
      } catch (e) {
        setToken(null);
        throw e;
      }
    },
    [loadBootstrap],
  );

  const changePassword = useCallback(
    async (current: string, next: string) => {
      await call('session.changePassword', { current, next });
      await loadBootstrap();
    },
    [loadBootstrap],
  );

  const logout = useCallback(async () => {
    await endSession();
    dropSession(null);
  }, [dropSession]);

  const setRunMode = useCallback(async (mode: RunMode) => {
    const settings = await call('settings.update', { runMode: mode });
    setBoot((b) => (b ? { ...b, settings } : b));
  }, []);

  const lookups = useMemo(() => buildLookups(boot), [boot]);

  const value = useMemo<SessionValue>(
    () => ({
      status,
      user: boot?.user ?? pendingUser,
      boot,
      lookups,
      notice,
      login,
      changePassword,
      logout,
      refreshBootstrap: loadBootstrap,
      setRunMode,
    }),
    [status, boot, pendingUser, lookups, notice, login, changePassword, logout, loadBootstrap, setRunMode],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const v = useContext(SessionContext);
  if (!v) throw new Error('useSession outside SessionProvider');
  return v;
}

/** The session when logged in (pages behind the shell). */
export function useReadySession(): SessionValue & { user: User; boot: Bootstrap } {
  const v = useSession();
  if (!v.user || !v.boot) throw new Error('session not ready');
  return v as SessionValue & { user: User; boot: Bootstrap };
}
