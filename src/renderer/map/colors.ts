// Colours of the map. Ticket statuses use the same CSS variables as the status pills
// (--st-<status> in styles/base.css), read once at run time so the list and the map never disagree.

import { TICKET_STATUSES, type TicketStatus } from '../../shared/domain/ticket';

/** Fallbacks, identical to styles/base.css, for when the variables cannot be read. */
const FALLBACK: Record<TicketStatus, string> = {
  reported: '#57606a',
  registered: '#5a4fcf',
  dispatched: '#1f6feb',
  accepted: '#0a7f8c',
  returned: '#c4570a',
  resolved: '#1a7f37',
  verified: '#116329',
  closed: '#6e7781',
  reopened: '#bf2a6b',
  cancelled: '#8c959f',
};

let cached: Record<TicketStatus, string> | null = null;

export function statusColors(): Record<TicketStatus, string> {
  if (cached) return cached;
  const out = { ...FALLBACK };
  try {
    const cs = getComputedStyle(document.documentElement);
    for (const s of TICKET_STATUSES) {
      const v = cs.getPropertyValue(`--st-${s}`).trim();
      if (v) out[s] = v;
    }
  } catch {
    /* no DOM styles: keep the fallbacks */
  }
  cached = out;
  return out;
}

export const OVERDUE_RED = '#cf222e';
/** Tickets raised by video-AI or IoT alarms (设备报警) are drawn as triangles in this colour. */
export const ALARM_ORANGE = '#e8590c';

/** Soft, distinct tints for communities (grids are tinted by the community they belong to). */
export const COMMUNITY_TINTS = [
  '#4e79a7',
  '#59a14f',
  '#e15759',
  '#f28e2b',
  '#76b7b2',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#86bcb6',
  '#8cd17d',
  '#a0cbe8',
];

/** '#rrggbb' + alpha → 'rgba(r,g,b,a)'. */
export function withAlpha(hex: string, alpha: number): string {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex.trim());
  if (!m) return hex;
  return `rgba(${parseInt(m[1]!, 16)},${parseInt(m[2]!, 16)},${parseInt(m[3]!, 16)},${alpha})`;
}

/** Paper-map palette of the offline basemap. */
export const PAPER = {
  outside: '#e9e6df',
  land: '#f8f6f1',
  block: '#f1eee6',
  roadCasing: '#cfc8b8',
  road: '#ffffff',
  roadMajor: '#fff3d6',
  roadLabel: '#5b5446',
  outline: '#34495e',
  outlineHalo: 'rgba(52, 73, 94, 0.16)',
  communityLine: '#51657f',
  label: '#2b3440',
  halo: 'rgba(255,255,255,0.92)',
};

export const FONT = `"Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif`;
