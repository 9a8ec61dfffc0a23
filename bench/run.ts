/**
 * The core benchmark (issue 2): `npm run bench` (full: 1M tickets, 3M messages),
 * `npm run bench -- --smoke` (20k tickets, under a minute), `--reseed` to rebuild.
 * Seeds PostgreSQL once, starts the real app in-process on 127.0.0.1, measures over
 * real HTTP, and writes bench/RESULTS.md and bench/plans/*.txt.
 */
import { execSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { migrate, openPostgres } from "../apps/server/src/db/client.ts";
import { startBenchApp } from "./app.ts";
import { createBaseline, createViaApi } from "./create.ts";
import { type CapturedQuery, captureQueries, fmt, httpClient, load, type Stats, stats } from "./measure.ts";
import { benchId, checkSearchColumns, FULL, KIND, SMOKE, seed, seededSize, seedReport } from "./seed.ts";
import { COMMON_WORD, NAME_FRAGMENT, RARE_WORD } from "./vocab.ts";

const args = new Set(process.argv.slice(2));
const smoke = args.has("--smoke");
const size = smoke ? SMOKE : FULL;
const url =
  process.env.BENCH_DATABASE_URL ??
  `postgres://postgres@127.0.0.1:5432/${smoke ? "rapport_bench_smoke" : "rapport_bench"}`;
const outDir = smoke ? path.join(import.meta.dirname, ".smoke") : import.meta.dirname;
const plansDir = path.join(outDir, "plans");
/** Bounds per measurement: at most this many requests, for at most this long. */
const LIMITS = smoke
  ? { count: 60, maxMs: 2_000, createCount: 100, createMs: 3_000 }
  : { count: 400, maxMs: 15_000, createCount: 3_000, createMs: 20_000 };

const log = (...xs: unknown[]) => console.log(...xs);

/** Creates the database if missing; drops it first with --reseed or when it holds another size. */
async function prepareDatabase(): Promise<void> {
  const dbName = new URL(url).pathname.slice(1);
  const adminUrl = new URL(url);
  adminUrl.pathname = "/postgres";
  const admin = new pg.Client({ connectionString: adminUrl.toString() });
  await admin.connect();
  try {
    const exists = (await admin.query("select 1 from pg_database where datname = $1", [dbName])).rowCount;
    let drop = exists && args.has("--reseed");
    if (exists && !drop) {
      const probe = new pg.Client({ connectionString: url });
      await probe.connect();
      const meta = await probe.query("select to_regclass('public.bench_meta') is not null as m");
      const seeded = meta.rows[0].m
        ? (await probe.query("select value from bench_meta where key = 'size'")).rows[0]?.value
        : null;
      const hasTickets = (await probe.query("select to_regclass('public.tickets') is not null as t")).rows[0]
        .t;
      await probe.end();
      // A half-finished seed, or one of another size, is rebuilt from scratch.
      if (seeded !== JSON.stringify(size) && (seeded || hasTickets)) drop = true;
    }
    if (drop) {
      log(`dropping database ${dbName}`);
      await admin.query(`drop database ${pg.escapeIdentifier(dbName)} with (force)`);
    }
    if (!exists || drop) await admin.query(`create database ${pg.escapeIdentifier(dbName)}`);
  } finally {
    await admin.end();
  }
}

type Scenario = { name: string; key: string; paths: string[]; goalP95?: number };

async function main() {
  const started = new Date();
  const loadBefore = os.loadavg();
  log(`Rapport bench (${smoke ? "smoke" : "full"}) against ${url.replace(/\/\/[^@]*@/, "//")}`);
  await prepareDatabase();
  const database = openPostgres(url, { max: 10 });
  await migrate(database);
  const pool = new pg.Pool({ connectionString: url, max: 10 });

  const client = await pool.connect();
  let seedInfo = await seedReport(client).catch(() => null);
  if (!(await seededSize(client))) {
    log(`seeding ${size.tickets} tickets, ~${size.tickets * 3} messages, ${size.contacts} contacts`);
    seedInfo = await seed(client, size);
    log(`seeded in ${fmt(seedInfo.seconds)} s`);
  } else log("dataset already seeded (use --reseed to rebuild)");
  if (!seedInfo) throw new Error("no seed report");
  // Tickets left by an interrupted earlier run would skew the lists.
  await client.query("delete from tickets where tags @> '{benchload}'");
  const consistency = await checkSearchColumns(client);
  log("search columns vs the app's functions, mismatches:", consistency);
  // Destroyed, not returned: the seed changed session settings (synchronous_commit) on it.
  client.release(true);

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "rapport-bench-"));
  const { app, base, tokenFor } = await startBenchApp(database, url, dataDir);
  // User 16 is a plain agent in two teams (see seed.ts), the realistic visibility-scoped case.
  const agentId = benchId(KIND.user, 16);
  const agent = await tokenFor(agentId);
  const admin = await tokenFor(benchId(KIND.user, 1));
  const agentHttp = httpClient(base, agent.token);
  const adminHttp = httpClient(base, admin.token);
  const team = agent.teamIds[0];
  const tagRow = await pool.query(
    "select t as tag from tickets, unnest(tags) t where status in ('new','open') group by t order by count(*) desc offset 3 limit 1",
  );
  const tag = tagRow.rows[0]?.tag ?? "billing";

  const sample = await pool.query(
    `select id from tickets tablesample system (2)
      where team_id = any($1::uuid[]) or team_id is null or assignee_id = $2 limit 300`,
    [agent.teamIds, agentId],
  );
  const ticketIds: string[] = sample.rows.map((r) => r.id);
  const pageOf = (i: number) => ticketIds[Math.abs(i) % ticketIds.length] as string;

  const open = "status=new,open&limit=50";
  const listScenarios: Scenario[] = [
    { name: "inbox: my open", key: "list-my-open", paths: [`/tickets?assignee=me&${open}`] },
    { name: "inbox: unassigned", key: "list-unassigned", paths: [`/tickets?assignee=none&${open}`] },
    { name: "inbox: all open", key: "list-all-open", paths: [`/tickets?${open}`] },
    { name: "inbox: team (open)", key: "list-team", paths: [`/tickets?team=${team}&${open}`] },
    { name: `inbox: tag "${tag}" (open)`, key: "list-tag", paths: [`/tickets?tag=${tag}&${open}`] },
  ];
  const searchScenarios: Scenario[] = [
    { name: `search: rare word "${RARE_WORD}"`, key: "search-rare", paths: [`/search?q=${RARE_WORD}`] },
    {
      name: `search: common word "${COMMON_WORD}"`,
      key: "search-common",
      paths: [`/search?q=${COMMON_WORD}`],
    },
    {
      name: `search: contact-name fragment "${NAME_FRAGMENT}"`,
      key: "search-name",
      paths: [`/search?q=${NAME_FRAGMENT}`],
    },
  ];

  type Row = {
    name: string;
    who: string;
    http: Stats;
    raw?: Stats;
    queries: number;
    goalP95: number;
    /** The "at most 5 queries" goal applies to the list and ticket endpoints. */
    queryGoal: boolean;
    /** Sum of the EXPLAIN ANALYZE execution times of the request's statements (one run, no HTTP). */
    planMs: number;
  };
  const rows: Row[] = [];
  fs.mkdirSync(plansDir, { recursive: true });

  /** Replays captured statements over the raw pool (the DB work of one request, without HTTP and ORM). */
  const replay = async (qs: CapturedQuery[]) => {
    for (const q of qs) {
      if (/^\s*(begin|commit|rollback)/i.test(q.text)) continue;
      await pool.query(q.text, q.values);
    }
  };
  const explain = async (key: string, title: string, qs: CapturedQuery[]) => {
    let execMs = 0;
    const out: string[] = [`# ${title}`, `# ${new Date().toISOString()}, ${size.tickets} tickets`, ""];
    for (const q of qs) {
      if (/^\s*(begin|commit|rollback|update|insert|delete)/i.test(q.text)) continue;
      out.push("-- query:", q.text, `-- params: ${JSON.stringify(q.values)}`);
      const plan = await pool.query(`explain (analyze, buffers) ${q.text}`, q.values);
      const lines = plan.rows.map((r) => r["QUERY PLAN"] as string);
      for (const l of lines) execMs += Number(/^Execution Time: ([\d.]+) ms/.exec(l)?.[1] ?? 0);
      out.push(...lines, "");
    }
    fs.writeFileSync(path.join(plansDir, `${key}.txt`), out.join("\n"));
    return execMs;
  };

  const measureGet = async (
    s: Scenario,
    who: string,
    http: ReturnType<typeof httpClient>,
    goalP95: number,
    pathFor?: (i: number) => string,
  ) => {
    const p = (i: number) => pathFor?.(i) ?? (s.paths[0] as string);
    const before = database.stats.queries;
    const { queries } = await captureQueries(() => http.get(p(0)));
    const perRequest = database.stats.queries - before;
    const planMs = await explain(s.key, `${s.name} (${who}) GET ${p(0)}`, queries);
    const res = await load(async (i) => void (await http.get(p(i))), { ...LIMITS, warmup: 10 });
    // The raw baseline replays the same statements (same parameters) over the pg pool.
    const raw = pathFor ? undefined : await load(() => replay(queries), { ...LIMITS, warmup: 5 });
    const row: Row = {
      name: s.name,
      who,
      http: stats(res.durations),
      raw: raw && stats(raw.durations),
      queries: perRequest,
      goalP95,
      queryGoal: s.key.startsWith("list"),
      planMs,
    };
    rows.push(row);
    log(
      `${s.name.padEnd(44)} p50 ${fmt(row.http.p50)} p95 ${fmt(row.http.p95)} p99 ${fmt(row.http.p99)} ms` +
        (row.raw ? `  raw p50 ${fmt(row.raw.p50)} ms` : "") +
        `  queries ${perRequest}  n=${row.http.n}`,
    );
  };

  log("\nlatency (1 client, sequential requests)");
  for (const s of listScenarios) await measureGet(s, "agent", agentHttp, 20);
  await measureGet(
    { name: "inbox: all open (admin)", key: "list-all-open-admin", paths: [`/tickets?${open}`] },
    "admin",
    adminHttp,
    20,
  );

  // The ticket page: the ticket, its last 50 messages and its events, fetched together as the web app does.
  const pageQueries: Record<string, number> = {};
  let pagePlanMs = 0;
  const firstId = pageOf(0);
  for (const [part, p] of [
    ["ticket", `/tickets/${firstId}`],
    ["messages", `/tickets/${firstId}/messages?limit=50`],
    ["events", `/tickets/${firstId}/events`],
  ] as const) {
    const before = database.stats.queries;
    const { queries } = await captureQueries(() => agentHttp.get(p));
    pageQueries[part] = database.stats.queries - before;
    pagePlanMs += await explain(`ticket-${part}`, `ticket page: ${part} GET ${p}`, queries);
  }
  const page = await load(
    async (i) => {
      const id = pageOf(i);
      await Promise.all([
        agentHttp.get(`/tickets/${id}`),
        agentHttp.get(`/tickets/${id}/messages?limit=50`),
        agentHttp.get(`/tickets/${id}/events`),
      ]);
    },
    { ...LIMITS, warmup: 10 },
  );
  const pageStats = stats(page.durations);
  log(
    `${"ticket page (3 requests in parallel)".padEnd(44)} p50 ${fmt(pageStats.p50)} p95 ${fmt(pageStats.p95)} p99 ${fmt(pageStats.p99)} ms  queries ${JSON.stringify(pageQueries)}`,
  );
  for (const s of searchScenarios) await measureGet(s, "agent", agentHttp, 100);

  log("\nticket creation throughput");
  const emails = (
    await pool.query("select email from contact_emails tablesample system (5) limit 5000")
  ).rows.map((r) => r.email as string);
  const creation: Array<{ clients: number; api: number; raw: number; apiStats: Stats; rawStats: Stats }> = [];
  let createQueries = 0;
  {
    const before = database.stats.queries;
    await createViaApi(agentHttp, emails, 0);
    createQueries = database.stats.queries - before;
  }
  for (const clients of [1, 32]) {
    const opts = { count: LIMITS.createCount, maxMs: LIMITS.createMs, concurrency: clients, warmup: 5 };
    const api = await load((i) => createViaApi(agentHttp, emails, i), opts);
    const raw = await load((i) => createBaseline(pool, emails, i, agentId), opts);
    const apiTps = (api.durations.length / api.wallMs) * 1000;
    const rawTps = (raw.durations.length / raw.wallMs) * 1000;
    creation.push({
      clients,
      api: apiTps,
      raw: rawTps,
      apiStats: stats(api.durations),
      rawStats: stats(raw.durations),
    });
    log(
      `${clients} client(s): API ${fmt(apiTps)} tickets/s (n=${api.durations.length}), raw SQL ${fmt(rawTps)} tickets/s (n=${raw.durations.length}), ratio ${fmt(apiTps / rawTps, 2)}`,
    );
  }
  const cleanup = await pool.query("delete from tickets where tags @> '{benchload}'");
  await pool.query("vacuum analyze tickets, messages, ticket_events");
  log(`removed ${cleanup.rowCount} tickets created by the bench`);

  await app.close();
  await database.close();

  const pgVersion = (await pool.query("select version() as v")).rows[0].v as string;
  const loadAfter = os.loadavg();
  const revision = execSync("git rev-parse --short HEAD").toString().trim();
  const dirty =
    execSync("git status --porcelain --untracked-files=no -- apps packages").toString().trim() !== "";
  await pool.end();
  fs.rmSync(dataDir, { recursive: true, force: true });

  const pass = (ok: boolean) => (ok ? "pass" : "**FAIL**");
  const md: string[] = [];
  md.push(
    `# Rapport core benchmark${smoke ? " (smoke run)" : ""}`,
    "",
    `Generated by \`npm run bench${smoke ? " -- --smoke" : ""}\` (bench/run.ts). Do not edit by hand;`,
    "the notes at the end come from bench/notes.md.",
    "",
    "## Machine",
    "",
    `- date: ${started.toISOString()}`,
    `- cores (nproc): ${os.cpus().length} (${os.cpus()[0]?.model ?? "?"}), shared with other jobs during the run`,
    `- memory: ${execSync("free -h | sed -n 2p").toString().trim().replace(/\s+/g, " ")}`,
    `- PostgreSQL: ${pgVersion}`,
    `- Node.js: ${process.version}; app and load generator in one process, over HTTP on 127.0.0.1`,
    `- load average (1/5/15 min) at start ${loadBefore.map((x) => fmt(x)).join(" / ")}, at end ${loadAfter.map((x) => fmt(x)).join(" / ")}`,
    `- code: commit ${revision}${dirty ? " plus uncommitted work of other helpers in the tree" : ""}`,
    "",
    "## Dataset",
    "",
    `| table | rows |`,
    `|---|---:|`,
    ...Object.entries(seedInfo.counts).map(([t, n]) => `| ${t} | ${n.toLocaleString("en")} |`),
    "",
    `Seeding took ${fmt(seedInfo.seconds)} s:`,
    "",
    ...seedInfo.phases.map((p) => `- ${p.name}: ${fmt(p.seconds)} s`),
    "",
    `Search columns checked against the app's own functions on a sample (${consistency.sampled} rows each):` +
      ` mismatches tickets ${consistency.tickets}, messages ${consistency.messages}, contacts ${consistency.contacts}.`,
    "",
    "## Ticket creation (POST /api/v1/tickets, with a first message)",
    "",
    "The raw-SQL baseline does the same inserts (contact lookup by email, ticket, ticket.created event, message,",
    "counter update, reply event) in one transaction over the same pg driver and pool size (10).",
    "",
    "| clients | API tickets/s | API p50 / p95 ms | raw SQL tickets/s | raw p50 / p95 ms | ratio | goal |",
    "|---:|---:|---:|---:|---:|---:|---|",
    ...creation.map(
      (c) =>
        `| ${c.clients} | ${fmt(c.api)} | ${fmt(c.apiStats.p50)} / ${fmt(c.apiStats.p95)} | ${fmt(c.raw)} | ${fmt(c.rawStats.p50)} / ${fmt(c.rawStats.p95)} | ${fmt(c.api / c.raw, 2)} | ${c.clients === 32 ? `≥ 0.5: ${pass(c.api / c.raw >= 0.5)}` : "–"} |`,
    ),
    "",
    `Queries per create request: ${createQueries}.`,
    "",
    "## Read latency (one client, sequential requests)",
    "",
    "`raw p50` replays the very statements the request sent (captured from the driver) over the pg pool:",
    "the database's share; `×` is HTTP p50 / raw p50. `EXPLAIN ms` adds up the server-side execution times of those",
    "statements in one EXPLAIN ANALYZE run each: the database work without network, driver or scheduling delay.",
    "",
    "| request | as | n | p50 ms | p95 ms | p99 ms | raw p50 / p95 ms | × | EXPLAIN ms | queries | goal p95 | queries ≤ 5 |",
    "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|",
    ...rows.map(
      (r) =>
        `| ${r.name} | ${r.who} | ${r.http.n} | ${fmt(r.http.p50)} | ${fmt(r.http.p95)} | ${fmt(r.http.p99)} | ${r.raw ? `${fmt(r.raw.p50)} / ${fmt(r.raw.p95)}` : "–"} | ${r.raw ? fmt(r.http.p50 / r.raw.p50) : "–"} | ${fmt(r.planMs, 2)} | ${r.queries} | ≤ ${r.goalP95}: ${pass(r.http.p95 <= r.goalP95)} | ${r.queryGoal ? pass(r.queries <= 5) : "–"} |`,
    ),
    `| ticket page (ticket + last 50 messages + events, 3 requests in parallel) | agent | ${pageStats.n} | ${fmt(pageStats.p50)} | ${fmt(pageStats.p95)} | ${fmt(pageStats.p99)} | – | – | ${fmt(pagePlanMs, 2)} | ${Object.values(pageQueries).join(" + ")} | ≤ 20: ${pass(pageStats.p95 <= 20)} | ${pass(Object.values(pageQueries).every((q) => q <= 5))} |`,
    "",
    `Bounds: each measurement stops after ${LIMITS.count} requests or ${LIMITS.maxMs / 1000} s; creation after`,
    `${LIMITS.createCount} tickets or ${LIMITS.createMs / 1000} s per run. Query plans (EXPLAIN ANALYZE, BUFFERS) of every`,
    `statement these requests send: bench/${smoke ? ".smoke/" : ""}plans/*.txt.`,
    "",
  );
  const notes = path.join(import.meta.dirname, "notes.md");
  if (fs.existsSync(notes)) md.push(fs.readFileSync(notes, "utf8"));
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, "RESULTS.md"), md.join("\n"));
  log(`\nwrote ${path.relative(process.cwd(), path.join(outDir, "RESULTS.md"))}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
