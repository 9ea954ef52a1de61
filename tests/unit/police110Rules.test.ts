// The shared rules of 110 transfers, their sign-in deadline and the SMS templates.
import { describe, expect, it } from 'vitest';
import { awaitsSignIn, formatSignInCountdown, signInLateMinutes, signInState } from '../../src/shared/domain/signIn';
import { feedbackState, police110Transfer } from '../../src/shared/intake/police110';
import { fillTemplate, maskPhone, mobileOf, templateProblems, DEFAULT_SMS_TEMPLATES } from '../../src/shared/intake/sms';
import { classifyTransfer } from '../../src/city/intake/police110';

const T0 = Date.parse('2026-12-03T09:00:00+08:00');
const MIN = 60_000;

describe('sign-in deadline', () => {
  const t = { channel: 'police110', status: 'dispatched' as const, acceptDeadline: T0 + 5 * MIN };
  it('counts down, turns urgent in the last two minutes, and is missed after', () => {
    expect(signInState(t, T0)).toBe('pending');
    expect(signInState(t, T0 + 3.5 * MIN)).toBe('urgent');
    expect(signInState(t, T0 + 5 * MIN + 1)).toBe('missed');
    expect(awaitsSignIn(t, T0 + 10 * MIN)).toBe(true);
    expect(signInState({ ...t, acceptedAt: T0 + 4 * MIN }, T0 + 10 * MIN)).toBe('signed');
    expect(signInState({ ...t, acceptedAt: T0 + 6 * MIN }, T0 + 10 * MIN)).toBe('signedLate');
    expect(signInState({ ...t, channel: 'hotline12345' }, T0 + 10 * MIN)).toBe('none');
    expect(formatSignInCountdown(T0 + 5 * MIN, T0 + 55_000)).toBe('剩余 4分05秒');
    expect(formatSignInCountdown(T0 + 5 * MIN, T0 + 7 * MIN + 10_000)).toBe('超时 2分10秒');
    expect(formatSignInCountdown(T0 + 5 * MIN, T0 + 70 * MIN)).toBe('超时 1小时5分');
  });
  it('late minutes round up, in time is 0, no deadline is not tracked', () => {
    expect(signInLateMinutes({ accept_deadline: T0 }, T0)).toBe(0);
    expect(signInLateMinutes({ accept_deadline: T0 }, T0 + 1)).toBe(1);
    expect(signInLateMinutes({ accept_deadline: T0 }, T0 + 2 * MIN)).toBe(2);
    expect(signInLateMinutes({ accept_deadline: null }, T0 + 2 * MIN)).toBeNull();
  });
});

describe('110 transfer payload', () => {
  const ok = { incidentNo: '110-20261203-000123', time: '2026-12-03T09:15:00+08:00', address: '经八路街道纬五路12号', text: '来电反映楼下油烟直排' };
  it('accepts a minimal transfer and an ISO time', () => {
    const p = police110Transfer.parse(ok);
    expect(p.time).toBe(Date.parse('2026-12-03T09:15:00+08:00'));
    expect(p.caller.smsConsent).toBe(false);
  });
  it('refuses what it cannot use', () => {
    for (const bad of [
      { ...ok, incidentNo: 'a b' },
      { ...ok, time: 'yesterday' },
      { ...ok, address: undefined },
      { ...ok, text: '短' },
      { ...ok, point: { lon: 200, lat: 34 } },
      { ...ok, caller: { phone: '1'.repeat(30) } },
      { ...ok, unknown: true },
    ])
      expect(police110Transfer.safeParse(bad).success).toBe(false);
  });
  it('feedback states', () => {
    expect(feedbackState('dispatched', false)).toBe('transferred');
    expect(feedbackState('accepted', true)).toBe('signedIn');
    expect(feedbackState('resolved', true)).toBe('resolved');
    expect(feedbackState('reopened', true)).toBe('returned');
    expect(feedbackState('closed', true)).toBe('closed');
  });
  it('is classified by its hint (code or name), else by its text', () => {
    expect(classifyTransfer({ category: '0502', text: '……' })?.service_name).toBe('油烟污染');
    expect(classifyTransfer({ category: '噪声', text: '……' })?.service_name).toBe('噪声污染');
    expect(classifyTransfer({ text: '门口有人占道经营' })?.service_code).toBe('0301');
    expect(classifyTransfer({ text: '有只猫被困在树上下不来' })).toBeNull();
  });
});

describe('SMS templates and numbers', () => {
  it('fills in, checks, and masks', () => {
    expect(fillTemplate(DEFAULT_SMS_TEMPLATES.intake, { code: 'X-1', street: '经八路街道', channel: '110非警务' })).toBe('【郑州城运】您反映的问题已受理（110非警务），工单号 X-1，由经八路街道办理。');
    expect(templateProblems('intake', DEFAULT_SMS_TEMPLATES.intake)).toEqual([]);
    expect(templateProblems('result', DEFAULT_SMS_TEMPLATES.result)).toEqual([]);
    expect(templateProblems('result', '工单 {code} 已办结')).toEqual(['办结通知须包含处理结果 {result}']);
    expect(templateProblems('intake', '受理 {phone}')).toEqual(['未知的占位符 {phone}', '模板须包含工单号 {code}']);
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('+86 138-1234-5678')).toBe('861****5678');
    expect(mobileOf('+86 138-1234-5678')).toBe('13812345678');
    expect(mobileOf('0371-6666666')).toBeNull();
  });
});
