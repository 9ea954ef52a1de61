// Tokenization for Chinese full-text search.
//
// SQLite's FTS5 trigram tokenizer cannot match the two-character words that make up most Chinese
// queries (井盖, 漏水, 噪音). Instead the street node indexes a pre-tokenized text: every run of
// Han characters becomes its overlapping bigrams plus its last character (so every character starts
// some token), other text becomes lower-cased words. A query term becomes an FTS5 phrase of the same
// bigrams, so "井盖缺失" matches exactly the texts that contain that substring.

const HAN = /[\u3400-\u9fff\uf900-\ufaff]/;
const RUN = /([\u3400-\u9fff\uf900-\ufaff]+)|((?:(?![\u3400-\u9fff\uf900-\ufaff])[\p{L}\p{N}])+)/gu;

export function isHan(ch: string): boolean {
  return HAN.test(ch);
}

function hanTokens(run: string): string[] {
  const chars = Array.from(run);
  if (chars.length === 1) return chars;
  const out: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i]! + chars[i + 1]!);
  out.push(chars[chars.length - 1]!);
  return out;
}

/** The text stored in the FTS index for a document. */
export function indexText(...parts: Array<string | null | undefined>): string {
  const out: string[] = [];
  for (const p of parts) {
    if (!p) continue;
    for (const m of p.matchAll(RUN)) {
      if (m[1]) out.push(...hanTokens(m[1]));
      else if (m[2]) out.push(m[2].toLowerCase());
    }
  }
  return out.join(' ');
}

/**
 * Builds an FTS5 MATCH expression from a user's query (terms separated by spaces, all required).
 * Returns null when the query has nothing searchable. Never passes user syntax through to FTS5.
 */
export function matchExpression(query: string): string | null {
  const clauses: string[] = [];
  for (const m of query.normalize('NFKC').matchAll(RUN)) {
    if (m[1]) {
      const chars = Array.from(m[1]);
      if (chars.length === 1) clauses.push(`"${chars[0]}"*`);
      else {
        const bigrams: string[] = [];
        for (let i = 0; i + 1 < chars.length; i++) bigrams.push(chars[i]! + chars[i + 1]!);
        clauses.push(`"${bigrams.join(' ')}"`);
      }
    } else if (m[2]) {
      clauses.push(`"${m[2].toLowerCase()}"*`);
    }
  }
  return clauses.length ? clauses.join(' AND ') : null;
}

// ---------------------------------------------------------------------------------------------
// Segmented queries. Operators type phrases without spaces (经七路井盖, 楼上漏水). The street node
// cuts each run of Han characters into words with a Chinese segmenter (which lives in the node;
// it is injected here so this module stays pure) and requires every word, in any order and at any
// distance. Segmenters emit single characters for what they do not know (占/道/经营); a lone
// character would match almost everything, so function words are dropped and other single
// characters are joined to their neighbour, keeping the contiguous text the operator typed.

/** Single-character function words that carry nothing for a search. */
const STOP_CHARS = new Set(Array.from('的了在是有和与及很也都就又还把被让给我你他她它们这那个啊吗呢吧'));

/** Words of one Han run from a segmenter's cut, with lone characters dropped or joined. */
export function joinSingles(cut: readonly string[]): string[] {
  const parts = cut.map((w) => w.trim()).filter((w) => w.length > 0);
  const out: string[] = [];
  let pending = '';
  for (let i = 0; i < parts.length; i++) {
    const w = parts[i]!;
    if (Array.from(w).length > 1) {
      // One character before a word belongs to it (经/七路 → 经七路); two or more form their own word.
      if (Array.from(pending).length > 1) out.push(pending, w);
      else out.push(pending + w);
      pending = '';
    } else if (STOP_CHARS.has(w) && parts.length > 1) {
      // A function word ends a run of single characters rather than joining them.
      if (pending) out.push(pending);
      pending = '';
    } else {
      pending += w;
    }
  }
  if (pending) {
    // Trailing single characters join the word before them when they stand alone.
    if (Array.from(pending).length === 1 && out.length) out[out.length - 1] = out[out.length - 1]! + pending;
    else out.push(pending);
  }
  // Joining may produce the same word twice (楼上/楼上); a repeated word adds nothing.
  return [...new Set(out)];
}

export interface QueryTerms {
  /** Every word that must occur (FTS clauses are built from them). */
  words: string[];
  /** The contiguous runs as typed, for ranking exact phrases first; empty when no run was split. */
  phrases: string[];
}

/**
 * Cuts a query into words: each Han run by `segment` (the node's segmenter; without one the run
 * stays whole), other runs (codes, numbers, Latin) as they are. Returns null when nothing is searchable.
 */
export function queryTerms(query: string, segment?: (hanRun: string) => readonly string[]): QueryTerms | null {
  const words: string[] = [];
  const runs: string[] = [];
  let split = false;
  for (const m of query.normalize('NFKC').matchAll(RUN)) {
    if (m[1]) {
      const cut = segment && Array.from(m[1]).length > 2 ? joinSingles(segment(m[1])) : [m[1]];
      const ws = cut.length ? cut : [m[1]];
      if (ws.length > 1) split = true;
      words.push(...ws);
      runs.push(m[1]);
    } else if (m[2]) {
      words.push(m[2].toLowerCase());
      runs.push(m[2].toLowerCase());
    }
  }
  if (!words.length) return null;
  return { words: [...new Set(words)], phrases: split ? runs : [] };
}

function clause(word: string): string {
  if (!isHan(Array.from(word)[0] ?? '')) return `"${word}"*`;
  const chars = Array.from(word);
  if (chars.length === 1) return `"${chars[0]}"*`;
  const bigrams: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) bigrams.push(chars[i]! + chars[i + 1]!);
  return `"${bigrams.join(' ')}"`;
}

/** An FTS5 MATCH expression requiring every word (each a bigram phrase or a prefix token). */
export function allWordsExpression(words: readonly string[]): string | null {
  return words.length ? words.map(clause).join(' AND ') : null;
}
