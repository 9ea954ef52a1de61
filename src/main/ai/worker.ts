// Worker-thread entry: runs the AiEngine off the street node's main thread. Built as its own
// esbuild entry (dist/main/aiWorker.js); under tsx/vitest it is loaded from source.

import os from 'node:os';
import { parentPort } from 'node:worker_threads';
import { AiEngine } from './engine';
import type { WorkerRequest } from './protocol';

const engine = new AiEngine();
const port = parentPort;
if (!port) throw new Error('ai worker must run in a worker thread');

// Requests are handled one at a time, in order (the ONNX session is not shared across calls).
let chain: Promise<void> = Promise.resolve();
port.on('message', (msg: { id: number; req: WorkerRequest }) => {
  chain = chain.then(async () => {
    try {
      const r = msg.req;
      let result: unknown;
      switch (r.op) {
        case 'init':
          result = await engine.init(r.bgeDir, r.threads);
          break;
        case 'status':
          result = engine.status();
          break;
        case 'load':
          result = engine.load(r.dir);
          break;
        case 'classify':
          result = await engine.classify(r.sample, r.k);
          break;
        case 'classifyMany':
          result = await engine.classifyMany(r.samples, r.k);
          break;
        case 'embed':
          result = await engine.embed(r.texts);
          break;
        case 'train':
          // A retrain is background work (a minute or more of one core): this worker's thread
          // yields to the operator's screens and the node (on Linux the niceness is per thread;
          // a training worker is used for nothing else and ends with its training).
          try {
            os.setPriority(0, Math.max(os.getPriority(0), 10));
          } catch {
            /* not permitted here: train at normal priority */
          }
          result = await engine.train(r.req);
          break;
      }
      port.postMessage({ id: msg.id, ok: true, result });
    } catch (e) {
      port.postMessage({ id: msg.id, ok: false, error: e instanceof Error ? e.message : String(e) });
    }
  });
});
