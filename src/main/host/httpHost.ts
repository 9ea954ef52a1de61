// The street node's HTTP + WebSocket host: serves the renderer and the same API contract to
// browsers on this machine (and on the LAN when enabled): POST /api/<method>, GET /files/<sha256>,
// WebSocket /ws for change events.
//
// Every input is hostile until checked. No request can bring the host down: a malformed target
// (bad percent-encoding, `//`, an absolute URL), an unknown method, a body that is not JSON or too
// large, a bad WebSocket upgrade — each gets a 4xx with a Chinese message and the host goes on; an
// unexpected error inside one request is answered with a 500 for that request only.
//
// DNS rebinding: /api, /files and /ws answer only when the Host header names this host
// (127.0.0.1, localhost, [::1] with its port; when serving the LAN, the addresses it listens on)
// and, when an Origin header is present (browsers), only when it is this host's own origin.
// Otherwise 403. JSON routes read only application/json (415 otherwise): a cross-site form cannot
// send that without a preflight.
//
// Credentials never travel in URLs: the API takes `Authorization: Bearer`, the WebSocket a one-time
// ticket (`session.wsTicket`), attachment images an HttpOnly SameSite=Strict cookie set at login
// that opens /files only.
//
// With `tls` (the LAN, see ./tls.ts) the host speaks HTTPS (and so wss) on its port. The first byte
// of each connection tells a TLS handshake from plain HTTP: a plain request to one of the host's
// own names is redirected (308) to the same path over https, any other gets a 400; neither reaches
// the API.

import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { NodeContext } from '../services/core/context';
import { toErrorBody, type NodeApi } from '../services/api';
import { attachmentPath } from '../services/tickets/attachments';
import { liveCsp } from './csp';
import { AppError } from '../services/core/errors';

export interface HostOptions {
  port: number;
  /** 127.0.0.1 by default; 0.0.0.0 serves the LAN. */
  host?: string;
  rendererDir: string;
  /** Serve HTTPS with this certificate (PEM) and key; plain HTTP on the port is redirected. */
  tls?: { cert: string; key: string };
}

export interface Host {
  url: string;
  port: number;
  close(): Promise<void>;
}

export const MAX_BODY = 16 * 1024 * 1024;
/** A body over the limit is read and thrown away up to this much, so the client gets its 413; beyond, the connection is cut. */
const MAX_DRAIN = 64 * 1024 * 1024;
const FILE_COOKIE = 'cy_files';
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

function send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string | string[]> = {}) {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', ...headers });
  res.end(text);
}

const sendError = (res: http.ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}) => send(res, status, { error: { code, message } }, headers);

function sendText(res: http.ServerResponse, status: number, text: string) {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(text), 'x-content-type-options': 'nosniff' });
  res.end(text);
}

/**
 * The request body as text, at most MAX_BODY bytes. A larger body is read to its end and thrown
 * away (so the client, still sending, receives the 413 instead of a reset), up to MAX_DRAIN.
 */
function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const declared = Number(req.headers['content-length'] ?? 0);
    const tooLarge = () => new AppError('tooLarge', '提交的数据过大（上限16MB）', { detail: `body of ${Math.max(size, declared)} bytes` });
    if (declared > MAX_DRAIN) return reject(tooLarge());
    let over = declared > MAX_BODY;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_DRAIN) return void req.destroy();
      if (size > MAX_BODY) over = true;
      if (!over) chunks.push(c);
      else chunks.length = 0;
    });
    req.on('end', () => (over ? reject(tooLarge()) : resolve(Buffer.concat(chunks).toString('utf8'))));
    req.on('error', reject);
    req.on('close', () => reject(new AppError('badRequest', '请求未完整送达')));
  });
}

/** The path and query of a request target, or null when it is not one (`//`, `http://…`, `*`, garbage). */
export function parseTarget(target: string | undefined): URL | null {
  if (!target || target[0] !== '/' || target[1] === '/' || target[1] === '\\') return null;
  try {
    return new URL(target, 'http://node.invalid');
  } catch {
    return null;
  }
}

function cookie(req: http.IncomingMessage, name: string): string | null {
  const header = req.headers.cookie;
  if (typeof header !== 'string' || header.length > 8192) return null;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return part.slice(i + 1).trim() || null;
  }
  return null;
}

function bearer(req: http.IncomingMessage): string | null {
  const h = req.headers.authorization;
  return typeof h === 'string' && h.startsWith('Bearer ') ? h.slice(7).trim() || null : null;
}

/** The Host values this host answers to (lower case, with the port). */
function hostNames(bind: string, port: number): () => Set<string> {
  const local = [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`];
  const lan = bind === '0.0.0.0' || bind === '::';
  if (!lan) {
    const names = new Set(local);
    if (!['127.0.0.1', 'localhost', '::1'].includes(bind)) names.add(bind.includes(':') ? `[${bind}]:${port}` : `${bind}:${port}`);
    return () => names;
  }
  // Serving the LAN: every address of this machine (re-read now and then: DHCP moves them).
  let cached = new Set<string>();
  let at = 0;
  return () => {
    if (Date.now() - at > 30_000) {
      const names = new Set(local);
      for (const list of Object.values(os.networkInterfaces()))
        for (const a of list ?? []) names.add(a.family === 'IPv6' ? `[${a.address.split('%')[0]!.toLowerCase()}]:${port}` : `${a.address}:${port}`);
      cached = names;
      at = Date.now();
    }
    return cached;
  };
}

export async function startHost(ctx: NodeContext, api: NodeApi, opts: HostOptions): Promise<Host> {
  const rendererDir = path.resolve(opts.rendererDir);
  // Images only from the app and exactly the configured tile hosts (follows 设置 › 地图底图).
  const csp = liveCsp(ctx, {});
  await csp.ready;
  const bind = opts.host ?? '127.0.0.1';
  const scheme = opts.tls ? 'https://' : 'http://';
  let names: () => Set<string> = () => new Set();

  /** Why a request to /api, /files or /ws is refused (Host, Origin), or null. */
  function foreign(req: http.IncomingMessage): { code: string; message: string } | null {
    const host = String(req.headers.host ?? '').toLowerCase();
    const known = names();
    if (!known.has(host)) return { code: 'forbiddenHost', message: '访问地址不是本街道节点的地址，已拒绝（请使用本机地址打开城运台）' };
    const origin = req.headers.origin;
    if (origin !== undefined) {
      const o = String(origin).toLowerCase();
      if (!o.startsWith(scheme) || !known.has(o.slice(scheme.length))) return { code: 'forbiddenOrigin', message: '来自其他网站的请求，已拒绝' };
    }
    return null;
  }

  async function handleApi(req: http.IncomingMessage, res: http.ServerResponse, method: string) {
    try {
      if (req.method !== 'POST') throw new AppError('methodNotAllowed', '请求方式不正确', { detail: `${req.method} /api/${method}` });
      const type = String(req.headers['content-type'] ?? '');
      if (!/^application\/json\s*(;|$)/i.test(type)) throw new AppError('unsupportedType', '请求须为 application/json 格式', { detail: `content-type ${JSON.stringify(type)}` });
      const text = await readBody(req);
      let input: unknown;
      try {
        input = text ? JSON.parse(text) : {};
      } catch {
        throw new AppError('badJson', '请求数据格式不正确', { detail: `${method}: body is not JSON` });
      }
      const out = await api.handle(method, input, bearer(req), { client: req.socket.remoteAddress ?? 'unknown' });
      const headers: Record<string, string> = {};
      // Attachment images (<img src>) carry no Authorization header: a cookie that opens /files only.
      if (method === 'session.login') {
        const fileKey = api.sessions.resolve((out as { token: string }).token).fileKey;
        headers['set-cookie'] = `${FILE_COOKIE}=${fileKey}; Path=/files; HttpOnly; SameSite=Strict`;
      } else if (method === 'session.logout') headers['set-cookie'] = `${FILE_COOKIE}=; Path=/files; HttpOnly; SameSite=Strict; Max-Age=0`;
      send(res, 200, out, headers);
    } catch (err) {
      const { status, body } = toErrorBody(ctx, err, method.slice(0, 100));
      const headers: Record<string, string> = {};
      if (err instanceof AppError && err.retryAfterS) headers['retry-after'] = String(err.retryAfterS);
      // Whatever the client did not send yet is not read: say the connection ends here.
      if (!req.complete) headers.connection = 'close';
      send(res, status, { error: body }, headers);
    }
  }

  function handleFile(req: http.IncomingMessage, res: http.ServerResponse, sha: string) {
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendError(res, 405, 'methodNotAllowed', '请求方式不正确');
    try {
      const t = bearer(req);
      if (t) api.sessions.resolve(t);
      else api.sessions.resolveFileKey(cookie(req, FILE_COOKIE));
    } catch {
      return sendError(res, 401, 'unauthorized', '登录已过期，请重新登录');
    }
    if (!/^[0-9a-f]{64}$/.test(sha)) return sendError(res, 400, 'badFile', '附件标识无效');
    ctx.store.db
      .selectFrom('attachments')
      .select(['mime'])
      .where('sha256', '=', sha)
      .executeTakeFirst()
      .then((row) => {
        const file = attachmentPath(ctx, sha);
        if (!row || !fs.existsSync(file)) return sendError(res, 404, 'notFound', '附件不存在');
        const stream = fs.createReadStream(file);
        stream.on('error', (err) => {
          ctx.log.error('attachment read failed', { sha, error: err.message });
          if (!res.headersSent) sendError(res, 500, 'internal', '附件读取失败');
          else res.destroy();
        });
        stream.once('open', () => {
          res.writeHead(200, { 'content-type': row.mime, 'cache-control': 'private, max-age=31536000, immutable', 'x-content-type-options': 'nosniff' });
          stream.pipe(res);
        });
      })
      .catch((err) => send(res, 500, { error: toErrorBody(ctx, err, 'files').body }));
  }

  function handleStatic(req: http.IncomingMessage, res: http.ServerResponse, pathname: string) {
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, '请求方式不正确');
    let rel: string;
    try {
      rel = pathname === '/' ? 'index.html' : decodeURIComponent(pathname).replace(/^\/+/, '');
    } catch {
      return sendText(res, 400, '地址编码不正确');
    }
    if (rel.includes('\0')) return sendText(res, 400, '地址不正确');
    const file = path.resolve(rendererDir, rel);
    let ok = false;
    try {
      ok = file.startsWith(rendererDir + path.sep) && fs.statSync(file).isFile();
    } catch {
      ok = false;
    }
    if (!ok) return sendText(res, 404, '未找到');
    const stream = fs.createReadStream(file);
    stream.on('error', () => (res.headersSent ? res.destroy() : sendText(res, 404, '未找到')));
    stream.once('open', () => {
      res.writeHead(200, {
        'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
        'content-security-policy': csp.get(),
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
        'cache-control': 'no-cache',
      });
      stream.pipe(res);
    });
  }

  function route(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = parseTarget(req.url);
    if (!url) return sendText(res, 400, '请求地址不正确');
    const guarded = url.pathname.startsWith('/api/') || url.pathname.startsWith('/files/') || url.pathname === '/ws';
    if (guarded) {
      const why = foreign(req);
      if (why) {
        ctx.log.warn('request refused', { path: url.pathname.slice(0, 200), host: String(req.headers.host ?? '').slice(0, 200), origin: String(req.headers.origin ?? '').slice(0, 200), code: why.code });
        return sendError(res, 403, why.code, why.message, req.complete ? {} : { connection: 'close' });
      }
    }
    if (url.pathname.startsWith('/api/')) return void handleApi(req, res, url.pathname.slice(5));
    if (url.pathname.startsWith('/files/')) return handleFile(req, res, url.pathname.slice(7));
    handleStatic(req, res, url.pathname);
  }

  const onRequest = (req: http.IncomingMessage, res: http.ServerResponse) => {
    try {
      route(req, res);
    } catch (err) {
      // A bug in one request answers that request only.
      ctx.log.error('request failed', { path: String(req.url).slice(0, 200), error: err instanceof Error ? err.stack : String(err) });
      if (!res.headersSent) sendError(res, 500, 'internal', '系统内部错误，请稍后重试');
      else res.destroy();
    }
  };
  const server: http.Server = opts.tls ? https.createServer({ cert: opts.tls.cert, key: opts.tls.key }, onRequest) : http.createServer(onRequest);
  // A failed TLS handshake (plain bytes that looked like TLS, an old client …): that socket only.
  // A browser that does not trust the self-signed certificate yet says so (alert 46/42) before its
  // user checks the fingerprint: expected, not logged.
  server.on('tlsClientError', (err: Error, sock: Duplex) => {
    if (!/alert (certificate unknown|bad certificate)/.test(err.message)) ctx.log.warn('tls handshake failed', { error: err.message.slice(0, 200) });
    sock.destroy();
  });
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    // Malformed HTTP (bad request line, oversized headers …): a plain 4xx, then close.
    if (!socket.writable || (socket as Socket).bytesWritten > 0) return void socket.destroy();
    const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
    const body = status === 431 ? '请求头过大' : status === 408 ? '请求超时' : '请求格式不正确';
    socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
  });

  // Every socket, whatever state it is in (upgraded, refused, draining): close() ends them all.
  const raw = new Set<Duplex>();
  server.on('connection', (sock: Duplex) => {
    raw.add(sock);
    sock.on('close', () => raw.delete(sock));
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  const sockets = new Set<WebSocket>();
  const refuse = (socket: Duplex, status: number, message: string) => {
    const body = JSON.stringify({ error: { code: http.STATUS_CODES[status] ?? 'error', message } });
    if (socket.writable) socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
    socket.destroy();
  };
  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    try {
      const url = parseTarget(req.url);
      if (!url || url.pathname !== '/ws') return refuse(socket, 404, '未找到');
      const why = foreign(req);
      if (why) return refuse(socket, 403, why.message);
      try {
        api.sessions.redeemTicket(url.searchParams.get('ticket'));
      } catch {
        return refuse(socket, 401, '登录已过期，请重新登录');
      }
      wss.handleUpgrade(req, socket, head, (ws) => {
        sockets.add(ws);
        ws.on('close', () => sockets.delete(ws));
        ws.on('error', () => sockets.delete(ws));
      });
    } catch (err) {
      ctx.log.error('upgrade failed', { error: err instanceof Error ? err.stack : String(err) });
      refuse(socket, 400, '请求格式不正确');
    }
  });
  const unsubscribe = ctx.events.subscribe((e) => {
    const text = JSON.stringify(e);
    for (const ws of sockets) if (ws.readyState === ws.OPEN) ws.send(text);
  });

  // With TLS the port is listened on by a plain TCP server that hands each connection to the HTTPS
  // server (first byte 0x16: a TLS handshake) or answers it as plain HTTP (redirect, or 400).
  const front = opts.tls
    ? net.createServer((sock) => {
        raw.add(sock);
        sock.on('close', () => raw.delete(sock));
        sock.on('error', () => sock.destroy());
        sock.setTimeout(10_000, () => sock.destroy());
        sock.once('data', (first: Buffer) => {
          sock.setTimeout(0);
          if (first[0] === 0x16) {
            // The TLS socket takes over the connection and reads the unshifted bytes first.
            sock.pause();
            sock.unshift(first);
            server.emit('connection', sock);
          } else answerPlain(sock, first);
        });
      })
    : null;

  /** Plain HTTP on the HTTPS port: the request head is read (≤ 16 KB) and answered, never served. */
  function answerPlain(sock: net.Socket, first: Buffer) {
    let head = first;
    let done = false;
    const reply = () => {
      if (done) return;
      done = true;
      sock.removeAllListeners('data');
      const text = head.toString('latin1');
      const end = text.indexOf('\r\n\r\n');
      const lines = (end >= 0 ? text.slice(0, end) : text).split('\r\n');
      const target = parseTarget(lines[0]?.split(' ')[1]);
      const host = lines.slice(1).find((l) => /^host:/i.test(l))?.slice(5).trim().toLowerCase() ?? '';
      const ok = end >= 0 && target && names().has(host);
      const body = ok ? `本街道节点只接受 HTTPS 访问，请打开 https://${host}${target.pathname}` : '本街道节点只接受 HTTPS 访问（https://），请使用本机或局域网地址打开城运台';
      const status = ok ? 308 : 400;
      const location = ok ? `location: https://${host}${target.pathname}${target.search}\r\n` : '';
      if (sock.writable)
        sock.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\n${location}content-type: text/plain; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
      setTimeout(() => sock.destroy(), 2_000).unref();
    };
    const check = () => (head.includes('\r\n\r\n') || head.length > 16 * 1024 ? reply() : undefined);
    sock.on('data', (c: Buffer) => {
      head = Buffer.concat([head, c]);
      check();
    });
    sock.setTimeout(5_000, reply);
    check();
  }

  const listener: net.Server = front ?? server;
  await new Promise<void>((resolve, reject) => {
    listener.once('error', reject);
    listener.listen(opts.port, bind, () => resolve());
  });
  listener.on('error', (err) => ctx.log.error('host error', { error: err.message }));
  const port = (listener.address() as AddressInfo).port;
  names = hostNames(bind, port);
  const shownHost = bind === '0.0.0.0' || bind === '::' ? '127.0.0.1' : bind;
  return {
    url: `${scheme}${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}`,
    port,
    close: async () => {
      csp.stop();
      unsubscribe();
      for (const ws of sockets) ws.terminate();
      wss.close();
      server.closeAllConnections();
      for (const sock of raw) sock.destroy();
      if (front) await new Promise<void>((resolve) => front.close(() => resolve()));
      await new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve()));
    },
  };
}
