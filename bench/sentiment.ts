/**
 * The angry-customer flag (issue 18): `npx tsx bench/sentiment.ts`. For each of en, vi, km, ta:
 * precision and recall of "negative" (and accuracy over the three labels) on the labelled set
 * in apps/server/test-data/sentiment/, and the cost of `scoreSentiment` per message (what the
 * ticket pipeline runs for each inbound customer message): CPU time from process.cpuUsage()
 * over ROUNDS passes of the set (user + system, divided by the messages scored; not inflated by
 * waiting for a core), and the wall-time p50/p95 per message. Goals: precision >= 0.8, recall
 * >= 0.7, CPU <= 1 ms per message. Prints a Markdown table.
 */
import os from "node:os";
import { scoreSentiment } from "../apps/server/src/modules/tone/sentiment.ts";
import { EVAL_LANGS, evaluate, loadEvalSet } from "../apps/server/src/modules/tone/sentiment-eval.ts";
import { fmt, stats } from "./measure.ts";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20);
const NAMES: Record<string, string> = { en: "English", vi: "Vietnamese", km: "Khmer", ta: "Tamil" };

console.log(
  `load average ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(" / ")}, ${os.cpus().length} cores, ${ROUNDS} rounds\n`,
);
console.log(
  "| language | messages | negative | precision | recall | accuracy | chars / message | CPU µs / message | wall p50 µs | wall p95 µs |",
);
console.log("|---|---|---|---|---|---|---|---|---|---|");
for (const lang of EVAL_LANGS) {
  const set = loadEvalSet(lang);
  const r = evaluate(lang, set);
  for (const m of set) scoreSentiment(m.text, lang); // warm-up: lexicon compiled, JIT
  const wall: number[] = [];
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < ROUNDS; i++)
    for (const m of set) {
      const t = performance.now();
      scoreSentiment(m.text, lang);
      wall.push(performance.now() - t);
    }
  const cpu = process.cpuUsage(cpu0);
  const perMessageUs = (cpu.user + cpu.system) / (ROUNDS * set.length);
  const chars = set.reduce((a, m) => a + m.text.length, 0) / set.length;
  const w = stats(wall);
  console.log(
    `| ${NAMES[lang]} | ${r.messages} | ${r.negatives} | ${fmt(r.precision, 3)} | ${fmt(r.recall, 3)} | ${fmt(r.accuracy, 3)} | ${fmt(chars, 0)} | ${fmt(perMessageUs, 0)} | ${fmt(w.p50 * 1000, 0)} | ${fmt(w.p95 * 1000, 0)} |`,
  );
}
