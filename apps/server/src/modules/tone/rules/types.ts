import type { ToneCategory } from "@rapport/shared";

/** A shipped tone rule: `key` is stable across versions (the row is written once). */
export type ToneRuleSeed = { key: string; category: ToneCategory; pattern: string; suggestions: string[] };

/** Terse table form: [key, category, pattern (variants separated by "|"), ...suggestions]. */
export type SeedRow = [string, ToneCategory, string, ...string[]];

export const seeds = (lang: string, rows: SeedRow[]): ToneRuleSeed[] =>
  rows.map(([key, category, pattern, ...suggestions]) => ({
    key: `${lang}.${key}`,
    category,
    pattern,
    suggestions,
  }));
