// Worker thread entry: loads the photo engine once and answers analyse requests one at a time, so
// decoding and inference never run on the node's main thread. Built as dist/main/photoWorker.js.

import { parentPort, workerData } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { PhotoEngine } from './engine';
import { PhotoDecodeError } from './image';
import { vectorFromBytes } from './head';
import type { WorkerMessage, WorkerRequest } from './protocol';

const port = parentPort;
if (!port) throw new Error('photo worker must run in a worker thread');
const post = (m: WorkerMessage, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

async function main(): Promise<void> {
  const t0 = performance.now();
  let engine: PhotoEngine;
  try {
    engine = await PhotoEngine.load((workerData as { modelDir?: string } | null)?.modelDir);
  } catch (e) {
    post({ op: 'loadFailed', message: (e as Error).message });
    return;
  }
  post({ op: 'ready', version: engine.version, loadMs: Math.round(performance.now() - t0), evaluation: engine.head.evaluation });
  // One request at a time: the node runs on 2 cores, and the session is single-threaded.
  let chain = Promise.resolve();
  const shipped = engine.head;
  port!.on('message', (req: WorkerRequest) => {
    if (req.op === 'stop') {
      void engine.release().finally(() => process.exit(0));
      return;
    }
    if (req.op === 'examples') {
      // Applied in order with the analyses: every request after this one sees the new head.
      chain = chain.then(() => {
        engine.head = shipped.withExamples(req.examples.map((e) => ({ category: e.category, v: vectorFromBytes(e.v) })));
      });
      return;
    }
    chain = chain.then(async () => {
      try {
        const a = await engine.analyse(req.file, { label: req.label, k: req.k, zoom: req.zoom });
        const transfer = [a.embedding.buffer as ArrayBuffer, ...(a.zoomEmbedding ? [a.zoomEmbedding.buffer as ArrayBuffer] : [])];
        const { recognized, proximity, offStreet, top, description, concepts, evidence, embedding, zoomEmbedding, hash, brightness, width, height, ms } = a;
        post({ id: req.id, ok: true, result: { recognized, proximity, offStreet, top, description, concepts, evidence, embedding, zoomEmbedding, hash, brightness, width, height, ms } }, transfer);
      } catch (e) {
        post({ id: req.id, ok: false, error: (e as Error).message, kind: e instanceof PhotoDecodeError ? 'decode' : 'other' });
      }
    });
  });
}

void main();
