// 统计分析 at scale: a month's and a year's figures, the breakdowns by unit, community and grid (the
// 网格地图 tab; month and year), the trend (month and year), the 按季施策 forecast, the 三维评价
// ranking of a month (each screen warm, cold and after a change: see below), the daily roll-ups against counting from the tickets, the monthly PDF end to end, and the indexed first-resolve counting against a scan of the timeline that finds
// each ticket's first resolve event (the way it would be counted without migration 9), same run.
//   npm run bench -- analytics [--db STORE] [--tickets N] [--month YYYY-MM] [--only recurring | --only report | --skip recurring]
// stats.recurring: the 一批事 mining over the two years up to the store's newest ticket (default
// parameters, src/shared/recurring/rules.ts), with how many tickets it read and groups it found.
// Without --db the store is the store part's bench/.data/store-N.sqlite (or under BENCH_DATA_DIR), built once.
import fs from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { sql } from 'kysely';
import { openStore } from '../src/main/db/store';
import { createContext } from '../src/main/services/core/context';
import { silentLogger } from '../src/main/services/core/log';
import { breakdown, overview, periodFigures, trend } from '../src/main/services/stats/queries';
import { buildMonthlyReport, reportHtml } from '../src/main/services/stats/report';
import { htmlToPdf } from '../src/main/services/stats/pdf';
import { countFigures } from '../src/main/services/stats/counts';
import { freezeMonth, rankingView } from '../src/main/services/stats/ranking';
import { seasonalForecast } from '../src/main/services/stats/forecast';
import { addMonths, periodBounds, type Period } from '../src/shared/stats/period';
import { mineRecurring } from '../src/main/services/recurring/mining';
import { forgetMiningState } from '../src/main/services/recurring/miningState';
import { forgetKeptParts } from '../src/main/services/stats/keptParts';
import { WARM_MONTHS, warmStatistics } from '../src/main/services/stats/warmUp';
import { DEFAULT_MINING } from '../src/shared/recurring/rules';
import { argValue, emit, progress, summary, timeRuns } from './stats';
import { ensureBenchStore } from './store';

/** Epoch ms `n` CST months from the CST month start `t`. */
const addMonthsMs = (t: number, n: number) => {
  const d = new Date(t + 8 * 3600_000);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n, 1) - 8 * 3600_000;
};

export async function benchAnalytics(args: string[]): Promise<void> {
  const n = Number(argValue(args, '--tickets') ?? 1_000_000);
  // Without --db: the store part's cached demo store (bench/.data or BENCH_DATA_DIR, built once).
  const file = argValue(args, '--db') ?? (await ensureBenchStore(n));
  const store = await openStore(file);
  const ctx = createContext(store, { log: silentLogger });
  const db = store.db;
  const total = Number((await sql<{ n: number }>`SELECT count(*) AS n FROM tickets`.execute(db)).rows[0]!.n);
  const last = (await sql<{ t: number }>`SELECT max(created_at) AS t FROM tickets`.execute(db)).rows[0]!.t;
  // The last complete month before the store's newest ticket, and the twelve months up to it.
  const newest = new Date(last + 8 * 3600_000).toISOString().slice(0, 7);
  const monthStr = argValue(args, '--month') ?? addMonths(`${newest}-01`, -1).slice(0, 7);
  const month: Period = { kind: 'month', from: `${monthStr}-01`, to: addMonths(`${monthStr}-01`, 1) };
  const year: Period = { kind: 'range', from: addMonths(month.to, -12), to: month.to };
  progress(`store ${file}: ${total} tickets; month ${month.from}, year ${year.from}…${year.to}`);

  // 一批事: the mining as of just after the newest ticket (the bench store's history ends there).
  // cold: built from the store (the first view after a start); stats.recurring: the screen, the kept
  // state caught up (nothing changed); after_change, slide_1h and slide_1d: below. (--skip
  // recurring leaves it out: on 1,000,000 tickets the cold build takes over a minute.)
  if (argValue(args, '--only') === 'report') {
    await monthlyReport();
    await store.close();
    return;
  }
  if (argValue(args, '--skip') !== 'recurring') {
    let now = last + 1;
    const mctx = createContext(store, { log: silentLogger, now: () => now });
    const only = argValue(args, '--only') === 'recurring';
    // loop_max_ms: the longest the node's thread was held at a stretch (other requests wait that long).
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    const cold = summary(await timeRuns(total > 500_000 ? 1 : only ? 3 : 2, () => (forgetMiningState(store), mineRecurring(mctx, DEFAULT_MINING)), 0));
    loop.disable();
    const first = await mineRecurring(mctx, DEFAULT_MINING);
    emit({ name: 'stats.recurring.cold', n: total, window_days: DEFAULT_MINING.windowDays, scanned: first.scanned, groups: first.groupCount, ...cold, loop_max_ms: Math.round(loop.max / 1e6) });
    const runs = summary(await timeRuns(only ? 10 : 5, () => mineRecurring(mctx, DEFAULT_MINING)));
    emit({ name: 'stats.recurring', n: total, window_days: DEFAULT_MINING.windowDays, scanned: first.scanned, groups: first.groupCount, classes: first.classes.length, ...runs });
    // after_change: a listed group's member changes status before each view (patched in place: the
    // listed groups' output is rebuilt, the clustering is not).
    const member = first.groups[0]?.ticketIds[0];
    if (member) {
      const times: number[] = [];
      for (let i = 0; i < 5; i++) {
        await sql`UPDATE tickets SET status = CASE WHEN status = 'closed' THEN 'verified' ELSE 'closed' END WHERE id = ${member}`.execute(db);
        const t0 = process.hrtime.bigint();
        await mineRecurring(mctx, DEFAULT_MINING);
        times.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
      emit({ name: 'stats.recurring.after_change', n: total, ...summary(times.sort((a, b) => a - b)), heap_mb: Math.round(process.memoryUsage().heapUsed / 1048576) });
    }
    // slide_1h: an hour later each run (the window's start moves at China-time midnight only, so
    // most hours re-cluster nothing); slide_1d: a day later each run (the once-a-day re-clustering
    // for the tickets that left the window).
    const slide = summary(await timeRuns(only ? 10 : 5, () => ((now += 3600_000), mineRecurring(mctx, DEFAULT_MINING))));
    loop.reset();
    loop.enable();
    const slideDay = summary(await timeRuns(3, () => ((now += 86_400_000), mineRecurring(mctx, DEFAULT_MINING)), 0));
    loop.disable();
    emit({ name: 'stats.recurring.slide_1d', n: total, ...slideDay, loop_max_ms: Math.round(loop.max / 1e6) });
    emit({ name: 'stats.recurring.slide_1h', n: total, ...slide });
    if (only) {
      await store.close();
      return;
    }
  }

  // Working-hour durations are computed once per resolved ticket and kept: do that first.
  const t0 = Date.now();
  await periodFigures(ctx, { kind: 'range', from: '2000-01-01', to: '2099-01-01' });
  emit({ name: 'stats.durations.backfill', n: total, ms: Date.now() - t0 });

  // Each screen: warm (its whole months kept from an earlier view: p50/p95 after two untimed
  // views), .cold (nothing kept: the first view after a start, 3 runs) and, for the year-long ones,
  // .after_change (one ticket resolved in the year's last month changed before each view, as a
  // working street does: that month is recomputed, the other eleven are kept).
  const yb = periodBounds(year);
  const probe = (await sql<{ id: string; micro: number }>`SELECT id, is_micro AS micro FROM tickets
    WHERE first_resolve_at >= ${addMonthsMs(yb.to, -1)} AND first_resolve_at < ${yb.to} LIMIT 1`.execute(db)).rows[0];
  const screen = async (name: string, extra: Record<string, unknown>, runs: number, fn: () => Promise<unknown>, yearLong = false) => {
    emit({ name, n: total, ...extra, ...summary(await timeRuns(runs, fn)) });
    emit({ name: `${name}.cold`, n: total, ...extra, ...summary(await timeRuns(3, () => (forgetKeptParts(store), fn()), 0)) });
    if (!yearLong || !probe) return;
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      await sql`UPDATE tickets SET is_micro = 1 - is_micro WHERE id = ${probe.id}`.execute(db);
      const t0 = process.hrtime.bigint();
      await fn();
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    await sql`UPDATE tickets SET is_micro = ${probe.micro} WHERE id = ${probe.id}`.execute(db);
    emit({ name: `${name}.after_change`, n: total, ...extra, ...summary(times.sort((a, b) => a - b)) });
  };
  await screen('stats.overview.month', {}, 15, () => periodFigures(ctx, month));
  await screen('stats.overview.month_compare', {}, 10, () => overview(ctx, month, true));
  await screen('stats.overview.year', {}, 8, () => periodFigures(ctx, year), true);
  await screen('stats.by_unit', { period: 'month' }, 10, () => breakdown(ctx, month, 'unit'));
  await screen('stats.by_community', { period: 'month' }, 10, () => breakdown(ctx, month, 'community'));
  await screen('stats.trend.month', {}, 10, () => trend(ctx, month));
  // The 网格地图 tab (breakdown by grid and by community) and the trend over a year; 按季施策.
  await screen('stats.by_grid', { period: 'month' }, 10, () => breakdown(ctx, month, 'grid'));
  await screen('stats.by_grid', { period: 'year' }, 8, () => breakdown(ctx, year, 'grid'), true);
  await screen('stats.by_community', { period: 'year' }, 8, () => breakdown(ctx, year, 'community'), true);
  await screen('stats.by_category', { period: 'year' }, 8, () => breakdown(ctx, year, 'category'), true);
  await screen('stats.trend.year', {}, 8, () => trend(ctx, year), true);
  await screen('stats.forecast', {}, 8, () => seasonalForecast(ctx), true);

  // The node's background warm-up after a start (24 past months of every kept part, src/main/services/stats/warmUp.ts).
  forgetKeptParts(store);
  const tw = Date.now();
  const steps = await warmStatistics(ctx, () => false);
  emit({ name: 'stats.warmup', n: total, months: WARM_MONTHS, steps, ms: Date.now() - tw, heap_mb: Math.round(process.memoryUsage().heapUsed / 1048576) });

  // The rankings: a month's 三维评价 of units (frozen once, then frozen rows + today's recount).
  const leader = { id: 'bench', username: 'bench', displayName: 'bench', role: 'leader' as const, unitId: null, unitName: null };
  const tf = Date.now();
  for (const k of ['unit', 'community', 'grid'] as const) await freezeMonth(ctx, monthStr, k).catch(() => false);
  emit({ name: 'stats.ranking.freeze', n: total, ms: Date.now() - tf });
  emit({ name: 'stats.ranking.month', n: total, kind: 'unit', ...summary(await timeRuns(10, () => rankingView(ctx, leader, monthStr, 'unit'))) });
  emit({ name: 'stats.ranking.month', n: total, kind: 'grid', ...summary(await timeRuns(5, () => rankingView(ctx, leader, monthStr, 'grid'))) });

  // ratio_vs_scan of the daily roll-ups: a year's ticket-anchored counts (whole street and by
  // unit) from stats_daily vs. counted from the tickets' period indexes; both must agree. The
  // roll-ups alone: no part is kept between runs.
  {
    for (const g of [{ kind: 'all' }, { kind: 'column', column: 'unit_id' }] as const) {
      const rolled = await countFigures(ctx, yb.from, yb.to, g);
      const scanned = await countFigures(ctx, yb.from, yb.to, g, { scan: true });
      const norm = (m: Map<string | null, unknown>) => JSON.stringify([...m].map(([k, v]) => [String(k), v]).sort());
      if (norm(rolled) !== norm(scanned)) throw new Error(`roll-ups disagree with the recount for ${JSON.stringify(g)}`);
      const tr = summary(await timeRuns(8, () => (forgetKeptParts(store), countFigures(ctx, yb.from, yb.to, g))));
      const tsc = summary(await timeRuns(3, () => countFigures(ctx, yb.from, yb.to, g, { scan: true }), 1));
      emit({ name: `stats.rollup.year.${g.kind === 'all' ? 'all' : 'by_unit'}.ratio_vs_scan`, n: total, p50_ms: tr.p50_ms, p95_ms: tr.p95_ms, scan_p50_ms: tsc.p50_ms, scan_p95_ms: tsc.p95_ms, ratio_vs_scan: tsc.p50_ms / tr.p50_ms });
    }
  }

  // ratio_vs_scan: resolved / on time in the month from the first-resolve index vs. finding each
  // ticket's first resolve event in the timeline.
  const { from, to } = periodBounds(month);
  const indexed = async () =>
    (await sql<{ n: number; ok: number }>`SELECT count(*) AS n, SUM(CASE WHEN resolve_deadline IS NULL OR first_resolve_at <= resolve_deadline THEN 1 ELSE 0 END) AS ok
      FROM tickets WHERE first_resolve_at >= ${from} AND first_resolve_at < ${to}`.execute(db)).rows[0]!;
  const scan = async () =>
    (await sql<{ n: number; ok: number }>`SELECT count(*) AS n, SUM(CASE WHEN t.resolve_deadline IS NULL OR f.at <= t.resolve_deadline THEN 1 ELSE 0 END) AS ok
      FROM (SELECT ticket_id, min(at) AS at FROM ticket_events NOT INDEXED WHERE action = 'resolve' GROUP BY ticket_id) f
      JOIN tickets t ON t.id = f.ticket_id WHERE f.at >= ${from} AND f.at < ${to}`.execute(db)).rows[0]!;
  const a = await indexed();
  const b = await scan();
  if (a.n !== b.n || a.ok !== b.ok) throw new Error(`first-resolve index disagrees with the timeline: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
  const ti = summary(await timeRuns(10, indexed));
  const ts = summary(await timeRuns(3, scan, 1));
  emit({ name: 'stats.resolved.ratio_vs_scan', n: total, resolved: a.n, p50_ms: ti.p50_ms, p95_ms: ti.p95_ms, scan_p50_ms: ts.p50_ms, ratio_vs_scan: ts.p50_ms / ti.p50_ms });

  await monthlyReport();
  await store.close();

  async function monthlyReport() {
    if (!fs.existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium')) return progress('no Chromium: report.monthly skipped');
    // .cold: the month's first report ever (its 批量问题 mined over the two years to the month's end,
    // then frozen: any earlier freeze of the month is deleted first); .restart: the first report after
    // a restart (the store opened again, nothing in memory, the month frozen); then the report again.
    await sql`DELETE FROM recurring_month_freezes WHERE month = ${monthStr}`.execute(db);
    forgetMiningState(store);
    const report = async () => htmlToPdf(reportHtml(await buildMonthlyReport(ctx, monthStr)));
    emit({ name: 'report.monthly.cold', n: total, format: 'pdf', ...summary(await timeRuns(1, report, 0)), heap_mb: Math.round(process.memoryUsage().heapUsed / 1048576) });
    const again = await openStore(file);
    const actx = createContext(again, { log: silentLogger });
    emit({ name: 'report.monthly.restart', n: total, format: 'pdf', ...summary(await timeRuns(1, async () => htmlToPdf(reportHtml(await buildMonthlyReport(actx, monthStr))), 0)) });
    await again.close();
    emit({ name: 'report.monthly', n: total, format: 'pdf', ...summary(await timeRuns(3, report, 0)) });
  }
}
