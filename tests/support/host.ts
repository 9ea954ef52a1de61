// A street node behind the real LAN host (HTTP + WebSocket) for tests: a fixture store, a stand-in
// renderer page, and helpers that call the API the way a browser does.
import fs from 'node:fs';
import path from 'node:path';
import { startHost, type Host } from '../../src/main/host/httpHost';
import { createFixture, PASSWORD, tempDir, type Fixture } from './fixture';

export interface TestHost {
  f: Fixture;
  host: Host;
  /** POSTs to /api/METHOD (a string body is sent as it is); returns the status and parsed body. */
  post(method: string, body: unknown, token?: string): Promise<{ status: number; body: any }>;
  /** Logs in over HTTP; returns the session token. */
  login(username: string): Promise<string>;
  close(): Promise<void>;
}

export async function startTestHost(): Promise<TestHost> {
  const f = await createFixture();
  const renderer = tempDir();
  fs.writeFileSync(path.join(renderer, 'index.html'), '<!doctype html><title>城运台</title>');
  const host = await startHost(f.ctx, f.api, { port: 0, rendererDir: renderer });
  const post: TestHost['post'] = async (method, body, token) => {
    const r = await fetch(`${host.url}/api/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    const out = (await r.json()) as any;
    // The file cookie set at login, for tests that read attachments as a browser does.
    if (method === 'session.login' && r.headers.get('set-cookie')) out.cookie = r.headers.get('set-cookie');
    return { status: r.status, body: out };
  };
  return {
    f,
    host,
    post,
    login: async (username) => (await post('session.login', { username, password: PASSWORD })).body.token as string,
    close: async () => {
      await host.close();
      await f.close();
    },
  };
}
