// A local stand-in for the operator's SMS platform (development and tests; never the real gateway):
// a real HTTP server speaking the interface of ./gateway.ts — it checks the account and the
// signature, keeps every accepted message in memory (GET /v1/messages lists them), and can be told
// to fail the next requests (503) to exercise the city's retries.
//
//   npm run -s city -- sms-stand-in [--port 9099] [--account dev] [--key devkey]

import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { smsSignature } from './gateway';
import { maskPhone } from '../../shared/intake/sms';

export interface StandInMessage {
  id: string;
  to: string;
  text: string;
  ref: string;
  at: number;
}

export interface SmsStandIn {
  url: string;
  port: number;
  messages: StandInMessage[];
  /** Requests refused so far (bad signature, bad body, told to fail). */
  refused: number;
  /** Answer the next `n` sends with 503. */
  failNext(n: number): void;
  close(): Promise<void>;
}

const MAX_BODY = 8 * 1024;

export async function startSmsStandIn(opts: { port?: number; host?: string; account: string; key: string; log?: (msg: string, extra?: Record<string, unknown>) => void }): Promise<SmsStandIn> {
  const messages: StandInMessage[] = [];
  let failing = 0;
  const log = opts.log ?? (() => {});
  const state = { refused: 0 };
  const reply = (res: http.ServerResponse, status: number, body: unknown) => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    if (req.method === 'GET' && url.pathname === '/v1/messages') return reply(res, 200, { messages });
    if (req.method !== 'POST' || url.pathname !== '/v1/messages') return reply(res, 404, { error: 'notFound' });
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) req.destroy();
      else chunks.push(c);
    });
    req.on('error', () => {});
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const refuse = (status: number, error: string) => {
        state.refused++;
        log('sms stand-in refused', { status, error });
        reply(res, status, { error });
      };
      if (failing > 0) {
        failing--;
        return refuse(503, 'unavailable (told to fail)');
      }
      const account = String(req.headers['x-sms-account'] ?? '');
      const ts = String(req.headers['x-sms-timestamp'] ?? '');
      const sig = String(req.headers['x-sms-signature'] ?? '');
      const want = smsSignature(opts.key, opts.account, ts, body);
      if (account !== opts.account || sig.length !== want.length || !crypto.timingSafeEqual(Buffer.from(sig), Buffer.from(want))) return refuse(401, 'bad account or signature');
      if (!Number.isFinite(Number(ts)) || Math.abs(Date.now() - Number(ts)) > 5 * 60_000) return refuse(401, 'timestamp skew');
      let m: { to?: unknown; text?: unknown; ref?: unknown };
      try {
        m = JSON.parse(body) as typeof m;
      } catch {
        return refuse(400, 'body is not JSON');
      }
      if (typeof m.to !== 'string' || !/^1[3-9]\d{9}$/.test(m.to)) return refuse(400, 'bad number');
      if (typeof m.text !== 'string' || !m.text || m.text.length > 500) return refuse(400, 'bad text');
      const msg: StandInMessage = { id: crypto.randomUUID(), to: m.to, text: m.text, ref: typeof m.ref === 'string' ? m.ref.slice(0, 100) : '', at: Date.now() };
      messages.push(msg);
      log('sms stand-in accepted', { id: msg.id, to: maskPhone(msg.to), ref: msg.ref });
      reply(res, 200, { id: msg.id, status: 'accepted' });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${opts.host ?? '127.0.0.1'}:${port}`,
    port,
    messages,
    get refused() {
      return state.refused;
    },
    failNext(n: number) {
      failing = n;
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
