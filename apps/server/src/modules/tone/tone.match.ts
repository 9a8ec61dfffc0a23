import { type OffsetToken, tokenizeWithOffsets } from "@rapport/shared";

/**
 * The tone matcher: pure, no database. Rules are compiled once per rule set (tone.service.ts
 * caches the compiled form) and a check is a scan over the text's tokens.
 *
 * A rule's pattern is a phrase with variants separated by "|". Text and variants go through
 * the same folding and word segmentation as search (`tokenizeWithOffsets`), so Vietnamese typed
 * without diacritics matches. Matching is by whole words, in order (a variant found by its first word). Where
 * the typed text keeps a word's diacritics, that word must equal the pattern's word as written
 * (so "dùng hết" does not match "đừng hét", while "dung het" matches both).
 *
 * Scripts written without spaces (Khmer) are matched on the compact form "w1w2w3": the word
 * segmenter is dictionary based and cuts a phrase differently inside a sentence than alone,
 * so a phrase is found wherever its letters run, and underlined exactly there.
 */

export type MatchRule = {
  id: string;
  lang: string;
  pattern: string;
  category: string;
  suggestions: string[];
};
export type Finding = {
  start: number;
  end: number;
  text: string;
  ruleId: string;
  category: string;
  suggestions: string[];
};

/** A spaced variant's folded words (and as written); a compact one's letters (`needle`). */
type Variant = { needle: string; folded: string[]; words: string[] | null; rule: MatchRule };
/**
 * Spaced variants indexed by their first folded word (`byFirst`), so a check looks up each of
 * the text's words once instead of searching the text for every variant (that search was about
 * 1 ms of CPU for 500 rules and 2,000 characters, bench/RESULTS.md); compact ones in a list.
 */
export type Compiled = { byFirst: Map<string, Variant[]>; compact: Variant[] };

const UNSPACED = /[\u1780-\u17ff\u0e00-\u0e7f\u0e80-\u0eff\u1000-\u109f]/;
const APOSTROPHES = /[\u2018\u2019\u02bc]/g;
const NON_ASCII = /[^\u0000-\u007f]/;
const word = (t: string) => t.replace(APOSTROPHES, "'");
const asWritten = (s: string) => word(s.normalize("NFC").toLowerCase());

export function compile(rules: MatchRule[]): Compiled {
  const byFirst = new Map<string, Variant[]>();
  const compact: Variant[] = [];
  const add = (index: Map<string, Variant[]>, key: string, v: Variant) => {
    const list = index.get(key);
    if (list) list.push(v);
    else index.set(key, [v]);
  };
  for (const rule of rules) {
    for (const v of rule.pattern.split("|")) {
      const toks = tokenizeWithOffsets(v);
      if (toks.length === 0) continue;
      const folded = toks.map((t) => word(t.token));
      if (UNSPACED.test(v)) {
        compact.push({ needle: folded.join(""), folded, words: null, rule });
      } else {
        const written = toks.map((t) => asWritten(v.slice(t.start, t.end)));
        add(byFirst, folded[0] as string, { needle: "", folded, words: written, rule });
      }
    }
  }
  return { byFirst, compact };
}

/** Findings in `text`, ordered by position, never overlapping (the longest at a place wins). */
export function findTone(compiled: Compiled, text: string, limit = 200): Finding[] {
  const tokens = tokenizeWithOffsets(text);
  if (tokens.length === 0) return [];
  const candidates: Finding[] = [];
  if (compiled.byFirst.size) spacedMatches(compiled.byFirst, text, tokens, candidates);
  if (compiled.compact.length && UNSPACED.test(text))
    compactMatches(compiled.compact, text, tokens, candidates);
  candidates.sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Finding[] = [];
  let reached = -1;
  for (const c of candidates) {
    if (c.start < reached) continue;
    out.push(c);
    reached = c.end;
    if (out.length >= limit) break;
  }
  return out;
}

function finding(text: string, start: number, end: number, rule: MatchRule): Finding {
  return {
    start,
    end,
    text: text.slice(start, end),
    ruleId: rule.id,
    category: rule.category,
    suggestions: rule.suggestions,
  };
}

/** Each of the text's words starts the variants whose first word it is; the rest must follow. */
function spacedMatches(byFirst: Map<string, Variant[]>, text: string, tokens: OffsetToken[], out: Finding[]) {
  const words = tokens.map((t) => word(t.token));
  for (let i = 0; i < words.length; i++) {
    const starting = byFirst.get(words[i] as string);
    if (!starting) continue;
    for (const v of starting) {
      const n = v.folded.length;
      if (i + n > words.length) continue;
      let k = 1;
      while (k < n && words[i + k] === v.folded[k]) k++;
      if (k < n || !sameAsWritten(text, tokens, i, v.words as string[])) continue;
      out.push(
        finding(text, (tokens[i] as OffsetToken).start, (tokens[i + n - 1] as OffsetToken).end, v.rule),
      );
    }
  }
}

/** Words typed with their diacritics must be the pattern's words as written. */
function sameAsWritten(text: string, tokens: OffsetToken[], first: number, written: string[]): boolean {
  for (let k = 0; k < written.length; k++) {
    const t = tokens[first + k] as OffsetToken;
    const typed = text.slice(t.start, t.end);
    if (!NON_ASCII.test(typed)) continue;
    if (asWritten(typed) !== written[k]) return false;
  }
  return true;
}

function compactMatches(variants: Variant[], text: string, tokens: OffsetToken[], out: Finding[]) {
  // Character i of the compact string comes from token tokenOf[i], at offsetIn[i] within it.
  const parts: string[] = [];
  const tokenOf: number[] = [];
  const offsetIn: number[] = [];
  tokens.forEach((t, i) => {
    parts.push(t.token);
    for (let k = 0; k < t.token.length; k++) {
      tokenOf.push(i);
      offsetIn.push(k);
    }
  });
  const hay = parts.join("");
  // Where the folded token and the typed text have the same length (NFC Khmer), characters map
  // one to one; otherwise the underline widens to the whole token.
  const at = (i: number, edge: "start" | "end"): number => {
    const t = tokens[tokenOf[i] as number] as OffsetToken;
    const k = offsetIn[i] as number;
    if (t.end - t.start !== t.token.length) return edge === "start" ? t.start : t.end;
    return t.start + k + (edge === "end" ? 1 : 0);
  };
  for (const v of variants) {
    let from = hay.indexOf(v.needle);
    while (from >= 0) {
      out.push(finding(text, at(from, "start"), at(from + v.needle.length - 1, "end"), v.rule));
      from = hay.indexOf(v.needle, from + 1);
    }
  }
}
