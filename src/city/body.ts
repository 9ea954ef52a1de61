// Reading request bodies on the city server with a limit. A body over the limit is read to its end
// and thrown away (up to MAX_DRAIN) before the refusal is sent, so a client still sending receives
// its 413 instead of a connection reset; past MAX_DRAIN the connection is cut.

import type http from 'node:http';

export const MAX_DRAIN = 64 * 1024 * 1024;

export class BodyTooLarge extends Error {
  constructor(readonly max: number, readonly size: number) {
    super(`request body over ${max} bytes`);
  }
}

export class BodyAborted extends Error {
  constructor() {
    super('request body not received in full');
  }
}

export function readLimited(req: http.IncomingMessage, max: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_DRAIN) return reject(new BodyTooLarge(max, declared));
    const parts: Buffer[] = [];
    let n = 0;
    let over = declared > max;
    req.on('data', (c: Buffer) => {
      n += c.length;
      if (n > MAX_DRAIN) return void req.destroy();
      if (n > max) over = true;
      if (over) parts.length = 0;
      else parts.push(c);
    });
    req.on('end', () => (over ? reject(new BodyTooLarge(max, n)) : resolve(Buffer.concat(parts))));
    req.on('error', reject);
    req.on('close', () => reject(new BodyAborted()));
  });
}

/** A request target's path and query, or null for `//`, absolute URLs, `*` and the like. */
export function parseTarget(target: string | undefined, base = 'https://city.invalid'): URL | null {
  if (!target || target[0] !== '/' || target[1] === '/' || target[1] === '\\') return null;
  try {
    return new URL(target, base);
  } catch {
    return null;
  }
}
