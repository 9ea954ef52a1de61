// 督办: automatic escalation of overdue tickets through levels 1–4 by the rules of the run mode and
// the category's kind of deadline (and of 110 transfers not signed for in time, ./signIn.ts),
// at-risk reminders before the deadline, leaders' supervision by hand with a note and a new
// deadline, and the permanent record of every reminder (accountability).

import {
  AT_RISK_MS,
  nextEscalationAt,
  overdueHours,
  parseCatalogThresholds,
  ruleFor,
  slaClassOf,
  supervisionLevelFor,
  type SupervisionKind,
} from '../../../shared/domain/supervision';
import { dueSoonWindow } from '../../../shared/domain/deadline';
import { OPEN_STATUSES, type RunMode, type SupervisionLevel, type TicketStatus, type Urgency } from '../../../shared/domain/ticket';
import { checkTransition } from '../../../shared/domain/stateMachine';
import type { SupervisionBoard, SupervisionRecordInfo, SupervisionRow, SupervisionUnitSummary } from '../../../shared/api/coordination';
import type { User } from '../../../shared/api/types';
import type { NodeContext } from '../core/context';
import { AppError, notFound } from '../core/errors';
import { appendOutbox, opActorOf, ticketBaseOf } from '../core/outbox';
import { applyTicketAction } from '../tickets/actions';
import { actorOf, appendEvent, publishChange, snapshotOf } from '../tickets/ledger';
import { SYSTEM_USER, currentMode, modeSince, requireLeader, type Db } from './common';
import { recordSupervision } from './supervisionRecords';
import { superviseMissedSignIns } from './signIn';

interface Candidate {
  id: string;
  status: string;
  unit_id: string | null;
  resolve_deadline: number | null;
  created_at: number;
  supervision_level: number;
  resolve_unit: string | null;
  supervision_hours: string | null;
}

async function candidates(db: Db, until: number, unitId?: string | null): Promise<Candidate[]> {
  let q = db
    .selectFrom('tickets')
    .leftJoin('catalog', 'catalog.id', 'tickets.category_id')
    .select(['tickets.id', 'tickets.status', 'tickets.unit_id', 'tickets.resolve_deadline', 'tickets.created_at', 'tickets.supervision_level', 'catalog.resolve_unit', 'catalog.supervision_hours'])
    .where('tickets.status', 'in', [...OPEN_STATUSES])
    .where('tickets.resolve_deadline', '<', until);
  if (unitId !== undefined) q = unitId === null ? q.where('tickets.unit_id', 'is', null) : q.where('tickets.unit_id', '=', unitId);
  return q.execute();
}

/**
 * The periodic supervision job: raises overdue tickets to the level the rules call for (one
 * transaction each, through the state machine's `supervise` action) and reminds the units of
 * at-risk tickets once per deadline. Returns what it did.
 */
export async function runSupervision(ctx: NodeContext, system: User = SYSTEM_USER): Promise<{ escalated: number; warned: number }> {
  const now = ctx.now();
  const mode = await currentMode(ctx.store.db);
  const since = await modeSince(ctx.store.db);
  const list = await candidates(ctx.store.db, now + AT_RISK_MS[mode]);
  const changed: string[] = [];
  const atRisk: Candidate[] = [];
  for (const t of list) {
    const deadline = t.resolve_deadline!;
    if (deadline >= now) {
      // At risk within the mode's window, scaled down for short deadlines (dueSoonWindow).
      if (deadline - now <= dueSoonWindow(t.created_at, deadline, AT_RISK_MS[mode])) atRisk.push(t);
      continue;
    }
    const level = supervisionLevelFor(ctx.calendar, deadline, now, mode, slaClassOf(t.resolve_unit), parseCatalogThresholds(t.supervision_hours), since);
    if (level <= t.supervision_level) continue;
    try {
      await ctx.store.db.transaction().execute((trx) =>
        applyTicketAction(ctx, trx, system, { action: 'supervise', id: t.id, level, reason: `超期自动升级为${level}级督办` }, now),
      );
      changed.push(t.id);
      publishChange(ctx, t.id, t.status, 'supervise');
    } catch (err) {
      ctx.log.warn('escalation skipped', { id: t.id, error: err instanceof Error ? err.message : String(err) });
    }
  }
  // At-risk reminders: once per ticket and deadline.
  let warned = 0;
  if (atRisk.length) {
    await ctx.store.db.transaction().execute(async (trx) => {
      for (let i = 0; i < atRisk.length; i += 500) {
        const chunk = atRisk.slice(i, i + 500);
        const done = await trx
          .selectFrom('supervision_records')
          .select(['ticket_id', 'deadline'])
          .where('kind', '=', 'warning')
          .where('ticket_id', 'in', chunk.map((t) => t.id))
          .execute();
        const seen = new Set(done.map((d) => `${d.ticket_id}|${d.deadline}`));
        for (const t of chunk) {
          if (seen.has(`${t.id}|${t.resolve_deadline}`)) continue;
          await recordSupervision(trx, { ticket: t, kind: 'warning', level: 0, mode, cal: ctx.calendar, at: now, by: system, note: '即将超期，提醒处置单位抓紧办理', slaUnit: t.resolve_unit, catalogRule: t.supervision_hours });
          warned++;
          changed.push(t.id);
        }
      }
    });
  }
  if (changed.length) ctx.events.publish({ type: 'supervision.changed', ticketIds: changed.slice(0, 200) });
  // 110 transfers not signed for within their minutes are supervised too (./signIn.ts).
  const missedSignIns = await superviseMissedSignIns(ctx, system);
  return { escalated: changed.length - warned + missedSignIns.length, warned };
}

/** A leader supervises a ticket by hand: level, note and optionally a new deadline. */
export async function superviseByHand(
  ctx: NodeContext,
  user: User,
  input: { ticketId: string; level: number; note: string; newDeadline?: number },
): Promise<void> {
  requireLeader(user, '督办工单');
  const at = ctx.now();
  if (input.newDeadline != null && input.newDeadline <= at) throw new AppError('badDeadline', '新的办结时限须晚于当前时间');
  let status = '';
  await ctx.store.db.transaction().execute(async (trx) => {
    const t = await trx.selectFrom('tickets').selectAll().where('id', '=', input.ticketId).executeTakeFirst();
    if (!t) throw notFound('工单', input.ticketId);
    const verdict = checkTransition(await snapshotOf(trx, t), 'supervise', actorOf(user));
    if (!verdict.ok) throw new AppError(verdict.code, verdict.reason, { detail: `supervise ${t.id} (${t.status}) by ${user.username}` });
    const mode = await currentMode(trx);
    const base = await ticketBaseOf(trx, t);
    const upd = { supervision_level: input.level, updated_at: at, version: t.version + 1, ...(input.newDeadline != null ? { resolve_deadline: input.newDeadline } : {}) };
    const res = await trx.updateTable('tickets').set(upd).where('id', '=', t.id).where('version', '=', t.version).executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) throw new AppError('conflict', '工单已被他人修改，请刷新后重试');
    const eventId = await appendEvent(trx, t.id, user, at, {
      action: 'supervise',
      from: t.status as TicketStatus,
      to: t.status as TicketStatus,
      reason: input.note,
      data: { level: input.level, ...(input.newDeadline != null ? { newDeadline: input.newDeadline, previousDeadline: t.resolve_deadline } : {}) },
    });
    await appendOutbox(trx, {
      entity: 'ticket',
      entityId: t.id,
      op: 'supervise',
      at,
      payload: {
        actor: await opActorOf(trx, user),
        input: { action: 'supervise', id: t.id, level: input.level, reason: input.note, newDeadline: input.newDeadline ?? null },
        eventId,
        from: t.status as TicketStatus,
        to: t.status as TicketStatus,
        version: t.version + 1,
        ...(base ? { base } : {}),
      },
    });
    await recordSupervision(trx, { ticket: t, kind: 'manual', level: input.level, mode, cal: ctx.calendar, at, by: user, note: input.note, newDeadline: input.newDeadline ?? null });
    status = t.status;
  });
  ctx.log.info('ticket supervised by hand', { id: input.ticketId, level: input.level, by: user.username });
  publishChange(ctx, input.ticketId, status, 'supervise');
  ctx.events.publish({ type: 'supervision.changed', ticketIds: [input.ticketId] });
}

export async function supervisionHistory(
  ctx: NodeContext,
  user: User,
  input: { ticketId?: string; unitId?: string; limit: number },
): Promise<SupervisionRecordInfo[]> {
  let q = ctx.store.db
    .selectFrom('supervision_records as r')
    .innerJoin('tickets as t', 't.id', 'r.ticket_id')
    .selectAll('r')
    .select('t.code')
    .orderBy('r.at', 'desc')
    .limit(input.limit);
  if (input.ticketId) q = q.where('r.ticket_id', '=', input.ticketId);
  const unit = user.role === 'unit' ? user.unitId : input.unitId;
  if (user.role === 'unit' && !unit) return [];
  if (unit) q = q.where('r.unit_id', '=', unit);
  const rows = await q.execute();
  return rows.map((r) => ({
    id: r.id,
    ticketId: r.ticket_id,
    ticketCode: r.code,
    kind: r.kind as SupervisionKind,
    level: r.level as SupervisionLevel,
    previousLevel: r.previous_level as SupervisionLevel,
    unitId: r.unit_id,
    deadline: r.deadline,
    newDeadline: r.new_deadline,
    overdueMinutes: r.overdue_minutes,
    runMode: r.run_mode as RunMode,
    notified: JSON.parse(r.notified) as string[],
    note: r.note,
    byName: r.by_name,
    at: r.at,
  }));
}

const BOARD_MAX = 2000;

/** 督办看板: overdue and at-risk tickets, by unit and level, with durations and reminder history. */
export async function supervisionBoard(ctx: NodeContext, user: User, input: { unitId?: string; level?: number }): Promise<SupervisionBoard> {
  const db = ctx.store.db;
  const now = ctx.now();
  const mode = await currentMode(db);
  const since = await modeSince(db);
  const unitFilter = user.role === 'unit' ? user.unitId : input.unitId;
  const list = user.role === 'unit' && !user.unitId ? [] : await candidates(db, now + AT_RISK_MS[mode], unitFilter ?? undefined);
  const units = new Map<string | null, SupervisionUnitSummary>();
  const rowsAll: Array<Candidate & { ruleLevel: SupervisionLevel; overdueMinutes: number; clock: 'working' | 'natural' }> = [];
  for (const t of list) {
    const deadline = t.resolve_deadline!;
    const sla = slaClassOf(t.resolve_unit);
    const own = parseCatalogThresholds(t.supervision_hours);
    const rule = ruleFor(mode, sla, own);
    const overdue = deadline < now;
    if (!overdue && deadline - now > dueSoonWindow(t.created_at, deadline, AT_RISK_MS[mode])) continue;
    const ruleLevel = supervisionLevelFor(ctx.calendar, deadline, now, mode, sla, own, since);
    const overdueMinutes = overdue ? Math.round(overdueHours(ctx.calendar, rule, deadline, now) * 60) : 0;
    let u = units.get(t.unit_id);
    if (!u) units.set(t.unit_id, (u = { unitId: t.unit_id, overdue: 0, dueSoon: 0, byLevel: [0, 0, 0, 0, 0], maxOverdueMinutes: 0 }));
    if (overdue) u.overdue++;
    else u.dueSoon++;
    const level = Math.max(0, Math.min(4, t.supervision_level));
    u.byLevel[level]!++;
    u.maxOverdueMinutes = Math.max(u.maxOverdueMinutes, overdue ? Math.floor((now - deadline) / 60_000) : 0);
    if (input.level !== undefined && level !== input.level) continue;
    rowsAll.push({ ...t, ruleLevel, overdueMinutes, clock: rule.clock });
  }
  rowsAll.sort((a, b) => b.supervision_level - a.supervision_level || a.resolve_deadline! - b.resolve_deadline!);
  const cut = rowsAll.slice(0, BOARD_MAX);
  const ids = cut.map((r) => r.id);
  const details = new Map<string, { code: string; description: string; urgency: string; path: string | null }>();
  const reminders = new Map<string, { n: number; last: SupervisionRow['lastReminder'] }>();
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    const [ts, rs] = await Promise.all([
      db
        .selectFrom('tickets')
        .leftJoin('catalog', 'catalog.id', 'tickets.category_id')
        .select(['tickets.id', 'tickets.code', 'tickets.description', 'tickets.urgency', 'catalog.path'])
        .where('tickets.id', 'in', chunk)
        .execute(),
      db
        .selectFrom('supervision_records')
        .select(['ticket_id', 'kind', 'level', 'notified', 'by_name', 'at'])
        .where('ticket_id', 'in', chunk)
        .orderBy('at', 'asc')
        .execute(),
    ]);
    for (const t of ts) details.set(t.id, { code: t.code, description: t.description, urgency: t.urgency, path: t.path });
    for (const r of rs) {
      const cur = reminders.get(r.ticket_id) ?? { n: 0, last: null };
      cur.n++;
      cur.last = { at: r.at, kind: r.kind as SupervisionKind, level: r.level as SupervisionLevel, notified: JSON.parse(r.notified) as string[], byName: r.by_name };
      reminders.set(r.ticket_id, cur);
    }
  }
  const rows: SupervisionRow[] = cut.map((t) => {
    const d = details.get(t.id)!;
    const rem = reminders.get(t.id);
    const deadline = t.resolve_deadline!;
    const level = Math.max(0, Math.min(4, t.supervision_level)) as SupervisionLevel;
    return {
      ticketId: t.id,
      code: d.code,
      description: d.description,
      status: t.status as TicketStatus,
      unitId: t.unit_id,
      categoryPath: d.path,
      urgency: d.urgency as Urgency,
      level,
      ruleLevel: t.ruleLevel,
      state: deadline < now ? 'overdue' : 'dueSoon',
      resolveDeadline: deadline,
      overdueMinutes: t.overdueMinutes,
      clock: t.clock,
      overdueNaturalMinutes: deadline < now ? Math.floor((now - deadline) / 60_000) : 0,
      nextEscalationAt: nextEscalationAt(ctx.calendar, deadline, Math.max(level, t.ruleLevel) as SupervisionLevel, mode, slaClassOf(t.resolve_unit), parseCatalogThresholds(t.supervision_hours), since),
      reminders: rem?.n ?? 0,
      lastReminder: rem?.last ?? null,
    };
  });
  const unitList = [...units.values()].sort((a, b) => b.overdue - a.overdue || b.dueSoon - a.dueSoon);
  return { mode, now, rows, units: unitList, truncated: rowsAll.length > cut.length };
}
