// 一批事 mining on hand-made tickets in a real store (filed through the API at chosen times): what
// groups and what must not — the same place with another category, the same category far away,
// outside the window, a burst within a week, a different complaint at the same place.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFixture, type Fixture } from '../support/fixture';
import { mineRecurring } from '../../src/main/services/recurring/mining';
import { DEFAULT_MINING } from '../../src/shared/recurring/rules';

const NOW = Date.parse('2026-11-23T10:00:00+08:00');
const DAY = 86_400_000;
let f: Fixture;

/** Files a ticket as the operator `daysAgo` days before NOW. */
async function file(daysAgo: number, o: { categoryId: string; description: string; address: string; lon?: number; lat?: number }): Promise<string> {
  f.setNow(NOW - daysAgo * DAY);
  const t = await f.as('operator')('tickets.create', { channel: 'hotline12345', type: 'complaint', ...o });
  return t.ticket.id;
}

// P: the place of the recurring manhole problem; FAR: ~400 m away in the same grid.
const P = { lon: 113.662, lat: 34.772 };
const NEAR = { lon: 113.6624, lat: 34.7723 }; // ~45 m from P
const FAR = { lon: 113.6648, lat: 34.7748 };

beforeEach(async () => {
  f = await createFixture();
});
afterEach(async () => {
  await f.close();
});

describe('recurring-problem mining (一批事)', () => {
  it('groups the same problem at the same place over weeks, and nothing else', async () => {
    const manhole = [
      await file(200, { categoryId: 'c12', description: '经八路12号门口井盖松动破损，晚上有人差点踩空', address: '经八路12号', ...P }),
      await file(120, { categoryId: 'c12', description: '经八路12号井盖又松动了，很危险', address: '经八路12号门口', ...NEAR }),
      // No point: the normalised address (门口 dropped, spaces) places it.
      await file(60, { categoryId: 'c12', description: '经八路12号的井盖松动破损一直没修，有人踩空', address: '经八路 12 号' }),
      await file(10, { categoryId: 'c12', description: '井盖破损，经八路12号门口，请尽快修复', address: '经八路12号', ...P }),
    ];
    // Same place, another category: its own group.
    const rubbish = [
      await file(150, { categoryId: 'c11', description: '经八路12号门口暴露垃圾堆了好几天', address: '经八路12号', ...P }),
      await file(90, { categoryId: 'c11', description: '经八路12号门口又有暴露垃圾没人清', address: '经八路12号', ...P }),
      await file(30, { categoryId: 'c11', description: '经八路12号门口暴露垃圾，气味很大', address: '经八路12号', ...P }),
    ];
    // Same category far away (different address, ~400 m).
    const far = await file(50, { categoryId: 'c12', description: '经八路88号井盖破损，有人差点踩空', address: '经八路88号', ...FAR });
    // Same category and place, outside the two-year window.
    const old = await file(800, { categoryId: 'c12', description: '经八路12号门口井盖破损，有人差点踩空', address: '经八路12号', ...P });
    // Same category and place, a different complaint altogether (text unlike the anchor's).
    const other = await file(40, { categoryId: 'c12', description: '请问小区物业费收费标准是多少', address: '经八路12号', ...P });
    // Three within two days at one place: a burst, not a 批量问题.
    for (const d of [5, 4, 4]) await file(d, { categoryId: 'c14', description: '经八路20号墙上贴满非法小广告', address: '经八路20号', lon: 113.661, lat: 34.771 });
    f.setNow(NOW);

    const r = await mineRecurring(f.ctx, DEFAULT_MINING);
    expect(r.groupCount).toBe(2);
    const byCat = new Map(r.groups.map((g) => [g.categoryId, g]));
    const m = byCat.get('c12')!;
    expect(new Set(m.ticketIds)).toEqual(new Set(manhole));
    for (const id of [far, old, other]) expect(m.ticketIds).not.toContain(id);
    expect(m).toMatchObject({ count: 4, categoryPath: '市容环境/井盖破损', place: '经八路12号', spanDays: 190, communityName: '体育社区', gridName: '体育社区第一网格' });
    expect(m.trend.reduce((a, b) => a + b, 0)).toBe(4);
    expect(m.trend).toHaveLength(r.months.length);
    expect(r.months[r.months.length - 1]).toBe('2026-11');
    expect(m.points).toHaveLength(3);
    expect(m.open).toBe(4);
    expect(new Set(byCat.get('c11')!.ticketIds)).toEqual(new Set(rubbish));
    expect(byCat.has('c14')).toBe(false);
    // Root-cause words come from the descriptions, never the category's own name or generic words.
    expect(m.words).not.toContain('井盖');
    expect(m.words).not.toContain('八路');
    expect(m.words).toContain('松动');

    // A week-long burst counts once the span rule allows it; two years back the old ticket is out,
    // three years back it is in.
    expect((await mineRecurring(f.ctx, { ...DEFAULT_MINING, minSpanDays: 0 })).groups.some((g) => g.categoryId === 'c14')).toBe(true);
    const wide = await mineRecurring(f.ctx, { ...DEFAULT_MINING, windowDays: 1095 });
    expect(wide.groups.find((g) => g.categoryId === 'c12')!.ticketIds).toContain(old);
    // Text off: the unrelated complaint at the place joins; the far one still does not.
    const noText = await mineRecurring(f.ctx, { ...DEFAULT_MINING, minSimilarity: 0 });
    const nt = noText.groups.find((g) => g.categoryId === 'c12')!;
    expect(nt.ticketIds).toContain(other);
    expect(nt.ticketIds).not.toContain(far);
    // Grid mode: the far ticket is in the same grid (网格) and joins.
    const grid = await mineRecurring(f.ctx, { ...DEFAULT_MINING, place: 'grid' });
    expect(grid.groups.find((g) => g.categoryId === 'c12')!.ticketIds).toContain(far);
    // A wider radius takes the far point in too; a narrower one splits nothing here (address).
    expect((await mineRecurring(f.ctx, { ...DEFAULT_MINING, radiusM: 600 })).groups.find((g) => g.categoryId === 'c12')!.ticketIds).toContain(far);
  });

  it('a street with no history finds nothing and says when its history starts', async () => {
    const r = await mineRecurring(f.ctx, DEFAULT_MINING);
    expect(r).toMatchObject({ scanned: 0, groupCount: 0, groups: [], classes: [], firstTicketAt: null });
  });

  it('一类事: the same category and root-cause word at different places', async () => {
    const places = [
      { address: '经八路12号', lon: 113.661, lat: 34.771 },
      { address: '纬一路5号', lon: 113.6645, lat: 34.7745 },
    ];
    for (const p of places) for (const d of [100, 60, 20]) await file(d, { categoryId: 'c12', description: `${p.address}井盖被渣土车压坏，路面塌陷`, ...p });
    f.setNow(NOW);
    const r = await mineRecurring(f.ctx, DEFAULT_MINING);
    expect(r.groupCount).toBe(2);
    const c = r.classes.find((x) => x.words.includes('渣土'));
    expect(c).toBeDefined();
    expect(new Set(c!.places)).toEqual(new Set(['经八路12号', '纬一路5号']));
    expect(c!.tickets).toBe(6);
  });
});
