/**
 * Reports benchmark (issue 16): `npx tsx bench/reports.ts [--pglite] [tickets]` (default 200,000).
 * On a fresh database (PostgreSQL `rapport_bench_reports`, dropped and recreated and dropped at
 * the end; or an in-memory PGlite with --pglite) it seeds tickets set-based over two years
 * (every channel, 10 teams, 200 agents; 95 % solved with first response and business timings,
 * chats with waits, promises and call-backs), prints the plan of each overview sub-query that
 * depends on an index (EXPLAIN ANALYZE), then measures each report endpoint over HTTP (real sockets, one client,
 * at most COUNT calls or MAX_MS each) for the organization's last 90 days as an admin.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import pg from "pg";
import { type Database, migrate, openPglite, openPostgres } from "../apps/server/src/db/client.ts";
import { startBenchApp } from "./app.ts";
import { captureQueries, fmt, httpClient, load, stats } from "./measure.ts";

process.env.JOBS_ENABLED = "false";
const args = process.argv.slice(2);
const usePglite = args.includes("--pglite");
const TICKETS = Number(args.find((a) => /^\d+$/.test(a)) ?? 200_000);
const DB = "rapport_bench_reports";
const server = process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432";
const url = `${server}/${DB}`;
const ADMIN = "00000000-0000-4000-8000-000000000001";
const COUNT = 60;
const MAX_MS = 20_000;
const say = (...xs: unknown[]) => console.log(...xs);

async function adminQuery(q: string) {
  const c = new pg.Client({ connectionString: `${server}/postgres` });
  await c.connect();
  try {
    await c.query(q);
  } finally {
    await c.end();
  }
}

const rows = <T>(r: unknown) => (r as { rows: T[] }).rows;

async function seed(database: Database) {
  const db = database.db;
  await db.execute(
    sql`insert into users (id, email, name, role) values (${ADMIN}, 'admin@bench.test', 'Bench Admin', 'admin')`,
  );
  await db.execute(sql`insert into teams (name) select 'Team ' || g from generate_series(1, 10) g`);
  await db.execute(sql`insert into users (email, name, role)
    select 'agent' || g || '@bench.test', 'Agent ' || g, 'agent'::role from generate_series(1, 200) g`);
  await db.execute(
    sql`create table bench_t as select row_number() over (order by name)::int as n, id from teams`,
  );
  await db.execute(
    sql`create table bench_u as select row_number() over (order by email)::int as n, id from users where role = 'agent'`,
  );
  await db.execute(sql`insert into contacts (name) select 'Customer ' || g from generate_series(1, 20000) g`);
  await db.execute(sql`create table bench_c as select row_number() over ()::int as n, id from contacts`);
  await db.execute(sql`create unique index on bench_c (n)`);
  await db.execute(sql`create unique index on bench_u (n)`);
  for (let from = 1; from <= TICKETS; from += 50_000) {
    const to = Math.min(TICKETS, from + 49_999);
    // Arrivals spread over two years, more in office hours; 1 in 20 still open.
    await db.execute(sql`insert into tickets (number, subject, status, priority, channel, requester_id,
        assignee_id, team_id, language, subject_folded, created_at, updated_at, first_response_at,
        solved_at, first_response_business_seconds, resolution_business_seconds)
      select g, 'Ticket ' || g,
        (case when g % 20 = 0 then 'open' else 'solved' end)::ticket_status,
        (array['low','normal','normal','high','urgent'])[1 + g % 5]::ticket_priority,
        (array['email','chat','phone','web','email'])[1 + g % 5]::channel,
        c.id, u.id, t.id, (array['en','vi','km','ta'])[1 + g % 4], 'ticket ' || g,
        x.at, x.at, x.at + (x.fr || ' seconds')::interval,
        case when g % 20 = 0 then null else x.at + (x.rs || ' seconds')::interval end,
        (x.fr * 0.4)::int, case when g % 20 = 0 then null else (x.rs * 0.3)::int end
      from generate_series(${from}::bigint, ${to}::bigint) g
      cross join lateral (select now() - ((${TICKETS} - g) * (730 * 86400.0 / ${TICKETS}) || ' seconds')::interval
          as at, 30 + (g * 7919) % 14400 as fr, 600 + (g * 104729) % 259200 as rs) x
      join bench_c c on c.n = 1 + g % 20000
      join bench_u u on u.n = 1 + g % 200
      join bench_t t on t.n = 1 + g % 10`);
  }
  await db.execute(sql`insert into promises (ticket_id, contact_id, kind, owner_id, team_id, due_at, status,
      completed_at, kept_on_time)
    select id, requester_id, 'call_back', assignee_id, team_id, created_at + interval '1 day',
      case when number % 3 = 0 then 'open' else 'kept' end,
      case when number % 3 = 0 then null else created_at + interval '20 hours' end,
      case when number % 3 = 0 then null else number % 7 <> 0 end
    from tickets where number % 25 = 0`);
  await db.execute(sql`insert into callbacks (contact_id, ticket_id, team_id, assignee_id, phone, source,
      window_start, window_end, due_at, status, first_attempt_at, created_at)
    select requester_id, id, team_id, assignee_id, '+84900000000', 'widget', created_at + interval '1 hour',
      created_at + interval '2 hours', created_at + interval '1 hour', 'done',
      created_at + interval '90 minutes' + ((number % 5) * interval '20 minutes'), created_at
    from tickets where channel = 'phone' and number % 10 = 2`);
  // The timeline: a creation and a solve event per ticket, a reopen for 1 in 15 solved tickets,
  // and a transfer for 1 in 8 tickets, so the reopen and transfer counts read realistic tables.
  await db.execute(sql`insert into ticket_events (ticket_id, type, actor_type, data, created_at)
    select id, 'ticket.created', 'agent', '{}'::jsonb, created_at from tickets
    union all
    select id, 'status.changed', 'agent', '{"from":"open","to":"solved"}'::jsonb, solved_at from tickets
      where solved_at is not null
    union all
    select id, 'status.changed', 'customer', '{"from":"solved","to":"open"}'::jsonb, solved_at - interval '1 hour'
      from tickets where solved_at is not null and number % 15 = 0`);
  await db.execute(sql`insert into ticket_transfers (ticket_id, from_team_id, to_team_id, actor_type, created_at)
    select id, team_id, team_id, 'agent', created_at + interval '10 minutes' from tickets where number % 8 = 0`);
  for (const t of ["bench_t", "bench_u", "bench_c"]) await db.execute(sql.raw(`drop table ${t}`));
  await db.execute(sql`analyze`);
}

const PLANS: Array<[string, string]> = [
  ["solved in period", "select count(*) from tickets where solved_at >= $1 and solved_at < $2"],
  [
    "resolution business p50/p90",
    "select percentile_cont(0.5) within group (order by resolution_business_seconds) from tickets where solved_at >= $1 and solved_at < $2 and resolution_business_seconds is not null",
  ],
  [
    "first response in period",
    "select count(*) from tickets where first_response_at >= $1 and first_response_at < $2",
  ],
  ["created in period", "select count(*) from tickets where created_at >= $1 and created_at < $2"],
  [
    "reopened in period",
    "select count(distinct e.ticket_id) from ticket_events e join tickets on tickets.id = e.ticket_id where e.type = 'status.changed' and e.data->>'from' in ('solved', 'closed') and e.data->>'to' in ('new', 'open', 'pending', 'on_hold') and e.created_at >= $1 and e.created_at < $2",
  ],
  [
    "transfers in period",
    "select count(*) from ticket_transfers x where x.created_at >= $1 and x.created_at < $2",
  ],
  [
    "backlog at the end",
    "select count(*) from (select 1 from tickets where solved_at is null and status <> 'closed' and created_at < $2 union all select 1 from tickets where solved_at >= $2 and status <> 'closed' and created_at < $2) b",
  ],
];

/**
 * The row-per-ticket CSV export as the dashboard's drawer makes it: pages of 500 tickets (newest
 * first, by cursor) from GET /reports/tickets over as many days back as hold `rows` tickets,
 * each row turned into a CSV line as it arrives. Timed from the first request to the last line.
 */
async function exportWalk(api: ReturnType<typeof httpClient>, rows: number) {
  const now = Date.now();
  const days = Math.ceil((rows / TICKETS) * 730) + 1;
  const period = `from=${encodeURIComponent(new Date(now - days * 86_400_000).toISOString())}&to=${encodeURIComponent(new Date(now).toISOString())}`;
  const t0 = performance.now();
  let cursor: string | null = null;
  let n = 0;
  let bytes = 0;
  let pages = 0;
  do {
    const page = (await api.get(
      `/reports/tickets?${period}&metric=created&limit=500${cursor ? `&cursor=${cursor}` : ""}`,
    )) as { items: Array<Record<string, unknown>>; nextCursor: string | null };
    for (const it of page.items) {
      if (n >= rows) break;
      bytes +=
        Object.values(it)
          .map((v) => JSON.stringify(v ?? ""))
          .join(",").length + 1;
      n++;
    }
    cursor = page.nextCursor;
    pages++;
  } while (cursor && n < rows);
  const ms = performance.now() - t0;
  say(
    `  CSV export (GET /reports/tickets, ${pages} pages of 500): ${n} rows, ${fmt(bytes / 1e6)} MB in ${fmt(ms / 1000)} s (${fmt(ms / pages)} ms per page)`,
  );
}

/** The database's own time for one call: EXPLAIN ANALYZE of each statement it sent (PostgreSQL). */
async function explained(api: ReturnType<typeof httpClient>, e: string) {
  const { queries } = await captureQueries(() => api.get(e));
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const times: number[] = [];
    for (const q of queries.filter((x) => /^\s*(select|with)\b/i.test(x.text))) {
      const r = await c.query(`explain (analyze, timing off) ${q.text}`, q.values);
      const line = r.rows
        .map((x) => Object.values(x)[0] as string)
        .find((l) => l.startsWith("Execution Time"));
      times.push(Number(/([\d.]+) ms/.exec(line ?? "")?.[1] ?? 0));
    }
    return `${fmt(times.reduce((a, b) => a + b, 0))} ms in ${times.length} statements (largest ${fmt(Math.max(0, ...times))} ms)`;
  } finally {
    await c.end();
  }
}

async function main() {
  let database: Database;
  if (usePglite) database = await openPglite();
  else {
    await adminQuery(`drop database if exists ${DB} with (force)`);
    await adminQuery(`create database ${DB}`);
    database = openPostgres(url, { max: 10 });
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "rapport-bench-reports-"));
  const backend = usePglite ? "PGlite (in memory)" : "PostgreSQL 15 (127.0.0.1)";
  try {
    await migrate(database);
    let t0 = performance.now();
    await seed(database);
    say(`${backend}: seeded ${TICKETS} tickets in ${fmt((performance.now() - t0) / 1000)} s`);
    const now = Date.now();
    const from = new Date(now - 90 * 86_400_000).toISOString();
    const to = new Date(now).toISOString();
    for (const [name, q] of PLANS) {
      const plan = rows<Record<string, string>>(
        await database.db.execute(
          sql.raw(
            `explain (analyze, costs off, timing off) ${q.replace("$1", `'${from}'::timestamptz`).replaceAll("$2", `'${to}'::timestamptz`)}`,
          ),
        ),
      )
        .map((r) => Object.values(r)[0])
        .join("\n    ");
      say(`  plan, ${name}:\n    ${plan}`);
    }
    const { app, base, tokenFor } = await startBenchApp(database, usePglite ? null : url, dataDir);
    try {
      const api = httpClient(base, (await tokenFor(ADMIN)).token);
      const period = `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
      const endpoints = [
        `/reports/overview?${period}`,
        `/reports/timeseries?${period}`,
        `/reports/heatmap?${period}`,
        `/reports/agents?${period}`,
        `/reports/staffing?${period}`,
        `/reports/overview?${period}&channel=chat`,
      ];
      const exportRows = Math.min(100_000, Math.floor(TICKETS * 0.9));
      await exportWalk(api, exportRows);
      for (const e of endpoints) {
        t0 = performance.now();
        const r = await load(
          async () => {
            await api.get(e);
          },
          { count: COUNT, maxMs: MAX_MS, warmup: 2 },
        );
        const st = stats(r.durations);
        say(
          `  GET ${e.split("?")[0]}${e.includes("channel") ? " (chat)" : ""}: n ${st.n}, p50 ${fmt(st.p50)} ms, p95 ${fmt(st.p95)} ms, max ${fmt(st.max)} ms${usePglite ? "" : `; EXPLAIN ANALYZE ${await explained(api, e)}`}`,
        );
      }
    } finally {
      await app.close();
    }
  } finally {
    await database.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    if (!usePglite) await adminQuery(`drop database if exists ${DB} with (force)`);
  }
}

await main();
