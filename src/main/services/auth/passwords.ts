// Password hashing with scrypt (Node's crypto; no native add-on needed). Logins verify with the
// asynchronous scrypt, which runs on libuv's thread pool: a login never blocks the event loop.

import crypto from 'node:crypto';

const N = 16384;
const KEYLEN = 32;
/** Stored hashes name their own cost; anything above this is refused rather than computed. */
const MAX_N = 1 << 20;

function scryptAsync(password: string, salt: Buffer, keylen: number, n: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    crypto.scrypt(password, salt, keylen, { N: n, maxmem: 256 * n * 8 + 1024 * 1024 }, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

/** Synchronous hash (seeders, CLIs and test fixtures; never on a request path). */
export function hashPassword(password: string, salt = crypto.randomBytes(16)): string {
  const key = crypto.scryptSync(password, salt, KEYLEN, { N });
  return `scrypt$${N}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function hashPasswordAsync(password: string, salt = crypto.randomBytes(16)): Promise<string> {
  const key = await scryptAsync(password, salt, KEYLEN, N);
  return `scrypt$${N}$${salt.toString('base64')}$${key.toString('base64')}`;
}

function parse(stored: string): { n: number; salt: Buffer; key: Buffer } | null {
  const [scheme, n, saltB64, keyB64] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !saltB64 || !keyB64) return null;
  const cost = Number(n);
  // scrypt's N is a power of two above 1.
  if (!Number.isInteger(cost) || cost < 2 || cost > MAX_N || (cost & (cost - 1)) !== 0) return null;
  const key = Buffer.from(keyB64, 'base64');
  if (key.length < 16 || key.length > 64) return null;
  return { n: cost, salt: Buffer.from(saltB64, 'base64'), key };
}

export function verifyPassword(password: string, stored: string): boolean {
  const h = parse(stored);
  if (!h) return false;
  const got = crypto.scryptSync(password, h.salt, h.key.length, { N: h.n });
  return crypto.timingSafeEqual(h.key, got);
}

/** Off the event loop; false for a malformed stored hash. */
export async function verifyPasswordAsync(password: string, stored: string): Promise<boolean> {
  const h = parse(stored);
  if (!h) return false;
  const got = await scryptAsync(password, h.salt, h.key.length, h.n);
  return crypto.timingSafeEqual(h.key, got);
}

let dummy: Promise<string> | null = null;
/**
 * A hash of a random password with the same cost as real ones: an unknown username is checked
 * against it, so a failed login takes as long whether or not the account exists.
 */
export function dummyHash(): Promise<string> {
  return (dummy ??= hashPasswordAsync(crypto.randomBytes(18).toString('base64')));
}
