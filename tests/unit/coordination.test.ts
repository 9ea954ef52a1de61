// Pure coordination rules: supervision levels by run mode and kind of deadline, the zero report's
// deadline state, patrol intervals, whistle department moves.
import { describe, expect, it } from 'vitest';
import { Calendar } from '../../src/shared/domain/calendar';
import { escalationLevel } from '../../src/shared/domain/deadline';
import { ESCALATION_RULES, nextEscalationAt, parseCatalogThresholds, ruleFor, supervisionLevelFor } from '../../src/shared/domain/supervision';
import { patrolDue, zeroReportState } from '../../src/shared/domain/runMode';
import { canMoveDept, formatElapsed, isCheckedIn } from '../../src/shared/domain/whistle';
import { RUN_MODES } from '../../src/shared/domain/ticket';

const cal = new Calendar();
const at = (s: string) => Date.parse(s + '+08:00');
const H = 3600_000;

describe('supervision levels', () => {
  it('daily mode on working-day deadlines is the classic rule the demo history follows', () => {
    const deadline = at('2026-11-26T18:00:00');
    for (let h = 0; h < 24 * 14; h += 1.5) {
      const now = deadline + h * H;
      expect(supervisionLevelFor(cal, deadline, now, 'daily', 'days')).toBe(escalationLevel(cal, deadline, now));
    }
  });

  it('is 0 before the deadline and 1 just after it, in every mode', () => {
    const d = at('2026-11-24T10:00:00');
    for (const m of RUN_MODES)
      for (const c of ['days', 'hours'] as const) {
        expect(supervisionLevelFor(cal, d, d, m, c)).toBe(0);
        expect(supervisionLevelFor(cal, d, d + 60_000, m, c)).toBe(1);
      }
  });

  it('never escalates slower in a stricter mode', () => {
    const d = at('2026-09-30T17:00:00'); // right before the National Day holidays
    const order = ['daily', 'holiday', 'majorEvent', 'emergency'] as const;
    for (let h = 0; h < 24 * 10; h += 0.5)
      for (const c of ['days', 'hours'] as const) {
        const levels = order.slice(1).map((m) => supervisionLevelFor(cal, d, d + h * H, m, c));
        for (let i = 1; i < levels.length; i++) expect(levels[i]).toBeGreaterThanOrEqual(levels[i - 1]!);
      }
  });

  it('counts natural hours in emergency mode: 2 h → level 2, 8 h → 3, 24 h → 4', () => {
    const d = at('2026-11-28T20:00:00'); // a Saturday night: no working time at all
    expect(supervisionLevelFor(cal, d, d + 2 * H + 60_000, 'emergency', 'days')).toBe(2);
    expect(supervisionLevelFor(cal, d, d + 2 * H + 60_000, 'daily', 'days')).toBe(1);
    expect(supervisionLevelFor(cal, d, d + 8 * H + 60_000, 'emergency', 'days')).toBe(3);
    expect(supervisionLevelFor(cal, d, d + 24 * H + 60_000, 'emergency', 'days')).toBe(4);
    expect(supervisionLevelFor(cal, d, d + 4 * H + 60_000, 'emergency', 'hours')).toBe(4);
  });

  it('predicts the next escalation at the instant the level changes', () => {
    const d = at('2026-11-26T18:00:00');
    for (const m of RUN_MODES)
      for (const c of ['days', 'hours'] as const)
        for (const l of [1, 2, 3] as const) {
          const t = nextEscalationAt(cal, d, l, m, c)!;
          expect(supervisionLevelFor(cal, d, t, m, c), `${m}/${c}/${l}`).toBe(l + 1);
          expect(supervisionLevelFor(cal, d, t - 61_000, m, c), `${m}/${c}/${l} before`).toBe(l);
        }
    expect(nextEscalationAt(cal, d, 4, 'daily', 'days')).toBeNull();
    expect(ESCALATION_RULES.emergency.days.clock).toBe('natural');
  });
});

describe('catalog thresholds', () => {
  it('accept only three increasing positive hours', () => {
    expect(parseCatalogThresholds('[1,2,4]')).toEqual([1, 2, 4]);
    for (const bad of [null, '', 'x', '[1,2]', '[2,1,4]', '[0,1,2]', '{"a":1}', '[1,"2",3]']) expect(parseCatalogThresholds(bad)).toBeNull();
  });
  it('replace the rule in daily mode and only ever tighten the other modes', () => {
    const own = [1, 2, 4] as const;
    expect(ruleFor('daily', 'days', own)).toEqual({ clock: 'working', thresholds: [1, 2, 4] });
    expect(ruleFor('emergency', 'days', own)).toEqual({ clock: 'natural', thresholds: [0.25, 0.5, 1] });
    expect(ruleFor('holiday', 'days', [100, 200, 300])).toEqual(ESCALATION_RULES.holiday.days);
    const d = at('2026-11-26T18:00:00');
    expect(supervisionLevelFor(cal, d, at('2026-11-27T10:30:00'), 'daily', 'days')).toBe(1);
    expect(supervisionLevelFor(cal, d, at('2026-11-27T10:30:00'), 'daily', 'days', own)).toBe(2);
    expect(supervisionLevelFor(cal, d, at('2026-11-27T12:00:00'), 'daily', 'days', own)).toBe(3); // 3 working hours
    expect(supervisionLevelFor(cal, d, at('2026-11-27T14:30:00'), 'daily', 'days', own)).toBe(4); // 4.5 working hours
    const t = nextEscalationAt(cal, d, 1, 'daily', 'days', own)!;
    expect(supervisionLevelFor(cal, d, t, 'daily', 'days', own)).toBe(2);
  });
});

describe('zero report deadline', () => {
  it('is not required in daily mode', () => {
    expect(zeroReportState('daily', at('2026-11-23T20:00:00'), null)).toEqual({ state: 'notRequired', dueAt: null });
  });
  it('is pending before the hour, missing after it, filed or late once filed', () => {
    const due = at('2026-11-23T10:00:00');
    expect(zeroReportState('emergency', at('2026-11-23T09:59:00'), null)).toEqual({ state: 'pending', dueAt: due });
    expect(zeroReportState('emergency', at('2026-11-23T10:00:01'), null)).toEqual({ state: 'missing', dueAt: due });
    expect(zeroReportState('emergency', at('2026-11-23T11:00:00'), at('2026-11-23T09:30:00')).state).toBe('filed');
    expect(zeroReportState('emergency', at('2026-11-23T11:00:00'), at('2026-11-23T10:30:00')).state).toBe('late');
    expect(zeroReportState('holiday', at('2026-11-23T15:00:00'), null)).toEqual({ state: 'pending', dueAt: at('2026-11-23T16:00:00') });
    // Just after local midnight it is a new day: pending again.
    expect(zeroReportState('emergency', at('2026-11-24T00:05:00'), null).state).toBe('pending');
  });
});

describe('patrols and whistle moves', () => {
  it('needs a patrol when the last check-in is older than the mode interval', () => {
    const now = at('2026-11-23T12:00:00');
    expect(patrolDue('daily', null, now)).toBe(false);
    expect(patrolDue('emergency', null, now)).toBe(true);
    expect(patrolDue('emergency', now - 1.5 * H, now)).toBe(false);
    expect(patrolDue('emergency', now - 2.5 * H, now)).toBe(true);
    expect(patrolDue('holiday', now - 11 * H, now)).toBe(false);
  });
  it('moves departments forward only', () => {
    expect(canMoveDept('notified', 'onSite')).toBe(true);
    expect(canMoveDept('acknowledged', 'online')).toBe(true);
    expect(canMoveDept('onSite', 'acknowledged')).toBe(false);
    expect(canMoveDept('done', 'onSite')).toBe(false);
    expect(canMoveDept('notified', 'done')).toBe(false);
    expect(isCheckedIn('online')).toBe(true);
    expect(isCheckedIn('acknowledged')).toBe(false);
    expect(formatElapsed(3_723_000)).toBe('01:02:03');
  });
});
