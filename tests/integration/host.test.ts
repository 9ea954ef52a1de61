// The LAN host over real HTTP and WebSocket: same contract, same errors, change events, files.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Host } from '../../src/main/host/httpHost';
import { PASSWORD, PNG_1x1 } from '../support/fixture';
import { startTestHost, type TestHost } from '../support/host';
import { rawGet } from '../support/raw';

let t: TestHost;
let host: Host;
let post: TestHost['post'];

beforeAll(async () => {
  t = await startTestHost();
  ({ host, post } = t);
});
afterAll(async () => {
  await t.close();
});

describe('HTTP host', () => {
  it('binds to loopback and serves the renderer with a CSP', async () => {
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const r = await fetch(host.url + '/');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(await r.text()).toContain('城运台');
    // fetch would normalise `..` away: the raw path goes through a socket.
    for (const target of ['/../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/..%2f..%2f..%2fetc%2fpasswd']) {
      const r = await rawGet({ port: host.port }, target);
      expect(r.status, target).toBe(404);
      expect(r.body).not.toContain('root:');
    }
  });

  it('logs in, creates, lists; errors come back in Chinese with status codes', async () => {
    expect((await post('tickets.list', { startRow: 0, endRow: 10 })).status).toBe(401);
    const bad = await post('session.login', { username: 'operator', password: 'nope' });
    expect(bad).toMatchObject({ status: 401, body: { error: { code: 'badLogin', message: '用户名或密码错误' } } });
    const { body: login } = await post('session.login', { username: 'operator', password: PASSWORD });
    const token = login.token as string;
    expect(login.user).toMatchObject({ username: 'operator', role: 'operator' });

    const invalid = await post('tickets.create', { channel: 'hotline12345', type: 'complaint', description: '短', address: '经八路' }, token);
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.issues[0]).toMatchObject({ path: 'description', message: '问题描述至少5个字' });
    expect((await post('tickets.create', '{not json', token)).body.error.code).toBe('badJson');
    expect((await post('no.such', {}, token)).status).toBe(404);

    const created = await post('tickets.create', { channel: 'hotline12345', type: 'complaint', description: '经八路路灯不亮三天了', address: '经八路与纬三路交叉口' }, token);
    expect(created.status).toBe(200);
    const list = await post('tickets.list', { startRow: 0, endRow: 10, filter: { q: '路灯' } }, token);
    expect(list.body.rows.map((r: any) => r.id)).toEqual([created.body.ticket.id]);
  });

  it('pushes ticket changes over WebSocket and serves attachments to sessions only', async () => {
    const { body: login } = await post('session.login', { username: 'operator', password: PASSWORD });
    const token = login.token as string;
    const ws = async (query: string) => {
      const sock = new WebSocket(`${host.url.replace('http', 'ws')}/ws${query}`);
      return new Promise<WebSocket>((resolve, reject) => {
        sock.on('open', () => resolve(sock));
        sock.on('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
        sock.on('error', reject);
      });
    };
    // The token never opens the socket from a URL; a one-time ticket does, once.
    await expect(ws(`?token=${token}`)).rejects.toThrow('HTTP 401');
    await expect(ws('?ticket=bad')).rejects.toThrow('HTTP 401');
    const { body: t1 } = await post('session.wsTicket', {}, token);
    expect(t1.expiresInS).toBeLessThanOrEqual(60);
    const socket = await ws(`?ticket=${t1.ticket}`);
    await expect(ws(`?ticket=${t1.ticket}`)).rejects.toThrow('HTTP 401');
    expect((await post('session.wsTicket', {})).status).toBe(401);

    const got = new Promise<any>((resolve) => socket.on('message', (m) => resolve(JSON.parse(String(m)))));
    const up = await post('attachments.upload', { name: 'a.png', mime: 'image/png', dataBase64: PNG_1x1.toString('base64') }, token);
    const created = await post('tickets.create', { channel: 'walkIn', type: 'help', description: '独居老人家中水管爆裂', address: '省委社区3号楼', photos: [up.body.sha256] }, token);
    expect(await got).toMatchObject({ type: 'ticket.changed', id: created.body.ticket.id });
    socket.close();

    // Images: the login's HttpOnly cookie (path /files) or a bearer header, never a URL token.
    const cookie = login.cookie as string;
    expect(cookie).toMatch(/^cy_files=[\w-]+; Path=\/files; HttpOnly; SameSite=Strict$/);
    expect((await fetch(`${host.url}/files/${up.body.sha256}?token=${token}`)).status).toBe(401);
    expect((await fetch(`${host.url}/api/session.me`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: cookie.split(';')[0]! } })).status).toBe(401);
    const file = await fetch(`${host.url}/files/${up.body.sha256}`, { headers: { cookie: cookie.split(';')[0]! } });
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await file.arrayBuffer()).equals(PNG_1x1)).toBe(true);
    expect((await fetch(`${host.url}/files/${up.body.sha256}`)).status).toBe(401);
  });
});
