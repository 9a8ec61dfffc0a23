/**
 * Help-centre latency (issue 15): `npx tsx bench/kb.ts [--pglite|--postgres]` (default both).
 * Seeds 10,000 published articles x 4 languages (en, vi, km unspaced, ta) straight into the
 * kb tables (search vectors built by lib/search.ts, as the app does), starts the real app on
 * 127.0.0.1 and measures over real HTTP, one client, sequential requests:
 *  - the public article page GET /help/:lang/articles/:slug (server-rendered HTML, counts a view),
 *  - GET /api/v1/public/kb/articles/:slug, search and suggest with words of the language.
 *  - suggest with a visitor's 12-word sentence (any word matches), and the suggestion round
 *    trip a page makes after each pause in typing (suggest + the deflection "shown" event).
 * Goals: article page p95 <= 20 ms; search and suggest p95 <= 50 ms; the round trip p95 <= 150 ms. `GET /health` (one
 * `select 1`) is measured first as the shared machine's floor at that moment.
 * Bounded: each scenario stops after COUNT requests or MAX_MS. Prints a Markdown table.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import pg from "pg";
import { type Database, migrate, openPglite, openPostgres } from "../apps/server/src/db/client.ts";
import { tsvectorLiteral } from "../apps/server/src/lib/search.ts";
import { KB_EXCERPT_CHARS } from "../apps/server/src/modules/kb/kb.table.ts";
import { startBenchApp } from "./app.ts";
import { fmt, load, stats } from "./measure.ts";

const ARTICLES = Number(process.env.BENCH_KB_ARTICLES ?? 10_000);
const COUNT = Number(process.env.BENCH_COUNT ?? 500);
const MAX_MS = 30_000;
const base = process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432";
const DB = "rapport_bench_kb";
const log = (...xs: unknown[]) => console.log(...xs);

const WORDS: Record<string, { words: string[]; sep: string }> = {
  en: {
    sep: " ",
    words:
      "account password order refund delivery invoice payment card shipping return warranty settings profile email phone address store discount coupon subscription cancel change reset login security device app update receipt exchange size colour stock pickup courier tracking parcel".split(
        " ",
      ),
  },
  vi: {
    sep: " ",
    words:
      "tài khoản mật khẩu đơn hàng hoàn tiền giao hàng hóa đơn thanh toán thẻ vận chuyển đổi trả bảo hành cài đặt hồ sơ điện thoại địa chỉ cửa hàng giảm giá khuyến mãi hủy thay đổi đăng nhập bảo mật thiết bị ứng dụng cập nhật biên lai kích cỡ màu sắc".split(
        " ",
      ),
  },
  km: {
    sep: "",
    words:
      "គណនី ពាក្យសម្ងាត់ ការបញ្ជាទិញ សងប្រាក់ ដឹកជញ្ជូន វិក្កយបត្រ ការទូទាត់ កាត ការត្រឡប់ ធានា ការកំណត់ ប្រវត្តិរូប ទូរស័ព្ទ អាសយដ្ឋាន ហាង បញ្ចុះតម្លៃ បោះបង់ ផ្លាស់ប្តូរ ចូល សុវត្ថិភាព ឧបករណ៍ កម្មវិធី ធ្វើបច្ចុប្បន្នភាព បង្កាន់ដៃ ទំហំ ពណ៌".split(
        " ",
      ),
  },
  ta: {
    sep: " ",
    words:
      "கணக்கு கடவுச்சொல் ஆர்டர் பணத்திருப்பம் விநியோகம் விலைப்பட்டியல் கட்டணம் அட்டை அனுப்புதல் திருப்பி உத்தரவாதம் அமைப்புகள் சுயவிவரம் மின்னஞ்சல் தொலைபேசி முகவரி கடை தள்ளுபடி ரத்து மாற்றம் உள்நுழைவு பாதுகாப்பு சாதனம் செயலி புதுப்பிப்பு ரசீது அளவு நிறம்".split(
        " ",
      ),
  },
};
const LANGS = Object.keys(WORDS);

let rnd = 42;
const random = () => {
  rnd = (rnd * 1103515245 + 12345) % 2147483648;
  return rnd / 2147483648;
};
const pick = <T>(xs: T[]): T => xs[Math.floor(random() * xs.length)] as T;
const phrase = (lang: string, n: number) => {
  const { words, sep } = WORDS[lang] as { words: string[]; sep: string };
  return Array.from({ length: n }, () => pick(words)).join(sep);
};

/** A visitor's sentence: a few words of the language among filler words no article contains. */
const FILLER: Record<string, string[]> = {
  en: "hello my please why still help me can you it is".split(" "),
  vi: "xin chào tôi vẫn chưa được giúp với bạn ơi nhé".split(" "),
  km: "សួស្តី ខ្ញុំ សូម ជួយ ផង បាទ".split(" "),
  ta: "வணக்கம் எனக்கு தயவுசெய்து உதவி இன்னும் ஏன்".split(" "),
};
const sentence = (lang: string) => {
  const { words, sep } = WORDS[lang] as { words: string[]; sep: string };
  const filler = FILLER[lang] as string[];
  return Array.from({ length: 12 }, (_, i) => (i % 3 === 1 ? pick(words) : pick(filler))).join(sep || " ");
};

async function seed(database: Database) {
  const db = database.db;
  const [done] = (
    (await db.execute(sql`select count(*)::int as n from kb_translations`)) as unknown as {
      rows: Array<{ n: number }>;
    }
  ).rows;
  if ((done?.n ?? 0) >= ARTICLES * LANGS.length) return log("dataset already seeded");
  const t0 = performance.now();
  await db.execute(
    sql`insert into settings (id, name, default_language, time_zone) values (1, 'Bench Co', 'en', 'UTC') on conflict do nothing`,
  );
  const cats: string[] = [];
  for (let c = 0; c < 20; c++) {
    const r = (await db.execute(
      sql`insert into kb_categories (slug, position, names) values (${`category-${c}`}, ${c}, ${JSON.stringify({ en: { name: `Category ${c}` }, vi: { name: `Danh mục ${c}` }, km: { name: `ប្រភេទ ${c}` }, ta: { name: `வகை ${c}` } })}::jsonb) returning id`,
    )) as unknown as { rows: Array<{ id: string }> };
    cats.push(r.rows[0]?.id as string);
  }
  const BATCH = 250;
  for (let start = 0; start < ARTICLES; start += BATCH) {
    const ids: string[] = [];
    const n = Math.min(BATCH, ARTICLES - start);
    const rows = (await db.execute(
      sql`insert into kb_articles (category_id, visibility, source_language, position)
          select (array[${sql.join(
            cats.map((c) => sql`${c}::uuid`),
            sql`, `,
          )}])[1 + (g % 20)], case when g % 10 = 0 then 'internal' else 'public' end, 'en', g
          from generate_series(${start}::int, ${start + n - 1}::int) g returning id, position`,
    )) as unknown as { rows: Array<{ id: string; position: number }> };
    for (const r of rows.rows.sort((a, b) => a.position - b.position)) ids.push(r.id);
    const values = ids.flatMap((id, i) =>
      LANGS.map((lang) => {
        const title = `${phrase(lang, 5)} ${start + i}`;
        const paragraphs = Array.from({ length: 6 }, () => phrase(lang, 40));
        const body = paragraphs.map((p) => `<p>${p}</p>`).join("");
        const text = paragraphs.join("\n");
        const vector = tsvectorLiteral([
          { text: title, weight: "A" },
          { text, weight: "B" },
        ]);
        return sql`(${id}::uuid, ${lang}, ${`a-${start + i}-${lang}`}, ${title}, ${body}, ${text}, ${text.slice(0, KB_EXCERPT_CHARS)}, 'published', now(), ${vector}::tsvector)`;
      }),
    );
    await db.execute(
      sql`insert into kb_translations (article_id, language, slug, title, body, body_text, excerpt, status, published_at, search_vector) values ${sql.join(values, sql`, `)}`,
    );
  }
  await db.execute(sql`analyze`);
  log(`seeded ${ARTICLES} articles x ${LANGS.length} languages in ${fmt((performance.now() - t0) / 1000)} s`);
}

async function measure(label: string, database: Database, url: string | undefined, dataDir: string) {
  await migrate(database);
  await seed(database);
  process.env.RATE_LIMIT_PUBLIC_PER_MINUTE = "100000000";
  const bench = await startBenchApp(database, url ?? `${base}/${DB}`, dataDir);
  const rows: string[] = [];
  const get = async (p: string) => {
    const res = await fetch(`${bench.base}${p}`);
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${p} -> ${res.status}`);
  };
  // Every tenth article is internal (never public): pick the others.
  const slug = (lang: string) => {
    let k = 1 + Math.floor(random() * (ARTICLES - 2));
    if (k % 10 === 0) k++;
    return `a-${k}-${lang}`;
  };
  const scenarios: Array<[string, (lang: string) => string]> = [
    // The machine's floor: an HTTP round trip through the app with one `select 1`.
    ["baseline `GET /health`", () => "/api/v1/health"],
    ["article page `/help/:lang/articles/:slug`", (l) => `/help/${l}/articles/${slug(l)}`],
    ["`GET /public/kb/articles/:slug`", (l) => `/api/v1/public/kb/articles/${slug(l)}?lang=${l}`],
    [
      "`GET /public/kb/search` (1 word)",
      (l) => `/api/v1/public/kb/search?lang=${l}&q=${encodeURIComponent(phrase(l, 1))}`,
    ],
    [
      "`GET /public/kb/search` (2 words)",
      (l) => `/api/v1/public/kb/search?lang=${l}&q=${encodeURIComponent(`${phrase(l, 1)} ${phrase(l, 1)}`)}`,
    ],
    [
      "`GET /public/kb/suggest` (typing: word + prefix)",
      (l) => {
        const w = phrase(l, 1);
        return `/api/v1/public/kb/suggest?lang=${l}&q=${encodeURIComponent(`${phrase(l, 1)} ${w.slice(0, Math.max(2, Math.ceil(w.length / 2)))}`)}`;
      },
    ],
    [
      "`GET /public/kb/suggest` (a sentence of 12 words: any word, rare words weigh more)",
      (l) => `/api/v1/public/kb/suggest?lang=${l}&q=${encodeURIComponent(sentence(l))}`,
    ],
  ];
  for (const [name, make] of scenarios) {
    const { durations } = await load(async (i) => get(make(LANGS[Math.abs(i) % LANGS.length] as string)), {
      count: COUNT,
      maxMs: MAX_MS,
      warmup: 20,
    });
    const s = stats(durations);
    rows.push(
      `| ${label} | ${name} | ${s.n} | ${fmt(s.p50)} | ${fmt(s.p95)} | ${fmt(s.p99)} | ${fmt(s.max)} |`,
    );
    log(rows.at(-1));
  }
  // What a page does after each pause in typing (web form, portal, widget): the suggestions,
  // then the "shown" event with their ids. Goal: p95 <= 150 ms for the pair.
  {
    let n = 0;
    const { durations } = await load(
      async (i) => {
        const l = LANGS[Math.abs(i) % LANGS.length] as string;
        const res = await fetch(
          `${bench.base}/api/v1/public/kb/suggest?lang=${l}&q=${encodeURIComponent(sentence(l))}`,
        );
        const body = (await res.json()) as { items: Array<{ id: string }> };
        const ev = await fetch(`${bench.base}/api/v1/public/deflection/events`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({
            sid: `bench-${n++}-session`,
            source: "widget",
            event: "shown",
            language: l,
            articleIds: body.items.map((h) => h.id),
          }),
        });
        await ev.arrayBuffer();
        if (res.status !== 200 || ev.status !== 202)
          throw new Error(`suggest ${res.status}, shown ${ev.status}`);
      },
      { count: COUNT, maxMs: MAX_MS, warmup: 20 },
    );
    const s = stats(durations);
    rows.push(
      `| ${label} | suggestion round trip: suggest (sentence) + \`shown\` event | ${s.n} | ${fmt(s.p50)} | ${fmt(s.p95)} | ${fmt(s.p99)} | ${fmt(s.max)} |`,
    );
    log(rows.at(-1));
  }
  await bench.app.close();
  return rows;
}

async function main() {
  const only = process.argv.find((a) => a === "--pglite" || a === "--postgres");
  const out: string[] = [];
  log(
    `kb bench: ${ARTICLES} articles x ${LANGS.length} languages, ${COUNT} requests per scenario (at most ${MAX_MS / 1000} s)`,
  );
  if (only !== "--pglite") {
    const admin = new pg.Client({ connectionString: `${base}/postgres` });
    await admin.connect();
    const exists = (await admin.query("select 1 from pg_database where datname = $1", [DB])).rowCount;
    if (exists && process.argv.includes("--reseed")) await admin.query(`drop database ${DB} with (force)`);
    if (!exists || process.argv.includes("--reseed")) await admin.query(`create database ${DB}`);
    await admin.end();
    const url = `${base}/${DB}`;
    const database = openPostgres(url, { max: 10 });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rapport-kb-bench-"));
    out.push(...(await measure("PostgreSQL", database, url, dir)));
    await database.close();
  }
  if (only !== "--postgres") {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rapport-kb-bench-"));
    const database = await openPglite({ dir: path.join(dir, "db") });
    out.push(...(await measure("PGlite", database, undefined, dir)));
    await database.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  log("\n| backend | request | n | p50 ms | p95 ms | p99 ms | max ms |\n|---|---|---|---|---|---|---|");
  for (const r of out) log(r);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
