// 三维评价 definitions (src/shared/stats/ranking.ts) on hand-made counts: the system score's base
// and deductions, the public score, the weighted total over the scores that exist, tied ranks, the
// rules in force for a month, and rule validation.
import { describe, expect, it } from 'vitest';
import { checkRules, DEFAULT_RANKING_RULES, publicScore, rankTotals, rulesForMonth, scoreEntity, systemScore, type RankingCounts } from '../../src/shared/stats/ranking';

const zero: RankingCounts = {
  dispatched: 0, acceptedInTime: 0, acceptedLate: 0, resolved: 0, resolvedOnTime: 0, resolvedLate: 0, returned: 0, extended: 0, reopened: 0,
  supervisedL1: 0, supervisedL2: 0, supervisedL3: 0, supervisedL4: 0, callbacks: 0, satisfied: 0, unsatisfied: 0,
};
const c = (o: Partial<RankingCounts>): RankingCounts => ({ ...zero, ...o });
const R = DEFAULT_RANKING_RULES;

describe('系统自动评', () => {
  it('is 100 × (0.4 × 按时签收率 + 0.6 × 按时办结率) less the points of returns, extensions, overdue, supervision and reopens', () => {
    const counts = c({ dispatched: 4, acceptedInTime: 3, acceptedLate: 1, resolved: 5, resolvedOnTime: 4, resolvedLate: 1, returned: 1, extended: 1, supervisedL2: 1, reopened: 1 });
    const s = systemScore(counts, R);
    // 40 × 3/4 + 60 × 4/5 = 78; − (2 + 1 + 1 + 2 + 2) = 70
    expect(s.score).toBe(70);
    const byFigure = Object.fromEntries(s.items.map((i) => [i.figure + (i.points < 0 ? '-' : '+'), i]));
    expect(byFigure['returned-']).toMatchObject({ count: 1, points: -2 });
    expect(byFigure['supervisedL2-']).toMatchObject({ count: 1, points: -2 });
    expect(byFigure['reopened-']).toMatchObject({ count: 1, points: -2 });
    expect(byFigure['acceptedLate-']).toMatchObject({ count: 1, points: -10 });
    expect(byFigure['acceptedInTime+']).toMatchObject({ count: 3, points: 30 });
    expect(byFigure['resolvedOnTime+']).toMatchObject({ count: 4, points: 48 });
  });
  it('counts one rate alone when the other has no denominator, and has no score without either', () => {
    expect(systemScore(c({ resolved: 4, resolvedOnTime: 3, resolvedLate: 1 }), R).score).toBe(74); // 75 − 1 overdue point
    expect(systemScore(c({ dispatched: 2, acceptedInTime: 1, acceptedLate: 1 }), R).score).toBe(50);
    expect(systemScore(zero, R).score).toBeNull();
  });
  it('never goes below 0', () => {
    expect(systemScore(c({ dispatched: 1, acceptedInTime: 1, supervisedL4: 30 }), R).score).toBe(0);
  });
});

describe('群众参与评 and the total', () => {
  it('is the satisfaction of the callbacks', () => {
    expect(publicScore(c({ callbacks: 4, satisfied: 3, unsatisfied: 1 })).score).toBe(75);
    expect(publicScore(zero).score).toBeNull();
  });
  it('weights the three scores, leaving out the ones without a value', () => {
    const counts = c({ dispatched: 4, acceptedInTime: 3, acceptedLate: 1, resolved: 5, resolvedOnTime: 4, resolvedLate: 1, returned: 1, extended: 1, supervisedL2: 1, reopened: 1, callbacks: 4, satisfied: 3, unsatisfied: 1 });
    const all = scoreEntity(counts, { score: 90, reason: '专项整治表现突出' }, R);
    expect(all).toMatchObject({ system: 70, public: 75, performance: 90, total: 75.5 }); // 35 + 22.5 + 18
    expect(all.items.at(-1)).toMatchObject({ score: 'performance', figure: null, points: 90 });
    const noPerf = scoreEntity(counts, null, R);
    expect(noPerf.total).toBe(71.9); // (35 + 22.5) / 0.8 = 71.875
    expect(scoreEntity(zero, null, R).total).toBeNull();
    expect(scoreEntity(zero, { score: 60, reason: '仅有评分' }, R).total).toBe(60);
  });
});

describe('ranks and rules', () => {
  it('gives equal totals the same rank and skips the places they take', () => {
    expect(rankTotals([80, null, 90, 80])).toEqual([2, null, 1, 2]);
    expect(rankTotals([90, 80, 80, 70])).toEqual([1, 2, 2, 4]);
    expect(rankTotals([])).toEqual([]);
  });
  it('applies the latest version starting at or before the month, else the defaults', () => {
    const v = [
      { from: '2026-11', rules: { ...R, returnPoints: 5 } },
      { from: '2027-02', rules: { ...R, returnPoints: 7 } },
    ];
    expect(rulesForMonth(v, '2026-10')).toEqual({ from: '0000-01', rules: R });
    expect(rulesForMonth(v, '2026-11').rules.returnPoints).toBe(5);
    expect(rulesForMonth(v, '2027-01').rules.returnPoints).toBe(5);
    expect(rulesForMonth(v, '2027-03').rules.returnPoints).toBe(7);
  });
  it('refuses negative, non-finite, all-zero weights and a share above 1', () => {
    expect(checkRules(R)).toBeNull();
    expect(checkRules({ ...R, returnPoints: -1 })).toMatch(/不小于0/);
    expect(checkRules({ ...R, returnPoints: Number.NaN })).toMatch(/不小于0/);
    expect(checkRules({ ...R, weights: { system: 0, public: 0, performance: 0 } })).toMatch(/全为0/);
    expect(checkRules({ ...R, acceptShare: 1.5 })).toMatch(/0到1/);
  });
});
