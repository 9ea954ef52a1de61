// Character n-gram features for Chinese text: no word segmentation needed. Unigrams and bigrams
// (optionally trigrams) over the text with punctuation and spaces removed, sublinear TF × IDF,
// L2-normalised. The vocabulary is learned from the training texts and capped by document frequency.

import type { Sparse } from './linear';

export interface NgramVocab {
  maxN: number;
  grams: string[];
  idf: number[];
}

const SEP = /[\s\p{P}\p{S}]+/u;

export function normalizeText(s: string): string {
  return s.normalize('NFKC').toLowerCase();
}

/** Counts of the text's n-grams (1..maxN), never crossing punctuation. */
export function gramCounts(text: string, maxN: number, weight = 1, into = new Map<string, number>()): Map<string, number> {
  for (const part of normalizeText(text).split(SEP)) {
    if (!part) continue;
    const chars = Array.from(part.replace(/[0-9]+/g, '0'));
    for (let n = 1; n <= maxN; n++)
      for (let i = 0; i + n <= chars.length; i++) {
        const g = n === 1 ? chars[i]! : chars.slice(i, i + n).join('');
        into.set(g, (into.get(g) ?? 0) + weight);
      }
  }
  return into;
}

export function fitVocab(docs: ReadonlyArray<Map<string, number>>, opts: { maxN: number; maxFeatures: number; minDf: number }): NgramVocab {
  const df = new Map<string, number>();
  for (const d of docs) for (const g of d.keys()) df.set(g, (df.get(g) ?? 0) + 1);
  const kept = [...df.entries()].filter(([, c]) => c >= opts.minDf).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const top = kept.slice(0, opts.maxFeatures);
  const n = docs.length;
  return { maxN: opts.maxN, grams: top.map(([g]) => g), idf: top.map(([, c]) => Math.log((1 + n) / (1 + c)) + 1) };
}

export class NgramVectorizer {
  private readonly index: Map<string, number>;
  constructor(readonly vocab: NgramVocab) {
    this.index = new Map(vocab.grams.map((g, i) => [g, i]));
  }

  get dim(): number {
    return this.vocab.grams.length;
  }

  vectorize(counts: Map<string, number>): Sparse {
    const pairs: Array<[number, number]> = [];
    for (const [g, c] of counts) {
      const i = this.index.get(g);
      if (i === undefined) continue;
      pairs.push([i, (1 + Math.log(c)) * this.vocab.idf[i]!]);
    }
    pairs.sort((a, b) => a[0] - b[0]);
    let s = 0;
    for (const [, v] of pairs) s += v * v;
    const norm = Math.sqrt(s) || 1;
    return { idx: Int32Array.from(pairs.map((p) => p[0])), val: Float32Array.from(pairs.map((p) => p[1] / norm)) };
  }
}
