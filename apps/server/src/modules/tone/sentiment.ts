import type { Sentiment } from "@rapport/shared";
import { tokenizeWithOffsets } from "@rapport/shared";
import { LEXICONS } from "./sentiment/index.ts";
import type { Lexicon } from "./sentiment/types.ts";

/**
 * The angry-customer flag: a rule-based sentiment of one customer message (issue 18). Pure, no
 * database, nothing loaded at run time. See docs/compensation-and-tone.md.
 *
 * The text goes through the search tokenizer (`tokenizeWithOffsets`: folded, so Vietnamese
 * matches with or without diacritics; Khmer segmented by the ICU dictionary) and is laid out
 * as one string: spaced languages as " w1 w2 w3 ", Khmer as "w1w2w3" (the segmenter cuts a
 * phrase differently inside a sentence than alone, so a Khmer entry is found wherever its
 * letters run). Where the original text has a clause break between two tokens (. ! ? ; , ។
 * a line break, or in Khmer a space) a "|" stands between them ("||" at a sentence's end), so
 * no phrase, negation or intensifier reaches across a clause.
 *
 * A lexicon entry is a phrase with a weight (-3..+3). "word*" matches words that start with
 * "word", "*suffix" words that end with it (Tamil's negative verb ending -வில்லை). At each
 * place the longest entry wins; entries never overlap. Then, inside a clause:
 * - a negator just before an entry (or just after, for the language's after-negators, e.g.
 *   Tamil "இல்லை") flips it: a positive entry becomes a little more negative than it was
 *   positive ("not good" is a pointed complaint), a negative one mildly positive ("not bad");
 * - an intensifier just before multiplies it by 1.5 ("very", "rất", "ណាស់" after);
 * - what comes before a contrast word ("but", "nhưng") counts half.
 * Repeated "!!" or a shouted word (4+ capitals) makes a negative total 30% stronger.
 * Total ≤ -1.5: negative (one weak cue such as "late" or "problem" is not enough; two are);
 * ≥ 1: positive; otherwise neutral.
 */

export type SentimentResult = { sentiment: Sentiment; score: number };

type Entry = {
  needle: string;
  weight: number;
  kind: "term" | "neg" | "negAfter" | "int" | "intAfter" | "but";
};
/**
 * `atWord`: the entries of a spaced lexicon whose needle starts with a space, by the two
 * characters after it (one when the needle is that short): they can only match where a word
 * starts, so the scan looks them up at each space instead of searching the text once per entry.
 * `elsewhere`: the rest (suffix entries, unspaced lexicons), searched with indexOf.
 */
type Compiled = {
  spaced: boolean;
  entries: Entry[];
  atWord: Map<string, number[]>;
  elsewhere: number[];
};
type Match = { start: number; end: number; entry: Entry; index: number };

const UNSPACED = /[\u1780-\u17ff]/;
const APOSTROPHES = /[\u2018\u2019\u02bc]/g;
const BREAK = /[.!?;,\n\u17d4\u17d5\u0964]/;
const SENTENCE = /[.!?\n\u17d4\u17d5\u0964]/;
/** How far (in characters of the laid-out string) a negator or intensifier reaches. */
const REACH_SPACED = 14;
const REACH_COMPACT = 4;
const NEG_THRESHOLD = -1.5;
const POS_THRESHOLD = 1;

function needleOf(phrase: string, spaced: boolean): string {
  const prefix = phrase.endsWith("*");
  const suffix = phrase.startsWith("*");
  const core = phrase.replace(/^\*|\*$/g, "").replace(APOSTROPHES, "'");
  const words = tokenizeWithOffsets(core).map((t) => t.token);
  if (words.length === 0) return "";
  if (!spaced) return words.join("");
  return `${suffix ? "" : " "}${words.join(" ")}${prefix ? "" : " "}`;
}

function compileLexicon(lex: Lexicon): Compiled {
  const spaced = !lex.unspaced;
  const entries: Entry[] = [];
  const add = (phrases: readonly string[], kind: Entry["kind"], weight = 0) => {
    for (const p of phrases) {
      const needle = needleOf(p, spaced);
      if (needle.trim()) entries.push({ needle, weight, kind });
    }
  };
  for (const [p, w] of Object.entries(lex.terms)) add([p], "term", w);
  add(lex.negators, "neg");
  add(lex.negatorsAfter ?? [], "negAfter");
  add(lex.intensifiers, "int");
  add(lex.intensifiersAfter ?? [], "intAfter");
  add(lex.contrast, "but");
  const atWord = new Map<string, number[]>();
  const elsewhere: number[] = [];
  for (const [i, e] of entries.entries()) {
    if (!spaced || !e.needle.startsWith(" ")) {
      elsewhere.push(i);
      continue;
    }
    const key = e.needle.slice(1, 3);
    const list = atWord.get(key);
    if (list) list.push(i);
    else atWord.set(key, [i]);
  }
  return { spaced, entries, atWord, elsewhere };
}

const compiled = new Map<string, Compiled>();
function lexiconFor(lang: string): Compiled {
  const base = (lang || "en").toLowerCase().split("-")[0] ?? "en";
  const key = base in LEXICONS ? base : "en";
  let c = compiled.get(key);
  if (!c) {
    c = compileLexicon(LEXICONS[key as keyof typeof LEXICONS]);
    compiled.set(key, c);
  }
  return c;
}

/** The tokens laid out as one string, with "|" at clause breaks. */
function layout(text: string, spaced: boolean): string {
  const tokens = tokenizeWithOffsets(text);
  let out = spaced ? " " : "";
  let prevEnd = -1;
  for (const t of tokens) {
    if (prevEnd >= 0) {
      const between = text.slice(prevEnd, t.start);
      // In Khmer a space separates phrases, as a comma does.
      const sentenceEnd = SENTENCE.test(between);
      if (sentenceEnd || BREAK.test(between) || (!spaced && /\s/.test(between)))
        out += `${sentenceEnd ? "||" : "|"}${spaced ? " " : ""}`;
      else if (!spaced && !UNSPACED.test(t.token)) out += " ";
    }
    out += spaced ? `${t.token} ` : t.token;
    prevEnd = t.end;
  }
  return out;
}

function findAll(s: string, c: Compiled): Match[] {
  const found: Match[] = [];
  const add = (index: number, at: number) => {
    const entry = c.entries[index] as Entry;
    const n = entry.needle;
    const lead = c.spaced && n.startsWith(" ") ? 1 : 0;
    const trail = c.spaced && n.endsWith(" ") ? 1 : 0;
    let start = at + lead;
    let end = at + n.length - trail;
    if (c.spaced) {
      // A prefix entry covers the rest of its word, a suffix entry the start of it.
      if (!trail) while (end < s.length && s[end] !== " ") end++;
      if (!lead) while (start > 0 && s[start - 1] !== " ") start--;
    }
    found.push({ start, end, entry, index });
  };
  if (c.atWord.size > 0) {
    for (let at = s.indexOf(" "); at >= 0; at = s.indexOf(" ", at + 1)) {
      const two = c.atWord.get(s.slice(at + 1, at + 3));
      const one = c.atWord.get(s.slice(at + 1, at + 2));
      for (const list of [two, one === two ? undefined : one])
        if (list) for (const i of list) if (s.startsWith((c.entries[i] as Entry).needle, at)) add(i, at);
    }
  }
  for (const i of c.elsewhere) {
    const n = (c.entries[i] as Entry).needle;
    for (let at = s.indexOf(n); at >= 0; at = s.indexOf(n, at + 1)) add(i, at);
  }
  // Longest first at each place; equal ones in lexicon order (the order entries were listed).
  found.sort(
    (a, b) =>
      a.start - b.start ||
      b.end - a.end ||
      b.entry.needle.length - a.entry.needle.length ||
      a.index - b.index,
  );
  const kept: Match[] = [];
  let reached = -1;
  for (const m of found) {
    if (m.start < reached) continue;
    kept.push(m);
    reached = m.end;
  }
  return kept;
}

const near = (s: string, from: number, to: number, reach: number) =>
  to >= from && to - from <= reach && !s.slice(from, to).includes("|");

/** The sentiment of one message in `lang` (en, vi, km, ta; others use English). */
export function scoreSentiment(text: string, lang: string): SentimentResult {
  const c = lexiconFor(lang);
  const s = layout(text.length > 5000 ? text.slice(0, 5000) : text, c.spaced);
  const matches = findAll(s, c);
  const reach = c.spaced ? REACH_SPACED : REACH_COMPACT;
  const weights: number[] = [];
  const at: number[] = [];
  for (const [i, m] of matches.entries()) {
    if (m.entry.kind !== "term") continue;
    let w = m.entry.weight;
    let negated = false;
    for (let j = i - 1; j >= 0; j--) {
      const p = matches[j];
      if (!p || p.entry.kind === "term" || !near(s, p.end, m.start, reach)) break;
      if (p.entry.kind === "neg") negated = !negated;
      if (p.entry.kind === "int") w *= 1.5;
    }
    for (let j = i + 1; j < matches.length; j++) {
      const n = matches[j];
      if (!n || n.entry.kind === "term" || !near(s, m.end, n.start, reach)) break;
      if (n.entry.kind === "negAfter") negated = !negated;
      if (n.entry.kind === "intAfter") w *= 1.5;
    }
    if (negated) w = w > 0 ? -(w + 0.5) : -w * 0.5;
    weights.push(w);
    at.push(m.start);
  }
  // Before a contrast word, within its sentence (commas do not end it), counts half.
  for (const m of matches) {
    if (m.entry.kind !== "but") continue;
    const clauseStart = s.lastIndexOf("||", m.start);
    for (const [k, pos] of at.entries())
      if (pos < m.start && pos > clauseStart) weights[k] = (weights[k] ?? 0) * 0.5;
  }
  let score = weights.reduce((a, b) => a + b, 0);
  if (score < 0 && (/!!|!\?|\?!/.test(text) || /\b[A-Z]{4,}\b/.test(text))) score *= 1.3;
  score = Math.round(score * 100) / 100;
  const sentiment: Sentiment =
    score <= NEG_THRESHOLD ? "negative" : score >= POS_THRESHOLD ? "positive" : "neutral";
  return { sentiment, score };
}

const RANK: Record<Sentiment, number> = { negative: 0, neutral: 1, positive: 2 };
/** The worse of two sentiments (a ticket's worst so far). */
export function worseSentiment(a: Sentiment | null | undefined, b: Sentiment): Sentiment {
  return a && RANK[a] <= RANK[b] ? a : b;
}
