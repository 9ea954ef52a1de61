// Perceptual hash (pHash): the 8×8 lowest frequencies of the 32×32 DCT of the grey photo, each bit
// set when the coefficient is above the median. Re-encoding, resizing, brightness and contrast
// changes move it by a few bits; a different photo lands near 32 of 64.

import { HASH_SIZE } from './image';

const N = HASH_SIZE;
const COS: Float64Array = (() => {
  const t = new Float64Array(N * N);
  for (let k = 0; k < N; k++) for (let n = 0; n < N; n++) t[k * N + n] = Math.cos((Math.PI / N) * (n + 0.5) * k);
  return t;
})();

/** 64-bit pHash of a HASH_SIZE×HASH_SIZE grey thumbnail, as 16 hex digits. */
export function perceptualHash(grey: Uint8Array): string {
  if (grey.length !== N * N) throw new Error(`grey thumbnail must be ${N}×${N}`);
  // Rows then columns, only the first 8 frequencies of each are needed.
  const rows = new Float64Array(N * 8);
  for (let y = 0; y < N; y++)
    for (let k = 0; k < 8; k++) {
      let s = 0;
      for (let x = 0; x < N; x++) s += grey[y * N + x]! * COS[k * N + x]!;
      rows[y * 8 + k] = s;
    }
  const coef = new Float64Array(64);
  for (let ky = 0; ky < 8; ky++)
    for (let kx = 0; kx < 8; kx++) {
      let s = 0;
      for (let y = 0; y < N; y++) s += rows[y * 8 + kx]! * COS[ky * N + y]!;
      coef[ky * 8 + kx] = s;
    }
  // The DC term (overall brightness) is left out of the median.
  const ac = Array.from(coef.subarray(1)).sort((a, b) => a - b);
  const median = (ac[31]! + ac[32]!) / 2;
  let hex = '';
  for (let i = 0; i < 64; i += 4) {
    let nib = 0;
    for (let b = 0; b < 4; b++) nib = (nib << 1) | (coef[i + b]! > median ? 1 : 0);
    hex += nib.toString(16);
  }
  return hex;
}

/** Number of differing bits between two hashes of equal length. */
export function hammingDistance(a: string, b: string): number {
  if (a.length !== b.length) throw new Error('hashes differ in length');
  let d = 0;
  for (let i = 0; i < a.length; i++) {
    let x = parseInt(a[i]!, 16) ^ parseInt(b[i]!, 16);
    while (x) {
      d += x & 1;
      x >>= 1;
    }
  }
  return d;
}
