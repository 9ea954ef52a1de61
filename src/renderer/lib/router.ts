// Minimal hash router: #/dashboard, #/tickets?view=overdue, #/tickets/<id>, #/new, #/settings.

import { useEffect, useState } from 'react';

export interface Route {
  /** Path segments, e.g. ['tickets', '0193…']. */
  segments: string[];
  query: URLSearchParams;
  /** The raw hash without '#'. */
  raw: string;
}

export function parseHash(hash: string): Route {
  const raw = hash.replace(/^#/, '') || '/dashboard';
  const qi = raw.indexOf('?');
  const path = qi >= 0 ? raw.slice(0, qi) : raw;
  const query = new URLSearchParams(qi >= 0 ? raw.slice(qi + 1) : '');
  const segments = path
    .split('/')
    .filter(Boolean)
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    });
  return { segments: segments.length ? segments : ['dashboard'], query, raw };
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseHash(location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseHash(location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

/** Navigates to a hash path such as '/tickets/123'. `replace` keeps history clean for filter edits. */
export function navigate(path: string, opts: { replace?: boolean } = {}): void {
  const hash = '#' + (path.startsWith('/') ? path : '/' + path);
  if (location.hash === hash) return;
  if (opts.replace) {
    history.replaceState(null, '', hash);
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  } else {
    location.hash = hash;
  }
}

export function ticketPath(id: string): string {
  return `/tickets/${encodeURIComponent(id)}`;
}
