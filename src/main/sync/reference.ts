// Reference data from the city on the street: the dispatch catalog, the street's grids, a year's
// working-day calendar, and text-model versions trained at the city.
//
// A feed page holds each item in reference_updates (same transaction as the cursor), and after the
// page the client applies what is pending, oldest first, each update in a transaction of its own.
// An update that fails validation is refused whole and kept with its Chinese reasons for the
// operator (the feed goes on); either way a receipt goes up to the city; a failure that may pass later (the model file could not be fetched)
// leaves it and everything after it pending for the next round, so the order is kept.

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Kysely, Transaction } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { Database } from '../db/schema';
import type { NodeContext } from '../services/core/context';
import type { FeedItem } from '../../shared/sync/protocol';
import {
  MODEL_BUNDLE_FILES,
  MODEL_BUNDLE_FORMAT,
  REFERENCE_KINDS,
  REFERENCE_SCHEMAS,
  referenceProblems,
  type CalendarPayload,
  type CatalogPayload,
  type GridsPayload,
  type ModelBundle,
  type ModelVersionPayload,
  type ReferenceKind,
} from '../../shared/sync/reference';
import type { ReferenceUpdate } from '../../shared/api/sync';
import { parseLocalFields } from '../../shared/api/catalogSettings';
import { importGrids } from '../services/grids/import';
import { textModelsRoot } from '../ai/paths';
import { appendOutbox } from '../services/core/outbox';
import { setSetting } from '../services/core/settings';

/** The latest 数字城管 code mapping table the city published (settings, JSON). */
export const CASE_CODE_MAP_KEY = 'reference.caseCodeMap';

type Trx = Transaction<Database>;

/** Refused for good (bad content): recorded as rejected with these reasons. */
export class ReferenceRefused extends Error {
  constructor(readonly reasons: string[]) {
    super(reasons.join('；'));
  }
}

/** Outbox entity of the receipt a street sends for each reference item: applied or refused, and why. */
export const RECEIPT_ENTITY = 'referenceReceipt' as const;

export function isReferenceKind(kind: string): kind is ReferenceKind {
  return (REFERENCE_KINDS as readonly string[]).includes(kind);
}

/** Holds a reference item from a feed page (idempotent by feed seq: a resent page holds nothing twice). */
export async function holdReference(trx: Trx, item: FeedItem, now: number, epoch: number): Promise<void> {
  const v = item.payload.version;
  await trx
    .insertInto('reference_updates')
    .values({
      epoch,
      seq: item.seq,
      kind: item.kind,
      version: typeof v === 'string' && v ? v.slice(0, 64) : item.entityId,
      at: item.at,
      payload: JSON.stringify(item.payload),
      status: 'pending',
      summary: null,
      errors: null,
      received_at: now,
      applied_at: null,
    })
    .onConflict((oc) => oc.columns(['epoch', 'seq']).doNothing())
    .execute();
}

export interface ReferenceDeps {
  /** Fetches a model bundle's bytes by sha256 from the city. */
  fetchModel?: (sha256: string) => Promise<Buffer>;
}

export interface ReferenceRound {
  applied: Array<{ seq: number; kind: ReferenceKind }>;
  rejected: number;
  /** Left pending (a transient failure): retried next round. */
  waiting: number;
}

/** Applies pending reference updates in feed order. */
export async function applyPendingReference(ctx: NodeContext, deps: ReferenceDeps = {}): Promise<ReferenceRound> {
  const db = ctx.store.db;
  const out: ReferenceRound = { applied: [], rejected: 0, waiting: 0 };
  const pending = await db.selectFrom('reference_updates').select(['id', 'seq', 'kind', 'version', 'payload']).where('status', '=', 'pending').orderBy('id').execute();
  for (const [i, row] of pending.entries()) {
    // The outcome is recorded, and a receipt for the city queued, in one transaction.
    const finish = async (trx: Trx, status: 'applied' | 'rejected', summary: string | null, errors: string[] | null, version: string) => {
      await trx
        .updateTable('reference_updates')
        .set({ status, summary, errors: errors ? JSON.stringify(errors) : null, applied_at: ctx.now(), payload: '{}' })
        .where('id', '=', row.id)
        .where('status', '=', 'pending')
        .execute();
      await appendOutbox(trx, { entity: RECEIPT_ENTITY, entityId: `${row.kind}:${version}`, op: status, at: ctx.now(), payload: { seq: row.seq, kind: row.kind, version, summary, errors } });
    };
    try {
      if (!isReferenceKind(row.kind)) throw new ReferenceRefused([`未知的基础数据类型：${row.kind}`]);
      let payload: unknown;
      try {
        payload = JSON.parse(row.payload);
      } catch {
        throw new ReferenceRefused(['数据损坏，无法读取']);
      }
      const problems = referenceProblems(row.kind, payload);
      if (problems.length) throw new ReferenceRefused(problems);
      const kind = row.kind;
      switch (kind) {
        case 'catalog': {
          const c = REFERENCE_SCHEMAS.catalog.parse(payload);
          await db.transaction().execute(async (trx) => finish(trx, 'applied', await applyCatalog(trx, c), null, c.version));
          break;
        }
        case 'calendar': {
          const c = REFERENCE_SCHEMAS.calendar.parse(payload);
          await db.transaction().execute(async (trx) => finish(trx, 'applied', await storeCalendarYear(trx, c, ctx.now()), null, c.version));
          ctx.calendar.extend(c.year, c);
          break;
        }
        case 'grids': {
          // The grid import is one transaction of its own (all or nothing); re-applying after a crash
          // between it and the status update changes nothing (grids are matched by code).
          const g = REFERENCE_SCHEMAS.grids.parse(payload);
          const summary = await applyGrids(ctx, g);
          await db.transaction().execute((trx) => finish(trx, 'applied', summary, null, g.version));
          break;
        }
        case 'caseCodeMap': {
          // The city maps 数字城管 cases through it; the street keeps it to show where a class goes.
          const m = REFERENCE_SCHEMAS.caseCodeMap.parse(payload);
          await db.transaction().execute(async (trx) => {
            const leaves = new Set((await trx.selectFrom('catalog').select('code').where('is_leaf', '=', 1).execute()).map((r) => r.code));
            const known = m.entries.filter((e) => leaves.has(e.category)).length;
            await setSetting(trx, CASE_CODE_MAP_KEY, m);
            await finish(trx, 'applied', `${m.entries.length} 条编码对照，其中 ${known} 条对应本街道目录`, null, m.version);
          });
          break;
        }
        case 'modelVersion': {
          const m = REFERENCE_SCHEMAS.modelVersion.parse(payload);
          const summary = await installModelVersion(ctx, m, deps);
          await db.transaction().execute((trx) => finish(trx, 'applied', summary, null, m.version));
          break;
        }
      }
      out.applied.push({ seq: row.seq, kind });
      ctx.log.info('reference data applied', { seq: row.seq, kind });
    } catch (err) {
      if (err instanceof ReferenceRefused) {
        await db.transaction().execute((trx) => finish(trx, 'rejected', null, err.reasons, row.version));
        out.rejected++;
        ctx.log.warn('reference data refused', { seq: row.seq, kind: row.kind, reasons: err.reasons });
        continue;
      }
      out.waiting = pending.length - i;
      ctx.log.warn('reference data not applied yet', { seq: row.seq, kind: row.kind, error: String(err) });
      break;
    }
  }
  if (out.applied.some((a) => a.kind === 'catalog' || a.kind === 'grids')) ctx.events.publish({ type: 'settings.changed' });
  if (out.applied.length || out.rejected) ctx.events.publish({ type: 'sync.changed' });
  return out;
}

// ---- catalog ----

async function applyCatalog(trx: Trx, c: CatalogPayload): Promise<string> {
  const existing = new Map((await trx.selectFrom('catalog').selectAll().execute()).map((r) => [r.code, r]));
  const units = new Map((await trx.selectFrom('units').select(['id', 'code']).execute()).map((u) => [u.code, u.id]));
  const byCode = new Map(c.categories.map((e) => [e.code, e]));
  const hasChildren = new Set(c.categories.map((e) => e.parent).filter((p): p is string => p != null));
  const depth = (code: string): number => {
    let d = 0;
    for (let p = byCode.get(code)?.parent; p; p = byCode.get(p)?.parent) d++;
    return d;
  };
  const ordered = [...c.categories].map((e, i) => ({ e, i, d: depth(e.code) })).sort((a, b) => a.d - b.d || a.i - b.i);
  const ids = new Map<string, string>();
  const paths = new Map<string, string>();
  let added = 0;
  let changed = 0;
  let unknownUnits = 0;
  for (const { e, i } of ordered) {
    const old = existing.get(e.code);
    const id = old?.id ?? uuidv7();
    ids.set(e.code, id);
    const pathName = e.parent ? `${paths.get(e.parent)}/${e.name}` : e.name;
    paths.set(e.code, pathName);
    let unitId: string | null = null;
    if (e.defaultUnit) {
      unitId = units.get(e.defaultUnit) ?? null;
      if (!unitId) {
        unknownUnits++;
        unitId = old?.default_unit_id ?? null;
      }
    }
    // What the street set itself in 设置 › 派单目录 stays (the deadlines are always the city's).
    const local = new Set(parseLocalFields(old?.local_fields));
    const row = {
      name: e.name,
      parent_id: e.parent ? ids.get(e.parent)! : null,
      path: pathName,
      is_leaf: hasChildren.has(e.code) ? 0 : 1,
      default_unit_id: local.has('defaultUnitId') ? old!.default_unit_id : unitId,
      accept_within_hours: e.acceptWithinHours,
      resolve_within: e.resolveWithin,
      resolve_unit: e.resolveUnit,
      is_micro: e.isMicro ? 1 : 0,
      is_consultation: e.isConsultation ? 1 : 0,
      route_to_community: local.has('routeToCommunity') ? old!.route_to_community : e.routeToCommunity ? 1 : 0,
      supervision_hours: local.has('supervisionHours') ? old!.supervision_hours : e.supervisionHours ? JSON.stringify(e.supervisionHours) : null,
      sort: i,
      active: local.has('active') ? old!.active : 1,
    };
    if (!old) {
      await trx.insertInto('catalog').values({ id, code: e.code, ...row }).execute();
      added++;
    } else {
      const same = (Object.keys(row) as Array<keyof typeof row>).every((k) => String(old[k] ?? '') === String(row[k] ?? ''));
      if (!same) {
        await trx.updateTable('catalog').set(row).where('id', '=', id).execute();
        changed++;
      }
    }
  }
  // Categories the city no longer lists are retired, not deleted: tickets keep their category.
  const retire = [...existing.values()].filter((r) => r.active && !byCode.has(r.code)).map((r) => r.id);
  for (let i = 0; i < retire.length; i += 500) await trx.updateTable('catalog').set({ active: 0 }).where('id', 'in', retire.slice(i, i + 500)).execute();
  const parts = [`目录 ${c.version}：新增 ${added} 类，更新 ${changed} 类，停用 ${retire.length} 类`];
  if (unknownUnits) parts.push(`${unknownUnits} 个默认承办单位编码本街道没有，沿用原设置`);
  return parts.join('；');
}

// ---- calendar ----

async function storeCalendarYear(trx: Trx, c: CalendarPayload, now: number): Promise<string> {
  const row = { holidays: JSON.stringify(c.holidays), workdays: JSON.stringify(c.workdays), version: c.version, updated_at: now };
  await trx
    .insertInto('calendar_years')
    .values({ year: c.year, ...row })
    .onConflict((oc) => oc.column('year').doUpdateSet(row))
    .execute();
  return `${c.year} 年工作日历（${c.version}）：节假日 ${Object.keys(c.holidays).length} 天，调休上班 ${c.workdays.length} 天`;
}

/** Puts the calendars the city sent (stored in the street) into the node's calendar; call at start. */
export async function loadCalendarYears(ctx: NodeContext): Promise<number> {
  const rows = await ctx.store.db.selectFrom('calendar_years').selectAll().orderBy('year').execute();
  for (const r of rows) ctx.calendar.extend(r.year, { holidays: JSON.parse(r.holidays) as Record<string, string>, workdays: JSON.parse(r.workdays) as string[] });
  return rows.length;
}

// ---- grids ----

async function applyGrids(ctx: NodeContext, g: GridsPayload): Promise<string> {
  const r = await importGrids(ctx, g.geojson);
  // The import's reasons name the feature themselves.
  if (!r.ok) throw new ReferenceRefused(r.errors.slice(0, 20).map((e) => e.reason));
  return `网格 ${g.version}：新增 ${r.inserted} 个，更新 ${r.updated} 个，未变 ${r.unchanged} 个`;
}

// ---- model versions ----

async function installModelVersion(ctx: NodeContext, m: ModelVersionPayload, deps: ReferenceDeps): Promise<string> {
  const root = textModelsRoot(ctx.store.file);
  const dir = path.join(root, m.version);
  if (fs.existsSync(path.join(dir, 'model.json'))) return `模型 ${m.version} 已在本机`;
  if (!deps.fetchModel) throw new Error('no city connection to fetch the model from');
  const bytes = await deps.fetchModel(m.sha256);
  const sha = crypto.createHash('sha256').update(bytes).digest('hex');
  // A wrong hash may be a cut transfer: fetched again next round.
  if (sha !== m.sha256 || bytes.length !== m.size) throw new Error(`model ${m.version}: got ${bytes.length} bytes hashing to ${sha}, expected ${m.size} / ${m.sha256}`);
  let bundle: ModelBundle;
  try {
    bundle = JSON.parse(bytes.toString('utf8')) as ModelBundle;
  } catch {
    throw new ReferenceRefused(['模型文件格式不正确']);
  }
  if (bundle?.format !== MODEL_BUNDLE_FORMAT || MODEL_BUNDLE_FILES.some((f) => typeof bundle.files?.[f] !== 'string'))
    throw new ReferenceRefused([`模型文件格式不正确（应为 ${MODEL_BUNDLE_FORMAT}）`]);
  const files = Object.fromEntries(MODEL_BUNDLE_FILES.map((f) => [f, Buffer.from(bundle.files[f], 'base64')])) as Record<(typeof MODEL_BUNDLE_FILES)[number], Buffer>;
  let model: { labels?: unknown };
  let card: Record<string, unknown>;
  try {
    model = JSON.parse(files['model.json'].toString('utf8')) as { labels?: unknown };
    card = JSON.parse(files['card.json'].toString('utf8')) as Record<string, unknown>;
  } catch {
    throw new ReferenceRefused(['模型文件内容损坏']);
  }
  if (!Array.isArray(model.labels) || !model.labels.every((l) => typeof l === 'string')) throw new ReferenceRefused(['模型缺少类别列表']);
  // The city's labels are catalog codes; the street's models name its own category ids.
  const leaves = await ctx.store.db.selectFrom('catalog').select(['id', 'code']).where('is_leaf', '=', 1).where('active', '=', 1).execute();
  const idOf = new Map(leaves.map((l) => [l.code, l.id]));
  const labels = model.labels as string[];
  const mapped = labels.map((code) => idOf.get(code) ?? `unmapped:${code}`);
  const hits = mapped.filter((l) => !l.startsWith('unmapped:')).length;
  if (hits < Math.max(1, Math.ceil(labels.length * 0.5)))
    throw new ReferenceRefused([`模型的 ${labels.length} 个类别中只有 ${hits} 个能对上本街道目录，未安装`]);
  model.labels = mapped;
  card.version = m.version;
  card.description = `市级下发：${String(card.description ?? '')}`;
  card.origin = 'city';
  const tmp = `${dir}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true });
  fs.writeFileSync(path.join(tmp, 'weights.bin'), files['weights.bin']);
  fs.writeFileSync(path.join(tmp, 'model.json'), JSON.stringify(model));
  fs.writeFileSync(path.join(tmp, 'card.json'), JSON.stringify(card, null, 2) + '\n');
  fs.renameSync(tmp, dir);
  return `模型 ${m.version} 已下载（${hits}/${labels.length} 类对上本街道目录），街道领导可在“设置 › 智能助手”中启用`;
}

// ---- listing ----

export async function referenceUpdates(db: Kysely<Database>, limit = 100): Promise<ReferenceUpdate[]> {
  const rows = await db.selectFrom('reference_updates').select(['id', 'seq', 'kind', 'version', 'at', 'status', 'summary', 'errors', 'received_at', 'applied_at']).orderBy('id', 'desc').limit(limit).execute();
  return rows.map((r) => ({
    id: r.id,
    seq: r.seq,
    kind: r.kind,
    version: r.version,
    at: r.at,
    status: r.status,
    summary: r.summary,
    errors: r.errors ? (JSON.parse(r.errors) as string[]) : [],
    receivedAt: r.received_at,
    appliedAt: r.applied_at,
  }));
}
