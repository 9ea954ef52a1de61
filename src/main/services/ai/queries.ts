// Duplicate/repeat candidates for a new ticket, unit suggestions for one-click dispatch, and the
// acceptance figures of every kind of suggestion.

import { visibleTicketIds } from '../tickets/visibility';
import { v7 as uuidv7 } from 'uuid';
import { sql } from 'kysely';
import type { NodeContext } from '../core/context';
import type { User } from '../../../shared/api/types';
import type { AiAcceptance, AiDispatchShare, AiDuplicateCandidate, AiDuplicatesQuery, AiDuplicatesResult, AiStats, AiUnitSuggestResult } from '../../../shared/api/ai';
import { getSetting } from '../core/settings';
import { OPEN_STATUSES } from '../../../shared/domain/ticket';
import { distanceM } from '../../../shared/geo/geometry';
import { gramCosine } from './suggestions';
import { dot } from '../../ai/embedder';
import { notFound } from '../core/errors';
import { gridAt } from '../grids/lookup';
import { communityUnitOf } from '../tickets/ledger';
import { row, type AiService } from './text';

const NEAR_M = 50;
const SIMILAR_TEXT = 0.8;
const MAX_CANDIDATES = 300;

export async function duplicateCandidates(ctx: NodeContext, ai: AiService, user: User, q: AiDuplicatesQuery): Promise<AiDuplicatesResult> {
  const db = ctx.store.db;
  const since = ctx.now() - q.days * 86_400_000;
  let gridId = q.gridId ?? null;
  if (!gridId && q.lon != null && q.lat != null) gridId = (await gridAt(db, ctx.store, q.lon, q.lat))?.id ?? null;
  const phone = q.reporterPhone?.trim() || null;
  const hasPoint = q.lon != null && q.lat != null;
  if (!gridId && !hasPoint && !phone) return { suggestionId: null, candidates: [] };
  // ~50 m in degrees at Zhengzhou's latitude, as a bounding box for the index.
  const dLat = NEAR_M / 111_000;
  const dLon = hasPoint ? NEAR_M / (111_000 * Math.cos((q.lat! * Math.PI) / 180)) : 0;
  const rows = await db
    .selectFrom('tickets as t')
    .leftJoin('catalog as c', 'c.id', 't.category_id')
    .select(['t.id', 't.code', 't.status', 't.description', 't.address', 't.lon', 't.lat', 't.grid_id', 't.category_id', 't.reporter_phone', 't.created_at', 'c.path', 'c.parent_id'])
    .where('t.created_at', '>=', since)
    .where((eb) => {
      const ors = [];
      if (gridId) ors.push(eb.and([eb('t.grid_id', '=', gridId), eb('t.status', 'in', [...OPEN_STATUSES])]));
      if (hasPoint)
        ors.push(
          eb.and([
            eb('t.status', 'in', [...OPEN_STATUSES]),
            eb('t.lon', '>=', q.lon! - dLon),
            eb('t.lon', '<=', q.lon! + dLon),
            eb('t.lat', '>=', q.lat! - dLat),
            eb('t.lat', '<=', q.lat! + dLat),
          ]),
        );
      if (phone) ors.push(eb.and([eb('t.reporter_phone', '=', phone), eb('t.status', '!=', 'cancelled')]));
      return eb.or(ors);
    })
    .$call((qb) => {
      // Candidates only among the tickets this user may see (need to know).
      const visible = visibleTicketIds(db, user);
      return visible ? qb.where('t.id', 'in', visible) : qb;
    })
    .orderBy('t.created_at', 'desc')
    .limit(MAX_CANDIDATES)
    .execute();
  if (!rows.length) return { suggestionId: null, candidates: [] };
  const cat = q.categoryId ? await db.selectFrom('catalog').select(['id', 'parent_id']).where('id', '=', q.categoryId).executeTakeFirst() : undefined;
  const text = q.text.trim();
  let sims: number[] | null = null;
  let simKind = '描述相似度';
  if (text.length >= 4) {
    const vecs = await ai.embed([text, ...rows.map((r) => r.description)]);
    if (vecs) sims = rows.map((_, i) => dot(vecs[0]!, vecs[i + 1]!));
    else {
      sims = rows.map((r) => gramCosine(text, r.description));
      simKind = '字面相似度';
    }
  }
  const out: AiDuplicateCandidate[] = [];
  rows.forEach((r, i) => {
    const reasons: string[] = [];
    let score = 0;
    const samePhone = !!phone && r.reporter_phone === phone;
    const dist = hasPoint && r.lon != null && r.lat != null ? distanceM([q.lon!, q.lat!], [r.lon, r.lat]) : null;
    const near = dist != null && dist <= NEAR_M;
    const sameGrid = !!gridId && r.grid_id === gridId;
    const sim = sims ? sims[i]! : null;
    const sameCat = !!cat && r.category_id === cat.id;
    const sameTop = !!cat && !sameCat && !!cat.parent_id && r.parent_id === cat.parent_id;
    if (samePhone) {
      reasons.push('同一来电号码再次反映');
      score += 0.45;
    }
    if (near) {
      reasons.push(`相距 ${Math.round(dist!)} 米`);
      score += 0.25;
    } else if (sameGrid) {
      reasons.push('同一网格');
      score += 0.15;
    }
    if (sameCat) {
      reasons.push('同一分类');
      score += 0.15;
    } else if (sameTop) {
      reasons.push('同一大类');
      score += 0.07;
    }
    if (sim != null) {
      if (sim >= SIMILAR_TEXT) reasons.push(`${simKind} ${sim.toFixed(2)}`);
      score += 0.4 * Math.max(0, (sim - 0.5) / 0.5);
    }
    const place = near || sameGrid;
    const similar = (sim != null && sim >= SIMILAR_TEXT) || sameCat;
    // Offered: the same caller again, or the same place with a similar problem.
    if (!samePhone && !(place && similar)) return;
    out.push({
      ticketId: r.id,
      code: r.code,
      status: r.status,
      description: r.description.length > 120 ? r.description.slice(0, 120) + '…' : r.description,
      address: r.address,
      categoryPath: r.path ?? null,
      createdAt: r.created_at,
      distanceM: dist == null ? null : Math.round(dist),
      similarity: sim == null ? null : Math.round(sim * 1000) / 1000,
      score: Math.round(score * 1000) / 1000,
      reasons,
    });
  });
  out.sort((a, b) => b.score - a.score);
  const top = out.slice(0, 5);
  if (!top.length) return { suggestionId: null, candidates: [] };
  const id = uuidv7({ msecs: ctx.now() });
  await db.insertInto('ai_suggestions').values(row(id, 'duplicate', null, top.map((c) => ({ value: c.ticketId, score: c.score })), user, ctx.now())).execute();
  return { suggestionId: id, candidates: top };
}

const DONE = ['resolved', 'verified', 'closed'];
const HISTORY_MS = 2 * 365 * 86_400_000;

type Counts = Array<{ unitId: string; n: number }>;

/** What the unit ranking sees of one ticket: who finished its category in its grid and street, the catalog's rule. */
interface UnitEvidence {
  inGrid: Counts;
  inStreet: Counts;
  /** The grid's community unit when the category is routed to the community, else null. */
  communityUnit: string | null;
  defaultUnit: string | null;
}

/** Ranks units from the evidence (the live suggestion and the held-out measurement share it). */
function rankUnits(ev: UnitEvidence, units: Map<string, { name: string; active: number }>): AiUnitSuggestResult['items'] {
  const gridTotal = ev.inGrid.reduce((s, r) => s + r.n, 0);
  const streetTotal = ev.inStreet.reduce((s, r) => s + r.n, 0);
  const score = new Map<string, { s: number; reasons: string[] }>();
  const add = (unitId: string, s: number, reason: string) => {
    const u = units.get(unitId);
    if (!u || !u.active) return;
    const e = score.get(unitId) ?? { s: 0, reasons: [] };
    e.s += s;
    e.reasons.push(reason);
    score.set(unitId, e);
  };
  for (const r of ev.inGrid) add(r.unitId, 0.6 * (r.n / gridTotal), `本网格近两年同类工单 ${gridTotal} 件中 ${r.n} 件由其办结`);
  for (const r of ev.inStreet) add(r.unitId, 0.3 * (r.n / streetTotal), `全街道近两年同类工单 ${streetTotal} 件中 ${r.n} 件由其办结`);
  if (ev.communityUnit) add(ev.communityUnit, 0.15, '该类事项由所在社区处置（派单目录规定）');
  else if (ev.defaultUnit) add(ev.defaultUnit, 0.1, '派单目录默认处置单位');
  // Scores as shares of all the evidence, so they read as confidence.
  const total = [...score.values()].reduce((a, e) => a + e.s, 0) || 1;
  return [...score.entries()]
    .map(([unitId, e]) => ({ unitId, name: units.get(unitId)!.name, score: Math.round((e.s / total) * 1000) / 1000, reason: e.reasons.join('；') }))
    .sort((a, b) => b.score - a.score || (a.unitId < b.unitId ? -1 : 1))
    .slice(0, 3);
}

/** Who actually finished this category's tickets in this grid, then in the street; the catalog default. */
export async function unitSuggestions(ctx: NodeContext, user: User, ticketId: string): Promise<AiUnitSuggestResult> {
  const db = ctx.store.db;
  const t = await db.selectFrom('tickets').select(['id', 'category_id', 'grid_id']).where('id', '=', ticketId).executeTakeFirst();
  if (!t) throw notFound('工单', ticketId);
  if (!t.category_id) return { suggestionId: null, items: [] };
  const cat = await db.selectFrom('catalog').select(['id', 'name', 'default_unit_id', 'route_to_community']).where('id', '=', t.category_id).executeTakeFirst();
  const units = new Map((await db.selectFrom('units').select(['id', 'name', 'active']).execute()).map((u) => [u.id, u]));
  const since = ctx.now() - HISTORY_MS;
  const counts = async (grid: string | null) => {
    let q = db
      .selectFrom('tickets')
      .select(['unit_id', db.fn.countAll<number>().as('n')])
      .where('category_id', '=', t.category_id!)
      .where('status', 'in', DONE)
      .where('unit_id', 'is not', null)
      .where('created_at', '>=', since)
      .where('id', '!=', t.id);
    if (grid) q = q.where('grid_id', '=', grid);
    return (await q.groupBy('unit_id').orderBy('n', 'desc').limit(5).execute()).map((r) => ({ unitId: r.unit_id!, n: Number(r.n) }));
  };
  const items = rankUnits(
    {
      inGrid: t.grid_id ? await counts(t.grid_id) : [],
      inStreet: await counts(null),
      communityUnit: cat?.route_to_community ? await communityUnitOf(db, t.grid_id) : null,
      defaultUnit: cat?.route_to_community ? null : (cat?.default_unit_id ?? null),
    },
    units,
  );
  if (!items.length) return { suggestionId: null, items };
  const id = uuidv7({ msecs: ctx.now() });
  const r = row(id, 'unit', 'history', items.map((i) => ({ value: i.unitId, score: i.score })), user, ctx.now());
  r.ticket_id = ticketId;
  await db.insertInto('ai_suggestions').values(r).execute();
  return { suggestionId: id, items };
}

/** The city's figure: >85% of tickets dispatched by the smart dispatcher. */
export const CITY_DISPATCH_SHARE = 0.85;
/** The most recent share of dispatched tickets held out for the measurement. */
const HELD_OUT_SHARE = 0.2;

/**
 * 智能派单 share on the street's history, held out by time: the most recent 20% of dispatched
 * tickets (by dispatch time) are suggested from the tickets finished before the first of them,
 * exactly as `unitSuggestions` would have, and the first suggestion is compared with the unit the
 * ticket was dispatched to.
 */
export async function dispatchShare(ctx: NodeContext): Promise<AiDispatchShare> {
  const db = ctx.store.db;
  const generated = (await getSetting(db, 'demo')) === true;
  const rows = await db
    .selectFrom('tickets')
    .select(['id', 'category_id', 'grid_id', 'unit_id', 'status', 'dispatched_at', 'resolved_at', 'created_at'])
    .where('unit_id', 'is not', null)
    .where('category_id', 'is not', null)
    .where('dispatched_at', 'is not', null)
    .orderBy('dispatched_at')
    .orderBy('id')
    .execute();
  const empty: AiDispatchShare = { n: 0, suggested: 0, hits: 0, share: null, top3Share: null, cutoff: null, from: null, to: null, trainRows: 0, cityShare: CITY_DISPATCH_SHARE, generated };
  const h = Math.floor(rows.length * HELD_OUT_SHARE);
  if (h < 1 || rows.length - h < 1) return empty;
  const heldOut = rows.slice(rows.length - h);
  const cutoff = heldOut[0]!.dispatched_at!;
  // Known at the cutoff: tickets finished (resolved) before it.
  const known = rows.filter((r) => DONE.includes(r.status) && r.resolved_at != null && r.resolved_at < cutoff && r.created_at >= cutoff - HISTORY_MS);
  const key = (cat: string, grid: string | null) => `${cat}\u0000${grid ?? ''}`;
  const tally = new Map<string, Map<string, number>>();
  const bump = (k: string, unit: string) => {
    const m = tally.get(k) ?? new Map<string, number>();
    m.set(unit, (m.get(unit) ?? 0) + 1);
    tally.set(k, m);
  };
  for (const r of known) {
    bump(key(r.category_id!, null), r.unit_id!);
    if (r.grid_id) bump(key(r.category_id!, r.grid_id), r.unit_id!);
  }
  const top5 = (k: string): Counts =>
    [...(tally.get(k) ?? new Map<string, number>()).entries()]
      .map(([unitId, n]) => ({ unitId, n }))
      .sort((a, b) => b.n - a.n || (a.unitId < b.unitId ? -1 : 1))
      .slice(0, 5);
  const units = new Map((await db.selectFrom('units').select(['id', 'name', 'active']).execute()).map((u) => [u.id, u]));
  const cats = new Map((await db.selectFrom('catalog').select(['id', 'default_unit_id', 'route_to_community']).execute()).map((c) => [c.id, c]));
  const communityOf = new Map<string, string | null>();
  let suggested = 0;
  let hits = 0;
  let hits3 = 0;
  for (const t of heldOut) {
    const cat = cats.get(t.category_id!);
    let communityUnit: string | null = null;
    if (cat?.route_to_community && t.grid_id) {
      if (!communityOf.has(t.grid_id)) communityOf.set(t.grid_id, await communityUnitOf(db, t.grid_id));
      communityUnit = communityOf.get(t.grid_id) ?? null;
    }
    const items = rankUnits(
      {
        inGrid: t.grid_id ? top5(key(t.category_id!, t.grid_id)) : [],
        inStreet: top5(key(t.category_id!, null)),
        communityUnit,
        defaultUnit: cat?.route_to_community ? null : (cat?.default_unit_id ?? null),
      },
      units,
    );
    if (items.length) suggested++;
    if (items[0]?.unitId === t.unit_id) hits++;
    if (items.some((i) => i.unitId === t.unit_id)) hits3++;
  }
  const r3 = (x: number) => Math.round(x * 1000) / 1000;
  return {
    n: heldOut.length,
    suggested,
    hits,
    share: r3(hits / heldOut.length),
    top3Share: r3(hits3 / heldOut.length),
    cutoff,
    from: cutoff,
    to: heldOut[heldOut.length - 1]!.dispatched_at,
    trainRows: known.length,
    cityShare: CITY_DISPATCH_SHARE,
    generated,
  };
}

/** Records the operator's decision on a unit / duplicate / micro suggestion. */
export async function suggestionFeedback(ctx: NodeContext, input: { suggestionId: string; ticketId?: string; value?: string }): Promise<void> {
  const db = ctx.store.db;
  const s = await db.selectFrom('ai_suggestions').selectAll().where('id', '=', input.suggestionId).executeTakeFirst();
  if (!s) throw notFound('建议记录', input.suggestionId);
  const shown = JSON.parse(s.shown) as Array<{ value: string }>;
  const accepted = input.value != null && shown.some((x) => x.value === input.value) ? 1 : 0;
  await db
    .updateTable('ai_suggestions')
    .set({ accepted, final_value: input.value ?? null, ticket_id: s.ticket_id ?? input.ticketId ?? null, decided_at: ctx.now() })
    .where('id', '=', s.id)
    .execute();
}

const KIND_LABELS: Record<string, string> = { category: '分类建议', unit: '处置单位建议', micro: '小微事件标记', duplicate: '重复件提示' };

export async function acceptanceStats(ctx: NodeContext): Promise<AiStats> {
  // Unit suggestions are settled by the dispatch itself: accepted when the ticket went to the top one.
  await sql`UPDATE ai_suggestions SET
      final_value = (SELECT unit_id FROM tickets t WHERE t.id = ai_suggestions.ticket_id),
      accepted = (top_value = (SELECT unit_id FROM tickets t WHERE t.id = ai_suggestions.ticket_id)),
      decided_at = ${ctx.now()}
    WHERE kind = 'unit' AND decided_at IS NULL
      AND (SELECT unit_id FROM tickets t WHERE t.id = ai_suggestions.ticket_id) IS NOT NULL`.execute(ctx.store.db);
  const rows = await ctx.store.db
    .selectFrom('ai_suggestions')
    .select((eb) => [
      'kind',
      eb.fn.countAll<number>().as('shown'),
      eb.fn.count<number>('decided_at').as('decided'),
      eb.fn.sum<number>('accepted').as('accepted'),
      eb.fn.min<number>('created_at').as('since'),
    ])
    .groupBy('kind')
    .execute();
  const by = new Map(rows.map((r) => [r.kind, r]));
  const kinds: AiAcceptance[] = Object.keys(KIND_LABELS).map((kind) => {
    const r = by.get(kind as never);
    const decided = Number(r?.decided ?? 0);
    const accepted = Number(r?.accepted ?? 0);
    return { kind, label: KIND_LABELS[kind]!, shown: Number(r?.shown ?? 0), decided, accepted, rate: decided ? Math.round((accepted / decided) * 1000) / 1000 : null };
  });
  const since = rows.reduce<number | null>((m, r) => (r.since != null && (m == null || Number(r.since) < m) ? Number(r.since) : m), null);
  return { since, kinds, generated: (await getSetting(ctx.store.db, 'demo')) === true };
}
