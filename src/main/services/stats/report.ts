// 月分析: the monthly report of a street, from its own store. Key figures with 环比/同比, the top
// problems and where they are, hot communities, rankings, a templated Chinese narrative, charts.
// Output as an Excel workbook or as a PDF printed by Chromium (./pdf).

import { sql } from 'kysely';
import type ExcelJS from 'exceljs';
import { FIGURE_LABELS, TABLE_FIGURES, formatChange, formatRate, isHoursKey, isRateKey, type Figures } from '../../../shared/stats/figures';
import { monthlyNarrative, recurringNarrative } from '../../../shared/stats/narrative';
import { addMonths, periodBounds, periodLabel, type Period } from '../../../shared/stats/period';
import type { StatsGroupRow, StatsOverview, StatsTrend } from '../../../shared/api/stats';
import type { NodeContext } from '../core/context';
import { breakdown, overview, trend } from './queries';
import { workbookBuffer, type SheetSpec } from './excel';
import { rankingBars, stackedBars, trendChart } from './charts';
import { minedNote, monthlyRecurring, type MonthlyRecurring } from '../recurring/monthly';

export interface MonthlyReport {
  month: string;
  streetName: string;
  period: Period;
  overview: StatsOverview;
  trend: StatsTrend;
  communities: StatsGroupRow[];
  units: StatsGroupRow[];
  categories: StatsGroupRow[];
  topProblems: Array<{ name: string; count: number; share: number | null; where: string | null }>;
  unitRanking: Array<{ name: string; onTimeRate: number; resolved: number }>;
  /** 一件事→一批事→一类事 and 专项治理 in the month. */
  recurring: MonthlyRecurring;
  /** The narrative's paragraph on them (also the last of `narrative`). */
  recurringText: string;
  narrative: string[];
}

/** Units need at least this many resolved tickets in the month to be ranked. */
const MIN_RANKED = 5;

export async function buildMonthlyReport(ctx: NodeContext, month: string): Promise<MonthlyReport> {
  const from = `${month}-01`;
  const period: Period = { kind: 'month', from, to: addMonths(from, 1) };
  const street = await ctx.store.db.selectFrom('street').select('name').executeTakeFirst();
  const ov = await overview(ctx, period, true);
  const tr = await trend(ctx, period);
  const communities = (await breakdown(ctx, period, 'community')).rows;
  const units = (await breakdown(ctx, period, 'unit')).rows;
  const categories = (await breakdown(ctx, period, 'category')).rows;
  // Where each of the top problems is: the community with most of its tickets.
  const { from: a, to: b } = periodBounds(period);
  const cross = await sql<{ c: string | null; g: string | null; n: number }>`
    SELECT t.category_id AS c, p.id AS g, count(*) AS n FROM tickets t
      LEFT JOIN grids g ON g.id = t.grid_id
      LEFT JOIN grids p ON p.id = CASE WHEN g.level = '2' THEN g.id WHEN g.level = '3' THEN g.parent_id
                                       ELSE (SELECT parent_id FROM grids WHERE id = g.parent_id) END
     WHERE t.created_at >= ${a} AND t.created_at < ${b} AND t.status <> 'cancelled' AND t.merged_into IS NULL
     GROUP BY 1, 2`.execute(ctx.store.db);
  const names = new Map((await ctx.store.db.selectFrom('grids').select(['id', 'name']).execute()).map((g) => [g.id, g.name]));
  const where = new Map<string | null, { g: string | null; n: number }>();
  for (const r of cross.rows) {
    const w = where.get(r.c);
    if (!w || r.n > w.n) where.set(r.c, { g: r.g, n: Number(r.n) });
  }
  const received = ov.figures.received;
  const topProblems = categories
    .filter((c) => c.key != null && c.figures.received > 0)
    .sort((x, y) => y.figures.received - x.figures.received)
    .slice(0, 10)
    .map((c) => {
      const w = where.get(c.key);
      return { name: c.name, count: c.figures.received, share: received ? c.figures.received / received : null, where: w?.g ? names.get(w.g) ?? null : null };
    });
  const unitRanking = units
    .filter((u) => u.key != null && u.figures.resolved >= MIN_RANKED && u.figures.onTimeRate != null)
    .map((u) => ({ name: u.name, onTimeRate: u.figures.onTimeRate!, resolved: u.figures.resolved }))
    .sort((x, y) => y.onTimeRate - x.onTimeRate || y.resolved - x.resolved);
  const label = periodLabel(period);
  const narrative = monthlyNarrative({
    label,
    cur: ov.figures,
    previous: ov.previous?.figures ?? null,
    lastYear: ov.lastYear?.figures ?? null,
    topProblems,
    unitRanking,
    hotCommunities: communities.filter((c) => c.key && !c.key.startsWith('~')).map((c) => ({ name: c.name, received: c.figures.received })),
  });
  const recurring = await monthlyRecurring(ctx, a, b);
  const top = recurring.groups[0];
  const topClass = recurring.classes[0];
  const recurringText = recurringNarrative({
      label,
      groupCount: recurring.groupCount,
      ticketsInMonth: recurring.ticketsInMonth,
      top: top ? { name: top.categoryPath, place: top.place, inMonth: top.inMonth, count: top.count, spanDays: top.spanDays, trend: top.trendLabel } : null,
      classCount: recurring.classes.length,
      topClass: topClass ? { name: topClass.categoryPath, words: topClass.words, places: topClass.places.length } : null,
      itemsOpen: recurring.itemsOpen,
      itemsClosedInMonth: recurring.itemsClosedInMonth,
      itemsOverdue: recurring.itemsOverdue,
  });
  narrative.push(recurringText);
  return { month, streetName: street?.name ?? '本街道', period, overview: ov, trend: tr, communities, units, categories, topProblems, unitRanking, recurring, recurringText, narrative };
}

const KEY_FIGURES: ReadonlyArray<keyof Figures> = [
  'received',
  'resolved',
  'resolvedOnTime',
  'onTimeRate',
  'resolutionRate',
  'acceptedInTimeRate',
  'callbacks',
  'satisfied',
  'satisfactionRate',
  'proactiveRate',
  'repeatRate',
  'returnRate',
  'extensionRate',
  'resolveHoursMean',
  'resolveHoursMedian',
  'supervised',
  'microInGridRate',
  'instantAnswerRate',
];

function show(k: keyof Figures, v: number | null): string {
  if (v == null) return '—';
  if (isRateKey(k)) return formatRate(v);
  if (isHoursKey(k)) return `${v.toFixed(1)} 小时`;
  return String(v);
}

export async function reportWorkbook(r: MonthlyReport): Promise<Buffer> {
  const ov = r.overview;
  const title = (t: string) => [`${r.streetName} ${periodLabel(r.period)} ${t}`, `统计区间：${r.period.from} 至 ${addMonths(r.period.from, 1)}（不含），北京时间`];
  const sheets: SheetSpec[] = [
    {
      name: '关键指标',
      title: title('关键指标'),
      lead: [{ header: '期间', width: 14 }],
      dates: ['开始日期', '结束日期（不含）'],
      rows: [
        { lead: ['本期'], dates: [ov.period.from, ov.period.to], figures: ov.figures },
        ...(ov.previous ? [{ lead: ['上期（环比）'], dates: [ov.previous.period.from, ov.previous.period.to], figures: ov.previous.figures }] : []),
        ...(ov.lastYear ? [{ lead: ['去年同期（同比）'], dates: [ov.lastYear.period.from, ov.lastYear.period.to], figures: ov.lastYear.figures }] : []),
      ],
    },
    groupSheet('社区', title('分社区统计'), r.communities),
    groupSheet('处置单位', title('分处置单位统计'), r.units),
    groupSheet('问题小类', title('分问题小类统计'), r.categories),
    {
      name: '每日趋势',
      title: title('每日趋势'),
      lead: [],
      dates: ['日期'],
      rows: r.trend.buckets.map((b) => ({ lead: [], dates: [b.from], figures: b.figures })),
    },
  ];
  return workbookBuffer(sheets, (wb) => {
    const ws = wb.addWorksheet('分析');
    ws.getColumn(1).width = 120;
    ws.addRow([`${r.streetName} ${periodLabel(r.period)} 月分析`]).font = { bold: true, size: 13 };
    for (const p of r.narrative) ws.addRow([p]).alignment = { wrapText: true };
    ws.addRow([]);
    ws.addRow(['问题', '件数', '占受理量', '主要所在社区']).font = { bold: true };
    for (const p of r.topProblems) ws.addRow([p.name, p.count, p.share, p.where ?? '']);
    ws.getColumn(3).numFmt = '0.0%';
    recurringSheets(wb, r, title);
  });
}

/** A China-time calendar date as an Excel date (the day, no time: exceljs writes it as UTC). */
const cstDay = (ms: number) => new Date(Math.floor((ms + 8 * 3600_000) / 86_400_000) * 86_400_000);

/** 批量问题, 一类事 and 专项治理: one sheet each, counts as numbers, dates as dates. */
function recurringSheets(wb: ExcelJS.Workbook, r: MonthlyReport, title: (t: string) => string[]): void {
  const rc = r.recurring;
  const sheet = (name: string, heading: string, header: string[], widths: number[]) => {
    const ws = wb.addWorksheet(name);
    const [t, sub] = title(heading);
    ws.addRow([t]).font = { bold: true, size: 13 };
    ws.addRow([sub]);
    ws.addRow([]);
    const hr = ws.addRow(header);
    hr.font = { bold: true };
    hr.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8EEF7' } };
    widths.forEach((w, i) => (ws.getColumn(i + 1).width = w));
    ws.views = [{ state: 'frozen', ySplit: 4 }];
    return ws;
  };
  const g = sheet(
    '批量问题',
    '批量问题（一批事）',
    ['问题', '地点', '社区', '网格', '本月件数', '累计件数', '未办结', '首次', '最近', '跨度（天）', ...rc.months.map((m) => `${m}月`), '趋势', '涉及单位', '根源词', '专项治理'],
    [26, 24, 12, 16, 10, 10, 8, 12, 12, 10, ...rc.months.map(() => 10), 8, 36, 20, 16],
  );
  for (const x of rc.groups)
    g.addRow([
      x.categoryPath,
      x.place,
      x.communityName ?? '',
      x.gridName ?? '',
      x.inMonth,
      x.count,
      x.open,
      cstDay(x.firstAt),
      cstDay(x.lastAt),
      x.spanDays,
      ...x.trend,
      x.trendLabel,
      x.units.map((u) => `${u.name}（${u.count}件）`).join('、'),
      x.words.join('、'),
      x.itemCode ?? '',
    ]);
  for (const c of [8, 9]) g.getColumn(c).numFmt = 'yyyy-mm-dd';
  g.addRow([]);
  g.addRow([
    rc.groupCount
      ? `本月仍在发生的批量问题共${rc.groupCount}个（列出本月件数最多的${rc.groups.length}个），涉及当月工单${rc.ticketsInMonth}件。`
      : '本月暂无批量问题。同一地点同类问题两年内反复出现3件以上、首末相隔7天以上时，将在这里列出。',
  ]);
  g.addRow([minedNote(rc)]);
  const c = sheet('一类事', '一类事（同类问题多处反复）', ['问题', '根源词', '地点数', '批量问题数', '工单数', '地点'], [26, 20, 8, 10, 8, 60]);
  for (const x of rc.classes) c.addRow([x.categoryPath, x.words.join('、'), x.places.length, x.groups, x.tickets, x.places.join('、')]);
  if (!rc.classes.length) c.addRow(['本月暂无一类事。同一类问题的相同根源在两处以上反复出现时，将在这里列出。']);
  const i = sheet(
    '专项治理',
    '专项治理',
    ['编号', '事项', '状态', '问题', '地点', '牵头单位', '开立日期', '完成期限', '结项日期', '是否超期', '关联工单', '本月新关联', '已办结', '本月进展记录', '最近进展', '根源整改'],
    [18, 30, 8, 24, 22, 16, 12, 12, 12, 8, 10, 10, 8, 12, 40, 40],
  );
  for (const x of rc.items)
    i.addRow([
      x.code,
      x.title,
      x.status === 'open' ? '在办' : '已结项',
      x.categoryPath,
      x.place,
      x.leadUnitName,
      cstDay(x.openedAt),
      cstDay(x.deadline),
      x.closedAt != null ? cstDay(x.closedAt) : null,
      x.overdue ? '是' : '否',
      x.tickets,
      x.linkedInMonth,
      x.resolved,
      x.notesInMonth,
      x.lastNote ?? '',
      x.rootCause ?? '',
    ]);
  for (const col of [7, 8, 9]) i.getColumn(col).numFmt = 'yyyy-mm-dd';
  if (!rc.items.length) i.addRow(['本月没有在办的专项治理事项。在“批量问题”中把一个批量问题立为专项治理后，其牵头单位、期限、关联工单和进展将在这里列出。']);
}

function groupSheet(name: string, title: string[], rows: StatsGroupRow[]): SheetSpec {
  return {
    name,
    title,
    lead: [{ header: '名称', width: 28 }, { header: '编码', width: 16 }],
    rows: rows.map((g) => ({ lead: [g.name, g.code], figures: g.figures })),
  };
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The report as a self-contained HTML page (inline SVG charts, no scripts, no network). */
export function reportHtml(r: MonthlyReport): string {
  const ov = r.overview;
  const f = ov.figures;
  const label = periodLabel(r.period);
  const rows = KEY_FIGURES.map(
    (k) =>
      `<tr><th>${esc(FIGURE_LABELS[k])}</th><td class="num" data-figure="${k}">${esc(show(k, f[k]))}</td>` +
      `<td class="num">${esc(ov.previous ? show(k, ov.previous.figures[k]) : '—')}</td><td class="num">${esc(formatChange(f[k], ov.previous?.figures[k] ?? null, isRateKey(k)))}</td>` +
      `<td class="num">${esc(ov.lastYear ? show(k, ov.lastYear.figures[k]) : '—')}</td><td class="num">${esc(formatChange(f[k], ov.lastYear?.figures[k] ?? null, isRateKey(k)))}</td></tr>`,
  ).join('');
  const table = (title: string, groups: StatsGroupRow[], cols: ReadonlyArray<keyof Figures>, limit = 30) =>
    groups.length
      ? `<h2>${esc(title)}</h2><table><thead><tr><th>名称</th>${cols.map((k) => `<th>${esc(FIGURE_LABELS[k])}</th>`).join('')}</tr></thead><tbody>` +
        groups
          .slice(0, limit)
          .map((g) => `<tr><th>${esc(g.name)}</th>${cols.map((k) => `<td class="num">${esc(show(k, g.figures[k]))}</td>`).join('')}</tr>`)
          .join('') +
        `</tbody></table>`
      : '';
  const tr = r.trend;
  const labels = tr.buckets.map((b) => b.label);
  const charts =
    f.received + f.resolved > 0
      ? [
          trendChart('每日受理与办结', labels, [
            { name: '受理量', data: tr.buckets.map((b) => (b.future ? null : b.figures.received)) },
            { name: '办结量', data: tr.buckets.map((b) => (b.future ? null : b.figures.resolved)) },
          ]),
          stackedBars('各渠道每日受理量', labels, tr.byChannel.slice(0, 8).map((c) => ({ name: c.name, data: c.counts }))),
          r.unitRanking.length
            ? rankingBars('处置单位按时办结率排名', r.unitRanking.slice(0, 15).map((u) => u.name), r.unitRanking.slice(0, 15).map((u) => Math.round(u.onTimeRate * 1000) / 10), true)
            : '',
        ]
      : [];
  const problems = r.topProblems.length
    ? `<h2>突出问题</h2><table><thead><tr><th>问题</th><th>件数</th><th>占受理量</th><th>主要所在社区</th></tr></thead><tbody>${r.topProblems
        .map((p) => `<tr><th>${esc(p.name)}</th><td class="num">${p.count}</td><td class="num">${esc(formatRate(p.share))}</td><td>${esc(p.where ?? '—')}</td></tr>`)
        .join('')}</tbody></table>`
    : '';
  const rc = r.recurring;
  const dateOf = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().slice(0, 10);
  const recurring =
    `<h2>批量问题与专项治理（一件事→一批事→一类事）</h2><p data-testid="recurring-text">${esc(r.recurringText)}</p>` +
    (rc.groups.length
      ? `<table class="recurring"><colgroup><col style="width:17%"><col style="width:23%"><col style="width:6%"><col style="width:6%"><col style="width:8%"><col style="width:14%"><col style="width:7%"><col style="width:19%"></colgroup><thead><tr><th>问题</th><th>地点</th><th class="nw">本月</th><th class="nw">累计</th><th class="nw">跨度</th><th class="nw">近${rc.months.length}个月</th><th class="nw">趋势</th><th>涉及单位</th></tr></thead><tbody>${rc.groups
          .map(
            (g) =>
              `<tr data-group="${esc(g.key)}"><th>${esc(g.categoryPath)}${g.itemCode ? `<br><small>专项治理 ${esc(g.itemCode)}</small>` : ''}</th><td>${esc(g.place)}${g.communityName ? `<br><small>${esc(g.communityName)}${g.gridName ? ' · ' + esc(g.gridName) : ''}</small>` : ''}</td>` +
              `<td class="num">${g.inMonth}</td><td class="num">${g.count}</td><td class="num nw">${g.spanDays}天</td><td class="num nw">${esc(g.trend.join(' '))}</td><td class="nw">${esc(g.trendLabel)}</td>` +
              `<td>${esc(g.units.slice(0, 3).map((u) => `${u.name}（${u.count}）`).join('、') || '—')}</td></tr>`,
          )
          .join('')}</tbody></table><div class="sub">近${rc.months.length}个月：${esc(rc.months[0] ?? '')} 至 ${esc(rc.months[rc.months.length - 1] ?? '')} 各月件数；趋势为本月与前三个月平均相比。${esc(minedNote(rc))}</div>`
      : '') +
    (rc.classes.length
      ? `<h3>一类事</h3><table><thead><tr><th>问题</th><th>根源词</th><th>地点数</th><th>工单数</th><th>地点</th></tr></thead><tbody>${rc.classes
          .slice(0, 10)
          .map((c) => `<tr><th>${esc(c.categoryPath)}</th><td>${esc(c.words.join('、'))}</td><td class="num">${c.places.length}</td><td class="num">${c.tickets}</td><td>${esc(c.places.slice(0, 6).join('、'))}${c.places.length > 6 ? '等' : ''}</td></tr>`)
          .join('')}</tbody></table>`
      : '') +
    (rc.items.length
      ? `<h3>专项治理</h3><table><thead><tr><th>事项</th><th>牵头单位</th><th>状态</th><th>期限</th><th>关联工单</th><th>已办结</th><th>本月进展</th></tr></thead><tbody>${rc.items
          .map(
            (i) =>
              `<tr><th>${esc(i.code)}<br>${esc(i.title)}</th><td>${esc(i.leadUnitName)}</td><td>${i.status === 'open' ? (i.overdue ? '在办（已超期）' : '在办') : `已结项 ${esc(dateOf(i.closedAt!))}`}</td><td>${esc(dateOf(i.deadline))}</td>` +
              `<td class="num">${i.tickets}</td><td class="num">${i.resolved}</td><td>${esc(i.rootCause ? `根源整改：${i.rootCause}` : i.lastNote ?? (i.notesInMonth ? '' : '本月无进展记录'))}</td></tr>`,
          )
          .join('')}</tbody></table>`
      : '');
  const cols: ReadonlyArray<keyof Figures> = ['received', 'resolved', 'onTimeRate', 'acceptedInTimeRate', 'satisfactionRate', 'returnRate', 'supervised'];
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${esc(r.streetName)} ${esc(label)} 月分析</title><style>
  @page { size: A4; margin: 16mm 14mm; }
  body { font-family: "Noto Sans CJK SC", "Noto Sans SC", "Noto Serif CJK SC", sans-serif; font-size: 10.5pt; color: #1d2733; }
  h1 { font-size: 18pt; margin: 0 0 4pt; } h2 { font-size: 12.5pt; margin: 14pt 0 6pt; border-left: 4pt solid #1f5fbf; padding-left: 6pt; } h3 { font-size: 11pt; margin: 10pt 0 4pt; }
  .sub { color: #5b6573; margin-bottom: 10pt; } p { line-height: 1.7; text-indent: 2em; margin: 4pt 0; }
  table { border-collapse: collapse; width: 100%; font-size: 9pt; page-break-inside: auto; } tr { page-break-inside: avoid; }
  th, td { border: 1px solid #cfd6df; padding: 3pt 5pt; text-align: left; } thead th { background: #eef3fa; }
  small { color: #5b6573; } td.nw, th.nw { white-space: nowrap; } table.recurring { table-layout: fixed; } td.num { text-align: right; font-variant-numeric: tabular-nums; } .chart { margin: 6pt 0; page-break-inside: avoid; }
  .chart svg { width: 100%; height: auto; }
  </style></head><body>
  <h1>${esc(r.streetName)} ${esc(label)} 城运工作月分析</h1>
  <div class="sub">统计区间 ${esc(r.period.from)} 至 ${esc(addMonths(r.period.from, 1))}（不含），北京时间；生成于城运台，数据来自本街道工单库。</div>
  <h2>总体情况</h2>${r.narrative.filter((p) => p !== r.recurringText).map((p) => `<p>${esc(p)}</p>`).join('')}
  <h2>关键指标</h2><table><thead><tr><th>指标</th><th>本月</th><th>上月</th><th>环比</th><th>去年同月</th><th>同比</th></tr></thead><tbody>${rows}</tbody></table>
  ${charts.filter(Boolean).map((svg) => `<div class="chart">${svg}</div>`).join('')}
  ${problems}
  ${recurring}
  ${table('各社区情况', r.communities, cols)}
  ${table('处置单位排名（按受理量）', r.units, cols)}
  <div class="sub" style="margin-top:12pt">口径说明：受理量为当月新建且未作废、未合并的工单；办结量为首次办结在当月的工单；按时办结指首次办结不晚于办结时限；满意率=满意及基本满意的回访次数/回访次数；处置时长按工作日历计算工作小时。</div>
  </body></html>`;
}

export const TABLE_KEYS = TABLE_FIGURES;
