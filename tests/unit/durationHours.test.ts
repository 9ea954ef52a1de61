// 处置时长: the median by selection (no sort) against the sorted definition, on random, tied,
// odd and even inputs; the mean; empty input.
import { describe, expect, it } from 'vitest';
import { durationHours, nthSmallest } from '../../src/shared/stats/figures';

function reference(xs: number[]) {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  const median = n % 2 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
  return { mean: xs.reduce((a, b) => a + b, 0) / n / 60, median: median / 60 };
}

describe('durationHours', () => {
  it('equals the sorted median and the mean on random inputs, with ties, odd and even counts', () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let t = 0; t < 400; t++) {
      const n = 1 + Math.floor(rand() * 300);
      const spread = [3, 50, 5000][t % 3]!; // few distinct values (many ties) to many
      const xs = Array.from({ length: n }, () => Math.floor(rand() * spread));
      const got = durationHours(xs);
      const want = reference(xs);
      expect(got.median).toBe(want.median);
      expect(got.mean).toBeCloseTo(want.mean, 9);
    }
  });

  it('takes the middle two of an even count, one value, all equal, sorted and reversed input', () => {
    expect(durationHours([60, 180]).median).toBe(2);
    expect(durationHours([90]).median).toBe(1.5);
    expect(durationHours([120, 120, 120, 120]).median).toBe(2);
    expect(durationHours(Array.from({ length: 1001 }, (_, i) => i * 6)).median).toBe(50);
    expect(durationHours(Array.from({ length: 1000 }, (_, i) => (999 - i) * 6)).median).toBe(49.95);
    expect(durationHours(new Float64Array([30, 90, 60])).median).toBe(1);
    expect(durationHours([])).toEqual({ mean: null, median: null });
  });

  it('nthSmallest leaves the smaller values before k and the larger after', () => {
    const a = Float64Array.from([9, 1, 8, 2, 7, 3, 6, 4, 5, 5]);
    const v = nthSmallest(a, 4);
    expect(v).toBe(5);
    for (let i = 0; i < 4; i++) expect(a[i]).toBeLessThanOrEqual(5);
    for (let i = 5; i < a.length; i++) expect(a[i]).toBeGreaterThanOrEqual(5);
  });
});
