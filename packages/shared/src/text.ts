/**
 * Text normalization for search, shared by indexing (server) and querying
 * (server, and the web app for highlighting). See docs/decisions/0002-search.md.
 *
 * - NFC, then lower case.
 * - Latin diacritics are removed (Vietnamese "khách hàng" -> "khach hang", đ -> d),
 *   but only the combining marks of the Latin/Greek/Cyrillic blocks: the vowel signs
 *   and viramas of Khmer, Tamil and other Brahmic scripts are letters of the word
 *   and must survive.
 * - Words are cut with Intl.Segmenter, which uses ICU dictionaries for scripts
 *   written without spaces (Khmer, Thai, Lao, Burmese, Chinese, Japanese).
 *   Text that is plain ASCII once folded (English, and Vietnamese, whose
 *   diacritics folding removes) takes a regular-expression fast path that
 *   gives exactly the segmenter's word-like segments (see ASCII_WORD), about
 *   ten times faster; the unit tests compare the two on random ASCII.
 */
const LATIN_COMBINING = /[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]/g;
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

export function foldText(input: string): string {
  return input
    .normalize("NFC")
    .toLowerCase()
    .replace(/đ/g, "d")
    .normalize("NFD")
    .replace(LATIN_COMBINING, "")
    .normalize("NFC")
    .replace(CONTROL, " ");
}

const segmenter = new Intl.Segmenter("und", { granularity: "word" });

/** Longest token kept; longer runs (base64 blobs, hashes) are cut. */
const MAX_TOKEN = 64;

/**
 * Intl.Segmenter slows down sharply on long strings (iterating 150 KB took 18 s), so
 * text is segmented in chunks of about CHUNK characters, cut at whitespace, where
 * no word can span the cut. Only a run of more than CHUNK characters without any
 * whitespace is cut hard, which may split one word there.
 */
const CHUNK = 1000;

function* chunks(text: string): Generator<string> {
  let start = 0;
  while (text.length - start > CHUNK) {
    let cut = -1;
    for (let i = start + CHUNK; i > start; i--) {
      if (/\s/.test(text[i] ?? "")) {
        cut = i;
        break;
      }
    }
    if (cut < 0) cut = start + CHUNK;
    yield text.slice(start, cut);
    start = cut;
  }
  yield text.slice(start);
}

/**
 * The Unicode word-break rules (UAX #29, as ICU's root locale applies them) restricted
 * to folded ASCII: letters, digits and "_" run together; a letter joins a letter across
 * one of `.` `'` `:`, and a digit joins a digit across one of `.` `,` `;` `'`. Every other
 * character breaks. ICU calls a lone "_" not word-like (but "__" word-like).
 */
const ASCII_WORD = /[a-z0-9_]+(?:(?:(?<=[a-z])[.':](?=[a-z])|(?<=[0-9])[.,;'](?=[0-9]))[a-z0-9_]+)*/g;
const NON_ASCII = /[^\u0000-\u007f]/;

function push(out: string[], token: string): void {
  if (token) out.push(token.length > MAX_TOKEN ? token.slice(0, MAX_TOKEN) : token);
}

/** Folded, segmented word tokens of a text, in order. Linear in the text's length. */
export function tokenize(input: string): string[] {
  const out: string[] = [];
  for (const chunk of chunks(foldText(input))) {
    if (!NON_ASCII.test(chunk)) {
      for (const m of chunk.matchAll(ASCII_WORD)) if (m[0] !== "_") push(out, m[0]);
      continue;
    }
    for (const s of segmenter.segment(chunk)) {
      if (s.isWordLike) push(out, s.segment.trim());
    }
  }
  return out;
}

/** A token of `tokenizeWithOffsets`: the folded word and where it stands in the original text. */
export type OffsetToken = { token: string; start: number; end: number };

const ASCII_ONLY = /^[\u0000-\u007f]*$/;
/** A character with the combining marks after it (Vietnamese tone marks, Khmer and Tamil vowel signs). */
const CLUSTER = /\P{M}\p{M}*|\p{M}+/gsu;
const folded = new Map<string, string>();
/** foldText of one cluster, remembered: text repeats few distinct clusters. */
function foldCluster(c: string): string {
  if (c.length === 1 && c.charCodeAt(0) < 0x80) return c.toLowerCase().replace(CONTROL, " ");
  let f = folded.get(c);
  if (f === undefined) {
    f = foldText(c);
    if (folded.size < 20_000) folded.set(c, f);
  }
  return f;
}

/**
 * The tokens of `tokenize(input)` with their UTF-16 offsets into `input` itself (not into its
 * folded form), so a finding can be underlined in what the person typed. Folding changes
 * lengths (NFD input, "đ", dropped marks), so the text is folded one cluster (a character and
 * its combining marks) at a time and each folded character remembers the cluster it came from; a token spans from its
 * first character's cluster to its last one's. For NFC input the tokens equal `tokenize`'s.
 */
export function tokenizeWithOffsets(input: string): OffsetToken[] {
  let folded: string;
  let from: Int32Array;
  let to: Int32Array;
  if (ASCII_ONLY.test(input)) {
    folded = foldText(input);
    from = new Int32Array(folded.length);
    to = new Int32Array(folded.length);
    for (let i = 0; i < folded.length; i++) {
      from[i] = i;
      to[i] = i + 1;
    }
  } else {
    const parts: string[] = [];
    const starts: number[] = [];
    const ends: number[] = [];
    for (const g of input.matchAll(CLUSTER)) {
      const f = foldCluster(g[0]);
      parts.push(f);
      for (let k = 0; k < f.length; k++) {
        starts.push(g.index);
        ends.push(g.index + g[0].length);
      }
    }
    folded = parts.join("");
    from = Int32Array.from(starts);
    to = Int32Array.from(ends);
  }
  const out: OffsetToken[] = [];
  const add = (token: string, at: number) => {
    const t = token.length > MAX_TOKEN ? token.slice(0, MAX_TOKEN) : token;
    if (!t) return;
    out.push({ token: t, start: from[at] ?? 0, end: to[at + token.length - 1] ?? 0 });
  };
  let base = 0;
  for (const chunk of chunks(folded)) {
    if (!NON_ASCII.test(chunk)) {
      for (const m of chunk.matchAll(ASCII_WORD)) if (m[0] !== "_") add(m[0], base + m.index);
    } else {
      for (const s of segmenter.segment(chunk)) {
        if (!s.isWordLike) continue;
        const lead = s.segment.length - s.segment.trimStart().length;
        add(s.segment.trim(), base + s.index + lead);
      }
    }
    base += chunk.length;
  }
  return out;
}
