import { describe, expect, it } from 'vitest';
import { dateTextOf, parseDateText, parseDateTimeText, shapeDateText } from '../../src/shared/domain/dateEntry';

describe('dates typed in the zh-CN format, whatever the browser locale', () => {
  it('shapes digits as they are typed', () => {
    expect(shapeDateText('2026', false)).toBe('2026');
    expect(shapeDateText('202612', false)).toBe('2026-12');
    expect(shapeDateText('20261203', false)).toBe('2026-12-03');
    expect(shapeDateText('2026120399', false)).toBe('2026-12-03');
    expect(shapeDateText('2026/12/03', false)).toBe('2026-12-03');
    expect(shapeDateText('２０２６１２０３', false)).toBe('2026-12-03');
    expect(shapeDateText('202612031705', true)).toBe('2026-12-03 17:05');
    expect(shapeDateText('2026-12-03 1', true)).toBe('2026-12-03 1');
  });
  it('accepts only real days and times', () => {
    expect(parseDateText('2026-12-03')).toBe('2026-12-03');
    expect(parseDateText('2024-02-29')).toBe('2024-02-29');
    expect(parseDateText('2026-02-29')).toBeNull();
    expect(parseDateText('2026-13-01')).toBeNull();
    expect(parseDateText('12/03/2026')).toBeNull();
    expect(parseDateText('2026-12')).toBeNull();
    expect(parseDateTimeText('2026-12-03 17:05')).toBe('2026-12-03T17:05');
    expect(parseDateTimeText('2026-12-03T00:00')).toBe('2026-12-03T00:00');
    expect(parseDateTimeText('2026-12-03 24:00')).toBeNull();
    expect(parseDateTimeText('2026-12-03 05:08 PM')).toBeNull();
    expect(parseDateTimeText('2026-04-31 08:00')).toBeNull();
    expect(dateTextOf('2026-12-03T17:05')).toBe('2026-12-03 17:05');
  });
});
