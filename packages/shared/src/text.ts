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

/** Folded, segmented word tokens of a text, in order. */
export function tokenize(input: string): string[] {
  const out: string[] = [];
  for (const s of segmenter.segment(foldText(input))) {
    if (!s.isWordLike) continue;
    const token = s.segment.trim();
    if (token) out.push(token.length > MAX_TOKEN ? token.slice(0, MAX_TOKEN) : token);
  }
  return out;
}
