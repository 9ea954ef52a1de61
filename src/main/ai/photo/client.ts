// The node's handle on the photo worker thread: starts it on first use, queues requests, and
// reports whether the model could be loaded (a missing or broken model leaves the app running
// without photo suggestions, with the reason for the UI).

import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { HeadEvaluation } from './head';
import type { WorkerAnalysis, WorkerMessage, WorkerRequest } from './protocol';

export type PhotoAiState =
  | { state: 'starting' }
  | { state: 'ready'; version: string; loadMs: number; evaluation: HeadEvaluation | null }
  | { state: 'unavailable'; reason: string };

export class PhotoAnalyseError extends Error {
  constructor(
    message: string,
    readonly kind: 'decode' | 'other' | 'unavailable',
  ) {
    super(message);
    this.name = 'PhotoAnalyseError';
  }
}

/** Where the worker script is: dist/main/photoWorker.js when built, the TypeScript source under tsx/vitest. */
function workerScript(): { file: string; eval: boolean } {
  const built = path.join(__dirname, 'photoWorker.js');
  if (fs.existsSync(built)) return { file: built, eval: false };
  const source = path.join(__dirname, 'worker.ts');
  // Development and tests: load the TypeScript entry through tsx's require hook.
  return { file: `require('tsx/cjs');\nrequire(${JSON.stringify(source)});`, eval: true };
}

export class PhotoWorkerClient {
  private worker: Worker | null = null;
  private status: PhotoAiState = { state: 'starting' };
  private ready: Promise<PhotoAiState> | null = null;
  private nextId = 1;
  private closed = false;
  private pending = new Map<number, { resolve: (r: WorkerAnalysis) => void; reject: (e: Error) => void }>();

  constructor(private readonly opts: { modelDir?: string; onState?: (s: PhotoAiState) => void } = {}) {}

  get state(): PhotoAiState {
    return this.status;
  }

  /** Starts the worker if needed and waits until the model is loaded or has failed. */
  start(): Promise<PhotoAiState> {
    if (this.ready) return this.ready;
    this.ready = new Promise<PhotoAiState>((resolve) => {
      const script = workerScript();
      let w: Worker;
      try {
        w = new Worker(script.file, { eval: script.eval, workerData: { modelDir: this.opts.modelDir } });
      } catch (e) {
        this.setState({ state: 'unavailable', reason: `图片识别线程无法启动：${(e as Error).message}` });
        resolve(this.status);
        return;
      }
      this.worker = w;
      w.unref();
      w.on('message', (m: WorkerMessage) => {
        if ('op' in m) {
          if (m.op === 'ready') this.setState({ state: 'ready', version: m.version, loadMs: m.loadMs, evaluation: m.evaluation });
          else this.setState({ state: 'unavailable', reason: m.message });
          resolve(this.status);
          return;
        }
        const p = this.pending.get(m.id);
        if (!p) return;
        this.pending.delete(m.id);
        if (m.ok) p.resolve(m.result);
        else p.reject(new PhotoAnalyseError(m.error, m.kind));
      });
      const down = (why: string) => {
        const wasReady = this.status.state === 'ready';
        if (this.status.state !== 'unavailable') this.setState({ state: 'unavailable', reason: why });
        for (const p of this.pending.values()) p.reject(new PhotoAnalyseError(why, 'unavailable'));
        this.pending.clear();
        if (this.worker === w) this.worker = null;
        resolve(this.status);
        // A worker that crashed after loading is started afresh on the next request; a model that
        // failed to load stays off until the node restarts.
        if (wasReady && !this.closed) this.ready = null;
      };
      w.on('error', (e) => down(`图片识别线程出错：${e.message}`));
      w.on('exit', (code) => down(`图片识别线程已退出（${code}）`));
    });
    return this.ready;
  }

  private setState(s: PhotoAiState): void {
    this.status = s;
    this.opts.onState?.(s);
  }

  /** Analyses a photo file in the worker. */
  async analyse(file: string, label: string, k = 10, zoom = false): Promise<WorkerAnalysis> {
    const s = await this.start();
    if (s.state !== 'ready' || !this.worker) throw new PhotoAnalyseError(s.state === 'unavailable' ? s.reason : 'not ready', 'unavailable');
    const id = this.nextId++;
    const req: WorkerRequest = { id, op: 'analyse', file, label, k, zoom };
    // Keep the process alive while a request is out.
    this.worker.ref();
    try {
      return await new Promise<WorkerAnalysis>((resolve, reject) => {
        this.pending.set(id, { resolve, reject });
        this.worker!.postMessage(req);
      });
    } finally {
      if (this.pending.size === 0) this.worker?.unref();
    }
  }

  /** Replaces the street's labelled photos in the worker's head (after the shipped ones). */
  setExamples(examples: Array<{ category: string; v: Uint8Array }>): void {
    if (!this.worker || this.status.state !== 'ready') return;
    const req: WorkerRequest = { id: this.nextId++, op: 'examples', examples };
    this.worker.postMessage(req);
  }

  async close(): Promise<void> {
    this.closed = true;
    const w = this.worker;
    this.worker = null;
    if (w) await w.terminate();
  }
}
