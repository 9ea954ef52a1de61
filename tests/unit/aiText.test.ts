// Pure parts of the text classifier: metrics, stratified folds, character n-grams, the softmax
// head, and a model's save/load round trip.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { metricsOf, rankOf, stratifiedFolds } from '../../src/main/ai/metrics';
import { gramCounts, fitVocab, NgramVectorizer } from '../../src/main/ai/ngram';
import { trainSoftmax, logits, softmaxInPlace } from '../../src/main/ai/linear';
import { DEFAULT_OPTIONS, priorVote, ROW_BANK_MAX, TextModel, trainTextModel } from '../../src/main/ai/textModel';
import { BGE_DIM, l2normalize } from '../../src/main/ai/embedder';

describe('metrics', () => {
  it('accuracy, top-3 and macro-F1', () => {
    const m = metricsOf(
      [
        { truth: 0, ranked: [0, 1, 2] },
        { truth: 1, ranked: [0, 1, 2] },
        { truth: 2, ranked: [1, 0, 3, 2] },
        { truth: 1, ranked: [1, 0, 2] },
      ],
      4,
    );
    expect(m.n).toBe(4);
    expect(m.accuracy).toBe(0.5);
    expect(m.top3).toBe(0.75);
    // F1: class 0 = 2/3 (tp1 fp1), class 1 = 1/2 (tp1 fp1 fn1), class 2 = 0 → mean 0.3889
    expect(m.macroF1).toBeCloseTo(0.3889, 3);
    expect(rankOf([0.1, 0.7, 0.2])).toEqual([1, 2, 0]);
  });

  it('stratified folds keep each label spread over the folds', () => {
    const labels = [...Array(10).fill('a'), ...Array(5).fill('b')];
    const f = stratifiedFolds(labels, 5);
    for (let k = 0; k < 5; k++) {
      expect(labels.filter((l, i) => l === 'a' && f[i] === k)).toHaveLength(2);
      expect(labels.filter((l, i) => l === 'b' && f[i] === k)).toHaveLength(1);
    }
  });
});

describe('character n-grams', () => {
  it('counts unigrams and bigrams, never across punctuation, digits folded', () => {
    const c = gramCounts('井盖，井盖破损2023', 2);
    expect(c.get('井盖')).toBe(2);
    expect(c.get('盖井')).toBeUndefined();
    expect(c.get('损0')).toBe(1);
    const v = fitVocab([c, gramCounts('路灯不亮', 2)], { maxN: 2, maxFeatures: 100, minDf: 1 });
    const x = new NgramVectorizer(v).vectorize(gramCounts('井盖路灯', 2));
    let norm = 0;
    for (const y of x.val) norm += y * y;
    expect(norm).toBeCloseTo(1, 5);
  });
});

describe('softmax head', () => {
  it('learns a separable problem', () => {
    const xs = [0, 1, 2, 3, 4, 5].map((i) => ({ idx: Int32Array.from([i % 2]), val: Float32Array.from([1]) }));
    const ys = [0, 1, 0, 1, 0, 1];
    const h = trainSoftmax(xs, ys, 2, 2, { l2: 1e-4, epochs: 200, lr: 0.1, batch: 6, seed: 1 });
    const p = softmaxInPlace(logits(h, xs[1]!));
    expect(p[1]).toBeGreaterThan(0.9);
  });
});

describe('text model', () => {
  it('trains on n-grams, saves as a plain directory and loads back with the same answers', () => {
    const samples = [
      { title: '井盖', text: '路上井盖破损', label: 'A' },
      { title: '井盖', text: '井盖松动很危险', label: 'A' },
      { title: '路灯', text: '路灯不亮了', label: 'B' },
      { title: '路灯', text: '晚上路灯坏了', label: 'B' },
    ];
    const m = trainTextModel({ samples, embeddings: null, card: { data: { source: 'unit' } } });
    const q = { title: '', text: '门口井盖破损' };
    expect(m.top(q, null, 1)[0]!.label).toBe('A');
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'chengyun-tm-')), 'v1');
    m.save(dir);
    expect(fs.readdirSync(dir).sort()).toEqual(['card.json', 'model.json', 'weights.bin']);
    const back = TextModel.load(dir);
    expect(back.card.data).toMatchObject({ source: 'unit', rows: 4, labels: { A: 2, B: 2 } });
    expect(Array.from(back.probs(q, null))).toEqual(Array.from(m.probs(q, null)));
    // A truncated weights file is refused, not half-read.
    fs.writeFileSync(path.join(dir, 'weights.bin'), Buffer.alloc(8));
    expect(() => TextModel.load(dir)).toThrow(/weights\.bin/);
  });

  it("the nearest training rows' vote: kept in the model, round-trips, decides between heads that cannot tell; older models load without it", () => {
    // Two labels whose texts look alike to the n-gram head; the embeddings are two tight clusters.
    const unit = (c: number, j: number) => l2normalize(Float32Array.from({ length: BGE_DIM }, (_, d) => (d === c ? 1 : 0) + 0.01 * Math.sin(d * (j + 1))));
    const samples = Array.from({ length: 8 }, (_, j) => ({ title: '', text: '反映问题请处理', label: j % 2 ? 'B' : 'A' }));
    const embeddings = samples.map((_, j) => unit(j % 2, j));
    const m = trainTextModel({ samples, embeddings, options: { epochsEmb: 1, epochsNgram: 1, rowKnnWeight: 0.9 }, card: { data: { source: 'unit' } } });
    expect(m.rowBank?.labels.length).toBe(8);
    const q = { title: '', text: '反映问题请处理' };
    expect(m.top(q, unit(1, 99), 1)[0]!.label).toBe('B');
    expect(m.top(q, unit(0, 99), 1)[0]!.label).toBe('A');
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'chengyun-tm-')), 'v1');
    m.save(dir);
    const meta = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
    expect(meta.heads.rows).toEqual({ n: 8 });
    const back = TextModel.load(dir);
    expect(Array.from(back.probs(q, unit(1, 99)))).toEqual(Array.from(m.probs(q, unit(1, 99))));
    // A model written before the vote existed (no bank, no option) answers from its heads alone.
    delete meta.heads.rows;
    delete meta.offsets['rows.vecs'];
    delete meta.offsets['rows.labels'];
    delete meta.options.rowKnnWeight;
    const n = (8 * BGE_DIM + 8) * 4;
    const w = fs.readFileSync(path.join(dir, 'weights.bin'));
    fs.writeFileSync(path.join(dir, 'weights.bin'), w.subarray(0, w.length - n));
    fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify(meta));
    const old = TextModel.load(dir);
    expect(old.rowBank).toBeNull();
    expect(old.options.rowKnnWeight).toBe(0);
    const heads = trainTextModel({ samples, embeddings, options: { epochsEmb: 1, epochsNgram: 1, rowKnnWeight: 0 } });
    expect(Array.from(old.probs(q, unit(1, 99)))).toEqual(Array.from(heads.probs(q, unit(1, 99))));
    expect(DEFAULT_OPTIONS.rowKnnWeight).toBe(0.15);
    // A long history grouped by label keeps an even sample of ROW_BANK_MAX rows: every label stays in it.
    const many = Array.from({ length: 1200 }, (_, j) => ({ title: '', text: '反映问题', label: j < 600 ? 'A' : 'B' }));
    const big = trainTextModel({ samples: many, embeddings: many.map((_, j) => unit(j < 600 ? 0 : 1, j)), options: { epochsEmb: 1, epochsNgram: 1 } });
    expect(big.rowBank!.labels.length).toBe(ROW_BANK_MAX);
    expect(Array.from(big.rowBank!.labels).filter((l) => l === 0).length).toBe(ROW_BANK_MAX / 2);
  });
});

describe('nearest rows vote', () => {
  // Reference: every row's cosine, a stable sort, the k best weighted exp(cos / temp).
  const reference = (vecs: Float32Array, labels: Int32Array, q: Float32Array, k: number, kTop: number, temp: number) => {
    const sims = Array.from(labels, (_, r) => {
      let s = 0;
      for (let d = 0; d < BGE_DIM; d++) s += q[d]! * vecs[r * BGE_DIM + d]!;
      return [s, r] as [number, number];
    }).sort((a, b) => b[0] - a[0]);
    const top = sims.slice(0, kTop);
    const out = new Float64Array(k);
    let z = 0;
    for (const [s, r] of top) {
      const w = Math.exp((s - top[0]![0]) / temp);
      out[labels[r]!] = out[labels[r]!]! + w;
      z += w;
    }
    return Array.from(out, (v) => v / z);
  };
  it('gives the k most similar rows the vote, ties to the earlier row, like a plain sort', () => {
    let seed = 3;
    const rnd = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 4294967296 - 0.5);
    for (const n of [1, 4, 5, 6, 40]) {
      const vecs = new Float32Array(n * BGE_DIM);
      // Some rows repeat an earlier row exactly (equal cosines) and carry another label.
      for (let r = 0; r < n; r++)
        vecs.set(r % 3 === 2 ? vecs.subarray((r - 1) * BGE_DIM, r * BGE_DIM) : l2normalize(Float32Array.from({ length: BGE_DIM }, rnd)), r * BGE_DIM);
      const labels = Int32Array.from({ length: n }, (_, r) => r % 4);
      for (let t = 0; t < 20; t++) {
        const q = t < 3 && n > 1 ? vecs.slice(t * BGE_DIM, (t + 1) * BGE_DIM) : l2normalize(Float32Array.from({ length: BGE_DIM }, rnd));
        const got = Array.from(priorVote({ vecs, labels }, q, 4, 5, 0.05));
        const want = reference(vecs, labels, q, 4, 5, 0.05);
        got.forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 5));
      }
    }
    // An empty bank votes evenly.
    expect(Array.from(priorVote({ vecs: new Float32Array(0), labels: new Int32Array(0) }, new Float32Array(BGE_DIM), 4, 5, 0.05))).toEqual([0.25, 0.25, 0.25, 0.25]);
  });
});
