// 提醒: new work for the person at this screen, told as it arrives over the node's event channel —
// a dispatch waiting to be signed (units), a ticket returned by a unit (street staff), a
// supervision of the unit's ticket, a city directive (street staff), a whistle summons (units).
// Each raises an entry in the sidebar's 提醒 (with a badge of the unread ones) and, unless the user
// muted its kind, a desktop notification — Electron's Notification through the preload bridge in
// the desktop app, the browser's Notification API (asked once, on a click) in browser mode — and a
// short sound (lib/alertSound.ts, unless the user switched 声音 off). Mutes and the sound switch are
// per user, on this workstation (localStorage).

import type { User } from '../../shared/api/types';
import { call, type ClientEvent } from '../api/client';

export const ALERT_KINDS = ['dispatch', 'returned', 'supervision', 'directive', 'whistle'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];
export const ALERT_LABELS: Record<AlertKind, string> = {
  dispatch: '新派单待签收',
  returned: '工单被退回',
  supervision: '工单被督办',
  directive: '市级指令',
  whistle: '吹哨报到召集',
};

export interface Alert {
  key: string;
  kind: AlertKind;
  title: string;
  body: string;
  /** Where a click goes (a hash path). */
  href: string;
  at: number;
}

const muteKey = (userId: string) => `chengyun.alerts.mute.${userId}`;

export function loadMutes(userId: string): Set<AlertKind> {
  try {
    const v = JSON.parse(localStorage.getItem(muteKey(userId)) ?? '[]') as unknown;
    return new Set(Array.isArray(v) ? v.filter((k): k is AlertKind => (ALERT_KINDS as readonly string[]).includes(k as string)) : []);
  } catch {
    return new Set();
  }
}

export function saveMutes(userId: string, mutes: Set<AlertKind>): void {
  localStorage.setItem(muteKey(userId), JSON.stringify([...mutes]));
}

const isStreetStaff = (u: User) => u.role === 'operator' || u.role === 'leader';

/**
 * Whether a node event is new work for this user, and the alert it makes (null: not for them).
 * Reads what it needs through the API, so it only ever tells a user about what they may see.
 */
export async function alertFor(e: ClientEvent, user: User, now: number): Promise<Alert | null> {
  if (e.type === 'directive.received') {
    if (!isStreetStaff(user)) return null;
    return { key: `directive:${e.id}`, kind: 'directive', title: '收到市级指令', body: '请在“指令”中查看并签收', href: '/directives', at: now };
  }
  if (e.type === 'whistle.changed') {
    if (user.role !== 'unit' || (e.what !== 'open' && e.what !== 'summon')) return null;
    const w = await call('whistle.get', { id: e.id });
    const mine = w.depts.find((d) => d.unitId === user.unitId);
    if (!mine || mine.checkedInAt != null) return null;
    return { key: `whistle:${e.id}:${user.unitId}`, kind: 'whistle', title: `吹哨报到召集 ${w.code}`, body: `${w.title} · ${w.place}`, href: `/whistle/${e.id}`, at: now };
  }
  if (e.type !== 'ticket.changed') return null;
  if (e.action === 'dispatch' && user.role === 'unit') {
    const d = await call('tickets.get', { id: e.id });
    const t = d.ticket;
    const offered = d.negotiations.some((n) => n.unitId === user.unitId && n.response === 'pending');
    if (t.status !== 'dispatched' || (t.unitId !== user.unitId && !offered)) return null;
    return { key: `dispatch:${e.id}:${d.events.length}`, kind: 'dispatch', title: `新派单待签收 ${t.code}`, body: t.description.slice(0, 80), href: `/tickets/${e.id}`, at: now };
  }
  if ((e.action === 'return' || (e.action === 'respondNegotiation' && e.status === 'returned')) && isStreetStaff(user)) {
    const d = await call('tickets.get', { id: e.id });
    const last = [...d.events].reverse().find((x) => x.action === e.action);
    return { key: `returned:${e.id}:${d.events.length}`, kind: 'returned', title: `工单被退回 ${d.ticket.code}`, body: last?.reason ?? d.ticket.description.slice(0, 80), href: `/tickets/${e.id}`, at: now };
  }
  if (e.action === 'supervise' && user.role === 'unit') {
    const d = await call('tickets.get', { id: e.id });
    if (d.ticket.unitId !== user.unitId) return null;
    return { key: `supervision:${e.id}:${d.events.length}`, kind: 'supervision', title: `工单被督办 ${d.ticket.code}`, body: `督办级别 ${d.ticket.supervisionLevel} 级，请抓紧办理`, href: `/tickets/${e.id}`, at: now };
  }
  return null;
}

/** Whether desktop notifications can be shown: always in the desktop app (Electron), else the browser's permission. */
export type NotificationState = NotificationPermission | 'unsupported' | 'electron';
export function notificationState(): NotificationState {
  if (window.chengyun?.notify) return 'electron';
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}

/** Asks for permission to show desktop notifications (call from a click). */
export async function askNotificationPermission(): Promise<NotificationState> {
  if (window.chengyun?.notify) return 'electron';
  if (typeof Notification === 'undefined') return 'unsupported';
  if (Notification.permission !== 'default') return Notification.permission;
  return Notification.requestPermission();
}

/** A desktop notification for the alert; a click opens it (in Electron the click comes back over the bridge). */
export function notify(a: Alert, onClick: () => void): void {
  if (window.chengyun?.notify) {
    void window.chengyun.notify({ title: a.title, body: a.body, href: a.href }).catch(() => undefined);
    return;
  }
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
  try {
    const n = new Notification(a.title, { body: a.body, tag: a.key });
    n.onclick = () => {
      window.focus();
      onClick();
      n.close();
    };
  } catch {
    /* a browser that refuses page notifications: the sidebar still shows it */
  }
}
