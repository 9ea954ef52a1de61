// Sign-in (签收) rules for every dispatched ticket: the on-screen escalation thresholds, the late
// sign-in record and its timeline text, the live countdown.
import { describe, expect, it } from 'vitest';
import { SIGN_IN_DEFAULT_WINDOW_MS, formatSignInCountdown, signInEscalation, signInRecord } from '../../src/shared/domain/signIn';

const T0 = Date.parse('2026-12-03T09:00:00+08:00');
const MIN = 60_000;
const HOUR = 60 * MIN;

describe('on-screen escalation', () => {
  it('is normal until the last third of the window, amber in it, overdue after the deadline (a 2-hour window)', () => {
    const t = { dispatchedAt: T0, acceptDeadline: T0 + 2 * HOUR };
    expect(signInEscalation(t, T0)).toBe('normal');
    expect(signInEscalation(t, T0 + 80 * MIN - 1)).toBe('normal');
    expect(signInEscalation(t, T0 + 80 * MIN)).toBe('amber'); // 40 minutes left = one third
    expect(signInEscalation(t, T0 + 2 * HOUR)).toBe('amber'); // at the deadline: not yet late
    expect(signInEscalation(t, T0 + 2 * HOUR + 1)).toBe('overdue');
    expect(signInEscalation(t, T0 + 3 * 24 * HOUR)).toBe('overdue');
  });
  it('scales with a minutes-long window (a 110 transfer: 5 minutes)', () => {
    const t = { dispatchedAt: T0, acceptDeadline: T0 + 5 * MIN };
    expect(signInEscalation(t, T0 + 3 * MIN)).toBe('normal'); // 2 minutes left > 1m40s
    expect(signInEscalation(t, T0 + 3 * MIN + 20_000)).toBe('amber'); // 1m40s left = one third
    expect(signInEscalation(t, T0 + 5 * MIN + 1000)).toBe('overdue');
  });
  it('takes the default window when the dispatch time is unknown or after the deadline', () => {
    const deadline = T0 + 10 * HOUR;
    for (const dispatchedAt of [null, deadline + MIN]) {
      const t = { dispatchedAt, acceptDeadline: deadline };
      expect(signInEscalation(t, deadline - SIGN_IN_DEFAULT_WINDOW_MS / 3 - 1)).toBe('normal');
      expect(signInEscalation(t, deadline - SIGN_IN_DEFAULT_WINDOW_MS / 3)).toBe('amber');
    }
  });
});

describe('late sign-in record', () => {
  it('records in time as not late, with the deadline', () => {
    expect(signInRecord({ accept_deadline: T0 }, T0)).toEqual({ data: { signInDeadline: T0, late: false, lateMinutes: 0 }, reason: null });
  });
  it('says how late with the one duration formatter (minutes, hours, days)', () => {
    expect(signInRecord({ accept_deadline: T0 }, T0 + 1)?.reason).toBe('超时签收：超过签收时限 1分钟');
    expect(signInRecord({ accept_deadline: T0 }, T0 + 2 * MIN)).toEqual({ data: { signInDeadline: T0, late: true, lateMinutes: 2 }, reason: '超时签收：超过签收时限 2分钟' });
    expect(signInRecord({ accept_deadline: T0 }, T0 + 3 * HOUR + 5 * MIN)?.reason).toBe('超时签收：超过签收时限 3小时5分');
    expect(signInRecord({ accept_deadline: T0 }, T0 + 26 * HOUR)?.reason).toBe('超时签收：超过签收时限 1天2小时');
  });
  it('is nothing for a ticket without an accept deadline', () => {
    expect(signInRecord({ accept_deadline: null }, T0)).toBeNull();
  });
});

describe('live countdown', () => {
  it('ticks by the second within the hour and uses the duration formatter past it', () => {
    expect(formatSignInCountdown(T0 + 5 * MIN, T0)).toBe('剩余 5分00秒');
    expect(formatSignInCountdown(T0, T0 + 59 * MIN + 59_999)).toBe('超时 59分59秒');
    expect(formatSignInCountdown(T0 + HOUR, T0)).toBe('剩余 1小时');
    expect(formatSignInCountdown(T0 + 26 * HOUR + 30 * MIN, T0)).toBe('剩余 1天2小时');
  });
});
