// 运行模式: switching (by a leader, or by a city directive through `switchRunMode`), start and end
// (the mode falls back to daily when its period ends), key places and patrol check-ins, the duty
// roster and the daily zero report (零报告) with its deadline. The `runMode` setting stays the one
// value new tickets' deadlines read (tickets.ts); the periods table keeps who switched when.

import { v7 as uuidv7 } from 'uuid';
import type { z } from 'zod/v4';
import { cstDate } from '../../../shared/domain/calendar';
import type { DutyEntry, PatrolPlace, RunModePeriod, RunModePreview, RunModeStatus, ZeroReportInfo, dutyInput, zeroReportInput } from '../../../shared/api/coordination';
import type { User } from '../../../shared/api/types';
import { RUN_MODE_REQUIREMENTS, firstZeroReportDue, patrolDue, zeroReportState, type RunModeSource } from '../../../shared/domain/runMode';
import { RUN_MODE_RULES } from '../../../shared/domain/deadline';
import { nextEscalationAt, parseCatalogThresholds, slaClassOf, supervisionLevelFor } from '../../../shared/domain/supervision';
import { applyTicketAction } from '../tickets/actions';
import { getSetting } from '../core/settings';
import { OPEN_STATUSES, RUN_MODE_LABELS, type RunMode, type SupervisionLevel } from '../../../shared/domain/ticket';
import type { Transaction } from 'kysely';
import type { Database, RunModePeriodTable, ZeroReportTable } from '../../db/schema';
import type { NodeContext } from '../core/context';
import { AppError, notFound } from '../core/errors';
import { appendOutbox, opActorOf } from '../core/outbox';
import { SYSTEM_ACTOR } from '../../../shared/sync/ops';
import { setSetting } from '../core/settings';
import { SYSTEM_USER, currentMode, isStreetStaff, modeSince, requireLeader, requireStreetStaff, type Db } from './common';

export interface SwitchOptions {
  by: string;
  byId?: string | null;
  source: RunModeSource;
  start?: number;
  end?: number | null;
  note?: string | null;
  /** The leader who switched (the op's actor); none for a city directive or a schedule. */
  user?: User;
}

/** The period in force at `now`: the latest one switched that has started and not ended. */
function effective(periods: readonly RunModePeriodTable[], now: number): RunModePeriodTable | null {
  let best: RunModePeriodTable | null = null;
  for (const p of periods) {
    if (p.start_at > now || (p.end_at != null && p.end_at <= now)) continue;
    if (!best || p.created_at > best.created_at || (p.created_at === best.created_at && p.id > best.id)) best = p;
  }
  return best;
}

/**
 * Switches the run mode (a leader in 设置/运行模式, or a city directive applied by the sync client).
 * With a future `start` the switch is scheduled; with an `end` the mode falls back to daily then.
 */
export async function switchRunMode(ctx: NodeContext, mode: RunMode, opts: SwitchOptions): Promise<RunMode> {
  const at = ctx.now();
  const start = opts.start ?? at;
  const end = opts.end ?? null;
  if (end != null && end <= Math.max(start, at)) throw new AppError('badPeriod', '结束时间须晚于开始时间和当前时间');
  await ctx.store.db.transaction().execute((trx) => recordRunModePeriod(trx, mode, { ...opts, start, end }, at));
  ctx.log.info('run mode switch', { mode, source: opts.source, by: opts.by, start, end });
  return applyEffectiveMode(ctx);
}

/**
 * Records a run-mode period inside the caller's transaction (a city directive applied with its feed
 * page); the caller then calls `applyEffectiveMode` — or the coordination job does within a minute.
 */
export async function recordRunModePeriod(trx: Transaction<Database>, mode: RunMode, opts: SwitchOptions, at: number): Promise<string> {
  const id = uuidv7({ msecs: at });
  const row = { id, mode, start_at: opts.start ?? at, end_at: opts.end ?? null, source: opts.source, by_name: opts.by, by_id: opts.byId ?? null, note: opts.note ?? null, created_at: at };
  await trx.insertInto('run_mode_periods').values(row).execute();
  await appendOutbox(trx, { entity: 'runMode', entityId: id, op: 'switch', at, payload: { actor: opts.user ? await opActorOf(trx, opts.user) : { ...SYSTEM_ACTOR, name: opts.by }, period: row } });
  return id;
}

/** Brings the `runMode` setting in line with the periods (called on switch and by the job). */
export async function applyEffectiveMode(ctx: NodeContext): Promise<RunMode> {
  const now = ctx.now();
  const db = ctx.store.db;
  const periods = await db.selectFrom('run_mode_periods').selectAll().execute();
  const current = await currentMode(db);
  // A store that never recorded a switch keeps the mode it has.
  if (!periods.length) return current;
  const p = effective(periods, now);
  const mode = (p?.mode as RunMode | undefined) ?? 'daily';
  if (mode !== current) {
    const previousSince = await modeSince(db);
    await setSetting(db, 'runMode', mode);
    // New thresholds count from now (supervisionLevelFor's `since`), never from the past.
    await setSetting(db, 'runModeSince', now);
    await setSetting(db, 'runModePrevious', { mode: current, since: previousSince, switchedAt: now });
    ctx.log.info('run mode now in force', { mode, period: p?.id ?? null });
    ctx.events.publish({ type: 'settings.changed' });
    ctx.events.publish({ type: 'runMode.changed', mode });
  }
  return mode;
}

function periodOf(p: RunModePeriodTable): RunModePeriod {
  return { id: p.id, mode: p.mode as RunMode, start: p.start_at, end: p.end_at, source: p.source as RunModeSource, byName: p.by_name, note: p.note, createdAt: p.created_at };
}

function reportOf(r: ZeroReportTable): ZeroReportInfo {
  return { id: r.id, date: r.date, mode: r.mode as RunMode, kind: r.kind as ZeroReportInfo['kind'], text: r.text, incidents: r.incidents, dueAt: r.due_at, late: !!r.late, byName: r.by_name, at: r.at };
}

async function patrolPlaces(db: Db, mode: RunMode, now: number): Promise<PatrolPlace[]> {
  const places = await db.selectFrom('key_places').selectAll().where('active', '=', 1).orderBy('sort').orderBy('name').execute();
  const dayStart = Date.parse(cstDate(now) + 'T00:00:00+08:00');
  const out: PatrolPlace[] = [];
  for (const p of places) {
    const [last, today] = await Promise.all([
      db.selectFrom('patrol_checkins').selectAll().where('place_id', '=', p.id).orderBy('at', 'desc').limit(1).executeTakeFirst(),
      db.selectFrom('patrol_checkins').select((eb) => eb.fn.countAll<number>().as('n')).where('place_id', '=', p.id).where('at', '>=', dayStart).executeTakeFirst(),
    ]);
    out.push({
      id: p.id,
      name: p.name,
      address: p.address,
      kind: p.kind,
      lastAt: last?.at ?? null,
      lastBy: last?.by_name ?? null,
      lastOk: last ? !!last.ok : null,
      due: patrolDue(mode, last?.at ?? null, now),
      checkinsToday: Number(today?.n ?? 0),
    });
  }
  return out;
}

function dutyOf(d: { id: string; date: string; shift: string; post: string; name: string; phone: string | null }): DutyEntry {
  return { id: d.id, date: d.date, shift: d.shift as DutyEntry['shift'], post: d.post, name: d.name, phone: d.phone };
}

export async function runModeStatus(ctx: NodeContext): Promise<RunModeStatus> {
  const db = ctx.store.db;
  const now = ctx.now();
  const mode = await currentMode(db);
  const today = cstDate(now);
  const in7 = cstDate(now + 6 * 86_400_000);
  const [periods, report, roster, reports, patrols] = await Promise.all([
    db.selectFrom('run_mode_periods').selectAll().orderBy('created_at', 'desc').limit(200).execute(),
    db.selectFrom('zero_reports').selectAll().where('date', '=', today).executeTakeFirst(),
    db.selectFrom('duty_roster').selectAll().where('date', '>=', today).where('date', '<=', in7).orderBy('date').orderBy('shift').orderBy('post').execute(),
    db.selectFrom('zero_reports').selectAll().orderBy('date', 'desc').limit(30).execute(),
    patrolPlaces(db, mode, now),
  ]);
  const cur = effective(periods, now);
  const since = await modeSince(db);
  // A filed report says what it was when filed (the card cannot say 已按时报送 over 逾期).
  const zr = report
    ? { state: report.late ? ('late' as const) : ('filed' as const), dueAt: report.due_at }
    : zeroReportState(mode, now, null, since);
  return {
    mode,
    current: cur && cur.mode === mode ? periodOf(cur) : null,
    requirements: RUN_MODE_REQUIREMENTS[mode],
    today,
    zeroReport: { ...zr, report: report ? reportOf(report) : null },
    patrols,
    patrolsDue: patrols.filter((p) => p.due).length,
    duty: roster.filter((d) => d.date === today).map(dutyOf),
    roster: roster.map(dutyOf),
    history: periods.slice(0, 50).map(periodOf),
    reports: reports.map(reportOf),
    now,
  };
}

/** A switch back within this long undoes the automatic escalations the switch caused. */
export const SWITCH_BACK_GRACE_MS = 30 * 60_000;

interface PreviousMode {
  mode: RunMode;
  since: number | null;
  switchedAt: number;
}

export async function leaderSwitch(ctx: NodeContext, user: User, input: { mode: RunMode; start?: number; end?: number; note?: string }): Promise<void> {
  requireLeader(user, '切换运行模式');
  const db = ctx.store.db;
  const from = await currentMode(db);
  const prev = (await getSetting(db, 'runModePrevious')) as PreviousMode | undefined;
  const at = ctx.now();
  await switchRunMode(ctx, input.mode, { by: user.displayName, byId: user.id, user, source: 'leader', start: input.start, end: input.end ?? null, note: input.note ?? null });
  // Back to the mode in force before, within the grace period: the switch was a mistake or a
  // false alarm, so the escalations it caused are undone (and the old mode's clock resumes).
  if (input.start == null && prev && prev.mode === input.mode && from !== input.mode && at - prev.switchedAt <= SWITCH_BACK_GRACE_MS) {
    if (prev.since != null) await setSetting(db, 'runModeSince', prev.since);
    else await db.deleteFrom('settings').where('key', '=', 'runModeSince').execute();
    await undoEscalations(ctx, from, prev.switchedAt);
    // The revert is final: switching again starts afresh rather than "undoing the undo".
    await db.deleteFrom('settings').where('key', '=', 'runModePrevious').execute();
  }
  ctx.events.publish({ type: 'runMode.changed', mode: input.mode });
}

/** Puts tickets escalated automatically under `mode` since `switchedAt` back to their earlier level, with a timeline note. */
async function undoEscalations(ctx: NodeContext, mode: RunMode, switchedAt: number): Promise<number> {
  const db = ctx.store.db;
  const recs = await db
    .selectFrom('supervision_records')
    .select(['ticket_id', 'level', 'previous_level', 'at'])
    .where('kind', '=', 'auto')
    .where('run_mode', '=', mode)
    .where('at', '>=', switchedAt)
    .orderBy('at', 'asc')
    .execute();
  const earliest = new Map<string, { from: number; to: number }>();
  for (const r of recs) {
    const e = earliest.get(r.ticket_id);
    earliest.set(r.ticket_id, { from: e?.from ?? r.previous_level, to: r.level });
  }
  let undone = 0;
  for (const [ticketId, { from, to }] of earliest) {
    const level = Math.max(1, from);
    if (level >= to) continue;
    try {
      await db.transaction().execute((trx) =>
        applyTicketAction(ctx, trx, SYSTEM_USER, { action: 'supervise', id: ticketId, level, reason: `运行模式切回（${RUN_MODE_LABELS[mode]}切换后${Math.round((ctx.now() - switchedAt) / 60_000)}分钟内），撤销该模式造成的自动升级：${to}级 → ${level}级` }, ctx.now()),
      );
      undone++;
    } catch (err) {
      ctx.log.warn('escalation undo skipped', { id: ticketId, error: err instanceof Error ? err.message : String(err) });
    }
  }
  if (undone) ctx.events.publish({ type: 'supervision.changed', ticketIds: [...earliest.keys()].slice(0, 200) });
  return undone;
}

/**
 * What a switch would do, shown before the leader confirms: how deadlines of new tickets tighten,
 * which overdue tickets would escalate and when (counted from the switch, never retroactively),
 * when the first zero report is due, how often key places must be patrolled, and whether a
 * switch back undoes escalations.
 */
export async function runModePreview(ctx: NodeContext, user: User, input: { mode: RunMode; start?: number }): Promise<RunModePreview> {
  requireLeader(user, '切换运行模式');
  const db = ctx.store.db;
  const now = ctx.now();
  const from = await currentMode(db);
  const at = Math.max(now, input.start ?? now);
  const prev = (await getSetting(db, 'runModePrevious')) as PreviousMode | undefined;
  const list = await db
    .selectFrom('tickets')
    .leftJoin('catalog', 'catalog.id', 'tickets.category_id')
    .select(['tickets.id', 'tickets.code', 'tickets.resolve_deadline', 'tickets.supervision_level', 'catalog.resolve_unit', 'catalog.supervision_hours'])
    .where('tickets.status', 'in', [...OPEN_STATUSES])
    .where('tickets.resolve_deadline', '<', at)
    .execute();
  const horizon = at + 24 * 3600_000;
  const escalations: RunModePreview['escalations'] = [];
  let overdue = 0;
  for (const t of list) {
    overdue++;
    const sla = slaClassOf(t.resolve_unit);
    const own = parseCatalogThresholds(t.supervision_hours);
    const levelNow = Math.max(t.supervision_level, supervisionLevelFor(ctx.calendar, t.resolve_deadline!, at, input.mode, sla, own, at)) as SupervisionLevel;
    const next = nextEscalationAt(ctx.calendar, t.resolve_deadline!, levelNow, input.mode, sla, own, at);
    if (levelNow > t.supervision_level) escalations.push({ ticketId: t.id, code: t.code, level: t.supervision_level as SupervisionLevel, toLevel: levelNow, at });
    else if (next != null && next <= horizon) escalations.push({ ticketId: t.id, code: t.code, level: t.supervision_level as SupervisionLevel, toLevel: (levelNow + 1) as SupervisionLevel, at: next });
  }
  escalations.sort((a, b) => a.at - b.at);
  const rules = RUN_MODE_RULES[input.mode];
  const req = RUN_MODE_REQUIREMENTS[input.mode];
  return {
    from,
    to: input.mode,
    at,
    deadlines: { factor: rules.factor, naturalTime: rules.naturalTime, previousFactor: RUN_MODE_RULES[from].factor, previousNaturalTime: RUN_MODE_RULES[from].naturalTime },
    overdueOpen: overdue,
    escalateAtOnce: escalations.filter((e) => e.at === at).length,
    escalations: escalations.slice(0, 100),
    escalationsWithin24h: escalations.length,
    firstZeroReportDue: firstZeroReportDue(input.mode, at),
    zeroReportHour: req.zeroReportDue,
    patrolEveryHours: req.patrolEveryHours,
    undoesEscalations: !!prev && prev.mode === input.mode && from !== input.mode && now - prev.switchedAt <= SWITCH_BACK_GRACE_MS,
    graceMinutes: SWITCH_BACK_GRACE_MS / 60_000,
  };
}

export async function patrolCheckIn(ctx: NodeContext, user: User, input: { placeId: string; ok: boolean; note?: string }): Promise<void> {
  if (!isStreetStaff(user) && user.role !== 'gridOfficer') throw new AppError('forbiddenRole', '只有街道工作人员和网格员可以巡查打卡');
  if (!input.ok && (!input.note || input.note.length < 2)) throw new AppError('noteRequired', '发现异常时须填写情况说明');
  const at = ctx.now();
  await ctx.store.db.transaction().execute(async (trx) => {
    const place = await trx.selectFrom('key_places').select(['id', 'name']).where('id', '=', input.placeId).where('active', '=', 1).executeTakeFirst();
    if (!place) throw notFound('重点部位', input.placeId);
    const row = { id: uuidv7({ msecs: at }), place_id: place.id, at, by_id: user.id, by_name: user.displayName, ok: input.ok ? 1 : 0, note: input.note ?? null };
    await trx.insertInto('patrol_checkins').values(row).execute();
    await appendOutbox(trx, { entity: 'patrol', entityId: row.id, op: 'checkIn', at, payload: { actor: await opActorOf(trx, user), checkin: row, placeName: place.name } });
  });
  ctx.events.publish({ type: 'runMode.changed', mode: await currentMode(ctx.store.db) });
}

export async function fileZeroReport(ctx: NodeContext, user: User, input: z.output<typeof zeroReportInput>): Promise<void> {
  requireStreetStaff(user, '报送零报告');
  const at = ctx.now();
  const date = cstDate(at);
  await ctx.store.db.transaction().execute(async (trx) => {
    const mode = await currentMode(trx);
    const existing = await trx.selectFrom('zero_reports').select('id').where('date', '=', date).executeTakeFirst();
    if (existing) throw new AppError('alreadyFiled', `${date} 的零报告已报送，不能重复报送`);
    const zr = zeroReportState(mode, at, at, await modeSince(trx));
    const text = input.kind === 'nothing' ? (input.text || `${RUN_MODE_LABELS[mode]}期间，本街道今日无突发事件、无安全隐患，零报告。`) : input.text;
    const row = { id: uuidv7({ msecs: at }), date, mode, kind: input.kind, text, incidents: input.kind === 'nothing' ? 0 : input.incidents, due_at: zr.dueAt, late: zr.state === 'late' ? 1 : 0, by_id: user.id, by_name: user.displayName, at };
    await trx.insertInto('zero_reports').values(row).execute();
    await appendOutbox(trx, { entity: 'zeroReport', entityId: row.id, op: 'file', at, payload: { actor: await opActorOf(trx, user), report: row } });
  });
  ctx.log.info('zero report filed', { date, kind: input.kind, by: user.username });
  ctx.events.publish({ type: 'runMode.changed', mode: await currentMode(ctx.store.db) });
}

export async function setDuty(ctx: NodeContext, user: User, input: z.output<typeof dutyInput>): Promise<void> {
  requireStreetStaff(user, '排班');
  const at = ctx.now();
  await ctx.store.db.transaction().execute(async (trx) => {
    const row = { id: uuidv7({ msecs: at }), date: input.date, shift: input.shift, post: input.post, name: input.name, phone: input.phone ?? null };
    // One person per date, shift and post: a new entry replaces the old one.
    await trx.deleteFrom('duty_roster').where('date', '=', input.date).where('shift', '=', input.shift).where('post', '=', input.post).execute();
    await trx.insertInto('duty_roster').values(row).execute();
    await appendOutbox(trx, { entity: 'dutyRoster', entityId: row.id, op: 'set', at, payload: { actor: await opActorOf(trx, user), duty: row } });
  });
  ctx.events.publish({ type: 'runMode.changed', mode: await currentMode(ctx.store.db) });
}

/** Today's zero report is overdue (the job logs it once a day and tells the screens). */
export async function zeroReportMissing(ctx: NodeContext): Promise<boolean> {
  const now = ctx.now();
  const mode = await currentMode(ctx.store.db);
  const r = await ctx.store.db.selectFrom('zero_reports').select('at').where('date', '=', cstDate(now)).executeTakeFirst();
  return zeroReportState(mode, now, r?.at ?? null, await modeSince(ctx.store.db)).state === 'missing';
}
