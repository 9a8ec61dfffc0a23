/**
 * One request of each help-centre kind, profiled (issue 15): `npx tsx bench/kb-profile.ts`.
 * Needs the PostgreSQL dataset of bench/kb.ts (`rapport_bench_kb`; run that first). For the
 * article page, the article API, search (1 and 2 words), suggest (typing, a sentence) and the
 * suggestion round trip it prints, load-robust:
 *  - statements sent to the database per request (captured at pg.Client.query),
 *  - the app process's CPU ms per request (process.cpuUsage over REPEAT in-process requests),
 *  - the database's own time: EXPLAIN (ANALYZE, BUFFERS) of each statement (execution and
 *    planning ms, shared buffers hit), with `--plans` the plan itself.
 * Same words and slugs as bench/kb.ts (seeded random), so the two agree.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { openPostgres } from "../apps/server/src/db/client.ts";
import { startBenchApp } from "./app.ts";
import { captureQueries, fmt } from "./measure.ts";

const base = process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432";
const url = `${base}/rapport_bench_kb`;
const REPEAT = Number(process.env.BENCH_REPEAT ?? 40);
const plans = process.argv.includes("--plans");

const WORD: Record<string, string[]> = {
  en: ["refund", "delivery", "password"],
  vi: ["hoàn", "giao", "khẩu"],
  km: ["សងប្រាក់", "ដឹកជញ្ជូន", "គណនី"],
  ta: ["கணக்கு", "விநியோகம்", "கட்டணம்"],
};
const SENTENCE: Record<string, string> = {
  en: "hello my parcel delivery never came please can you refund it is late",
  vi: "xin chào tôi vẫn chưa được hoàn tiền giao hàng bạn ơi nhé",
  km: "សួស្តី ខ្ញុំ សូម ជួយ សងប្រាក់ ដឹកជញ្ជូន ផង បាទ",
  ta: "வணக்கம் எனக்கு தயவுசெய்து விநியோகம் கட்டணம் உதவி இன்னும் ஏன்",
};

async function main() {
  process.env.RATE_LIMIT_PUBLIC_PER_MINUTE = "100000000";
  const database = openPostgres(url, { max: 4 });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rapport-kb-profile-"));
  const bench = await startBenchApp(database, url, dir);
  const explainer = new pg.Client({ connectionString: url });
  await explainer.connect();
  const lang = "en";
  const slug = `a-4321-${lang}`;
  const [w1, w2] = WORD[lang] as string[];
  const cases: Array<[string, () => Promise<void>]> = [
    ["article page", () => get(`/help/${lang}/articles/${slug}`)],
    ["article API", () => get(`/api/v1/public/kb/articles/${slug}?lang=${lang}`)],
    ["search, 1 word", () => get(`/api/v1/public/kb/search?lang=${lang}&q=${w1}`)],
    ["search, 2 words", () => get(`/api/v1/public/kb/search?lang=${lang}&q=${w1}%20${w2}`)],
    [
      "suggest, typing (word + prefix)",
      () => get(`/api/v1/public/kb/suggest?lang=${lang}&q=${w1}%20${(w2 as string).slice(0, 4)}`),
    ],
    [
      "suggest, a 12-word sentence",
      () => get(`/api/v1/public/kb/suggest?lang=${lang}&q=${encodeURIComponent(SENTENCE[lang] as string)}`),
    ],
    [
      "round trip: suggest + shown",
      async () => {
        const res = await bench.app.inject({
          method: "GET",
          url: `/api/v1/public/kb/suggest?lang=${lang}&q=${encodeURIComponent(SENTENCE[lang] as string)}`,
        });
        const ids = (res.json() as { items: Array<{ id: string }> }).items.map((h) => h.id);
        const ev = await bench.app.inject({
          method: "POST",
          url: "/api/v1/public/deflection/events",
          payload: {
            sid: `profile-${Math.random().toString(36).slice(2)}`,
            source: "widget",
            event: "shown",
            language: lang,
            articleIds: ids,
          },
        });
        if (ev.statusCode !== 202) throw new Error(`shown -> ${ev.statusCode}`);
      },
    ],
  ];
  async function get(p: string) {
    const res = await bench.app.inject({ method: "GET", url: p });
    if (res.statusCode !== 200) throw new Error(`${p} -> ${res.statusCode}`);
  }
  const out: string[] = [
    "| request | statements | app CPU ms / request | DB execution ms | DB planning ms | buffers hit |",
    "|---|---|---|---|---|---|",
  ];
  for (const [name, run] of cases) {
    for (let i = 0; i < 5; i++) await run(); // warm: caches, JIT
    const { queries } = await captureQueries(run);
    const cpu0 = process.cpuUsage();
    for (let i = 0; i < REPEAT; i++) await run();
    const cpu = process.cpuUsage(cpu0);
    const cpuMs = (cpu.user + cpu.system) / 1000 / REPEAT;
    let exec = 0;
    let plan = 0;
    let hit = 0;
    for (const q of queries) {
      if (!/^\s*(select|with|insert|update)/i.test(q.text)) continue;
      // EXPLAIN ANALYZE runs the statement: inside a rolled-back transaction, so nothing is written.
      await explainer.query("begin");
      const r = await explainer.query(`explain (analyze, buffers, format json) ${q.text}`, q.values);
      await explainer.query("rollback");
      const top = (r.rows[0] as { "QUERY PLAN": Array<Record<string, unknown>> })["QUERY PLAN"][0] as {
        "Execution Time": number;
        "Planning Time": number;
        Plan: { "Shared Hit Blocks"?: number };
      };
      exec += top["Execution Time"];
      plan += top["Planning Time"];
      hit += top.Plan["Shared Hit Blocks"] ?? 0;
      if (plans) {
        await explainer.query("begin");
        const t = await explainer.query(`explain (analyze, buffers) ${q.text}`, q.values);
        await explainer.query("rollback");
        console.log(
          `\n--- ${name}\n${q.text.replace(/\s+/g, " ").slice(0, 300)}\n${t.rows.map((x) => x["QUERY PLAN"]).join("\n")}`,
        );
      }
    }
    out.push(
      `| ${name} | ${queries.length} | ${fmt(cpuMs, 2)} | ${fmt(exec, 2)} | ${fmt(plan, 2)} | ${hit} |`,
    );
    console.log(out.at(-1));
  }
  console.log(
    `\nload average ${os
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(" ")}\n`,
  );
  console.log(out.join("\n"));
  await explainer.end();
  await bench.app.close();
  await database.close();
  fs.rmSync(dir, { recursive: true, force: true });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
