// API methods of the local assistant (text half): category suggestions for a description,
// duplicate/repeat candidates for a new ticket, unit suggestions for one-click dispatch, the
// acceptance figures, and the street's text model versions (retrain, rollback).

import { z } from 'zod/v4';
import { empty, id, lat, lon, method, phoneOrEmpty } from './common';

const text = z.string().trim().max(5000, '问题描述不能超过5000字');

export const aiSuggestInput = z.object({
  text,
  title: z.string().trim().max(200).optional(),
});

export const aiDuplicatesInput = z.object({
  text: text.default(''),
  lon: lon.optional(),
  lat: lat.optional(),
  gridId: id.optional(),
  categoryId: id.optional(),
  reporterPhone: phoneOrEmpty,
  /** Look back this many days (default 30). */
  days: z.number().int().min(1).max(365).default(30),
});

/** What duplicate candidates are looked for with (the form's text, place, category, caller). */
export type AiDuplicatesQuery = z.infer<typeof aiDuplicatesInput>;

export const aiUnitSuggestInput = z.object({ ticketId: id });

export const aiFeedbackInput = z.object({
  suggestionId: id,
  ticketId: id.optional(),
  /** The value the operator finally chose (a unit id, a ticket id merged into, 'true'/'false'). */
  value: z.string().max(64).optional(),
});

/** 吹哨报到: which departments to summon, from the session's description. */
export const aiWhistleDeptsInput = z.object({
  text: z.string().trim().max(3000).default(''),
  title: z.string().trim().max(200).optional(),
});

/** Earlier answers of the street to a ticket like this one (consultations, closing replies). */
export const aiRepliesInput = z.object({ ticketId: id });

export const aiRollbackInput = z.object({ version: z.string().trim().min(1).max(64) });

/** Sent with tickets.create: which suggestions were on screen when the ticket was filed. */
export const aiCreateLink = z
  .object({
    categorySuggestionId: id.optional(),
    microSuggestionId: id.optional(),
    duplicateSuggestionId: id.optional(),
  })
  .optional();

export const aiMethods = {
  'ai.status': method<typeof empty, AiStatus>(empty),
  'ai.suggest': method<typeof aiSuggestInput, AiSuggestResult>(aiSuggestInput),
  'ai.duplicates': method<typeof aiDuplicatesInput, AiDuplicatesResult>(aiDuplicatesInput),
  'ai.unitSuggest': method<typeof aiUnitSuggestInput, AiUnitSuggestResult>(aiUnitSuggestInput),
  'ai.feedback': method<typeof aiFeedbackInput, { ok: true }>(aiFeedbackInput),
  'ai.stats': method<typeof empty, AiStats>(empty),
  'ai.whistleDepts': method<typeof aiWhistleDeptsInput, AiWhistleDeptsResult>(aiWhistleDeptsInput),
  'ai.dispatchShare': method<typeof empty, AiDispatchShare>(empty),
  'ai.replies': method<typeof aiRepliesInput, AiRepliesResult>(aiRepliesInput),
  'ai.models': method<typeof empty, AiModels>(empty),
  'ai.retrain': method<typeof empty, AiRetrainResult>(empty),
  'ai.rollback': method<typeof aiRollbackInput, AiModels>(aiRollbackInput),
} as const;

export type AiMethod = keyof typeof aiMethods;

// ---------------------------------------------------------------------------------------------
// Output types

export interface AiStatus {
  /** 'ready': suggestions available; 'loading': the model is being prepared; 'unavailable'. */
  state: 'ready' | 'loading' | 'unavailable';
  /** Chinese notice to show (e.g. the embedding model is broken and the simple model answers). */
  notice: string | null;
  modelVersion: string | null;
  /** 'embedding+ngram' or 'ngram' (fallback). */
  parts: string | null;
  training: boolean;
}

export interface AiCategorySuggestion {
  categoryId: string;
  name: string;
  path: string;
  /** 0–1. */
  score: number;
}

export interface AiSuggestResult extends AiStatus {
  suggestionId: string | null;
  items: AiCategorySuggestion[];
  /** Micro-event flag suggestion (category rules weighted by the model's probabilities). */
  micro: { suggestionId: string; score: number; reason: string } | null;
  ms: number;
}

export interface AiDuplicateCandidate {
  ticketId: string;
  code: string;
  status: string;
  description: string;
  address: string;
  categoryPath: string | null;
  createdAt: number;
  distanceM: number | null;
  /** Text similarity 0–1 (embedding cosine), null when not computed. */
  similarity: number | null;
  score: number;
  /** Why it is offered, in Chinese, e.g. "相距 32 米", "同一网格", "同一来电号码", "描述相似度 0.86". */
  reasons: string[];
}

export interface AiDuplicatesResult {
  suggestionId: string | null;
  candidates: AiDuplicateCandidate[];
}

export interface AiUnitSuggestion {
  unitId: string;
  name: string;
  score: number;
  reason: string;
}

export interface AiUnitSuggestResult {
  suggestionId: string | null;
  items: AiUnitSuggestion[];
}

export interface AiAcceptance {
  kind: string;
  label: string;
  shown: number;
  decided: number;
  accepted: number;
  /** accepted / decided, null when nothing was decided. */
  rate: number | null;
}

export interface AiStats {
  since: number | null;
  kinds: AiAcceptance[];
  /** The street's data is the generated demo street: figures describe generated data, not real use. */
  generated: boolean;
}

export interface AiWhistleDept {
  unitId: string;
  name: string;
  score: number;
  /** Why, in Chinese: the words that matched, and/or similar earlier sessions that summoned it. */
  reasons: string[];
}

export interface AiWhistleDeptsResult {
  items: AiWhistleDept[];
}

/**
 * 智能派单 share measured on the street's own history, held out by time: the unit suggestions are
 * computed from the tickets finished before `cutoff` only, then compared with the unit each later
 * ticket was dispatched to.
 */
export interface AiDispatchShare {
  /** Tickets dispatched at or after the cutoff that had a category (the held-out rows). */
  n: number;
  /** Of those, how many had any unit suggestion. */
  suggested: number;
  /** First suggestion = the unit dispatched to. */
  hits: number;
  /** hits / n, null when n = 0. */
  share: number | null;
  /** Among the top three. */
  top3Share: number | null;
  cutoff: number | null;
  /** Held-out window: dispatch times of the first and last held-out ticket. */
  from: number | null;
  to: number | null;
  /** Tickets before the cutoff the suggestions learned from. */
  trainRows: number;
  /** The city's reference figure (>85% of tickets dispatched by the smart dispatcher). */
  cityShare: number;
  generated: boolean;
}

export interface AiReply {
  ticketId: string;
  code: string;
  description: string;
  result: string;
  resolvedAt: number | null;
  /** The earlier question against this one, 0–1 (embedding cosine, or character-bigram cosine when the embedding model is out). */
  similarity: number;
  /** The earlier answer against this question (same measure); items are ranked by similarity + 0.5 × this. */
  answerSimilarity: number;
  categoryPath: string | null;
}

export interface AiRepliesResult {
  items: AiReply[];
  /** 'embedding' or 'characters' (fallback). */
  method: string;
}

export interface AiModelVersion {
  version: string;
  createdAt: string;
  parts: string;
  rows: number;
  heldOut: { accuracy: number; top3: number; macroF1: number; n: number } | null;
  current: boolean;
  /** Trained on this street's history, or published by the city (scores are then the city's). */
  origin: 'street' | 'city';
}

export interface AiModels {
  current: string | null;
  versions: AiModelVersion[];
  /** Held-out figures come from the generated demo street's texts, not from real tickets. */
  generated: boolean;
  /** The text method's dated figures on real complaints of another city (models/text-evaluation.json). */
  realEvaluation: TextRealEvaluation | null;
}

export interface TextFigure {
  accuracy: number;
  top3: number;
  n: number;
  /** Spread over seeds (cross-validation only). */
  accuracySd?: number;
}

/** How `train`'s method did on real complaints: figures used to choose settings apart from the one measured once. */
export interface TextRealEvaluation {
  /** YYYY-MM-DD of the held-out measurement. */
  date: string;
  /** Where the rows come from, in Chinese, for the reader. */
  source: string;
  /** Figures used to choose the settings: cross-validation on the choosing rows. */
  choosing: TextFigure & { folds: number; seeds: number };
  /** Measured once on rows never used for this round's choices; trained on all the choosing rows. */
  heldOut: TextFigure & { trainRows: number };
  /** What the held-out figure can and cannot claim, in Chinese. */
  caveat: string;
}

export interface AiRetrainResult {
  candidate: AiModelVersion;
  /** The current model's score on the same held-out rows. */
  previous: { version: string; accuracy: number; top3: number; macroF1: number; n: number } | null;
  replaced: boolean;
  reason: string;
  trainMs: number;
}
