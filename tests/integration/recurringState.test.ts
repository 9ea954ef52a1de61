// The kept 一批事 mining (src/main/services/recurring/miningState.ts) against a straightforward
// reference of the rule — every ticket of the window, oldest first, compared with the anchor of
// every earlier group of its leaf category, joining the first that matches — on a seeded demo
// street, then after random changes written straight to the store (new tickets, status and unit
// changes, a category given or changed, text and address edits, cancelled and merged tickets,
// deletions) and as the window slides forward, for the default, the grid and a text-off rule.
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/fixture';
import { openStore, type Store } from '../../src/main/db/store';
import { createContext } from '../../src/main/services/core/context';
import { silentLogger } from '../../src/main/services/core/log';
import { seedDemoStreet } from '../../src/main/demo/seed';
import { MiningStopped, Slicer, clusterTickets, setWindowPageRows } from '../../src/main/services/recurring/cluster';
import { KEPT_ROW_BUDGET, catchUpKeptStates, currentGroups, forgetMiningState, keptStates, setKeptRowBudget, warmMining } from '../../src/main/services/recurring/miningState';
import { mineRecurring } from '../../src/main/services/recurring/mining';
import { freezeLastMonth, monthlyRecurring } from '../../src/main/services/recurring/monthly';
import { DEFAULT_MINING, samePlaceProblem, textProfile, windowStart, type MiningParams } from '../../src/shared/recurring/rules';

const NOW = Date.parse('2026-11-23T10:30:00+08:00');
const DAY = 86_400_000;
let store: Store;
let now = NOW;
const ctx = () => createContext(store, { log: silentLogger, now: () => now });

interface RefRow {
  id: string;
  created_at: number;
  category_id: string;
  address: string;
  lon: number | null;
  lat: number | null;
  grid_id: string | null;
  description: string;
}

/** The rule, straightforwardly: groups as lists of ticket ids, in the order they started. */
async function reference(p: MiningParams, to: number): Promise<string[][]> {
  const rows = (
    await sql<RefRow>`SELECT id, created_at, category_id, address, lon, lat, grid_id, description FROM tickets
      WHERE created_at >= ${windowStart(to, p.windowDays)} AND created_at < ${to} AND category_id IS NOT NULL AND merged_into IS NULL AND status <> 'cancelled'`.execute(store.db)
  ).rows.sort((a, b) => a.created_at - b.created_at || (a.id < b.id ? -1 : 1));
  const groups: Array<{ anchor: RefRow & { text: ReturnType<typeof textProfile> }; ids: string[] }> = [];
  const problem = (r: RefRow) => ({ categoryId: r.category_id, address: r.address, lon: r.lon, lat: r.lat, gridId: r.grid_id, text: textProfile(r.description) });
  for (const r of rows) {
    const pr = problem(r);
    const g = groups.find((x) => x.anchor.category_id === r.category_id && samePlaceProblem(problem(x.anchor), pr, p));
    if (g) g.ids.push(r.id);
    else groups.push({ anchor: { ...r, text: pr.text }, ids: [r.id] });
  }
  return groups.map((g) => g.ids);
}

const PARAMS: MiningParams[] = [DEFAULT_MINING, { ...DEFAULT_MINING, place: 'grid' }, { ...DEFAULT_MINING, minSimilarity: 0, radiusM: 250, windowDays: 365 }];

async function expectSame(label: string) {
  for (const p of PARAMS) {
    const ref = await reference(p, now);
    const kept = (await currentGroups(ctx(), p, now)).groups.map((g) => g.members.map((m) => m.id));
    const straight = (await clusterTickets(ctx(), p, now)).groups.map((g) => g.members.map((m) => m.id));
    expect(kept, `${label} ${p.place}/${p.minSimilarity}: kept vs reference`).toEqual(ref);
    expect(straight, `${label} ${p.place}/${p.minSimilarity}: straight vs reference`).toEqual(ref);
  }
}

/** Turns of the event loop so far, counted by a timer re-armed every turn until stopped. */
function countTurns(): { n: () => number; stop: () => void } {
  let n = 0;
  let on = true;
  const tick = (): void => {
    n++;
    if (on) setImmediate(tick);
  };
  setImmediate(tick);
  return { n: () => n, stop: () => void (on = false) };
}

/** A small deterministic generator (mulberry32). */
function rng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

beforeAll(async () => {
  store = await openStore(path.join(tempDir(), 'street.sqlite'));
  await seedDemoStreet(store, { tickets: 1500, seed: 5, now: NOW });
}, 120_000);
afterAll(async () => {
  await store.close();
});

describe('kept recurring mining', () => {
  it('equals the reference on the demo street, and after random changes and a sliding window', async () => {
    await expectSame('seeded');
    const rand = rng(42);
    const pick = async () => (await sql<{ id: string }>`SELECT id FROM tickets ORDER BY id LIMIT 1 OFFSET ${Math.floor(rand() * 1400)}`.execute(store.db)).rows[0]!.id;
    const leaves = (await sql<{ id: string }>`SELECT id FROM catalog WHERE is_leaf = 1 ORDER BY id LIMIT 12`.execute(store.db)).rows.map((r) => r.id);
    let n = 0;
    for (let round = 0; round < 6; round++) {
      for (let k = 0; k < 12; k++) {
        const id = await pick();
        const what = Math.floor(rand() * 8);
        if (what === 0) {
          // A new ticket, copied from an existing one (same place and text), filed now or back-dated.
          const t = (await sql<Record<string, unknown>>`SELECT * FROM tickets WHERE id = ${id}`.execute(store.db)).rows[0]!;
          const created = rand() < 0.7 ? now - Math.floor(rand() * 3600_000) : now - Math.floor(rand() * 300 * DAY);
          await store.db.insertInto('tickets').values({ ...(t as any), id: `x-${++n}`, code: `X${String(n).padStart(8, '0')}`, created_at: created }).execute();
        } else if (what === 1) await sql`UPDATE tickets SET status = 'resolved', unit_id = NULL WHERE id = ${id}`.execute(store.db);
        else if (what === 2) await sql`UPDATE tickets SET category_id = ${leaves[Math.floor(rand() * leaves.length)]!} WHERE id = ${id}`.execute(store.db);
        else if (what === 3) await sql`UPDATE tickets SET description = description || '，又坏了' WHERE id = ${id}`.execute(store.db);
        else if (what === 4) await sql`UPDATE tickets SET address = address || '附近', lon = lon + 0.0004 WHERE id = ${id}`.execute(store.db);
        else if (what === 5) await sql`UPDATE tickets SET status = 'cancelled' WHERE id = ${id}`.execute(store.db);
        else if (what === 6) await sql`UPDATE tickets SET category_id = NULL WHERE id = ${id}`.execute(store.db);
        else {
          const into = await pick();
          if (into !== id) await sql`UPDATE tickets SET merged_into = ${into} WHERE id = ${id}`.execute(store.db);
        }
      }
      // The window slides: a few days to two months later.
      now += Math.floor(rand() * 60 * DAY) + 3 * DAY;
      await expectSame(`round ${round}`);
    }
    // Deleting tickets (a backup restored over it, a purge) is caught up too.
    await sql`DELETE FROM recurring_item_tickets`.execute(store.db);
    const gone = (await sql<{ id: string }>`SELECT id FROM tickets WHERE id LIKE 'x-%' LIMIT 3`.execute(store.db)).rows;
    for (const g of gone) await sql`DELETE FROM tickets WHERE id = ${g.id}`.execute(store.db);
    await expectSame('after deletes');
  }, 240_000);

  it('takes in only new changes, rebuilds after the log was pruned past it, answers a past window from the store, and keeps a report\'s fixed window', async () => {
    const c = ctx();
    await currentGroups(c, DEFAULT_MINING, now);
    // The log is pruned up to what every kept state took in.
    const left = Number((await sql<{ n: number }>`SELECT count(*) AS n FROM recurring_changes`.execute(store.db)).rows[0]!.n);
    expect(left).toBe(0);
    // A later change, then the log pruned past it behind the state's back (another process): rebuilt, still right.
    const id = (await sql<{ id: string }>`SELECT id FROM tickets WHERE status <> 'cancelled' AND category_id IS NOT NULL AND merged_into IS NULL ORDER BY created_at DESC LIMIT 1`.execute(store.db)).rows[0]!.id;
    await sql`UPDATE tickets SET description = '井盖松动破损，车一压就响' WHERE id = ${id}`.execute(store.db);
    await sql`DELETE FROM recurring_changes`.execute(store.db);
    await sql`INSERT INTO recurring_mining_meta (k, v) VALUES ('pruned', 1000000000) ON CONFLICT (k) DO UPDATE SET v = excluded.v`.execute(store.db);
    await expectSame('after prune');
    // A window ending a year ago: straight from the store, the kept state untouched.
    const past = now - 365 * DAY;
    const r = await currentGroups(c, DEFAULT_MINING, past);
    expect(r.groups.map((g) => g.members.map((m) => m.id))).toEqual(await reference(DEFAULT_MINING, past));
    expect(r.to).toBe(past);
    // The same window as a month's report asks for it (fixed end, kept beside the live state): built
    // once, then caught up — a ticket inside it edited, one cancelled — and still the reference.
    const kept = await currentGroups(c, DEFAULT_MINING, past, false);
    expect(kept.groups.map((g) => g.members.map((m) => m.id))).toEqual(await reference(DEFAULT_MINING, past));
    const inside = (await sql<{ id: string }>`SELECT id FROM tickets WHERE created_at < ${past} AND status <> 'cancelled' AND category_id IS NOT NULL AND merged_into IS NULL ORDER BY created_at DESC LIMIT 2`.execute(store.db)).rows;
    await sql`UPDATE tickets SET description = '路灯不亮，晚上走路看不见' WHERE id = ${inside[0]!.id}`.execute(store.db);
    await sql`UPDATE tickets SET status = 'cancelled' WHERE id = ${inside[1]!.id}`.execute(store.db);
    const again = await currentGroups(c, DEFAULT_MINING, past, false);
    expect(again.groups.map((g) => g.members.map((m) => m.id))).toEqual(await reference(DEFAULT_MINING, past));
    expect(again.scanned).toBe(kept.scanned - 1);
    expect(keptStates(store)).toEqual(expect.arrayContaining([expect.stringContaining(`@${past}`), expect.not.stringContaining('@')]));
    // The node's minute job catches the live states up (not the report's fixed window), building nothing new.
    const before = keptStates(store);
    expect(await catchUpKeptStates(c)).toBe(before.filter((k) => !k.includes('@')).length);
    expect(keptStates(store)).toEqual(before);
    forgetMiningState(store);
    expect(await catchUpKeptStates(c)).toBe(0);
    expect(keptStates(store)).toEqual([]);
    await currentGroups(c, DEFAULT_MINING, past, false);
    // Over the row budget (a large street: ~1.8 KB of heap per kept ticket) only the state just
    // used is kept; the other is rebuilt when next asked for, and is still right.
    setKeptRowBudget(kept.scanned + 1);
    try {
      const past2 = past - 30 * DAY;
      const other = await currentGroups(c, DEFAULT_MINING, past2, false);
      expect(keptStates(store)).toEqual([expect.stringContaining(`@${past2}`)]);
      expect(other.groups.map((g) => g.members.map((m) => m.id))).toEqual(await reference(DEFAULT_MINING, past2));
      const live = await currentGroups(c, DEFAULT_MINING, now);
      expect(keptStates(store)).toHaveLength(1);
      expect(keptStates(store)[0]).not.toContain('@');
      expect(live.groups.map((g) => g.members.map((m) => m.id))).toEqual(await reference(DEFAULT_MINING, now));
    } finally {
      setKeptRowBudget(KEPT_ROW_BUDGET);
    }
    // The whole result (words, classes) is the same kept or built afresh.
    const a = await mineRecurring(c, DEFAULT_MINING);
    forgetMiningState(store);
    const b = await mineRecurring(c, DEFAULT_MINING);
    const strip = (x: typeof a) => ({ ...x, tookMs: 0, batches: x.batches.length });
    expect(strip(a)).toEqual(strip(b));
    expect(a.groupCount).toBeGreaterThan(0);
    // The listed groups' output is kept while nothing it reads changed, and follows a change made
    // in place (a member's status, patched without re-clustering) and a unit renamed.
    expect((await mineRecurring(c, DEFAULT_MINING)).groups).toBe((await mineRecurring(c, DEFAULT_MINING)).groups);
    const g0 = b.groups.find((g) => g.units.length > 0)!;
    const member = g0.ticketIds[g0.ticketIds.length - 1]!;
    await sql`UPDATE tickets SET status = CASE WHEN status = 'closed' THEN 'dispatched' ELSE 'closed' END WHERE id = ${member}`.execute(store.db);
    const c1 = await mineRecurring(c, DEFAULT_MINING);
    forgetMiningState(store);
    const c2 = await mineRecurring(c, DEFAULT_MINING);
    expect(strip(c1)).toEqual(strip(c2));
    expect(c1.groups.find((g) => g.key === g0.key)!.open).not.toBe(g0.open);
    await sql`UPDATE units SET name = name || '（改名）' WHERE id = ${g0.units[0]!.unitId}`.execute(store.db);
    const after = (await mineRecurring(c, DEFAULT_MINING)).groups.find((g) => g.key === g0.key)!;
    expect(after.units.map((u) => u.name)).toContain(`${g0.units[0]!.name}（改名）`);
  }, 120_000);
  it('reads the window a page at a time and gives the thread to other work between slices, one run at a time per store', async () => {
    const c = ctx();
    const ids = (x: { groups: Array<{ members: Array<{ id: string }> }> }) => x.groups.map((g) => g.members.map((m) => m.id));
    const ref = await reference(DEFAULT_MINING, now);
    setWindowPageRows(37);
    try {
      // Straight, pausing after every row: the same groups, and other work ran in between.
      const slicer = new Slicer(0);
      const straight = await clusterTickets(c, DEFAULT_MINING, now, slicer);
      expect(ids(straight)).toEqual(ref);
      expect(slicer.turns).toBe(straight.scanned);
      // A build while a timer ticks: the timer runs during the build (pages and slices), and the
      // kept state is the reference's.
      forgetMiningState(store);
      const turns = countTurns();
      const built = currentGroups(c, DEFAULT_MINING, now);
      // A second view asked for while the first builds waits for it and reuses what it kept.
      const second = currentGroups(c, DEFAULT_MINING, null);
      const [a, b] = await Promise.all([built, second]);
      turns.stop();
      expect(turns.n()).toBeGreaterThan(Math.floor(a.scanned / 37));
      expect(ids(a)).toEqual(ref);
      expect(b.groups).toBe(a.groups);
      expect(keptStates(store)).toHaveLength(1);
      // The node closing stops a build between pages: nothing half-built is kept, and the next view builds afresh.
      forgetMiningState(store);
      await expect(currentGroups(c, DEFAULT_MINING, now, true, () => true)).rejects.toBeInstanceOf(MiningStopped);
      expect(keptStates(store)).toEqual([]);
      expect(ids(await currentGroups(c, DEFAULT_MINING, now))).toEqual(ref);
    } finally {
      setWindowPageRows(5_000);
    }
  }, 120_000);
  it('a view builds its output in its own turn: the next run of the store starts after it has finished', async () => {
    forgetMiningState(store);
    // Turns of the event loop: the view's output reads the store (several turns), so a run let in
    // after the clustering alone would start turns before the view ends.
    const turns = countTurns();
    // The next run takes its window's end (now) when its turn starts: that is what is watched.
    let nextStartedAt: number | null = null;
    const watched = createContext(store, { log: silentLogger, now: () => ((nextStartedAt ??= turns.n()), now) });
    nextStartedAt = null;
    let viewDoneAt = -1;
    const view = mineRecurring(ctx(), DEFAULT_MINING).then((r) => ((viewDoneAt = turns.n()), r));
    const next = currentGroups(watched, DEFAULT_MINING, null);
    const [r] = await Promise.all([view, next]);
    turns.stop();
    expect(r.groups.length).toBeGreaterThan(0);
    expect(viewDoneAt).toBeGreaterThan(0);
    expect(nextStartedAt).toBeGreaterThanOrEqual(viewDoneAt);
  }, 120_000);
  it('the warm-up builds the live window; last month\'s report section is mined once, frozen, and read from the freeze after', async () => {
    const saved = now;
    try {
      forgetMiningState(store);
      await sql`DELETE FROM recurring_month_freezes`.execute(store.db);
      now = Date.parse('2026-12-07T23:00:00+08:00');
      const live = await warmMining(ctx(), () => false);
      expect(live).toBeGreaterThan(0);
      expect(keptStates(store)).toEqual([expect.not.stringContaining('@')]);
      // November, mined to its end: what a fresh straight mining of that window gives.
      const from = Date.parse('2026-11-01T00:00:00+08:00');
      const monthEnd = Date.parse('2026-12-01T00:00:00+08:00');
      const straight = await mineRecurring(ctx(), DEFAULT_MINING, { to: monthEnd, activeIn: [from, monthEnd] });
      forgetMiningState(store);
      await warmMining(ctx(), () => false);
      // A stopped freeze keeps nothing.
      await expect(freezeLastMonth(ctx(), () => true)).rejects.toBeInstanceOf(MiningStopped);
      expect(await sql`SELECT month FROM recurring_month_freezes`.execute(store.db)).toMatchObject({ rows: [] });
      expect(await freezeLastMonth(ctx(), () => false)).toBe('2026-11');
      expect(await freezeLastMonth(ctx(), () => false)).toBeNull();
      // The fixed window is dropped once frozen: only the live state stays in memory.
      expect(keptStates(store)).toEqual([expect.not.stringContaining('@')]);
      const frozen = await monthlyRecurring(ctx(), from, monthEnd);
      expect(frozen.frozen).toBe(true);
      expect(frozen.minedAt).toBe(now);
      expect(frozen.groupCount).toBe(straight.groupCount);
      expect(frozen.groups.length).toBeGreaterThan(0);
      const listed = new Set(straight.groups.map((g) => g.key));
      for (const g of frozen.groups) expect(listed.has(g.key), g.key).toBe(true);
      // Reading the freeze mines nothing.
      expect(keptStates(store)).toEqual([expect.not.stringContaining('@')]);
      // A later correction (the month's listed group's tickets cancelled) does not change the frozen section.
      const top = straight.groups.find((g) => g.key === frozen.groups[0]!.key)!;
      await sql`UPDATE tickets SET status = 'cancelled' WHERE id IN (${sql.join(top.ticketIds)})`.execute(store.db);
      const again = await monthlyRecurring(ctx(), from, monthEnd);
      expect(again.groups).toEqual(frozen.groups);
      expect(again.groupCount).toBe(frozen.groupCount);
      const recomputed = await mineRecurring(ctx(), DEFAULT_MINING, { to: monthEnd, activeIn: [from, monthEnd] });
      expect(recomputed.groups.map((g) => g.key)).not.toContain(top.key);
      // A month whose window holds no ticket is not frozen (nothing to keep; it costs nothing to mine).
      const empty = await openStore(path.join(tempDir(), 'empty.sqlite'));
      try {
        expect(await freezeLastMonth(createContext(empty, { log: silentLogger, now: () => now }), () => false)).toBeNull();
        expect(await sql`SELECT month FROM recurring_month_freezes`.execute(empty.db)).toMatchObject({ rows: [] });
      } finally {
        await empty.close();
      }
    } finally {
      now = saved;
      forgetMiningState(store);
    }
  }, 120_000);
});
