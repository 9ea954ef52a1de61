// The trend's buckets on hand-made tickets at their edges in a real SQLite file: received per
// day / week / month bucket and per channel and top-level category, and the calendar's days, all
// counted by integer arithmetic on CST day numbers and bucket bounds (no SQLite date function).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixture, type Fixture } from '../support/fixture';
import { trend } from '../../src/main/services/stats/queries';

let f: Fixture;
let seq = 0;
async function ticket(createdCst: string, o: { channel?: string; category?: string; status?: string } = {}) {
  const id = `t${++seq}`;
  // A fraction of a millisecond, as the demo seeder stores some times.
  const created = Date.parse(`${createdCst}+08:00`) + (seq % 2 ? 0.25 : 0);
  await f.ctx.store.db
    .insertInto('tickets')
    .values({
      id, code: `JB${String(seq).padStart(6, '0')}`, channel: o.channel ?? 'hotline12345', external_ref: null, reporter_name: null, reporter_phone: null,
      type: 'complaint', description: `测试 ${id}`, address: '体育路', lon: null, lat: null, grid_id: 'g3', category_id: o.category ?? 'c11',
      ai_category_id: null, ai_confidence: null, ai_model_version: null, category_source: null, urgency: 'normal', is_micro: 0, is_cross_boundary: 0,
      status: o.status ?? 'accepted', unit_id: 'u1', dispatch_mode: null, accept_deadline: null, resolve_deadline: null, supervision_level: 0,
      satisfaction: null, result: null, merged_into: null, parent_id: null, reopen_count: 0, return_count: 0, created_by: null,
      created_at: created, updated_at: created, dispatched_at: null, accepted_at: null, resolved_at: null, closed_at: null, version: 1,
    })
    .execute();
}

beforeAll(async () => {
  f = await createFixture();
  await ticket('2026-09-30T23:59:59'); // September (Wednesday)
  await ticket('2026-10-01T00:00:00'); // October, Thursday
  await ticket('2026-10-04T23:59:59', { channel: 'gridPatrol' }); // Sunday: still the week of 28 Sep
  await ticket('2026-10-05T00:00:00', { channel: 'gridPatrol', category: 'c21' }); // Monday: a new week
  await ticket('2026-10-05T12:00:00', { status: 'cancelled' }); // not received
  await ticket('2026-10-31T23:59:59'); // October
  await ticket('2026-11-01T00:00:00', { category: 'c21' }); // November
});
afterAll(async () => f?.close());

const sum = (a: number[]) => a.reduce((s, x) => s + x, 0);

describe('trend buckets', () => {
  it('by day', async () => {
    const t = await trend(f.ctx, { kind: 'range', from: '2026-09-30', to: '2026-10-06' });
    expect(t.granularity).toBe('day');
    expect(t.buckets.map((b) => b.figures.received)).toEqual([1, 1, 0, 0, 1, 1]);
    const ch = Object.fromEntries(t.byChannel.map((c) => [c.key, c.counts]));
    expect(ch).toEqual({ hotline12345: [1, 1, 0, 0, 0, 0], gridPatrol: [0, 0, 0, 0, 1, 1] });
    const cat = Object.fromEntries(t.byCategory.map((c) => [c.key, c.counts]));
    expect(cat).toEqual({ c1: [1, 1, 0, 0, 1, 0], c2: [0, 0, 0, 0, 0, 1] });
    expect(t.daily.days).toEqual([['2026-09-30', 1], ['2026-10-01', 1], ['2026-10-04', 1], ['2026-10-05', 1], ['2026-10-31', 1], ['2026-11-01', 1]]);
  });

  it('by week, the first bucket starting mid-week', async () => {
    const t = await trend(f.ctx, { kind: 'range', from: '2026-09-30', to: '2027-02-01' });
    expect(t.granularity).toBe('week');
    expect(t.buckets[0]).toMatchObject({ from: '2026-09-30', to: '2026-10-05' });
    const ch = Object.fromEntries(t.byChannel.map((c) => [c.key, c.counts]));
    expect(ch.hotline12345!.slice(0, 6)).toEqual([2, 0, 0, 0, 2, 0]); // 30 Sep + 1 Oct; 31 Oct (Sat) and 1 Nov (Sun) in the week of 26 Oct
    expect(ch.gridPatrol!.slice(0, 2)).toEqual([1, 1]);
    expect(sum(t.byCategory.find((c) => c.key === 'c2')!.counts)).toBe(2);
    expect(t.buckets.map((b) => b.figures.received)).toEqual(t.buckets.map((_, i) => sum(t.byChannel.map((c) => c.counts[i]!))));
  });

  it('by month', async () => {
    const t = await trend(f.ctx, { kind: 'range', from: '2026-09-01', to: '2027-06-01' });
    expect(t.granularity).toBe('month');
    const total = t.buckets.map((_, i) => sum(t.byChannel.map((c) => c.counts[i]!)));
    expect(total.slice(0, 3)).toEqual([1, 4, 1]);
    expect(t.buckets.map((b) => b.figures.received).slice(0, 3)).toEqual([1, 4, 1]);
  });
});
