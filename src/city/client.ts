// An HTTPS JSON client holding a client certificate and pinning the city CA (used by the city
// operator CLI, the tests and the benchmarks; the street's own sync client has its own in src/main/sync).

import https from 'node:https';

export interface TlsCredential {
  ca: string | Buffer;
  cert: string | Buffer;
  key: string | Buffer;
}

export class HttpsJson {
  readonly agent: https.Agent;
  constructor(readonly baseUrl: string, cred: TlsCredential, private headers: Record<string, string> = {}) {
    this.agent = new https.Agent({ ca: cred.ca, cert: cred.cert, key: cred.key, keepAlive: true, maxSockets: 8 });
  }

  request<T>(method: 'GET' | 'POST', path: string, body?: unknown, timeoutMs = 30_000): Promise<{ status: number; body: T }> {
    return new Promise((resolve, reject) => {
      // A Buffer goes as raw bytes (a model bundle); anything else as JSON.
      const raw = Buffer.isBuffer(body);
      const data = body === undefined ? undefined : raw ? body : Buffer.from(JSON.stringify(body));
      const req = https.request(
        new URL(path, this.baseUrl),
        {
          method,
          agent: this.agent,
          headers: { accept: 'application/json', ...this.headers, ...(data ? { 'content-type': raw ? 'application/octet-stream' : 'application/json', 'content-length': data.length } : {}) },
          timeout: timeoutMs,
        },
        (res) => {
          const parts: Buffer[] = [];
          res.on('data', (c: Buffer) => parts.push(c));
          res.on('end', () => {
            const text = Buffer.concat(parts).toString('utf8');
            let parsed: unknown = text;
            try {
              parsed = text ? JSON.parse(text) : null;
            } catch {
              /* keep text */
            }
            resolve({ status: res.statusCode ?? 0, body: parsed as T });
          });
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`timeout after ${timeoutMs} ms`)));
      req.on('error', reject);
      req.end(data);
    });
  }

  async json<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const r = await this.request<T>(method, path, body);
    if (r.status !== 200) throw new Error(`${method} ${path}: HTTP ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  }

  close(): void {
    this.agent.destroy();
  }
}
