// The street node's host against hostile requests over raw sockets: the three known crashers
// (bad percent-encoding, `//`, a WebSocket upgrade to `//`) and their kin get a 4xx and the node
// goes on answering; Host/Origin checks (DNS rebinding); JSON routes read only application/json.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHost, type TestHost } from '../support/host';
import { rawGet, rawRequest } from '../support/raw';
import { PASSWORD } from '../support/fixture';

let t: TestHost;
let port: number;
const unhandled: unknown[] = [];
const onUnhandled = (e: unknown) => unhandled.push(e);

beforeAll(async () => {
  process.on('uncaughtException', onUnhandled);
  process.on('unhandledRejection', onUnhandled);
  t = await startTestHost();
  port = t.host.port;
});
afterAll(async () => {
  process.off('uncaughtException', onUnhandled);
  process.off('unhandledRejection', onUnhandled);
  await t.close();
});

async function stillAnswers() {
  const r = await t.post('session.login', { username: 'operator', password: PASSWORD });
  expect(r.status).toBe(200);
  expect(unhandled).toEqual([]);
}

const upgrade = (target: string, extra = '') =>
  `GET ${target} HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\nconnection: Upgrade\r\nupgrade: websocket\r\nsec-websocket-version: 13\r\nsec-websocket-key: dGhlIHNhbXBsZSBub25jZQ==\r\n${extra}\r\n`;

describe('node host: known crashers', () => {
  it('GET /%E0%A4%A gets 400 and the node goes on', async () => {
    const r = await rawGet({ port }, '/%E0%A4%A');
    expect(r.status).toBe(400);
    expect(r.body).toContain('地址');
    await stillAnswers();
  });

  it('GET // gets a 4xx and the node goes on', async () => {
    const r = await rawGet({ port }, '//');
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect(r.status).toBeLessThan(500);
    for (const target of ['//api/session.me', '///', '//x//y', '/api/%E0%A4%A', '/files/%E0%A4%A', 'http://evil/', '*', '/\u0000'])
      expect((await rawGet({ port }, target)).status, target).toBeLessThan(500);
    await stillAnswers();
  });

  it('a WebSocket upgrade to // (or with garbage headers) is refused and the node goes on', async () => {
    const r = await rawRequest({ port }, upgrade('//'));
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect((await rawRequest({ port }, upgrade('/ws?ticket=%E0%A4%A'))).status).toBe(401);
    expect((await rawRequest({ port }, `GET /ws HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\nconnection: Upgrade\r\nupgrade: websocket\r\nsec-websocket-key: ???\r\n\r\n`)).status).toBeGreaterThanOrEqual(400);
    expect((await rawRequest({ port }, `GET %%% HTTP/1.1\r\nhost: x\r\nconnection: Upgrade\r\nupgrade: websocket\r\n\r\n`)).status).toBeGreaterThanOrEqual(400);
    await stillAnswers();
  });

  it('path traversal through the raw path finds nothing', async () => {
    for (const target of ['/../../etc/passwd', '/..%2F..%2Fetc%2Fpasswd', '/%2e%2e/%2e%2e/etc/passwd', '/assets/../../../etc/passwd', '/..\\..\\etc\\passwd']) {
      const r = await rawGet({ port }, target);
      expect(r.status, target).toBeGreaterThanOrEqual(400);
      expect(r.body, target).not.toContain('root:');
    }
  });

  it('absurd headers, unknown methods, bad bodies: 4xx, never a crash', async () => {
    const big = 'x'.repeat(70_000);
    expect((await rawGet({ port }, '/', { 'x-big': big })).status).toBe(431);
    expect((await rawRequest({ port }, `BREW /api/session.login HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\nconnection: close\r\n\r\n`)).status).toBeGreaterThanOrEqual(400);
    const put = await rawRequest({ port }, `PUT /api/session.login HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\ncontent-type: application/json\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}`);
    expect(put.status).toBe(405);
    expect(JSON.parse(put.body).error.message).toBe('请求方式不正确');
    const notJson = await rawRequest({ port }, `POST /api/session.login HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\ncontent-type: application/json\r\ncontent-length: 5\r\nconnection: close\r\n\r\n{nope`);
    expect(notJson.status).toBe(400);
    expect(JSON.parse(notJson.body).error.code).toBe('badJson');
    expect((await rawRequest({ port }, `POST /api/session.login HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\ncontent-length: abc\r\n\r\n`)).status).toBe(400);
    await stillAnswers();
  });

  it('a body over the limit gets a 413 the client actually reads', async () => {
    const body = JSON.stringify({ username: 'operator', password: 'x'.repeat(17 * 1024 * 1024) });
    const r = await fetch(`${t.host.url}/api/session.login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(r.status).toBe(413);
    expect(((await r.json()) as any).error.message).toContain('过大');
    await stillAnswers();
  });
});

describe('node host: Host and Origin (DNS rebinding), content type', () => {
  const login = (headers: Record<string, string>) =>
    rawRequest(
      { port },
      `POST /api/session.login HTTP/1.1\r\n${Object.entries({ host: `127.0.0.1:${port}`, 'content-type': 'application/json', connection: 'close', ...headers })
        .map(([k, v]) => `${k}: ${v}\r\n`)
        .join('')}content-length: ${Buffer.byteLength(JSON.stringify({ username: 'operator', password: PASSWORD }))}\r\n\r\n${JSON.stringify({ username: 'operator', password: PASSWORD })}`,
    );

  it('answers its own names: 127.0.0.1, localhost, [::1] with its port', async () => {
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST:${port}`, `[::1]:${port}`]) expect((await login({ host })).status, host).toBe(200);
    expect((await login({ origin: `http://127.0.0.1:${port}` })).status).toBe(200);
    expect((await login({ host: `localhost:${port}`, origin: `http://localhost:${port}` })).status).toBe(200);
  });

  it('refuses a foreign Host (a rebound DNS name) and a foreign Origin with 403 in Chinese', async () => {
    for (const host of [`evil.example:${port}`, 'evil.example', `127.0.0.1:${port + 1}`, `127.0.0.1`, '']) {
      const r = await login({ host });
      expect(r.status, host).toBe(403);
      expect(JSON.parse(r.body).error.message).toMatch(/[\u4e00-\u9fa5]/);
    }
    for (const origin of ['http://evil.example', `http://evil.example:${port}`, 'null', `https://127.0.0.1:${port}`]) expect((await login({ origin })).status, origin).toBe(403);
    // The WebSocket too.
    expect((await rawRequest({ port }, upgrade('/ws', 'origin: http://evil.example\r\n'))).status).toBe(403);
    expect((await rawRequest({ port }, upgrade('/ws').replace(`host: 127.0.0.1:${port}`, 'host: evil.example'))).status).toBe(403);
    // Static files are not guarded (nothing private), so the page still loads for the error message.
    expect((await rawGet({ port }, '/', { host: 'evil.example' })).status).toBe(200);
  });

  it('JSON routes read only application/json (415 otherwise)', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const r = await login({ 'content-type': type });
      expect(r.status, type).toBe(415);
      expect(JSON.parse(r.body).error.message).toContain('application/json');
    }
    const none = await rawRequest({ port }, `POST /api/session.login HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}`);
    expect(none.status).toBe(415);
    expect((await login({ 'content-type': 'application/json; charset=utf-8' })).status).toBe(200);
  });
});
