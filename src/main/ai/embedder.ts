// Chinese sentence embeddings with bge-small-zh-v1.5 (int8 ONNX) through onnxruntime-node.
// Tokenization is Hugging Face's own tokenizers.js reading the model's tokenizer.json (BERT
// WordPiece with Chinese character splitting). As bge prescribes for retrieval/classification,
// the sentence vector is the [CLS] token's last hidden state, L2-normalised.

import fs from 'node:fs';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { Tokenizer } from '@huggingface/tokenizers';

export const BGE_DIM = 512;
/** Tokens per text (with [CLS]/[SEP]); complaints are long, their start carries the topic. */
export const BGE_MAX_TOKENS = 128;
const BATCH = 16;

/** A model that cannot be used, with a Chinese notice for the UI and an English detail for logs. */
export class ModelLoadError extends Error {
  readonly notice: string;
  constructor(notice: string, detail: string, cause?: unknown) {
    super(detail, { cause });
    this.name = 'ModelLoadError';
    this.notice = notice;
  }
}

export interface EmbedderInfo {
  dir: string;
  file: string;
  dim: number;
  maxTokens: number;
  loadMs: number;
}

export class Embedder {
  private constructor(
    private readonly session: ort.InferenceSession,
    private readonly tokenizer: Tokenizer,
    private readonly clsId: number,
    private readonly sepId: number,
    private readonly padId: number,
    readonly info: EmbedderInfo,
  ) {}

  /** Loads and probes the model; any problem becomes a ModelLoadError naming the file. */
  static async load(dir: string, opts: { threads?: number; maxTokens?: number } = {}): Promise<Embedder> {
    const t0 = performance.now();
    const file = path.join(dir, 'onnx', 'model_quantized.onnx');
    const tokFile = path.join(dir, 'tokenizer.json');
    const cfgFile = path.join(dir, 'tokenizer_config.json');
    for (const f of [file, tokFile, cfgFile])
      if (!fs.existsSync(f)) throw new ModelLoadError('文本模型文件缺失，智能分类建议暂不可用', `model file missing: ${f}`);
    let tokenizer: Tokenizer;
    try {
      tokenizer = new Tokenizer(JSON.parse(fs.readFileSync(tokFile, 'utf8')), JSON.parse(fs.readFileSync(cfgFile, 'utf8')));
    } catch (e) {
      throw new ModelLoadError('文本模型的分词文件损坏，智能分类建议暂不可用', `cannot read tokenizer ${tokFile}: ${String(e)}`, e);
    }
    let session: ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(file, {
        intraOpNumThreads: opts.threads ?? 1,
        interOpNumThreads: 1,
        graphOptimizationLevel: 'all',
      });
    } catch (e) {
      throw new ModelLoadError('文本模型文件损坏，智能分类建议暂不可用', `cannot load ONNX model ${file}: ${String(e)}`, e);
    }
    const need = ['input_ids', 'attention_mask', 'token_type_ids'];
    const missing = need.filter((n) => !session.inputNames.includes(n));
    if (missing.length || !session.outputNames.includes('last_hidden_state')) {
      await session.release().catch(() => undefined);
      throw new ModelLoadError(
        '文本模型格式不符，智能分类建议暂不可用',
        `${file}: expected inputs ${need.join(',')} and output last_hidden_state, got inputs ${session.inputNames.join(',')} outputs ${session.outputNames.join(',')}`,
      );
    }
    const id = (t: string) => {
      const v = tokenizer.token_to_id(t);
      if (v == null) throw new ModelLoadError('文本模型的分词文件不完整，智能分类建议暂不可用', `${tokFile}: token ${t} missing`);
      return v;
    };
    const e = new Embedder(session, tokenizer, id('[CLS]'), id('[SEP]'), id('[PAD]'), {
      dir,
      file,
      dim: BGE_DIM,
      maxTokens: opts.maxTokens ?? BGE_MAX_TOKENS,
      loadMs: 0,
    });
    // Probe: the output must be [1, L, 512].
    try {
      const probe = await e.runRaw([[e.clsId, e.sepId]]);
      if (probe.dims.length !== 3 || probe.dims[0] !== 1 || probe.dims[1] !== 2 || probe.dims[2] !== BGE_DIM)
        throw new Error(`last_hidden_state has shape [${probe.dims.join(',')}], expected [1,2,${BGE_DIM}]`);
    } catch (err) {
      await session.release().catch(() => undefined);
      if (err instanceof ModelLoadError) throw err;
      throw new ModelLoadError('文本模型输出形状不符，智能分类建议暂不可用', `${file}: probe failed: ${String(err)}`, err);
    }
    e.info.loadMs = performance.now() - t0;
    return e;
  }

  /** Token ids with [CLS] … [SEP], truncated to maxTokens. */
  tokenize(text: string): number[] {
    const max = this.info.maxTokens;
    // Chinese is about one token per character: cut the string first so long letters stay cheap.
    const enc = this.tokenizer.encode(text.slice(0, max * 3), { add_special_tokens: false });
    const ids = enc.ids.slice(0, max - 2);
    return [this.clsId, ...ids, this.sepId];
  }

  private async runRaw(batch: number[][]): Promise<ort.Tensor> {
    const n = batch.length;
    const len = Math.max(...batch.map((b) => b.length));
    const ids = new BigInt64Array(n * len);
    const mask = new BigInt64Array(n * len);
    for (let i = 0; i < n; i++) {
      const row = batch[i]!;
      for (let j = 0; j < len; j++) {
        ids[i * len + j] = BigInt(j < row.length ? row[j]! : this.padId);
        mask[i * len + j] = j < row.length ? 1n : 0n;
      }
    }
    const out = await this.session.run({
      input_ids: new ort.Tensor('int64', ids, [n, len]),
      attention_mask: new ort.Tensor('int64', mask, [n, len]),
      token_type_ids: new ort.Tensor('int64', new BigInt64Array(n * len), [n, len]),
    });
    return out.last_hidden_state!;
  }

  /** L2-normalised [CLS] vectors, one per text. Texts of similar length are batched together. */
  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    // [CLS] only: the mean over tokens is for experiments (embedTokens), not worth its cost per text.
    return (await this.pool(texts.map((t) => this.tokenize(t)), false)).map((p) => p.cls);
  }

  /**
   * A text's token windows: up to `maxChunks` consecutive windows of maxTokens (each with its own
   * [CLS] … [SEP]). The first window is what `tokenize` gives.
   */
  tokenizeChunks(text: string, maxChunks: number): number[][] {
    const per = this.info.maxTokens - 2;
    const enc = this.tokenizer.encode(text.slice(0, per * maxChunks * 3), { add_special_tokens: false });
    const out: number[][] = [];
    for (let s = 0; s < enc.ids.length && out.length < maxChunks; s += per) out.push([this.clsId, ...enc.ids.slice(s, s + per), this.sepId]);
    return out.length ? out : [[this.clsId, this.sepId]];
  }

  /** For each token sequence: the L2-normalised [CLS] vector and the L2-normalised mean of its tokens. */
  async embedTokens(toks: readonly number[][]): Promise<Array<{ cls: Float32Array; mean: Float32Array }>> {
    return (await this.pool(toks, true)) as Array<{ cls: Float32Array; mean: Float32Array }>;
  }

  private async pool(toks: readonly number[][], withMean: boolean): Promise<Array<{ cls: Float32Array; mean: Float32Array | null }>> {
    const order = toks.map((_, i) => i).sort((a, b) => toks[a]!.length - toks[b]!.length);
    const result: Array<{ cls: Float32Array; mean: Float32Array | null }> = new Array(toks.length);
    for (let s = 0; s < order.length; s += BATCH) {
      const idx = order.slice(s, s + BATCH);
      const t = await this.runRaw(idx.map((i) => toks[i]!));
      const [, len, dim] = t.dims as [number, number, number];
      const data = t.data as Float32Array;
      idx.forEach((orig, k) => {
        const base = k * len * dim;
        const cls = data.slice(base, base + dim);
        if (!withMean) {
          result[orig] = { cls: l2normalize(cls), mean: null };
          return;
        }
        const n = toks[orig]!.length;
        const mean = new Float32Array(dim);
        for (let j = 0; j < n; j++) for (let d = 0; d < dim; d++) mean[d] = mean[d]! + data[base + j * dim + d]!;
        result[orig] = { cls: l2normalize(cls), mean: l2normalize(mean) };
      });
    }
    return result;
  }

  async dispose(): Promise<void> {
    await this.session.release();
  }
}

export function l2normalize(v: Float32Array): Float32Array {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!;
  const n = Math.sqrt(s) || 1;
  for (let i = 0; i < v.length; i++) v[i] = v[i]! / n;
  return v;
}

export function dot(a: Float32Array | number[], b: Float32Array | number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}
