/**
 * A sentiment lexicon for one language (modules/tone/sentiment.ts). Phrases are matched on the
 * search tokenizer's folded words, so write them as people type them; diacritics do not matter.
 * "word*" matches any word that starts with "word", "*ending" any word that ends with it.
 */
export type Lexicon = {
  /** Khmer: matched on the unspaced run of letters instead of whole words. */
  unspaced?: boolean;
  /** Phrase -> weight, -3 (furious) .. +3 (delighted). */
  terms: Record<string, number>;
  /** Words that flip the entry right after them ("not", "không", "មិន"). */
  negators: readonly string[];
  /** Words that flip the entry right before them (Tamil "இல்லை"). */
  negatorsAfter?: readonly string[];
  /** Words that make the entry after them 1.5 times stronger. */
  intensifiers: readonly string[];
  /** Words that make the entry before them 1.5 times stronger (Vietnamese "quá", Khmer "ណាស់"). */
  intensifiersAfter?: readonly string[];
  /** "but": what stands before it in the sentence counts half. */
  contrast: readonly string[];
};
