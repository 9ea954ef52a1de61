// One duration formatter for the whole app: natural 天 (24 h) and working 工作日 (the working
// hours of one working day) never mixed up, at the boundaries and across a public holiday.
import { describe, expect, it } from 'vitest';
import { Calendar, WORK_HOURS_PER_DAY } from '../../src/shared/domain/calendar';
import { formatAge, formatCountdown, formatDuration } from '../../src/shared/domain/duration';
import { ESCALATION_RULES, clockOf, overdueHours } from '../../src/shared/domain/supervision';

const cst = (s: string) => Date.parse(s + '+08:00');
const W = WORK_HOURS_PER_DAY * 60;

describe('formatDuration', () => {
  it('natural clock: minutes, hours, 24-hour days', () => {
    expect(formatDuration(0)).toBe('0分钟');
    expect(formatDuration(0.99)).toBe('0分钟'); // never rounds up to a minute not reached
    expect(formatDuration(59)).toBe('59分钟');
    expect(formatDuration(60)).toBe('1小时');
    expect(formatDuration(61)).toBe('1小时1分');
    expect(formatDuration(1439)).toBe('23小时59分');
    expect(formatDuration(1440)).toBe('1天');
    expect(formatDuration(1500)).toBe('1天1小时');
    expect(formatDuration(29 * 1440 + 22 * 60)).toBe('29天22小时');
    expect(formatDuration(-5)).toBe('0分钟');
  });

  it('working clock: a working day is the working hours of one day, not 24 hours', () => {
    expect(WORK_HOURS_PER_DAY).toBeLessThan(24);
    expect(formatDuration(W - 1, 'working')).toBe(`${WORK_HOURS_PER_DAY - 1}小时59分`);
    expect(formatDuration(W, 'working')).toBe('1个工作日');
    // 24 working hours are three working days, not "1天" (the defect: 督办 three times too short).
    expect(formatDuration(24 * 60, 'working')).toBe(`${Math.floor(24 / WORK_HOURS_PER_DAY)}个工作日${24 % WORK_HOURS_PER_DAY ? `${24 % WORK_HOURS_PER_DAY}小时` : ''}`);
    expect(formatDuration(24 * 60, 'working')).not.toBe(formatDuration(24 * 60, 'natural'));
  });

  it('overdue across 国庆: the working clock skips the holiday, the natural clock does not', () => {
    const cal = new Calendar();
    const deadline = cst('2026-09-30T17:00'); // end of the last working day before 国庆
    const now = cst('2026-10-08T10:00'); // first working morning after it
    const working = ESCALATION_RULES.daily.days;
    const workMinutes = overdueHours(cal, working, deadline, now) * 60;
    expect(workMinutes).toBeLessThan(W); // under one working day
    expect(formatDuration(workMinutes, clockOf('daily'))).toMatch(/^\d+小时(\d+分)?$|^\d+分钟$/);
    expect(formatDuration((now - deadline) / 60_000, clockOf('holiday'))).toBe('7天17小时');
  });

  it('countdown and age use it', () => {
    const due = cst('2026-11-20T18:00');
    expect(formatCountdown(due, cst('2026-11-19T15:00'))).toBe('剩余 1天3小时');
    expect(formatCountdown(due, cst('2026-11-20T19:30'))).toBe('超期 1小时30分');
    expect(formatCountdown(due, due)).toBe('剩余 0分钟');
    expect(formatAge(cst('2026-11-18T08:00'), cst('2026-11-20T09:05'))).toBe('2天1小时');
  });
});
