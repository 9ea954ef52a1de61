// Before/after comparison of two analysed photos: same scene (embedding cosine) and reused or
// near-identical photo (perceptual hash). No model here: the node's main thread uses it on analyses
// that came back from the worker.

import { hammingDistance } from './hash';
import { dot } from './head';

/** What a comparison needs of an analysed photo. */
export interface Comparable {
  /** L2-normalised embedding. */
  embedding: Float32Array;
  /** 64-bit pHash, hex. */
  hash: string;
}

/** Cosine similarity of embeddings at or above which two photos show the same scene (measured: see README). */
export const SAME_SCENE_THRESHOLD = 0.7;
/** pHash distance at or below which an after-photo is the before-photo again (re-saved, resized, brightened). */
export const REUSED_MAX_HAMMING = 10;

export interface PhotoComparison {
  similarity: number;
  sameScene: boolean;
  reused: boolean;
  hamming: number;
}

export function comparePhotos(a: Comparable, b: Comparable): PhotoComparison {
  const similarity = Math.max(0, Math.min(1, dot(a.embedding, b.embedding)));
  const hamming = hammingDistance(a.hash, b.hash);
  return {
    similarity: Math.round(similarity * 1000) / 1000,
    sameScene: similarity >= SAME_SCENE_THRESHOLD,
    reused: hamming <= REUSED_MAX_HAMMING,
    hamming,
  };
}

