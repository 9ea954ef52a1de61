// Classification quality figures: accuracy, macro-F1, top-3, and a stratified k-fold split.

export interface Scored {
  /** Index of the true label. */
  truth: number;
  /** Label indices, best first. */
  ranked: number[];
}

export interface Metrics {
  n: number;
  accuracy: number;
  macroF1: number;
  top3: number;
}

export function metricsOf(rows: readonly Scored[], k: number): Metrics {
  const n = rows.length;
  let top1 = 0;
  let top3 = 0;
  const tp = new Array<number>(k).fill(0);
  const fp = new Array<number>(k).fill(0);
  const fn = new Array<number>(k).fill(0);
  for (const r of rows) {
    const p = r.ranked[0]!;
    if (p === r.truth) {
      top1++;
      tp[p]!++;
    } else {
      fp[p]!++;
      fn[r.truth]!++;
    }
    if (r.ranked.slice(0, 3).includes(r.truth)) top3++;
  }
  // Macro-F1 over the labels that occur in the truth or the predictions.
  let f1sum = 0;
  let classes = 0;
  for (let c = 0; c < k; c++) {
    if (tp[c]! + fp[c]! + fn[c]! === 0) continue;
    classes++;
    const denom = 2 * tp[c]! + fp[c]! + fn[c]!;
    f1sum += denom ? (2 * tp[c]!) / denom : 0;
  }
  const r4 = (x: number) => Math.round(x * 10000) / 10000;
  return { n, accuracy: r4(n ? top1 / n : 0), macroF1: r4(classes ? f1sum / classes : 0), top3: r4(n ? top3 / n : 0) };
}

/** Stratified folds: each label's rows dealt round-robin after a seeded shuffle. */
export function stratifiedFolds(labels: readonly string[], folds: number, seed = 1): number[] {
  let s = seed >>> 0 || 1;
  const rand = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
  const byLabel = new Map<string, number[]>();
  labels.forEach((l, i) => byLabel.set(l, [...(byLabel.get(l) ?? []), i]));
  const fold = new Array<number>(labels.length).fill(0);
  let next = 0;
  for (const idx of [...byLabel.keys()].sort().map((l) => byLabel.get(l)!)) {
    for (let i = idx.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [idx[i], idx[j]] = [idx[j]!, idx[i]!];
    }
    for (const i of idx) fold[i] = next++ % folds;
  }
  return fold;
}

export function rankOf(p: ArrayLike<number>): number[] {
  return Array.from({ length: p.length }, (_, i) => i).sort((a, b) => p[b]! - p[a]!);
}
