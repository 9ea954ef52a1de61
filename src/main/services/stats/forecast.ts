// 按季施策: weekly received counts per top-level category over the street's history and the
// 8-week forecast of each (method in src/shared/stats/forecast.ts), with the rise warnings named
// by season (src/shared/stats/seasons.ts). Counts use the `received` definition (figureSql), per
// day from ./counts' receivedByDay.

import { sql } from 'kysely';
import { addDays, dateOf } from '../../../shared/stats/period';
import { forecastSeries, HORIZON_WEEKS } from '../../../shared/stats/forecast';
import { seasonsIn } from '../../../shared/stats/seasons';
import type { ForecastCategory, StatsForecast } from '../../../shared/api/stats';
import type { NodeContext } from '../core/context';
import { receivedByDay } from './counts';
import { groupsOf } from './queries';

const CST_MS = 8 * 3600_000;
const DAY_MS = 86_400_000;

/** The Monday (YYYY-MM-DD) of the CST week holding a date. */
export function mondayOf(date: string): string {
  const dow = new Date(`${date}T00:00:00Z`).getUTCDay(); // 0 = Sunday
  return addDays(date, -((dow + 6) % 7));
}

const ms = (date: string) => Date.parse(`${date}T00:00:00Z`) - CST_MS;

export async function seasonalForecast(ctx: NodeContext): Promise<StatsForecast> {
  const db = ctx.store.db;
  const thisMonday = mondayOf(dateOf(ctx.now()));
  const forecastWeeks = Array.from({ length: HORIZON_WEEKS }, (_, i) => addDays(thisMonday, 7 * i));
  const first = (await sql<{ t: number | null }>`SELECT min(created_at) AS t FROM tickets`.execute(db)).rows[0]?.t;
  const weeks: string[] = [];
  if (first != null) {
    // Complete weeks only: from the first Monday on or after the first ticket's day.
    const d = dateOf(Number(first));
    let w = mondayOf(d) === d ? d : addDays(mondayOf(d), 7);
    for (; w < thisMonday; w = addDays(w, 7)) weeks.push(w);
  }
  if (!weeks.length) return { weeks, forecastWeeks, categories: [], generatedAt: ctx.now() };

  const from = ms(weeks[0]!);
  const to = ms(thisMonday);
  // The week by integer arithmetic from the first Monday (weeks are 7 days in China time, which
  // has no daylight saving), from the received tickets per day (whole 旬 kept).
  const firstDay = Math.floor((from + CST_MS) / DAY_MS);
  const { groupOf } = await groupsOf(ctx, 'categoryTop');
  const byTop = new Map<string, { code: string | null; name: string; sort: number; counts: number[] }>();
  for (const part of await receivedByDay(ctx, from, to))
    for (let j = 0; j < part.n.length; j++) {
      const i = Math.floor((part.day[j]! - firstDay) / 7);
      const g = groupOf(part.category[j]!);
      if (!(i >= 0 && i < weeks.length) || g.key == null || !g.filter || !('categoryId' in g.filter)) continue;
      let e = byTop.get(g.key);
      if (!e) byTop.set(g.key, (e = { code: g.code, name: g.name, sort: g.sort, counts: weeks.map(() => 0) }));
      e.counts[i]! += part.n[j]!;
    }

  const categories: ForecastCategory[] = [...byTop]
    .sort((a, b) => a[1].sort - b[1].sort)
    .map(([key, e]) => {
      const start = Math.max(0, e.counts.findIndex((n) => n > 0));
      const history = e.counts.slice(start);
      const forecast = forecastSeries(history);
      let warning: ForecastCategory['warning'] = null;
      if (forecast.status === 'ok' && forecast.riseWeeks.length) {
        const ws = forecast.riseWeeks.map((i) => forecastWeeks[i]!);
        warning = {
          weeks: ws,
          peak: Math.max(...forecast.riseWeeks.map((i) => forecast.points[i]!.value)),
          recentLevel: forecast.recentLevel,
          seasons: seasonsIn(ws[0]!, addDays(ws[ws.length - 1]!, 7)),
        };
      }
      return { key, code: e.code, name: e.name, start, history, forecast, warning };
    });
  return { weeks, forecastWeeks, categories, generatedAt: ctx.now() };
}
