/**
 * The angry-customer flag (issue 18): `npx tsx bench/sentiment.ts`. For each of en, vi, km, ta:
 * precision and recall of "negative" (and accuracy over the three labels) on the labelled set
 * in apps/server/test-data/sentiment/, and the cost of `scoreSentiment` per message (what the
 * ticket pipeline runs for each inbound customer message): CPU time from process.cpuUsage()
 * over ROUNDS passes of the set (user + system, divided by the messages scored; not inflated by
 * waiting for a core), the wall-time p50/p95 per message, and the CPU time for one 2,000-character
 * message (the set's messages joined). Goals: precision >= 0.8, recall
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
  "| language | messages | negative | precision | recall | accuracy | chars / message | CPU µs / message | wall p50 µs | wall p95 µs | CPU µs, 2,000 chars |",
);
console.log("|---|---|---|---|---|---|---|---|---|---|---|");
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
  // A long message: the set's messages joined until 2,000 characters.
  let long = "";
  for (let i = 0; long.length < 2000; i++) long += `${set[i % set.length]?.text ?? ""} `;
  long = long.slice(0, 2000);
  const long0 = process.cpuUsage();
  for (let i = 0; i < ROUNDS * 10; i++) scoreSentiment(long, lang);
  const longCpu = process.cpuUsage(long0);
  const longUs = (longCpu.user + longCpu.system) / (ROUNDS * 10);
  console.log(
    `| ${NAMES[lang]} | ${r.messages} | ${r.negatives} | ${fmt(r.precision, 3)} | ${fmt(r.recall, 3)} | ${fmt(r.accuracy, 3)} | ${fmt(chars, 0)} | ${fmt(perMessageUs, 0)} | ${fmt(w.p50 * 1000, 0)} | ${fmt(w.p95 * 1000, 0)} | ${fmt(longUs, 0)} |`,
  );
}
