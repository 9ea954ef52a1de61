// The Content-Security-Policy of the app's pages, for the LAN host's header and Electron's. Images
// come from the app itself, data:/blob: (canvas, photos) and exactly the configured tile service's
// hosts (天地图), so the online basemap can draw and nothing else can be loaded.

import { tileOrigins } from '../../shared/geo/tileHosts';
import type { NodeContext } from '../services/core/context';
import { tileService } from '../services/grids/queries';

export function buildCsp(opts: { tileOrigins: readonly string[]; fileScheme?: string; electron?: boolean }): string {
  const img = ["'self'", 'data:', 'blob:', ...(opts.fileScheme ? [`${opts.fileScheme}:`] : []), ...opts.tileOrigins].join(' ');
  const connect = opts.electron ? "'self'" : "'self' ws: wss:";
  const tail = opts.electron ? "object-src 'none'; base-uri 'none'" : "object-src 'none'; base-uri 'none'; frame-ancestors 'none'";
  return `default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src ${img}; connect-src ${connect}; font-src 'self' data:; ${tail}`;
}

/** The tile origins the street's settings allow now. */
export async function configuredTileOrigins(ctx: NodeContext): Promise<string[]> {
  const ts = await tileService(ctx);
  return ts ? tileOrigins(ts.url) : [];
}

/**
 * Keeps a CSP current with the settings: computed now and again whenever settings change. Returns
 * a getter for the current value and a function to stop following.
 */
export function liveCsp(ctx: NodeContext, opts: { fileScheme?: string; electron?: boolean }): { get(): string; ready: Promise<void>; stop(): void } {
  let csp = buildCsp({ ...opts, tileOrigins: [] });
  const refresh = () =>
    configuredTileOrigins(ctx)
      .then((o) => {
        csp = buildCsp({ ...opts, tileOrigins: o });
      })
      .catch((err) => ctx.log.warn('csp refresh failed', { error: String(err) }));
  const ready = refresh();
  const off = ctx.events.subscribe((e) => {
    if (e.type === 'settings.changed') void refresh();
  });
  return { get: () => csp, ready, stop: off };
}
