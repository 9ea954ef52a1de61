// 一件事 → 一批事 → 一类事: the rules of recurring-problem mining, defined once. The street node
// groups its history with them (src/main/services/recurring/mining.ts) and links new tickets to open
// 专项治理 items with the same rule (src/main/services/recurring/autoLink.ts), so a group on the
// screen and the tickets an item collects can never follow different rules.

/** How a group's place is matched. */
export const PLACE_MODES = ['near', 'grid'] as const;
export type PlaceMode = (typeof PLACE_MODES)[number];
export const PLACE_MODE_LABELS: Record<PlaceMode, string> = { near: '同一地址或相距N米内', grid: '同一网格' };

/**
 * The mining's parameters (the defaults are the README's):
 * - `windowDays`: tickets created in the last N days (730: two years), from the China-time midnight
 *   starting the day N days before today's (`windowStart`);
 * - `place`: `near` — the same normalised address, or a point within `radiusM` metres of the
 *   group's first ticket (its anchor: no chaining along a road); `grid` — the same grid (网格);
 * - `radiusM`: 100 m;
 * - `minSimilarity`: the bigram cosine of the description with the anchor's (0.15: the same kind of
 *   complaint in other words; 0 turns text off and leaves the leaf category alone);
 * - `minCount`, `minSpanDays`: a group with at least 3 tickets whose first and last are more than
 *   7 days apart is a 批量问题 (three calls about the same thing in one afternoon are one event).
 * The leaf category must always be the same. Tickets cancelled or merged into another are left out.
 */
export interface MiningParams {
  windowDays: number;
  place: PlaceMode;
  radiusM: number;
  minSimilarity: number;
  minCount: number;
  minSpanDays: number;
}

export const DEFAULT_MINING: MiningParams = { windowDays: 730, place: 'near', radiusM: 100, minSimilarity: 0.15, minCount: 3, minSpanDays: 7 };

/** Groups of at least this many places share root-cause words to form a 一类事. */
export const MIN_CLASS_GROUPS = 2;

const SUFFIX_NOISE = /(附近|旁边|门口|对面|路口|东侧|西侧|南侧|北侧|一带|周边)$/;

/**
 * An address as compared: NFKC, no spaces or punctuation, full-width digits folded, trailing
 * "附近/门口/…" dropped (“经八路12号院门口” and “经八路 12 号院” are one place). Empty: no address.
 */
export function normalizeAddress(a: string | null | undefined): string {
  let s = (a ?? '').normalize('NFKC').replace(/[\s,，。．.、;；:：()（）【】[\]"“”'‘’\-—_/\\#]/g, '');
  for (let i = 0; i < 2; i++) s = s.replace(SUFFIX_NOISE, '');
  return s.length >= 3 ? s : '';
}

/** Whether a UTF-16 unit counts for text similarity: Han characters and Latin letters. */
function counts(c: number): boolean {
  return (c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf) || (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a);
}

/**
 * The text profile compared by `textSimilarity`: the description's character bigrams (Han and
 * Latin letters only; digits, spaces and punctuation left out) as sorted codes with their counts,
 * computed once per ticket (typed arrays: no per-gram objects for the collector).
 */
export interface TextProfile {
  grams: Uint32Array;
  counts: Uint16Array;
  norm: number;
}

/** The bigram codes of the text being profiled (reused: no allocation per text but the profile's own). */
let scratch = new Uint32Array(256);

export function textProfile(s: string): TextProfile {
  if (scratch.length < s.length) scratch = new Uint32Array(Math.max(s.length, scratch.length * 2));
  let m = 0;
  let prev = -1;
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    // Full-width Latin letters as ASCII (NFKC for the only letters that matter here).
    if (c >= 0xff21 && c <= 0xff5a) c -= 0xfee0;
    if (!counts(c)) continue;
    // Both units are below 0x10000: the code fits 32 bits, and a typed array sorts it natively.
    if (prev >= 0) scratch[m++] = prev * 65536 + c;
    prev = c;
  }
  const codes = scratch.subarray(0, m).sort();
  let n = 0;
  for (let i = 0; i < m; i++) if (i === 0 || codes[i] !== codes[i - 1]) n++;
  // Exactly n of each: a kept profile holds nothing more.
  const grams = new Uint32Array(n);
  const cnt = new Uint16Array(n);
  let k = -1;
  for (let i = 0; i < m; i++) {
    if (k >= 0 && grams[k] === codes[i]) cnt[k]!++;
    else {
      grams[++k] = codes[i]!;
      cnt[k] = 1;
    }
  }
  let sq = 0;
  for (let i = 0; i < n; i++) sq += cnt[i]! * cnt[i]!;
  return { grams, counts: cnt, norm: Math.sqrt(sq) };
}

/** Cosine of the character-bigram counts, 0…1. */
export function textSimilarity(a: TextProfile, b: TextProfile): number {
  if (!a.norm || !b.norm) return 0;
  let i = 0;
  let j = 0;
  let d = 0;
  const ga = a.grams;
  const gb = b.grams;
  while (i < ga.length && j < gb.length) {
    const x = ga[i]!;
    const y = gb[j]!;
    if (x === y) d += a.counts[i++]! * b.counts[j++]!;
    else if (x < y) i++;
    else j++;
  }
  return d / (a.norm * b.norm);
}

/** Metres between two WGS-84 points (equirectangular: exact enough within a street). */
export function metresBetween(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const k = Math.cos((((lat1 + lat2) / 2) * Math.PI) / 180);
  const dx = (lon2 - lon1) * 111_320 * k;
  const dy = (lat2 - lat1) * 110_574;
  return Math.sqrt(dx * dx + dy * dy);
}

/** What the rule compares of a ticket, and of a group's or item's anchor. */
export interface PlaceProblem {
  categoryId: string | null;
  address: string;
  lon: number | null;
  lat: number | null;
  gridId: string | null;
  text: TextProfile;
}

/**
 * Whether a ticket is the same problem at the same place as an anchor, and why (Chinese, shown on
 * the ticket: “同一分类（…），相距 35 米，描述相似度 0.62”). null: it is not.
 */
export function samePlaceProblem(anchor: PlaceProblem & { addressKey?: string }, t: PlaceProblem & { addressKey?: string }, p: Pick<MiningParams, 'place' | 'radiusM' | 'minSimilarity'>): string | null {
  if (!anchor.categoryId || anchor.categoryId !== t.categoryId) return null;
  let place: string | null = null;
  if (p.place === 'grid') {
    if (anchor.gridId && anchor.gridId === t.gridId) place = '同一网格';
  } else {
    const ak = anchor.addressKey ?? normalizeAddress(anchor.address);
    const tk = t.addressKey ?? normalizeAddress(t.address);
    if (ak && ak === tk) place = '同一地址';
    else if (anchor.lon != null && anchor.lat != null && t.lon != null && t.lat != null) {
      const d = metresBetween(anchor.lon, anchor.lat, t.lon, t.lat);
      if (d <= p.radiusM) place = `相距 ${Math.round(d)} 米`;
    }
  }
  if (!place) return null;
  if (p.minSimilarity > 0) {
    const s = textSimilarity(anchor.text, t.text);
    if (s < p.minSimilarity) return null;
    return `同一分类，${place}，描述相似度 ${s.toFixed(2)}`;
  }
  return `同一分类，${place}`;
}

/**
 * The window's first instant for a window ending at `to`: the China-time midnight starting the day
 * `windowDays` days before `to`'s day. The start moves a day at a time, so the kept mining
 * re-clusters for tickets leaving the window at most once a day, not on every view.
 */
export function windowStart(to: number, windowDays: number): number {
  const CST = 8 * 3600_000;
  const DAY = 86_400_000;
  return (Math.floor((to + CST) / DAY) - windowDays) * DAY - CST;
}
