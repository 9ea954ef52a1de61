// HTTPS to the city: the city's CA pinned (nothing else is trusted), the street's client
// certificate presented, JSON requests and the Server-Sent Events live channel.

import https from 'node:https';

export interface CityCredential {
  url: string;
  ca: Buffer | string;
  cert: Buffer | string;
  key: Buffer | string;
  streetCode: string;
}

export class HttpError extends Error {
  constructor(public status: number, public body: unknown) {
    super(`HTTP ${status}: ${typeof body === 'string' ? body : JSON.stringify(body)}`);
  }
}

export class CityTransport {
  private agent: https.Agent;
  constructor(private cred: CityCredential, private timeoutMs = 60_000) {
    this.agent = new https.Agent({ ca: cred.ca, cert: cred.cert, key: cred.key, keepAlive: true, maxSockets: 4 });
  }

  json<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    return this.send<T>(method, path, body === undefined ? undefined : Buffer.from(JSON.stringify(body)), 'application/json');
  }

  /** POSTs raw bytes (a chunk of a photo). */
  bytes<T>(path: string, data: Buffer): Promise<T> {
    return this.send<T>('POST', path, data, 'application/octet-stream');
  }

  /** GETs raw bytes (a model file fetched by its content address). */
  getBytes(path: string): Promise<Buffer> {
    return this.send<Buffer>('GET', path, undefined, '', true);
  }

  private send<T>(method: 'GET' | 'POST', path: string, data: Buffer | undefined, contentType: string, rawReply = false): Promise<T> {
    return new Promise((resolve, reject) => {
      const req = https.request(
        new URL(path, this.cred.url),
        {
          method,
          agent: this.agent,
          headers: {
            accept: 'application/json',
            'x-street-code': this.cred.streetCode,
            ...(data ? { 'content-type': contentType, 'content-length': data.length } : {}),
          },
        },
        (res) => {
          const parts: Buffer[] = [];
          res.on('data', (c: Buffer) => parts.push(c));
          res.on('end', () => {
            const bytes = Buffer.concat(parts);
            if (rawReply && res.statusCode === 200) return resolve(bytes as T);
            const text = bytes.toString('utf8');
            let parsed: unknown = text;
            try {
              parsed = JSON.parse(text);
            } catch {
              /* not JSON */
            }
            if (res.statusCode === 200 && typeof parsed === 'object') resolve(parsed as T);
            else reject(new HttpError(res.statusCode ?? 0, parsed));
          });
          res.on('error', reject);
          res.on('aborted', () => reject(new Error('response aborted')));
        },
      );
      // A deadline for the whole exchange (a stalled link sends nothing, so idle timers alone are not enough).
      const timer = setTimeout(() => req.destroy(new Error(`no answer from the city within ${this.timeoutMs} ms`)), this.timeoutMs);
      req.on('close', () => clearTimeout(timer));
      req.on('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      req.end(data);
    });
  }

  /** Opens the live channel; calls onEvent per SSE event; resolves when the stream ends. */
  live(path: string, onEvent: (event: string, data: string) => void, onOpen?: () => void): { done: Promise<void>; close: () => void } {
    let req: ReturnType<typeof https.request> | null = null;
    const done = new Promise<void>((resolve, reject) => {
      req = https.request(new URL(path, this.cred.url), {
        method: 'GET',
        // A dedicated connection: the stream stays open.
        agent: new https.Agent({ ca: this.cred.ca, cert: this.cred.cert, key: this.cred.key, keepAlive: false }),
        headers: { accept: 'text/event-stream', 'x-street-code': this.cred.streetCode },
      }, (res) => {
        if (res.statusCode !== 200) {
          res.resume();
          reject(new HttpError(res.statusCode ?? 0, 'live channel refused'));
          return;
        }
        onOpen?.();
        res.setEncoding('utf8');
        let buf = '';
        res.on('data', (chunk: string) => {
          buf += chunk;
          let i: number;
          while ((i = buf.indexOf('\n\n')) >= 0) {
            const frame = buf.slice(0, i);
            buf = buf.slice(i + 2);
            let event = 'message';
            const data: string[] = [];
            for (const line of frame.split('\n')) {
              if (line.startsWith('event:')) event = line.slice(6).trim();
              else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
            }
            if (data.length) onEvent(event, data.join('\n'));
          }
        });
        res.on('end', () => resolve());
        res.on('error', reject);
        res.on('aborted', () => resolve());
      });
      req.on('error', reject);
      // Stalled: no heartbeat for 45 s.
      req.setTimeout(45_000, () => req?.destroy(new Error('live channel stalled')));
      req.end();
    });
    return { done, close: () => req?.destroy() };
  }

  close(): void {
    this.agent.destroy();
  }
}
