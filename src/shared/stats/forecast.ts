// 按季施策: a seasonal forecast of weekly counts, small enough to read in one sitting.
//
// Two methods, both over a weekly series with a yearly season of 52 weeks:
//  - the BASELINE, plain seasonal naive: the forecast for a week is the count of the same week one
//    year (52 weeks) earlier, NOT scaled by the recent level;
//  - the MODEL, smoothed seasonal naive scaled by the recent level: the mean of the same week and
//    its two neighbours one year earlier (less noise than one week), times the ratio of the last
//    8 weeks to the same 8 weeks one year earlier (the year's growth; clamped to 0.5–2).
// Both are scored by a rolling-origin backtest on the series itself (origins every 4 weeks, each
// forecasting the 8 weeks after it from the weeks before it only); the model is used only when
// its backtest MAPE is lower than the baseline's. The interval is empirical: the 10th and 90th
// percentiles of the chosen method's relative backtest errors, applied to its forecast (an 80 %
// interval as far as the past is a guide).

export const SEASON_WEEKS = 52;
export const HORIZON_WEEKS = 8;
/** Weeks the level ratio compares (the last ones against the same ones a year earlier). */
export const LEVEL_WEEKS = 8;
/** The first backtest origin: enough weeks behind it for a season plus the level window. */
export const FIRST_ORIGIN = SEASON_WEEKS + LEVEL_WEEKS;
export const ORIGIN_STEP = 4;
/** Complete weeks a category needs before it is forecast: at least three backtest origins. */
export const MIN_HISTORY_WEEKS = FIRST_ORIGIN + 2 * ORIGIN_STEP + HORIZON_WEEKS;
/** A warning when a forecast week is this many times the recent level … */
export const RISE_RATIO = 1.5;
/** … and at least this many tickets above it (so that 2 → 4 a week is no alarm) … */
export const RISE_MIN_EXTRA = 5;
/** … in at least this many of the forecast weeks (one week's spike of last year is noise, not a season). */
export const RISE_MIN_WEEKS = 2;

export type ForecastMethod = 'seasonalNaive' | 'scaledSeasonal';
export const FORECAST_METHOD_LABELS: Record<ForecastMethod, string> = {
  seasonalNaive: '季节朴素（去年同周）',
  scaledSeasonal: '平滑季节×近期水平',
};

/** Forecasts of weeks origin … origin+h−1 from y[0 … origin−1] (the series before the origin only). */
export function seasonalNaive(y: readonly number[], origin: number, h: number): number[] {
  const out: number[] = [];
  for (let k = 0; k < h; k++) out.push(y[origin + k - SEASON_WEEKS] ?? 0);
  return out;
}

const mean = (a: readonly number[]) => (a.length ? a.reduce((s, x) => s + x, 0) / a.length : 0);

/** The year's growth: the last LEVEL_WEEKS before the origin over the same weeks a year earlier, clamped to 0.5–2 (1 when nothing to compare). */
export function levelRatio(y: readonly number[], origin: number): number {
  const recent = y.slice(origin - LEVEL_WEEKS, origin);
  const before = y.slice(origin - LEVEL_WEEKS - SEASON_WEEKS, origin - SEASON_WEEKS);
  if (recent.length < LEVEL_WEEKS || before.length < LEVEL_WEEKS) return 1;
  const b = mean(before);
  if (b <= 0) return 1;
  return Math.min(2, Math.max(0.5, mean(recent) / b));
}

export function scaledSeasonal(y: readonly number[], origin: number, h: number): number[] {
  const r = levelRatio(y, origin);
  const out: number[] = [];
  for (let k = 0; k < h; k++) {
    const c = origin + k - SEASON_WEEKS;
    // Neighbours one year earlier, only those before the origin (never the future).
    const near = [c - 1, c, c + 1].filter((i) => i >= 0 && i < origin).map((i) => y[i]!);
    out.push(mean(near) * r);
  }
  return out;
}

const METHODS: Record<ForecastMethod, (y: readonly number[], origin: number, h: number) => number[]> = { seasonalNaive, scaledSeasonal };

export interface Backtest {
  /** Mean absolute percentage error over the backtest's weeks whose actual count is > 0 (a fraction; null when there are none). */
  mape: number | null;
  /** (actual − forecast) / forecast of every backtest week with a forecast > 0 (for the interval). */
  relErrors: number[];
  origins: number;
  points: number;
}

/** The rolling-origin backtest origins of a series of n weeks: n−8, n−12, … down to FIRST_ORIGIN. */
export function backtestOrigins(n: number): number[] {
  const out: number[] = [];
  for (let o = n - HORIZON_WEEKS; o >= FIRST_ORIGIN; o -= ORIGIN_STEP) out.unshift(o);
  return out;
}

export function backtest(y: readonly number[], method: ForecastMethod): Backtest {
  let ape = 0;
  let points = 0;
  const relErrors: number[] = [];
  const origins = backtestOrigins(y.length);
  for (const o of origins) {
    const f = METHODS[method](y, o, HORIZON_WEEKS);
    f.forEach((fc, k) => {
      const a = y[o + k]!;
      if (a > 0) {
        ape += Math.abs(a - fc) / a;
        points++;
      }
      if (fc > 0) relErrors.push((a - fc) / fc);
    });
  }
  return { mape: points ? ape / points : null, relErrors, origins: origins.length, points };
}

/** The q-quantile (0–1) of values, linear between order statistics. */
export function quantile(values: readonly number[], q: number): number {
  if (!values.length) return 0;
  const s = [...values].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}

export interface ForecastPoint {
  value: number;
  lo: number;
  hi: number;
}

export type SeriesForecast =
  | { status: 'tooLittle'; weeks: number; needed: number }
  | {
      status: 'ok';
      method: ForecastMethod;
      baselineMape: number | null;
      modelMape: number | null;
      /** Backtest origins and scored weeks. */
      origins: number;
      points: ForecastPoint[];
      /** The mean of the last LEVEL_WEEKS weeks (what "recent level" means in the warning). */
      recentLevel: number;
      /** Horizon indexes (0-based) of weeks expected to rise well above the recent level (none unless at least RISE_MIN_WEEKS do). */
      riseWeeks: number[];
    };

/**
 * Forecast of the HORIZON_WEEKS weeks after a weekly series (oldest first, complete weeks only,
 * starting at the category's first week). The model replaces the baseline only when its backtest
 * MAPE is strictly lower.
 */
export function forecastSeries(y: readonly number[]): SeriesForecast {
  if (y.length < MIN_HISTORY_WEEKS) return { status: 'tooLittle', weeks: y.length, needed: MIN_HISTORY_WEEKS };
  const base = backtest(y, 'seasonalNaive');
  const model = backtest(y, 'scaledSeasonal');
  const wins = model.mape != null && (base.mape == null || model.mape < base.mape);
  const method: ForecastMethod = wins ? 'scaledSeasonal' : 'seasonalNaive';
  const bt = wins ? model : base;
  const qlo = quantile(bt.relErrors, 0.1);
  const qhi = quantile(bt.relErrors, 0.9);
  const f = METHODS[method](y, y.length, HORIZON_WEEKS);
  const points = f.map((v) => ({ value: v, lo: Math.max(0, v * (1 + Math.min(0, qlo))), hi: v * (1 + Math.max(0, qhi)) }));
  const recentLevel = mean(y.slice(-LEVEL_WEEKS));
  const rising = points.flatMap((p, i) => (p.value >= recentLevel * RISE_RATIO && p.value - recentLevel >= RISE_MIN_EXTRA ? [i] : []));
  const riseWeeks = rising.length >= RISE_MIN_WEEKS ? rising : [];
  return { status: 'ok', method, baselineMape: base.mape, modelMape: model.mape, origins: bt.origins, points, recentLevel, riseWeeks };
}
