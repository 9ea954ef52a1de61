// 签收时限 for transferred calls (110 非警务警情): the street must sign for one within minutes of the
// transfer. The node tracks it (late sign-ins in the timeline, missed ones supervised) and the
// renderer counts it down; both read these rules.

import type { TicketStatus } from './ticket';

/** Channels whose tickets carry a minutes-long sign-in deadline watched by the minute. */
export const SIGN_IN_CHANNELS: readonly string[] = ['police110'];
/** The last stretch before the deadline, shown as urgent. */
export const SIGN_IN_URGENT_MS = 2 * 60_000;

export type SignInState = 'none' | 'pending' | 'urgent' | 'missed' | 'signed' | 'signedLate';

export function watchesSignIn(channel: string | null | undefined): boolean {
  return !!channel && SIGN_IN_CHANNELS.includes(channel);
}

/** Whole minutes a sign-in at `at` came after the deadline (0 = in time); null when not watched. */
export function signInLateMinutes(t: { channel: string; accept_deadline: number | null }, at: number): number | null {
  if (!watchesSignIn(t.channel) || t.accept_deadline == null) return null;
  return at > t.accept_deadline ? Math.max(1, Math.ceil((at - t.accept_deadline) / 60_000)) : 0;
}

export function signInState(t: { channel: string; status: TicketStatus; acceptDeadline: number | null; acceptedAt?: number | null }, now: number): SignInState {
  if (!watchesSignIn(t.channel) || t.acceptDeadline == null) return 'none';
  if (t.acceptedAt != null) return t.acceptedAt > t.acceptDeadline ? 'signedLate' : 'signed';
  if (t.status !== 'dispatched') return 'none';
  if (now > t.acceptDeadline) return 'missed';
  return t.acceptDeadline - now <= SIGN_IN_URGENT_MS ? 'urgent' : 'pending';
}

/** Waiting for its sign-in (counting down, or missed). */
export function awaitsSignIn(t: Parameters<typeof signInState>[0], now: number): boolean {
  const s = signInState(t, now);
  return s === 'pending' || s === 'urgent' || s === 'missed';
}

/** "剩余 4分05秒" before the deadline, "超时 2分10秒" after (hours shown past 60 minutes). */
export function formatSignInCountdown(deadline: number, now: number): string {
  const left = deadline - now;
  const abs = Math.abs(left);
  const s = Math.floor(abs / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const text = h > 0 ? `${h}小时${String(m).padStart(2, '0')}分` : `${m}分${String(sec).padStart(2, '0')}秒`;
  return left >= 0 ? `剩余 ${text}` : `超时 ${text}`;
}
