// Photo AI in the street node: suggestions for an uploaded photo (category + draft description),
// the record of what operators accepted, and the before/after check of resolved tickets.
//
// Inference runs in a worker thread (src/main/ai/photo/worker.ts) started on first use. When the
// model is missing or broken, every call still answers — with `unavailable` and a Chinese notice —
// and nothing else in the node is affected.

import { v7 as uuidv7 } from 'uuid';
import type { Kysely, Transaction } from 'kysely';
import type { PhotoAiStats, PhotoAiStatus, PhotoCheck, PhotoCheckPair, PhotoSuggestion, PhotoCategorySuggestion, PhotoSuggestionDecision } from '../../../shared/api/aiPhoto';
import type { User } from '../../../shared/api/types';
import { PhotoAnalyseError, PhotoWorkerClient, type PhotoAiState } from '../../ai/photo/client';
import { comparePhotos } from '../../ai/photo/compare';
import { encodeVector } from '../../ai/photo/head';
import { photoSize } from '../../ai/photo/image';
import type { WorkerAnalysis } from '../../ai/photo/protocol';
import { conceptsFor } from '../../ai/photo/classify';
import type { Database } from '../../db/schema';
import { attachmentPath } from '../tickets/attachments';
import type { NodeContext } from '../core/context';
import { AppError, notFound } from '../core/errors';
import { appendOutbox, opActorOf } from '../core/outbox';
import { getTicketDetail } from '../tickets/queries';

type Trx = Transaction<Database>;

/** After-photo evidence for the ticket's problem at or above this (and not clearly less than before) means it is still visible. */
export const PROBLEM_VISIBLE_MIN = 0.1;
export const PROBLEM_DROP_RATIO = 0.7;
/** Photos smaller than this on either side cannot be compared (thumbnails, icons, placeholders). */
export const MIN_CHECK_SIDE = 64;

interface PhotoAi {
  client: PhotoWorkerClient;
  /** Analyses by sha256, so a photo is run once per node. */
  cache: Map<string, Promise<WorkerAnalysis>>;
  pendingChecks: Map<string, Promise<PhotoCheck | null>>;
  /** The street's labelled photos have been sent to the worker since it started. */
  labelsSent: Promise<void> | null;
  unsubscribe: () => void;
}

/** Most recent labelled photos of the street given to the head. */
export const MAX_STREET_LABELS = 2000;

const nodes = new WeakMap<NodeContext, PhotoAi>();

/** The node's photo AI, created (and subscribed to resolutions) on first call. */
export function photoAi(ctx: NodeContext, opts: { modelDir?: string } = {}): PhotoAi {
  const ai = nodes.get(ctx);
  if (ai) return ai;
  const client = new PhotoWorkerClient({
    modelDir: opts.modelDir ?? process.env.CHENGYUN_PHOTO_MODEL_DIR,
    onState: (s) => {
      if (s.state === 'ready') ctx.log.info('photo model loaded', { version: s.version, loadMs: s.loadMs });
      else if (s.state === 'unavailable') ctx.log.warn('photo model unavailable; photo suggestions are off', { reason: s.reason });
    },
  });
  const created: PhotoAi = { client, cache: new Map(), pendingChecks: new Map(), labelsSent: null, unsubscribe: () => {} };
  // A resolution with after-photos gets its before/after check at once, off the request path.
  created.unsubscribe = ctx.events.subscribe((e) => {
    if (e.type === 'ticket.changed' && e.action === 'resolve')
      void runPhotoCheck(ctx, e.id).catch((err) => ctx.log.error('photo check failed', { ticketId: e.id, error: String(err) }));
  });
  nodes.set(ctx, created);
  return created;
}

export async function closePhotoAi(ctx: NodeContext): Promise<void> {
  const ai = nodes.get(ctx);
  if (!ai) return;
  nodes.delete(ctx);
  ai.unsubscribe();
  await ai.client.close();
}

function statusOf(s: PhotoAiState): PhotoAiStatus {
  if (s.state === 'ready') return { state: 'ready', notice: null, modelVersion: s.version, evaluation: s.evaluation };
  if (s.state === 'starting') return { state: 'starting', notice: null, modelVersion: null, evaluation: null };
  return { state: 'unavailable', notice: `图片识别模型不可用，暂不提供照片分类建议，请手工选择分类（${shortReason(s.reason)}）`, modelVersion: null, evaluation: null };
}

function shortReason(reason: string): string {
  if (/cannot read model files/.test(reason)) return '模型文件缺失';
  if (/label/.test(reason)) return '标签文件与模型不符';
  if (/must be|shapes|no pooled|no graph/.test(reason)) return '模型结构不符';
  if (/protobuf|rejected/.test(reason)) return '模型文件损坏';
  return '模型加载失败';
}

export async function photoAiStatus(ctx: NodeContext): Promise<PhotoAiStatus> {
  return statusOf(await readyPhotoAi(ctx));
}

/**
 * The street's own labels: photos of filed tickets with the ticket's final category (what the
 * operator filed, accepted suggestion or correction), newest first, one per photo.
 */
export async function streetPhotoLabels(db: Kysely<Database>): Promise<Array<{ category: string; v: Uint8Array }>> {
  const rows = await db
    .selectFrom('ai_photo_suggestions as s')
    .innerJoin('catalog as c', 'c.id', 's.final_category_id')
    .select(['s.sha256', 'c.path', 's.embedding'])
    .where('s.embedding', 'is not', null)
    .where('s.ticket_id', 'is not', null)
    .orderBy('s.decided_at', 'desc')
    .limit(MAX_STREET_LABELS * 2)
    .execute();
  const seen = new Set<string>();
  const out: Array<{ category: string; v: Uint8Array }> = [];
  for (const r of rows) {
    if (seen.has(r.sha256) || !r.embedding || r.embedding.length !== 1280) continue;
    seen.add(r.sha256);
    out.push({ category: r.path, v: new Uint8Array(r.embedding) });
    if (out.length >= MAX_STREET_LABELS) break;
  }
  return out;
}

async function sendLabels(ctx: NodeContext, ai: PhotoAi): Promise<void> {
  ai.client.setExamples(await streetPhotoLabels(ctx.store.db));
  ai.cache.clear(); // analyses made with the previous head are stale
}

/** Starts the worker if needed and, once per start, hands it the street's labelled photos. */
async function readyPhotoAi(ctx: NodeContext): Promise<PhotoAiState> {
  const ai = photoAi(ctx);
  const state = await ai.client.start();
  if (state.state === 'ready' && !ai.labelsSent) {
    ai.labelsSent = sendLabels(ctx, ai).catch((e) => ctx.log.warn('street photo labels not loaded', { error: String(e) }));
  }
  if (ai.labelsSent) await ai.labelsSent;
  return state;
}

/** Analyses a stored photo once per node (per head); `zoom` adds the centre embedding that comparisons use. */
async function analyseAttachment(ctx: NodeContext, sha256: string, name: string, zoom = false): Promise<WorkerAnalysis> {
  const ai = photoAi(ctx);
  const key = zoom ? `${sha256}+zoom` : sha256;
  let p = ai.cache.get(key);
  if (!p) {
    p = ai.client.analyse(attachmentPath(ctx, sha256), name, 10, zoom);
    ai.cache.set(key, p);
    p.catch(() => ai.cache.delete(key));
    // Bounded: the oldest analyses go first.
    if (ai.cache.size > 200) ai.cache.delete(ai.cache.keys().next().value!);
  }
  return p;
}

interface LeafRow {
  id: string;
  path: string;
  name: string;
}

async function catalogLeaves(db: Kysely<Database>): Promise<LeafRow[]> {
  return db.selectFrom('catalog').select(['id', 'path', 'name']).where('is_leaf', '=', 1).where('active', '=', 1).execute();
}

/** Maps the model's leaf paths onto this street's catalog: by full path, else by leaf name. */
function mapToCatalog(top: Array<{ category: string; score: number }>, leaves: LeafRow[], k = 3): PhotoCategorySuggestion[] {
  const byPath = new Map(leaves.map((l) => [l.path, l]));
  const byName = new Map(leaves.map((l) => [l.name, l]));
  const out: PhotoCategorySuggestion[] = [];
  for (const t of top) {
    const leaf = byPath.get(t.category) ?? byName.get(t.category.split('/').pop()!);
    if (!leaf || out.some((o) => o.categoryId === leaf.id)) continue;
    out.push({ categoryId: leaf.id, path: leaf.path, score: t.score });
    if (out.length === k) break;
  }
  return out;
}

export async function suggestForPhoto(ctx: NodeContext, user: User, sha256: string): Promise<PhotoSuggestion> {
  if (user.role === 'system') throw new AppError('forbiddenRole', '无权使用照片识别');
  const db = ctx.store.db;
  const att = await db.selectFrom('attachments').select(['sha256', 'name']).where('sha256', '=', sha256).executeTakeFirst();
  if (!att) throw notFound('照片', sha256);
  const ai = photoAi(ctx);
  const state = await readyPhotoAi(ctx);
  const none: PhotoSuggestion = { status: statusOf(state), suggestionId: null, sha256, recognized: false, top: [], description: '', concepts: [], ms: 0 };
  if (state.state !== 'ready') return none;
  let a: WorkerAnalysis;
  try {
    a = await analyseAttachment(ctx, sha256, att.name);
  } catch (e) {
    if (e instanceof PhotoAnalyseError && e.kind === 'decode')
      throw new AppError('photoUnreadable', `照片“${att.name}”无法识别（文件损坏或格式不支持）`, { detail: e.message });
    if (e instanceof PhotoAnalyseError && e.kind === 'unavailable') return { ...none, status: statusOf(ai.client.state) };
    throw e;
  }
  const top = mapToCatalog(a.top, await catalogLeaves(db));
  const id = uuidv7();
  await db
    .insertInto('ai_photo_suggestions')
    .values({
      id,
      sha256,
      ticket_id: null,
      user_id: user.id || null,
      model_version: state.version,
      // What the operator was offered: nothing when the photo was not recognized.
      top: JSON.stringify(a.recognized ? top : []),
      description: a.description,
      embedding: Buffer.from(encodeVector(a.embedding), 'base64'),
      shown_at: ctx.now(),
      accepted_category_id: null,
      description_accepted: 0,
      final_category_id: null,
      decided_at: null,
    })
    .execute();
  return {
    status: statusOf(state),
    suggestionId: id,
    sha256,
    recognized: a.recognized,
    top,
    description: a.description,
    concepts: a.recognized ? conceptsFor(a.concepts, a.top.map((t) => t.category)) : [],
    ms: a.ms,
  };
}

/** Records, for a filed ticket, which photo suggestions the operator accepted. One transaction. */
export async function recordPhotoSuggestions(
  ctx: NodeContext,
  user: User,
  input: { ticketId: string; entries: PhotoSuggestionDecision[] },
): Promise<{ ok: true; recorded: number }> {
  const at = ctx.now();
  await ctx.store.db.transaction().execute(async (trx) => {
    const t = await trx.selectFrom('tickets').select(['id', 'category_id']).where('id', '=', input.ticketId).executeTakeFirst();
    if (!t) throw notFound('工单', input.ticketId);
    await recordPhotoDecisionsIn(trx, user, { id: t.id, categoryId: t.category_id }, input.entries, at);
  });
  await refreshPhotoLabels(ctx);
  return { ok: true, recorded: input.entries.length };
}

/**
 * Inside the caller's transaction (filing a ticket, or `aiPhoto.record`): ties each photo
 * suggestion to the ticket with what the operator took of it, and queues it for the city. A
 * suggestion that does not exist, belongs to another ticket, or did not offer the accepted
 * category is refused, and with it the whole transaction.
 */
export async function recordPhotoDecisionsIn(
  trx: Trx,
  user: User,
  ticket: { id: string; categoryId: string | null },
  entries: PhotoSuggestionDecision[],
  at: number,
): Promise<void> {
  for (const e of entries) {
    const s = await trx.selectFrom('ai_photo_suggestions').select(['id', 'top', 'ticket_id']).where('id', '=', e.suggestionId).executeTakeFirst();
    if (!s) throw new AppError('notFound', '照片建议不存在', { detail: `photo suggestion ${e.suggestionId} not found` });
    if (s.ticket_id && s.ticket_id !== ticket.id) throw new AppError('conflict', '照片建议已用于其他工单', { detail: `suggestion ${s.id} belongs to ${s.ticket_id}` });
    const offered = (JSON.parse(s.top) as PhotoCategorySuggestion[]).map((x) => x.categoryId);
    if (e.acceptedCategoryId && !offered.includes(e.acceptedCategoryId))
      throw new AppError('invalidInput', '所采用的分类不在照片建议中', { detail: `category ${e.acceptedCategoryId} was not offered by ${s.id}` });
    await trx
      .updateTable('ai_photo_suggestions')
      .set({ ticket_id: ticket.id, accepted_category_id: e.acceptedCategoryId, description_accepted: e.descriptionAccepted ? 1 : 0, final_category_id: ticket.categoryId, decided_at: at })
      .where('id', '=', s.id)
      .execute();
    await appendOutbox(trx, {
      entity: 'aiPhotoSuggestion',
      entityId: s.id,
      op: 'record',
      at,
      payload: { actor: await opActorOf(trx, user), ticketId: ticket.id, acceptedCategoryId: e.acceptedCategoryId, descriptionAccepted: e.descriptionAccepted, finalCategoryId: ticket.categoryId },
    });
  }
}

/** After photo decisions are committed: the filed categories are new labels for the head. */
export async function refreshPhotoLabels(ctx: NodeContext): Promise<void> {
  const ai = photoAi(ctx);
  if (ai.client.state.state === 'ready') {
    ai.labelsSent = sendLabels(ctx, ai).catch((e) => ctx.log.warn('street photo labels not updated', { error: String(e) }));
    await ai.labelsSent;
  }
}

// ---------------------------------------------------------------------------------------------
// Before/after check

class TooSmall extends Error {}

async function latestResolve(db: Kysely<Database> | Trx, ticketId: string) {
  return db
    .selectFrom('ticket_events')
    .select(['id', 'at'])
    .where('ticket_id', '=', ticketId)
    .where('action', '=', 'resolve')
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
}

function rowToCheck(r: Database['ai_photo_checks'] extends infer T ? T : never): PhotoCheck {
  const detail = JSON.parse(r.detail) as { pairs: PhotoCheckPair[]; beforePhotos: string[]; afterPhotos: string[] };
  const bool = (x: number | null) => (x == null ? null : x === 1);
  return {
    ticketId: r.ticket_id,
    eventId: r.event_id,
    status: r.status as PhotoCheck['status'],
    sameScene: bool(r.same_scene),
    similarity: r.similarity,
    reused: bool(r.reused),
    problemVisible: bool(r.problem_visible),
    reasons: JSON.parse(r.reasons) as string[],
    pairs: detail.pairs,
    beforePhotos: detail.beforePhotos,
    afterPhotos: detail.afterPhotos,
    modelVersion: r.model_version,
    checkedAt: r.checked_at,
    reasonRequired: r.status === 'failed',
  };
}

/** Computes and stores the check of the ticket's latest resolution (once per resolution). */
export async function runPhotoCheck(ctx: NodeContext, ticketId: string): Promise<PhotoCheck | null> {
  const ai = photoAi(ctx);
  const ev = await latestResolve(ctx.store.db, ticketId);
  if (!ev) return null;
  const key = `${ticketId}/${ev.id}`;
  const running = ai.pendingChecks.get(key);
  if (running) return running;
  const p = computeCheck(ctx, ticketId, ev.id).finally(() => ai.pendingChecks.delete(key));
  ai.pendingChecks.set(key, p);
  return p;
}

async function computeCheck(ctx: NodeContext, ticketId: string, eventId: string): Promise<PhotoCheck | null> {
  const db = ctx.store.db;
  const existing = await db.selectFrom('ai_photo_checks').selectAll().where('ticket_id', '=', ticketId).where('event_id', '=', eventId).executeTakeFirst();
  if (existing) return rowToCheck(existing);
  const photos = await db
    .selectFrom('ticket_attachments')
    .innerJoin('attachments', 'attachments.sha256', 'ticket_attachments.sha256')
    .select(['ticket_attachments.sha256', 'ticket_attachments.kind', 'ticket_attachments.event_id', 'attachments.name'])
    .where('ticket_id', '=', ticketId)
    .orderBy('ticket_attachments.added_at')
    .execute();
  const before = photos.filter((p) => p.kind === 'before');
  const after = photos.filter((p) => p.kind === 'after' && p.event_id === eventId);
  if (after.length === 0) return null; // resolved without after-photos: nothing to check
  const t = await db
    .selectFrom('tickets')
    .leftJoin('catalog', 'catalog.id', 'tickets.category_id')
    .select(['catalog.path as path'])
    .where('tickets.id', '=', ticketId)
    .executeTakeFirst();
  const base = { beforePhotos: before.map((p) => p.sha256), afterPhotos: after.map((p) => p.sha256) };
  let status: PhotoCheck['status'];
  let sameScene: boolean | null = null;
  let similarity: number | null = null;
  let reused: boolean | null = null;
  let problemVisible: boolean | null = null;
  const reasons: string[] = [];
  const pairs: PhotoCheckPair[] = [];
  let modelVersion: string | null = null;
  // Tiny photos (placeholders, icons) are told apart from their headers, without starting the model.
  const sizes = await Promise.all([...before, ...after].map((p) => photoSize(attachmentPath(ctx, p.sha256))));
  const tooSmall = sizes.some((z) => z && Math.min(z.width, z.height) < MIN_CHECK_SIDE);
  const state = before.length === 0 || tooSmall ? photoAi(ctx).client.state : await readyPhotoAi(ctx);
  if (before.length === 0) {
    status = 'incomplete';
    reasons.push('工单没有处置前照片，无法比对');
  } else if (tooSmall) {
    status = 'incomplete';
    reasons.push(`照片太小（不足${MIN_CHECK_SIDE}像素），无法比对`);
  } else if (state.state !== 'ready') {
    status = 'unavailable';
    reasons.push(statusOf(state).notice ?? '图片识别模型不可用');
  } else {
    modelVersion = state.version;
    try {
      const A = await Promise.all(before.map((p) => analyseAttachment(ctx, p.sha256, p.name, true)));
      const B = await Promise.all(after.map((p) => analyseAttachment(ctx, p.sha256, p.name, true)));
      if ([...A, ...B].some((x) => Math.min(x.width, x.height) < MIN_CHECK_SIDE)) throw new TooSmall();
      for (let j = 0; j < B.length; j++)
        for (let i = 0; i < A.length; i++) {
          const c = comparePhotos(A[i]!, B[j]!);
          pairs.push({ before: before[i]!.sha256, after: after[j]!.sha256, similarity: c.similarity, sameScene: c.sameScene, reused: c.reused });
        }
      // Every after-photo must show the scene of some before-photo; any reused photo is flagged.
      const bestPerAfter = after.map((a) => Math.max(...pairs.filter((p) => p.after === a.sha256).map((p) => p.similarity)));
      similarity = Math.min(...bestPerAfter);
      sameScene = after.every((a) => pairs.some((p) => p.after === a.sha256 && p.sameScene));
      reused = pairs.some((p) => p.reused);
      // The problem: the ticket's category, else what the before-photos show most.
      const category = t?.path ?? A[0]!.top[0]?.category ?? null;
      if (category) {
        const ev = (x: WorkerAnalysis) => x.evidence[category] ?? x.evidence[Object.keys(x.evidence).find((k) => k.split('/').pop() === category.split('/').pop()) ?? ''] ?? 0;
        const beforeEv = Math.max(...A.map(ev));
        const afterEv = Math.max(...B.map(ev));
        problemVisible = afterEv >= PROBLEM_VISIBLE_MIN && afterEv >= PROBLEM_DROP_RATIO * beforeEv;
        if (problemVisible) reasons.push(`处置后照片中仍可见问题（${category.split('/').pop()}）`);
      }
      if (reused) reasons.unshift('处置后照片与处置前照片疑似同一张（重复使用或近似相同）');
      if (!sameScene) reasons.push(`处置后照片与处置前照片不像同一现场（相似度 ${Math.round(similarity * 100)}%）`);
      status = reasons.length ? 'failed' : 'passed';
    } catch (e) {
      if (e instanceof TooSmall) {
        status = 'incomplete';
        reasons.splice(0, reasons.length, `照片太小（不足${MIN_CHECK_SIDE}像素），无法比对`);
        pairs.length = 0;
        [sameScene, similarity, reused, problemVisible] = [null, null, null, null];
      } else {
        status = 'unavailable';
        reasons.push(e instanceof PhotoAnalyseError && e.kind === 'decode' ? '照片无法识别（文件损坏或格式不支持）' : '图片识别出错，未能比对');
        ctx.log.warn('photo check could not run', { ticketId, error: (e as Error).message });
      }
    }
  }
  // The same file already attached to another ticket: a photo reused across tickets, model or not.
  const elsewhere = await db
    .selectFrom('ticket_attachments')
    .innerJoin('tickets', 'tickets.id', 'ticket_attachments.ticket_id')
    .select('tickets.code')
    .distinct()
    .where('ticket_attachments.sha256', 'in', after.map((p) => p.sha256))
    .where('ticket_attachments.ticket_id', '!=', ticketId)
    .limit(5)
    .execute();
  if (elsewhere.length) {
    reused = true;
    reasons.unshift(`处置后照片已用于其他工单（${elsewhere.map((e) => e.code).join('、')}）`);
    status = 'failed';
  }
  const row = {
    ticket_id: ticketId,
    event_id: eventId,
    status,
    same_scene: sameScene == null ? null : sameScene ? 1 : 0,
    similarity,
    reused: reused == null ? null : reused ? 1 : 0,
    problem_visible: problemVisible == null ? null : problemVisible ? 1 : 0,
    reasons: JSON.stringify(reasons),
    detail: JSON.stringify({ ...base, pairs }),
    model_version: modelVersion,
    checked_at: ctx.now(),
  };
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('ai_photo_checks').values(row).onConflict((oc) => oc.columns(['ticket_id', 'event_id']).doNothing()).execute();
    // A verdict goes to the city with the ticket; "could not check" stays a local note.
    if (status === 'passed' || status === 'failed')
      await appendOutbox(trx, { entity: 'aiPhotoCheck', entityId: ticketId, op: 'check', at: row.checked_at, payload: { eventId, status, reasons, similarity, reused, sameScene, problemVisible, modelVersion } });
  });
  ctx.log.info('photo check', { ticketId, status, similarity, reused, sameScene, problemVisible });
  ctx.events.publish({ type: 'aiPhoto.checked', ticketId, status });
  return rowToCheck(row);
}

/** The check of the ticket's latest resolution; computes it when it is not stored yet. */
export async function getPhotoCheck(ctx: NodeContext, user: User, ticketId: string): Promise<PhotoCheck | null> {
  // Whoever may see the ticket may see its check (a unit: only tickets dispatched to it).
  await getTicketDetail(ctx, user, ticketId);
  return runPhotoCheck(ctx, ticketId);
}

/** Before a verification: makes sure the latest resolution's check exists (outside the action's transaction). */
export async function ensurePhotoCheck(ctx: NodeContext, ticketId: string): Promise<void> {
  await runPhotoCheck(ctx, ticketId).catch((e) => ctx.log.warn('photo check before verify failed', { ticketId, error: String(e) }));
}

/**
 * Inside the verify transaction: passing a ticket whose before/after check failed needs a reason.
 * Returns what the timeline event should record about the check.
 */
export async function requirePhotoCheckReason(trx: Trx, ticketId: string, passed: boolean, reason: string | undefined): Promise<Record<string, unknown>> {
  const ev = await latestResolve(trx, ticketId);
  if (!ev) return {};
  const c = await trx.selectFrom('ai_photo_checks').select(['status', 'reasons']).where('ticket_id', '=', ticketId).where('event_id', '=', ev.id).executeTakeFirst();
  if (!c) return {};
  if (passed && c.status === 'failed' && (!reason || reason.trim().length < 2)) {
    const why = (JSON.parse(c.reasons) as string[]).join('；');
    throw new AppError('photoCheckReason', `整改前后照片核验未通过（${why}），核查通过须填写理由`, { detail: `verify ${ticketId}: photo check failed, no reason given` });
  }
  return { photoCheck: c.status };
}

// ---------------------------------------------------------------------------------------------
// Acceptance statistics

export async function photoAiStats(ctx: NodeContext, user: User, range: { from?: number; to?: number }): Promise<PhotoAiStats> {
  if (user.role !== 'operator' && user.role !== 'leader') throw new AppError('forbiddenRole', '只有受理员和街道领导可以查看AI使用统计');
  const db = ctx.store.db;
  const from = range.from ?? 0;
  const to = range.to ?? Number.MAX_SAFE_INTEGER;
  const rows = await db
    .selectFrom('ai_photo_suggestions')
    .select(['ticket_id', 'top', 'accepted_category_id', 'description_accepted', 'final_category_id'])
    .where('shown_at', '>=', from)
    .where('shown_at', '<', to)
    .execute();
  let filed = 0;
  let unrecognized = 0;
  let categoryAccepted = 0;
  let corrected = 0;
  let descriptionAccepted = 0;
  for (const r of rows) {
    const offeredNothing = r.top === '[]';
    if (offeredNothing) unrecognized++;
    if (!r.ticket_id || offeredNothing) continue;
    filed++;
    if (r.accepted_category_id) categoryAccepted++;
    if (r.description_accepted) descriptionAccepted++;
    const offered = (JSON.parse(r.top) as PhotoCategorySuggestion[]).map((t) => t.categoryId);
    if (r.final_category_id && !offered.includes(r.final_category_id)) corrected++;
  }
  const checks: PhotoAiStats['checks'] = { passed: 0, failed: 0, unavailable: 0, incomplete: 0 };
  const byStatus = await db
    .selectFrom('ai_photo_checks')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('checked_at', '>=', from)
    .where('checked_at', '<', to)
    .groupBy('status')
    .execute();
  for (const r of byStatus) if (r.status in checks) checks[r.status as keyof typeof checks] = Number(r.n);
  const rate = (n: number) => (filed ? Math.round((n / filed) * 1000) / 1000 : null);
  return { shown: rows.length, unrecognized, filed, categoryAccepted, corrected, descriptionAccepted, categoryAcceptRate: rate(categoryAccepted), descriptionAcceptRate: rate(descriptionAccepted), checks };
}
