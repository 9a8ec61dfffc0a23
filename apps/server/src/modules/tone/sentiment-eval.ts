import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { SENTIMENTS, type Sentiment } from "@rapport/shared";
import { scoreSentiment } from "./sentiment.ts";

/**
 * The labelled evaluation set of the angry-customer flag (apps/server/test-data/sentiment/<lang>.tsv:
 * a header, then `label<TAB>text` per line) and precision and recall of "negative" on it. Used by
 * the unit test (which asserts the goals) and bench/sentiment.ts (which reports them).
 */
export const EVAL_LANGS = ["en", "vi", "km", "ta"] as const;
export type Labelled = { label: Sentiment; text: string };

export function loadEvalSet(lang: string): Labelled[] {
  const file = fileURLToPath(new URL(`../../../test-data/sentiment/${lang}.tsv`, import.meta.url));
  return readFileSync(file, "utf8")
    .split("\n")
    .slice(1)
    .filter((l) => l.trim())
    .map((line) => {
      const [label = "", text = ""] = line.split("\t");
      if (!(SENTIMENTS as readonly string[]).includes(label))
        throw new Error(`bad label in ${lang}: ${line}`);
      return { label: label as Sentiment, text };
    });
}

export type EvalResult = {
  lang: string;
  messages: number;
  negatives: number;
  precision: number;
  recall: number;
  /** All three labels right. */
  accuracy: number;
  misses: Array<Labelled & { got: Sentiment; score: number }>;
};

export function evaluate(lang: string, set = loadEvalSet(lang)): EvalResult {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let right = 0;
  const misses: EvalResult["misses"] = [];
  for (const m of set) {
    const { sentiment: got, score } = scoreSentiment(m.text, lang);
    if (got === m.label) right++;
    else misses.push({ ...m, got, score });
    if (got === "negative" && m.label === "negative") tp++;
    else if (got === "negative") fp++;
    else if (m.label === "negative") fn++;
  }
  return {
    lang,
    messages: set.length,
    negatives: set.filter((m) => m.label === "negative").length,
    precision: tp + fp ? tp / (tp + fp) : 1,
    recall: tp + fn ? tp / (tp + fn) : 1,
    accuracy: right / set.length,
    misses,
  };
}
