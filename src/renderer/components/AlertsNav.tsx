// 提醒 in the sidebar: new work for this user as it arrives (lib/alerts.ts), a badge with the unread
// count (an alert is read once opened — from the list, its notification, or by going to its ticket
// any other way), a list to open each, and for the kinds the user has not muted a desktop
// notification and a sound (unless 声音 is off).

import { useCallback, useEffect, useRef, useState } from 'react';
import { useDismiss } from '../lib/dismiss';
import type { User } from '../../shared/api/types';
import { subscribe } from '../api/client';
import { ALERT_KINDS, ALERT_LABELS, alertFor, askNotificationPermission, loadMutes, notificationState, notify, saveMutes, type Alert, type AlertKind, type NotificationState } from '../lib/alerts';
import { loadSoundOn, playAlertSound, saveSoundOn, SOUND_CHANGED, unlockAlertSoundOnGesture } from '../lib/alertSound';
import { formatShortDateTime } from '../lib/format';
import { navigate, useRoute } from '../lib/router';
import { useReadySession } from '../state/session';

/** The kinds of new work a role can receive. */
export function alertKindsFor(user: User): AlertKind[] {
  if (user.role === 'unit') return ['dispatch', 'supervision', 'whistle'];
  if (user.role === 'operator' || user.role === 'leader') return ['returned', 'directive'];
  return [];
}

export const MUTES_CHANGED = 'chengyun:alert-mutes';

export function AlertsNav() {
  const { user } = useReadySession();
  const [alerts, setAlerts] = useState<Array<Alert & { read: boolean }>>([]);
  const [open, setOpen] = useState(false);
  const [permission, setPermission] = useState<NotificationState>(notificationState);
  const seen = useRef(new Set<string>());
  const mutes = useRef(loadMutes(user.id));
  const soundOn = useRef(loadSoundOn(user.id));
  const wrap = useRef<HTMLDivElement>(null);
  const route = useRoute();
  const path = `/${route.segments.join('/')}`;

  useEffect(() => {
    const reload = () => {
      mutes.current = loadMutes(user.id);
      soundOn.current = loadSoundOn(user.id);
    };
    window.addEventListener(MUTES_CHANGED, reload);
    window.addEventListener(SOUND_CHANGED, reload);
    return () => {
      window.removeEventListener(MUTES_CHANGED, reload);
      window.removeEventListener(SOUND_CHANGED, reload);
    };
  }, [user.id]);

  useEffect(() => unlockAlertSoundOnGesture(), []);

  // Seeing what an alert is about (however one got there) reads it.
  useEffect(() => {
    setAlerts((prev) => (prev.some((a) => !a.read && a.href === path) ? prev.map((a) => (a.href === path ? { ...a, read: true } : a)) : prev));
  }, [path]);

  // A click on an Electron notification comes back over the bridge.
  useEffect(() => window.chengyun?.onNotificationClick?.((href) => navigate(href)), []);

  useEffect(() => {
    if (alertKindsFor(user).length === 0) return;
    return subscribe((e) => {
      alertFor(e, user, Date.now())
        .then((a) => {
          if (!a || seen.current.has(a.key) || mutes.current.has(a.kind)) return;
          seen.current.add(a.key);
          setAlerts((prev) => [{ ...a, read: false }, ...prev].slice(0, 50));
          notify(a, () => navigate(a.href));
          if (soundOn.current) playAlertSound('alert');
        })
        .catch(() => undefined); // not visible to this user (any more): no alert
    });
  }, [user]);

  const closePopup = useCallback(() => setOpen(false), []);
  useDismiss(open, wrap, closePopup);

  if (alertKindsFor(user).length === 0) return null;
  const unread = alerts.filter((a) => !a.read).length;
  const openAlert = (a: Alert) => {
    setAlerts((prev) => prev.map((x) => (x.key === a.key ? { ...x, read: true } : x)));
    setOpen(false);
    navigate(a.href);
  };

  return (
    <div className="alerts-nav" ref={wrap}>
      <button type="button" className={`nav-item alerts-btn${unread ? ' has-unread' : ''}`} onClick={() => setOpen((o) => !o)} data-testid="alerts-btn" aria-expanded={open}>
        <span className="nav-icon">◆</span>
        提醒
        {unread > 0 && (
          <span className="nav-badge" data-testid="alerts-badge" aria-label={`${unread} 条未读提醒`}>
            {unread}
          </span>
        )}
      </button>
      {open && (
        <div className="alerts-pop" data-testid="alerts-pop">
          <div className="alerts-head">
            <strong>新工作提醒</strong>
            {unread > 0 && (
              <button type="button" className="link-btn" onClick={() => setAlerts((p) => p.map((x) => ({ ...x, read: true })))}>
                全部已读
              </button>
            )}
          </div>
          {permission === 'default' && (
            <button
              type="button"
              className="small-btn alerts-permit"
              data-testid="alerts-permit"
              onClick={() => void askNotificationPermission().then((p) => setPermission(p))}
            >
              开启桌面通知
            </button>
          )}
          {permission === 'denied' && <div className="muted small">浏览器已拒绝桌面通知，可在浏览器设置中开启。</div>}
          {alerts.length === 0 ? (
            <div className="muted small alerts-empty">暂无新提醒（{alertKindsFor(user).map((k) => ALERT_LABELS[k]).join('、')}）</div>
          ) : (
            <ul className="alerts-list">
              {alerts.map((a) => (
                <li key={a.key}>
                  <button type="button" className={a.read ? 'read' : ''} onClick={() => openAlert(a)} data-testid="alert-item">
                    <span className={`alert-kind k-${a.kind}`}>{ALERT_LABELS[a.kind]}</span>
                    <span className="alert-title">{a.title}</span>
                    <span className="alert-body">{a.body}</span>
                    <span className="alert-at">{formatShortDateTime(a.at)}</span>
                  </button>
                </li>
              ))}
            </ul>
          )}
          <a href="#/settings" className="link-btn small" onClick={() => setOpen(false)}>
            提醒设置…
          </a>
        </div>
      )}
    </div>
  );
}

/** 设置 › 提醒: which kinds notify this user, and the browser's permission. */
export function AlertSettingsCard() {
  const { user } = useReadySession();
  const kinds = alertKindsFor(user);
  const [mutes, setMutes] = useState(() => loadMutes(user.id));
  const [sound, setSound] = useState(() => loadSoundOn(user.id));
  const [tried, setTried] = useState<boolean | null>(null);
  const [permission, setPermission] = useState<NotificationState>(notificationState);
  if (kinds.length === 0) return null;
  const toggle = (k: AlertKind, on: boolean) => {
    const next = new Set(mutes);
    if (on) next.delete(k);
    else next.add(k);
    setMutes(next);
    saveMutes(user.id, next);
    window.dispatchEvent(new Event(MUTES_CHANGED));
  };
  return (
    <section className="card" data-testid="settings-alerts">
      <div className="card-head">
        <h3>提醒</h3>
        <span className="muted small">新工作到达时在左侧“提醒”显示、弹出桌面通知并响铃（仅本机本账号）</span>
      </div>
      <div className="alert-kinds">
        {ALERT_KINDS.filter((k) => kinds.includes(k)).map((k) => (
          <label key={k} className="check">
            <input type="checkbox" checked={!mutes.has(k)} onChange={(e) => toggle(k, e.target.checked)} data-testid={`alert-kind-${k}`} /> {ALERT_LABELS[k]}
          </label>
        ))}
      </div>
      <div className="alert-sound">
        <label className="check">
          <input
            type="checkbox"
            checked={sound}
            onChange={(e) => {
              setSound(e.target.checked);
              saveSoundOn(user.id, e.target.checked);
            }}
            data-testid="alert-sound"
          />{' '}
          声音（新提醒、签收超时时响铃）
        </label>
        <button type="button" className="small-btn" onClick={() => setTried(playAlertSound('alert'))} data-testid="alert-sound-try">
          试听
        </button>
        {tried === false && <span className="muted small">本浏览器暂不能播放声音</span>}
      </div>
      <p className="small">
        桌面通知：
        {permission === 'electron' ? '已开启（系统通知）' : permission === 'granted' ? '已开启' : permission === 'denied' ? '已被浏览器拒绝（请在浏览器设置中允许）' : permission === 'unsupported' ? '本浏览器不支持' : '未开启'}{' '}
        {permission === 'default' && (
          <button type="button" className="small-btn" onClick={() => void askNotificationPermission().then((p) => setPermission(p))} data-testid="settings-alerts-permit">
            开启桌面通知
          </button>
        )}
      </p>
    </section>
  );
}
