// API methods of the photo AI: category suggestions and a draft description for an uploaded photo,
// recording which suggestions the operator accepted, and the before/after photo check a verifier
// sees before passing a resolved ticket.

import { z } from 'zod/v4';
import { empty, epochMs, id, method, sha256 } from './common';

export const aiPhotoSuggestInput = z.object({ sha256 });
/** What the operator took of one photo suggestion shown while filing a ticket. */
export const photoSuggestionDecision = z.object({
  suggestionId: id,
  /** The suggested category the operator accepted, or null when none was accepted. */
  acceptedCategoryId: id.nullable(),
  descriptionAccepted: z.boolean(),
});
export type PhotoSuggestionDecision = z.infer<typeof photoSuggestionDecision>;
export const PHOTO_DECISIONS_MAX = 20;
export const aiPhotoRecordInput = z.object({
  ticketId: id,
  entries: z.array(photoSuggestionDecision).min(1).max(PHOTO_DECISIONS_MAX),
});
export const aiPhotoCheckInput = z.object({ ticketId: id });
export const aiPhotoStatsInput = z
  .object({ from: epochMs.optional(), to: epochMs.optional() })
  .prefault({});

export const aiPhotoMethods = {
  'aiPhoto.status': method<typeof empty, PhotoAiStatus>(empty),
  'aiPhoto.suggest': method<typeof aiPhotoSuggestInput, PhotoSuggestion>(aiPhotoSuggestInput),
  'aiPhoto.record': method<typeof aiPhotoRecordInput, { ok: true; recorded: number }>(aiPhotoRecordInput),
  'aiPhoto.check': method<typeof aiPhotoCheckInput, PhotoCheck | null>(aiPhotoCheckInput),
  'aiPhoto.stats': method<typeof aiPhotoStatsInput, PhotoAiStats>(aiPhotoStatsInput),
} as const;

export type AiPhotoMethod = keyof typeof aiPhotoMethods;

// ---------------------------------------------------------------------------------------------
// Output types

export interface PhotoAiStatus {
  /** starting: the model is loading; unavailable: missing or broken model (see notice). */
  state: 'starting' | 'ready' | 'unavailable';
  /** Chinese notice for the UI when photo suggestions are unavailable. */
  notice: string | null;
  modelVersion: string | null;
  /** The shipped photo model's dated figures on photos it was not built from (null when not loaded). */
  evaluation: PhotoModelEvaluation | null;
}

/** One split of the photo model's evaluation. */
export interface PhotoSplitFigures {
  /** Street-garbage photos, how many came back recognized, and recognized with a 垃圾 category in the top 3. */
  garbage: number;
  garbageRecognized: number;
  garbageTop3: number;
  /** Photos of no street problem, how many came back not recognized, and how many were offered 垃圾 first. */
  negatives: number;
  negativesRefused: number;
  negativesFalseGarbage: number;
}

export interface PhotoModelEvaluation {
  date: string;
  builtFrom: string;
  /** The split the threshold was chosen on. */
  calibration: PhotoSplitFigures;
  /** The split never used for choosing, measured once. */
  test: PhotoSplitFigures;
}

export interface PhotoCategorySuggestion {
  categoryId: string;
  /** Full catalog path, e.g. 市容环境/暴露垃圾. */
  path: string;
  /** 0–1. */
  score: number;
}

export interface PhotoSuggestion {
  status: PhotoAiStatus;
  /**
   * False: the photo shows no street problem the model knows (an animal, a drink, a document …);
   * `top` still lists the nearest categories, `description` is empty, and the form says 未识别出街面问题.
   */
  recognized: boolean;
  /** Null when no suggestion could be made (model unavailable). */
  suggestionId: string | null;
  sha256: string;
  top: PhotoCategorySuggestion[];
  /** Draft Chinese description of what the photo shows. */
  description: string;
  /** What the model sees, strongest first (Chinese). */
  concepts: string[];
  ms: number;
}

export interface PhotoCheckPair {
  before: string;
  after: string;
  similarity: number;
  sameScene: boolean;
  reused: boolean;
}

export interface PhotoCheck {
  ticketId: string;
  /** The resolve event whose after-photos were checked. */
  eventId: string;
  /** passed / failed; unavailable: the model could not run; incomplete: before- or after-photos missing. */
  status: 'passed' | 'failed' | 'unavailable' | 'incomplete';
  sameScene: boolean | null;
  similarity: number | null;
  reused: boolean | null;
  problemVisible: boolean | null;
  /** Chinese reasons the check failed (empty when passed). */
  reasons: string[];
  pairs: PhotoCheckPair[];
  beforePhotos: string[];
  afterPhotos: string[];
  modelVersion: string | null;
  checkedAt: number;
  /** True when passing verification needs a reason (the check failed). */
  reasonRequired: boolean;
}

/** How the photo assistant is used: the city measures its assistant by these rates. */
export interface PhotoAiStats {
  /** Suggestions shown (one per photo analysed in the new-ticket form). */
  shown: number;
  /** Of those, photos that showed no street problem the model knows (nothing offered; not counted below). */
  unrecognized: number;
  /** Of the recognized ones, on a ticket that was filed. */
  filed: number;
  /** Filed with a suggested category the operator accepted. */
  categoryAccepted: number;
  /** Filed with a category that was not among the suggestions (an operator's correction). */
  corrected: number;
  descriptionAccepted: number;
  /** categoryAccepted / filed, or null when nothing was filed. */
  categoryAcceptRate: number | null;
  descriptionAcceptRate: number | null;
  /** Before/after checks by status. */
  checks: Record<'passed' | 'failed' | 'unavailable' | 'incomplete', number>;
}
