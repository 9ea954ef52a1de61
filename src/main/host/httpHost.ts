// The street node's HTTP + WebSocket host: serves the renderer and the same API contract to
// browsers on this machine (and on the LAN when enabled): POST /api/<method>, GET /files/<sha256>,
// WebSocket /ws for change events.

import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { NodeContext } from '../services/core/context';
import { toErrorBody, type NodeApi } from '../services/api';
import { attachmentPath } from '../services/tickets/attachments';
import { AppError } from '../services/core/errors';

export interface HostOptions {
  port: number;
  /** 127.0.0.1 by default; 0.0.0.0 serves the LAN. */
  host?: string;
  rendererDir: string;
}

export interface Host {
  url: string;
  port: number;
  close(): Promise<void>;
}

const MAX_BODY = 16 * 1024 * 1024;
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self' ws: wss:; font-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";
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

function send(res: http.ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(text);
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new AppError('tooLarge', '提交的数据过大（上限16MB）'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function bearer(req: http.IncomingMessage, url: URL): string | null {
  const h = req.headers.authorization;
  if (h?.startsWith('Bearer ')) return h.slice(7);
  return url.searchParams.get('token');
}

export async function startHost(ctx: NodeContext, api: NodeApi, opts: HostOptions): Promise<Host> {
  const rendererDir = path.resolve(opts.rendererDir);

  async function handleApi(req: http.IncomingMessage, res: http.ServerResponse, method: string, url: URL) {
    try {
      if (req.method !== 'POST') throw new AppError('methodNotAllowed', '请求方式不正确');
      const text = await readBody(req);
      let input: unknown;
      try {
        input = text ? JSON.parse(text) : {};
      } catch {
        throw new AppError('badJson', '请求数据格式不正确', { detail: `${method}: body is not JSON` });
      }
      const out = await api.handle(method, input, bearer(req, url));
      send(res, 200, out);
    } catch (err) {
      const { status, body } = toErrorBody(ctx, err, method);
      send(res, status, { error: body });
    }
  }

  function handleFile(req: http.IncomingMessage, res: http.ServerResponse, sha: string, url: URL) {
    try {
      api.sessions.resolve(bearer(req, url));
    } catch {
      return send(res, 401, { error: { code: 'unauthorized', message: '登录已过期，请重新登录' } });
    }
    if (!/^[0-9a-f]{64}$/.test(sha)) return send(res, 400, { error: { code: 'badFile', message: '附件标识无效' } });
    ctx.store.db
      .selectFrom('attachments')
      .select(['mime'])
      .where('sha256', '=', sha)
      .executeTakeFirst()
      .then((row) => {
        const file = attachmentPath(ctx, sha);
        if (!row || !fs.existsSync(file)) return send(res, 404, { error: { code: 'notFound', message: '附件不存在' } });
        res.writeHead(200, { 'content-type': row.mime, 'cache-control': 'private, max-age=31536000, immutable', 'x-content-type-options': 'nosniff' });
        fs.createReadStream(file).pipe(res);
      })
      .catch((err) => send(res, 500, { error: toErrorBody(ctx, err, 'files').body }));
  }

  function handleStatic(res: http.ServerResponse, pathname: string) {
    const rel = pathname === '/' ? 'index.html' : decodeURIComponent(pathname).replace(/^\/+/, '');
    const file = path.resolve(rendererDir, rel);
    if (!file.startsWith(rendererDir + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      return res.end('未找到');
    }
    res.writeHead(200, {
      'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
      'content-security-policy': CSP,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-cache',
    });
    fs.createReadStream(file).pipe(res);
  }

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname.startsWith('/api/')) return void handleApi(req, res, url.pathname.slice(5), url);
    if (url.pathname.startsWith('/files/')) return handleFile(req, res, url.pathname.slice(7), url);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405);
      return res.end();
    }
    handleStatic(res, url.pathname);
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  const sockets = new Set<WebSocket>();
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== '/ws') return socket.destroy();
    try {
      api.sessions.resolve(url.searchParams.get('token'));
    } catch {
      socket.write('HTTP/1.1 401 Unauthorized\r\n\r\n');
      return socket.destroy();
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      ws.on('error', () => sockets.delete(ws));
    });
  });
  const unsubscribe = ctx.events.subscribe((e) => {
    const text = JSON.stringify(e);
    for (const ws of sockets) if (ws.readyState === ws.OPEN) ws.send(text);
  });

  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = host === '0.0.0.0' ? '127.0.0.1' : host;
  return {
    url: `http://${shownHost}:${port}`,
    port,
    close: async () => {
      unsubscribe();
      for (const ws of sockets) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
