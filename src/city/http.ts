// A small router for the city's HTTPS server: one module per route group (src/city/routes/*),
// each a list of routes; the caller's identity comes from its verified client certificate.

import type http from 'node:http';
import type { TLSSocket } from 'node:tls';
import { ZodError } from 'zod/v4';
import { CityError } from './service';
import { BodyAborted, BodyTooLarge, parseTarget, readLimited } from './body';

export const CALLER_ROLES = ['street', 'admin', 'district', 'zhenghaopai', 'digitalCity', 'police110'] as const;
export type CallerRole = (typeof CALLER_ROLES)[number];

export interface Caller {
  /**
   * 'street' (cn = street code), 'admin' (a city operator) or 'district' (a district operations
   * center, cn = its 6-digit division code), or an external intake channel's platform
   * ('zhenghaopai', 'digitalCity': src/city/intake); null when no valid client certificate.
   */
  role: CallerRole | null;
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
  who: 'street' | 'admin' | 'operator' | 'public' | 'zhenghaopai' | 'digitalCity' | 'police110';
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
  return { role: (CALLER_ROLES as readonly string[]).includes(ou ?? '') ? (ou as CallerRole) : null, cn };
}

async function readRaw(req: http.IncomingMessage, max: number): Promise<Buffer> {
  try {
    return await readLimited(req, max);
  } catch (err) {
    if (err instanceof BodyTooLarge) throw new CityError(413, 'tooLarge', `request body too large (at most ${max} bytes)`);
    if (err instanceof BodyAborted) throw new CityError(400, 'aborted', 'request body not received in full');
    throw err;
  }
}

async function readBody(req: http.IncomingMessage): Promise<unknown> {
  // Only JSON is read as JSON (a browser form cannot send application/json across sites).
  const type = req.headers['content-type'];
  if (type && !/^application\/json\s*(;|$)/i.test(type)) throw new CityError(415, 'notJson', `content-type ${type.slice(0, 100)} is not application/json`);
  const raw = await readRaw(req, MAX_BODY);
  try {
    const text = raw.toString('utf8');
    return text ? JSON.parse(text) : {};
  } catch {
    throw new CityError(400, 'badJson', 'request body is not JSON');
  }
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store', ...headers });
  res.end(text);
}

/** Chinese messages for the refusals every route group shares (the English detail goes to the log). */
const MESSAGES: Record<string, string> = {
  notFound: '未找到',
  forbidden: '无权访问',
  crossOrigin: '来自其他网站的请求，已拒绝',
  badTarget: '请求地址不正确',
  badPath: '地址编码不正确',
  tooLarge: '提交的数据过大',
  aborted: '请求未完整送达',
  notJson: '请求须为 application/json 格式',
  badJson: '请求数据不是有效的 JSON',
  invalidInput: '请求内容不符合要求',
  revoked: '证书已吊销',
  internal: '服务器内部错误，未做任何更改',
};
const zh = (code: string, fallback: string) => MESSAGES[code] ?? fallback;

interface Compiled extends Route {
  re: RegExp;
  names: string[];
}

export interface RouterOptions {
  /** Whether the request's client certificate is on the deny list (checked on every request). */
  isRevoked?: (req: http.IncomingMessage) => boolean;
}

export function createRouter(routes: Route[], log: (msg: string, extra?: Record<string, unknown>) => void, opts: RouterOptions = {}) {
  const compiled: Compiled[] = routes.map((r) => {
    const names: string[] = [];
    const re = new RegExp('^' + r.path.replace(/:[a-zA-Z]+/g, (m) => (names.push(m.slice(1)), '([^/]+)')) + '/?$');
    return { ...r, re, names };
  });
  return async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = parseTarget(req.url);
    let caller: Caller = { role: null, cn: null };
    try {
      if (!url) {
        sendJson(res, 400, { error: 'badTarget', message: zh('badTarget', '') }, { connection: 'close' });
        return;
      }
      caller = callerOf(req);
      if (caller.role && opts.isRevoked?.(req)) {
        log('revoked certificate refused', { path: url.pathname.slice(0, 200), caller: caller.cn });
        sendJson(res, 403, { error: 'revoked', message: zh('revoked', '') }, { connection: 'close' });
        return;
      }
      const matches = compiled.filter((r) => r.re.test(url.pathname));
      const route = matches.find((r) => r.method === req.method);
      if (!route) {
        // Say nothing about which paths exist to callers without a credential.
        const status = matches.length && caller.role ? 405 : 404;
        sendJson(res, status, { error: 'notFound', message: status === 405 ? '请求方式不正确' : zh('notFound', '') });
        return;
      }
      const allowed = route.who === 'public' || caller.role === route.who || (route.who === 'operator' && (caller.role === 'admin' || caller.role === 'district'));
      if (!allowed) {
        // The TLS layer lets certificate-less clients through (Open311): to them, every sync and
        // admin route looks exactly like a path that does not exist.
        if (!caller.role) sendJson(res, 404, { error: 'notFound', message: zh('notFound', '') });
        else sendJson(res, 403, { error: 'forbidden', message: zh('forbidden', '') });
        return;
      }
      // Client certificates travel with any request a browser makes, so a page on another site could
      // make an operator's browser post here: a POST that names a foreign origin is refused.
      const origin = req.headers.origin;
      if (req.method === 'POST' && route.who !== 'public' && origin && origin !== `https://${req.headers.host}`) {
        log('cross-origin post refused', { path: url.pathname, origin: origin.slice(0, 200), caller: caller.cn });
        sendJson(res, 403, { error: 'crossOrigin', message: zh('crossOrigin', '') });
        return;
      }
      const m = route.re.exec(url.pathname)!;
      const params: Record<string, string> = {};
      try {
        route.names.forEach((n, i) => (params[n] = decodeURIComponent(m[i + 1]!)));
      } catch {
        throw new CityError(400, 'badPath', `bad percent-encoding in ${url.pathname.slice(0, 200)}`);
      }
      const out = await route.handle({ req, res, url, params, caller, body: () => readBody(req), raw: (max) => readRaw(req, max) });
      if (out !== HANDLED) sendJson(res, 200, out);
    } catch (err) {
      const path = url?.pathname.slice(0, 200);
      // What the client did not send yet is not read: the connection ends with the reply.
      const close: Record<string, string> = req.complete ? {} : { connection: 'close' };
      if (err instanceof CityError) {
        log('request refused', { path, code: err.code, detail: err.message, caller: caller.cn });
        sendJson(res, err.status, { error: err.code, message: zh(err.code, err.message), detail: err.message }, { ...close, ...(err.retryAfterS ? { 'retry-after': String(err.retryAfterS) } : {}) });
      } else if (err instanceof ZodError) {
        const detail = err.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
        log('invalid request', { path, detail });
        sendJson(res, 400, { error: 'invalidInput', message: `${zh('invalidInput', '')}：${detail}` }, close);
      } else {
        log('request failed', { path, error: err instanceof Error ? err.stack : String(err) });
        if (!res.headersSent) sendJson(res, 500, { error: 'internal', message: zh('internal', '') }, close);
        else res.destroy();
      }
    }
  };
}
