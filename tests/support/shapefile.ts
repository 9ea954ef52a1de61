// Writes a zipped polygon Shapefile (.shp, .shx, .dbf, .cpg) for import tests: the ESRI Shapefile
// Technical Description (1998) and dBASE III layouts, zipped without compression.
import zlib from 'node:zlib';

export interface ShpFeature {
  /** Rings as [lon, lat] lists, closed; the first is the outer ring. */
  rings: number[][][];
  props: Record<string, string | number | null>;
}

function signedArea(r: number[][]): number {
  let a = 0;
  for (let i = 0; i + 1 < r.length; i++) a += r[i]![0]! * r[i + 1]![1]! - r[i + 1]![0]! * r[i]![1]!;
  return a / 2;
}

/** Shapefile rings: outer clockwise, holes counter-clockwise. */
function orient(rings: number[][][]): number[][][] {
  return rings.map((r, i) => {
    const cw = signedArea(r) < 0;
    return (i === 0) === cw ? r : [...r].reverse();
  });
}

export function writeShapefile(features: ShpFeature[], fields: Array<{ name: string; type: 'C' | 'N'; length: number }>): Record<string, Buffer> {
  const contents = features.map((f) => {
    const rings = orient(f.rings);
    const pts = rings.flat();
    const xs = pts.map((p) => p[0]!);
    const ys = pts.map((p) => p[1]!);
    const b = Buffer.alloc(44 + 4 * rings.length + 16 * pts.length);
    b.writeInt32LE(5, 0);
    [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)].forEach((v, i) => b.writeDoubleLE(v, 4 + 8 * i));
    b.writeInt32LE(rings.length, 36);
    b.writeInt32LE(pts.length, 40);
    let start = 0;
    rings.forEach((r, i) => {
      b.writeInt32LE(start, 44 + 4 * i);
      start += r.length;
    });
    pts.forEach((p, i) => {
      b.writeDoubleLE(p[0]!, 44 + 4 * rings.length + 16 * i);
      b.writeDoubleLE(p[1]!, 52 + 4 * rings.length + 16 * i);
    });
    return { b, xs, ys };
  });
  const all = contents.flatMap((c) => c.xs.map((x, i) => [x, c.ys[i]!]));
  const bbox = [Math.min(...all.map((p) => p[0]!)), Math.min(...all.map((p) => p[1]!)), Math.max(...all.map((p) => p[0]!)), Math.max(...all.map((p) => p[1]!))];
  const header = (lengthBytes: number) => {
    const h = Buffer.alloc(100);
    h.writeInt32BE(9994, 0);
    h.writeInt32BE(lengthBytes / 2, 24);
    h.writeInt32LE(1000, 28);
    h.writeInt32LE(5, 32);
    bbox.forEach((v, i) => h.writeDoubleLE(v, 36 + 8 * i));
    return h;
  };
  const records: Buffer[] = [];
  const index: Buffer[] = [];
  let offset = 100;
  contents.forEach((c, i) => {
    const rh = Buffer.alloc(8);
    rh.writeInt32BE(i + 1, 0);
    rh.writeInt32BE(c.b.length / 2, 4);
    records.push(rh, c.b);
    const ix = Buffer.alloc(8);
    ix.writeInt32BE(offset / 2, 0);
    ix.writeInt32BE(c.b.length / 2, 4);
    index.push(ix);
    offset += 8 + c.b.length;
  });
  const shp = Buffer.concat([header(offset), ...records]);
  const shx = Buffer.concat([header(100 + 8 * features.length), ...index]);

  const recLen = 1 + fields.reduce((s, f) => s + f.length, 0);
  const dh = Buffer.alloc(32 + 32 * fields.length + 1);
  dh.writeUInt8(3, 0);
  dh.writeUInt8(125, 1);
  dh.writeUInt8(1, 2);
  dh.writeUInt8(1, 3);
  dh.writeUInt32LE(features.length, 4);
  dh.writeUInt16LE(dh.length, 8);
  dh.writeUInt16LE(recLen, 10);
  fields.forEach((f, i) => {
    dh.write(f.name, 32 + 32 * i, 'latin1');
    dh.write(f.type, 32 + 32 * i + 11, 'latin1');
    dh.writeUInt8(f.length, 32 + 32 * i + 16);
  });
  dh.writeUInt8(0x0d, dh.length - 1);
  const rows = features.map((ft) => {
    const r = Buffer.alloc(recLen, 0x20);
    let pos = 1;
    for (const f of fields) {
      const v = ft.props[f.name];
      const bytes = Buffer.from(v == null ? '' : String(v), 'utf8');
      if (bytes.length > f.length) throw new Error(`${f.name} too long`);
      bytes.copy(r, f.type === 'N' ? pos + f.length - bytes.length : pos);
      pos += f.length;
    }
    return r;
  });
  const dbf = Buffer.concat([dh, ...rows, Buffer.from([0x1a])]);
  return { 'grids.shp': shp, 'grids.shx': shx, 'grids.dbf': dbf, 'grids.cpg': Buffer.from('UTF-8') };
}

/** A zip archive of the files, stored (no compression). */
export function zip(files: Record<string, Buffer>): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [name, data] of Object.entries(files)) {
    const n = Buffer.from(name, 'utf8');
    const crc = zlib.crc32(data);
    const lh = Buffer.alloc(30);
    lh.writeUInt32LE(0x04034b50, 0);
    lh.writeUInt16LE(20, 4);
    lh.writeUInt32LE(crc, 14);
    lh.writeUInt32LE(data.length, 18);
    lh.writeUInt32LE(data.length, 22);
    lh.writeUInt16LE(n.length, 26);
    locals.push(lh, n, data);
    const ch = Buffer.alloc(46);
    ch.writeUInt32LE(0x02014b50, 0);
    ch.writeUInt16LE(20, 4);
    ch.writeUInt16LE(20, 6);
    ch.writeUInt32LE(crc, 16);
    ch.writeUInt32LE(data.length, 20);
    ch.writeUInt32LE(data.length, 24);
    ch.writeUInt16LE(n.length, 28);
    ch.writeUInt32LE(offset, 42);
    central.push(ch, n);
    offset += 30 + n.length + data.length;
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(files).length, 8);
  end.writeUInt16LE(Object.keys(files).length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}
