// The street's assistant: owns the AI worker thread and the street's text model versions, and
// answers category suggestions, duplicate candidates, unit suggestions and acceptance figures.
// The street's model is trained from its own ticket history (labels = the catalog's leaves); the
// TipDM-trained model of the command line is for measurement only.

import fs from 'node:fs';
import path from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema';
import type { NodeContext } from '../core/context';
import type { User } from '../../../shared/api/types';
import type {
  AiCategorySuggestion,
  AiModels,
  AiModelVersion,
  AiRetrainResult,
  AiStatus,
  AiSuggestResult,
  TextRealEvaluation,
} from '../../../shared/api/ai';
import { AiWorkerClient } from '../../ai/client';
import { bgeDir, textModelsRoot } from '../../ai/paths';
import { readTextEvaluation } from '../../ai/textEvaluation';
import type { EngineStatus, TrainReply } from '../../ai/protocol';
import type { LabelledSample, ModelCard, TextModelOptions } from '../../ai/textModel';
import { AppError } from '../core/errors';
import { getSetting, setSetting } from '../core/settings';

/** Options of the street's model: many classes and thousands of rows, so a leaner n-gram head. */
export const STREET_OPTIONS: Partial<TextModelOptions> = {
  ngramMaxFeatures: 8000,
  ngramMinDf: 2,
  batch: 128,
  epochsNgram: 12,
  epochsEmb: 40,
  lr: 0.02,
  titleEmbMix: 0,
};
/** Training rows per category at most (the most recent), and in all. */
const PER_CATEGORY = 150;
const MAX_ROWS = 12_000;
const HELD_OUT_SHARE = 0.2;
const CURRENT_KEY = 'ai.text.current';
const EMB_CACHE_MAX = 5000;

export interface AiServiceOptions {
  bgeDir?: string;
  /** Train the embedding model automatically after the first quick n-gram model (default true). */
  autoUpgrade?: boolean;
  threads?: number;
}

type Trx = Transaction<Database>;

/** An alternative category below this probability is not suggested (the first always is). */
export const MIN_ALTERNATIVE_SCORE = 0.05;

/**
 * The categories offered: the model's most likely active leaf, then up to two more that it gives
 * at least MIN_ALTERNATIVE_SCORE (a "0%" chip says nothing), in the model's order.
 */
export function suggestedCategories(
  top: ReadonlyArray<{ label: string; score: number }>,
  byId: ReadonlyMap<string, { id: string; name: string; path: string; active: number; is_leaf: number }>,
): AiCategorySuggestion[] {
  const items: AiCategorySuggestion[] = [];
  for (const t of top) {
    const c = byId.get(t.label);
    if (!c || !c.active || !c.is_leaf) continue;
    if (items.length && t.score < MIN_ALTERNATIVE_SCORE) break;
    items.push({ categoryId: c.id, name: c.name, path: c.path, score: round3(t.score) });
    if (items.length === 3) break;
  }
  return items;
}

export class AiService {
  readonly client: AiWorkerClient;
  readonly root: string;
  private engine: EngineStatus | null = null;
  private startPromise: Promise<void> | null = null;
  private training: Promise<AiRetrainResult> | null = null;
  private failure: string | null = null;
  private closed = false;
  private readonly embCache = new Map<string, Float32Array>();

  constructor(
    private readonly ctx: NodeContext,
    private readonly opts: AiServiceOptions = {},
  ) {
    this.client = new AiWorkerClient(opts.bgeDir ?? bgeDir(), opts.threads ?? 1);
    this.root = textModelsRoot(ctx.store.file);
  }

  /** Loads (or first trains) the street's model in the background. Idempotent. */
  start(): Promise<void> {
    if (!this.startPromise) {
      this.startPromise = this.boot().catch((e) => {
        this.failure = e instanceof Error ? e.message : String(e);
        this.ctx.log.error('ai: start failed', { error: this.failure });
      });
    }
    return this.startPromise;
  }

  private async boot(): Promise<void> {
    this.engine = await this.client.init();
    if (this.engine.notice) this.ctx.log.warn('ai: embedding model unavailable, n-gram fallback', { detail: this.engine.detail });
    const cur = (await getSetting(this.ctx.store.db, CURRENT_KEY)) as string | undefined;
    if (cur && fs.existsSync(path.join(this.root, cur))) {
      try {
        this.engine = await this.client.load(path.join(this.root, cur));
        this.ctx.log.info('ai: text model loaded', { version: cur, parts: this.engine.parts });
        return;
      } catch (e) {
        this.ctx.log.error('ai: current text model unreadable, retraining', { version: cur, error: String(e) });
      }
    }
    // No usable model yet: a quick n-gram model first, so suggestions appear within seconds…
    const first = await this.retrain({ useEmbeddings: false, force: true });
    this.ctx.log.info('ai: first text model trained', { version: first.candidate.version, heldOut: first.candidate.heldOut });
    // …then the embedding model in the background, kept only if it scores better on held-out rows.
    if (this.opts.autoUpgrade !== false && this.engine?.embedding && !this.closed)
      void this.retrain({ useEmbeddings: true }).catch((e) => this.ctx.log.error('ai: background retrain failed', { error: String(e) }));
  }

  status(): AiStatus {
    const e = this.engine;
    const ready = !!e?.modelVersion;
    return {
      state: ready ? 'ready' : this.failure ? 'unavailable' : 'loading',
      notice: this.failure && !ready ? '智能分类暂不可用：模型未能加载，请手动分类' : (e?.notice ?? null),
      modelVersion: e?.modelVersion ?? null,
      parts: e?.parts ?? null,
      training: this.training != null,
    };
  }

  // -------------------------------------------------------------------------------------------
  // Category suggestions

  async suggest(user: User, input: { text: string; title?: string }): Promise<AiSuggestResult> {
    void this.start();
    const st = this.status();
    const none: AiSuggestResult = { ...st, suggestionId: null, items: [], micro: null, ms: 0 };
    if (st.state !== 'ready' || input.text.trim().length < 4) return none;
    const t0 = performance.now();
    let reply;
    try {
      reply = await this.client.classify({ title: input.title ?? '', text: input.text }, 1000);
    } catch (e) {
      this.ctx.log.error('ai: classify failed', { error: String(e) });
      return { ...none, notice: '智能分类暂时出错，请手动分类' };
    }
    const cats = await this.ctx.store.db
      .selectFrom('catalog')
      .select(['id', 'name', 'path', 'is_micro', 'active', 'is_leaf'])
      .where('id', 'in', reply.top.slice(0, 40).map((t) => t.label))
      .execute();
    const byId = new Map(cats.map((c) => [c.id, c]));
    const items = suggestedCategories(reply.top, byId);
    let microScore = 0;
    for (const t of reply.top) if (byId.get(t.label)?.is_micro) microScore += t.score;
    const at = this.ctx.now();
    const suggestionId = uuidv7({ msecs: at });
    const rows: Database['ai_suggestions'][] = [];
    if (items.length)
      rows.push(row(suggestionId, 'category', reply.modelVersion, items.map((i) => ({ value: i.categoryId, score: i.score })), user, at));
    let micro: AiSuggestResult['micro'] = null;
    const topMicro = items[0] && byId.get(items[0].categoryId)?.is_micro;
    if (microScore >= 0.5 || topMicro) {
      const id = uuidv7({ msecs: at });
      const micros = reply.top.filter((t) => byId.get(t.label)?.is_micro).slice(0, 2).map((t) => byId.get(t.label)!.name);
      micro = { suggestionId: id, score: round3(microScore), reason: `可能属于小微事件类（${micros.join('、')}），网格可自行处置` };
      rows.push(row(id, 'micro', reply.modelVersion, [{ value: 'true', score: micro.score }], user, at));
    }
    if (rows.length) await this.ctx.store.db.insertInto('ai_suggestions').values(rows).execute();
    return { ...this.status(), suggestionId: items.length ? suggestionId : null, items, micro, ms: Math.round(performance.now() - t0) };
  }

  // -------------------------------------------------------------------------------------------
  // Model versions: retrain, list, rollback

  private async history(): Promise<{ train: LabelledSample[]; heldOut: LabelledSample[]; labels: string[] }> {
    const db = this.ctx.store.db;
    const leaves = await db.selectFrom('catalog').select(['id', 'path', 'name']).where('is_leaf', '=', 1).where('active', '=', 1).execute();
    const labels = leaves.map((l) => l.id).sort();
    const rows = await db
      .selectFrom('tickets')
      .select(['category_id', 'description', 'created_at'])
      .where('category_id', 'is not', null)
      .where('status', '!=', 'cancelled')
      .orderBy('created_at', 'desc')
      .limit(MAX_ROWS * 4)
      .execute();
    const known = new Set(labels);
    const per = new Map<string, Array<{ text: string }>>();
    for (const r of rows) {
      const c = r.category_id!;
      if (!known.has(c)) continue;
      const list = per.get(c) ?? [];
      if (list.length < PER_CATEGORY) list.push({ text: r.description });
      per.set(c, list);
    }
    const train: LabelledSample[] = [];
    const heldOut: LabelledSample[] = [];
    for (const [label, list] of per) {
      // Newest first: the most recent share of each category is held out.
      const h = list.length >= 5 ? Math.max(1, Math.round(list.length * HELD_OUT_SHARE)) : 0;
      list.forEach((r, i) => (i < h ? heldOut : train).push({ title: '', text: r.text, label }));
    }
    // Prior knowledge: each leaf's catalog path is one more short training sample of it, so a
    // category with little history is still suggested for texts that name it.
    for (const l of leaves) train.push({ title: '', text: l.path.replace(/\//g, '，'), label: l.id });
    return { train, heldOut, labels };
  }

  /**
   * Trains a new version from the street's history, scores it and the current model on the same
   * held-out rows (the most recent tickets), and makes it current only when it is better.
   */
  retrain(o: { useEmbeddings?: boolean; force?: boolean } = {}): Promise<AiRetrainResult> {
    if (this.training) throw new AppError('busy', '模型正在训练，请稍候');
    const run = (async () => {
      const { train, heldOut, labels } = await this.history();
      if (train.length < 20 || new Set(train.map((t) => t.label)).size < 2)
        throw new AppError('noHistory', '本街道已分类的历史工单太少，无法训练模型', { detail: `only ${train.length} labelled rows` });
      const at = this.ctx.now();
      let version = new Date(at).toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
      while (fs.existsSync(path.join(this.root, version))) version += 'b';
      const cur = (await getSetting(this.ctx.store.db, CURRENT_KEY)) as string | undefined;
      const curDir = cur && fs.existsSync(path.join(this.root, cur)) ? path.join(this.root, cur) : null;
      const useEmb = o.useEmbeddings ?? this.engine?.embedding ?? true;
      // Training runs in a worker of its own, so suggestions keep flowing meanwhile.
      const trainer = new AiWorkerClient(this.opts.bgeDir ?? bgeDir(), this.opts.threads ?? 1);
      let r: TrainReply;
      try {
        r = await trainer.train({
          train,
          heldOut,
          labels,
          outDir: path.join(this.root, version),
          version,
          currentDir: curDir,
          useEmbeddings: useEmb,
          options: STREET_OPTIONS,
          card: { source: `street history: ${train.length} tickets (held out: ${heldOut.length} most recent)` },
        });
      } finally {
        await trainer.close();
      }
      const better = !r.current || o.force || r.heldOut.accuracy > r.current.accuracy || (r.heldOut.accuracy === r.current.accuracy && r.heldOut.top3 > r.current.top3);
      if (better && !this.closed) {
        await setSetting(this.ctx.store.db, CURRENT_KEY, version);
        this.engine = await this.client.load(r.dir);
      }
      const candidate = readVersion(path.join(this.root, version), better ? version : cur ?? null);
      const reason = !r.current
        ? '尚无在用模型，新模型直接启用'
        : better
          ? `新模型在留出数据上准确率 ${pct(r.heldOut.accuracy)}，高于在用模型 ${pct(r.current.accuracy)}，已替换`
          : `新模型在留出数据上准确率 ${pct(r.heldOut.accuracy)}，不高于在用模型 ${pct(r.current.accuracy)}，保留在用模型`;
      this.ctx.log.info('ai: retrained', { version, replaced: better, heldOut: r.heldOut, current: r.current, ms: r.trainMs });
      return {
        candidate: candidate!,
        previous: r.current ? { version: r.current.version, accuracy: r.current.accuracy, top3: r.current.top3, macroF1: r.current.macroF1, n: r.current.n } : null,
        replaced: better,
        reason,
        trainMs: r.trainMs,
      };
    })();
    this.training = run;
    run.then(
      () => (this.training = null),
      () => (this.training = null),
    );
    return run;
  }

  async models(): Promise<AiModels> {
    const cur = ((await getSetting(this.ctx.store.db, CURRENT_KEY)) as string | undefined) ?? null;
    const versions: AiModelVersion[] = [];
    if (fs.existsSync(this.root))
      for (const name of fs.readdirSync(this.root).sort().reverse()) {
        if (name.includes('.tmp-')) continue;
        const v = readVersion(path.join(this.root, name), cur);
        if (v) versions.push(v);
      }
    return { current: cur, versions, generated: (await getSetting(this.ctx.store.db, 'demo')) === true, realEvaluation: this.realEvaluation() };
  }

  private realEval: { value: TextRealEvaluation | null } | null = null;

  /** The method's figures on real complaints, read once; a missing or malformed file is logged and shows nothing. */
  private realEvaluation(): TextRealEvaluation | null {
    if (!this.realEval) {
      const r = readTextEvaluation();
      if (r.problem) this.ctx.log.warn('ai: text evaluation file unusable', { problem: r.problem });
      this.realEval = { value: r.evaluation };
    }
    return this.realEval.value;
  }

  async rollback(version: string): Promise<AiModels> {
    const dir = path.join(this.root, version);
    if (!/^[0-9A-Za-z]+$/.test(version) || !fs.existsSync(path.join(dir, 'model.json')))
      throw new AppError('notFound', '该模型版本不存在', { detail: `model version ${version} not found under ${this.root}` });
    try {
      this.engine = await this.client.load(dir);
    } catch (e) {
      throw new AppError('badModel', '该模型版本文件损坏，无法启用', { detail: `load ${dir}: ${String(e)}` });
    }
    await setSetting(this.ctx.store.db, CURRENT_KEY, version);
    this.ctx.log.info('ai: model rolled back', { version });
    return this.models();
  }

  async embed(texts: string[]): Promise<Float32Array[] | null> {
    if (!this.engine?.embedding) return null;
    try {
      return await this.client.embed(texts);
    } catch (e) {
      this.ctx.log.warn('ai: embed failed', { error: String(e) });
      return null;
    }
  }

  /**
   * Embeddings through a cache keyed by the text (earlier tickets are asked for again and again);
   * null when the embedding model is out.
   */
  async embedCached(texts: string[]): Promise<Float32Array[] | null> {
    if (!this.engine?.embedding) return null;
    const missing = [...new Set(texts.filter((t) => !this.embCache.has(t)))];
    if (missing.length) {
      const v = await this.embed(missing);
      if (!v) return null;
      missing.forEach((t, i) => this.embCache.set(t, v[i]!));
      // A plain cap: the oldest entries go first (Map keeps insertion order).
      for (const k of this.embCache.keys()) {
        if (this.embCache.size <= EMB_CACHE_MAX) break;
        this.embCache.delete(k);
      }
    }
    return texts.map((t) => this.embCache.get(t) ?? null).every((v) => v) ? texts.map((t) => this.embCache.get(t)!) : this.embed(texts);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.training?.catch(() => undefined);
    await this.client.close();
  }
}

function readVersion(dir: string, current: string | null): AiModelVersion | null {
  try {
    const card = JSON.parse(fs.readFileSync(path.join(dir, 'card.json'), 'utf8')) as ModelCard;
    const h = (card.metrics as { heldOut?: AiModelVersion['heldOut'] }).heldOut ?? null;
    return {
      version: card.version,
      createdAt: card.createdAt,
      parts: card.embedding ? 'embedding+ngram' : 'ngram',
      rows: card.data.rows,
      heldOut: h ? { accuracy: h.accuracy, top3: h.top3, macroF1: h.macroF1, n: h.n } : null,
      current: card.version === current,
      origin: (card as { origin?: string }).origin === 'city' ? 'city' : 'street',
    };
  } catch {
    return null;
  }
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

export function row(
  id: string,
  kind: Database['ai_suggestions']['kind'],
  modelVersion: string | null,
  shown: Array<{ value: string; score: number }>,
  user: User,
  at: number,
): Database['ai_suggestions'] {
  return {
    id,
    kind,
    ticket_id: null,
    model_version: modelVersion,
    shown: JSON.stringify(shown),
    top_value: shown[0]?.value ?? null,
    top_score: shown[0]?.score ?? null,
    accepted: null,
    final_value: null,
    user_id: user.id,
    created_at: at,
    decided_at: null,
  };
}

/**
 * Called inside tickets.create's transaction: records what became of the suggestions on screen
 * and returns the ticket's AI fields (suggested category, confidence, model version, source).
 */
export async function linkSuggestionsOnCreate(
  trx: Trx,
  ticketId: string,
  link: { categorySuggestionId?: string; microSuggestionId?: string; duplicateSuggestionId?: string } | undefined,
  final: { categoryId: string | null; isMicro: boolean; mergeInto?: string },
  at: number,
): Promise<{ ai_category_id: string | null; ai_confidence: number | null; ai_model_version: string | null; category_source: string | null }> {
  const out = { ai_category_id: null as string | null, ai_confidence: null as number | null, ai_model_version: null as string | null, category_source: final.categoryId ? 'manual' : null };
  if (!link) return out;
  if (link.categorySuggestionId) {
    const s = await trx.selectFrom('ai_suggestions').selectAll().where('id', '=', link.categorySuggestionId).where('kind', '=', 'category').executeTakeFirst();
    if (s && !s.ticket_id) {
      const shown = JSON.parse(s.shown) as Array<{ value: string; score: number }>;
      const hit = final.categoryId ? shown.find((x) => x.value === final.categoryId) : undefined;
      await trx
        .updateTable('ai_suggestions')
        .set({ ticket_id: ticketId, accepted: hit ? 1 : 0, final_value: final.categoryId, decided_at: at })
        .where('id', '=', s.id)
        .execute();
      out.ai_category_id = s.top_value;
      out.ai_confidence = s.top_score;
      out.ai_model_version = s.model_version;
      if (hit) out.category_source = 'ai';
      else if (final.categoryId) out.category_source = 'corrected';
    }
  }
  if (link.microSuggestionId) {
    await trx
      .updateTable('ai_suggestions')
      .set({ ticket_id: ticketId, accepted: final.isMicro ? 1 : 0, final_value: String(final.isMicro), decided_at: at })
      .where('id', '=', link.microSuggestionId)
      .where('kind', '=', 'micro')
      .where('ticket_id', 'is', null)
      .execute();
  }
  if (link.duplicateSuggestionId && !final.mergeInto) {
    // Filed as a new ticket: the candidates were not taken (a merge with the filing records acceptance).
    await trx
      .updateTable('ai_suggestions')
      .set({ accepted: 0, decided_at: at })
      .where('id', '=', link.duplicateSuggestionId)
      .where('kind', '=', 'duplicate')
      .where('decided_at', 'is', null)
      .execute();
  }
  return out;
}

/**
 * The new ticket was merged, in its filing transaction, into `targetId`: the duplicate candidates
 * were taken when the target was one of them.
 */
export async function recordDuplicateMerge(trx: Trx, suggestionId: string | undefined, ticketId: string, targetId: string, at: number): Promise<void> {
  if (!suggestionId) return;
  const s = await trx.selectFrom('ai_suggestions').select(['id', 'shown']).where('id', '=', suggestionId).where('kind', '=', 'duplicate').executeTakeFirst();
  if (!s) return;
  const accepted = (JSON.parse(s.shown) as Array<{ value: string }>).some((x) => x.value === targetId) ? 1 : 0;
  await trx.updateTable('ai_suggestions').set({ accepted, final_value: targetId, ticket_id: ticketId, decided_at: at }).where('id', '=', s.id).execute();
}
