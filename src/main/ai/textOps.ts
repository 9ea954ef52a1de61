// Train and evaluate text models on labelled files (the CLI's train/eval/cv).

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Embedder, ModelLoadError } from './embedder';
import { bgeDir } from './paths';
import { DatasetError, readDataset, type DatasetRow } from './dataset';
import { embedSamples, TextModel, trainTextModel, type TextModelOptions } from './textModel';
import { crossValidate, embedRows } from './crossValidate';
import { metricsOf, rankOf, type Metrics } from './metrics';
import { taxonomyPrior, TAXONOMY_FILE } from './prior';

export interface Notices {
  notice(msg: Record<string, unknown>): void;
}

/** The embedding model, or null with a notice when it cannot be used (the n-gram model answers). */
export async function tryEmbedder(n: Notices, opts: { threads?: number; dir?: string } = {}): Promise<Embedder | null> {
  try {
    return await Embedder.load(opts.dir ?? bgeDir(), { threads: opts.threads });
  } catch (e) {
    if (!(e instanceof ModelLoadError)) throw e;
    n.notice({ notice: e.notice, detail: e.message, fallback: 'ngram' });
    return null;
  }
}

export interface TrainResult {
  out: string;
  version: string;
  n: number;
  labels: number;
  parts: string;
  cv: (Metrics & { folds: number }) | null;
  trainMs: number;
}

export async function trainFromFile(
  dataFile: string,
  outDir: string,
  o: { folds: number; embedder: Embedder | null; options?: Partial<TextModelOptions>; prior?: boolean },
): Promise<TrainResult> {
  const t0 = performance.now();
  const rows = await readDataset(dataFile);
  const labels = [...new Set(rows.map((r) => r.label))];
  if (labels.length < 2) throw new DatasetError(dataFile, null, '至少需要两个类别', `${dataFile}: only ${labels.length} label(s)`);
  const embed = o.embedder ? (t: readonly string[]) => o.embedder!.embed(t) : null;
  const rowEmb = embed ? await embedRows(embed, rows) : null;
  const prior = o.prior === false ? [] : taxonomyPrior(labels);
  const priorEmb = embed && prior.length ? await embedRows(embed, prior) : null;
  let cv: TrainResult['cv'] = null;
  if (o.folds >= 2) cv = crossValidate(rows, rowEmb, o.options ?? {}, Math.min(o.folds, rows.length), 1, prior.length ? { samples: prior, emb: priorEmb } : null);
  const mix = { ...o.options }.titleEmbMix ?? 0.5;
  const feats = embed ? await embedSamples(embed, rows, mix) : null;
  const pFeats = embed && prior.length ? await embedSamples(embed, prior, mix) : null;
  const sha = crypto.createHash('sha256').update(fs.readFileSync(dataFile)).digest('hex');
  const model = trainTextModel({
    samples: rows,
    embeddings: feats,
    prior: { samples: prior, embeddings: pFeats },
    options: o.options,
    labels: [...labels].sort(),
    card: {
      data: { source: path.basename(dataFile), sha256: sha, ...(prior.length ? { prior: `${TAXONOMY_FILE}: ${prior.length} sub-category names as extra samples` } : {}) },
      metrics: cv ? { crossValidation: cv } : {},
    },
  });
  // The card counts the file's rows; the prior's samples are named separately.
  model.card.data.rows = rows.length;
  const counts: Record<string, number> = {};
  for (const r of rows) counts[r.label] = (counts[r.label] ?? 0) + 1;
  model.card.data.labels = counts;
  model.save(outDir);
  return {
    out: path.resolve(outDir),
    version: model.card.version,
    n: rows.length,
    labels: model.labels.length,
    parts: model.usesEmbeddings ? 'embedding+ngram' : 'ngram',
    cv,
    trainMs: Math.round(performance.now() - t0),
  };
}

export function loadModelDir(dir: string): TextModel {
  try {
    return TextModel.load(dir);
  } catch (e) {
    throw new DatasetError(dir, null, '模型目录无法读取', `model ${dir}: ${(e as Error).message}`);
  }
}

export interface EvalResult extends Metrics {
  msPerItem: number;
  parts: string;
  model: string;
}

export async function evalOnFile(modelDir: string, dataFile: string, embedder: Embedder | null): Promise<EvalResult> {
  const model = loadModelDir(modelDir);
  const rows: DatasetRow[] = await readDataset(dataFile);
  const li = new Map(model.labels.map((l, i) => [l, i]));
  for (const r of rows)
    if (!li.has(r.label))
      throw new DatasetError(dataFile, r.row, `未知类别“${r.label}”（模型不认识）`, `${dataFile}: row ${r.row}: label ${r.label} is not one of the model's ${model.labels.length} labels`);
  const useEmb = embedder && model.usesEmbeddings ? embedder : null;
  const mix = model.options.titleEmbMix;
  const scored = [];
  // One item at a time, as the app classifies a ticket: the time per item is the latency.
  const t0 = performance.now();
  for (const r of rows) {
    const feat = useEmb ? (await embedSamples((t) => useEmb.embed(t), [r], mix))[0]! : null;
    scored.push({ truth: li.get(r.label)!, ranked: rankOf(model.probs(r, feat)) });
  }
  const ms = performance.now() - t0;
  return {
    ...metricsOf(scored, model.labels.length),
    msPerItem: Math.round((ms / rows.length) * 100) / 100,
    parts: useEmb ? 'embedding+ngram' : 'ngram',
    model: model.card.version,
  };
}
