// Dates and times as operators type them, in the app's zh-CN format whatever the browser's locale:
// YYYY-MM-DD and YYYY-MM-DD HH:mm (24-hour). Digits typed without separators are shaped as they
// come (20261203 → 2026-12-03, 202612031705 → 2026-12-03 17:05); a value is accepted only when it
// names a real calendar day and time.

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})$/;

function realDay(y: number, m: number, d: number): boolean {
  if (y < 1900 || y > 2099 || m < 1 || m > 12 || d < 1) return false;
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return d <= days;
}

/** Shapes what was typed into YYYY-MM-DD (or YYYY-MM-DD HH:mm) as far as it goes. */
export function shapeDateText(raw: string, withTime: boolean): string {
  const digits = raw.normalize('NFKC').replace(/[^0-9]/g, '').slice(0, withTime ? 12 : 8);
  let out = digits.slice(0, 4);
  if (digits.length > 4) out += '-' + digits.slice(4, 6);
  if (digits.length > 6) out += '-' + digits.slice(6, 8);
  if (withTime && digits.length > 8) out += ' ' + digits.slice(8, 10);
  if (withTime && digits.length > 10) out += ':' + digits.slice(10, 12);
  return out;
}

/** YYYY-MM-DD when the text is a real day, else null. */
export function parseDateText(text: string): string | null {
  const m = DATE.exec(text.trim());
  if (!m) return null;
  return realDay(Number(m[1]), Number(m[2]), Number(m[3])) ? `${m[1]}-${m[2]}-${m[3]}` : null;
}

/** YYYY-MM-DDTHH:mm (the value <input type="datetime-local"> used) when the text is a real day and time, else null. */
export function parseDateTimeText(text: string): string | null {
  const m = DATETIME.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi] = m;
  if (!realDay(Number(y), Number(mo), Number(d)) || Number(h) > 23 || Number(mi) > 59) return null;
  return `${y}-${mo}-${d}T${h}:${mi}`;
}

/** The text shown for a stored value (YYYY-MM-DD or YYYY-MM-DDTHH:mm). */
export function dateTextOf(value: string): string {
  return value.replace('T', ' ');
}
