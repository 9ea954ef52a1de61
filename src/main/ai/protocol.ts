// Messages between the street node and its AI worker thread.

import type { LabelledSample, TextModelOptions, TextSample } from './textModel';
import type { Metrics } from './metrics';

export interface EngineStatus {
  /** The embedding model is loaded. */
  embedding: boolean;
  /** Chinese notice when the embedding model could not be loaded (the n-gram model answers). */
  notice: string | null;
  /** English detail of that notice, for logs. */
  detail: string | null;
  /** Version of the loaded street text model, null when none is loaded. */
  modelVersion: string | null;
  parts: 'embedding+ngram' | 'ngram' | null;
  loadMs: number;
}

export interface TrainRequest {
  train: LabelledSample[];
  heldOut: LabelledSample[];
  labels: string[];
  outDir: string;
  version: string;
  /** Current model directory to score on the same held-out rows, if any. */
  currentDir: string | null;
  useEmbeddings: boolean;
  options?: Partial<TextModelOptions>;
  card: { source: string; description?: string };
}

export interface TrainReply {
  version: string;
  dir: string;
  parts: string;
  heldOut: Metrics;
  current: (Metrics & { version: string }) | null;
  trainMs: number;
}

export type WorkerRequest =
  | { op: 'init'; bgeDir: string; threads: number }
  | { op: 'status' }
  | { op: 'load'; dir: string }
  | { op: 'classify'; sample: TextSample; k: number }
  | { op: 'classifyMany'; samples: TextSample[]; k: number }
  | { op: 'embed'; texts: string[] }
  | { op: 'train'; req: TrainRequest };

export interface ClassifyReply {
  top: Array<{ label: string; score: number }>;
  modelVersion: string;
  parts: string;
  ms: number;
}

export type WorkerReply = EngineStatus | ClassifyReply | ClassifyReply['top'][] | Float32Array[] | TrainReply | null;
