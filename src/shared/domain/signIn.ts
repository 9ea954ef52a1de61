// 签收时限: every dispatched ticket must be signed for (签收) by its unit before its accept deadline —
// hours for the street's own dispatches and 12345 direct dispatches, minutes for transferred calls
// (110 非警务警情). The node records a late sign-in (timeline, 督办 counts) and supervises missed
// 110 sign-ins by the minute; the renderer counts down and escalates on screen. All read these rules.

import type { TicketStatus } from './ticket';
import { formatDuration } from './duration';

/** Channels whose tickets carry a minutes-long sign-in deadline watched by the minute. */
export const SIGN_IN_CHANNELS: readonly string[] = ['police110'];
/** The last stretch before the deadline, shown as urgent. */
export const SIGN_IN_URGENT_MS = 2 * 60_000;

export type SignInState = 'none' | 'pending' | 'urgent' | 'missed' | 'signed' | 'signedLate';

export function watchesSignIn(channel: string | null | undefined): boolean {
  return !!channel && SIGN_IN_CHANNELS.includes(channel);
}

/**
 * Whole minutes a sign-in at `at` came after the accept deadline (0 = in time, a part of a minute
 * counts as one); null for a ticket without an accept deadline. Any channel: late is late.
 */
export function signInLateMinutes(t: { accept_deadline: number | null }, at: number): number | null {
  if (t.accept_deadline == null) return null;
  return at > t.accept_deadline ? Math.max(1, Math.ceil((at - t.accept_deadline) / 60_000)) : 0;
}

/** What a sign-in records in its timeline event (and sends the city with its op). */
export interface SignInRecord {
  signInDeadline: number;
  late: boolean;
  lateMinutes: number;
}

/** The record of a sign-in at `at` (null without an accept deadline) and its timeline text when late. */
export function signInRecord(t: { accept_deadline: number | null }, at: number): { data: SignInRecord; reason: string | null } | null {
  const late = signInLateMinutes(t, at);
  if (late == null) return null;
  return { data: { signInDeadline: t.accept_deadline!, late: late > 0, lateMinutes: late }, reason: late > 0 ? `超时签收：超过签收时限 ${formatDuration(late)}` : null };
}

/**
 * 签收提醒 on screen for a ticket waiting for its sign-in: `normal` while more than a third of the
 * sign-in window is left, `amber` in the last third, `overdue` once the deadline has passed (red,
 * flashing, with a sound). Without a known start of the window (dispatch time), the last third is
 * taken of the hours-long default window of two hours.
 */
export type SignInEscalation = 'normal' | 'amber' | 'overdue';
export const SIGN_IN_DEFAULT_WINDOW_MS = 2 * 3600_000;

export function signInEscalation(t: { dispatchedAt: number | null; acceptDeadline: number }, now: number): SignInEscalation {
  const left = t.acceptDeadline - now;
  if (left < 0) return 'overdue';
  const window = t.dispatchedAt != null && t.dispatchedAt < t.acceptDeadline ? t.acceptDeadline - t.dispatchedAt : SIGN_IN_DEFAULT_WINDOW_MS;
  return left * 3 <= window ? 'amber' : 'normal';
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

/**
 * The live sign-in countdown: "剩余 4分05秒" / "超时 2分10秒" within the hour (to the second), and
 * past an hour the app's one duration formatter ("剩余 1小时5分", "超时 2天3小时").
 */
export function formatSignInCountdown(deadline: number, now: number): string {
  const left = deadline - now;
  const abs = Math.abs(left);
  const prefix = left >= 0 ? '剩余' : '超时';
  if (abs >= 3600_000) return `${prefix} ${formatDuration(abs / 60_000)}`;
  const s = Math.floor(abs / 1000);
  return `${prefix} ${Math.floor(s / 60)}分${String(s % 60).padStart(2, '0')}秒`;
}
