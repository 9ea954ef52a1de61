// Round 4 of choosing text-model settings (issue 16), by stratified 5-fold cross-validation over
// several seeds on the CHOOSING rows only (tests/fixtures/ai/complaints-choose.csv; never the
// held-out rows). Every variant is paired with the shipped pipeline on the same folds. Compared:
//  - Mixture weights chosen by the training data itself ("nested"): for every outer fold, an inner
//    cross-validation over the fold's training rows gives out-of-fold probabilities of the parts,
//    the weights are picked on those (by accuracy or by log-loss), and the outer fold scores the
//    pick, so the figure includes the choosing. Round 3 found that fixed weights chosen at ~59 rows
//    cannot follow the data as it grows; this is the way to let them. Also a per-class bias fitted
//    on the inner folds.
//  - The taxonomy names' vote asked with other query embeddings: the title alone, the body alone,
//    and bge's retrieval instruction in front of the complaint; mixtures of these.
//  - Every part trained and scored on another embedding feature (body + title; with the instruction).
//  - A word head: jieba words and adjacent word pairs (TF-IDF), instead of or beside characters.
// Embeddings are cached by text (--cache FILE, round 3's format), so reruns only train heads.
//
//   nice -n 10 npx tsx scripts/aiTextRound4.ts --data tests/fixtures/ai/complaints-choose.csv \
//     --seeds 5 --cache /tmp/ai-emb-cache.json [--inner 4] [--no-nested]

import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict';
import { embFeature, epochCap, fullText, priorVote, TextModel, trainTextModel, type LabelledSample } from '../src/main/ai/textModel';
import { metricsOf, rankOf, stratifiedFolds } from '../src/main/ai/metrics';
import { logits, softmaxInPlace, trainSoftmax } from '../src/main/ai/linear';
import { fitVocab, normalizeText, NgramVectorizer } from '../src/main/ai/ngram';
import { arg, cachedEmbeddings, choosingData, fmt } from './aiTextCommon';

type Vec = Float32Array;
interface Parts {
  e: Vec;
  n: Vec;
  v: Vec;
  k: Vec;
  w: Vec;
  vt: Vec;
  vb: Vec;
  vi: Vec;
}

interface Mix {
  a: number; // embedding head's share of the heads
  vw: number; // taxonomy vote
  kw: number; // rows' vote
  ww: number; // word head's share of the n-gram side (0: characters only)
  vt?: number; // share of the title-only taxonomy vote inside the taxonomy vote
  vb?: number; // share of the body-only taxonomy vote inside the taxonomy vote
  vi?: number; // share of the vote with bge's retrieval instruction in front of the complaint
}
const mixOf = (p: Parts, m: Mix): Vec =>
  Float32Array.from(p.e, (_, c) => {
    const ng = (1 - m.ww) * p.n[c]! + m.ww * p.w[c]!;
    const vt = m.vt ?? 0;
    const vb = m.vb ?? 0;
    const vi = m.vi ?? 0;
    const v = (1 - vt - vb - vi) * p.v[c]! + vt * p.vt[c]! + vb * p.vb[c]! + vi * p.vi[c]!;
    return (1 - m.kw) * ((1 - m.vw) * (m.a * p.e[c]! + (1 - m.a) * ng) + m.vw * v) + m.kw * p.k[c]!;
  });
const SHIPPED: Mix = { a: 0.7, vw: 0.3, kw: 0.15, ww: 0 };

async function main() {
  const seeds = Number(arg('seeds', '5'));
  const innerK = Number(arg('inner', '4'));
  const { rows, labels, K, li, y, prior } = await choosingData(arg('data'));

  const texts = new Set<string>();
  for (const s of [...rows, ...prior]) {
    texts.add(fullText(s));
    if (s.title.trim()) texts.add(s.title.trim());
    if (s.text.trim()) texts.add(s.text);
  }
  const INSTR = '为这个句子生成表示以用于检索相关文章：';
  for (const r of rows) texts.add(INSTR + fullText(r));
  const emb = await cachedEmbeddings(arg('cache', '/tmp/ai-emb-cache.json'), texts, 2);
  const feat = (s: LabelledSample) => embFeature(emb(fullText(s)), s.title.trim() ? emb(s.title.trim()) : null, 0.5);
  const FAll = rows.map(feat);
  const T = rows.map((r, i) => (r.title.trim() ? emb(r.title.trim()) : FAll[i]!));
  const B = rows.map((r) => emb(r.text));
  // bge's retrieval instruction in front of the complaint (the query side; the names stay bare).
  const FI = rows.map((r) => embFeature(emb(INSTR + fullText(r)), r.title.trim() ? emb(r.title.trim()) : null, 0.5));
  const PF = prior.map(feat);

  // ---- the word head: jieba words and adjacent word pairs, title counted twice, TF-IDF
  const jieba = Jieba.withDict(dict);
  const SEP = /^[\s\p{P}\p{S}]+$/u;
  const wordCounts = (s: LabelledSample) => {
    const c = new Map<string, number>();
    const add = (t: string, wt: number) => {
      const ws = jieba.cut(normalizeText(t).replace(/[0-9]+/g, '0'), false).filter((x) => !SEP.test(x));
      for (let i = 0; i < ws.length; i++) {
        c.set(ws[i]!, (c.get(ws[i]!) ?? 0) + wt);
        if (i + 1 < ws.length) c.set(`${ws[i]}_${ws[i + 1]}`, (c.get(`${ws[i]}_${ws[i + 1]}`) ?? 0) + wt);
      }
    };
    add(s.text, 1);
    if (s.title.trim()) add(s.title, 2);
    return c;
  };
  const WC = rows.map(wordCounts);
  const PWC = prior.map(wordCounts);

  // The body's embedding with the title's mixed in (no "title。" in front of the body).
  const FB = rows.map((r) => embFeature(emb(r.text), r.title.trim() ? emb(r.title.trim()) : null, 0.5));

  // ---- parts of a model trained on `tr` (+ the taxonomy pseudo-rows), for the rows `te`
  const partsFor = (tr: number[], te: number[], seed: number, F: Vec[] = FAll): Map<number, Parts> => {
    const m = trainTextModel({ samples: tr.map((i) => rows[i]!), embeddings: tr.map((i) => F[i]!), prior: { samples: prior, embeddings: PF }, options: { seed }, labels });
    const as = (o: Partial<TextModel['options']>) => new TextModel(m.labels, m.vocab, m.ngramHead, m.embHead, m.embNorm, { ...m.options, ...o }, m.card, m.bank, m.rowBank);
    const eM = as({ embWeight: 1, priorKnnWeight: 0, rowKnnWeight: 0 });
    const nM = as({ embWeight: 0, priorKnnWeight: 0, rowKnnWeight: 0 });
    const O = m.options;
    const wDocs = [...tr.map((i) => WC[i]!), ...PWC];
    const wy = [...tr.map((i) => y[i]!), ...prior.map((p) => li.get(p.label)!)];
    const vocab = fitVocab(wDocs, { maxN: 2, maxFeatures: O.ngramMaxFeatures, minDf: 1 });
    const vec = new NgramVectorizer(vocab);
    const epochs = epochCap(wDocs.length, O.epochsNgram, O.batch);
    const wh = trainSoftmax(wDocs.map((c) => vec.vectorize(c)), wy, K, vec.dim, { l2: O.l2Ngram, epochs, lr: O.lr, batch: O.batch, seed: seed + 2 });
    const out = new Map<number, Parts>();
    for (const i of te)
      out.set(i, {
        e: eM.probs(rows[i]!, F[i]!),
        n: nM.probs(rows[i]!, F[i]!),
        v: priorVote(m.bank!, F[i]!, K, O.priorKnnK, O.priorKnnTemp),
        k: priorVote(m.rowBank!, F[i]!, K, O.rowKnnK, O.rowKnnTemp),
        w: softmaxInPlace(logits(wh, vec.vectorize(WC[i]!))),
        vt: priorVote(m.bank!, T[i]!, K, O.priorKnnK, O.priorKnnTemp),
        vb: priorVote(m.bank!, B[i]!, K, O.priorKnnK, O.priorKnnTemp),
        vi: priorVote(m.bank!, FI[i]!, K, O.priorKnnK, O.priorKnnTemp),
      });
    return out;
  };

  const grid: Mix[] = [];
  for (const a of [0.5, 0.6, 0.7, 0.8, 0.9, 1])
    for (const vw of [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8])
      for (const kw of [0, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4])
        for (const ww of [0, 0.5, 1]) grid.push({ a, vw, kw, ww });
  const score = (ps: Array<[number, Parts]>, m: Mix) => {
    let right = 0;
    let nll = 0;
    for (const [i, p] of ps) {
      const q = mixOf(p, m);
      if (rankOf(q)[0] === y[i]) right++;
      nll -= Math.log(Math.max(1e-9, q[y[i]!]!));
    }
    return { right, nll };
  };
  const pick = (ps: Array<[number, Parts]>, by: 'acc' | 'nll', ww: boolean) => {
    let best: Mix = SHIPPED;
    let bs = { right: -1, nll: Infinity };
    for (const m of grid) {
      if (!ww && m.ww !== 0) continue;
      const s = score(ps, m);
      const better = by === 'acc' ? s.right > bs.right || (s.right === bs.right && s.nll < bs.nll) : s.nll < bs.nll;
      if (better) {
        best = m;
        bs = s;
      }
    }
    return best;
  };

  // Per-class log-bias on top of a mixture, fitted on the inner out-of-fold rows (NLL + L2).
  const fitBias = (ps: Array<[number, Parts]>, m: Mix, l2 = 1): Float64Array => {
    const b = new Float64Array(K);
    const lq = ps.map(([i, p]) => [y[i]!, Array.from(mixOf(p, m), (x) => Math.log(Math.max(1e-9, x)))] as const);
    for (let it = 0; it < 300; it++) {
      const g = new Float64Array(K);
      for (const [t, l] of lq) {
        const z = l.map((x, c) => x + b[c]!);
        const mx = Math.max(...z);
        const ez = z.map((x) => Math.exp(x - mx));
        const sum = ez.reduce((a, c) => a + c, 0);
        for (let c = 0; c < K; c++) g[c] = g[c]! + ez[c]! / sum - (c === t ? 1 : 0);
      }
      for (let c = 0; c < K; c++) b[c] = b[c]! - 0.5 * (g[c]! / lq.length + (l2 * b[c]!) / lq.length);
    }
    return b;
  };
  const biased = (q: Vec, b: Float64Array) => Float32Array.from(q, (x, c) => Math.log(Math.max(1e-9, x)) + b[c]!);

  // A variant: how it mixes the parts (given the outer fold's parts and the inner CV's), and on
  // which embedding feature its parts are trained and scored (default: the shipped one).
  interface Variant {
    mix: (inner: Array<[number, Parts]>) => Mix;
    feature?: Vec[];
    nested?: boolean;
    bias?: boolean;
  }
  const fixed = (m: Mix): Variant => ({ mix: () => m });
  const variants: Record<string, Variant> = {
    shipped: fixed(SHIPPED),
    'taxonomy vote on the title alone': fixed({ ...SHIPPED, vt: 1 }),
    'taxonomy vote half text, half title': fixed({ ...SHIPPED, vt: 0.5 }),
    'taxonomy vote half text, half title, vote 0.4': fixed({ ...SHIPPED, vt: 0.5, vw: 0.4 }),
    'taxonomy vote a third each text / title / bare body': fixed({ ...SHIPPED, vt: 1 / 3, vb: 1 / 3 }),
    'taxonomy vote on the bare body': fixed({ ...SHIPPED, vb: 1 }),
    'taxonomy vote half text, half bare body': fixed({ ...SHIPPED, vb: 0.5 }),
    'taxonomy vote with the retrieval instruction': fixed({ ...SHIPPED, vi: 1 }),
    'taxonomy vote half with the retrieval instruction': fixed({ ...SHIPPED, vi: 0.5 }),
    'every part on the body + title feature (no "title。" in front)': { mix: () => SHIPPED, feature: FB },
    'every part on the retrieval-instruction feature': { mix: () => SHIPPED, feature: FI },
    'word head instead of characters': fixed({ ...SHIPPED, ww: 1 }),
    'word and character heads half each': fixed({ ...SHIPPED, ww: 0.5 }),
    'nested: weights by inner-CV accuracy': { mix: (inn) => pick(inn, 'acc', false), nested: true },
    'nested: weights by inner-CV log-loss': { mix: (inn) => pick(inn, 'nll', false), nested: true },
    'nested: weights by inner-CV accuracy, word head allowed': { mix: (inn) => pick(inn, 'acc', true), nested: true },
    'nested: weights by inner-CV log-loss, word head allowed': { mix: (inn) => pick(inn, 'nll', true), nested: true },
    'shipped + per-class bias from inner CV': { mix: () => SHIPPED, nested: true, bias: true },
    'nested accuracy + per-class bias from inner CV': { mix: (inn) => pick(inn, 'acc', false), nested: true, bias: true },
  };
  const nestedRun = !process.argv.includes('--no-nested');
  const names = Object.keys(variants).filter((v) => nestedRun || !variants[v]!.nested);
  const acc: Record<string, number[]> = Object.fromEntries(names.map((v) => [v, []]));
  const top3: Record<string, number[]> = Object.fromEntries(names.map((v) => [v, []]));
  const PARTS = ['e', 'n', 'v', 'k', 'w', 'vt', 'vb', 'vi'] as const;
  const partAcc: Record<string, number[]> = Object.fromEntries(PARTS.map((p) => [p, []]));
  const picks: Record<string, Mix[]> = {};
  const t0 = performance.now();
  for (let s = 0; s < seeds; s++) {
    const fold = stratifiedFolds(y.map((c) => labels[c]!), 5, s + 1);
    const scored: Record<string, Array<{ truth: number; ranked: number[] }>> = Object.fromEntries(names.map((v) => [v, []]));
    const partScored: Record<string, Array<{ truth: number; ranked: number[] }>> = Object.fromEntries(PARTS.map((p) => [p, []]));
    for (let f = 0; f < 5; f++) {
      const tr = rows.map((_, i) => i).filter((i) => fold[i] !== f);
      const te = rows.map((_, i) => i).filter((i) => fold[i] === f);
      const seed = (s + 1) * 31 + f;
      const outer = [...partsFor(tr, te, seed)];
      const inner: Array<[number, Parts]> = [];
      if (nestedRun) {
        const innerFold = stratifiedFolds(tr.map((i) => rows[i]!.label), innerK, 1000 * (s + 1) + f);
        for (let g = 0; g < innerK; g++) {
          const itr = tr.filter((_, j) => innerFold[j] !== g);
          const ite = tr.filter((_, j) => innerFold[j] === g);
          inner.push(...partsFor(itr, ite, seed + 100 * (g + 1)));
        }
      }
      for (const name of names) {
        const v = variants[name]!;
        const m = v.mix(inner);
        (picks[name] ??= []).push(m);
        const b = v.bias ? fitBias(inner, m) : null;
        const ps = v.feature ? [...partsFor(tr, te, seed, v.feature)] : outer;
        for (const [i, p] of ps) scored[name]!.push({ truth: y[i]!, ranked: rankOf(b ? biased(mixOf(p, m), b) : mixOf(p, m)) });
      }
      for (const [i, p] of outer) for (const part of PARTS) partScored[part]!.push({ truth: y[i]!, ranked: rankOf(p[part]) });
      process.stderr.write(`seed ${s + 1} fold ${f + 1} (${((performance.now() - t0) / 1000).toFixed(0)} s)\n`);
    }
    for (const name of names) {
      const mt = metricsOf(scored[name]!, K);
      acc[name]!.push(mt.accuracy);
      top3[name]!.push(mt.top3);
    }
    for (const part of PARTS) partAcc[part]!.push(metricsOf(partScored[part]!, K).accuracy);
  }
  console.log(`rows ${rows.length}, ${seeds} seeds × 5-fold, inner ${innerK}-fold; one row is ${(1 / rows.length).toFixed(4)}`);
  console.log('parts alone (top-1):', Object.entries(partAcc).map(([p, xs]) => `${p} ${fmt(xs)}`).join(', '));
  for (const name of names) {
    const d = acc[name]!.map((a, i) => a - acc.shipped![i]!);
    console.log(`${name}: top-1 ${fmt(acc[name]!)} (per seed ${acc[name]!.map((a) => a.toFixed(3)).join(' ')}), top-3 ${fmt(top3[name]!)}, Δ ${fmt(d)}`);
    if (variants[name]!.nested) {
      const ps = picks[name]!;
      console.log(`   picks: a ${ps.map((m) => m.a).join(',')} | vw ${ps.map((m) => m.vw).join(',')} | kw ${ps.map((m) => m.kw).join(',')} | ww ${ps.map((m) => m.ww).join(',')}`);
    }
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
