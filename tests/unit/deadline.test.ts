// Deadlines across weekends, public holidays and make-up working days (2026).
import { describe, expect, it } from 'vitest';
import { Calendar, cstDate } from '../../src/shared/domain/calendar';
import { computeDeadlines, deadlineState, escalationLevel } from '../../src/shared/domain/deadline';
import { formatCountdown } from '../../src/shared/domain/duration';

const cal = new Calendar();
/** An instant given as China Standard Time. */
const cst = (s: string) => Date.parse(s + '+08:00');
const asCst = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');

describe('working-day calendar 2026', () => {
  it('knows holidays and make-up working days', () => {
    expect(cal.isWorkingDay('2026-01-01')).toBe(false); // 元旦
    expect(cal.isWorkingDay('2026-01-04')).toBe(true); // Sunday, make-up day
    expect(cal.isWorkingDay('2026-02-16')).toBe(false); // 春节 (Monday)
    expect(cal.isWorkingDay('2026-02-14')).toBe(true); // Saturday, make-up day
    expect(cal.isWorkingDay('2026-02-28')).toBe(true); // Saturday, make-up day
    expect(cal.isWorkingDay('2026-05-05')).toBe(false); // 劳动节 (Tuesday)
    expect(cal.isWorkingDay('2026-05-09')).toBe(true); // Saturday, make-up day
    expect(cal.isWorkingDay('2026-10-08')).toBe(true); // Thursday after 国庆
    expect(cal.isWorkingDay('2026-10-07')).toBe(false);
    expect(cal.isWorkingDay('2026-10-10')).toBe(true); // Saturday, make-up day
    expect(cal.isWorkingDay('2026-11-21')).toBe(false); // ordinary Saturday
    expect(cal.holidayName('2026-02-17')).toBe('春节');
  });

  it('adds working hours within a day and across lunch', () => {
    expect(asCst(cal.addWorkingHours(cst('2026-11-23T10:00'), 2))).toBe('2026-11-23 12:00');
    expect(asCst(cal.addWorkingHours(cst('2026-11-23T12:30'), 1))).toBe('2026-11-23 14:00');
  });

  it('skips the weekend', () => {
    expect(asCst(cal.addWorkingHours(cst('2026-11-20T17:00'), 2))).toBe('2026-11-23 10:00');
  });

  it('skips the Spring Festival and counts the Saturday make-up day', () => {
    // Friday 13 Feb 17:00 + 2 working hours → Saturday 14 Feb (make-up day) 10:00
    expect(asCst(cal.addWorkingHours(cst('2026-02-13T17:00'), 2))).toBe('2026-02-14 10:00');
    // Saturday 14 Feb (make-up) 17:00 + 2h → holidays 15–23 Feb, next working day Tue 24 Feb
    expect(asCst(cal.addWorkingHours(cst('2026-02-14T17:00'), 2))).toBe('2026-02-24 10:00');
  });

  it('working days end at 18:00 of the Nth working day', () => {
    expect(asCst(cal.addWorkingDays(cst('2026-09-30T10:00'), 1))).toBe('2026-10-08 18:00');
    expect(asCst(cal.addWorkingDays(cst('2026-10-09T10:00'), 1))).toBe('2026-10-10 18:00');
    expect(asCst(cal.addWorkingDays(cst('2026-04-30T10:00'), 3))).toBe('2026-05-08 18:00');
  });

  it('counts working minutes between instants', () => {
    expect(cal.workingMinutesBetween(cst('2026-11-20T17:00'), cst('2026-11-23T10:00'))).toBe(120);
    expect(cal.workingMinutesBetween(cst('2026-11-23T10:00'), cst('2026-11-23T09:00'))).toBe(0);
  });

  it('cstDate uses China time', () => {
    expect(cstDate(Date.parse('2026-11-22T17:00:00Z'))).toBe('2026-11-23');
  });
});

describe('deadlines from the catalog, run mode and urgency', () => {
  const sla = { acceptWithinHours: 2, resolveWithin: 3, resolveUnit: 'workDays' as const };
  it('daily mode on working time', () => {
    const d = computeDeadlines(cal, cst('2026-09-30T10:00'), sla);
    expect(asCst(d.acceptDeadline)).toBe('2026-09-30 12:00');
    expect(asCst(d.resolveDeadline)).toBe('2026-10-10 18:00'); // 8, 9, 10 (Saturday make-up day)
  });
  it('emergency mode runs on natural time at a quarter', () => {
    const d = computeDeadlines(cal, cst('2026-09-30T10:00'), sla, 'emergency');
    expect(d.resolveDeadline - cst('2026-09-30T10:00')).toBe(18 * 3600_000);
  });
  it('urgent halves working hours', () => {
    const d = computeDeadlines(cal, cst('2026-11-23T09:00'), { acceptWithinHours: 2, resolveWithin: 8, resolveUnit: 'workHours' }, 'daily', 'urgent');
    expect(asCst(d.resolveDeadline)).toBe('2026-11-23 14:00');
  });
  it('natural-hour SLAs (gas leak: 2 hours) ignore the calendar', () => {
    const start = cst('2026-10-01T03:00');
    const d = computeDeadlines(cal, start, { acceptWithinHours: 0.5, resolveWithin: 2, resolveUnit: 'hours' });
    expect(d.resolveDeadline - start).toBe(2 * 3600_000);
  });
});

describe('overdue detection and escalation', () => {
  const due = cst('2026-11-20T18:00');
  it('classifies deadline states', () => {
    expect(deadlineState('accepted', due, cst('2026-11-20T19:00'))).toBe('overdue');
    expect(deadlineState('accepted', due, cst('2026-11-20T08:00'))).toBe('dueSoon');
    expect(deadlineState('accepted', due, cst('2026-11-18T08:00'))).toBe('ok');
    expect(deadlineState('closed', due, cst('2026-11-25T08:00'))).toBe('none');
  });
  it('escalates by working days overdue', () => {
    expect(escalationLevel(cal, due, cst('2026-11-20T17:00'))).toBe(0);
    expect(escalationLevel(cal, due, cst('2026-11-23T12:00'))).toBe(1);
    expect(escalationLevel(cal, due, cst('2026-11-25T12:00'))).toBe(2);
    expect(escalationLevel(cal, due, cst('2026-11-27T12:00'))).toBe(3);
    expect(escalationLevel(cal, due, cst('2026-12-01T12:00'))).toBe(4);
  });
  it('formats countdowns in Chinese', () => {
    expect(formatCountdown(due, cst('2026-11-19T15:00'))).toBe('剩余 1天3小时');
    expect(formatCountdown(due, cst('2026-11-20T19:30'))).toBe('超期 1小时30分');
  });
});

describe('due soon (即将超期) scales with the deadline', () => {
  it('a 4-hour deadline is due soon in its last hour, not from the start; a 5-day one in its last day', async () => {
    const { dueSoonWindow, DUE_SOON_MS } = await import('../../src/shared/domain/deadline');
    const start = cst('2026-11-23T09:00');
    const four = start + 4 * 3600_000;
    expect(deadlineState('dispatched', four, start + 60_000, start)).toBe('ok');
    expect(deadlineState('dispatched', four, four - 3600_000 - 1, start)).toBe('ok');
    expect(deadlineState('dispatched', four, four - 3600_000, start)).toBe('dueSoon');
    expect(dueSoonWindow(start, four)).toBe(3600_000);
    const five = start + 5 * 86_400_000;
    expect(dueSoonWindow(start, five)).toBe(DUE_SOON_MS);
    expect(deadlineState('accepted', five, five - DUE_SOON_MS, start)).toBe('dueSoon');
    expect(deadlineState('accepted', five, five - DUE_SOON_MS - 1, start)).toBe('ok');
    // Without a start the full window applies; past the deadline it is overdue either way.
    expect(deadlineState('accepted', four, start + 60_000)).toBe('dueSoon');
    expect(deadlineState('accepted', four, four + 1, start)).toBe('overdue');
  });
});
