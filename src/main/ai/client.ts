// The street node's handle on the AI worker thread: request/response by id, a time limit per
// request, and a restart when the worker dies. Nothing here blocks the main thread.

import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ClassifyReply, EngineStatus, TrainReply, TrainRequest, WorkerRequest } from './protocol';
import type { TextSample } from './textModel';

function workerEntry(): { file: string; evalCode: boolean } {
  // Bundled: dist/main/aiWorker.js beside the bundle. From source (tsx, vitest): worker.ts, loaded
  // through tsx's CommonJS hook inside the worker (worker threads do not inherit loader flags).
  const built = path.join(__dirname, 'aiWorker.js');
  if (fs.existsSync(built)) return { file: built, evalCode: false };
  let src = path.join(__dirname, 'worker.ts');
  if (!fs.existsSync(src)) src = path.resolve(__dirname, '../../../src/main/ai/worker.ts');
  return { file: `require('tsx/cjs/api').register(); require(${JSON.stringify(src)});`, evalCode: true };
}

export class AiWorkerClient {
  private worker: Worker | null = null;
  private next = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();
  private initialized: Promise<EngineStatus> | null = null;
  /** The model directory last loaded, reloaded when a dead worker is replaced. */
  private lastDir: string | null = null;

  constructor(
    private readonly bgeDir: string,
    private readonly threads = 1,
  ) {}

  private spawn(): Worker {
    const { file, evalCode } = workerEntry();
    const w = new Worker(file, { eval: evalCode });
    w.unref();
    w.on('message', (m: { id: number; ok: boolean; result?: unknown; error?: string }) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      clearTimeout(p.timer);
      if (m.ok) p.resolve(m.result);
      else p.reject(new Error(m.error));
    });
    const fail = (e: Error) => {
      for (const [, p] of this.pending) {
        clearTimeout(p.timer);
        p.reject(e);
      }
      this.pending.clear();
      this.worker = null;
      this.initialized = null;
    };
    w.on('error', (e) => fail(e instanceof Error ? e : new Error(String(e))));
    w.on('exit', (code) => fail(new Error(`ai worker exited with code ${code}`)));
    return w;
  }

  private send<T>(req: WorkerRequest, timeoutMs: number): Promise<T> {
    if (!this.worker) this.worker = this.spawn();
    const w = this.worker;
    const id = this.next++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`ai worker: ${req.op} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      timer.unref();
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
      w.postMessage({ id, req });
    });
  }

  /** Starts the worker and loads the embedding model once. */
  init(): Promise<EngineStatus> {
    if (!this.initialized) {
      const dir = this.lastDir;
      this.initialized = this.send<EngineStatus>({ op: 'init', bgeDir: this.bgeDir, threads: this.threads }, 120_000).then((st) =>
        dir ? this.send<EngineStatus>({ op: 'load', dir }, 60_000).catch(() => st) : st,
      );
      this.initialized.catch(() => (this.initialized = null));
    }
    return this.initialized;
  }

  async status(): Promise<EngineStatus> {
    await this.init();
    return this.send({ op: 'status' }, 10_000);
  }

  async load(dir: string): Promise<EngineStatus> {
    await this.init();
    const st = await this.send<EngineStatus>({ op: 'load', dir }, 60_000);
    this.lastDir = dir;
    return st;
  }

  async classify(sample: TextSample, k = 3): Promise<ClassifyReply> {
    await this.init();
    return this.send({ op: 'classify', sample, k }, 15_000);
  }

  async classifyMany(samples: TextSample[], k = 3): Promise<ClassifyReply['top'][]> {
    await this.init();
    return this.send({ op: 'classifyMany', samples, k }, 10 * 60_000);
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    await this.init();
    return this.send({ op: 'embed', texts }, 60_000);
  }

  async train(req: TrainRequest): Promise<TrainReply> {
    await this.init();
    return this.send({ op: 'train', req }, 30 * 60_000);
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    this.initialized = null;
    if (w) await w.terminate();
  }
}
