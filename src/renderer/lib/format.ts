// Formatting helpers. Times are shown in China Standard Time whatever the workstation's zone.

import { CST_OFFSET_MS, cstDateTime } from '../../shared/domain/calendar';

const pad = (n: number) => String(n).padStart(2, '0');

function cstParts(ms: number) {
  const d = new Date(ms + CST_OFFSET_MS);
  return {
    y: d.getUTCFullYear(),
    mo: d.getUTCMonth() + 1,
    d: d.getUTCDate(),
    h: d.getUTCHours(),
    mi: d.getUTCMinutes(),
  };
}

/** 2025-03-14 09:05 (the one formatter the printouts use too). */
export const formatDateTime = cstDateTime;

/** 03-14 09:05 — compact, for lists; with the year (2024-12-03 07:31) when it is not this year's. */
export function formatShortDateTime(ms: number | null | undefined): string {
  if (ms == null) return '—';
  const p = cstParts(ms);
  const short = `${pad(p.mo)}-${pad(p.d)} ${pad(p.h)}:${pad(p.mi)}`;
  return p.y === cstParts(serverNow()).y ? short : `${p.y}-${short}`;
}

/** YYYY-MM-DD of an instant in CST (for <input type="date">). */
export function toDateInput(ms: number): string {
  const p = cstParts(ms);
  return `${p.y}-${pad(p.mo)}-${pad(p.d)}`;
}

/** Start of a CST calendar day given as YYYY-MM-DD, in epoch ms; null when malformed. */
export function fromDateInput(s: string | null | undefined): number | null {
  if (!s) return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return null;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) - CST_OFFSET_MS;
  return Number.isFinite(ms) ? ms : null;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(0)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

export function truncate(s: string, n: number): string {
  return s.length > n ? s.slice(0, n) + '…' : s;
}

/** Offset between the node's clock and this machine's, so countdowns use the node's "now". */
let clockSkew = 0;
export function syncClock(serverNow: number): void {
  if (Number.isFinite(serverNow)) clockSkew = serverNow - Date.now();
}
export function serverNow(): number {
  return Date.now() + clockSkew;
}
