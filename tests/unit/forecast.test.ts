import { describe, expect, it } from 'vitest';
import {
  backtest,
  backtestOrigins,
  FIRST_ORIGIN,
  forecastSeries,
  HORIZON_WEEKS,
  levelRatio,
  MIN_HISTORY_WEEKS,
  quantile,
  scaledSeasonal,
  SEASON_WEEKS,
  seasonalNaive,
} from '../../src/shared/stats/forecast';
import { seasonsIn } from '../../src/shared/stats/seasons';

/** A yearly season: 10 a week, 60 in weeks 30–33 of each year (a sharp peak), times a yearly growth. */
const spiky = (n: number, growth = 1) => Array.from({ length: n }, (_, t) => (t % SEASON_WEEKS >= 30 && t % SEASON_WEEKS <= 33 ? 60 : 10) * growth ** Math.floor(t / SEASON_WEEKS));
/** A smooth season (sinusoid) that grows 2 % a week: the same week last year is always too low. */
const growing = (n: number) => Array.from({ length: n }, (_, t) => (20 + 10 * Math.sin((2 * Math.PI * t) / SEASON_WEEKS)) * 1.005 ** t);

describe('seasonal naive', () => {
  it('repeats the same week one year earlier (a known season is forecast exactly)', () => {
    const y = spiky(100);
    expect(seasonalNaive(y, 100, 8)).toEqual(y.slice(100 - SEASON_WEEKS, 108 - SEASON_WEEKS));
    // Weeks 82–85 (= 30–33 of the next year) are the peak again.
    const f = seasonalNaive(spiky(80), 80, 8);
    expect(f).toEqual([10, 10, 60, 60, 60, 60, 10, 10]);
    expect(backtest(spiky(104), 'seasonalNaive').mape).toBe(0);
  });

  it('the scaled model uses only weeks before the origin and the year-over-year level', () => {
    const y = spiky(104, 1.5);
    expect(levelRatio(y, 100)).toBeCloseTo(1.5, 10);
    const f = scaledSeasonal(y, 70, 3);
    // week 70 → last year's 17–19 (flat 10s) × 1.5 … and nothing at or after index 70 is read
    expect(f[0]).toBeCloseTo(15, 10);
    const cut = [...y.slice(0, 70), ...Array(40).fill(9999)];
    expect(scaledSeasonal(cut, 70, 8)).toEqual(scaledSeasonal(y, 70, 8));
    expect(seasonalNaive(cut, 70, 8)).toEqual(seasonalNaive(y, 70, 8));
  });
});

describe('rolling-origin backtest', () => {
  it('origins every 4 weeks, the last leaving 8 weeks to score', () => {
    expect(backtestOrigins(FIRST_ORIGIN + HORIZON_WEEKS)).toEqual([FIRST_ORIGIN]);
    expect(backtestOrigins(FIRST_ORIGIN + HORIZON_WEEKS - 1)).toEqual([]);
    expect(backtestOrigins(76)).toEqual([60, 64, 68]);
    expect(backtestOrigins(104)).toEqual([60, 64, 68, 72, 76, 80, 84, 88, 92, 96]);
  });

  it('MAPE is the mean of |actual − forecast| / actual over the scored weeks with an actual > 0', () => {
    // One origin (60): forecasts are weeks 8–15, actuals weeks 60–67.
    const y = Array(68).fill(10);
    for (let k = 0; k < 8; k++) y[8 + k] = 10 + k; // forecasts 10 … 17
    y[60] = 20; // |20 − 10| / 20 = 0.5
    y[61] = 0; // not scored (no actual)
    y[62] = 8; // |8 − 12| / 8 = 0.5
    // 63–67: actual 10 against 13 … 17 → 0.3, 0.4, 0.5, 0.6, 0.7
    const bt = backtest(y, 'seasonalNaive');
    expect(bt.origins).toBe(1);
    expect(bt.points).toBe(7);
    expect(bt.mape).toBeCloseTo((0.5 + 0.5 + 0.3 + 0.4 + 0.5 + 0.6 + 0.7) / 7, 12);
    // Relative errors (actual − forecast) / forecast feed the interval; week 61 counts there.
    expect(bt.relErrors[1]).toBeCloseTo(-1, 12);
    expect(bt.relErrors).toHaveLength(8);
  });

  it('no scored week: MAPE is null, not 0', () => {
    expect(backtest(Array(68).fill(0), 'seasonalNaive').mape).toBeNull();
  });

  it('quantiles interpolate between order statistics', () => {
    expect(quantile([3, 1, 2, 4, 5], 0.5)).toBe(3);
    expect(quantile([0, 10], 0.1)).toBeCloseTo(1, 12);
    expect(quantile([], 0.9)).toBe(0);
  });
});

describe('forecastSeries', () => {
  it('keeps the baseline when the model does not beat it (an exact season)', () => {
    const r = forecastSeries(spiky(104));
    expect(r.status).toBe('ok');
    if (r.status !== 'ok') return;
    expect(r.baselineMape).toBe(0);
    expect(r.modelMape!).toBeGreaterThan(0);
    expect(r.method).toBe('seasonalNaive');
    expect(r.points.map((p) => p.value)).toEqual(seasonalNaive(spiky(104), 104, 8));
  });

  it('uses the model only when it wins the backtest (a growing season)', () => {
    const y = growing(104);
    const r = forecastSeries(y);
    expect(r.status).toBe('ok');
    if (r.status !== 'ok') return;
    expect(r.modelMape!).toBeLessThan(r.baselineMape!);
    expect(r.method).toBe('scaledSeasonal');
    expect(r.points.map((p) => p.value)).toEqual(scaledSeasonal(y, 104, 8));
    for (const p of r.points) {
      expect(p.lo).toBeLessThanOrEqual(p.value);
      expect(p.hi).toBeGreaterThanOrEqual(p.value);
      expect(p.lo).toBeGreaterThanOrEqual(0);
    }
  });

  it('warns when a week is expected well above the recent level', () => {
    // History ends at week 80 of a spiky season: weeks 82–85 (= 30–33) are the peak.
    const r = forecastSeries(spiky(80));
    expect(r.status).toBe('ok');
    if (r.status !== 'ok') return;
    expect(r.recentLevel).toBe(10);
    expect(r.riseWeeks).toEqual([2, 3, 4, 5]);
    // … and a flat series gives none.
    const flat = forecastSeries(Array(90).fill(12));
    expect(flat.status === 'ok' && flat.riseWeeks).toEqual([]);
    // A single week's spike last year is not a season: no warning from one rising week.
    const once = Array.from({ length: 80 }, (_, t) => (t === 30 ? 60 : 10));
    const r1 = forecastSeries(once);
    expect(r1.status === 'ok' && r1.method).toBe('seasonalNaive');
    expect(r1.status === 'ok' && r1.points[2]!.value).toBe(60);
    expect(r1.status === 'ok' && r1.riseWeeks).toEqual([]);
  });

  it('says when there is too little history instead of forecasting', () => {
    expect(forecastSeries(spiky(MIN_HISTORY_WEEKS - 1))).toEqual({ status: 'tooLittle', weeks: MIN_HISTORY_WEEKS - 1, needed: MIN_HISTORY_WEEKS });
    expect(forecastSeries([]).status).toBe('tooLittle');
    expect(forecastSeries(spiky(MIN_HISTORY_WEEKS)).status).toBe('ok');
  });
});

describe('named seasons', () => {
  it('come from fixed calendar windows', () => {
    expect(seasonsIn('2026-07-06', '2026-07-13')).toEqual(['汛期']);
    expect(seasonsIn('2026-08-31', '2026-09-07')).toEqual(['开学季', '汛期']);
    expect(seasonsIn('2026-12-28', '2027-01-04')).toEqual(['供暖季']);
    expect(seasonsIn('2026-11-09', '2026-11-16')).toEqual(['供暖季']); // 15 November is in
    expect(seasonsIn('2026-10-12', '2026-10-19')).toEqual([]);
    expect(seasonsIn('2026-03-09', '2026-03-16')).toEqual(['开学季', '供暖季']);
  });
});
