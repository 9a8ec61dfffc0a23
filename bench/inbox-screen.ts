/**
 * The inbox screen's server time (issue 14): `npx tsx bench/inbox-screen.ts`.
 * Seeds PostgreSQL database rapport_bench_inbox once with 200,000 tickets (bench/seed.ts,
 * the core bench's generator; kept for later runs, `--reseed` rebuilds it), starts the real
 * app in-process on 127.0.0.1 and measures, over real HTTP, one plain agent (user 16, two
 * teams) opening "My open tickets":
 *  - the screen as the web app now loads it: GET /bootstrap and the list, sent together;
 *  - the same two in series (a browser without the signed-in hint);
 *  - the six calls the app made before (setup, me, teams, view counts, ticket fields, list), in series;
 *  - every call the old app made once its nav badges loaded (those six plus notifications,
 *    overdue call-backs, reminders, chat agents and today's plan: eleven, in series).
 * Bounded: each scenario stops after COUNT screens or MAX_MS. Prints a Markdown table.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { OPEN_STATUSES } from "@rapport/shared";
import pg from "pg";
import { migrate, openPostgres } from "../apps/server/src/db/client.ts";
import { startBenchApp } from "./app.ts";
import { fmt, httpClient, load, stats } from "./measure.ts";
import { benchId, KIND, type SeedSize, seed, seededSize } from "./seed.ts";

const SIZE: SeedSize = { tickets: 200_000, contacts: 20_000, agents: 200, teams: 10, orgs: 400 };
const base = process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432";
const DB = "rapport_bench_inbox";
const url = `${base}/${DB}`;
const COUNT = Number(process.env.BENCH_COUNT ?? 400);
const MAX_MS = 20_000;
const log = (...xs: unknown[]) => console.log(...xs);

async function prepare(): Promise<void> {
  const admin = new pg.Client({ connectionString: `${base}/postgres` });
  await admin.connect();
  try {
    const exists = (await admin.query("select 1 from pg_database where datname = $1", [DB])).rowCount;
    if (exists && process.argv.includes("--reseed"))
      await admin.query(`drop database ${pg.escapeIdentifier(DB)} with (force)`);
    if (!exists || process.argv.includes("--reseed"))
      await admin.query(`create database ${pg.escapeIdentifier(DB)}`);
  } finally {
    await admin.end();
  }
}

async function main() {
  log(`inbox screen bench: ${SIZE.tickets} tickets in ${DB}`);
  await prepare();
  const database = openPostgres(url, { max: 10 });
  await migrate(database);
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  const client = await pool.connect();
  const seeded = await seededSize(client);
  if (JSON.stringify(seeded) !== JSON.stringify(SIZE)) {
    if (seeded) throw new Error(`${DB} holds another size; run with --reseed`);
    const r = await seed(client, SIZE);
    log(`seeded in ${fmt(r.seconds)} s`, r.counts);
  } else log("dataset already seeded (--reseed rebuilds it)");
  client.release(true);
  const counts = await pool.query(
    "select (select count(*) from tickets)::int as tickets, (select count(*) from messages)::int as messages",
  );

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "rapport-bench-inbox-"));
  const { app, base: http, tokenFor } = await startBenchApp(database, url, dataDir);
  const agent = await tokenFor(benchId(KIND.user, 16));
  const api = httpClient(http, agent.token);
  const list = `/tickets?status=${OPEN_STATUSES.join(",")}&assignee=me&limit=50`;
  const six = ["/setup", "/me", "/teams", "/views/counts", "/fields?entity=ticket&archived=false", list];
  const eleven = [
    ...six,
    "/notifications?limit=50",
    "/phone/callbacks?status=open&overdue=true&limit=100",
    "/phone/callbacks/reminders",
    "/chat/agents",
    "/planner/today",
  ];
  const series = (paths: string[]) => async () => {
    for (const p of paths) await api.get(p);
  };
  const scenarios: Array<{ name: string; requests: number; run: () => Promise<void> }> = [
    {
      name: "now: GET /bootstrap and the list, sent together (as the web app does)",
      requests: 2,
      run: async () => void (await Promise.all([api.get("/bootstrap"), api.get(list)])),
    },
    {
      name: "now: GET /bootstrap, then the list (in series)",
      requests: 2,
      run: series(["/bootstrap", list]),
    },
    { name: "GET /bootstrap alone", requests: 1, run: series(["/bootstrap"]) },
    { name: "the list alone (my open tickets, 50)", requests: 1, run: series([list]) },
    { name: "before: the 6 earlier calls in series", requests: 6, run: series(six) },
    {
      name: "before: all 11 calls of the old app (with nav badges) in series",
      requests: 11,
      run: series(eleven),
    },
  ];
  const rows: string[] = [];
  for (const s of scenarios) {
    const before = database.stats.queries;
    await s.run();
    const statements = database.stats.queries - before;
    const res = await load(s.run, { count: COUNT, maxMs: MAX_MS, warmup: 10 });
    const st = stats(res.durations);
    log(`${s.name}: n=${st.n} p50 ${fmt(st.p50)} ms p95 ${fmt(st.p95)} ms p99 ${fmt(st.p99)} ms`);
    rows.push(
      `| ${s.name} | ${s.requests} | ${statements} | ${st.n} | ${fmt(st.p50)} | ${fmt(st.p95)} | ${fmt(st.p99)} |`,
    );
  }
  const load1 = os.loadavg().map((x) => x.toFixed(1));
  log("");
  log(
    `date ${new Date().toISOString()}, ${os.cpus().length} cores, load ${load1.join(" / ")}, node ${process.version}`,
  );
  log(`tickets ${counts.rows[0].tickets}, messages ${counts.rows[0].messages}`);
  log("| screen | requests | statements | n | p50 ms | p95 ms | p99 ms |");
  log("|---|---:|---:|---:|---:|---:|---:|");
  for (const r of rows) log(r);
  await app.close();
  await pool.end();
  await database.close();
}

await main();
