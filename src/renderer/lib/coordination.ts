// Renderer helpers for the coordination pages: CST date-time inputs and short durations.

import { CST_OFFSET_MS } from '../../shared/domain/calendar';

const pad = (n: number) => String(n).padStart(2, '0');

/** Value for <input type="datetime-local"> showing `ms` in China Standard Time. */
export function toLocalInput(ms: number): string {
  const d = new Date(ms + CST_OFFSET_MS);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

/** Epoch ms of a datetime-local value read as China Standard Time; null when empty or malformed. */
export function fromLocalInput(s: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(s);
  if (!m) return null;
  const ms = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!) - CST_OFFSET_MS;
  return Number.isFinite(ms) ? ms : null;
}

/** "HH:mm" in CST. */
export function formatHm(ms: number | null | undefined): string {
  if (ms == null) return '—';
  const d = new Date(ms + CST_OFFSET_MS);
  return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}
