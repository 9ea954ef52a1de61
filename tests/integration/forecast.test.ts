// 按季施策 on hand-made tickets in a real SQLite file: weekly received counts per top-level
// category over complete CST weeks (cancelled and merged tickets left out, the running week not in
// the history), the forecast and its warning for a category with a season, "too little history"
// for a young one, and the API's roles.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixture, type Fixture } from '../support/fixture';
import { seasonalForecast } from '../../src/main/services/stats/forecast';
import { HORIZON_WEEKS, MIN_HISTORY_WEEKS } from '../../src/shared/stats/forecast';
import { addDays } from '../../src/shared/stats/period';

let f: Fixture;
let seq = 0;
// The fixture's clock: Monday 2026-11-23 10:00 CST. The last complete week starts 2026-11-16.
const LAST_WEEK = '2026-11-16';
const WEEKS = 80;
const FIRST_WEEK = addDays(LAST_WEEK, -7 * (WEEKS - 1));
/** c1 (市容环境): 1 ticket a week, 7 in weeks 30–33 of each 52 (counted from the first week). */
const season = (i: number) => (i % 52 >= 30 && i % 52 <= 33 ? 7 : 1);

async function ticket(category: string, createdCst: string, extra: { status?: string; mergedInto?: string } = {}) {
  const id = `t${++seq}`;
  const created = Date.parse(`${createdCst}+08:00`);
  await f.ctx.store.db
    .insertInto('tickets')
    .values({
      id, code: `JB${String(seq).padStart(6, '0')}`, channel: 'hotline12345', external_ref: null, reporter_name: null, reporter_phone: null,
      type: 'complaint', description: `测试 ${id}`, address: '体育路', lon: null, lat: null, grid_id: 'g3', category_id: category,
      ai_category_id: null, ai_confidence: null, ai_model_version: null, category_source: null, urgency: 'normal', is_micro: 0, is_cross_boundary: 0,
      status: extra.status ?? 'accepted', unit_id: 'u1', dispatch_mode: null, accept_deadline: null, resolve_deadline: null, supervision_level: 0,
      satisfaction: null, result: null, merged_into: extra.mergedInto ?? null, parent_id: null, reopen_count: 0, return_count: 0, created_by: null,
      created_at: created, updated_at: created, dispatched_at: null, accepted_at: null, resolved_at: null, closed_at: null, version: 1,
    })
    .execute();
  return id;
}

beforeAll(async () => {
  f = await createFixture();
  for (let i = 0; i < WEEKS; i++) {
    const monday = addDays(FIRST_WEEK, 7 * i);
    // Spread over the week, including Sunday 23:59 CST (still this week) and Monday 00:00.
    for (let k = 0; k < season(i); k++) await ticket('c11', `${addDays(monday, k % 7)}T${k === 0 ? '00:00:00' : '23:59:00'}`);
  }
  // Not received: cancelled, merged into another. Not history: this (running) week, and a day before the first whole week.
  const keep = await ticket('c11', `${addDays(LAST_WEEK, 2)}T09:00:00`);
  await ticket('c11', `${addDays(LAST_WEEK, 3)}T09:00:00`, { status: 'cancelled' });
  await ticket('c11', `${addDays(LAST_WEEK, 3)}T10:00:00`, { mergedInto: keep });
  await ticket('c11', '2026-11-23T08:00:00');
  // c2 (政策咨询): ten weeks only.
  for (let i = 0; i < 10; i++) await ticket('c21', `${addDays(LAST_WEEK, -7 * i + 1)}T10:00:00`);
  // The store's first ticket: a Wednesday, so its week is not complete and not counted.
  await ticket('c21', `${addDays(FIRST_WEEK, -5)}T10:00:00`);
});
afterAll(async () => f?.close());

describe('按季施策', () => {
  it('counts received tickets per complete CST week and top-level category', async () => {
    const r = await seasonalForecast(f.ctx);
    expect(r.weeks[0]).toBe(FIRST_WEEK);
    expect(r.weeks[r.weeks.length - 1]).toBe(LAST_WEEK);
    expect(r.weeks).toHaveLength(WEEKS);
    expect(r.forecastWeeks).toEqual(Array.from({ length: HORIZON_WEEKS }, (_, i) => addDays('2026-11-23', 7 * i)));
    const c1 = r.categories.find((c) => c.key === 'c1')!;
    expect(c1.name).toBe('市容环境');
    const expected = Array.from({ length: WEEKS }, (_, i) => season(i));
    expected[WEEKS - 1]! += 1; // the received one of the last week; the cancelled and merged ones are not
    expect(c1.start).toBe(0);
    expect(c1.history).toEqual(expected);
  });

  it('forecasts a category with enough history and warns of its season', async () => {
    const r = await seasonalForecast(f.ctx);
    const c1 = r.categories.find((c) => c.key === 'c1')!;
    expect(c1.forecast.status).toBe('ok');
    if (c1.forecast.status !== 'ok') return;
    // Week 80 … 87 of the series are 28 … 35 of its season: the peak is horizon 2–5.
    expect(c1.forecast.points.map((p) => Math.round(p.value))).toEqual(c1.forecast.method === 'seasonalNaive' ? [1, 1, 7, 7, 7, 7, 1, 1] : expect.any(Array));
    expect(c1.warning).not.toBeNull();
    expect(c1.warning!.weeks).toEqual(c1.forecast.riseWeeks.map((i) => r.forecastWeeks[i]));
    expect(c1.warning!.weeks).toContain(r.forecastWeeks[2]);
    expect(c1.warning!.seasons).toEqual(expect.arrayContaining(['供暖季']));
  });

  it('says when a category has too little history', async () => {
    const r = await seasonalForecast(f.ctx);
    const c2 = r.categories.find((c) => c.key === 'c2')!;
    expect(c2.forecast).toEqual({ status: 'tooLittle', weeks: 10, needed: MIN_HISTORY_WEEKS });
    expect(c2.history).toEqual(Array(10).fill(1));
    expect(c2.warning).toBeNull();
  });

  it('is for leaders and operators only, and takes no input', async () => {
    expect((await f.as('operator')('stats.forecast', {})).categories.length).toBe(2);
    await expect(f.as('cg')('stats.forecast', {})).rejects.toMatchObject({ code: 'forbiddenRole' });
    await expect(f.as('wangge')('stats.forecast', {})).rejects.toMatchObject({ code: 'forbiddenRole' });
    await expect(f.as('leader')('stats.forecast', { weeks: 9 } as never)).rejects.toBeTruthy();
  });
});
