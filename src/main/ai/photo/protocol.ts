// Messages between the photo worker thread and the node.

import type { PhotoAnalysis } from './engine';
import type { HeadEvaluation } from './head';

export type WorkerRequest =
  | { id: number; op: 'analyse'; file: string; label: string; k: number; zoom: boolean }
  | { id: number; op: 'stop' }
  /** Labelled photos of this street (category path + embedding as uint8 ×255), added to the shipped head. */
  | { id: number; op: 'examples'; examples: Array<{ category: string; v: Uint8Array }> };

/** What the worker sends back for a photo: the engine's analysis, as is. */
export type WorkerAnalysis = PhotoAnalysis;

export type WorkerMessage =
  /** evaluation: the shipped head's dated held-out figures (photo-head.json), for Settings › 智能助手. */
  | { op: 'ready'; version: string; loadMs: number; evaluation: HeadEvaluation | null }
  | { op: 'loadFailed'; message: string }
  | { id: number; ok: true; result: WorkerAnalysis }
  | { id: number; ok: false; error: string; kind: 'decode' | 'other' };
