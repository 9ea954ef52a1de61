// The local assistant's text figures, on the product's own path (the AI worker thread, the
// bge-small-zh int8 ONNX session with one intra-op thread, the trained heads):
//   ai.text        latency per ticket as the new-ticket form asks (one description → top 3; the
//                  complaint's title and text joined as one description), p50/p95, 1 ONNX thread
//   ai.text.batch  throughput of batched classification (16 texts per ONNX run), texts/s, with
//                  1 thread (the app's worker) and 2 threads (both cores, as the CLI's eval/train);
//                  .short: the same on 80-character descriptions (a typical 12345 ticket)
//   ai.memory      memory held by the loaded models (process RSS and heap growth)
//   ai.text.rowvote the nearest-training-rows vote alone over the largest bank a model keeps
//                  (ROW_BANK_MAX rows × 512), ms per query — its share of ai.text on a long history
// Data: tests/fixtures/ai/complaints-dev.csv (real complaints, long), else demo texts.
// The machine may be shared: figures are honest for the moment they were taken, not a promise.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AiWorkerClient } from '../src/main/ai/client';
import { bgeDir } from '../src/main/ai/paths';
import { readDataset } from '../src/main/ai/dataset';
import { Embedder } from '../src/main/ai/embedder';
import { embedSamples, fullText, priorVote, ROW_BANK_MAX, trainTextModel, type LabelledSample } from '../src/main/ai/textModel';
import { BGE_DIM, l2normalize } from '../src/main/ai/embedder';
import { emit, progress, summary } from './stats';

const DEV = path.resolve(__dirname, '../tests/fixtures/ai/complaints-dev.csv');

function demoRows(): LabelledSample[] {
  const base = ['小区门口垃圾堆放多日无人清运', '路灯不亮晚上出行不便', '楼上装修噪音扰民', '井盖破损存在安全隐患', '社保卡如何补办'];
  return Array.from({ length: 100 }, (_, i) => ({ title: base[i % 5]!, text: `${base[i % 5]}，${'请有关部门尽快处理。'.repeat(1 + (i % 8))}`, label: `c${i % 5}` }));
}

export async function benchAi(): Promise<void> {
  const rows: LabelledSample[] = fs.existsSync(DEV) ? await readDataset(DEV) : demoRows();
  const avgChars = rows.reduce((s, r) => s + r.title.length + r.text.length, 0) / rows.length;
  progress(`ai: ${rows.length} texts (avg ${avgChars.toFixed(0)} chars), training a model…`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chengyun-bench-ai-'));
  const modelDir = path.join(dir, 'model');
  {
    const e = await Embedder.load(bgeDir(), { threads: 2 });
    // As the street's model: descriptions only, no separate title embedding.
    const feats = await embedSamples((t) => e.embed(t), rows, 0);
    trainTextModel({ samples: rows, embeddings: feats, options: { titleEmbMix: 0 } }).save(modelDir);
    await e.dispose();
  }
  {
    // The nearest-rows vote over a full bank (random unit vectors): the cost a long street history adds.
    let seed = 1;
    const rnd = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 4294967296 - 0.5);
    const vecs = new Float32Array(ROW_BANK_MAX * BGE_DIM);
    for (let r = 0; r < ROW_BANK_MAX; r++) vecs.set(l2normalize(Float32Array.from({ length: BGE_DIM }, rnd)), r * BGE_DIM);
    const bank = { vecs, labels: Int32Array.from({ length: ROW_BANK_MAX }, (_, i) => i % 50) };
    const qs = Array.from({ length: 200 }, () => l2normalize(Float32Array.from({ length: BGE_DIM }, rnd)));
    const ms: number[] = [];
    for (const q of qs) {
      const t0 = performance.now();
      priorVote(bank, q, 50, 5, 0.05);
      ms.push(performance.now() - t0);
    }
    ms.sort((a, b) => a - b);
    emit({ name: 'ai.text.rowvote', n: ms.length, rows: ROW_BANK_MAX, ...summary(ms), loadavg: os.loadavg()[0] });
  }
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const m0 = process.memoryUsage();
  const client = new AiWorkerClient(bgeDir(), 1);
  try {
    await client.init();
    await client.load(modelDir);
    await client.classify({ title: '', text: '预热' });
    gc?.();
    const m1 = process.memoryUsage();
    emit({
      name: 'ai.memory',
      rss_mb: (m1.rss - m0.rss) / 2 ** 20,
      external_mb: (m1.external - m0.external) / 2 ** 20,
      note: 'growth of the process (main + AI worker thread) after loading bge-small-zh int8 + the text model',
    });

    // Latency per ticket, as the new-ticket form asks: one request at a time through the worker.
    const ms: number[] = [];
    for (let rep = 0; rep < 3; rep++)
      for (const r of rows) {
        const t0 = performance.now();
        await client.classify({ title: '', text: fullText(r) }, 3);
        ms.push(performance.now() - t0);
      }
    ms.sort((a, b) => a - b);
    emit({ name: 'ai.text', n: ms.length, ...summary(ms), avg_chars: avgChars, threads: 1, cpus: os.cpus().length, loadavg: os.loadavg()[0] });

    // Throughput: batched embeddings (16 per ONNX run), 4 passes over the texts.
    const samples = Array.from({ length: 4 }, () => rows.map((r) => ({ title: '', text: fullText(r) }))).flat();
    // `ai.text.batch` is the app's own figure (its worker runs one ONNX thread); the two-thread
    // figure is the CLI's (train/eval) and carries its own name so the two are never confused.
    const batch = async (c: AiWorkerClient, threads: number) => {
      const t0 = performance.now();
      await c.classifyMany(samples, 3);
      const s = (performance.now() - t0) / 1000;
      emit({ name: threads === 1 ? 'ai.text.batch' : `ai.text.batch.${threads}threads`, n: samples.length, per_s: samples.length / s, avg_chars: avgChars, threads, loadavg: os.loadavg()[0] });
    };
    await batch(client, 1);
    // Typical 12345 ticket descriptions are far shorter than these letters: the first 80 characters.
    const short = samples.map((x) => ({ title: '', text: x.text.slice(0, 80) }));
    const batchShort = async (c: AiWorkerClient, threads: number) => {
      const t0 = performance.now();
      await c.classifyMany(short, 3);
      const s = (performance.now() - t0) / 1000;
      emit({ name: threads === 1 ? 'ai.text.batch.short' : `ai.text.batch.short.${threads}threads`, n: short.length, per_s: short.length / s, avg_chars: 80, threads, loadavg: os.loadavg()[0] });
    };
    await batchShort(client, 1);
    await client.close();
    const two = new AiWorkerClient(bgeDir(), 2);
    try {
      await two.load(modelDir);
      await batch(two, 2);
      await batchShort(two, 2);
    } finally {
      await two.close();
    }
  } finally {
    await client.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
