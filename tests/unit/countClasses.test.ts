// The map legend's classes for counts: whole numbers, exactly the values each colour is given,
// empty classes left out.
import { describe, expect, it } from 'vitest';
import { countClasses } from '../../src/shared/stats/countClasses';

/** The map's own equal-interval class of a value (src/renderer/pages/StatsMap.tsx). */
const classOfRange = (min: number, max: number, n = 5) => {
  const step = (max - min) / n || 1;
  return (v: number) => Math.min(n - 1, Math.floor((v - min) / step));
};

describe('countClasses', () => {
  it('1 to 9 in five classes: whole-number bounds, no fractions', () => {
    expect(countClasses(1, 9, classOfRange(1, 9))).toEqual([
      [0, 1, 2],
      [1, 3, 4],
      [2, 5, 5],
      [3, 6, 7],
      [4, 8, 9],
    ]);
  });
  it('a narrow range leaves out the classes no whole number falls in', () => {
    expect(countClasses(0, 2, classOfRange(0, 2))).toEqual([
      [0, 0, 0],
      [2, 1, 1],
      [4, 2, 2],
    ]);
  });
  it('every whole number from min to max is in exactly the class classOf gives it', () => {
    for (const [min, max] of [[0, 1], [3, 17], [0, 100], [5, 1234], [7, 8]] as const) {
      const classOf = classOfRange(min, max);
      const classes = countClasses(min, max, classOf);
      let next = min;
      for (const [c, lo, hi] of classes) {
        expect(lo).toBe(next);
        expect(hi).toBeGreaterThanOrEqual(lo);
        for (let v = lo; v <= hi; v++) expect(classOf(v)).toBe(c);
        next = hi + 1;
      }
      expect(next).toBe(max + 1);
    }
  });
});
