// A small router for the city's HTTPS server: one module per route group (src/city/routes/*),
// each a list of routes; the caller's identity comes from its verified client certificate.

import type http from 'node:http';
import type { TLSSocket } from 'node:tls';
import { ZodError } from 'zod';
import { CityError } from './service';

export interface Caller {
  /**
   * 'street' (cn = street code), 'admin' (a city operator) or 'district' (a district operations
   * center, cn = its 6-digit division code); null when no valid client certificate.
   */
  role: 'street' | 'admin' | 'district' | null;
  cn: string | null;
}

export interface RouteContext {
  req: http.IncomingMessage;
  res: http.ServerResponse;
  url: URL;
  params: Record<string, string>;
  caller: Caller;
  body: () => Promise<unknown>;
  /** The raw request body (at most `max` bytes). */
  raw: (max: number) => Promise<Buffer>;
}

export interface Route {
  method: 'GET' | 'POST';
  /** Path with `:name` segments. */
  path: string;
  /**
   * Who may call: a street, a city operator, an operator of the city or of a district (the handler
   * scopes a district to its own streets), or anyone (Open311 has its own keys).
   */
  who: 'street' | 'admin' | 'operator' | 'public';
  handle: (c: RouteContext) => Promise<unknown | typeof HANDLED>;
}

/** Returned by a handler that wrote the response itself (e.g. an event stream). */
export const HANDLED = Symbol('handled');

const MAX_BODY = 32 * 1024 * 1024;

export function callerOf(req: http.IncomingMessage): Caller {
  const sock = req.socket as TLSSocket;
  if (!sock.authorized) return { role: null, cn: null };
  const cert = sock.getPeerCertificate();
  const cn = (cert?.subject?.CN as string | undefined) ?? null;
  const ou = cert?.subject?.OU as string | undefined;
  return { role: ou === 'admin' || ou === 'street' || ou === 'district' ? ou : null, cn };
}

function readRaw(req: http.IncomingMessage, max: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let n = 0;
    req.on('data', (c: Buffer) => {
      n += c.length;
      if (n > max) {
        reject(new CityError(413, 'tooLarge', 'request body too large'));
        req.destroy();
        return;
      }
      parts.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(parts)));
    req.on('error', reject);
  });
}

function readBody(req: http.IncomingMessage): Promise<unknown> {
  // Only JSON is read as JSON (a browser form cannot send application/json across sites).
  const type = req.headers['content-type'];
  if (type && !/^application\/json\b/i.test(type)) return Promise.reject(new CityError(415, 'notJson', `content-type ${type} is not application/json`));
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let n = 0;
    req.on('data', (c: Buffer) => {
      n += c.length;
      if (n > MAX_BODY) {
        reject(new CityError(413, 'tooLarge', 'request body too large'));
        req.destroy();
        return;
      }
      parts.push(c);
    });
    req.on('end', () => {
      try {
        const text = Buffer.concat(parts).toString('utf8');
        resolve(text ? JSON.parse(text) : {});
      } catch {
        reject(new CityError(400, 'badJson', 'request body is not JSON'));
      }
    });
    req.on('error', reject);
  });
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
  res.end(text);
}

interface Compiled extends Route {
  re: RegExp;
  names: string[];
}

export function createRouter(routes: Route[], log: (msg: string, extra?: Record<string, unknown>) => void) {
  const compiled: Compiled[] = routes.map((r) => {
    const names: string[] = [];
    const re = new RegExp('^' + r.path.replace(/:[a-zA-Z]+/g, (m) => (names.push(m.slice(1)), '([^/]+)')) + '/?$');
    return { ...r, re, names };
  });
  return async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url ?? '/', 'https://city');
    const caller = callerOf(req);
    try {
      const matches = compiled.filter((r) => r.re.test(url.pathname));
      const route = matches.find((r) => r.method === req.method);
      if (!route) {
        // Say nothing about which paths exist to callers without a credential.
        sendJson(res, matches.length && caller.role ? 405 : 404, { error: 'notFound' });
        return;
      }
      const allowed = route.who === 'public' || caller.role === route.who || (route.who === 'operator' && (caller.role === 'admin' || caller.role === 'district'));
      if (!allowed) {
        // The TLS layer lets certificate-less clients through (Open311): to them, every sync and
        // admin route looks exactly like a path that does not exist.
        if (!caller.role) sendJson(res, 404, { error: 'notFound' });
        else sendJson(res, 403, { error: 'forbidden' });
        return;
      }
      // Client certificates travel with any request a browser makes, so a page on another site could
      // make an operator's browser post here: a POST that names a foreign origin is refused.
      const origin = req.headers.origin;
      if (req.method === 'POST' && route.who !== 'public' && origin && origin !== `https://${req.headers.host}`) {
        log('cross-origin post refused', { path: url.pathname, origin, caller: caller.cn });
        sendJson(res, 403, { error: 'crossOrigin' });
        return;
      }
      const m = route.re.exec(url.pathname)!;
      const params: Record<string, string> = {};
      route.names.forEach((n, i) => (params[n] = decodeURIComponent(m[i + 1]!)));
      const out = await route.handle({ req, res, url, params, caller, body: () => readBody(req), raw: (max) => readRaw(req, max) });
      if (out !== HANDLED) sendJson(res, 200, out);
    } catch (err) {
      if (err instanceof CityError) {
        log('request refused', { path: url.pathname, code: err.code, detail: err.message, caller: caller.cn });
        if (!res.headersSent) sendJson(res, err.status, { error: err.code, message: err.message });
      } else if (err instanceof ZodError) {
        const detail = err.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
        log('invalid request', { path: url.pathname, detail });
        if (!res.headersSent) sendJson(res, 400, { error: 'invalidInput', message: detail });
      } else {
        log('request failed', { path: url.pathname, error: err instanceof Error ? err.stack : String(err) });
        if (!res.headersSent) sendJson(res, 500, { error: 'internal', message: 'internal error; nothing was applied' });
        else res.destroy();
      }
    }
  };
}
