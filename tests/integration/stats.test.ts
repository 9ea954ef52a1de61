// The statistics on hand-made tickets in a real SQLite file: each figure's definition pinned at
// the period's edges (China time, [from, to)), first events, event-counted callbacks, the working-
// hour durations; the ticket list behind every figure holds exactly as many tickets as the figure
// counts; the API's roles; the Excel export's cell types.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { createFixture, type Fixture } from '../support/fixture';
import { TICKET_FIGURES, EVENT_FIGURES, type TicketFigure } from '../../src/shared/stats/figures';
import { periodBounds } from '../../src/shared/stats/period';
import { Calendar } from '../../src/shared/domain/calendar';

const at = (s: string) => Date.parse(s + '+08:00');
const OCT = { kind: 'month' as const, from: '2026-10-01', to: '2026-11-01' };

interface Ev {
  action: string;
  at: string;
  role?: string;
  data?: Record<string, unknown>;
  unit?: string;
}
interface T {
  name: string;
  created: string;
  status?: string;
  channel?: string;
  category?: string | null;
  unit?: string | null;
  grid?: string | null;
  resolveDeadline?: string | null;
  acceptDeadline?: string | null;
  acceptedAt?: string | null;
  micro?: boolean;
  mergedInto?: string;
  returns?: number;
  extension?: string;
  events?: Ev[];
}

let f: Fixture;
let seq = 0;
const ids = new Map<string, string>();

async function add(t: T) {
  const db = f.ctx.store.db;
  const id = `t-${t.name}`;
  ids.set(t.name, id);
  const created = at(t.created);
  await db
    .insertInto('tickets')
    .values({
      id,
      code: `JB${String(++seq).padStart(6, '0')}`,
      channel: t.channel ?? 'hotline12345',
      external_ref: null,
      reporter_name: null,
      reporter_phone: null,
      type: 'complaint',
      description: `测试工单 ${t.name}`,
      address: '体育路',
      lon: null,
      lat: null,
      grid_id: t.grid === undefined ? 'g3' : t.grid,
      category_id: t.category === undefined ? 'c12' : t.category,
      ai_category_id: null,
      ai_confidence: null,
      ai_model_version: null,
      category_source: null,
      urgency: 'normal',
      is_micro: t.micro ? 1 : 0,
      is_cross_boundary: 0,
      status: t.status ?? 'accepted',
      unit_id: t.unit === undefined ? 'u1' : t.unit,
      dispatch_mode: null,
      accept_deadline: t.acceptDeadline ? at(t.acceptDeadline) : null,
      resolve_deadline: t.resolveDeadline ? at(t.resolveDeadline) : null,
      supervision_level: 0,
      satisfaction: null,
      result: null,
      merged_into: t.mergedInto ? ids.get(t.mergedInto)! : null,
      parent_id: null,
      reopen_count: 0,
      return_count: t.returns ?? 0,
      created_by: null,
      created_at: created,
      updated_at: created,
      dispatched_at: null,
      accepted_at: t.acceptedAt ? at(t.acceptedAt) : null,
      resolved_at: null,
      closed_at: null,
      version: 1,
    })
    .execute();
  let n = 0;
  for (const e of [{ action: 'report', at: t.created }, ...(t.events ?? [])]) {
    await db
      .insertInto('ticket_events')
      .values({
        id: `${id}-e${++n}`,
        ticket_id: id,
        seq: n,
        action: e.action,
        from_status: null,
        to_status: 'accepted',
        actor_id: null,
        actor_name: '测试',
        actor_role: (e as Ev).role ?? 'operator',
        unit_id: (e as Ev).unit ?? null,
        at: at(e.at),
        reason: null,
        data: JSON.stringify((e as Ev).data ?? {}),
      })
      .execute();
  }
  if (t.extension)
    await db
      .insertInto('ticket_extensions')
      .values({ id: `${id}-x`, ticket_id: id, unit_id: 'u1', requested_by: 'user-cg', days: 3, reason: '需协调', status: 'approved', requested_at: at(t.extension), decided_by: null, decided_at: null, decision_reason: null })
      .execute();
}

/** Which hand-made tickets each figure must hold in October 2026. */
const EXPECTED: Partial<Record<TicketFigure, string[]>> = {
  received: ['T1', 'T6', 'T7', 'T8', 'T9', 'T11', 'T15'],
  receivedResolved: ['T15'],
  proactive: ['T6'],
  duplicates: ['T5'],
  consultations: ['T8'],
  answeredAtIntake: ['T8'],
  resolved: ['T1', 'T2', 'T6', 'T7', 'T8', 'T13', 'T15'],
  resolvedOnTime: ['T1', 'T6', 'T7', 'T8', 'T13', 'T15'],
  resolvedLate: ['T2'],
  micro: ['T6'],
  microInGrid: ['T6'],
  dispatched: ['T1', 'T9'],
  acceptedInTime: ['T1'],
  acceptedLate: ['T9'],
  returned: ['T9'],
  extended: ['T9'],
  callbacks: ['T1', 'T7'],
  satisfied: ['T1', 'T7'],
  unsatisfied: ['T7'],
  supervised: ['T11', 'T12'],
  supervisedL1: [],
  supervisedL2: ['T11'],
  supervisedL3: ['T12'],
  supervisedL4: [],
};

beforeAll(async () => {
  f = await createFixture();
  f.setNow(at('2026-11-23T10:00:00'));
  await add({
    name: 'T1',
    created: '2026-10-09T09:00:00',
    resolveDeadline: '2026-10-14T18:00:00',
    acceptDeadline: '2026-10-09T11:00:00',
    acceptedAt: '2026-10-09T10:00:00',
    events: [
      { action: 'dispatch', at: '2026-10-09T09:30:00' },
      { action: 'accept', at: '2026-10-09T10:00:00' },
      { action: 'resolve', at: '2026-10-12T11:00:00', role: 'unit' },
      { action: 'callback', at: '2026-10-13T10:00:00', data: { satisfaction: 'satisfied' } },
    ],
  });
  // Created a millisecond before the period; first resolve at its very first instant, after the deadline.
  await add({
    name: 'T2',
    created: '2026-09-30T23:59:59.999',
    resolveDeadline: '2026-09-30T23:59:59.999',
    events: [
      { action: 'dispatch', at: '2026-09-30T23:59:59.999' },
      { action: 'resolve', at: '2026-10-01T00:00:00', role: 'unit' },
    ],
  });
  await add({ name: 'T3', created: '2026-11-01T00:00:00' }); // the period's end is excluded
  await add({ name: 'T4', created: '2026-10-10T09:00:00', status: 'cancelled' });
  await add({ name: 'T5', created: '2026-10-11T09:00:00', status: 'cancelled', mergedInto: 'T1' });
  // A micro event the grid officer fixed on the spot (no deadline: on time).
  await add({ name: 'T6', created: '2026-10-15T09:00:00', channel: 'gridPatrol', micro: true, unit: null, events: [{ action: 'resolve', at: '2026-10-15T11:30:00', role: 'gridOfficer' }] });
  // Resolved in time, reopened after an unsatisfied callback, resolved again late: the first resolve counts.
  await add({
    name: 'T7',
    created: '2026-10-13T09:00:00',
    resolveDeadline: '2026-10-16T18:00:00',
    events: [
      { action: 'resolve', at: '2026-10-14T10:00:00', role: 'unit' },
      { action: 'callback', at: '2026-10-15T10:00:00', data: { satisfaction: 'unsatisfied' } },
      { action: 'resolve', at: '2026-10-20T10:00:00', role: 'unit' },
      { action: 'callback', at: '2026-10-21T10:00:00', data: { satisfaction: 'basicallySatisfied' } },
    ],
  });
  // A consultation answered at intake (no dispatch).
  await add({ name: 'T8', created: '2026-10-14T09:00:00', category: 'c21', unit: null, resolveDeadline: '2026-10-14T13:00:00', events: [{ action: 'resolve', at: '2026-10-14T09:10:00' }] });
  // Dispatched, signed for late, returned once, extension asked.
  await add({
    name: 'T9',
    created: '2026-10-15T09:00:00',
    acceptDeadline: '2026-10-15T10:00:00',
    acceptedAt: '2026-10-15T10:30:00',
    returns: 1,
    extension: '2026-10-16T09:00:00',
    events: [
      { action: 'dispatch', at: '2026-10-15T09:05:00' },
      { action: 'return', at: '2026-10-15T09:20:00' },
      { action: 'dispatch', at: '2026-10-15T09:40:00' },
      { action: 'accept', at: '2026-10-15T10:30:00' },
    ],
  });
  // First dispatched in September, dispatched again in October: not dispatched in October.
  await add({ name: 'T10', created: '2026-09-20T09:00:00', events: [{ action: 'dispatch', at: '2026-09-21T09:00:00' }, { action: 'dispatch', at: '2026-10-20T09:00:00' }] });
  await add({
    name: 'T11',
    created: '2026-10-16T09:00:00',
    events: [
      { action: 'supervise', at: '2026-10-20T09:00:00', data: { level: 1 } },
      { action: 'supervise', at: '2026-10-22T09:00:00', data: { level: 2 } },
    ],
  });
  await add({
    name: 'T12',
    created: '2026-09-10T09:00:00',
    events: [
      { action: 'supervise', at: '2026-09-30T09:00:00', data: { level: 4 } },
      { action: 'supervise', at: '2026-10-02T09:00:00', data: { level: 3 } },
    ],
  });
  await add({ name: 'T13', created: '2026-09-28T09:00:00', events: [{ action: 'resolve', at: '2026-10-31T23:59:59.999', role: 'unit' }] });
  await add({ name: 'T14', created: '2026-09-28T09:00:00', events: [{ action: 'resolve', at: '2026-11-01T00:00:00', role: 'unit' }] });
  await add({ name: 'T15', created: '2026-10-19T09:00:00', status: 'closed', unit: 'u2', events: [{ action: 'resolve', at: '2026-10-21T16:00:00', role: 'unit', unit: 'u2' }] });
});
afterAll(async () => {
  await f?.close();
});

describe('figures on hand-made tickets', () => {
  it('pins each definition: received, resolved, resolvedOnTime, callbacks, satisfied, acceptedInTime and the rest', async () => {
    const ov = await f.as('leader')('stats.overview', { period: OCT, compare: true });
    const fig = ov.figures;
    for (const [k, names] of Object.entries(EXPECTED) as Array<[TicketFigure, string[]]>) {
      if (EVENT_FIGURES.has(k)) continue;
      expect.soft(fig[k], k).toBe(names.length);
    }
    // Callbacks are events: T7 was called back twice.
    expect(fig.callbacks).toBe(3);
    expect(fig.satisfied).toBe(2);
    expect(fig.unsatisfied).toBe(1);
    expect(fig.onTimeRate).toBeCloseTo(6 / 7, 12);
    expect(fig.satisfactionRate).toBeCloseTo(2 / 3, 12);
    expect(fig.acceptedInTimeRate).toBeCloseTo(1 / 2, 12);
    expect(fig.resolutionRate).toBeCloseTo(1 / 7, 12);
    expect(fig.proactiveRate).toBeCloseTo(1 / 7, 12);
    expect(fig.repeatRate).toBeCloseTo(1 / 7, 12);
    expect(fig.returnRate).toBe(0.5);
    expect(fig.extensionRate).toBe(0.5);
    expect(fig.microInGridRate).toBe(1);
    expect(fig.instantAnswerRate).toBe(1);
    // 环比: September holds the tickets created then and T2's, T10's and T12's September events.
    expect(ov.previous!.period).toMatchObject({ from: '2026-09-01', to: '2026-10-01' });
    expect(ov.previous!.figures).toMatchObject({ received: 5, resolved: 0, dispatched: 2, supervised: 1, supervisedL4: 1 });
    expect(ov.lastYear!.period).toMatchObject({ from: '2025-10-01', to: '2025-11-01' });
    expect(ov.lastYear!.figures.received).toBe(0);
    expect(ov.lastYear!.figures.onTimeRate).toBeNull();
    // While October runs (15 October), it is compared with 1–15 September (同期): of September's
    // five tickets only T12 (10 September) was in by then.
    f.setNow(at('2026-10-15T12:00:00'));
    const running = await f.as('leader')('stats.overview', { period: OCT, compare: true });
    expect(running.previous!.period).toEqual({ kind: 'range', from: '2026-09-01', to: '2026-09-16' });
    expect(running.previous!.label).toBe('2026-09-01 至 2026-09-15（同期）');
    expect(running.previous!.figures.received).toBe(1);
    expect(running.lastYear!.period).toEqual({ kind: 'range', from: '2025-10-01', to: '2025-10-16' });
    f.setNow(at('2026-11-23T10:00:00'));
  });

  it('durations are working hours on the calendar (holidays and lunch excluded), median and mean', async () => {
    const ov = await f.as('leader')('stats.overview', { period: OCT, compare: false });
    const cal = new Calendar();
    const pairs: Array<[string, string]> = [
      ['2026-10-09T09:00:00', '2026-10-12T11:00:00'], // T1: Fri 9–18 (8h) + Sat 10-10 is a make-up working day (8h) + Mon 9–11 (2h)
      ['2026-09-30T23:59:59.999', '2026-10-01T00:00:00'], // T2: 0
      ['2026-10-15T09:00:00', '2026-10-15T11:30:00'], // T6: 2.5h
      ['2026-10-13T09:00:00', '2026-10-14T10:00:00'], // T7: 9h
      ['2026-10-14T09:00:00', '2026-10-14T09:10:00'], // T8: 10 min
      ['2026-09-28T09:00:00', '2026-10-31T23:59:59.999'], // T13
      ['2026-10-19T09:00:00', '2026-10-21T16:00:00'], // T15: 8 + 8 + 6 = 22h
    ];
    const mins = pairs.map(([a, b]) => cal.workingMinutesBetween(at(a), at(b)));
    expect(mins[0]).toBe(18 * 60);
    expect(mins[2]).toBe(150);
    expect(mins[6]).toBe(22 * 60);
    const sorted = [...mins].sort((a, b) => a - b);
    expect(ov.figures.resolveHoursMedian).toBeCloseTo(sorted[3]! / 60, 9);
    expect(ov.figures.resolveHoursMean).toBeCloseTo(mins.reduce((s, m) => s + m, 0) / mins.length / 60, 9);
  });

  it('the ticket list behind every figure holds exactly the tickets the figure counts', async () => {
    const leader = f.as('leader');
    const { from, to } = periodBounds(OCT);
    const ov = await leader('stats.overview', { period: OCT, compare: false });
    for (const k of TICKET_FIGURES) {
      const page = await leader('tickets.list', { startRow: 0, endRow: 1000, filter: { figure: k, periodFrom: from, periodTo: to } });
      const got = page.rows.map((r) => r.description.replace('测试工单 ', '')).sort();
      expect.soft(got, k).toEqual([...(EXPECTED[k] ?? [])].sort());
      if (!EVENT_FIGURES.has(k)) expect.soft(page.rows.length, k).toBe(ov.figures[k]);
    }
  });

  it('breaks down by unit with each row matching the list filtered by that unit', async () => {
    const leader = f.as('leader');
    const { from, to } = periodBounds(OCT);
    const b = await leader('stats.breakdown', { period: OCT, dimension: 'unit' });
    const u2 = b.rows.find((r) => r.key === 'u2')!;
    expect(u2.figures.received).toBe(1);
    expect(u2.figures.resolved).toBe(1);
    const none = b.rows.find((r) => r.key === null)!;
    expect(none.filter).toEqual({ missing: 'unit' });
    expect(none.figures.resolved).toBe(2); // T6, T8
    for (const row of b.rows)
      for (const k of ['received', 'resolved', 'resolvedOnTime', 'dispatched', 'acceptedInTime'] as const) {
        const page = await leader('tickets.list', { startRow: 0, endRow: 1000, filter: { ...row.filter, figure: k, periodFrom: from, periodTo: to } });
        expect.soft(page.rows.length, `${row.name} ${k}`).toBe(row.figures[k]);
      }
    const sum = b.rows.reduce((s, r) => s + r.figures.received, 0);
    expect(sum).toBe(7);
  });

  it('rolls grids up to communities and leaves up to top categories', async () => {
    const leader = f.as('leader');
    const com = await leader('stats.breakdown', { period: OCT, dimension: 'community' });
    expect(com.rows[0]).toMatchObject({ key: 'g2', name: '体育社区', filter: { gridId: 'g2' } });
    expect(com.rows[0]!.figures.received).toBe(7);
    const cat = await leader('stats.breakdown', { period: OCT, dimension: 'categoryTop' });
    expect(cat.rows.map((r) => [r.key, r.figures.received])).toEqual([
      ['c1', 6],
      ['c2', 1],
    ]);
  });

  it('is for leaders and operators only, and refuses a malformed period in Chinese', async () => {
    await expect(f.as('cg')('stats.overview', { period: OCT, compare: false })).rejects.toMatchObject({ code: 'forbiddenRole' });
    await expect(f.as('leader')('stats.overview', { period: { kind: 'range', from: '2026-10-31', to: '2026-10-01' }, compare: false })).rejects.toMatchObject({ message: expect.stringContaining('结束日期须晚于开始日期') });
    await expect(f.as('leader')('stats.overview', { period: { kind: 'range', from: '2026-02-30', to: '2026-03-01' }, compare: false })).rejects.toMatchObject({ message: expect.stringContaining('日期格式') });
  });

  it('exports a breakdown to Excel with numbers as numbers and dates as dates', async () => {
    const leader = f.as('leader');
    const file = await leader('stats.export', { period: OCT, table: 'overview' });
    expect(file.name).toMatch(/\.xlsx$/);
    // Every export is audited.
    const audited = await f.ctx.store.db.selectFrom('audit_log').select(['action', 'target', 'detail']).where('action', '=', 'export').where('target', '=', '统计分析').execute();
    expect(audited.map((a) => JSON.parse(a.detail))).toContainEqual(expect.objectContaining({ table: 'overview', from: OCT.from, to: OCT.to }));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(file.dataBase64, 'base64') as any);
    const ws = wb.worksheets[0]!;
    const header = ws.getRow(4).values as unknown[];
    const col = (name: string) => header.indexOf(name);
    const row = ws.getRow(5);
    expect(row.getCell(col('受理量')).value).toBe(7);
    expect(row.getCell(col('按时办结率')).value).toBeCloseTo(6 / 7, 12);
    expect(row.getCell(col('按时办结率')).numFmt).toBe('0.0%');
    expect(row.getCell(col('开始日期')).value).toBeInstanceOf(Date);
    expect((row.getCell(col('开始日期')).value as Date).toISOString().slice(0, 10)).toBe('2026-10-01');
  });

  it('on a street with no history: no first ticket, zero figures, null rates, a monthly report that says what will appear', async () => {
    const empty = await createFixture();
    try {
      const ov = await empty.as('leader')('stats.overview', { period: OCT, compare: true });
      expect(ov.firstTicketAt).toBeNull();
      expect(ov.figures.received).toBe(0);
      expect(ov.figures.onTimeRate).toBeNull();
      expect(ov.figures.resolveHoursMedian).toBeNull();
      const t = await empty.as('leader')('stats.trend', { period: OCT });
      expect(t.buckets).toHaveLength(31);
      expect(t.daily.days).toEqual([]);
      expect(t.buckets.some((b) => b.future)).toBe(false);
      // The fixture's clock is 2026-11-23 10:00 (Beijing): the days after it have not happened yet.
      const nov = await empty.as('leader')('stats.trend', { period: { kind: 'month', from: '2026-11-01', to: '2026-12-01' } });
      expect(nov.buckets.filter((b) => !b.future).map((b) => b.from).at(-1)).toBe('2026-11-23');
      expect(nov.buckets.filter((b) => b.future).map((b) => b.from)).toEqual(['2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27', '2026-11-28', '2026-11-29', '2026-11-30']);
      const file = await empty.as('leader')('stats.report', { month: '2026-10', format: 'xlsx' });
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(Buffer.from(file.dataBase64, 'base64') as any);
      const text = wb.getWorksheet('分析')!.getRow(2).getCell(1).value as string;
      expect(text).toContain('暂无工单记录');
    } finally {
      await empty.close();
    }
  });
});
