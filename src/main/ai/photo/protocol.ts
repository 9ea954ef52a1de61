// Messages between the photo worker thread and the node.

import type { CategoryScore, ConceptHit } from './classify';

export type WorkerRequest =
  | { id: number; op: 'analyse'; file: string; label: string; k: number; zoom: boolean }
  | { id: number; op: 'stop' }
  /** Labelled photos of this street (category path + embedding as uint8 ×255), added to the shipped head. */
  | { id: number; op: 'examples'; examples: Array<{ category: string; v: Uint8Array }> };

export interface WorkerAnalysis {
  top: CategoryScore[];
  description: string;
  concepts: ConceptHit[];
  evidence: Record<string, number>;
  embedding: Float32Array;
  zoomEmbedding?: Float32Array;
  hash: string;
  brightness: number;
  width: number;
  height: number;
  ms: number;
}

export type WorkerMessage =
  | { op: 'ready'; version: string; loadMs: number }
  | { op: 'loadFailed'; message: string }
  | { id: number; ok: true; result: WorkerAnalysis }
  | { id: number; ok: false; error: string; kind: 'decode' | 'other' };
