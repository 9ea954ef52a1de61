// `--lan`: the street node serves HTTPS on every address (0.0.0.0) over a real TLS socket — a
// self-signed certificate made once beside the store and reused across restarts, whose SHA-256
// fingerprint is what the node reports (printed, 设置); or, where the street is connected to a
// city, the node certificate the city CA issued. Login and API calls over HTTPS, the Origin check
// with https origins, wss, and plain HTTP on the same port redirected or refused without harm.
import crypto from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createFixture, PASSWORD, tempDir } from '../support/fixture';
import { rawRequest } from '../support/raw';
import { openStreetNode, type StreetNode } from '../../src/main/node';
import { serveNode, type ServedNode } from '../../src/main/host/serve';
import { selfSignedFiles } from '../../src/main/host/tls';
import { silentLogger } from '../../src/main/services/core/log';
import { setSetting } from '../../src/main/services/core/settings';
import { createCa, issueClientCert, issueServerCert } from '../../src/city/pki';

interface Served {
  node: StreetNode;
  host: ServedNode;
  close(): Promise<void>;
}

const renderer = tempDir();
fs.writeFileSync(path.join(renderer, 'index.html'), '<!doctype html><title>城运台</title>');

async function serve(file: string): Promise<Served> {
  const node = await openStreetNode(file, { lan: true, ai: false, sync: false, log: silentLogger });
  // The real LAN mode: every address of the machine, HTTPS.
  const host = await serveNode(node, { storeFile: file, port: 0, lan: true, rendererDir: renderer });
  return { node, host, close: async () => (await host.close(), await node.close()) };
}

/** POST /api/METHOD over HTTPS, verifying the server against `ca` (IP 127.0.0.1 in its subjectAltName). */
function post(port: number, ca: string, method: string, body: unknown, opts: { token?: string; origin?: string } = {}): Promise<{ status: number; body: any; peer: string }> {
  return new Promise((resolve, reject) => {
    const data = JSON.stringify(body);
    const req = https.request(
      {
        host: '127.0.0.1',
        port,
        path: `/api/${method}`,
        method: 'POST',
        ca,
        agent: false,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data), ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}), ...(opts.origin ? { origin: opts.origin } : {}) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const peer = (res.socket as import('node:tls').TLSSocket).getPeerCertificate().fingerprint256;
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')), peer });
        });
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

describe('the LAN host over HTTPS', () => {
  const dir = tempDir();
  const file = path.join(dir, 'street.sqlite');
  let s: Served;
  let fingerprint: string;

  beforeAll(async () => {
    const f = await createFixture(file);
    await f.close();
    s = await serve(file);
  }, 60_000);
  afterAll(async () => s?.close());

  it('serves a self-signed certificate kept beside the store; its fingerprint is the one reported and stored', async () => {
    const tls = s.host.tls!;
    expect(tls.source).toBe('selfSigned');
    expect(s.host.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const files = selfSignedFiles(file);
    expect(tls.certFile).toBe(files.cert);
    expect(fs.statSync(files.key).mode & 0o077).toBe(0);
    const onDisk = new crypto.X509Certificate(fs.readFileSync(files.cert));
    expect(tls.fingerprint).toBe(onDisk.fingerprint256);
    expect(tls.fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    // What a TLS client sees on the socket.
    const r = await rawRequest({ port: s.host.port, tls: true }, `GET / HTTP/1.1\r\nhost: 127.0.0.1:${s.host.port}\r\nconnection: close\r\n\r\n`);
    expect(r.status).toBe(200);
    const cert = fs.readFileSync(files.cert, 'utf8');
    const login = await post(s.host.port, cert, 'session.login', { username: 'operator', password: PASSWORD });
    expect(login.peer).toBe(tls.fingerprint);
    fingerprint = tls.fingerprint;
  });

  it('logs in and answers the API over HTTPS (verified against the certificate); 设置 gets the fingerprint', async () => {
    const cert = fs.readFileSync(selfSignedFiles(file).cert, 'utf8');
    const port = s.host.port;
    const login = await post(port, cert, 'session.login', { username: 'leader', password: PASSWORD }, { origin: `https://127.0.0.1:${port}` });
    expect(login.status).toBe(200);
    const token = login.body.token as string;
    const boot = await post(port, cert, 'meta.bootstrap', {}, { token, origin: `https://127.0.0.1:${port}` });
    expect(boot.status).toBe(200);
    expect(boot.body.settings.tls).toMatchObject({ source: 'selfSigned', fingerprint });
    const list = await post(port, cert, 'tickets.list', { startRow: 0, endRow: 10, sort: [], filter: {} }, { token });
    expect(list.status).toBe(200);
    // The Origin check: an https origin of this host passes, the http one and another site do not.
    expect((await post(port, cert, 'tickets.list', { startRow: 0, endRow: 10, sort: [], filter: {} }, { token, origin: `http://127.0.0.1:${port}` })).body.error.code).toBe('forbiddenOrigin');
    expect((await post(port, cert, 'tickets.list', { startRow: 0, endRow: 10, sort: [], filter: {} }, { token, origin: 'https://evil.example' })).status).toBe(403);
    // wss: the one-time ticket opens the event socket over TLS.
    const ticket = (await post(port, cert, 'session.wsTicket', {}, { token })).body.ticket as string;
    const ws = new WebSocket(`wss://127.0.0.1:${port}/ws?ticket=${ticket}`, { ca: cert, headers: { origin: `https://127.0.0.1:${port}` } });
    await new Promise<void>((resolve, reject) => (ws.once('open', () => resolve()), ws.once('error', reject)));
    ws.close();
  });

  it('plain HTTP on the HTTPS port is redirected or refused, never served, and the host goes on', async () => {
    const port = s.host.port;
    const plain = await rawRequest({ port }, `POST /api/session.login?x=1 HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}`);
    expect(plain.status).toBe(308);
    expect(plain.head).toMatch(new RegExp(`\\r\\nlocation: https://127\\.0\\.0\\.1:${port}/api/session\\.login\\?x=1\\r\\n`, 'i'));
    expect(plain.body).toContain('只接受 HTTPS');
    // A Host that is not this node's: no redirect to it.
    const foreign = await rawRequest({ port }, `GET / HTTP/1.1\r\nhost: evil.example\r\n\r\n`);
    expect(foreign.status).toBe(400);
    expect(foreign.head).not.toMatch(/location/i);
    // Garbage, a bare newline, a byte that looks like TLS but is not, a client that sends nothing.
    expect((await rawRequest({ port }, '\x00\x01\x02garbage\r\n\r\n')).status).toBe(400);
    expect((await rawRequest({ port }, Buffer.from([0x16, 0x03, 0x01, 0x00, 0x05, 1, 2, 3, 4, 5]), 2000)).status).toBe(0);
    expect((await rawRequest({ port }, 'GET / HTTP/1.1\r\nhost: 127.0.0.1', 500)).status).toBe(0);
    const cert = fs.readFileSync(selfSignedFiles(file).cert, 'utf8');
    expect((await post(port, cert, 'session.login', { username: 'operator', password: PASSWORD })).status).toBe(200);
  });

  it('keeps the same certificate across restarts; without --lan it serves plain HTTP and 设置 shows none', async () => {
    await s.close();
    const plainNode = await openStreetNode(file, { ai: false, sync: false, log: silentLogger });
    const plain = await serveNode(plainNode, { storeFile: file, port: 0, rendererDir: renderer });
    expect(plain.url).toMatch(/^http:\/\/127\.0\.0\.1:/);
    expect(plain.tls).toBeNull();
    const r = await fetch(`${plain.url}/api/session.login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'leader', password: PASSWORD }) });
    const token = ((await r.json()) as { token: string }).token;
    const boot = (await (await fetch(`${plain.url}/api/meta.bootstrap`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: '{}' })).json()) as { settings: { tls: unknown } };
    expect(boot.settings.tls).toBeNull();
    await plain.close();
    await plainNode.close();
    s = await serve(file);
    expect(s.host.tls!.fingerprint).toBe(fingerprint);
  }, 60_000);

  it('connected to a city: serves the node certificate the city CA issued; one from another CA is not used', async () => {
    await s.close();
    const ca = createCa();
    const pki = path.join(dir, 'pki');
    fs.mkdirSync(pki);
    const street = issueClientCert(ca, '410105001', 'street');
    const node = issueServerCert(ca, ['127.0.0.1', 'localhost']);
    fs.writeFileSync(path.join(pki, 'ca.crt'), ca.caCert);
    fs.writeFileSync(path.join(pki, '410105001.crt'), street.cert);
    fs.writeFileSync(path.join(pki, '410105001.key'), street.key);
    fs.writeFileSync(path.join(pki, '410105001.node.crt'), node.cert);
    fs.writeFileSync(path.join(pki, '410105001.node.key'), node.key);
    const cfg = { url: 'https://127.0.0.1:1', caFile: path.join(pki, 'ca.crt'), certFile: path.join(pki, '410105001.crt'), keyFile: path.join(pki, '410105001.key') };
    {
      const f = await openStreetNode(file, { ai: false, sync: false, log: silentLogger });
      await setSetting(f.ctx.store.db, 'sync.city', cfg);
      await f.close();
    }
    s = await serve(file);
    expect(s.host.tls).toMatchObject({ source: 'city', certFile: path.join(pki, '410105001.node.crt'), fingerprint: new crypto.X509Certificate(node.cert).fingerprint256 });
    // A LAN client that trusts the city CA verifies the node without any exception.
    const login = await post(s.host.port, ca.caCert, 'session.login', { username: 'operator', password: PASSWORD });
    expect(login.status).toBe(200);
    expect(login.peer).toBe(s.host.tls!.fingerprint);
    await s.close();

    // A node certificate from another CA (or a client certificate) is refused: self-signed again.
    const other = createCa();
    const forged = issueServerCert(other, ['127.0.0.1']);
    fs.writeFileSync(path.join(pki, '410105001.node.crt'), forged.cert);
    fs.writeFileSync(path.join(pki, '410105001.node.key'), forged.key);
    s = await serve(file);
    expect(s.host.tls).toMatchObject({ source: 'selfSigned', fingerprint });
    await s.close();
    fs.writeFileSync(path.join(pki, '410105001.node.crt'), street.cert);
    fs.writeFileSync(path.join(pki, '410105001.node.key'), street.key);
    s = await serve(file);
    expect(s.host.tls).toMatchObject({ source: 'selfSigned', fingerprint });
  }, 60_000);
});
