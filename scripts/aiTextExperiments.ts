// Text-model experiments for choosing settings: every variant is scored by stratified k-fold
// cross-validation over several seeds on ONE labelled file (use the choosing rows,
// tests/fixtures/ai/complaints-choose.csv — never the held-out rows), and printed as mean ± sd.
// Embeddings are computed once and cached (--cache FILE), so reruns only train heads.
//
//   nice -n 10 npx tsx scripts/aiTextExperiments.ts --data tests/fixtures/ai/complaints-choose.csv \
//     --seeds 3 --folds 5 --cache /tmp/ai-emb-cache.json
//
// Parts (each gives class probabilities for a held-out row; trained on the fold's training rows
// plus the taxonomy names as extra samples, like `ai train`):
//   emb.cls / emb.mean / emb.chunks   softmax head on [CLS] / mean-pooled / 4-window [CLS] average
//   ngram2 / ngram3                   softmax head on character 1–2 / 1–3 gram TF-IDF
//   nb3                               multinomial naive Bayes on character 1–3 gram counts
//   vote                              nearest taxonomy names' vote (no training rows)
//   knn                               nearest training rows' vote
//   *.aug                             the same trained with 2 sentence-shuffled copies of each row
// Ensembles mix the parts' probabilities linearly (or geometrically, "geo").

import fs from 'node:fs';
import crypto from 'node:crypto';
import { Embedder } from '../src/main/ai/embedder';
import { bgeDir } from '../src/main/ai/paths';
import { readDataset } from '../src/main/ai/dataset';
import { taxonomyPrior } from '../src/main/ai/prior';
import { embFeature, fullText, priorVote, TextModel, trainTextModel, type LabelledSample } from '../src/main/ai/textModel';
import { metricsOf, rankOf, stratifiedFolds } from '../src/main/ai/metrics';
import { gramCounts } from '../src/main/ai/ngram';
import { BGE_DIM, l2normalize } from '../src/main/ai/embedder';
import { arg } from './aiTextCommon';

type Vec = Float32Array;
interface Emb {
  cls: Vec;
  mean: Vec;
  chunks: Vec;
}

/** Sentence-shuffled copy of a body (the title stays first in fullText). */
function shuffleSentences(text: string, seed: number): string {
  const parts = text.split(/(?<=[。！？；!?;\n])/u).filter((s) => s.trim());
  let s = seed >>> 0 || 1;
  const rand = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
  for (let i = parts.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [parts[i], parts[j]] = [parts[j]!, parts[i]!];
  }
  return parts.join('');
}

async function main() {
  const data = arg('data');
  if (/holdout/i.test(data)) throw new Error('experiments never look at the held-out rows');
  const seeds = Number(arg('seeds', '3'));
  const folds = Number(arg('folds', '5'));
  const cacheFile = arg('cache', '/tmp/ai-emb-cache.json');
  const rows = await readDataset(data);
  const labels = [...new Set(rows.map((r) => r.label))].sort();
  const li = new Map(labels.map((l, i) => [l, i]));
  const prior = taxonomyPrior(labels);
  const AUG = 2;
  const aug: LabelledSample[][] = rows.map((r, i) =>
    Array.from({ length: AUG }, (_, a) => ({ title: r.title, text: shuffleSentences(r.text, 1000 * i + a + 1), label: r.label })),
  );

  // ---- embeddings, cached by text
  const cache = new Map<string, { cls: number[]; mean: number[]; chunks: number[] }>();
  if (fs.existsSync(cacheFile)) for (const [k, v] of Object.entries(JSON.parse(fs.readFileSync(cacheFile, 'utf8')))) cache.set(k, v as never);
  const key = (t: string) => crypto.createHash('sha1').update(t).digest('hex');
  const texts = new Set<string>();
  const all: LabelledSample[] = [...rows, ...prior, ...aug.flat()];
  for (const s of all) {
    texts.add(fullText(s));
    if (s.title.trim()) texts.add(s.title.trim());
  }
  const missing = [...texts].filter((t) => !cache.has(key(t)));
  if (missing.length) {
    const e = await Embedder.load(bgeDir(), { threads: 2 });
    process.stderr.write(`embedding ${missing.length} texts\n`);
    const first = await e.embedTokens(missing.map((t) => e.tokenize(t)));
    for (let i = 0; i < missing.length; i++) {
      const ch = await e.embedTokens(e.tokenizeChunks(missing[i]!, 4));
      const avg = new Float32Array(BGE_DIM);
      for (const c of ch) for (let d = 0; d < BGE_DIM; d++) avg[d] = avg[d]! + c.cls[d]!;
      cache.set(key(missing[i]!), { cls: Array.from(first[i]!.cls), mean: Array.from(first[i]!.mean), chunks: Array.from(l2normalize(avg)) });
    }
    await e.dispose();
    fs.writeFileSync(cacheFile, JSON.stringify(Object.fromEntries(cache)));
  }
  const embOf = (t: string): Emb => {
    const c = cache.get(key(t))!;
    return { cls: Float32Array.from(c.cls), mean: Float32Array.from(c.mean), chunks: Float32Array.from(c.chunks) };
  };
  const feat = (s: LabelledSample, kind: keyof Emb): Vec => embFeature(embOf(fullText(s))[kind], s.title.trim() ? embOf(s.title.trim())[kind] : null, 0.5);
  const kinds: Array<keyof Emb> = ['cls', 'mean', 'chunks'];
  const F = Object.fromEntries(kinds.map((k) => [k, rows.map((r) => feat(r, k))])) as Record<keyof Emb, Vec[]>;
  const PF = Object.fromEntries(kinds.map((k) => [k, prior.map((r) => feat(r, k))])) as Record<keyof Emb, Vec[]>;
  const AF = aug.map((as) => as.map((a) => feat(a, 'cls')));
  const bank = { vecs: new Float32Array(prior.length * BGE_DIM), labels: Int32Array.from(prior, (p) => li.get(p.label)!) };
  PF.cls.forEach((v, i) => bank.vecs.set(v, i * BGE_DIM));

  // ---- parts: probs[part][seed][row]
  const K = labels.length;
  const probs = new Map<string, Vec[][]>();
  const put = (part: string, s: number, i: number, p: Vec) => {
    if (!probs.has(part)) probs.set(part, Array.from({ length: seeds }, () => new Array<Vec>(rows.length)));
    probs.get(part)![s]![i] = p;
  };
  const partsArg = process.argv.includes('--parts') ? arg('parts').split(',') : null;
  const want = (p: string) => !partsArg || partsArg.some((x) => x.startsWith(p) || x.includes(p));
  const withOptions = (m: ReturnType<typeof trainTextModel>, o: Record<string, number>) =>
    new TextModel(m.labels, m.vocab, m.ngramHead, m.embHead, m.embNorm, { ...m.options, ...o }, m.card, null);
  const t0 = performance.now();
  const partsCache = process.argv.includes('--parts-cache') ? arg('parts-cache') : null;
  if (partsCache && fs.existsSync(partsCache))
    for (const [p, bySeed] of Object.entries(JSON.parse(fs.readFileSync(partsCache, 'utf8')) as Record<string, number[][][]>))
      probs.set(p, bySeed.map((rs) => rs.map((v) => Float32Array.from(v))));
  const cached = probs.size > 0;
  for (let s = 0; s < seeds && !cached; s++) {
    const fold = stratifiedFolds(rows.map((r) => r.label), folds, s + 1);
    for (let f = 0; f < folds; f++) {
      const tr = rows.map((_, i) => i).filter((i) => fold[i] !== f);
      const te = rows.map((_, i) => i).filter((i) => fold[i] === f);
      const seed = (s + 1) * 31 + f;
      const train = (kind: keyof Emb, withAug: boolean, options: Record<string, number> = {}) => {
        const samples: LabelledSample[] = tr.map((i) => rows[i]!);
        const embs = tr.map((i) => F[kind][i]!);
        if (withAug) for (const i of tr) aug[i]!.forEach((a, j) => (samples.push(a), embs.push(AF[i]![j]!)));
        return trainTextModel({ samples, embeddings: embs, prior: { samples: prior, embeddings: PF[kind] }, options: { seed, priorKnnWeight: 0, ...options }, labels });
      };
      // One training gives both heads: the embedding head alone (embWeight 1) and the n-gram head alone (0).
      if (want('emb.')) for (const kind of kinds) {
        if (kind !== 'cls' && !want(`emb.${kind}`)) continue;
        const m = train(kind, false);
        for (const i of te) {
          put(`emb.${kind}`, s, i, withOptions(m, { embWeight: 1 }).probs(rows[i]!, F[kind][i]!));
          if (kind === 'cls') put('ngram2', s, i, withOptions(m, { embWeight: 0 }).probs(rows[i]!, F.cls[i]!));
        }
      }
      if (want('ngram3')) {
        const m3 = train('cls', false, { ngramMaxN: 3, ngramMaxFeatures: 60000 });
        for (const i of te) put('ngram3', s, i, withOptions(m3, { embWeight: 0 }).probs(rows[i]!, F.cls[i]!));
      }
      if (want('.aug')) {
        const ma = train('cls', true);
        for (const i of te) {
          put('emb.cls.aug', s, i, withOptions(ma, { embWeight: 1 }).probs(rows[i]!, F.cls[i]!));
          put('ngram2.aug', s, i, withOptions(ma, { embWeight: 0 }).probs(rows[i]!, F.cls[i]!));
        }
      }
      if (want('nb3')) {
        // naive Bayes on character 1–3 grams (training rows + taxonomy names), probabilities from the per-gram mean log-likelihood
        const nb = trainNb([...tr.map((i) => rows[i]!), ...prior], li, K, 3);
        for (const i of te) put('nb3', s, i, nb(rows[i]!));
      }
      const kb = { vecs: new Float32Array(tr.length * BGE_DIM), labels: Int32Array.from(tr, (j) => li.get(rows[j]!.label)!) };
      tr.forEach((j, q) => kb.vecs.set(F.cls[j]!, q * BGE_DIM));
      for (const i of te) {
        put('vote', s, i, priorVote(bank, F.cls[i]!, K, 5, 0.05));
        for (const [k, t] of [[5, 0.05], [3, 0.05], [10, 0.05], [10, 0.1], [20, 0.05]] as const) put(k === 5 && t === 0.05 ? 'knn' : `knn.k${k}.t${t}`, s, i, priorVote(kb, F.cls[i]!, K, k, t));
      }
    }
  }
  if (partsCache && !fs.existsSync(partsCache))
    fs.writeFileSync(partsCache, JSON.stringify(Object.fromEntries([...probs].map(([p, bySeed]) => [p, bySeed.map((rs) => rs.map((v) => Array.from(v)))]))));
  process.stderr.write(`parts trained in ${Math.round(performance.now() - t0)} ms\n`);

  // ---- variants
  type Mix = Array<[string, number]>;
  const lin = (mix: Mix) => (s: number, i: number) => {
    const out = new Float32Array(K);
    for (const [p, w] of mix) probs.get(p)![s]![i]!.forEach((v, c) => (out[c] = out[c]! + w * v));
    return out;
  };
  const geo = (mix: Mix) => (s: number, i: number) => {
    const out = new Float32Array(K);
    for (const [p, w] of mix) probs.get(p)![s]![i]!.forEach((v, c) => (out[c] = out[c]! + w * Math.log(v + 1e-9)));
    return out;
  };
  const prev = (e: string, n: string, vw: number, ew = 0.7): Mix => [
    [e, (1 - vw) * ew],
    [n, (1 - vw) * (1 - ew)],
    ['vote', vw],
  ];
  const variants: Array<[string, (s: number, i: number) => Vec]> = [
    ...[...probs.keys()].map((p) => [p, lin([[p, 1]])] as [string, (s: number, i: number) => Vec]),
    ['SHIPPED: 0.7·(0.7 emb.cls + 0.3 ngram2) + 0.3 vote', lin(prev('emb.cls', 'ngram2', 0.3))],
    ['same, vote 0.5', lin(prev('emb.cls', 'ngram2', 0.5))],
    ['same, emb.mean', lin(prev('emb.mean', 'ngram2', 0.3))],
    ['same, emb.chunks', lin(prev('emb.chunks', 'ngram2', 0.3))],
    ['same, ngram3', lin(prev('emb.cls', 'ngram3', 0.3))],
    ['same, ngram3, emb 0.5', lin(prev('emb.cls', 'ngram3', 0.3, 0.5))],
    ['same, nb3 for ngram', lin(prev('emb.cls', 'nb3', 0.3))],
    ['same, emb.cls.aug + ngram2.aug', lin(prev('emb.cls.aug', 'ngram2.aug', 0.3))],
    ['same, emb.cls.aug + ngram2', lin(prev('emb.cls.aug', 'ngram2', 0.3))],
    ['shipped + knn 0.15', lin([...prev('emb.cls', 'ngram2', 0.3).map(([p, w]) => [p, w * 0.85] as [string, number]), ['knn', 0.15]])],
    ['shipped + knn 0.1', lin([...prev('emb.cls', 'ngram2', 0.3).map(([p, w]) => [p, w * 0.9] as [string, number]), ['knn', 0.1]])],
    ['shipped + knn 0.2', lin([...prev('emb.cls', 'ngram2', 0.3).map(([p, w]) => [p, w * 0.8] as [string, number]), ['knn', 0.2]])],
    ['shipped + knn 0.3', lin([...prev('emb.cls', 'ngram2', 0.3).map(([p, w]) => [p, w * 0.7] as [string, number]), ['knn', 0.3]])],
    ['shipped + knn.k10.t0.05 0.15', lin([...prev('emb.cls', 'ngram2', 0.3).map(([p, w]) => [p, w * 0.85] as [string, number]), ['knn.k10.t0.05', 0.15]])],
    ['shipped + knn.k10.t0.1 0.15', lin([...prev('emb.cls', 'ngram2', 0.3).map(([p, w]) => [p, w * 0.85] as [string, number]), ['knn.k10.t0.1', 0.15]])],
    ['shipped + knn.k3.t0.05 0.15', lin([...prev('emb.cls', 'ngram2', 0.3).map(([p, w]) => [p, w * 0.85] as [string, number]), ['knn.k3.t0.05', 0.15]])],
    ['shipped + knn.k20.t0.05 0.15', lin([...prev('emb.cls', 'ngram2', 0.3).map(([p, w]) => [p, w * 0.85] as [string, number]), ['knn.k20.t0.05', 0.15]])],
    ['geo: emb.cls 1, ngram2 1, vote 1, knn 0.5', geo([['emb.cls', 1], ['ngram2', 1], ['vote', 1], ['knn', 0.5]])],
    ['geo: emb.cls 1, ngram3 1, vote 1, knn 0.5', geo([['emb.cls', 1], ['ngram3', 1], ['vote', 1], ['knn', 0.5]])],
    ['0.5 emb.cls + 0.2 ngram3 + 0.3 vote', lin([['emb.cls', 0.5], ['ngram3', 0.2], ['vote', 0.3]])],
    ['0.4 emb.cls + 0.15 ngram3 + 0.15 nb3 + 0.3 vote', lin([['emb.cls', 0.4], ['ngram3', 0.15], ['nb3', 0.15], ['vote', 0.3]])],
    ['geo: emb.cls 1, ngram2 0.5, vote 0.5', geo([['emb.cls', 1], ['ngram2', 0.5], ['vote', 0.5]])],
    ['geo: emb.cls 1, ngram3 0.5, vote 0.5', geo([['emb.cls', 1], ['ngram3', 0.5], ['vote', 0.5]])],
    ['geo: emb.cls 1, ngram3 0.5, vote 1', geo([['emb.cls', 1], ['ngram3', 0.5], ['vote', 1]])],
    ['geo: emb.cls 1, ngram3 1, vote 1', geo([['emb.cls', 1], ['ngram3', 1], ['vote', 1]])],
    ['geo: emb.cls 1, ngram2 1, vote 1', geo([['emb.cls', 1], ['ngram2', 1], ['vote', 1]])],
    ['geo: emb.cls 1, ngram3 0.5, nb3 0.5, vote 1', geo([['emb.cls', 1], ['ngram3', 0.5], ['nb3', 0.5], ['vote', 1]])],
  ];
  const only = process.argv.includes('--only') ? new RegExp(arg('only')) : null;
  const acc = (fn: (s: number, i: number) => Vec) => Array.from({ length: seeds }, (_, s) => metricsOf(rows.map((r, i) => ({ truth: li.get(r.label)!, ranked: rankOf(fn(s, i)) })), K));
  const base = acc(variants.find(([n]) => n.startsWith('SHIPPED'))![1]);
  for (const [name, fn] of variants) {
    if (only && !only.test(name)) continue;
    if (![...name.matchAll(/[a-z][a-z0-9.]+/g)].every((m) => !/^(emb|ngram|nb|knn|vote)/.test(m[0]) || probs.has(m[0]))) continue;
    const ms = acc(fn);
    const d = ms.map((m, s) => m.accuracy - base[s]!.accuracy);
    const dm = d.reduce((a, b) => a + b, 0) / d.length;
    const dsd = d.length > 1 ? Math.sqrt(d.reduce((a, b) => a + (b - dm) ** 2, 0) / (d.length - 1)) : 0;
    const stat = (f: 'accuracy' | 'top3' | 'macroF1') => {
      const xs = ms.map((m) => m[f]);
      const mu = xs.reduce((a, b) => a + b, 0) / xs.length;
      const sd = xs.length > 1 ? Math.sqrt(xs.reduce((a, b) => a + (b - mu) ** 2, 0) / (xs.length - 1)) : 0;
      return `${mu.toFixed(3)} ± ${sd.toFixed(3)}`;
    };
    console.log(`${name.padEnd(52)} top-1 ${stat('accuracy')}  top-3 ${stat('top3')}  macro-F1 ${stat('macroF1')}  Δtop-1 vs shipped ${dm >= 0 ? '+' : ''}${dm.toFixed(3)} ± ${dsd.toFixed(3)}`);
  }
}

/** Multinomial naive Bayes on character n-gram counts (Laplace 0.1); probabilities from the mean per-gram log-likelihood × 20. */
function trainNb(samples: readonly LabelledSample[], li: Map<string, number>, k: number, maxN: number) {
  const counts = Array.from({ length: k }, () => new Map<string, number>());
  const tot = new Float64Array(k);
  const docs = new Float64Array(k);
  const vocab = new Set<string>();
  const grams = (s: LabelledSample) => {
    const c = gramCounts(s.text, maxN);
    if (s.title.trim()) gramCounts(s.title, maxN, 2, c);
    return c;
  };
  for (const s of samples) {
    const y = li.get(s.label)!;
    docs[y] = docs[y]! + 1;
    for (const [g, c] of grams(s)) {
      const v = Math.log1p(c);
      counts[y]!.set(g, (counts[y]!.get(g) ?? 0) + v);
      tot[y] = tot[y]! + v;
      vocab.add(g);
    }
  }
  const a = 0.1;
  const V = vocab.size;
  return (s: LabelledSample): Vec => {
    const g = grams(s);
    const z = new Float32Array(k);
    let n = 0;
    for (const [gram, c] of g) if (vocab.has(gram)) n += Math.log1p(c);
    for (let y = 0; y < k; y++) {
      let ll = 0;
      for (const [gram, c] of g) if (vocab.has(gram)) ll += Math.log1p(c) * Math.log(((counts[y]!.get(gram) ?? 0) + a) / (tot[y]! + a * V));
      z[y] = (ll / Math.max(1, n)) * 20 + Math.log(docs[y]! / samples.length) * 0;
    }
    const m = Math.max(...z);
    let sum = 0;
    for (let y = 0; y < k; y++) sum += z[y] = Math.exp(z[y]! - m);
    for (let y = 0; y < k; y++) z[y] = z[y]! / sum;
    return z;
  };
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
