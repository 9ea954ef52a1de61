// Raw HTTP over a socket (plain or TLS): the request line and headers go out exactly as written, so
// paths are not normalised (`..`, `//`, bad percent-encoding) the way fetch and http.request would.

import net from 'node:net';
import tls from 'node:tls';

export interface RawTarget {
  port: number;
  host?: string;
  /** TLS without a client certificate (the city's public side), or with the given credential. */
  tls?: boolean | { ca?: Buffer; cert?: Buffer; key?: Buffer };
}

export interface RawResponse {
  /** 0 when the connection closed (or timed out) before a status line came back. */
  status: number;
  head: string;
  body: string;
  raw: Buffer;
}

function parse(buf: Buffer): RawResponse {
  const text = buf.toString('utf8');
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(text);
  const cut = text.indexOf('\r\n\r\n');
  return { status: m ? Number(m[1]) : 0, head: cut >= 0 ? text.slice(0, cut) : text, body: cut >= 0 ? text.slice(cut + 4) : '', raw: buf };
}

/** Sends `request` (bytes or text) and reads until the server closes or `timeoutMs` passes. */
export function rawRequest(t: RawTarget, request: string | Buffer, timeoutMs = 3000, opts: { end?: boolean } = {}): Promise<RawResponse> {
  return new Promise((resolve) => {
    const host = t.host ?? '127.0.0.1';
    const sock: net.Socket = t.tls
      ? tls.connect({ port: t.port, host, rejectUnauthorized: false, ...(typeof t.tls === 'object' ? t.tls : {}) })
      : net.connect({ port: t.port, host });
    const parts: Buffer[] = [];
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      resolve(parse(Buffer.concat(parts)));
    };
    const timer = setTimeout(finish, timeoutMs);
    sock.on(t.tls ? 'secureConnect' : 'connect', () => (opts.end ? sock.end(request) : sock.write(request)));
    sock.on('data', (c: Buffer) => {
      parts.push(c);
      // A complete response with a known length: no need to wait for the close.
      const r = parse(Buffer.concat(parts));
      const len = /\r\ncontent-length: *(\d+)/i.exec(r.head);
      if (r.status && len && Buffer.byteLength(r.body) >= Number(len[1])) finish();
    });
    sock.on('error', finish);
    sock.on('close', finish);
  });
}

/** A GET with `Connection: close` for `target` (sent as it is). */
export function rawGet(t: RawTarget, target: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  const h = { host: `127.0.0.1:${t.port}`, connection: 'close', ...headers };
  return rawRequest(t, `GET ${target} HTTP/1.1\r\n${Object.entries(h).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`);
}
