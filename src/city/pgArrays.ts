// PostgreSQL arrays in the binary wire format (what `array_recv` reads), for the city's bulk
// inserts: one array parameter per column, expanded by `unnest`.
//
// Sent as text, an array parameter is escaped element by element in JavaScript, its UTF-8 length
// counted character by character, and parsed again by `array_in` on the server — on PGlite all of
// that runs on the Node thread and was most of the driver's cost in `sync.push`. A Buffer parameter
// goes out in binary format on both drivers (PGlite and node-postgres), so the array is built here
// with native length counts and copies, and the server reads it without parsing.
//
// Layout: int32 ndim (1), int32 has-nulls flag, int32 element type OID, int32 length, int32 lower
// bound (1); then per element an int32 byte length (-1 for NULL) and the element's bytes in the
// type's binary format.

/** Element types the city sends, with their OIDs and binary widths (0: variable, UTF-8 text). */
const ELEMENT = {
  text: { oid: 25, width: 0 },
  integer: { oid: 23, width: 4 },
  bigint: { oid: 20, width: 8 },
  'double precision': { oid: 701, width: 8 },
} as const;

export type PgElementType = keyof typeof ELEMENT;

export function isPgElementType(t: string): t is PgElementType {
  return Object.prototype.hasOwnProperty.call(ELEMENT, t);
}

/**
 * One column of values as a binary array of `type`. Text elements are strings (anything else is
 * turned into a string); numeric elements must be finite numbers, integers for integer and bigint (a bigint may also
 * be a string of digits);
 * null and undefined are NULL.
 */
export function pgBinaryArray(type: PgElementType, values: readonly unknown[]): Buffer {
  const { oid, width } = ELEMENT[type];
  const n = values.length;
  let hasNull = 0;
  let size = 20;
  const texts: Array<string | null> | null = width === 0 ? new Array<string | null>(n) : null;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v == null) {
      hasNull = 1;
      size += 4;
      continue;
    }
    if (texts) {
      const s = typeof v === 'string' ? v : String(v);
      texts[i] = s;
      size += 4 + Buffer.byteLength(s, 'utf8');
    } else size += 4 + width;
  }
  const buf = Buffer.allocUnsafe(size);
  buf.writeInt32BE(1, 0);
  buf.writeInt32BE(hasNull, 4);
  buf.writeInt32BE(oid, 8);
  buf.writeInt32BE(n, 12);
  buf.writeInt32BE(1, 16);
  let at = 20;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v == null) {
      buf.writeInt32BE(-1, at);
      at += 4;
      continue;
    }
    if (texts) {
      const len = buf.write(texts[i]!, at + 4, 'utf8');
      buf.writeInt32BE(len, at);
      at += 4 + len;
      continue;
    }
    buf.writeInt32BE(width, at);
    at += 4;
    if (type === 'integer') buf.writeInt32BE(finiteNumber(v, type), at);
    else if (type === 'bigint') buf.writeBigInt64BE(BigInt(typeof v === 'string' ? v : finiteNumber(v, type)), at);
    else buf.writeDoubleBE(finiteNumber(v, type), at);
    at += width;
  }
  return buf;
}

function finiteNumber(v: unknown, type: string): number {
  const x = typeof v === 'number' ? v : Number(v);
  if (type === 'double precision' ? !Number.isFinite(x) : !Number.isSafeInteger(x)) throw new TypeError(`pgBinaryArray: ${String(v)} is not a ${type}`);
  return x;
}
