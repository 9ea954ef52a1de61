// The AI engine that runs inside the worker thread (also usable in-process by the CLI and tests):
// the embedding model, the current street text model, training and held-out comparison.

import { Embedder, ModelLoadError } from './embedder';
import { embedSamples, TextModel, trainTextModel, type TextSample } from './textModel';
import { metricsOf, rankOf, type Metrics } from './metrics';
import type { ClassifyReply, EngineStatus, TrainReply, TrainRequest } from './protocol';

export class AiEngine {
  private embedder: Embedder | null = null;
  private model: TextModel | null = null;
  private notice: string | null = null;
  private detail: string | null = null;

  async init(bgeDir: string, threads = 1): Promise<EngineStatus> {
    try {
      this.embedder = await Embedder.load(bgeDir, { threads });
      this.notice = this.detail = null;
    } catch (e) {
      this.embedder = null;
      this.notice = e instanceof ModelLoadError ? e.notice : '文本模型无法加载，智能分类建议改用简易模型';
      this.detail = e instanceof Error ? e.message : String(e);
    }
    return this.status();
  }

  status(): EngineStatus {
    return {
      embedding: this.embedder != null,
      notice: this.notice,
      detail: this.detail,
      modelVersion: this.model?.card.version ?? null,
      parts: this.model ? (this.model.usesEmbeddings && this.embedder ? 'embedding+ngram' : 'ngram') : null,
      loadMs: Math.round(this.embedder?.info.loadMs ?? 0),
    };
  }

  load(dir: string): EngineStatus {
    this.model = TextModel.load(dir);
    return this.status();
  }

  private async feature(model: TextModel, s: TextSample): Promise<Float32Array | null> {
    if (!this.embedder || !model.usesEmbeddings) return null;
    return (await embedSamples((t) => this.embedder!.embed(t), [s], model.options.titleEmbMix))[0]!;
  }

  async classify(s: TextSample, k: number): Promise<ClassifyReply> {
    const t0 = performance.now();
    const m = this.model;
    if (!m) throw new Error('no text model loaded');
    const top = m.top(s, await this.feature(m, s), k);
    return { top, modelVersion: m.card.version, parts: m.usesEmbeddings && this.embedder ? 'embedding+ngram' : 'ngram', ms: performance.now() - t0 };
  }

  /** Classifies many texts with batched embedding (the throughput path: retrain scoring, bench). */
  async classifyMany(samples: TextSample[], k: number): Promise<ClassifyReply['top'][]> {
    const m = this.model;
    if (!m) throw new Error('no text model loaded');
    const feats = this.embedder && m.usesEmbeddings ? await embedSamples((t) => this.embedder!.embed(t), samples, m.options.titleEmbMix) : null;
    return samples.map((s, i) => m.top(s, feats ? feats[i]! : null, k));
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    if (!this.embedder) throw new Error('embedding model not loaded');
    return this.embedder.embed(texts);
  }

  private async score(model: TextModel, rows: TrainRequest['heldOut']): Promise<Metrics> {
    const li = new Map(model.labels.map((l, i) => [l, i]));
    const scored = [];
    for (const r of rows) {
      const truth = li.get(r.label);
      const ranked = rankOf(model.probs(r, await this.feature(model, r)));
      // A label the model never learned counts as a miss.
      scored.push({ truth: truth ?? -1, ranked });
    }
    return metricsOf(scored, model.labels.length);
  }

  async train(req: TrainRequest): Promise<TrainReply> {
    const t0 = performance.now();
    const useEmb = req.useEmbeddings && this.embedder != null;
    const mix = req.options?.titleEmbMix ?? 0.5;
    const feats = useEmb ? await embedSamples((t) => this.embedder!.embed(t), req.train, mix) : null;
    const model = trainTextModel({
      samples: req.train,
      embeddings: feats,
      labels: req.labels,
      options: req.options,
      card: { version: req.version, description: req.card.description, data: { source: req.card.source } },
    });
    const heldOut = await this.score(model, req.heldOut);
    let current: TrainReply['current'] = null;
    if (req.currentDir) {
      try {
        const cur = TextModel.load(req.currentDir);
        current = { ...(await this.score(cur, req.heldOut)), version: cur.card.version };
      } catch {
        current = null;
      }
    }
    model.card.metrics = { heldOut, ...(current ? { currentOnSameRows: current } : {}) };
    model.save(req.outDir);
    return { version: req.version, dir: req.outDir, parts: useEmb ? 'embedding+ngram' : 'ngram', heldOut, current, trainMs: Math.round(performance.now() - t0) };
  }

  async dispose(): Promise<void> {
    await this.embedder?.dispose();
  }
}
