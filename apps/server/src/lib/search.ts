import { tokenize } from "@rapport/shared";

/**
 * Builds PostgreSQL tsvector / tsquery literals from our own tokens, so Khmer, Tamil,
 * Vietnamese and English are cut the same way on PGlite and on a PostgreSQL server
 * whatever its locale. Equivalent to the `simple` configuration over folded,
 * segmented text. See docs/decisions/0002-search.md.
 */
type Weight = "A" | "B" | "C" | "D";
const MAX_POSITIONS = 16383;
const MAX_LEXEMES = 4000;

function quoteLexeme(token: string): string {
  return `'${token.replace(/\\/g, "\\\\").replace(/'/g, "''")}'`;
}

export function tsvectorLiteral(parts: Array<{ text: string | null | undefined; weight: Weight }>): string {
  const positions = new Map<string, string[]>();
  let pos = 0;
  for (const part of parts) {
    if (!part.text) continue;
    for (const token of tokenize(part.text)) {
      pos = Math.min(pos + 1, MAX_POSITIONS);
      let list = positions.get(token);
      if (!list) {
        if (positions.size >= MAX_LEXEMES) continue;
        list = [];
        positions.set(token, list);
      }
      // PostgreSQL keeps at most 256 positions per lexeme.
      if (list.length < 256) list.push(`${pos}${part.weight}`);
    }
  }
  return [...positions].map(([token, list]) => `${quoteLexeme(token)}:${list.join(",")}`).join(" ");
}

/** A LIKE pattern matching `folded` anywhere, with LIKE's own wildcards escaped. */
export const containsPattern = (folded: string) => `%${folded.replace(/[\\%_]/g, "\\$&")}%`;

/** A tsquery matching every word of the query, the last one as a prefix; null when nothing is searchable. */
export function tsqueryLiteral(query: string): string | null {
  const tokens = [...new Set(tokenize(query))].slice(0, 16);
  if (tokens.length === 0) return null;
  return tokens.map((t, i) => (i === tokens.length - 1 ? `${quoteLexeme(t)}:*` : quoteLexeme(t))).join(" & ");
}
