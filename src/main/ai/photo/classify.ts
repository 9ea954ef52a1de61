// Photo → top categories and a draft description: cold-start evidence from the ImageNet classes
// (concepts.ts), a class prior for street photos, and the nearest-neighbour head (head.ts).

import { CONCEPTS, OFF_STREET_CLASSES, PHOTO_PRIOR, type ConceptDef } from './concepts';
import type { PhotoHead } from './head';

/** Weight of the prior against the photo's own evidence. */
export const PRIOR_WEIGHT = 0.05;
/** Weight of the trained head in the final score (the cold start gets the rest). */
export const HEAD_WEIGHT = 0.5;

export interface CategoryScore {
  /** Full catalog path, e.g. 市容环境/暴露垃圾. */
  category: string;
  /** 0–1. */
  score: number;
}

export interface ConceptHit {
  zh: string;
  p: number;
}

/** Concept probabilities (sum of their ImageNet classes), strongest first. */
export function conceptHits(probs: Float32Array): ConceptHit[] {
  const hits = CONCEPTS.map((c: ConceptDef) => ({ zh: c.zh, p: c.classes.reduce((s, [i]) => s + (probs[i] ?? 0), 0) }));
  return hits.filter((h) => h.p > 0).sort((a, b) => b.p - a.p);
}

/**
 * How much of each leaf's problem the photo itself shows (Σ P(concept) × weight, street fixtures
 * such as bins left out): what the before/after check compares.
 */
export function problemEvidence(probs: Float32Array): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of CONCEPTS) {
    if (c.fixture) continue;
    const p = c.classes.reduce((sum, [i]) => sum + (probs[i] ?? 0), 0);
    for (const [leaf, w] of c.leaves) out[leaf] = (out[leaf] ?? 0) + p * w;
  }
  for (const k of Object.keys(out)) out[k] = Math.round(out[k]! * 1000) / 1000;
  return out;
}

/** Classes some concept names as street evidence (flies and cockroaches are 病媒生物, not pets). */
const STREET_CLASSES = new Set(CONCEPTS.flatMap((c) => c.classes.map(([i]) => i)));

/** Probability the model puts on classes that are no street problem (animals, food, documents, scenery, plants). */
export function offStreetMass(probs: Float32Array): number {
  let s = 0;
  for (const g of OFF_STREET_CLASSES) for (let i = g.from[0]; i <= g.to[0]; i++) if (!STREET_CLASSES.has(i)) s += probs[i] ?? 0;
  return s;
}

/** Cold-start scores over catalog leaves, normalised to sum 1. */
export function coldStartScores(probs: Float32Array): Map<string, number> {
  const s = new Map<string, number>();
  for (const c of CONCEPTS) {
    const p = c.classes.reduce((sum, [i]) => sum + (probs[i] ?? 0), 0);
    for (const [leaf, w] of c.leaves) s.set(leaf, (s.get(leaf) ?? 0) + p * w);
  }
  for (const [leaf, w] of PHOTO_PRIOR) s.set(leaf, (s.get(leaf) ?? 0) + PRIOR_WEIGHT * w);
  const total = [...s.values()].reduce((a, b) => a + b, 0) || 1;
  for (const [k, v] of s) s.set(k, v / total);
  return s;
}

/**
 * Final top-k: (1 − w)·cold start + w·head. With an empty head the cold start alone decides.
 * `known` (the catalog's leaf paths), when given, drops leaves the street's catalog does not have.
 */
export function rankCategories(probs: Float32Array, embedding: Float32Array, head: PhotoHead, k = 3, known?: Set<string>): CategoryScore[] {
  const cold = coldStartScores(probs);
  const headScores = head.examples.length ? head.score(embedding) : new Map<string, number>();
  const w = headScores.size ? HEAD_WEIGHT : 0;
  const all = new Map<string, number>();
  for (const [c, v] of cold) all.set(c, (1 - w) * v);
  for (const [c, v] of headScores) all.set(c, (all.get(c) ?? 0) + w * v);
  return [...all.entries()]
    .filter(([c]) => !known || known.has(c))
    .sort((a, b) => b[1] - a[1])
    .slice(0, k)
    .map(([category, score]) => ({ category, score: Math.round(score * 1000) / 1000 }));
}

/** Mean brightness 0–255 of the model input, to say when a photo was taken at night. */
export function meanBrightness(rgb: Uint8Array): number {
  let s = 0;
  for (let i = 0; i < rgb.length; i += 3) s += 0.299 * rgb[i]! + 0.587 * rgb[i + 1]! + 0.114 * rgb[i + 2]!;
  return s / (rgb.length / 3);
}

/** A concept below this probability is not named to the operator. */
export const CONCEPT_SHOWN_MIN = 0.05;

const CONCEPT_BY_ZH = new Map(CONCEPTS.map((c) => [c.zh, c]));

/**
 * The concepts worth naming beside these categories: seen with at least CONCEPT_SHOWN_MIN, and
 * evidence for one of them (a crane the model thinks it sees says nothing about a garbage photo).
 */
export function conceptsFor(hits: readonly ConceptHit[], categories: readonly string[]): string[] {
  const want = new Set(categories);
  return hits.filter((h) => h.p >= CONCEPT_SHOWN_MIN && CONCEPT_BY_ZH.get(h.zh)?.leaves.some(([leaf]) => want.has(leaf))).map((h) => h.zh);
}

/** A draft Chinese description the operator can accept or edit. */
export function draftDescription(top: CategoryScore[], hits: ConceptHit[], brightness: number): string {
  const leaf = top[0]?.category.split('/').pop() ?? '';
  const seen = conceptsFor(hits, top.slice(0, 1).map((t) => t.category)).slice(0, 3);
  const when = brightness < 60 ? '（夜间拍摄，画面较暗）' : '';
  const parts: string[] = [];
  parts.push(seen.length ? `照片中可见${seen.join('、')}${when}` : `照片为街面现场${when}`);
  if (top[0]?.category.includes('垃圾')) {
    parts.push(`现场疑似${leaf}，${leaf === '垃圾满溢' ? '垃圾桶周边垃圾溢出未及时清运' : '垃圾散落堆放未及时清理'}，影响市容环境卫生`);
    parts.push('请安排清运处理');
  } else if (leaf) {
    parts.push(`疑似${leaf}问题`);
    parts.push('请核实处理');
  }
  return `${parts.join('，')}。`;
}
