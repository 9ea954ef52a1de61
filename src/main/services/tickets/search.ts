// Ticket search as operators type it: Chinese phrases without spaces are cut into words by jieba
// (with the street's own roads, communities and landmarks as a user dictionary) and every word is
// required; the contiguous phrase ranks first. A phone number — whole, its first seven digits or
// its last four or more — and a caller's name find the tickets of that caller through their own
// indexes. The renderer never segments: jieba is native and lives here, in the street node.

import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict';
import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import { allWordsExpression, isHan, queryTerms } from '../../../shared/text/searchTokens';
import type { Database } from '../../db/schema';
import type { Store } from '../../db/store';
import type { NodeContext } from '../core/context';
import { AppError } from '../core/errors';

type EB = ExpressionBuilder<Database, 'tickets'>;

/** Who called: a phone number (digits only) or a caller's name, matched by index. */
export type CallerMatch = { kind: 'phone'; digits: string } | { kind: 'name'; name: string };

export interface SearchPlan {
  /** FTS5 expression requiring every word. */
  all: string;
  /** FTS5 expression for the phrases as typed (ranked first); null when nothing was split. */
  phrase: string | null;
  /** Set when tickets of a caller with this phone or name exist. */
  caller: CallerMatch | null;
}

// ---------------------------------------------------------------------------------------------
// The segmenter: one per process (its dictionary takes ~0.7 s to load), with each store's place
// names added as they are first needed and again when they may have changed.

let jieba: Jieba | null = null;
const knownWords = new Set<string>();
const placesLoadedAt = new WeakMap<Store, number>();
const PLACES_TTL_MS = 10 * 60_000;

function segmenter(): Jieba {
  if (!jieba) jieba = Jieba.withDict(dict);
  return jieba;
}

/** The street's place names worth keeping whole: roads, communities, grids, landmarks, key places. */
export async function placeWords(store: Store): Promise<string[]> {
  const db = store.db;
  const [features, grids, places] = await Promise.all([
    db.selectFrom('basemap_features').select('name').where('name', 'is not', null).where('kind', 'in', ['road', 'landmark']).execute(),
    db.selectFrom('grids').select('name').where('level', 'in', ['2', '3', 'special']).execute(),
    db.selectFrom('key_places').select('name').execute(),
  ]);
  const out = new Set<string>();
  for (const r of [...features, ...grids, ...places]) {
    const name = (r.name ?? '').normalize('NFKC').trim();
    const chars = Array.from(name);
    if (chars.length >= 2 && chars.length <= 12 && chars.every(isHan)) out.add(name);
  }
  return [...out];
}

async function ensurePlaces(store: Store, now: number): Promise<Jieba> {
  const j = segmenter();
  const at = placesLoadedAt.get(store);
  if (at != null && now - at < PLACES_TTL_MS) return j;
  placesLoadedAt.set(store, now);
  const fresh = (await placeWords(store)).filter((w) => !knownWords.has(w));
  if (fresh.length) {
    // A high frequency makes the segmenter keep the name whole (经七路, not 经/七路).
    j.loadDict(Buffer.from(fresh.map((w) => `${w} 200000 ns`).join('\n') + '\n', 'utf8'));
    for (const w of fresh) knownWords.add(w);
  }
  return j;
}

/** The segmenter with the store's place names kept whole, and those names (for callers that leave places out). */
export async function placeAwareSegmenter(store: Store, now: number): Promise<{ cut(text: string): string[]; places: ReadonlySet<string> }> {
  const j = await ensurePlaces(store, now);
  return { cut: (text) => j.cut(text, true), places: knownWords };
}

/** Loads the segmenter and the store's place names ahead of the first search (start-up). */
export async function warmSearch(store: Store): Promise<void> {
  await ensurePlaces(store, Date.now());
}

// ---------------------------------------------------------------------------------------------
// Callers

const PHONE_QUERY = /^\+?[0-9][0-9\s-]*$/;

/** The digits of a query that reads as a phone number (4–11 digits, an optional +86), else null. */
export function phoneDigits(q: string): string | null {
  const t = q.normalize('NFKC').trim();
  if (!PHONE_QUERY.test(t)) return null;
  let d = t.replace(/[^0-9]/g, '');
  if (t.startsWith('+86') || (d.length === 13 && d.startsWith('86'))) d = d.slice(2);
  return d.length >= 4 && d.length <= 12 ? d : null;
}

/** A query that may be a caller's name: a short run of Han characters (王女士, 张伟). */
function nameQuery(q: string): string | null {
  const t = q.normalize('NFKC').trim();
  const chars = Array.from(t);
  return chars.length >= 2 && chars.length <= 8 && chars.every(isHan) ? t : null;
}

/** The condition on a ticket row for a caller (each form is served by an index). */
export function callerCondition(eb: EB, c: CallerMatch): Expression<SqlBool> {
  if (c.kind === 'name') {
    // Prefix on the name index: 张伟 finds 张伟 and 张伟（物业）.
    return eb.and([eb('tickets.reporter_name', '>=', c.name), eb('tickets.reporter_name', '<', c.name + '\uffff')]);
  }
  const tail = c.digits.slice(-4);
  const ends = eb.and([
    eb(sql<string>`substr(tickets.reporter_phone, -4)`, '=', tail),
    eb(sql<string>`replace(replace(tickets.reporter_phone, '-', ''), ' ', '')`, 'like', '%' + c.digits),
  ]);
  if (c.digits.length < 7) return ends;
  // The first seven digits (mobile prefix + area) as well, through the phone index.
  return eb.or([ends, eb.and([eb('tickets.reporter_phone', '>=', c.digits), eb('tickets.reporter_phone', '<', c.digits + ':')])]);
}

async function callerExists(ctx: NodeContext, c: CallerMatch): Promise<boolean> {
  const r = await ctx.store.db
    .selectFrom('tickets')
    .select('tickets.id')
    .where((eb) => callerCondition(eb, c))
    .limit(1)
    .executeTakeFirst();
  return !!r;
}

// ---------------------------------------------------------------------------------------------

/** Plans a search: words to require, the phrase to rank first, and whether a caller matches. */
export async function planSearch(ctx: NodeContext, q: string): Promise<SearchPlan> {
  const j = await ensurePlaces(ctx.store, ctx.now());
  const terms = queryTerms(q, (run) => j.cut(run, true));
  if (!terms) throw new AppError('badQuery', '搜索词中没有可检索的文字');
  const digits = phoneDigits(q);
  const name = digits ? null : nameQuery(q);
  const candidate: CallerMatch | null = digits ? { kind: 'phone', digits } : name ? { kind: 'name', name } : null;
  const caller = candidate && (await callerExists(ctx, candidate)) ? candidate : null;
  // Digits and Han names are text too, so a caller never comes without words.
  const all = terms ? allWordsExpression(terms.words) : null;
  if (!terms || !all) throw new AppError('badQuery', '搜索词中没有可检索的文字');
  const phrase = terms.phrases.length ? allWordsExpression(terms.phrases) : null;
  return { all, phrase: phrase === all ? null : phrase, caller };
}

/** The ticket rows a plan finds: text matches, or tickets of the matching caller. */
export function searchCondition(eb: EB, plan: SearchPlan): Expression<SqlBool> {
  const text = eb(sql<number>`tickets.rowid`, 'in', sql<number>`(SELECT rowid FROM tickets_fts WHERE tickets_fts MATCH ${plan.all})`);
  return plan.caller ? eb.or([text, callerCondition(eb, plan.caller)]) : text;
}
