// The monthly analysis's words (月分析): short Chinese paragraphs written from templates over the
// figures, no model involved. Every number in the text comes from the figures passed in.

import { formatChange, formatRate, type Figures } from './figures';

export interface NarrativeInput {
  label: string;
  cur: Figures;
  previous: Figures | null;
  lastYear: Figures | null;
  /** Top problems: leaf category path, count, share of received, and where most of them are. */
  topProblems: Array<{ name: string; count: number; where: string | null }>;
  /** Units ranked by on-time resolution (best first), with enough tickets to be fair. */
  unitRanking: Array<{ name: string; onTimeRate: number; resolved: number }>;
  /** Communities with the most tickets. */
  hotCommunities: Array<{ name: string; received: number }>;
}

function trendWord(cur: number | null, prev: number | null, isRate: boolean, up = '上升', down = '下降'): string {
  if (cur == null || prev == null) return '';
  const c = formatChange(cur, prev, isRate);
  if (c === '持平') return '，与上期持平';
  if (c === '新增') return '，上期无此类数据';
  return `，${cur >= prev ? up : down}${c.replace(/^[+-]/, '')}`;
}

/** Paragraphs of the month's analysis. */
export function monthlyNarrative(n: NarrativeInput): string[] {
  const f = n.cur;
  if (f.received === 0 && f.resolved === 0 && f.callbacks === 0) {
    return [`${n.label}本街道暂无工单记录。工单受理、办结和回访后，这里将自动生成受理量、按时办结率、满意率等指标的分析。`];
  }
  const out: string[] = [];
  const yoy = n.lastYear && n.lastYear.received > 0 ? `，同比${formatChange(f.received, n.lastYear.received, false)}` : '';
  out.push(
    `${n.label}，街道共受理群众诉求${f.received}件` +
      (n.previous ? `，环比${formatChange(f.received, n.previous.received, false)}` : '') +
      `${yoy}；其中主动发现${f.proactive}件，主动发现率${formatRate(f.proactiveRate)}。` +
      `当期办结${f.resolved}件，按时办结${f.resolvedOnTime}件，按时办结率${formatRate(f.onTimeRate)}` +
      trendWord(f.onTimeRate, n.previous?.onTimeRate ?? null, true, '提高', '下降') +
      `；受理工单办结率${formatRate(f.resolutionRate)}。`,
  );
  const parts: string[] = [];
  if (f.callbacks > 0)
    parts.push(`回访${f.callbacks}次，满意及基本满意${f.satisfied}次，满意率${formatRate(f.satisfactionRate)}${trendWord(f.satisfactionRate, n.previous?.satisfactionRate ?? null, true, '提高', '下降')}`);
  if (f.dispatched > 0) parts.push(`派单${f.dispatched}件，按时签收率${formatRate(f.acceptedInTimeRate)}，退回率${formatRate(f.returnRate)}，延期率${formatRate(f.extensionRate)}`);
  if (f.resolveHoursMedian != null) parts.push(`平均处置时长${f.resolveHoursMean!.toFixed(1)}个工作小时（中位数${f.resolveHoursMedian.toFixed(1)}）`);
  if (parts.length) out.push(parts.join('；') + '。');
  if (n.topProblems.length) {
    const tops = n.topProblems
      .slice(0, 3)
      .map((p) => `“${p.name}”${p.count}件${p.where ? `（主要在${p.where}）` : ''}`)
      .join('、');
    const hot = n.hotCommunities.slice(0, 2).map((c) => `${c.name}（${c.received}件）`).join('、');
    out.push(`诉求最集中的问题是${tops}。${hot ? `受理量最多的社区是${hot}，建议作为下月重点巡查区域。` : ''}`);
  }
  if (n.unitRanking.length >= 2) {
    const best = n.unitRanking[0]!;
    const worst = n.unitRanking[n.unitRanking.length - 1]!;
    out.push(
      `处置单位中按时办结率最高的是${best.name}（${formatRate(best.onTimeRate)}，办结${best.resolved}件），` +
        `最低的是${worst.name}（${formatRate(worst.onTimeRate)}，办结${worst.resolved}件）` +
        (worst.onTimeRate < 0.9 ? '，需加强督办。' : '。'),
    );
  }
  if (f.supervised > 0) {
    const high = f.supervisedL3 + f.supervisedL4;
    out.push(`本期督办${f.supervised}件，其中三级以上督办${high}件${high > 0 ? '，请相关单位限期整改并说明原因' : ''}。`);
  }
  return out;
}

/** What the month's paragraph on recurring problems (一件事→一批事→一类事, 专项治理) is written from. */
export interface RecurringNarrativeInput {
  label: string;
  /** 批量问题 with a ticket in the month, and those tickets. */
  groupCount: number;
  ticketsInMonth: number;
  /** The group with most tickets in the month. */
  top: { name: string; place: string; inMonth: number; count: number; spanDays: number; trend: string } | null;
  classCount: number;
  topClass: { name: string; words: string[]; places: number } | null;
  itemsOpen: number;
  itemsClosedInMonth: number;
  itemsOverdue: number;
}

/** The paragraph of the monthly analysis on recurring problems and 专项治理 items. */
export function recurringNarrative(n: RecurringNarrativeInput): string {
  const items =
    n.itemsOpen + n.itemsClosedInMonth > 0
      ? `专项治理在办${n.itemsOpen}项${n.itemsOverdue ? `（其中${n.itemsOverdue}项已超期）` : ''}，本月结项${n.itemsClosedInMonth}项。`
      : '本月没有在办的专项治理事项。';
  if (!n.groupCount)
    return `${n.label}未发现仍在发生的批量问题（同一地点同类问题两年内反复出现3件以上、首末相隔7天以上时，将在这里列出其件数、跨度、趋势、地点和涉及单位）。${items}`;
  const t = n.top!;
  const cls = n.topClass ? `其中“${n.topClass.name}”中的“${n.topClass.words.join('、')}”在${n.topClass.places}处反复出现，已成一类事，建议从根源上统一治理。` : '';
  return (
    `${n.label}仍在发生的批量问题${n.groupCount}个，涉及当月工单${n.ticketsInMonth}件；最突出的是${t.place}的“${t.name}”，本月${t.inMonth}件、累计${t.count}件，跨${t.spanDays}天，趋势${t.trend}。` +
    (n.classCount ? `归纳出一类事${n.classCount}类，${cls}` : '') +
    items
  );
}
