// The rules of 一批事 (src/shared/recurring/rules.ts): addresses as compared, text similarity,
// and the same-problem-same-place judgement with its reason.
import { describe, expect, it } from 'vitest';
import { metresBetween, normalizeAddress, samePlaceProblem, textProfile, textSimilarity, windowStart } from '../../src/shared/recurring/rules';

const pp = (o: Partial<{ categoryId: string | null; address: string; lon: number | null; lat: number | null; gridId: string | null; text: string }>) => ({
  categoryId: o.categoryId === undefined ? 'c12' : o.categoryId,
  address: o.address ?? '经八路12号',
  lon: o.lon === undefined ? 113.662 : o.lon,
  lat: o.lat === undefined ? 34.772 : o.lat,
  gridId: o.gridId === undefined ? 'g3' : o.gridId,
  text: textProfile(o.text ?? '经八路12号门口井盖松动，车一压就响'),
});
const rule = { place: 'near' as const, radiusM: 100, minSimilarity: 0.15 };

describe('normalizeAddress', () => {
  it('folds width, spaces, punctuation and a trailing 门口/附近', () => {
    expect(normalizeAddress('经八路 12 号门口')).toBe('经八路12号');
    expect(normalizeAddress('经八路１２号（附近）')).toBe('经八路12号');
    expect(normalizeAddress('经八路12号院东侧附近')).toBe('经八路12号院');
    expect(normalizeAddress('经八路12号')).not.toBe(normalizeAddress('经八路13号'));
  });
  it('too short or empty is no address', () => {
    expect(normalizeAddress('')).toBe('');
    expect(normalizeAddress(null)).toBe('');
    expect(normalizeAddress('门口')).toBe('');
  });
});

describe('textSimilarity', () => {
  it('is 1 for the same text, 0 for nothing in common, symmetric, and ignores digits and punctuation', () => {
    const a = textProfile('井盖松动，车一压就响');
    expect(textSimilarity(a, textProfile('井盖松动 车一压就响！！'))).toBeCloseTo(1, 6);
    expect(textSimilarity(a, textProfile('咨询社保办理流程'))).toBe(0);
    const b = textProfile('井盖又松动了，很危险');
    expect(textSimilarity(a, b)).toBeCloseTo(textSimilarity(b, a), 12);
    expect(textSimilarity(textProfile('12号'), textProfile('13号'))).toBe(0);
    expect(textSimilarity(textProfile(''), a)).toBe(0);
  });
});

describe('textProfile', () => {
  /** The profile straightforwardly: a map of the counted bigrams (Han, Latin letters; full-width letters folded). */
  const reference = (s: string) => {
    const units = Array.from(s, (ch) => {
      const c = ch.charCodeAt(0);
      return c >= 0xff21 && c <= 0xff5a ? c - 0xfee0 : c;
    }).filter((c) => (c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf) || (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a));
    const m = new Map<number, number>();
    for (let i = 1; i < units.length; i++) m.set(units[i - 1]! * 65536 + units[i]!, (m.get(units[i - 1]! * 65536 + units[i]!) ?? 0) + 1);
    return [...m].sort((a, b) => a[0] - b[0]);
  };
  it('holds each bigram once with its count, sorted, and nothing more (short, repeated, full-width, longer than its scratch)', () => {
    for (const s of ['', '井', '井盖', '井盖松动，井盖松动，井盖又松动了', 'ＬＥＤ灯不亮 led灯', '路灯不亮'.repeat(300) + '井盖', '12号']) {
      const p = textProfile(s);
      const ref = reference(s);
      expect([...p.grams]).toEqual(ref.map(([g]) => g));
      expect([...p.counts]).toEqual(ref.map(([, c]) => c));
      expect(p.grams.buffer.byteLength).toBe(ref.length * 4);
      expect(p.norm).toBeCloseTo(Math.sqrt(ref.reduce((n, [, c]) => n + c * c, 0)), 9);
    }
  });
});

describe('samePlaceProblem', () => {
  it('same category, same address or within the radius, similar text: yes, with the reason', () => {
    expect(samePlaceProblem(pp({}), pp({ address: '经八路12号门口', lon: null, lat: null }), rule)).toMatch(/^同一分类，同一地址，描述相似度 1\.00$/);
    expect(samePlaceProblem(pp({}), pp({ address: '经八路14号', lon: 113.6624, lat: 34.7723 }), rule)).toMatch(/^同一分类，相距 4\d 米，描述相似度/);
  });
  it('another category, far away, unlike text, no category: no', () => {
    expect(samePlaceProblem(pp({}), pp({ categoryId: 'c11' }), rule)).toBeNull();
    expect(samePlaceProblem(pp({}), pp({ address: '经八路88号', lon: 113.6648, lat: 34.7748 }), rule)).toBeNull();
    expect(samePlaceProblem(pp({}), pp({ text: '请问物业费收费标准' }), rule)).toBeNull();
    expect(samePlaceProblem(pp({ categoryId: null }), pp({ categoryId: null }), rule)).toBeNull();
    // Text off: the unlike complaint at the place counts.
    expect(samePlaceProblem(pp({}), pp({ text: '请问物业费收费标准' }), { ...rule, minSimilarity: 0 })).toBe('同一分类，同一地址');
  });
  it('grid mode: the same grid, whatever the distance; no grid is no place', () => {
    const grid = { ...rule, place: 'grid' as const };
    expect(samePlaceProblem(pp({}), pp({ address: '经八路88号', lon: 113.6648, lat: 34.7748 }), grid)).toMatch(/^同一分类，同一网格/);
    expect(samePlaceProblem(pp({}), pp({ gridId: 'g4' }), grid)).toBeNull();
    expect(samePlaceProblem(pp({ gridId: null }), pp({ gridId: null }), grid)).toBeNull();
  });
  it('metres are right within a street', () => {
    // 0.001° of latitude ≈ 110.6 m; of longitude at 34.77° ≈ 91.4 m.
    expect(metresBetween(113.662, 34.772, 113.662, 34.773)).toBeCloseTo(110.6, 0);
    expect(metresBetween(113.662, 34.772, 113.663, 34.772)).toBeCloseTo(91.4, 0);
  });
});

describe('windowStart', () => {
  it('is the China-time midnight of the day windowDays before the end’s day, whatever the hour', () => {
    const start = Date.parse('2024-12-04T00:00:00+08:00');
    expect(windowStart(Date.parse('2026-12-04T15:30:00+08:00'), 730)).toBe(start);
    expect(windowStart(Date.parse('2026-12-04T00:00:00+08:00'), 730)).toBe(start);
    expect(windowStart(Date.parse('2026-12-04T23:59:59.999+08:00'), 730)).toBe(start);
    // UTC's date is still the 3rd at 07:00 China time: the China-time day counts.
    expect(windowStart(Date.parse('2026-12-04T07:00:00+08:00'), 1)).toBe(Date.parse('2026-12-03T00:00:00+08:00'));
  });
});
