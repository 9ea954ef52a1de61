// The trained part of photo classification: a nearest-neighbour head over MobileNetV2 embeddings,
// built from labelled photos (category path + embedding). Its score for a category is how close the
// photo is to that category's nearest labelled photos, mapped to 0–1 between `lo` (as far as
// unrelated photos are) and `hi` (as close as two different photos of that category usually are).
//
// It also decides whether a photo shows a street problem at all (`recognized`): the mean cosine
// similarity to the k nearest labelled photos of any category (`proximity`) must reach `recognize.min`,
// a threshold calibrated on photos the head was not built from (scripts/photoCalibrate.ts).
//
// The shipped head (models/mobilenet_v2/photo-head.json) holds the head split of the development
// photos of street garbage (even positions, see tests/support/photos.ts) — never the photos the
// tests classify; labelled photos from the street's own operators can be added with `withExamples`.

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

/** When a photo counts as showing a known street problem. */
export interface HeadRecognize {
  /** Neighbours averaged for the proximity. */
  k: number;
  /** Proximity at or above this: recognized. */
  min: number;
}

/** Figures of one split: garbage photos recognized (and with a 垃圾 category in the top 3), negatives refused. */
export interface SplitFigures {
  garbage: number;
  garbageRecognized: number;
  garbageTop3: number;
  negatives: number;
  negativesRefused: number;
  /** Negatives recognized with a 垃圾 category first: what the form would wrongly offer as garbage. */
  negativesFalseGarbage: number;
}

/** How the shipped head and threshold were chosen and measured (dated). */
export interface HeadEvaluation {
  date: string;
  /** What the head was built from, what chose the threshold, what was measured once. */
  builtFrom: string;
  /** Figures on the split used to choose the threshold (in-sample for the threshold). */
  calibration: SplitFigures;
  /** Figures on the split never used for choosing. */
  test: SplitFigures;
}

export interface HeadFile {
  version: string;
  createdAt: string;
  source: string;
  k: number;
  lo: number;
  hi: number;
  recognize?: HeadRecognize;
  evaluation?: HeadEvaluation;
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

/** Threshold with the best balanced accuracy on the calibration split: the middle of the best run of candidates. */
export function chooseThreshold(pos: number[], neg: number[]): number {
  const values = [...new Set([...pos, ...neg])].sort((a, b) => a - b);
  const cands = values.slice(1).map((v, i) => (v + values[i]!) / 2);
  const ba = (t: number) => pos.filter((x) => x >= t).length / pos.length + neg.filter((x) => x < t).length / neg.length;
  const scores = cands.map(ba);
  const best = Math.max(...scores);
  const run = cands.filter((_, i) => scores[i]! >= best - 1e-12);
  return run[Math.floor((run.length - 1) / 2)]!;
}

export class PhotoHead {
  constructor(
    readonly examples: HeadExample[],
    readonly k = 5,
    readonly lo = 0.42,
    readonly hi = 0.6,
    readonly version = 'none',
    readonly recognize: HeadRecognize | null = null,
    readonly evaluation: HeadEvaluation | null = null,
  ) {}

  static empty(): PhotoHead {
    return new PhotoHead([]);
  }

  static fromFile(file: HeadFile): PhotoHead {
    const ex: HeadExample[] = [];
    for (const [category, list] of Object.entries(file.examples)) for (const b64 of list) ex.push({ category, v: decodeVector(b64) });
    return new PhotoHead(ex, file.k, file.lo, file.hi, file.version, file.recognize ?? null, file.evaluation ?? null);
  }

  /** Reads the head from a model directory; no file means an empty head (cold start only). */
  static load(dir: string): PhotoHead {
    const file = path.join(dir, HEAD_FILE);
    if (!fs.existsSync(file)) return PhotoHead.empty();
    return PhotoHead.fromFile(JSON.parse(fs.readFileSync(file, 'utf8')) as HeadFile);
  }

  withExamples(more: HeadExample[]): PhotoHead {
    return new PhotoHead([...this.examples, ...more], this.k, this.lo, this.hi, this.version, this.recognize, this.evaluation);
  }

  /** The same examples with another recognition rule (calibration). */
  withRecognize(recognize: HeadRecognize | null, evaluation: HeadEvaluation | null = this.evaluation): PhotoHead {
    return new PhotoHead(this.examples, this.k, this.lo, this.hi, this.version, recognize, evaluation);
  }

  /**
   * Mean cosine similarity to the k nearest labelled photos of any category (k from `recognize`,
   * else the head's k); null without examples.
   */
  proximity(v: Float32Array): number | null {
    if (this.examples.length === 0) return null;
    const k = this.recognize?.k ?? this.k;
    const sims = this.examples.map((e) => dot(v, e.v)).sort((a, b) => b - a).slice(0, k);
    return sims.reduce((s, x) => s + x, 0) / sims.length;
  }

  /**
   * Whether the photo shows a street problem the head knows. Without labelled photos or a calibrated
   * threshold nothing can be told apart, and every photo counts as recognized (cold start).
   */
  recognizes(v: Float32Array): { recognized: boolean; proximity: number | null } {
    const proximity = this.proximity(v);
    if (proximity == null || !this.recognize) return { recognized: true, proximity };
    return { recognized: proximity >= this.recognize.min, proximity: Math.round(proximity * 1000) / 1000 };
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
    return {
      version: meta.version,
      createdAt: new Date().toISOString(),
      source: meta.source,
      k: this.k,
      lo: this.lo,
      hi: this.hi,
      ...(this.recognize ? { recognize: this.recognize } : {}),
      ...(this.evaluation ? { evaluation: this.evaluation } : {}),
      examples,
    };
  }
}
