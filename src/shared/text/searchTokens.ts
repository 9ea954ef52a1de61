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
