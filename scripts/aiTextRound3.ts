// Round 3 of choosing text-model settings (issue 16): a learning curve of the shipped pipeline and
// variants not tried in rounds 1–2, every figure by stratified 5-fold cross-validation over several
// seeds on the CHOOSING rows only (tests/fixtures/ai/complaints-choose.csv; never the held-out rows).
// Embeddings are cached by text (--cache FILE, the same format as scripts/aiTextExperiments.ts), so
// reruns only train heads.
//
//   nice -n 10 npx tsx scripts/aiTextRound3.ts --data tests/fixtures/ai/complaints-choose.csv \
//     --seeds 5 --cache /tmp/ai-emb-cache.json [--curve] [--variants [--parts-cache F] [--heads a,b]]
//
// --curve     the shipped pipeline (trainTextModel defaults + taxonomy names) trained on a stratified
//             subsample of each fold's training rows (≈19, ≈40 and all ≈59), scored on the fold's rows;
//             with its parts (embedding head, n-gram head, rows' vote, mixture without the rows' vote).
// --variants  parts computed per seed and fold, then mixed like the shipped pipeline. The shipped
//             parts e, n, v, k (embedding head, n-gram head, taxonomy names' vote, training rows'
//             vote) are trained here or read from aiTextExperiments.ts's --parts-cache (same folds,
//             seeds and training). Trained heads cost seconds each on a loaded machine, so only those
//             named in --heads are trained:
//   eL2.01, eL2.0001  embedding head with L2 1e-2 / 1e-4 (shipped 1e-3)
//   eBal, nBal        heads trained with class-balanced sample weights (pseudo-rows keep weight 1)
//   eP.25, nP.25      heads trained with the taxonomy pseudo-rows at weight 0.25 (shipped 1)
//   eL1, eBody        embedding head on pseudo-rows "顶级类 / 二级类，三级类"; on the body's embedding
// and, without training: vL1 (taxonomy vote over "顶级类 / …" rows), kBody (rows' vote on the body's
// embedding), cen / cenP (nearest class centroid of the rows / rows + pseudo-rows, softmax of
// cosine / 0.05), cal:v / cal:k (the votes with a temperature fitted by NLL on the training rows;
// the rows' vote leaving each row out).

import fs from 'node:fs';
import { BGE_DIM } from '../src/main/ai/embedder';
import { embFeature, epochCap, fullText, priorVote, TextModel, trainTextModel, type LabelledSample, type PriorBank } from '../src/main/ai/textModel';
import { metricsOf, rankOf, stratifiedFolds } from '../src/main/ai/metrics';
import { denseToSparse, logits, softmaxInPlace, trainSoftmax } from '../src/main/ai/linear';
import { gramCounts, fitVocab, NgramVectorizer } from '../src/main/ai/ngram';
import { arg, cachedEmbeddings, choosingData, fmt, mean, sd } from './aiTextCommon';

type Vec = Float32Array;

async function main() {
  const seeds = Number(arg('seeds', '5'));
  const folds = 5;
  const cacheFile = arg('cache', '/tmp/ai-emb-cache.json');
  const { rows, labels, K, li, y, prior } = await choosingData(arg('data'));
  // The same pseudo-rows with their top-level class name in front.
  const priorL1 = prior.map((p) => ({ ...p, title: `${p.label} / ${p.title}` }));

  // ---- embeddings, cached by text ([CLS], L2-normalised)
  const texts = new Set<string>();
  for (const s of [...rows, ...prior, ...priorL1]) {
    texts.add(fullText(s));
    if (s.title.trim()) texts.add(s.title.trim());
  }
  for (const r of rows) texts.add(r.text);
  const emb = await cachedEmbeddings(cacheFile, texts, 1);
  const feat = (s: LabelledSample) => embFeature(emb(fullText(s)), s.title.trim() ? emb(s.title.trim()) : null, 0.5);
  const F = rows.map(feat);
  const FBody = rows.map((r) => embFeature(emb(r.text), r.title.trim() ? emb(r.title.trim()) : null, 0.5));
  const PF = prior.map(feat);
  const PFL1 = priorL1.map(feat);
  const bankOf = (vs: readonly Vec[], ls: readonly number[]): PriorBank => {
    const vecs = new Float32Array(vs.length * BGE_DIM);
    vs.forEach((v, i) => vecs.set(v, i * BGE_DIM));
    return { vecs, labels: Int32Array.from(ls) };
  };
  const py = prior.map((p) => li.get(p.label)!);
  const bank = bankOf(PF, py);
  const bankL1 = bankOf(PFL1, py);
  const O = trainTextModel({ samples: rows.slice(0, 2), embeddings: F.slice(0, 2), labels }).options; // defaults

  // ---- heads with sample weights (the same recipe as trainTextModel)
  const cap = (n: number, epochs: number) => epochCap(n, epochs, O.batch);
  const embHead = (xs: readonly Vec[], ys: readonly number[], w: Float32Array | undefined, l2: number, seed: number) => {
    const h = trainSoftmax(xs.map(denseToSparse), ys, K, BGE_DIM, { l2, epochs: cap(xs.length, O.epochsEmb), lr: O.lr, batch: O.batch, seed: seed + 1, sampleWeights: w });
    return (x: Vec) => softmaxInPlace(logits(h, denseToSparse(x)));
  };
  const ngramHead = (ss: readonly LabelledSample[], ys: readonly number[], w: Float32Array | undefined, seed: number) => {
    const grams = (s: LabelledSample) => {
      const c = gramCounts(s.text, O.ngramMaxN);
      if (s.title.trim()) gramCounts(s.title, O.ngramMaxN, O.titleWeight, c);
      return c;
    };
    const counts = ss.map(grams);
    const vocab = fitVocab(counts, { maxN: O.ngramMaxN, maxFeatures: O.ngramMaxFeatures, minDf: O.ngramMinDf });
    const vec = new NgramVectorizer(vocab);
    const h = trainSoftmax(counts.map((c) => vec.vectorize(c)), ys, K, vec.dim, { l2: O.l2Ngram, epochs: cap(ss.length, O.epochsNgram), lr: O.lr, batch: O.batch, seed, sampleWeights: w });
    return (s: LabelledSample) => softmaxInPlace(logits(h, vec.vectorize(grams(s))));
  };
  const weights = (n: number, ys: readonly number[], priorW: number, balanced: boolean) => {
    const cnt = new Array<number>(K).fill(0);
    for (let i = 0; i < n; i++) cnt[ys[i]!]!++;
    return Float32Array.from(ys, (c, i) => (i >= n ? priorW : balanced ? n / (K * Math.max(1, cnt[c]!)) : 1));
  };
  const centroid = (xs: readonly Vec[], ys: readonly number[], temp: number) => {
    const c = Array.from({ length: K }, () => new Float32Array(BGE_DIM));
    xs.forEach((x, i) => x.forEach((v, d) => (c[ys[i]!]![d] = c[ys[i]!]![d]! + v)));
    for (const v of c) {
      let s = 0;
      for (const a of v) s += a * a;
      const nn = Math.sqrt(s) || 1;
      for (let d = 0; d < BGE_DIM; d++) v[d]! /= nn;
    }
    return (x: Vec) => {
      const z = Float32Array.from(c, (v) => {
        let s = 0;
        for (let d = 0; d < BGE_DIM; d++) s += v[d]! * x[d]!;
        return s;
      });
      return softmaxInPlace(z, temp);
    };
  };
  const trainIdx = (fold: number[], f: number) => rows.map((_, i) => i).filter((i) => fold[i] !== f);
  const testIdx = (fold: number[], f: number) => rows.map((_, i) => i).filter((i) => fold[i] === f);
  const shippedMix = (e: Vec, n: Vec, v: Vec, k: Vec, vw = 0.3, kw = 0.15) =>
    Float32Array.from(e, (_, c) => (1 - kw) * ((1 - vw) * (0.7 * e[c]! + 0.3 * n[c]!) + vw * v[c]!) + kw * k[c]!);

  const t0 = performance.now();

  // ---------------- learning curve
  if (process.argv.includes('--curve')) {
    const sizes = [20, 40, Infinity];
    for (const size of sizes) {
      const accs: number[] = [];
      const top3s: number[] = [];
      const partAcc: Record<string, number[]> = { 'emb head': [], 'n-gram head': [], 'rows vote': [], 'without rows vote': [] };
      let ntr = 0;
      for (let s = 0; s < seeds; s++) {
        const fold = stratifiedFolds(rows.map((r) => r.label), folds, s + 1);
        const scored = [];
        const partScored: Record<string, Array<{ truth: number; ranked: number[] }>> = Object.fromEntries(Object.keys(partAcc).map((p) => [p, []]));
        for (let f = 0; f < folds; f++) {
          let tr = trainIdx(fold, f);
          if (tr.length > size) {
            // stratified subsample: each label's rows shuffled (seeded), its share of `size` kept (at least 1)
            let st = (1000 * s + f + 7) >>> 0;
            const rand = () => ((st = (Math.imul(st, 1664525) + 1013904223) >>> 0) / 4294967296);
            const total = tr.length;
            const keep: number[] = [];
            for (const c of labels) {
              const idx = tr.filter((i) => rows[i]!.label === c);
              for (let q = idx.length - 1; q > 0; q--) {
                const j = Math.floor(rand() * (q + 1));
                [idx[q], idx[j]] = [idx[j]!, idx[q]!];
              }
              keep.push(...idx.slice(0, Math.max(1, Math.round((size * idx.length) / total))));
            }
            tr = keep;
          }
          ntr += tr.length;
          const m = trainTextModel({ samples: tr.map((i) => rows[i]!), embeddings: tr.map((i) => F[i]!), prior: { samples: prior, embeddings: PF }, options: { seed: (s + 1) * 31 + f }, labels });
          // The parts of the same model (its heads alone, the rows' vote alone, the mixture without it).
          const as = (o: Partial<typeof O>) => new TextModel(m.labels, m.vocab, m.ngramHead, m.embHead, m.embNorm, { ...m.options, ...o }, m.card, m.bank, m.rowBank);
          const parts: Record<string, (i: number) => Vec> = {
            'emb head': (i) => as({ embWeight: 1, priorKnnWeight: 0, rowKnnWeight: 0 }).probs(rows[i]!, F[i]!),
            'n-gram head': (i) => as({ embWeight: 0, priorKnnWeight: 0, rowKnnWeight: 0 }).probs(rows[i]!, F[i]!),
            'rows vote': (i) => priorVote(m.rowBank!, F[i]!, K, 5, 0.05),
            'without rows vote': (i) => as({ rowKnnWeight: 0 }).probs(rows[i]!, F[i]!),
          };
          for (const i of testIdx(fold, f)) {
            scored.push({ truth: y[i]!, ranked: rankOf(m.probs(rows[i]!, F[i]!)) });
            for (const [p, fn] of Object.entries(parts)) partScored[p]!.push({ truth: y[i]!, ranked: rankOf(fn(i)) });
          }
        }
        const mt = metricsOf(scored, K);
        accs.push(mt.accuracy);
        top3s.push(mt.top3);
        for (const p of Object.keys(partAcc)) partAcc[p]!.push(metricsOf(partScored[p]!, K).accuracy);
      }
      console.log(`curve train rows ${(ntr / seeds / folds).toFixed(1).padStart(5)}  top-1 ${fmt(accs)}  top-3 ${fmt(top3s)}  per seed ${accs.map((a) => a.toFixed(3)).join(' ')}`);
      for (const [p, a] of Object.entries(partAcc)) console.log(`      ${p.padEnd(18)} top-1 ${fmt(a)}`);
    }
    process.stderr.write(`curve in ${Math.round(performance.now() - t0)} ms\n`);
  }

  // ---------------- variants
  if (!process.argv.includes('--variants')) return;
  const P = new Map<string, Vec[][]>(); // part → seed → row
  const put = (part: string, s: number, i: number, p: Vec) => {
    if (!P.has(part)) P.set(part, Array.from({ length: seeds }, () => new Array<Vec>(rows.length)));
    P.get(part)![s]![i] = p;
  };
  // The shipped parts (e, n, v, k) may come from scripts/aiTextExperiments.ts's --parts-cache (same
  // folds, seeds and training): emb.cls, ngram2, vote, knn.
  const partsCache = process.argv.includes('--parts-cache') ? arg('parts-cache') : null;
  const have = new Set<string>();
  if (partsCache) {
    const pc = JSON.parse(fs.readFileSync(partsCache, 'utf8')) as Record<string, number[][][]>;
    for (const [from, to] of [['emb.cls', 'e'], ['ngram2', 'n'], ['vote', 'v'], ['knn', 'k']] as const) {
      if (!pc[from] || pc[from].length < seeds) continue;
      P.set(to, pc[from].slice(0, seeds).map((rs) => rs.map((v) => Float32Array.from(v))));
      have.add(to);
    }
  }
  const only = process.argv.includes('--heads') ? new Set(arg('heads').split(',')) : null;
  const temps = new Map<string, number[]>();
  const nll = (ps: Vec[], ys: number[], T: number) => {
    let s = 0;
    ps.forEach((p, j) => {
      const z = Float32Array.from(p, (v) => Math.log(v + 1e-6));
      softmaxInPlace(z, T);
      s -= Math.log(z[ys[j]!]! + 1e-9);
    });
    return s / ps.length;
  };
  const fitT = (ps: Vec[], ys: number[]) => {
    let best = 1;
    let bv = Infinity;
    for (let T = 0.2; T <= 5.01; T *= 1.15) {
      const v = nll(ps, ys, T);
      if (v < bv) {
        bv = v;
        best = T;
      }
    }
    return best;
  };
  const scale = (p: Vec, T: number) => softmaxInPlace(Float32Array.from(p, (v) => Math.log(v + 1e-6)), T);
  for (let s = 0; s < seeds; s++) {
    const fold = stratifiedFolds(rows.map((r) => r.label), folds, s + 1);
    for (let f = 0; f < folds; f++) {
      const tr = trainIdx(fold, f);
      const te = testIdx(fold, f);
      const seed = (s + 1) * 31 + f;
      const ys = [...tr.map((i) => y[i]!), ...py];
      const ss = [...tr.map((i) => rows[i]!), ...prior];
      const xs = [...tr.map((i) => F[i]!), ...PF];
      const n = tr.length;
      const kb = bankOf(tr.map((i) => F[i]!), tr.map((i) => y[i]!));
      const kbBody = bankOf(tr.map((i) => FBody[i]!), tr.map((i) => y[i]!));
      // Trained heads: each costs seconds on a loaded 2-core machine, so only those asked for (--heads).
      const want = (h: string) => !have.has(h) && (!only || only.has(h) || h === 'e' || h === 'n');
      const emb: Record<string, (x: Vec) => Vec> = {};
      const ngr: Record<string, (s: LabelledSample) => Vec> = {};
      if (want('e')) emb.e = embHead(xs, ys, undefined, O.l2Emb, seed);
      if (want('n')) ngr.n = ngramHead(ss, ys, undefined, seed);
      if (want('eBal')) emb.eBal = embHead(xs, ys, weights(n, ys, 1, true), O.l2Emb, seed);
      if (want('nBal')) ngr.nBal = ngramHead(ss, ys, weights(n, ys, 1, true), seed);
      if (want('eP.25')) emb['eP.25'] = embHead(xs, ys, weights(n, ys, 0.25, false), O.l2Emb, seed);
      if (want('nP.25')) ngr['nP.25'] = ngramHead(ss, ys, weights(n, ys, 0.25, false), seed);
      if (want('eL2.01')) emb['eL2.01'] = embHead(xs, ys, undefined, 1e-2, seed);
      if (want('eL2.0001')) emb['eL2.0001'] = embHead(xs, ys, undefined, 1e-4, seed);
      if (want('eL1')) emb.eL1 = embHead([...tr.map((i) => F[i]!), ...PFL1], ys, undefined, O.l2Emb, seed);
      if (want('eBody')) emb.eBody = embHead([...tr.map((i) => FBody[i]!), ...PF], ys, undefined, O.l2Emb, seed);
      const cen = centroid(tr.map((i) => F[i]!), tr.map((i) => y[i]!), 0.05);
      const cenP = centroid([...tr.map((i) => F[i]!), ...PF], ys, 0.05);
      // Temperatures of the votes, fitted (NLL) on the training rows: the taxonomy vote never saw
      // them; the rows' vote leaves the row itself out.
      const trY = tr.map((i) => y[i]!);
      const Tv = fitT(tr.map((i) => priorVote(bank, F[i]!, K, 5, 0.05)), trY);
      const Tk = fitT(
        tr.map((i, q) => priorVote(bankOf(tr.filter((_, r) => r !== q).map((j) => F[j]!), tr.filter((_, r) => r !== q).map((j) => y[j]!)), F[i]!, K, 5, 0.05)),
        trY,
      );
      temps.set('v', [...(temps.get('v') ?? []), Tv]);
      temps.set('k', [...(temps.get('k') ?? []), Tk]);
      for (const i of te) {
        const r = rows[i]!;
        for (const [name, h] of Object.entries(emb)) put(name, s, i, h(name === 'eBody' ? FBody[i]! : F[i]!));
        for (const [name, h] of Object.entries(ngr)) put(name, s, i, h(r));
        if (!have.has('v')) put('v', s, i, priorVote(bank, F[i]!, K, 5, 0.05));
        if (!have.has('k')) put('k', s, i, priorVote(kb, F[i]!, K, 5, 0.05));
        put('vL1', s, i, priorVote(bankL1, F[i]!, K, 5, 0.05));
        put('kBody', s, i, priorVote(kbBody, FBody[i]!, K, 5, 0.05));
        put('cen', s, i, cen(F[i]!));
        put('cenP', s, i, cenP(F[i]!));
        put('cal:v', s, i, scale(P.get('v')![s]![i]!, Tv));
        put('cal:k', s, i, scale(P.get('k')![s]![i]!, Tk));
      }
    }
    process.stderr.write(`seed ${s + 1}/${seeds} at ${Math.round(performance.now() - t0)} ms\n`);
  }
  for (const [p, ts] of temps) console.log(`fitted temperature of ${p}: ${fmt(ts)}`);

  const g = (p: string) => (s: number, i: number) => P.get(p)![s]![i]!;
  type F2 = (s: number, i: number) => Vec;
  const ship = (e = 'e', n = 'n', v = 'v', k = 'k', vw = 0.3, kw = 0.15): F2 => (s, i) => shippedMix(g(e)(s, i), g(n)(s, i), g(v)(s, i), g(k)(s, i), vw, kw);
  const withExtra = (base: F2, extra: string, w: number): F2 => (s, i) => {
    const b = base(s, i);
    const x = g(extra)(s, i);
    return Float32Array.from(b, (v, c) => (1 - w) * v + w * x[c]!);
  };
  const has = (...ps: string[]) => ps.every((p) => P.has(p));
  const variants: Array<[string, F2, string[]]> = [
    ['SHIPPED 0.85·(0.7·(0.7e+0.3n)+0.3v)+0.15k', ship(), []],
    ['shipped, eL2 1e-2', ship('eL2.01'), ['eL2.01']],
    ['shipped, eL2 1e-4', ship('eL2.0001'), ['eL2.0001']],
    ['shipped, eBal + nBal (class-balanced)', ship('eBal', 'nBal'), ['eBal', 'nBal']],
    ['shipped, eBal', ship('eBal'), ['eBal']],
    ['shipped, eP.25 + nP.25 (pseudo-rows weight 0.25)', ship('eP.25', 'nP.25'), ['eP.25', 'nP.25']],
    ['shipped, eP.25 (pseudo-rows weight 0.25 in emb head)', ship('eP.25'), ['eP.25']],
    ['shipped, eL1 + vL1 (pseudo-rows "顶级 / 二级，三级")', ship('eL1', 'n', 'vL1'), ['eL1']],
    ['shipped, vL1 (vote over "顶级 / 二级，三级")', ship('e', 'n', 'vL1'), []],
    ['shipped, eBody + kBody (body embedding)', ship('eBody', 'n', 'v', 'kBody'), ['eBody']],
    ['shipped, kBody', ship('e', 'n', 'v', 'kBody'), []],
    ['shipped + 0.1 cen (centroids of rows)', withExtra(ship(), 'cen', 0.1), []],
    ['shipped + 0.2 cen', withExtra(ship(), 'cen', 0.2), []],
    ['shipped + 0.1 cenP (centroids of rows + pseudo-rows)', withExtra(ship(), 'cenP', 0.1), []],
    ['shipped, cen for k (centroids instead of kNN)', ship('e', 'n', 'v', 'cen'), []],
    ['shipped, votes calibrated (fitted temperatures)', ship('e', 'n', 'cal:v', 'cal:k'), []],
  ];
  const accOf = (fn: F2) => Array.from({ length: seeds }, (_, s) => metricsOf(rows.map((_, i) => ({ truth: y[i]!, ranked: rankOf(fn(s, i)) })), K));
  const base = accOf(ship());
  for (const p of [...P.keys()]) variants.push([`part ${p}`, g(p), [p]]);
  for (const [name, fn, needs] of variants) {
    if (!has(...needs)) continue;
    const ms = accOf(fn);
    const d = ms.map((m, s) => m.accuracy - base[s]!.accuracy);
    console.log(
      `${name.padEnd(56)} top-1 ${fmt(ms.map((m) => m.accuracy))}  top-3 ${fmt(ms.map((m) => m.top3))}  Δtop-1 ${mean(d) >= 0 ? '+' : ''}${mean(d).toFixed(3)} ± ${sd(d).toFixed(3)}  per seed ${ms.map((m) => m.accuracy.toFixed(3)).join(' ')}`,
    );
  }
  process.stderr.write(`variants in ${Math.round(performance.now() - t0)} ms\n`);
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
