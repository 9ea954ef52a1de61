// The city's small PKI: its own CA, the server certificate, and one client certificate per street
// (subject CN = street code, OU = street) plus one for city operators (OU = admin). Keys are made by
// Node's crypto (fast, native); certificates are built and signed with node-forge.

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import forge from 'node-forge';

export interface Pki {
  dir: string;
  caCert: string;
  caKey: string;
}

export interface Credential {
  cert: string;
  key: string;
}

const YEAR = 365 * 24 * 3600 * 1000;

function rsaKeys(): { privatePem: string; publicPem: string } {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privatePem: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

function serial(): string {
  // Positive, 16 random bytes.
  return '01' + crypto.randomBytes(15).toString('hex');
}

function buildCert(opts: {
  subject: forge.pki.CertificateField[];
  publicPem: string;
  issuer: forge.pki.CertificateField[];
  signKeyPem: string;
  years: number;
  extensions: unknown[];
}): string {
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(opts.publicPem);
  cert.serialNumber = serial();
  const now = Date.now();
  cert.validity.notBefore = new Date(now - 24 * 3600 * 1000); // tolerate clock skew
  cert.validity.notAfter = new Date(now + opts.years * YEAR);
  cert.setSubject(opts.subject);
  cert.setIssuer(opts.issuer);
  cert.setExtensions(opts.extensions as any[]);
  cert.sign(forge.pki.privateKeyFromPem(opts.signKeyPem), forge.md.sha256.create());
  return forge.pki.certificateToPem(cert);
}

const CA_SUBJECT: forge.pki.CertificateField[] = [
  { name: 'commonName', value: 'Chengyun City Center CA' },
  { name: 'organizationName', value: 'City Operations Center' },
];

/** Creates a new CA (certificate + key) in memory. */
export function createCa(subject = CA_SUBJECT): { caCert: string; caKey: string } {
  const k = rsaKeys();
  const caCert = buildCert({
    subject,
    issuer: subject,
    publicPem: k.publicPem,
    signKeyPem: k.privatePem,
    years: 10,
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    ],
  });
  return { caCert, caKey: k.privatePem };
}

function issuerOf(caCert: string): forge.pki.CertificateField[] {
  return forge.pki.certificateFromPem(caCert).subject.attributes.map((a) => ({ name: a.name, type: a.type, value: a.value }) as forge.pki.CertificateField);
}

export function issueServerCert(ca: { caCert: string; caKey: string }, hosts: string[]): Credential {
  const k = rsaKeys();
  const altNames = hosts.map((h) => (/^[\d.]+$/.test(h) || h.includes(':') ? { type: 7, ip: h } : { type: 2, value: h }));
  const cert = buildCert({
    subject: [{ name: 'commonName', value: hosts[0] ?? 'localhost' }, { name: 'organizationalUnitName', value: 'server' }],
    issuer: issuerOf(ca.caCert),
    publicPem: k.publicPem,
    signKeyPem: ca.caKey,
    years: 5,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames },
    ],
  });
  return { cert, key: k.privatePem };
}

/** External intake platforms with a certificate of their own (OU = the role). */
export const INTAKE_CLIENT_ROLES = ['zhenghaopai', 'digitalCity'] as const;
export type IntakeClientRole = (typeof INTAKE_CLIENT_ROLES)[number];

/**
 * A client certificate: `role` is 'street' (CN = street code), 'admin' (a city operator) or
 * 'district' (a district operations center, CN = its 6-digit division code) or 'police110' (the
 * police dispatch system that transfers non-police calls, CN = its name).
 */
export function issueClientCert(ca: { caCert: string; caKey: string }, cn: string, role: 'street' | 'admin' | 'district' | 'police110' | IntakeClientRole): Credential {
  const k = rsaKeys();
  const cert = buildCert({
    subject: [{ name: 'commonName', value: cn }, { name: 'organizationalUnitName', value: role }],
    issuer: issuerOf(ca.caCert),
    publicPem: k.publicPem,
    signKeyPem: ca.caKey,
    years: 3,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', clientAuth: true },
    ],
  });
  return { cert, key: k.privatePem };
}

export const STREET_CODE_RE = /^[A-Za-z0-9_-]{1,32}$/;

export function pkiPaths(dataDir: string) {
  const dir = path.join(dataDir, 'pki');
  return {
    dir,
    caCert: path.join(dir, 'ca.crt'),
    caKey: path.join(dir, 'ca.key'),
    serverCert: path.join(dir, 'server.crt'),
    serverKey: path.join(dir, 'server.key'),
    adminCert: path.join(dir, 'admin.crt'),
    adminKey: path.join(dir, 'admin.key'),
    street: (code: string) => ({ cert: path.join(dir, 'streets', `${code}.crt`), key: path.join(dir, 'streets', `${code}.key`) }),
    district: (code: string) => ({ cert: path.join(dir, 'districts', `${code}.crt`), key: path.join(dir, 'districts', `${code}.key`) }),
    intake: (role: IntakeClientRole, name: string) => ({ cert: path.join(dir, 'intake', `${role}-${name}.crt`), key: path.join(dir, 'intake', `${role}-${name}.key`) }),
    police110: (name: string) => ({ cert: path.join(dir, 'police110', `${name}.crt`), key: path.join(dir, 'police110', `${name}.key`) }),
  };
}

function writeSecret(file: string, data: string) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, data, { mode: 0o600 });
}

/** Creates the CA, server and admin credentials under `<dataDir>/pki` unless they exist. */
/**
 * Creates the CA, server and admin credentials under `<dataDir>/pki` unless they exist. With
 * `caOut`, the CA's private key is written there instead (e.g. an offline medium): the server
 * needs only the CA certificate; issuing credentials later takes `--ca-key`.
 */
export function initPki(dataDir: string, hosts: string[] = ['127.0.0.1', 'localhost'], opts: { caOut?: string } = {}): { created: boolean; paths: ReturnType<typeof pkiPaths>; caKey: string } {
  const p = pkiPaths(dataDir);
  const caKeyFile = opts.caOut ? path.join(path.resolve(opts.caOut), 'ca.key') : p.caKey;
  if (fs.existsSync(p.caCert)) return { created: false, paths: p, caKey: fs.existsSync(p.caKey) ? p.caKey : caKeyFile };
  if (opts.caOut && path.resolve(opts.caOut).startsWith(path.resolve(dataDir) + path.sep)) throw new Error(`--ca-out ${opts.caOut} is inside the server's data directory: keep the CA key elsewhere`);
  const ca = createCa();
  const server = issueServerCert(ca, hosts);
  const admin = issueClientCert(ca, 'city-admin', 'admin');
  writeSecret(caKeyFile, ca.caKey);
  // Beside the key off the server, its certificate (what issuing needs together).
  if (opts.caOut) writeSecret(path.join(path.resolve(opts.caOut), 'ca.crt'), ca.caCert);
  writeSecret(p.caCert, ca.caCert);
  writeSecret(p.serverKey, server.key);
  writeSecret(p.serverCert, server.cert);
  writeSecret(p.adminKey, admin.key);
  writeSecret(p.adminCert, admin.cert);
  return { created: true, paths: p, caKey: caKeyFile };
}

/** The CA (certificate from the data directory; key from `caKeyFile`, else the data directory). */
export function loadCa(dataDir: string, caKeyFile?: string): { caCert: string; caKey: string } {
  const p = pkiPaths(dataDir);
  if (!fs.existsSync(p.caCert)) throw new Error(`no city CA in ${p.dir}: run \`npm run -s city -- init-pki --data ${dataDir}\` first`);
  const keyFile = caKeyFile ?? p.caKey;
  if (!fs.existsSync(keyFile)) throw new Error(`the CA key is not in ${p.dir} (kept off the server): pass --ca-key FILE`);
  return { caCert: fs.readFileSync(p.caCert, 'utf8'), caKey: fs.readFileSync(keyFile, 'utf8') };
}

/** Writes a client credential for `cn` with `role` to `files` (re-issuing replaces it). */
function issueClientFiles(dataDir: string, cn: string, role: 'street' | 'district' | 'police110' | IntakeClientRole, files: { cert: string; key: string }, caKeyFile?: string): { cert: string; key: string; ca: string } {
  const c = issueClientCert(loadCa(dataDir, caKeyFile), cn, role);
  writeSecret(files.key, c.key);
  writeSecret(files.cert, c.cert);
  return { cert: files.cert, key: files.key, ca: pkiPaths(dataDir).caCert };
}

/** Issues (or re-issues) a street's client credential into `<dataDir>/pki/streets/CODE.{crt,key}`. */
export function issueStreetFiles(dataDir: string, code: string, caKeyFile?: string): { cert: string; key: string; ca: string } {
  if (!STREET_CODE_RE.test(code)) throw new Error(`street code ${JSON.stringify(code)} is not valid (letters, digits, - and _)`);
  return issueClientFiles(dataDir, code, 'street', pkiPaths(dataDir).street(code), caKeyFile);
}

/**
 * Issues (or re-issues) a street node's server certificate for its LAN host (`--lan` serves HTTPS)
 * into `<dataDir>/pki/streets/CODE.node.{crt,key}`, beside the street's client certificate: the
 * node uses it when the street is connected to this city (src/main/host/tls.ts). `hosts` are the
 * node's LAN addresses and names (subjectAltName).
 */
export function issueStreetNodeFiles(dataDir: string, code: string, hosts: string[], caKeyFile?: string): { nodeCert: string; nodeKey: string } {
  if (!STREET_CODE_RE.test(code)) throw new Error(`street code ${JSON.stringify(code)} is not valid (letters, digits, - and _)`);
  const bad = hosts.find((h) => !/^[A-Za-z0-9.:-]{1,253}$/.test(h));
  if (!hosts.length || bad !== undefined) throw new Error(`--node-hosts: ${bad === undefined ? 'give the node\'s LAN addresses' : JSON.stringify(bad) + ' is not an address or host name'}`);
  const c = issueServerCert(loadCa(dataDir, caKeyFile), [...new Set([...hosts, '127.0.0.1', 'localhost'])]);
  const base = pkiPaths(dataDir).street(code);
  const files = { nodeCert: base.cert.replace(/\.crt$/, '.node.crt'), nodeKey: base.key.replace(/\.key$/, '.node.key') };
  writeSecret(files.nodeKey, c.key);
  writeSecret(files.nodeCert, c.cert);
  return files;
}

export const DISTRICT_CODE_RE = /^\d{6}$/;

/** Issues (or re-issues) a district operations center's credential into `<dataDir>/pki/districts/CODE.{crt,key}`. */
export function issueDistrictFiles(dataDir: string, code: string, caKeyFile?: string): { cert: string; key: string; ca: string } {
  if (!DISTRICT_CODE_RE.test(code)) throw new Error(`district code ${JSON.stringify(code)} is not a 6-digit division code`);
  return issueClientFiles(dataDir, code, 'district', pkiPaths(dataDir).district(code), caKeyFile);
}

export const INTAKE_CLIENT_NAME_RE = /^[A-Za-z0-9_-]{1,40}$/;

/**
 * Issues (or re-issues) an intake platform's credential (郑好拍's app platform, the digital city
 * management system) into `<dataDir>/pki/intake/ROLE-NAME.{crt,key}`: CN = NAME, OU = ROLE.
 */
export function issueIntakeFiles(dataDir: string, role: IntakeClientRole, name: string, caKeyFile?: string): { cert: string; key: string; ca: string } {
  if (!(INTAKE_CLIENT_ROLES as readonly string[]).includes(role)) throw new Error(`intake client ${JSON.stringify(role)} is not one of ${INTAKE_CLIENT_ROLES.join(', ')}`);
  if (!INTAKE_CLIENT_NAME_RE.test(name)) throw new Error(`name ${JSON.stringify(name)} is not valid (letters, digits, - and _)`);
  return issueClientFiles(dataDir, name, role, pkiPaths(dataDir).intake(role, name), caKeyFile);
}

/** Issues (or re-issues) the police dispatch system's credential (OU=police110) into `<dataDir>/pki/police110/NAME.{crt,key}`. */
export function issuePolice110Files(dataDir: string, name: string, caKeyFile?: string): { cert: string; key: string; ca: string } {
  if (!STREET_CODE_RE.test(name)) throw new Error(`name ${JSON.stringify(name)} is not valid (letters, digits, - and _)`);
  return issueClientFiles(dataDir, name, 'police110', pkiPaths(dataDir).police110(name), caKeyFile);
}
