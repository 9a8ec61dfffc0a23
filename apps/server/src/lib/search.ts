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

/**
 * A tsquery matching every word of the query (`any`: at least one, for a request's whole text),
 * the last one as a prefix; null when nothing is searchable.
 */
export function tsqueryLiteral(query: string, match: "all" | "any" = "all"): string | null {
  const tokens = [...new Set(tokenize(query))].slice(0, 16);
  if (tokens.length === 0) return null;
  return tokens
    .map((t, i) => (i === tokens.length - 1 ? `${quoteLexeme(t)}:*` : quoteLexeme(t)))
    .join(match === "all" ? " & " : " | ");
}

/**
 * One tsquery literal per distinct word of the query (at most `max`), the last one as a prefix,
 * as in tsqueryLiteral: for ranking by which words an article matches.
 */
export function tsqueryWords(query: string, max = 12): string[] {
  const tokens = [...new Set(tokenize(query))];
  const last = tokens.length - 1;
  return tokens
    .map((t, i) => (i === last ? `${quoteLexeme(t)}:*` : quoteLexeme(t)))
    .filter((_, i) => i === last || i < max - 1);
}

const wordSegmenter = new Intl.Segmenter("und", { granularity: "word" });
const escapeMarkup = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c,
  );

/**
 * An excerpt of `text` (about `width` characters) around the first word matching the query,
 * HTML-escaped, with every matching word wrapped in <mark>. Words are cut and folded like the
 * index (so "khach" marks "khách" and a Khmer word inside unspaced text is marked alone); the
 * query's last word matches as a prefix, as in tsqueryLiteral.
 */
export function highlightSnippet(text: string, query: string, width = 200): string {
  const words = [...new Set(tokenize(query))];
  const last = words.at(-1);
  const exact = new Set(words.slice(0, -1));
  // A word repeats in a text: each distinct one is folded and compared once.
  const known = new Map<string, boolean>();
  const isHit = (segment: string) => {
    let hit = known.get(segment);
    if (hit === undefined) {
      const token = tokenize(segment)[0];
      hit = token !== undefined && (exact.has(token) || (last !== undefined && token.startsWith(last)));
      known.set(segment, hit);
    }
    return hit;
  };
  // Only the start of a long text is scanned: enough for an excerpt, bounded for 1 MB bodies.
  // The scan stops at the excerpt's end once the first match has placed it.
  const scan = text.slice(0, 20_000);
  const segments: Array<{ text: string; index: number; hit: boolean }> = [];
  let start = -1;
  let end = Number.POSITIVE_INFINITY;
  for (const s of wordSegmenter.segment(scan)) {
    if (s.index >= end) break;
    const hit = words.length > 0 && s.isWordLike === true && isHit(s.segment);
    segments.push({ text: s.segment, index: s.index, hit });
    if (hit && start < 0) {
      start = Math.max(0, s.index - Math.floor(width / 4));
      end = start + width;
    }
  }
  if (start < 0) {
    start = 0;
    end = width;
  }
  let out = "";
  for (const s of segments) {
    if (s.index + s.text.length <= start) continue;
    if (s.index >= end) break;
    const piece = escapeMarkup(s.text.replace(/\s+/g, " "));
    out += s.hit ? `<mark>${piece}</mark>` : piece;
  }
  out = out.replace(/ {2,}/g, " ").trim();
  return `${start > 0 ? "…" : ""}${out}${end < text.length ? "…" : ""}`;
}
