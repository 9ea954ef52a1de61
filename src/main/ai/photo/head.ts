// The trained part of photo classification: a nearest-neighbour head over MobileNetV2 embeddings,
// built from labelled photos (category path + embedding). Its score for a category is how close the
// photo is to that category's nearest labelled photos, mapped to 0–1 between `lo` (as far as
// unrelated photos are) and `hi` (as close as two different photos of that category usually are).
//
// The shipped head (models/mobilenet_v2/photo-head.json) holds the 59 development photos of street
// garbage; labelled photos from the street's own operators can be added with `withExamples`.

import fs from 'node:fs';
import path from 'node:path';

export const HEAD_FILE = 'photo-head.json';
/** Width of the MobileNetV2 pooled features (the embedding). */
export const FEATURE_DIM = 1280;

export interface HeadExample {
  category: string;
  /** L2-normalised embedding. */
  v: Float32Array;
}

export interface HeadFile {
  version: string;
  createdAt: string;
  source: string;
  k: number;
  lo: number;
  hi: number;
  /** category → base64 of uint8 vectors (L2-normalised × 255), FEATURE_DIM bytes each. */
  examples: Record<string, string[]>;
}

export function l2normalize(v: Float32Array): Float32Array {
  let n = 0;
  for (let i = 0; i < v.length; i++) n += v[i]! * v[i]!;
  n = Math.sqrt(n) || 1;
  const out = new Float32Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = v[i]! / n;
  return out;
}

export function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

export function encodeVector(v: Float32Array): string {
  return Buffer.from(Uint8Array.from(v, (x) => Math.max(0, Math.min(255, Math.round(x * 255))))).toString('base64');
}

function decodeVector(b64: string): Float32Array {
  return vectorFromBytes(Buffer.from(b64, 'base64'));
}

/** A stored uint8 embedding (L2-normalised × 255) back to a unit vector. */
export function vectorFromBytes(bytes: Uint8Array): Float32Array {
  if (bytes.length !== FEATURE_DIM) throw new Error(`head vector has ${bytes.length} values, expected ${FEATURE_DIM}`);
  return l2normalize(Float32Array.from(bytes, (x) => x / 255));
}

export class PhotoHead {
  constructor(
    readonly examples: HeadExample[],
    readonly k = 5,
    readonly lo = 0.42,
    readonly hi = 0.6,
    readonly version = 'none',
  ) {}

  static empty(): PhotoHead {
    return new PhotoHead([]);
  }

  static fromFile(file: HeadFile): PhotoHead {
    const ex: HeadExample[] = [];
    for (const [category, list] of Object.entries(file.examples)) for (const b64 of list) ex.push({ category, v: decodeVector(b64) });
    return new PhotoHead(ex, file.k, file.lo, file.hi, file.version);
  }

  /** Reads the head from a model directory; no file means an empty head (cold start only). */
  static load(dir: string): PhotoHead {
    const file = path.join(dir, HEAD_FILE);
    if (!fs.existsSync(file)) return PhotoHead.empty();
    return PhotoHead.fromFile(JSON.parse(fs.readFileSync(file, 'utf8')) as HeadFile);
  }

  withExamples(more: HeadExample[]): PhotoHead {
    return new PhotoHead([...this.examples, ...more], this.k, this.lo, this.hi, this.version);
  }

  get categories(): string[] {
    return [...new Set(this.examples.map((e) => e.category))];
  }

  /** Category → 0–1 score for an L2-normalised embedding. */
  score(v: Float32Array): Map<string, number> {
    const byCat = new Map<string, number[]>();
    for (const e of this.examples) {
      const list = byCat.get(e.category) ?? [];
      list.push(dot(v, e.v));
      byCat.set(e.category, list);
    }
    const out = new Map<string, number>();
    for (const [cat, sims] of byCat) {
      sims.sort((a, b) => b - a);
      const top = sims.slice(0, this.k);
      const mean = top.reduce((s, x) => s + x, 0) / top.length;
      out.set(cat, Math.max(0, Math.min(1, (mean - this.lo) / (this.hi - this.lo))));
    }
    return out;
  }

  toFile(meta: { version: string; source: string }): HeadFile {
    const examples: Record<string, string[]> = {};
    for (const e of this.examples) (examples[e.category] ??= []).push(encodeVector(e.v));
    return { version: meta.version, createdAt: new Date().toISOString(), source: meta.source, k: this.k, lo: this.lo, hi: this.hi, examples };
  }
}
