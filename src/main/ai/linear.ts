// Sparse vectors and a multinomial logistic-regression (softmax) head with L2 regularisation,
// trained by mini-batch Adam. Small enough to train in the street node's worker thread.

export interface Sparse {
  idx: Int32Array;
  val: Float32Array;
}

export function denseToSparse(v: Float32Array): Sparse {
  const idx = new Int32Array(v.length);
  for (let i = 0; i < v.length; i++) idx[i] = i;
  return { idx, val: v };
}

export interface LinearHead {
  /** Number of classes. */
  k: number;
  /** Feature dimension. */
  d: number;
  /** Row-major k × d weights. */
  w: Float32Array;
  b: Float32Array;
}

export interface TrainOptions {
  l2: number;
  epochs: number;
  lr: number;
  batch: number;
  /** Deterministic shuffling. */
  seed: number;
  /** Per-sample weights (e.g. to balance classes). */
  sampleWeights?: Float32Array;
}

export function logits(h: LinearHead, x: Sparse, out = new Float32Array(h.k)): Float32Array {
  const { k, d, w, b } = h;
  for (let c = 0; c < k; c++) {
    let s = b[c]!;
    const off = c * d;
    for (let j = 0; j < x.idx.length; j++) s += w[off + x.idx[j]!]! * x.val[j]!;
    out[c] = s;
  }
  return out;
}

export function softmaxInPlace(z: Float32Array, temperature = 1): Float32Array {
  let m = -Infinity;
  for (let i = 0; i < z.length; i++) m = Math.max(m, z[i]! / temperature);
  let s = 0;
  for (let i = 0; i < z.length; i++) {
    z[i] = Math.exp(z[i]! / temperature - m);
    s += z[i]!;
  }
  for (let i = 0; i < z.length; i++) z[i] = z[i]! / s;
  return z;
}

function rng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

export function trainSoftmax(xs: readonly Sparse[], ys: readonly number[], k: number, d: number, o: TrainOptions): LinearHead {
  const n = xs.length;
  const h: LinearHead = { k, d, w: new Float32Array(k * d), b: new Float32Array(k) };
  const mW = new Float32Array(k * d);
  const vW = new Float32Array(k * d);
  const gW = new Float32Array(k * d);
  const mB = new Float32Array(k);
  const vB = new Float32Array(k);
  const gB = new Float32Array(k);
  const b1 = 0.9;
  const b2 = 0.999;
  const eps = 1e-8;
  const order = Array.from({ length: n }, (_, i) => i);
  const rand = rng(o.seed);
  const z = new Float32Array(k);
  let t = 0;
  let totalW = 0;
  for (let i = 0; i < n; i++) totalW += o.sampleWeights ? o.sampleWeights[i]! : 1;
  const meanW = totalW / Math.max(1, n);
  for (let ep = 0; ep < o.epochs; ep++) {
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    for (let s = 0; s < n; s += o.batch) {
      const end = Math.min(n, s + o.batch);
      const m = end - s;
      gW.fill(0);
      gB.fill(0);
      for (let q = s; q < end; q++) {
        const i = order[q]!;
        const x = xs[i]!;
        const sw = (o.sampleWeights ? o.sampleWeights[i]! : 1) / meanW;
        softmaxInPlace(logits(h, x, z));
        z[ys[i]!] = z[ys[i]!]! - 1;
        for (let c = 0; c < k; c++) {
          const g = (z[c]! * sw) / m;
          if (g === 0) continue;
          gB[c] = gB[c]! + g;
          const off = c * d;
          for (let j = 0; j < x.idx.length; j++) gW[off + x.idx[j]!] = gW[off + x.idx[j]!]! + g * x.val[j]!;
        }
      }
      t++;
      const lrT = (o.lr * Math.sqrt(1 - Math.pow(b2, t))) / (1 - Math.pow(b1, t));
      // L2 is applied to every weight (dense), scaled to the batch share of the data.
      const l2 = (o.l2 * m) / n;
      for (let p = 0; p < gW.length; p++) {
        const g = gW[p]! + l2 * h.w[p]!;
        mW[p] = b1 * mW[p]! + (1 - b1) * g;
        vW[p] = b2 * vW[p]! + (1 - b2) * g * g;
        h.w[p] = h.w[p]! - (lrT * mW[p]!) / (Math.sqrt(vW[p]!) + eps);
      }
      for (let c = 0; c < k; c++) {
        const g = gB[c]!;
        mB[c] = b1 * mB[c]! + (1 - b1) * g;
        vB[c] = b2 * vB[c]! + (1 - b2) * g * g;
        h.b[c] = h.b[c]! - (lrT * mB[c]!) / (Math.sqrt(vB[c]!) + eps);
      }
    }
  }
  return h;
}
