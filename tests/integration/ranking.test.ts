// 三维评价 rankings on hand-made tickets in a real SQLite store: the scores of each unit from its
// tickets, every explanation item's list holding exactly the tickets counted, the freeze at month
// end and a later correction shown as a correction, movement against the previous month, entered
// 绩效刚性评 scores (leaders only, audited), rule versions that never rewrite past months, the unit
// role's own row, and the CLI.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixture, type Fixture } from '../support/fixture';
import { periodBounds } from '../../src/shared/stats/period';
import { DEFAULT_RANKING_RULES } from '../../src/shared/stats/ranking';

const run = promisify(execFile);
const at = (s: string) => Date.parse(s + '+08:00');
const OCT = periodBounds({ from: '2026-10-01', to: '2026-11-01' });

interface Ev {
  action: string;
  at: string;
  data?: Record<string, unknown>;
}
interface T {
  name: string;
  created: string;
  unit: string;
  grid?: string;
  resolveDeadline?: string;
  acceptDeadline?: string;
  acceptedAt?: string;
  returns?: number;
  reopens?: number;
  events: Ev[];
}

let f: Fixture;
let seq = 0;

async function add(t: T) {
  const db = f.ctx.store.db;
  const id = `t-${t.name}`;
  const created = at(t.created);
  await db
    .insertInto('tickets')
    .values({
      id, code: `JB${String(++seq).padStart(6, '0')}`, channel: 'hotline12345', external_ref: null, reporter_name: null, reporter_phone: null, type: 'complaint',
      description: `排名测试 ${t.name}`, address: '体育路', lon: null, lat: null, grid_id: t.grid ?? 'g3', category_id: 'c12', ai_category_id: null, ai_confidence: null,
      ai_model_version: null, category_source: null, urgency: 'normal', is_micro: 0, is_cross_boundary: 0, status: 'accepted', unit_id: t.unit, dispatch_mode: null,
      accept_deadline: t.acceptDeadline ? at(t.acceptDeadline) : null, resolve_deadline: t.resolveDeadline ? at(t.resolveDeadline) : null, supervision_level: 0,
      satisfaction: null, result: null, merged_into: null, parent_id: null, reopen_count: t.reopens ?? 0, return_count: t.returns ?? 0, created_by: null,
      created_at: created, updated_at: created, dispatched_at: null, accepted_at: t.acceptedAt ? at(t.acceptedAt) : null, resolved_at: null, closed_at: null, version: 1,
    })
    .execute();
  let n = 0;
  for (const e of [{ action: 'report', at: t.created } as Ev, ...t.events])
    await db
      .insertInto('ticket_events')
      .values({ id: `${id}-e${++n}`, ticket_id: id, seq: n, action: e.action, from_status: null, to_status: 'accepted', actor_id: null, actor_name: '测试', actor_role: 'unit', unit_id: t.unit, at: at(e.at), reason: null, data: JSON.stringify(e.data ?? {}) })
      .execute();
}

beforeAll(async () => {
  f = await createFixture();
  f.setNow(at('2026-11-23T10:00:00'));
  // September: u1 alone (rank 1).
  await add({ name: 'S1', created: '2026-09-10T09:00:00', unit: 'u1', resolveDeadline: '2026-09-15T18:00:00', events: [{ action: 'dispatch', at: '2026-09-10T09:10:00' }, { action: 'resolve', at: '2026-09-11T09:00:00' }] });
  // October, u1: one clean ticket, one accepted late, returned, resolved late, reopened, supervised (level 2), unsatisfied.
  await add({
    name: 'A1', created: '2026-10-09T09:00:00', unit: 'u1', acceptDeadline: '2026-10-09T11:00:00', acceptedAt: '2026-10-09T10:00:00', resolveDeadline: '2026-10-14T18:00:00',
    events: [{ action: 'dispatch', at: '2026-10-09T09:30:00' }, { action: 'resolve', at: '2026-10-12T11:00:00' }, { action: 'callback', at: '2026-10-13T10:00:00', data: { satisfaction: 'satisfied' } }],
  });
  await add({
    name: 'A2', created: '2026-10-15T09:00:00', unit: 'u1', acceptDeadline: '2026-10-15T10:00:00', acceptedAt: '2026-10-15T10:30:00', resolveDeadline: '2026-10-16T18:00:00', returns: 1, reopens: 1,
    events: [
      { action: 'dispatch', at: '2026-10-15T09:05:00' },
      { action: 'supervise', at: '2026-10-17T09:00:00', data: { level: 2 } },
      { action: 'resolve', at: '2026-10-20T10:00:00' },
      { action: 'callback', at: '2026-10-21T10:00:00', data: { satisfaction: 'unsatisfied' } },
    ],
  });
  // October, u2: one clean ticket on another grid-less community? same grid.
  await add({
    name: 'B1', created: '2026-10-19T09:00:00', unit: 'u2', acceptDeadline: '2026-10-19T11:00:00', acceptedAt: '2026-10-19T09:30:00', resolveDeadline: '2026-10-23T18:00:00',
    events: [{ action: 'dispatch', at: '2026-10-19T09:10:00' }, { action: 'resolve', at: '2026-10-21T16:00:00' }, { action: 'callback', at: '2026-10-22T10:00:00', data: { satisfaction: 'basicallySatisfied' } }],
  });
});
afterAll(async () => {
  await f?.close();
});

describe('monthly ranking of units', () => {
  it('scores each unit from its tickets, ranks them and shows movement against the previous month', async () => {
    const v = await f.as('leader')('stats.ranking', { month: '2026-10', kind: 'unit' });
    expect(v).toMatchObject({ month: '2026-10', state: 'frozen', previousMonth: '2026-09', rankedCount: 2, ownOnly: false, mayEnter: true });
    const [first, second] = v.rows;
    expect(first).toMatchObject({ key: 'u2', rank: 1, previousRank: null, system: 100, public: 100, performance: null, total: 100, correction: null });
    // u1: base 40 × 1/2 + 60 × 1/2 = 50; − 2 (return) − 1 (overdue) − 2 (二级督办) − 2 (reopen) = 43; public 50;
    // total (43 × 0.5 + 50 × 0.3) / 0.8 = 45.6
    expect(second).toMatchObject({ key: 'u1', rank: 2, previousRank: 1, system: 43, public: 50, total: 45.6 });
    expect(second!.counts).toMatchObject({ dispatched: 2, acceptedInTime: 1, acceptedLate: 1, resolved: 2, resolvedLate: 1, returned: 1, reopened: 1, supervisedL2: 1, callbacks: 2, unsatisfied: 1 });
  });

  it('explains every score by figures whose lists hold exactly the tickets counted', async () => {
    const v = await f.as('leader')('stats.ranking', { month: '2026-10', kind: 'unit' });
    const u1 = v.rows.find((r) => r.key === 'u1')!;
    const lost = u1.items.filter((i) => i.points < 0).map((i) => i.figure);
    expect(lost).toEqual(expect.arrayContaining(['acceptedLate', 'resolvedLate', 'returned', 'supervisedL2', 'reopened', 'unsatisfied']));
    for (const row of v.rows)
      for (const item of row.items) {
        if (!item.figure) continue;
        const filter = { ...row.filter, figure: item.figure, periodFrom: OCT.from, periodTo: OCT.to };
        const page = await f.as('leader')('tickets.list', { filter, startRow: 0, endRow: 50 });
        expect.soft(page.rows.length, `${row.name} ${item.label}`).toBe(item.count);
      }
    const returned = await f.as('leader')('tickets.list', { filter: { unitId: 'u1', figure: 'returned', periodFrom: OCT.from, periodTo: OCT.to }, startRow: 0, endRow: 50 });
    expect(returned.rows.map((r) => r.id)).toEqual(['t-A2']);
  });

  it('lets the unit role see only its own row and explanation', async () => {
    const v = await f.as('cg')('stats.ranking', { month: '2026-10', kind: 'unit' });
    expect(v.ownOnly).toBe(true);
    expect(v.mayEnter).toBe(false);
    expect(v.rankedCount).toBe(2);
    expect(v.rows.map((r) => r.key)).toEqual(['u1']);
    expect(v.rows[0]!.items.length).toBeGreaterThan(3);
    await expect(f.as('cg')('stats.ranking', { month: '2026-10', kind: 'community' })).rejects.toMatchObject({ code: 'forbiddenRole' });
    await expect(f.as('wangge')('stats.ranking', { month: '2026-10', kind: 'unit' })).rejects.toMatchObject({ code: 'forbiddenRole' });
    await expect(f.as('leader')('stats.ranking', { month: '2027-01', kind: 'unit' })).rejects.toMatchObject({ code: 'invalidInput' });
  });

  it('ranks communities and grids by the tickets on them', async () => {
    const c = await f.as('operator')('stats.ranking', { month: '2026-10', kind: 'community' });
    expect(c.rows.map((r) => [r.key, r.filter])).toEqual([['g2', { gridId: 'g2' }]]);
    expect(c.rows[0]!.counts.dispatched).toBe(3);
    const g = await f.as('operator')('stats.ranking', { month: '2026-10', kind: 'grid' });
    expect(g.rows.map((r) => r.key)).toEqual(['g3']);
  });

  it('keeps the frozen month and shows a later ticket correction as a correction', async () => {
    const before = await f.ctx.store.db.selectFrom('ranking_rows').selectAll().where('month', '=', '2026-10').where('kind', '=', 'unit').orderBy('entity_id').execute();
    expect(before.map((r) => [r.entity_id, r.rank, r.total])).toEqual([['u1', 2, 45.6], ['u2', 1, 100]]);
    // A correction after the freeze: u2's ticket turns out to have been returned.
    await f.ctx.store.db.updateTable('tickets').set({ return_count: 1 }).where('id', '=', 't-B1').execute();
    const v = await f.as('leader')('stats.ranking', { month: '2026-10', kind: 'unit' });
    const u2 = v.rows.find((r) => r.key === 'u2')!;
    expect(u2).toMatchObject({ system: 100, total: 100, rank: 1 });
    expect(u2.correction).toMatchObject({ system: 98, total: 98.8, rank: 1 });
    expect(v.rows.find((r) => r.key === 'u1')!.correction).toBeNull();
    await f.ctx.store.db.updateTable('tickets').set({ return_count: 0 }).where('id', '=', 't-B1').execute();
  });
});

describe('绩效刚性评 and the rules', () => {
  it('is entered by a leader with a reason, audited, and shown as a correction of a frozen month', async () => {
    await expect(f.as('operator')('stats.performanceScore', { kind: 'unit', entityId: 'u1', month: '2026-10', score: 90, reason: '专项整治' })).rejects.toMatchObject({ code: 'forbiddenRole' });
    await expect(f.as('leader')('stats.performanceScore', { kind: 'unit', entityId: 'u1', month: '2026-10', score: 101, reason: '专项整治' })).rejects.toMatchObject({ message: expect.stringMatching(/0到100/) });
    await expect(f.as('leader')('stats.performanceScore', { kind: 'unit', entityId: 'u1', month: '2026-10', score: 90, reason: ' ' })).rejects.toMatchObject({ message: expect.stringMatching(/理由/) });
    await expect(f.as('leader')('stats.performanceScore', { kind: 'unit', entityId: 'nope', month: '2026-10', score: 90, reason: '专项整治' })).rejects.toMatchObject({ message: '没有这个处置单位' });
    await expect(f.as('leader')('stats.performanceScore', { kind: 'grid', entityId: 'g2', month: '2026-10', score: 90, reason: '专项整治' })).rejects.toMatchObject({ message: '没有这个网格' });
    await expect(f.as('leader')('stats.performanceScore', { kind: 'unit', entityId: 'u1', month: '2026-12', score: 90, reason: '专项整治' })).rejects.toMatchObject({ code: 'invalidInput' });
    expect(await f.ctx.store.db.selectFrom('performance_scores').selectAll().execute()).toEqual([]);

    await f.as('leader')('stats.performanceScore', { kind: 'unit', entityId: 'u1', month: '2026-10', score: 90, reason: '专项整治表现突出' });
    const audit = await f.ctx.store.db.selectFrom('audit_log').selectAll().where('action', '=', 'performance.score').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_role: 'leader', target: 'unit:u1:2026-10' });
    expect(JSON.parse(audit[0]!.detail)).toMatchObject({ score: 90, reason: '专项整治表现突出', previous: null });

    const v = await f.as('leader')('stats.ranking', { month: '2026-10', kind: 'unit' });
    const u1 = v.rows.find((r) => r.key === 'u1')!;
    expect(u1).toMatchObject({ performance: null, total: 45.6 });
    // (43 × 0.5 + 50 × 0.3 + 90 × 0.2) / 1 = 54.5
    expect(u1.correction).toMatchObject({ performance: 90, total: 54.5 });
    expect(u1.performanceEntry).toMatchObject({ score: 90, reason: '专项整治表现突出', byName: '李主任' });
    expect(u1.items.find((i) => i.score === 'performance')).toMatchObject({ points: 90, figure: null });
  });

  it('changes weights only from this month on; past months keep the rules they were frozen with', async () => {
    const rules = { ...DEFAULT_RANKING_RULES, weights: { system: 1, public: 0, performance: 0 } };
    await expect(f.as('leader')('stats.setRankingRules', { from: '2026-10', rules })).rejects.toMatchObject({ code: 'invalidInput' });
    await expect(f.as('operator')('stats.setRankingRules', { from: '2026-11', rules })).rejects.toMatchObject({ code: 'forbiddenRole' });
    await expect(f.as('leader')('stats.setRankingRules', { from: '2026-11', rules: { ...rules, weights: { system: 0, public: 0, performance: 0 } } })).rejects.toMatchObject({ code: 'invalidInput' });
    const info = await f.as('leader')('stats.setRankingRules', { from: '2026-11', rules });
    expect(info.versions).toEqual([{ from: '2026-11', rules }]);
    expect(info.current.from).toBe('2026-11');
    const audit = await f.ctx.store.db.selectFrom('audit_log').selectAll().where('action', '=', 'settings.change').where('target', '=', 'ranking.rules').execute();
    expect(audit).toHaveLength(1);

    const oct = await f.as('leader')('stats.ranking', { month: '2026-10', kind: 'unit' });
    expect(oct.rules.from).toBe('0000-01');
    expect(oct.rows.find((r) => r.key === 'u1')!.total).toBe(45.6);
    // November is live and under the new rules.
    await add({ name: 'N1', created: '2026-11-02T09:00:00', unit: 'u1', resolveDeadline: '2026-11-05T18:00:00', events: [{ action: 'resolve', at: '2026-11-03T09:00:00' }, { action: 'callback', at: '2026-11-04T09:00:00', data: { satisfaction: 'unsatisfied' } }] });
    const nov = await f.as('leader')('stats.ranking', { month: '2026-11', kind: 'unit' });
    expect(nov).toMatchObject({ state: 'live', frozenAt: null });
    expect(nov.rules.from).toBe('2026-11');
    expect(nov.rows[0]).toMatchObject({ key: 'u1', system: 100, public: 0, total: 100, previousRank: 2 });
  });

  it('prints the ranking as JSON lines from the CLI', async () => {
    const { stdout } = await run('npx', ['tsx', 'src/main/cli/stats.ts', 'ranking', '--db', f.file, '--month', '2026-10'], { cwd: process.cwd(), timeout: 60_000 });
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => [l.key, l.rank, l.total, l.movement])).toEqual([['u2', 1, 100, null], ['u1', 2, 45.6, -1]]);
    expect(lines[1]!.correction).toMatchObject({ performance: 90 });
    await expect(run('npx', ['tsx', 'src/main/cli/stats.ts', 'ranking', '--db', f.file, '--month', '2026-10', '--by', 'street'], { timeout: 60_000 })).rejects.toMatchObject({ code: 2 });
  }, 120_000);
});

describe('a street with no history', () => {
  it('has no rows and says there is no first ticket yet', async () => {
    const empty = await createFixture();
    try {
      const v = await empty.as('leader')('stats.ranking', { month: '2026-10', kind: 'unit' });
      expect(v).toMatchObject({ state: 'frozen', rows: [], rankedCount: 0, firstTicketAt: null });
      const live = await empty.as('leader')('stats.ranking', { month: '2026-11', kind: 'grid' });
      expect(live).toMatchObject({ state: 'live', rows: [], firstTicketAt: null });
    } finally {
      await empty.close();
    }
  });
});
