// Periods in China time and the monthly narrative's templates.
import { describe, expect, it } from 'vitest';
import { buckets, comparedPeriods, periodBounds, periodContaining, periodLabel, previousPeriod, samePeriodLastYear, isDate } from '../../src/shared/stats/period';
import { monthlyNarrative } from '../../src/shared/stats/narrative';
import { deriveFigures, emptyCounts } from '../../src/shared/stats/figures';

describe('periods', () => {
  it('are whole CST days, [from, to)', () => {
    const p = periodContaining('month', '2026-02-14');
    expect(p).toEqual({ kind: 'month', from: '2026-02-01', to: '2026-03-01' });
    expect(periodBounds(p).from).toBe(Date.parse('2026-02-01T00:00:00+08:00'));
    expect(periodBounds(p).to).toBe(Date.parse('2026-03-01T00:00:00+08:00'));
    expect(periodContaining('week', '2026-11-22')).toEqual({ kind: 'week', from: '2026-11-16', to: '2026-11-23' }); // Sunday → its Monday
    expect(periodContaining('quarter', '2026-11-22')).toEqual({ kind: 'quarter', from: '2026-10-01', to: '2027-01-01' });
    expect(periodContaining('year', '2026-11-22')).toEqual({ kind: 'year', from: '2026-01-01', to: '2027-01-01' });
  });
  it('compare with the previous period and the same period last year', () => {
    expect(previousPeriod({ kind: 'month', from: '2026-03-01', to: '2026-04-01' })).toEqual({ kind: 'month', from: '2026-02-01', to: '2026-03-01' });
    expect(previousPeriod({ kind: 'range', from: '2026-03-10', to: '2026-03-20' })).toEqual({ kind: 'range', from: '2026-02-28', to: '2026-03-10' });
    expect(samePeriodLastYear({ kind: 'month', from: '2024-02-01', to: '2024-03-01' })).toEqual({ kind: 'month', from: '2023-02-01', to: '2023-03-01' });
    expect(samePeriodLastYear({ kind: 'day', from: '2024-02-29', to: '2024-03-01' })).toEqual({ kind: 'day', from: '2023-02-28', to: '2023-03-01' });
    expect(samePeriodLastYear({ kind: 'week', from: '2026-11-16', to: '2026-11-23' }).from).toBe('2025-11-17'); // a Monday again
    expect(periodLabel({ kind: 'quarter', from: '2026-10-01', to: '2027-01-01' })).toBe('2026年第4季度');
  });
  it('a period still running is compared with the same days of the others (同期); an ended one whole', () => {
    const dec = { kind: 'month', from: '2026-12-01', to: '2027-01-01' } as const;
    expect(comparedPeriods(dec, '2026-12-05')).toEqual({
      previous: { kind: 'range', from: '2026-11-01', to: '2026-11-06' },
      lastYear: { kind: 'range', from: '2025-12-01', to: '2025-12-06' },
      partial: true,
    });
    // Ended (or not begun): the whole periods.
    expect(comparedPeriods(dec, '2027-01-01')).toEqual({ previous: previousPeriod(dec), lastYear: samePeriodLastYear(dec), partial: false });
    // 31 March against February: the previous period is whole when it is shorter than the days gone.
    const mar = { kind: 'month', from: '2026-03-01', to: '2026-04-01' } as const;
    expect(comparedPeriods(mar, '2026-03-31').previous).toEqual({ kind: 'month', from: '2026-02-01', to: '2026-03-01' });
    expect(comparedPeriods(mar, '2026-03-01').previous).toEqual({ kind: 'range', from: '2026-02-01', to: '2026-02-02' });
    // Today as a day period: compared with whole days, not 同期.
    expect(comparedPeriods({ kind: 'day', from: '2026-12-05', to: '2026-12-06' }, '2026-12-05').partial).toBe(false);
    // A year in its 339th day against the same 339 days of the year before.
    expect(comparedPeriods({ kind: 'year', from: '2026-01-01', to: '2027-01-01' }, '2026-12-05').previous).toEqual({ kind: 'range', from: '2025-01-01', to: '2025-12-06' });
  });
  it('refuse dates that do not exist', () => {
    expect(isDate('2026-02-29')).toBe(false);
    expect(isDate('2028-02-29')).toBe(true);
    expect(isDate('2026-1-01')).toBe(false);
  });
  it('split into trend buckets clipped to the period', () => {
    const b = buckets({ from: '2026-01-07', to: '2026-07-01' }, 'week');
    expect(b[0]).toMatchObject({ from: '2026-01-07', to: '2026-01-12' });
    expect(b.at(-1)!.to).toBe('2026-07-01');
    expect(buckets({ from: '2026-01-01', to: '2027-01-01' }, 'month')).toHaveLength(12);
  });
});

describe('the monthly narrative', () => {
  it('says what will appear when there is no history', () => {
    const text = monthlyNarrative({ label: '2026年10月', cur: deriveFigures(emptyCounts()), previous: null, lastYear: null, topProblems: [], unitRanking: [], hotCommunities: [] });
    expect(text.join('')).toContain('暂无工单');
  });
  it('writes the figures it was given', () => {
    const c = { ...emptyCounts(), received: 200, resolved: 180, resolvedOnTime: 171, callbacks: 100, satisfied: 96, proactive: 50 };
    const prev = { ...emptyCounts(), received: 160, resolved: 150, resolvedOnTime: 150 };
    const text = monthlyNarrative({
      label: '2026年10月',
      cur: deriveFigures(c),
      previous: deriveFigures(prev),
      lastYear: null,
      topProblems: [{ name: '市容环境/暴露垃圾', count: 40, where: '体育社区' }],
      unitRanking: [
        { name: '城管局', onTimeRate: 0.99, resolved: 80 },
        { name: '住建局', onTimeRate: 0.8, resolved: 20 },
      ],
      hotCommunities: [{ name: '体育社区', received: 90 }],
    }).join('\n');
    expect(text).toContain('受理群众诉求200件，环比+25.0%');
    expect(text).toContain('按时办结率95.0%，下降5.0个百分点');
    expect(text).toContain('满意率96.0%');
    expect(text).toContain('“市容环境/暴露垃圾”40件（主要在体育社区）');
    expect(text).toContain('最低的是住建局（80.0%，办结20件），需加强督办');
  });
});
