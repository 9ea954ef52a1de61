// A seeded, bounded generator of hostile raw HTTP requests (for the fuzz test and `npm run bench --
// security`): random methods, paths with bad percent-encoding, `//`, `..` and control characters,
// random and oversized headers, foreign Host/Origin, random bodies and content types, bad
// WebSocket upgrades. The same seed gives the same requests, so a failure replays.

/** mulberry32: small, fast, good enough to pick test inputs. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface FuzzRequest {
  /** The bytes to send as they are. */
  bytes: Buffer;
  /** Half-close after sending (the server sees the end of the stream). */
  end: boolean;
  /** A short description for a failure report. */
  label: string;
}

const SEGMENTS = ['..', '.', '', '%E0%A4%A', '%', '%%', '%zz', '%00', '%2e%2e', '%2F', '%C0%AF', '\\', '~', 'ws', 'api', 'files', '测试', '%E6%B5%8B', 'a'.repeat(300), ';x=1', '?', '#', '*', '%FF%FE'];
const CONTENT_TYPES = ['application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=--x', '', 'application/jsonx', '\u00ff'];
const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'OPTIONS', 'PATCH', 'BREW', 'CONNECT', 'TRACE', 'get', 'P0ST', ''];
const TOKEN = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_';

export function fuzzRequests(seed: number, count: number, opts: { port: number; paths: string[] }): FuzzRequest[] {
  const r = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const int = (n: number) => Math.floor(r() * n);
  const word = (n: number) => Array.from({ length: n }, () => TOKEN[int(TOKEN.length)]).join('');
  const own = `127.0.0.1:${opts.port}`;
  const out: FuzzRequest[] = [];
  for (let i = 0; i < count; i++) {
    let path = pick(opts.paths);
    const extra = int(4);
    for (let k = 0; k < extra; k++) path += (r() < 0.7 ? '/' : '') + pick(SEGMENTS);
    if (r() < 0.1) path = '/' + path; // leading //
    if (r() < 0.05) path = pick(['//', '///', '*', 'http://evil.example/x', '', '/\u0000', '/\r', '//ws']);
    if (r() < 0.2) path += `?${word(3)}=${pick(SEGMENTS)}&ticket=${word(8)}&token=${word(8)}`;
    const method = pick(METHODS);
    const headers: Array<[string, string]> = [];
    const hostRoll = r();
    if (hostRoll < 0.7) headers.push(['host', own]);
    else if (hostRoll < 0.8) headers.push(['host', `localhost:${opts.port}`]);
    else if (hostRoll < 0.9) headers.push(['host', pick(['evil.example', `evil.example:${opts.port}`, '', '127.0.0.1', '[::1', 'a'.repeat(500)])]);
    if (r() < 0.2) headers.push(['origin', pick([`http://${own}`, 'http://evil.example', 'null', '', `https://${own}`])]);
    if (r() < 0.15) headers.push(['connection', 'Upgrade'], ['upgrade', pick(['websocket', 'h2c', 'x'])], ...(r() < 0.5 ? [['sec-websocket-key', pick(['dGhlIHNhbXBsZSBub25jZQ==', '???', ''])] as [string, string]] : []), ...(r() < 0.5 ? [['sec-websocket-version', pick(['13', '8', 'x'])] as [string, string]] : []));
    if (r() < 0.2) headers.push(['authorization', pick(['Bearer ', `Bearer ${word(32)}`, 'Basic x', 'Bearer \u00e9'])]);
    if (r() < 0.1) headers.push(['cookie', `cy_files=${word(20)}; ${word(3)}=${word(5)}`]);
    for (let k = int(4); k > 0; k--) headers.push([`x-${word(1 + int(10))}`, word(int(40))]);
    if (r() < 0.03) headers.push(['x-huge', 'x'.repeat(10_000 + int(80_000))]);
    if (r() < 0.02) for (let k = 0; k < 200; k++) headers.push([`x-many-${k}`, 'y']);
    // The body.
    let body: Buffer = Buffer.alloc(0);
    const b = r();
    if (b < 0.3) body = Buffer.from(JSON.stringify({ username: word(int(12)), password: word(int(12)), [word(3)]: [int(1e6), null, true, word(5)] }));
    else if (b < 0.45) body = Buffer.from(Array.from({ length: int(2000) }, () => int(256)));
    else if (b < 0.55) body = Buffer.from('{"a":'.repeat(int(2000)));
    else if (b < 0.65) body = Buffer.from(`api_key=${word(10)}&service_code=${pick(['0602', '9999', '%E0'])}&lat=${r() * 180 - 90}&long=${r() * 360 - 180}&description=${word(int(100))}`);
    else if (b < 0.67) body = Buffer.alloc(200_000 + int(400_000), 0x61);
    if (body.length || r() < 0.3) headers.push(['content-type', pick(CONTENT_TYPES)]);
    const lenRoll = r();
    if (lenRoll < 0.85) headers.push(['content-length', String(body.length)]);
    else if (lenRoll < 0.9) headers.push(['content-length', pick(['-1', 'abc', '1e3', '99999999999999999999', `${body.length} , ${body.length + 1}`])]);
    else if (lenRoll < 0.95 && body.length) {
      headers.push(['transfer-encoding', 'chunked']);
      body = Buffer.concat([Buffer.from(body.length.toString(16) + '\r\n'), body, Buffer.from('\r\n0\r\n\r\n')]);
    }
    if (r() < 0.9) headers.push(['connection', 'close']);
    const version = r() < 0.95 ? 'HTTP/1.1' : pick(['HTTP/1.0', 'HTTP/2.0', 'HTTP/9', 'HTTX/1.1', '']);
    const head = `${method} ${path} ${version}\r\n${headers.map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`;
    out.push({ bytes: Buffer.concat([Buffer.from(head, 'utf8'), body]), end: r() < 0.5, label: `#${i} ${method} ${JSON.stringify(path).slice(0, 120)}` });
  }
  return out;
}

/** Runs requests `concurrency` at a time; returns each response's status (0: closed without one). */
export async function runAll<T>(items: T[], concurrency: number, fn: (x: T) => Promise<number>): Promise<number[]> {
  const statuses = new Array<number>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const i = next++;
        statuses[i] = await fn(items[i]!);
      }
    }),
  );
  return statuses;
}
