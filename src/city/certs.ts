// Client certificates the city has seen, and its deny list. Every request with a client
// certificate is checked against the deny list (in memory; re-read from the database every few
// seconds, so a revocation written straight to the database by the CLI takes effect within that
// time, one made through the server or its console at once). A revoked certificate is refused
// with 403 even though it still verifies against the CA.

import crypto from 'node:crypto';
import fs from 'node:fs';
import type http from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { Kysely } from 'kysely';
import type { CityDatabase } from './db';
import { pkiPaths } from './pki';

/** Serials compare as upper-case hex without leading zeros. */
export const normSerial = (s: string) => s.trim().replace(/:/g, '').toUpperCase().replace(/^0+(?=.)/, '');
export const SERIAL_RE = /^[0-9A-Fa-f:]{16,128}$/;

export interface RevokedCert {
  serial: string;
  cn: string | null;
  role: string | null;
  reason: string | null;
  revokedAt: number;
}

export class Certificates {
  private denied = new Set<string>();
  private loadedAt = 0;
  private loading: Promise<void> | null = null;
  private seen = new Set<string>();

  constructor(
    private readonly db: Kysely<CityDatabase>,
    private readonly now: () => number,
    private readonly log: (msg: string, extra?: Record<string, unknown>) => void,
    private readonly refreshMs = 5000,
  ) {}

  async load(): Promise<void> {
    const rows = await this.db.selectFrom('revoked_certs').select('serial').execute();
    this.denied = new Set(rows.map((r) => normSerial(r.serial)));
    this.loadedAt = Date.now();
  }

  private refreshSoon(): void {
    if (this.loading || Date.now() - this.loadedAt < this.refreshMs) return;
    this.loading = this.load()
      .catch((err) => this.log('deny list refresh failed', { error: String(err) }))
      .finally(() => (this.loading = null));
  }

  /** The request's client certificate serial (only when it verified against the CA). */
  static serialOf(req: http.IncomingMessage): { serial: string; cn: string; role: string } | null {
    const sock = req.socket as TLSSocket;
    if (!sock.authorized) return null;
    const c = sock.getPeerCertificate();
    if (!c?.serialNumber) return null;
    return { serial: normSerial(c.serialNumber), cn: String(c.subject?.CN ?? ''), role: String(c.subject?.OU ?? '') };
  }

  /** Checked on every request with a certificate; also records the certificate as seen. */
  isRevoked(req: http.IncomingMessage): boolean {
    this.refreshSoon();
    const c = Certificates.serialOf(req);
    if (!c) return false;
    if (this.denied.has(c.serial)) return true;
    if (!this.seen.has(c.serial)) {
      this.seen.add(c.serial);
      const at = String(this.now());
      void this.db
        .insertInto('seen_certs')
        .values({ serial: c.serial, cn: c.cn.slice(0, 100), role: c.role.slice(0, 20), first_seen: at, last_seen: at })
        .onConflict((oc) => oc.column('serial').doUpdateSet({ last_seen: at }))
        .execute()
        .catch((err) => this.log('seen certificate not recorded', { error: String(err) }));
    }
    return false;
  }

  async revoke(r: { serial: string; cn?: string | null; role?: string | null; reason?: string | null }): Promise<RevokedCert> {
    if (!SERIAL_RE.test(r.serial)) throw new Error(`not a certificate serial: ${r.serial}`);
    const serial = normSerial(r.serial);
    const at = this.now();
    const seen = await this.db.selectFrom('seen_certs').selectAll().where('serial', '=', serial).executeTakeFirst();
    const row = { serial, cn: r.cn ?? seen?.cn ?? null, role: r.role ?? seen?.role ?? null, reason: r.reason?.slice(0, 200) ?? null, revoked_at: String(at) };
    await this.db.insertInto('revoked_certs').values(row).onConflict((oc) => oc.column('serial').doNothing()).execute();
    this.denied.add(serial);
    this.log('certificate revoked', { serial, cn: row.cn });
    return { serial, cn: row.cn, role: row.role, reason: row.reason, revokedAt: at };
  }

  async revoked(): Promise<RevokedCert[]> {
    const rows = await this.db.selectFrom('revoked_certs').selectAll().orderBy('revoked_at', 'desc').execute();
    return rows.map((r) => ({ serial: r.serial, cn: r.cn, role: r.role, reason: r.reason, revokedAt: Number(r.revoked_at) }));
  }

  async seenList(limit = 200) {
    const rows = await this.db.selectFrom('seen_certs').selectAll().orderBy('last_seen', 'desc').limit(limit).execute();
    return rows.map((r) => ({ serial: r.serial, cn: r.cn, role: r.role, firstSeen: Number(r.first_seen), lastSeen: Number(r.last_seen), revoked: this.denied.has(r.serial) }));
  }

  /** A serial for `cnOrSerial`: a serial as it is, a CN from the credential files the city issued, else from the certificates seen. */
  async resolve(cnOrSerial: string, dataDir?: string): Promise<{ serial: string; cn: string | null; role: string | null }> {
    const v = cnOrSerial.trim();
    const fromFile = dataDir ? certFileSerial(dataDir, v) : null;
    if (fromFile) return fromFile;
    if (SERIAL_RE.test(v) && v.replace(/:/g, '').length >= 20) return { serial: normSerial(v), cn: null, role: null };
    const seen = await this.db.selectFrom('seen_certs').selectAll().where('cn', '=', v).orderBy('last_seen', 'desc').executeTakeFirst();
    if (seen) return { serial: seen.serial, cn: seen.cn, role: seen.role };
    throw new Error(`no certificate known for ${v}`);
  }
}

/** The serial of the credential the city issued to `cn` (street, district or the city operators), from its PKI directory. */
export function certFileSerial(dataDir: string, cn: string): { serial: string; cn: string; role: string } | null {
  const p = pkiPaths(dataDir);
  const candidates: Array<[string, string]> = [];
  if (/^[A-Za-z0-9_-]{1,32}$/.test(cn)) candidates.push([p.street(cn).cert, 'street'], [p.district(cn).cert, 'district'], [p.police110(cn).cert, 'police110']);
  if (cn === 'city-admin') candidates.push([p.adminCert, 'admin']);
  for (const [file, role] of candidates) {
    if (!fs.existsSync(file)) continue;
    const x = new crypto.X509Certificate(fs.readFileSync(file));
    return { serial: normSerial(x.serialNumber), cn, role };
  }
  return null;
}
