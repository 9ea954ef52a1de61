// The origins a WMTS URL template reaches: 天地图 spreads tiles over t0–t7 (`https://t{0-7}.…`).
// The Content-Security-Policy allows exactly these, no wildcard.

const RANGE = /\{(\d)-(\d)\}/;

/** https origins of a tile URL template, its {a-b} subdomain range expanded; [] when not https. */
export function tileOrigins(template: string): string[] {
  let host: string;
  try {
    // The range braces are not valid in a hostname: parse with a placeholder.
    const u = new URL(template.replace(RANGE, 'x0x'));
    if (u.protocol !== 'https:' || u.username || u.password) return [];
    host = u.host;
  } catch {
    return [];
  }
  if (!/^[a-z0-9.:-]+$/i.test(host)) return [];
  const m = RANGE.exec(template);
  if (!m || !host.includes('x0x')) return [`https://${host}`];
  const out: string[] = [];
  for (let i = Number(m[1]); i <= Number(m[2]); i++) out.push(`https://${host.replace('x0x', String(i))}`);
  return out;
}
