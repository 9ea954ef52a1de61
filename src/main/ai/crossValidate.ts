// k-fold cross-validation of the text model on labelled rows. Embeddings are computed once per row
// (full text and title) and reused across folds and option sets.

import { embFeature, fullText, trainTextModel, type EmbedFn, type LabelledSample, type TextModelOptions } from './textModel';
import { metricsOf, rankOf, stratifiedFolds, type Metrics, type Scored } from './metrics';

export interface RowEmbeddings {
  full: Float32Array[];
  title: Array<Float32Array | null>;
}

export async function embedRows(embed: EmbedFn, rows: readonly LabelledSample[]): Promise<RowEmbeddings> {
  const full = await embed(rows.map(fullText));
  const withTitle = rows.map((r, i) => (r.title.trim() ? i : -1)).filter((i) => i >= 0);
  const t = withTitle.length ? await embed(withTitle.map((i) => rows[i]!.title.trim())) : [];
  const title: Array<Float32Array | null> = rows.map(() => null);
  withTitle.forEach((i, j) => (title[i] = t[j]!));
  return { full, title };
}

export interface CvResult extends Metrics {
  folds: number;
  /** Which parts were used: 'embedding+ngram', 'ngram'. */
  parts: string;
}

export function crossValidate(
  rows: readonly LabelledSample[],
  emb: RowEmbeddings | null,
  options: Partial<TextModelOptions>,
  folds = 5,
  seed = 1,
  /** Extra samples added to every training fold (never scored), with their embeddings. */
  prior: { samples: readonly LabelledSample[]; emb: RowEmbeddings | null } | null = null,
): CvResult {
  const labels = [...new Set(rows.map((r) => r.label))].sort();
  const li = new Map(labels.map((l, i) => [l, i]));
  const fold = stratifiedFolds(rows.map((r) => r.label), folds, seed);
  const scored: Scored[] = [];
  const mix = options.titleEmbMix ?? 0.5;
  const feats = emb ? rows.map((_, i) => embFeature(emb.full[i]!, emb.title[i] ?? null, mix)) : null;
  const pSamples = prior?.samples ?? [];
  const pe = prior?.emb;
  const pFeats = feats && pe ? pSamples.map((_, i) => embFeature(pe.full[i]!, pe.title[i] ?? null, mix)) : [];
  for (let f = 0; f < folds; f++) {
    const tr = rows.map((_, i) => i).filter((i) => fold[i] !== f);
    const te = rows.map((_, i) => i).filter((i) => fold[i] === f);
    if (!te.length) continue;
    const model = trainTextModel({
      samples: tr.map((i) => rows[i]!),
      embeddings: feats ? tr.map((i) => feats[i]!) : null,
      prior: { samples: pSamples, embeddings: feats ? pFeats : null },
      options: { seed: seed * 31 + f, ...options },
      labels,
    });
    for (const i of te) scored.push({ truth: li.get(rows[i]!.label)!, ranked: rankOf(model.probs(rows[i]!, feats ? feats[i]! : null)) });
  }
  return { ...metricsOf(scored, labels.length), folds, parts: emb ? 'embedding+ngram' : 'ngram' };
}
