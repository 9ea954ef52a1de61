// The certificate the node's host serves the LAN with (`--lan`), in this order:
//
//   1. issued by the city CA, where the street is connected to a city: the node certificate the
//      city issued beside the street's client certificate (`city -- add-street CODE --node-hosts
//      IP,…` writes `streets/CODE.node.crt` and `.node.key`; the node looks for `<cert>.node.crt`
//      and `<cert>.node.key` beside the street certificate named in the sync settings). It is used
//      only when it chains to the city CA of the sync settings, is valid now, is for server
//      authentication, and matches its key; otherwise the node says why and falls back to
//   2. a self-signed certificate made once and kept beside the store (`<store>.tls/node.crt`,
//      `node.key`, mode 0600), reused across restarts; LAN clients check its SHA-256 fingerprint,
//      printed at start and shown in 设置.
//
// What the node serves is kept in the setting `host.tls` for 设置 (and cleared when it serves only
// 127.0.0.1 over plain HTTP).

import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import forge from 'node-forge';
import type { HostTlsInfo } from '../../shared/api/types';
import type { NodeContext } from '../services/core/context';
import { getSetting, setSetting } from '../services/core/settings';
import { CITY_CONFIG_KEY, type CityConfig } from '../sync/manager';

export interface TlsCredential extends HostTlsInfo {
  cert: string;
  key: string;
  /** Where the certificate was read from. */
  certFile: string;
}

export const HOST_TLS_KEY = 'host.tls';
const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
const YEAR = 365 * 24 * 3600_000;

/** The files of the self-signed certificate kept beside the store. */
export function selfSignedFiles(storeFile: string) {
  const dir = `${storeFile}.tls`;
  return { dir, cert: path.join(dir, 'node.crt'), key: path.join(dir, 'node.key') };
}

/** The city-issued node certificate's files beside the street's certificate. */
export function cityNodeFiles(certFile: string) {
  const base = certFile.replace(/\.(crt|pem|cer)$/i, '');
  return { cert: `${base}.node.crt`, key: `${base}.node.key` };
}

/** The machine's own names: what the certificate's subjectAltName lists. */
export function localNames(): string[] {
  const names = new Set(['localhost', '127.0.0.1', '::1']);
  const host = os.hostname();
  if (/^[A-Za-z0-9.-]{1,253}$/.test(host)) names.add(host.toLowerCase());
  for (const list of Object.values(os.networkInterfaces())) for (const a of list ?? []) if (!a.internal || a.family === 'IPv4') names.add(a.address.split('%')[0]!);
  return [...names];
}

function describe(x: crypto.X509Certificate): Pick<HostTlsInfo, 'fingerprint' | 'subject' | 'issuer' | 'notAfter'> {
  return { fingerprint: x.fingerprint256, subject: x.subject.replace(/\n/g, ', '), issuer: x.issuer.replace(/\n/g, ', '), notAfter: new Date(x.validTo).toISOString() };
}

/** Why a certificate and key cannot serve this node now (or null when they can). */
export function unusable(cert: string, key: string, now: number, ca?: string): string | null {
  let x: crypto.X509Certificate;
  try {
    x = new crypto.X509Certificate(cert);
  } catch {
    return '证书文件无法解析';
  }
  if (Date.parse(x.validFrom) > now || Date.parse(x.validTo) < now) return `证书不在有效期内（${x.validFrom} – ${x.validTo}）`;
  try {
    if (!x.checkPrivateKey(crypto.createPrivateKey(key))) return '私钥与证书不匹配';
  } catch {
    return '私钥文件无法解析';
  }
  if (ca !== undefined) {
    let c: crypto.X509Certificate;
    try {
      c = new crypto.X509Certificate(ca);
    } catch {
      return '市级CA证书无法解析';
    }
    if (!x.checkIssued(c) || !x.verify(c.publicKey)) return '证书不是由市级CA签发的';
    const eku = x.keyUsage;
    if (eku && !eku.includes(SERVER_AUTH)) return '证书不能用于服务器身份认证（缺少 serverAuth）';
  }
  return null;
}

/** Makes a self-signed server certificate (RSA 2048, SHA-256) for `names`. */
export function makeSelfSigned(names: string[], now: number, label: string): { cert: string; key: string } {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  cert.serialNumber = '01' + crypto.randomBytes(15).toString('hex');
  cert.validity.notBefore = new Date(now - 24 * 3600_000);
  cert.validity.notAfter = new Date(now + 5 * YEAR);
  const subject = [
    { name: 'commonName', value: label },
    { name: 'organizationName', value: 'Chengyun Desk street node (self-signed)' },
  ];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: names.map((n) => (/^[\d.]+$/.test(n) || n.includes(':') ? { type: 7, ip: n } : { type: 2, value: n })) },
  ]);
  const keyPem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  cert.sign(forge.pki.privateKeyFromPem(keyPem), forge.md.sha256.create());
  return { cert: forge.pki.certificateToPem(cert), key: keyPem };
}

async function fromCity(ctx: NodeContext): Promise<TlsCredential | null> {
  const cfg = (await getSetting(ctx.store.db, CITY_CONFIG_KEY)) as CityConfig | null | undefined;
  if (!cfg?.url || !cfg.certFile || !cfg.caFile) return null;
  const files = cityNodeFiles(cfg.certFile);
  if (!fs.existsSync(files.cert) && !fs.existsSync(files.key)) {
    ctx.log.info('no city-issued node certificate beside the street certificate: self-signed', { looked: files.cert });
    return null;
  }
  let cert: string, key: string, ca: string;
  try {
    [cert, key, ca] = [fs.readFileSync(files.cert, 'utf8'), fs.readFileSync(files.key, 'utf8'), fs.readFileSync(cfg.caFile, 'utf8')];
  } catch (err) {
    ctx.log.warn('city node certificate not readable: self-signed instead', { cert: files.cert, error: String(err) });
    return null;
  }
  const why = unusable(cert, key, ctx.now(), ca);
  if (why) {
    ctx.log.warn('city node certificate not used: self-signed instead', { cert: files.cert, reason: why });
    return null;
  }
  return { cert, key, certFile: files.cert, source: 'city', ...describe(new crypto.X509Certificate(cert)) };
}

function selfSigned(ctx: NodeContext, storeFile: string, label: string): TlsCredential {
  const f = selfSignedFiles(storeFile);
  if (fs.existsSync(f.cert) && fs.existsSync(f.key)) {
    const cert = fs.readFileSync(f.cert, 'utf8');
    const key = fs.readFileSync(f.key, 'utf8');
    const why = unusable(cert, key, ctx.now());
    if (!why) return { cert, key, certFile: f.cert, source: 'selfSigned', ...describe(new crypto.X509Certificate(cert)) };
    // Expired or damaged: replaced (the fingerprint changes; it is printed and shown again).
    ctx.log.warn('self-signed node certificate replaced', { cert: f.cert, reason: why });
  }
  const made = makeSelfSigned(localNames(), ctx.now(), label);
  fs.mkdirSync(f.dir, { recursive: true, mode: 0o700 });
  fs.writeFileSync(f.key, made.key, { mode: 0o600 });
  fs.writeFileSync(f.cert, made.cert, { mode: 0o644 });
  const info = describe(new crypto.X509Certificate(made.cert));
  ctx.log.info('self-signed node certificate made', { cert: f.cert, fingerprint: info.fingerprint });
  return { ...made, certFile: f.cert, source: 'selfSigned', ...info };
}

/** The certificate to serve the LAN with (see the top of this file), recorded for 设置. */
export async function nodeTlsCredential(ctx: NodeContext, storeFile: string): Promise<TlsCredential> {
  const street = await ctx.store.db.selectFrom('street').select(['code']).executeTakeFirst();
  const cred = (await fromCity(ctx)) ?? selfSigned(ctx, storeFile, `chengyun-node-${street?.code ?? 'street'}`);
  const info: HostTlsInfo = { source: cred.source, fingerprint: cred.fingerprint, subject: cred.subject, issuer: cred.issuer, notAfter: cred.notAfter };
  await setSetting(ctx.store.db, HOST_TLS_KEY, info);
  return cred;
}

/** The node serves only 127.0.0.1 over plain HTTP: nothing for 设置 to show. */
export async function clearTlsInfo(ctx: NodeContext): Promise<void> {
  if ((await getSetting(ctx.store.db, HOST_TLS_KEY)) != null) await setSetting(ctx.store.db, HOST_TLS_KEY, null);
}
