// Before/after comparison of two analysed photos: same scene (embedding cosine, whole photos and
// their centres) and reused or
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
  /** Embedding of the photo's centre (see engine.analyse `zoom`): lets a closer shot match the wider one. */
  zoomEmbedding?: Float32Array;
}

/** Cosine similarity of embeddings at or above which two photos show the same scene (measured: see the model card). */
export const SAME_SCENE_THRESHOLD = 0.72;
/** pHash distance at or below which an after-photo is the before-photo again (re-saved, resized, brightened). */
export const REUSED_MAX_HAMMING = 10;

export interface PhotoComparison {
  similarity: number;
  sameScene: boolean;
  reused: boolean;
  hamming: number;
}

export function comparePhotos(a: Comparable, b: Comparable): PhotoComparison {
  // Whole against whole, and each photo's centre against the other whole (one of them may be a closer shot).
  let cos = dot(a.embedding, b.embedding);
  if (a.zoomEmbedding) cos = Math.max(cos, dot(a.zoomEmbedding, b.embedding));
  if (b.zoomEmbedding) cos = Math.max(cos, dot(a.embedding, b.zoomEmbedding));
  const similarity = Math.max(0, Math.min(1, cos));
  const hamming = hammingDistance(a.hash, b.hash);
  const reused = hamming <= REUSED_MAX_HAMMING;
  return {
    similarity: Math.round(similarity * 1000) / 1000,
    // The same photo again (darkened, blurred, re-saved) is the same scene whatever the embeddings say.
    sameScene: similarity >= SAME_SCENE_THRESHOLD || reused,
    reused,
    hamming,
  };
}

