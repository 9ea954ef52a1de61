// One way to say how long something takes, for the whole app. Two clocks, never mixed up:
// natural time counts 24-hour 天; working time (the daily supervision clock, which skips nights,
// weekends and public holidays) counts 工作日 of WORK_HOURS_PER_DAY hours. Saying "1天" for 8
// working hours made overdue tickets look three times less late than they were.

import { WORK_HOURS_PER_DAY } from './calendar';

export type DurationClock = 'natural' | 'working';

/**
 * "3天4小时", "2小时5分", "12分钟" (natural) or "3个工作日4小时" (working). Minutes are floored:
 * a ticket 59 seconds overdue is "0分钟", never rounded up to a minute it has not reached.
 */
export function formatDuration(minutes: number, clock: DurationClock = 'natural'): string {
  const m = Math.max(0, Math.floor(minutes));
  const perDay = clock === 'working' ? WORK_HOURS_PER_DAY * 60 : 1440;
  const d = Math.floor(m / perDay);
  const h = Math.floor((m % perDay) / 60);
  const mi = m % 60;
  const day = clock === 'working' ? '个工作日' : '天';
  if (d > 0) return h > 0 ? `${d}${day}${h}小时` : `${d}${day}`;
  if (h > 0) return mi > 0 ? `${h}小时${mi}分` : `${h}小时`;
  return `${mi}分钟`;
}

/** Countdown to a deadline on the natural clock: "剩余 2天3小时" / "超期 5小时". */
export function formatCountdown(deadline: number, now: number): string {
  const diff = deadline - now;
  return `${diff >= 0 ? '剩余' : '超期'} ${formatDuration(Math.abs(diff) / 60_000)}`;
}

/** How long ago something began, natural clock: "3天4小时". */
export function formatAge(since: number, now: number): string {
  return formatDuration((now - since) / 60_000);
}
