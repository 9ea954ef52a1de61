// The text classifier: a softmax head on bge sentence embeddings and a softmax head on character
// n-grams (TF-IDF), their probabilities mixed. Without the embedding model (missing, corrupt) the
// n-gram head alone answers — the fallback. A model version is a plain directory:
//   model.json   labels, vocabulary, options, offsets into weights.bin
//   weights.bin  the heads' weights, float32 little-endian
//   card.json    model card: data, date, metrics, options

import fs from 'node:fs';
import path from 'node:path';
import { denseToSparse, logits, softmaxInPlace, trainSoftmax, type LinearHead, type Sparse } from './linear';
import { gramCounts, fitVocab, NgramVectorizer, type NgramVocab } from './ngram';
import { l2normalize, BGE_DIM } from './embedder';

export const MODEL_FORMAT = 'chengyun-text-model/1';

export interface TextSample {
  title: string;
  text: string;
}

export interface LabelledSample extends TextSample {
  label: string;
}

export interface TextModelOptions {
  /** Weight of the embedding head in the mixture (0–1); the n-gram head gets the rest. */
  embWeight: number;
  /** Title n-grams count this many times (titles are short and on topic). */
  titleWeight: number;
  /** The title's own embedding is added to the full text's with this factor, then re-normalised. */
  titleEmbMix: number;
  ngramMaxN: number;
  ngramMaxFeatures: number;
  ngramMinDf: number;
  l2Emb: number;
  l2Ngram: number;
  epochsEmb: number;
  epochsNgram: number;
  lr: number;
  batch: number;
  /** Softmax temperature of the mixture's heads (calibration). */
  temperature: number;
  /** Z-score the embedding features before the head. */
  standardize: boolean;
  /**
   * Share of the nearest-label-description vote in the final probabilities: the query's embedding
   * against the prior's samples (the taxonomy's sub-category names), its `priorKnnK` nearest
   * voting with weight exp(cosine / priorKnnTemp). Needs embeddings and a prior; 0 turns it off.
   */
  priorKnnWeight: number;
  priorKnnK: number;
  priorKnnTemp: number;
  /**
   * Share of the nearest training rows' vote (kNN over the training rows' embedding features, the
   * `rowKnnK` nearest voting with weight exp(cosine / rowKnnTemp)), mixed in after the taxonomy vote.
   * The model keeps at most ROW_BANK_MAX rows (an even sample of the rows given). 0 turns it off.
   */
  rowKnnWeight: number;
  rowKnnK: number;
  rowKnnTemp: number;
  seed: number;
}

/** Most training rows kept for the nearest-rows vote: 250, an even sample (a street's history can be long; bench ai.text.rowvote, not warmed up: 500 rows p50 5.6 / p95 9.7 ms at load 2.8; 250 rows warmed: p50 0.46 ms). */
export const ROW_BANK_MAX = 250;

export const DEFAULT_OPTIONS: TextModelOptions = {
  embWeight: 0.7,
  titleWeight: 2,
  titleEmbMix: 0.5,
  ngramMaxN: 2,
  ngramMaxFeatures: 20000,
  ngramMinDf: 1,
  l2Emb: 1e-3,
  l2Ngram: 1e-4,
  epochsEmb: 150,
  epochsNgram: 150,
  lr: 0.05,
  batch: 64,
  temperature: 1,
  standardize: false,
  priorKnnWeight: 0.3,
  priorKnnK: 5,
  priorKnnTemp: 0.05,
  rowKnnWeight: 0.15,
  rowKnnK: 5,
  rowKnnTemp: 0.05,
  seed: 7,
};

/** Text of a sample for the embedding model: the title first, then the body. */
export function fullText(s: TextSample): string {
  const t = s.title.trim();
  return t ? `${t}。${s.text}` : s.text;
}

export type EmbedFn = (texts: readonly string[]) => Promise<Float32Array[]>;

/** Embedding feature of a sample, from the embeddings of its full text and (if any) its title. */
export function embFeature(full: Float32Array, title: Float32Array | null, mix: number): Float32Array {
  const v = Float32Array.from(full);
  if (title && mix > 0) for (let i = 0; i < v.length; i++) v[i] = v[i]! + mix * title[i]!;
  return l2normalize(v);
}

/** Embeds samples: full texts, plus titles where present. */
export async function embedSamples(embed: EmbedFn, samples: readonly TextSample[], mix: number): Promise<Float32Array[]> {
  const full = await embed(samples.map(fullText));
  const withTitle = samples.map((s, i) => (s.title.trim() && mix > 0 ? i : -1)).filter((i) => i >= 0);
  const titles = withTitle.length ? await embed(withTitle.map((i) => samples[i]!.title.trim())) : [];
  const titleOf = new Map(withTitle.map((i, j) => [i, titles[j]!]));
  return samples.map((_, i) => embFeature(full[i]!, titleOf.get(i) ?? null, mix));
}

export interface ModelCard {
  format: string;
  version: string;
  createdAt: string;
  description: string;
  embedding: { model: string; dim: number } | null;
  data: { source: string; rows: number; labels: Record<string, number>; sha256?: string; prior?: string };
  metrics: Record<string, unknown>;
  options: TextModelOptions;
}

export interface Prediction {
  label: string;
  score: number;
}

export class TextModel {
  private readonly vectorizer: NgramVectorizer;
  constructor(
    readonly labels: string[],
    readonly vocab: NgramVocab,
    readonly ngramHead: LinearHead,
    readonly embHead: LinearHead | null,
    /** Per-dimension mean and scale of the embedding features (z-scoring before the head). */
    readonly embNorm: { mean: Float32Array; scale: Float32Array } | null,
    readonly options: TextModelOptions,
    public card: ModelCard,
    /** The prior's samples' embedding features (row-major n × 512) and label indices, for the nearest-description vote. */
    readonly bank: PriorBank | null = null,
    /** The training rows' embedding features and label indices, for the nearest-rows vote. */
    readonly rowBank: PriorBank | null = null,
  ) {
    this.vectorizer = new NgramVectorizer(vocab);
  }

  get usesEmbeddings(): boolean {
    return this.embHead != null;
  }

  ngramFeature(s: TextSample): Sparse {
    const counts = gramCounts(s.text, this.options.ngramMaxN);
    if (s.title.trim()) gramCounts(s.title, this.options.ngramMaxN, this.options.titleWeight, counts);
    return this.vectorizer.vectorize(counts);
  }

  /**
   * Class probabilities. `emb` is the sample's embedding feature (embFeature); null when the
   * embedding model is unavailable, and then the n-gram head answers alone.
   */
  probs(s: TextSample, emb: Float32Array | null): Float32Array {
    const t = this.options.temperature;
    const pn = softmaxInPlace(logits(this.ngramHead, this.ngramFeature(s)), t);
    if (!emb || !this.embHead) return pn;
    const pe = softmaxInPlace(logits(this.embHead, denseToSparse(zscore(emb, this.embNorm))), t);
    const w = this.options.embWeight;
    for (let i = 0; i < pn.length; i++) pn[i] = w * pe[i]! + (1 - w) * pn[i]!;
    const kw = this.options.priorKnnWeight ?? 0;
    if (this.bank && kw > 0) {
      const pk = priorVote(this.bank, emb, pn.length, this.options.priorKnnK, this.options.priorKnnTemp);
      for (let i = 0; i < pn.length; i++) pn[i] = (1 - kw) * pn[i]! + kw * pk[i]!;
    }
    const rw = this.options.rowKnnWeight ?? 0;
    if (this.rowBank && rw > 0) {
      const pr = priorVote(this.rowBank, emb, pn.length, this.options.rowKnnK, this.options.rowKnnTemp);
      for (let i = 0; i < pn.length; i++) pn[i] = (1 - rw) * pn[i]! + rw * pr[i]!;
    }
    return pn;
  }

  top(s: TextSample, emb: Float32Array | null, k = 3): Prediction[] {
    const p = this.probs(s, emb);
    return Array.from(p, (score, i) => ({ label: this.labels[i]!, score }))
      .sort((a, b) => b.score - a.score)
      .slice(0, k);
  }

  /** Writes the model as a new directory (atomically: a temp dir renamed into place). */
  save(dir: string): void {
    const abs = path.resolve(dir);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    const tmp = `${abs}.tmp-${process.pid}`;
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.mkdirSync(tmp, { recursive: true });
    const parts: Array<[string, Float32Array]> = [
      ['ngram.w', this.ngramHead.w],
      ['ngram.b', this.ngramHead.b],
    ];
    if (this.embHead) parts.push(['emb.w', this.embHead.w], ['emb.b', this.embHead.b]);
    if (this.embNorm) parts.push(['emb.mean', this.embNorm.mean], ['emb.scale', this.embNorm.scale]);
    if (this.bank) parts.push(['bank.vecs', this.bank.vecs], ['bank.labels', Float32Array.from(this.bank.labels)]);
    if (this.rowBank) parts.push(['rows.vecs', this.rowBank.vecs], ['rows.labels', Float32Array.from(this.rowBank.labels)]);
    const offsets: Record<string, [number, number]> = {};
    let off = 0;
    for (const [name, a] of parts) {
      offsets[name] = [off, a.length];
      off += a.length;
    }
    const all = new Float32Array(off);
    for (const [name, a] of parts) all.set(a, offsets[name]![0]);
    const buf = Buffer.alloc(all.length * 4);
    for (let i = 0; i < all.length; i++) buf.writeFloatLE(all[i]!, i * 4);
    fs.writeFileSync(path.join(tmp, 'weights.bin'), buf);
    const meta = {
      format: MODEL_FORMAT,
      labels: this.labels,
      options: this.options,
      vocab: this.vocab,
      heads: {
        ngram: { k: this.ngramHead.k, d: this.ngramHead.d },
        emb: this.embHead ? { k: this.embHead.k, d: this.embHead.d } : null,
        ...(this.bank ? { bank: { n: this.bank.labels.length } } : {}),
        ...(this.rowBank ? { rows: { n: this.rowBank.labels.length } } : {}),
      },
      offsets,
    };
    fs.writeFileSync(path.join(tmp, 'model.json'), JSON.stringify(meta));
    fs.writeFileSync(path.join(tmp, 'card.json'), JSON.stringify(this.card, null, 2) + '\n');
    if (fs.existsSync(abs)) fs.rmSync(abs, { recursive: true, force: true });
    fs.renameSync(tmp, abs);
  }

  static load(dir: string): TextModel {
    const read = (f: string) => {
      const p = path.join(dir, f);
      if (!fs.existsSync(p)) throw new Error(`${p}: missing`);
      return p;
    };
    const meta = JSON.parse(fs.readFileSync(read('model.json'), 'utf8')) as {
      format: string;
      labels: string[];
      options: TextModelOptions;
      vocab: NgramVocab;
      heads: { ngram: { k: number; d: number }; emb: { k: number; d: number } | null; bank?: { n: number }; rows?: { n: number } };
      offsets: Record<string, [number, number]>;
    };
    if (meta.format !== MODEL_FORMAT) throw new Error(`${dir}/model.json: format ${meta.format}, expected ${MODEL_FORMAT}`);
    const card = JSON.parse(fs.readFileSync(read('card.json'), 'utf8')) as ModelCard;
    const buf = fs.readFileSync(read('weights.bin'));
    const total = Object.values(meta.offsets).reduce((s, [o, n]) => Math.max(s, o + n), 0);
    if (buf.length !== total * 4) throw new Error(`${dir}/weights.bin: ${buf.length} bytes, expected ${total * 4}`);
    const arr = (name: string, expect: number) => {
      const o = meta.offsets[name];
      if (!o || o[1] !== expect) throw new Error(`${dir}: weights ${name} have the wrong size`);
      const a = new Float32Array(o[1]);
      for (let i = 0; i < o[1]; i++) a[i] = buf.readFloatLE((o[0] + i) * 4);
      return a;
    };
    const k = meta.labels.length;
    const nh = meta.heads.ngram;
    if (nh.k !== k || nh.d !== meta.vocab.grams.length) throw new Error(`${dir}: n-gram head shape does not match labels/vocabulary`);
    const ngramHead: LinearHead = { k, d: nh.d, w: arr('ngram.w', k * nh.d), b: arr('ngram.b', k) };
    let embHead: LinearHead | null = null;
    if (meta.heads.emb) {
      if (meta.heads.emb.k !== k || meta.heads.emb.d !== BGE_DIM) throw new Error(`${dir}: embedding head shape does not match`);
      embHead = { k, d: BGE_DIM, w: arr('emb.w', k * BGE_DIM), b: arr('emb.b', k) };
    }
    const embNorm = meta.offsets['emb.mean'] ? { mean: arr('emb.mean', BGE_DIM), scale: arr('emb.scale', BGE_DIM) } : null;
    let bank: PriorBank | null = null;
    if (meta.heads.bank) {
      const n = meta.heads.bank.n;
      const labels = Int32Array.from(arr('bank.labels', n));
      if (labels.some((l) => l < 0 || l >= k)) throw new Error(`${dir}: prior bank labels out of range`);
      bank = { vecs: arr('bank.vecs', n * BGE_DIM), labels };
    }
    let rowBank: PriorBank | null = null;
    if (meta.heads.rows) {
      const n = meta.heads.rows.n;
      const labels = Int32Array.from(arr('rows.labels', n));
      if (labels.some((l) => l < 0 || l >= k)) throw new Error(`${dir}: row bank labels out of range`);
      rowBank = { vecs: arr('rows.vecs', n * BGE_DIM), labels };
    }
    // Models written before an option existed behave as they did then.
    const options: TextModelOptions = { ...DEFAULT_OPTIONS, priorKnnWeight: 0, rowKnnWeight: 0, ...(meta.options as Partial<TextModelOptions>) };
    return new TextModel(meta.labels, meta.vocab, ngramHead, embHead, embNorm, options, card, bank, rowBank);
  }
}

export interface TrainInput {
  samples: readonly LabelledSample[];
  /** Embedding features, one per sample (embedSamples); null trains the n-gram head only. */
  embeddings: readonly Float32Array[] | null;
  /**
   * Prior knowledge (e.g. the taxonomy's sub-category names as short samples, with their embedding
   * features): trained on like the samples, and kept as the bank of the nearest-description vote.
   */
  prior?: { samples: readonly LabelledSample[]; embeddings: readonly Float32Array[] | null };
  options?: Partial<TextModelOptions>;
  /** Fixed label set (e.g. the catalog); default: the labels seen, sorted. */
  labels?: string[];
  card?: Partial<Omit<ModelCard, 'data'>> & { data?: Partial<ModelCard['data']> };
}

/** Large data sets need fewer passes: at most ~4,000 optimizer steps over `samples` rows, never fewer than 20 epochs. */
export function epochCap(samples: number, epochs: number, batch: number): number {
  return Math.min(epochs, Math.max(20, Math.ceil(4000 / Math.ceil(samples / batch))));
}

export function trainTextModel(input: TrainInput): TextModel {
  const o: TextModelOptions = { ...DEFAULT_OPTIONS, ...input.options };
  const prior = input.prior ?? { samples: [], embeddings: null };
  if (input.embeddings && prior.samples.length && (!prior.embeddings || prior.embeddings.length !== prior.samples.length))
    throw new Error('prior samples need their embedding features when the model uses embeddings');
  const own = input.samples;
  input = {
    ...input,
    samples: [...own, ...prior.samples],
    embeddings: input.embeddings ? [...input.embeddings, ...(prior.embeddings ?? [])] : null,
  };
  const labels = input.labels ?? [...new Set(input.samples.map((s) => s.label))].sort();
  const li = new Map(labels.map((l, i) => [l, i]));
  const ys = input.samples.map((s) => {
    const y = li.get(s.label);
    if (y === undefined) throw new Error(`label ${s.label} not in the label set`);
    return y;
  });
  const counts = input.samples.map((s) => {
    const c = gramCounts(s.text, o.ngramMaxN);
    if (s.title.trim()) gramCounts(s.title, o.ngramMaxN, o.titleWeight, c);
    return c;
  });
  const vocab = fitVocab(counts, { maxN: o.ngramMaxN, maxFeatures: o.ngramMaxFeatures, minDf: o.ngramMinDf });
  const vec = new NgramVectorizer(vocab);
  const xs = counts.map((c) => vec.vectorize(c));
  const k = labels.length;
  const cap = (epochs: number) => epochCap(input.samples.length, epochs, o.batch);
  const ngramHead = trainSoftmax(xs, ys, k, vec.dim, { l2: o.l2Ngram, epochs: cap(o.epochsNgram), lr: o.lr, batch: o.batch, seed: o.seed });
  let embHead: LinearHead | null = null;
  let embNorm: { mean: Float32Array; scale: Float32Array } | null = null;
  if (input.embeddings) {
    embNorm = o.standardize ? fitNorm(input.embeddings) : null;
    const xe = input.embeddings.map((e) => denseToSparse(zscore(e, embNorm)));
    embHead = trainSoftmax(xe, ys, k, BGE_DIM, { l2: o.l2Emb, epochs: cap(o.epochsEmb), lr: o.lr, batch: o.batch, seed: o.seed + 1 });
  }
  let bank: PriorBank | null = null;
  if (input.embeddings && prior.embeddings && prior.samples.length && o.priorKnnWeight > 0) {
    const vecs = new Float32Array(prior.samples.length * BGE_DIM);
    prior.embeddings.forEach((e, i) => vecs.set(e, i * BGE_DIM));
    bank = { vecs, labels: Int32Array.from(prior.samples, (s) => li.get(s.label)!) };
  }
  let rowBank: PriorBank | null = null;
  if (input.embeddings && own.length && o.rowKnnWeight > 0) {
    // Over the cap, an even sample over the rows given (they may come grouped by label).
    const n = Math.min(own.length, ROW_BANK_MAX);
    const pick = Array.from({ length: n }, (_, j) => Math.floor((j * own.length) / n));
    const vecs = new Float32Array(n * BGE_DIM);
    pick.forEach((i, j) => vecs.set(input.embeddings![i]!, j * BGE_DIM));
    rowBank = { vecs, labels: Int32Array.from(pick, (i) => li.get(own[i]!.label)!) };
  }
  const labelCounts: Record<string, number> = {};
  for (const s of own) labelCounts[s.label] = (labelCounts[s.label] ?? 0) + 1;
  const card: ModelCard = {
    format: MODEL_FORMAT,
    version: input.card?.version ?? new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, ''),
    createdAt: new Date().toISOString(),
    description:
      input.card?.description ??
      (embHead
        ? `bge-small-zh-v1.5 [CLS] embeddings + softmax head, mixed with a character n-gram softmax head${bank ? ', and the nearest prior descriptions\' vote' : ''}${rowBank ? ', and the nearest training rows\' vote' : ''}`
        : 'character n-gram softmax head'),
    embedding: embHead ? { model: 'bge-small-zh-v1.5 int8', dim: BGE_DIM } : null,
    data: { source: '', ...input.card?.data, rows: own.length, labels: labelCounts },
    metrics: input.card?.metrics ?? {},
    options: o,
  };
  return new TextModel(labels, vocab, ngramHead, embHead, embNorm, o, card, bank, rowBank);
}

export interface PriorBank {
  /** Row-major n × BGE_DIM embedding features. */
  vecs: Float32Array;
  /** Label index of each row. */
  labels: Int32Array;
}

/**
 * The nearest prior descriptions' vote: the k most similar rows, weighted exp(cosine / temp).
 * Written as a plain scan (cosines into one array, a 4-way unrolled dot product, an insertion-kept
 * top k): on every classification it runs over the taxonomy bank and the rows' bank, and the
 * earlier sort-per-row form cost ~0.7 ms of CPU per query over 93 rows (12× this one).
 */
export function priorVote(bank: PriorBank, emb: Float32Array, k: number, kTop: number, temp: number): Float32Array {
  const n = bank.labels.length;
  const vecs = bank.vecs;
  const sims = new Float64Array(n);
  for (let r = 0, off = 0; r < n; r++, off += BGE_DIM) {
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let d = 0; d < BGE_DIM; d += 4) {
      s0 += emb[d]! * vecs[off + d]!;
      s1 += emb[d + 1]! * vecs[off + d + 1]!;
      s2 += emb[d + 2]! * vecs[off + d + 2]!;
      s3 += emb[d + 3]! * vecs[off + d + 3]!;
    }
    sims[r] = s0 + s1 + s2 + s3;
  }
  // The kTop best rows, best first; an equal cosine keeps the earlier row ahead (as a stable sort).
  const top = new Int32Array(Math.min(kTop, n));
  let m = 0;
  for (let r = 0; r < n; r++) {
    const s = sims[r]!;
    let j: number;
    if (m < top.length) j = m++;
    else if (s > sims[top[m - 1]!]!) j = m - 1;
    else continue;
    while (j > 0 && sims[top[j - 1]!]! < s) {
      top[j] = top[j - 1]!;
      j--;
    }
    top[j] = r;
  }
  const out = new Float32Array(k);
  if (!m) return out.fill(1 / k);
  const best = sims[top[0]!]!;
  let z = 0;
  for (let q = 0; q < m; q++) {
    const w = Math.exp((sims[top[q]!]! - best) / temp);
    const l = bank.labels[top[q]!]!;
    out[l] = out[l]! + w;
    z += w;
  }
  for (let i = 0; i < k; i++) out[i] = out[i]! / z;
  return out;
}

function fitNorm(xs: readonly Float32Array[]): { mean: Float32Array; scale: Float32Array } {
  const d = xs[0]?.length ?? BGE_DIM;
  const mean = new Float32Array(d);
  const scale = new Float32Array(d);
  for (const x of xs) for (let i = 0; i < d; i++) mean[i] = mean[i]! + x[i]! / xs.length;
  for (const x of xs) for (let i = 0; i < d; i++) scale[i] = scale[i]! + (x[i]! - mean[i]!) ** 2 / xs.length;
  for (let i = 0; i < d; i++) scale[i] = 1 / Math.sqrt(scale[i]! + 1e-6);
  return { mean, scale };
}

function zscore(x: Float32Array, n: { mean: Float32Array; scale: Float32Array } | null): Float32Array {
  if (!n) return x;
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = (x[i]! - n.mean[i]!) * n.scale[i]!;
  return out;
}
