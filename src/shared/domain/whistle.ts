// 吹哨报到 (whistle sessions): the states a summoned department goes through, and task states.

export const WHISTLE_DEPT_STATES = ['notified', 'acknowledged', 'onSite', 'online', 'done'] as const;
export type WhistleDeptState = (typeof WHISTLE_DEPT_STATES)[number];
export const WHISTLE_DEPT_STATE_LABELS: Record<WhistleDeptState, string> = {
  notified: '已通知',
  acknowledged: '已响应',
  onSite: '已到场',
  online: '线上报到',
  done: '任务完成',
};

/** Allowed moves of a department's state: forward only (onSite and online are alternatives). */
const NEXT: Record<WhistleDeptState, readonly WhistleDeptState[]> = {
  notified: ['acknowledged', 'onSite', 'online'],
  acknowledged: ['onSite', 'online'],
  onSite: ['done'],
  online: ['done', 'onSite'],
  done: [],
};
export function canMoveDept(from: WhistleDeptState, to: WhistleDeptState): boolean {
  return NEXT[from].includes(to);
}
/** Whether the department has reported for duty (报到). */
export function isCheckedIn(s: WhistleDeptState): boolean {
  return s === 'onSite' || s === 'online' || s === 'done';
}

export const WHISTLE_STATUSES = ['open', 'closed'] as const;
export type WhistleStatus = (typeof WHISTLE_STATUSES)[number];
export const WHISTLE_STATUS_LABELS: Record<WhistleStatus, string> = { open: '进行中', closed: '已结束' };

export const WHISTLE_TASK_STATUSES = ['open', 'inProgress', 'done'] as const;
export type WhistleTaskStatus = (typeof WHISTLE_TASK_STATUSES)[number];
export const WHISTLE_TASK_STATUS_LABELS: Record<WhistleTaskStatus, string> = {
  open: '待处理',
  inProgress: '处理中',
  done: '已完成',
};

export const WHISTLE_ENTRY_KINDS = ['decision', 'minute'] as const;
export type WhistleEntryKind = (typeof WHISTLE_ENTRY_KINDS)[number];
export const WHISTLE_ENTRY_LABELS: Record<WhistleEntryKind, string> = { decision: '决定事项', minute: '会议纪要' };

/** "01:02:03" elapsed since the whistle. */
export function formatElapsed(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(h)}:${p(m)}:${p(sec)}`;
}
