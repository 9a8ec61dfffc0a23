/**
 * Tone check latency (issue 18): `npx tsx bench/tone.ts`. For each of en, vi (with and
 * without diacritics), km (unspaced) and ta: 500 rules of that language loaded (the shipped
 * ones plus generated phrases of the language's words), a 2,000-character reply with three
 * flagged phrases in it; measures `findTone` (what POST /tone/check runs after the rules are
 * cached: folding, segmentation with offsets, matching) over COUNT checks. Goal: p95 <= 20 ms.
 * Beside the wall-clock percentiles (which a loaded machine inflates) it prints the CPU time
 * per check (process.cpuUsage over the COUNT checks), and of the segmentation alone
 * (`tokenizeWithOffsets`), which do not depend on the load. Prints a Markdown table.
 */
import os from "node:os";
import { tokenizeWithOffsets } from "@rapport/shared";
import { SHIPPED_RULES } from "../apps/server/src/modules/tone/rules/index.ts";
import { compile, findTone, type MatchRule } from "../apps/server/src/modules/tone/tone.match.ts";
import { fmt, stats } from "./measure.ts";

const COUNT = Number(process.env.BENCH_COUNT ?? 500);
const RULES = 500;

const TEXT: Record<string, { filler: string; flagged: string[]; sep: string }> = {
  en: {
    sep: " ",
    filler:
      "Thank you for your message about the order, we have checked the parcel and the courier details today.",
    flagged: ["I don't know", "that's not my job", "the company won't do that"],
  },
  vi: {
    sep: " ",
    filler:
      "Dạ cảm ơn anh đã liên hệ, bên em đã kiểm tra đơn hàng và thông tin vận chuyển của anh hôm nay ạ.",
    flagged: ["em không biết", "không phải việc của em", "công ty không làm vậy"],
  },
  km: {
    sep: "",
    filler: "សូមអរគុណសម្រាប់សារអំពីការបញ្ជាទិញយើងបានពិនិត្យកញ្ចប់ឥវ៉ាន់និងព័ត៌មានអ្នកដឹកជញ្ជូនថ្ងៃនេះ",
    flagged: ["ខ្ញុំមិនដឹងទេ", "មិនមែនជាការងាររបស់ខ្ញុំ", "ក្រុមហ៊ុនមិនធ្វើបែបនោះទេ"],
  },
  ta: {
    sep: " ",
    filler: "உங்கள் ஆர்டர் பற்றிய செய்திக்கு நன்றி, இன்று பார்சலையும் கூரியர் விவரங்களையும் சரிபார்த்தோம்.",
    flagged: ["எனக்குத் தெரியாது", "அது என் வேலை இல்லை", "நிறுவனம் அதைச் செய்யாது"],
  },
};

function reply(lang: string): string {
  const t = TEXT[lang] as (typeof TEXT)[string];
  const parts: string[] = [];
  let i = 0;
  while (parts.join(t.sep).length < 2000) {
    parts.push(t.filler);
    if (i < t.flagged.length && parts.length % 5 === 0) parts.push(t.flagged[i++] as string);
  }
  return parts.join(t.sep).slice(0, 2000);
}

/** The shipped rules plus generated two- and three-word phrases of the language's own words. */
function rules(lang: string): MatchRule[] {
  const shipped = (SHIPPED_RULES[lang] ?? []).map((r) => ({ ...r, id: r.key, lang }));
  const words = (TEXT[lang] as (typeof TEXT)[string]).filler.split(/[\s,.]+/).filter(Boolean);
  const out: MatchRule[] = [...shipped];
  for (let n = 0; out.length < RULES; n++) {
    const a = words[n % words.length];
    const b = words[(n * 7 + 3) % words.length];
    const c = words[(n * 13 + 5) % words.length];
    out.push({
      id: `gen-${n}`,
      lang,
      pattern: `${a} zz${n} ${b}|${b} ${c} qq${n}`,
      category: "rudeness",
      suggestions: ["…"],
    });
  }
  return out;
}

const rows: string[] = [];
for (const [label, lang, fold] of [
  ["English", "en", false],
  ["Vietnamese", "vi", false],
  ["Vietnamese without diacritics", "vi", true],
  ["Khmer (unspaced)", "km", false],
  ["Tamil", "ta", false],
] as const) {
  const set = rules(lang);
  const t0 = performance.now();
  const compiled = compile(set);
  const compileMs = performance.now() - t0;
  let text = reply(lang);
  if (fold)
    text = text
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .replace(/đ/g, "d")
      .replace(/Đ/g, "D");
  const found = findTone(compiled, text).length;
  const ms: number[] = [];
  // A different last character each time, as typing changes the text.
  const typed = (i: number) => `${text.slice(0, 1999)}${String.fromCharCode(97 + (i % 26))}`;
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < COUNT; i++) {
    const s = typed(i);
    const a = performance.now();
    findTone(compiled, s);
    ms.push(performance.now() - a);
  }
  const cpu = process.cpuUsage(cpu0);
  const seg0 = process.cpuUsage();
  for (let i = 0; i < COUNT; i++) tokenizeWithOffsets(typed(i));
  const seg = process.cpuUsage(seg0);
  const perCheck = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000 / COUNT;
  const st = stats(ms);
  rows.push(
    `| ${label} | ${set.length} | ${text.length} | ${found} | ${fmt(compileMs)} | ${fmt(st.p50, 2)} | ${fmt(st.p95, 2)} | ${fmt(st.max, 2)} | ${fmt(perCheck(cpu), 2)} | ${fmt(perCheck(seg), 2)} |`,
  );
}
console.log(
  "| language | rules | characters | findings | compile ms | check p50 ms | check p95 ms | max ms | CPU ms / check | of it segmentation |",
);
console.log("|---|---|---|---|---|---|---|---|---|---|");
for (const r of rows) console.log(r);
console.log(
  `\nload average ${os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(" ")}`,
);
