// The 统计分析 API: for street leaders and operators (the figures of the whole street).

import type { StatsMethod } from './types';
import type { HandlersFor } from '../core/handlers';
import type { NodeContext } from '../core/context';
import type { User } from '../../../shared/api/types';
import { DIMENSION_LABELS } from '../../../shared/stats/dimensions';
import { addDays, periodLabel } from '../../../shared/stats/period';
import { AppError } from '../core/errors';
import { breakdown, overview, trend } from './queries';
import { workbookBuffer } from './excel';
import { buildMonthlyReport, reportHtml, reportWorkbook } from './report';
import { htmlToPdf } from './pdf';
import { enterPerformanceScore, rankingView, rulesInfo, setRankingRules } from './ranking';
import { seasonalForecast } from './forecast';
import { appendAudit } from '../audit/auditLog';
import { actorOf } from '../auth/accounts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export function mayReadStats(user: User): void {
  if (user.role !== 'leader' && user.role !== 'operator')
    throw new AppError('forbiddenRole', '统计分析仅向街道领导和受理员开放', { detail: `stats for role ${user.role}` });
}

export function statsHandlers(ctx: NodeContext): HandlersFor<StatsMethod> {
  return {
    'stats.overview': async ({ input, user }) => {
      mayReadStats(user);
      return overview(ctx, input.period, input.compare);
    },
    'stats.breakdown': async ({ input, user }) => {
      mayReadStats(user);
      return breakdown(ctx, input.period, input.dimension);
    },
    'stats.trend': async ({ input, user }) => {
      mayReadStats(user);
      return trend(ctx, input.period);
    },
    'stats.forecast': async ({ user }) => {
      mayReadStats(user);
      return seasonalForecast(ctx);
    },
    'stats.export': async ({ input, user }) => {
      mayReadStats(user);
      const p = input.period;
      const label = periodLabel(p);
      const title = [`统计分析 ${label}`, `统计区间：${p.from} 至 ${p.to}（不含），北京时间`];
      let buf: Buffer;
      let what: string;
      if (input.table === 'overview') {
        const ov = await overview(ctx, p, true);
        what = '关键指标';
        buf = await workbookBuffer([
          {
            name: what,
            title,
            lead: [{ header: '期间', width: 16 }],
            dates: ['开始日期', '结束日期（不含）'],
            rows: (
              [
                ['本期', ov],
                ['上期（环比）', ov.previous],
                ['去年同期（同比）', ov.lastYear],
              ] as const
            )
              .filter(([, x]) => x != null)
              .map(([name, x]) => ({ lead: [name], dates: [x!.period.from, x!.period.to], figures: x!.figures })),
          },
        ]);
      } else if (input.table === 'breakdown') {
        if (!input.dimension) throw new AppError('invalidInput', '请选择分组维度');
        const b = await breakdown(ctx, p, input.dimension);
        what = `分${DIMENSION_LABELS[input.dimension]}统计`;
        buf = await workbookBuffer([
          { name: what, title, lead: [{ header: DIMENSION_LABELS[input.dimension], width: 28 }, { header: '编码', width: 16 }], rows: b.rows.map((r) => ({ lead: [r.name, r.code], figures: r.figures })) },
        ]);
      } else {
        const t = await trend(ctx, p);
        what = '趋势';
        buf = await workbookBuffer([{ name: what, title, lead: [], dates: ['开始日期', '结束日期（不含）'], rows: t.buckets.map((b) => ({ lead: [], dates: [b.from, b.to], figures: b.figures })) }]);
      }
      ctx.log.info('stats exported', { user: user.username, table: input.table, dimension: input.dimension, from: p.from, to: p.to });
      // Every export is in the audit log (these hold figures only, no personal data).
      await appendAudit(ctx.store.db, ctx.now(), { actor: actorOf(user), action: 'export', target: '统计分析', detail: { table: input.table, dimension: input.dimension ?? null, from: p.from, to: p.to, format: 'xlsx' } });
      // The file name gives the last day counted, as the screen does (p.to is the first day not counted).
      const last = addDays(p.to, -1);
      return { name: `统计分析-${what}-${p.from === last ? p.from : `${p.from}至${last}`}.xlsx`, mime: XLSX, dataBase64: buf.toString('base64') };
    },
    'stats.ranking': async ({ input, user }) => rankingView(ctx, user, input.month, input.kind),
    'stats.performanceScore': async ({ input, user }) => {
      await enterPerformanceScore(ctx, user, input);
      return { ok: true as const };
    },
    'stats.rankingRules': async ({ user }) => {
      if (user.role === 'admin' || user.role === 'gridOfficer') throw new AppError('forbiddenRole', '无权查看评价规则');
      return rulesInfo(ctx);
    },
    'stats.setRankingRules': async ({ input, user }) => setRankingRules(ctx, user, input.from, input.rules),
    'stats.report': async ({ input, user }) => {
      mayReadStats(user);
      const r = await buildMonthlyReport(ctx, input.month);
      const buf = input.format === 'xlsx' ? await reportWorkbook(r) : await htmlToPdf(reportHtml(r));
      ctx.log.info('monthly report', { user: user.username, month: input.month, format: input.format });
      await appendAudit(ctx.store.db, ctx.now(), { actor: actorOf(user), action: 'export', target: '月分析', detail: { month: input.month, format: input.format } });
      return {
        name: `${r.streetName}-${input.month}-月分析.${input.format}`,
        mime: input.format === 'xlsx' ? XLSX : 'application/pdf',
        dataBase64: buf.toString('base64'),
      };
    },
  };
}
