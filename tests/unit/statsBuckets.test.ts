import { describe, expect, it } from 'vitest';
import { bucketOfDay } from '../../src/main/services/stats/counts';

const dayNum = (date: string) => Date.parse(`${date}T00:00:00Z`) / 86_400_000;

describe('time buckets from CST day numbers', () => {
  it('names the day, its week (Monday) and its month', () => {
    expect(bucketOfDay(0, 'day')).toBe('1970-01-01');
    expect(bucketOfDay(0, 'week')).toBe('1969-12-29'); // a Thursday → the Monday before
    for (const [d, monday] of [
      ['2026-11-30', '2026-11-30'], // Monday
      ['2026-12-03', '2026-11-30'], // Thursday
      ['2026-12-06', '2026-11-30'], // Sunday
      ['2026-12-07', '2026-12-07'],
      ['2024-03-01', '2024-02-26'], // leap year
    ] as const) {
      expect(bucketOfDay(dayNum(d), 'week')).toBe(monday);
      expect(bucketOfDay(dayNum(d), 'day')).toBe(d);
    }
    expect(bucketOfDay(dayNum('2024-02-29'), 'month')).toBe('2024-02-01');
    expect(bucketOfDay(dayNum('2026-12-31'), 'month')).toBe('2026-12-01');
  });

  it('gives the Monday of a plain calendar walk on every day of three years', () => {
    for (let d = dayNum('2024-01-01'); d < dayNum('2027-01-01'); d++) {
      const date = new Date(d * 86_400_000);
      const back = (date.getUTCDay() + 6) % 7;
      expect(bucketOfDay(d, 'week')).toBe(new Date((d - back) * 86_400_000).toISOString().slice(0, 10));
    }
  });
});
