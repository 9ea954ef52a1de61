// Password hashing with scrypt (Node's crypto; no native add-on needed).

import crypto from 'node:crypto';

const N = 16384;
const KEYLEN = 32;

export function hashPassword(password: string, salt = crypto.randomBytes(16)): string {
  const key = crypto.scryptSync(password, salt, KEYLEN, { N });
  return `scrypt$${N}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export function verifyPassword(password: string, stored: string): boolean {
  const [scheme, n, saltB64, keyB64] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !saltB64 || !keyB64) return false;
  const key = Buffer.from(keyB64, 'base64');
  const got = crypto.scryptSync(password, Buffer.from(saltB64, 'base64'), key.length, { N: Number(n) });
  return crypto.timingSafeEqual(key, got);
}
