/**
 * SLA benchmark (issue 6): `npx tsx bench/sla.ts`.
 * Creates PostgreSQL database rapport_bench_sla, seeds 1,000,000 tickets of which 50,000 are
 * open (with their SLA clocks) by set-based SQL, starts the app in-process on 127.0.0.1 and
 * measures: one SLA/escalation sweep (steady state, catch-up after the seed, and a backlog of
 * 5,000 clocks due at once), and the inbox "next due" sort over HTTP against its raw SQL.
 * Bounded: at most COUNT requests or MAX_MS per scenario; the database is dropped at the end.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { SYSTEM } from "../apps/server/src/auth/actor.ts";
import { withActor } from "../apps/server/src/context.ts";
import { migrate, openPostgres } from "../apps/server/src/db/client.ts";
import { defaultPolicy } from "../apps/server/src/modules/sla/sla.service.ts";
import { runSweep } from "../apps/server/src/modules/sla/sweep.ts";
import { startBenchApp } from "./app.ts";
import { captureQueries, fmt, httpClient, load, stats } from "./measure.ts";

const DB = "rapport_bench_sla";
const base = process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432";
const url = `${base}/${DB}`;
const TICKETS = Number(process.env.BENCH_TICKETS ?? 1_000_000);
const OPEN_EVERY = 20; // 50,000 open tickets
const COUNT = 400;
const MAX_MS = 15_000;
const ADMIN = "00000000-0000-4000-8000-000000000001";
const log = (...xs: unknown[]) => console.log(...xs);

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: `${base}/postgres` });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

async function seed(c: pg.PoolClient, policyId: string) {
  await c.query("set synchronous_commit = off");
  await c.query(
    `insert into users (id, email, name, role) values ($1, 'admin@bench.test', 'Bench Admin', 'admin')`,
    [ADMIN],
  );
  await c.query(`insert into teams (name) select 'Team ' || g from generate_series(1, 10) g`);
  await c.query(`insert into users (email, name, role)
    select 'agent' || g || '@bench.test', 'Agent ' || g, case when g <= 10 then 'manager' else 'agent' end::role
    from generate_series(1, 200) g`);
  // Numbered lookup tables joined by key (a correlated array lookup per row would detoast the array each time).
  await c.query(
    `create temp table tnum as select row_number() over (order by name)::int as n, id from teams`,
  );
  await c.query(
    `create temp table unum as select row_number() over (order by email)::int as n, id from users where id <> $1`,
    [ADMIN],
  );
  await c.query(`insert into team_members (team_id, user_id)
    select tn.id, un.id from unum un join tnum tn on tn.n = 1 + (un.n - 1) % 10`);
  await c.query(`insert into contacts (name) select 'Customer ' || g from generate_series(1, 100000) g`);
  await c.query(`create temp table cnum as select row_number() over ()::int as n, id from contacts`);
  await c.query(
    "create unique index on cnum (n); create unique index on unum (n); analyze cnum; analyze unum; analyze tnum",
  );
  // 1,000,000 tickets in batches; every 20th is open (new/open/pending), the rest solved or closed.
  for (let from = 1; from <= TICKETS; from += 250_000) {
    const to = Math.min(TICKETS, from + 250_000 - 1);
    await c.query(
      `insert into tickets (number, subject, status, priority, channel, requester_id, assignee_id, team_id,
        subject_folded, created_at, updated_at, first_response_at, solved_at, closed_at)
      select g, 'Ticket ' || g,
        s.status::ticket_status,
        (array['low','normal','normal','high','urgent'])[1 + g % 5]::ticket_priority,
        (array['email','chat','phone','web','api'])[1 + g % 5]::channel,
        cn.id,
        case when s.status = 'new' then null else un.id end,
        tn.id,
        'ticket ' || g,
        now() - ((${TICKETS} - g) * interval '30 seconds'), now() - ((${TICKETS} - g) * interval '20 seconds'),
        case when s.status in ('new') then null else now() - ((${TICKETS} - g) * interval '20 seconds') end,
        case when s.status in ('solved','closed') then now() - ((${TICKETS} - g) * interval '20 seconds') end,
        case when s.status = 'closed' then now() - ((${TICKETS} - g) * interval '19 seconds') end
      from generate_series($1::int, $2::int) g
        join cnum cn on cn.n = 1 + g % 100000
        join unum un on un.n = 1 + (g / 7) % 10 + 10 * ((g / 70) % 20)
        join tnum tn on tn.n = 1 + (g / 7) % 10,
        lateral (select case when g % ${OPEN_EVERY} = 0 then (array['new','open','open','pending'])[1 + (g / ${OPEN_EVERY}) % 4]
                             when g % 3 = 0 then 'solved' else 'closed' end as status) s`,
      [from, to],
    );
  }
  await c.query(`select setval(pg_get_serial_sequence('tickets', 'number'), ${TICKETS})`);
  // SLA clocks of the open tickets: first response for new ones, resolution for all; due times
  // spread from an hour ago to five days ahead (pending ones paused), warnings an hour before.
  await c.query(
    `insert into sla_targets (ticket_id, policy_id, metric, cycle, status, business, target_ms, goal_ms, started_at,
       run_started_at, consumed_ms, paused_since, due_at, goal_at, warn_at)
     select t.id, $1, m.metric, 0, 'active', true, 36000000, 28800000, t.created_at,
       case when t.status = 'pending' then null else t.created_at end, 0,
       case when t.status = 'pending' then t.updated_at end,
       d.due, d.due - interval '2 hours', d.due - interval '1 hour'
     from tickets t
     cross join lateral (values ('first_response'), ('resolution')) m(metric)
     cross join lateral (select case when t.status = 'pending' then null
       else now() + ((t.number * 7919 % 7260) - 60) * interval '1 minute'
         + case when m.metric = 'resolution' then interval '2 days' else interval '0' end end as due) d
     where t.status in ('new','open','pending') and (m.metric = 'resolution' or t.status = 'new')`,
    [policyId],
  );
  await c.query(`update tickets t set next_due_at = s.due from (
      select ticket_id, min(due_at) as due from sla_targets where met_at is null and due_at is not null group by ticket_id) s
    where s.ticket_id = t.id`);
  // 20,000 promises, a few hundred of them due for a reminder.
  await c.query(
    `insert into promises (ticket_id, contact_id, kind, owner_id, team_id, due_at, remind_at)
    select t.id, t.requester_id, (array['call_back','refund','send_info','follow_up'])[1 + g % 4],
      coalesce(t.assignee_id, $1::uuid), t.team_id,
      now() + ((g * 31 % 14400) - 30) * interval '1 minute', now() + ((g * 31 % 14400) - 90) * interval '1 minute'
    from (select id, requester_id, assignee_id, team_id, row_number() over () as g from tickets
          where status in ('open','pending') limit 20000) t(id, requester_id, assignee_id, team_id, g)`,
    [ADMIN],
  );
  await c.query("analyze");
}

async function main() {
  log(`sla bench against ${url.replace(/\/\/[^@]*@/, "//")}`);
  await admin(async (c) => {
    await c.query(`drop database if exists ${DB} with (force)`);
    await c.query(`create database ${DB}`);
  });
  const database = openPostgres(url, { max: 10 });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "rapport-bench-sla-"));
  const out: string[] = [];
  const say = (s: string) => {
    out.push(s);
    log(s);
  };
  try {
    await migrate(database);
    const pool = new pg.Pool({ connectionString: url, max: 2 });
    await pool.query(`insert into settings (id, name, time_zone) values (1, 'Bench', 'Asia/Ho_Chi_Minh')`);
    const policy = await defaultPolicy(database.db);
    const client = await pool.connect();
    const t0 = performance.now();
    await seed(client, policy.id);
    client.release(true);
    say(`seeded in ${fmt((performance.now() - t0) / 1000)} s`);
    const counts = await pool.query(`select (select count(*) from tickets) as tickets,
      (select count(*) from tickets where status in ('new','open','pending')) as open,
      (select count(*) from sla_targets) as clocks,
      (select count(*) from sla_targets where due_at <= now() and met_at is null) as due_now,
      (select count(*) from sla_targets where warn_at <= now() and warned_at is null) as warn_now,
      (select count(*) from promises) as promises,
      (select count(*) from promises where remind_at <= now()) as remind_now`);
    say(`dataset: ${JSON.stringify(counts.rows[0])}`);

    const { app, services, base: appBase, tokenFor } = await startBenchApp(database, url, dataDir);
    const ctx = withActor(services, SYSTEM);

    // 1. The catch-up sweep right after the seed (an hour of overdue clocks, warnings, reminders).
    let s0 = performance.now();
    const first = await runSweep(ctx);
    say(`sweep, catch-up: ${fmt(performance.now() - s0)} ms ${JSON.stringify(first)}`);
    // 2. Steady state: the per-minute sweep when little or nothing is due.
    const steady: number[] = [];
    for (let i = 0; i < 20; i++) {
      s0 = performance.now();
      await runSweep(ctx);
      steady.push(performance.now() - s0);
    }
    const st = stats(steady);
    say(`sweep, steady state (20 runs): p50 ${fmt(st.p50)} ms, p95 ${fmt(st.p95)} ms, max ${fmt(st.max)} ms`);
    // 3. A backlog: 5,000 clocks due at once (an outage, a holiday ending).
    await pool.query(`update sla_targets set due_at = now() - interval '1 minute', warn_at = now() - interval '61 minutes'
      where id in (select id from sla_targets where breached_at is null and met_at is null and due_at is not null
        order by due_at desc limit 5000)`);
    s0 = performance.now();
    const backlog = await runSweep(ctx);
    say(`sweep, backlog of 5,000 due clocks: ${fmt(performance.now() - s0)} ms ${JSON.stringify(backlog)}`);
    const claim = await pool.query(`explain (analyze, buffers off) select id from sla_targets
      where breached_at is null and met_at is null and due_at is not null and due_at <= now() and status = 'active'
      order by due_at limit 1000 for update skip locked`);
    say(`\nclaim plan (steady):\n${claim.rows.map((r) => r["QUERY PLAN"]).join("\n")}`);

    // 4. Inbox "next due" sort over HTTP, against the same SQL sent raw.
    const adminToken = (await tokenFor(ADMIN)).token;
    const [agentRow] = (
      await pool.query(`select u.id from users u join team_members m on m.user_id = u.id
      where u.role = 'agent' limit 1`)
    ).rows as Array<{ id: string }>;
    const agentToken = (await tokenFor(agentRow?.id ?? ADMIN)).token;
    const views: Array<[string, string, string]> = [
      [
        "admin: open, next due first",
        adminToken,
        "/tickets?status=new,open&sort=next_due&order=asc&limit=50",
      ],
      [
        "agent (team scope): open, next due first",
        agentToken,
        "/tickets?status=new,open&sort=next_due&order=asc&limit=50",
      ],
      [
        "agent: my open, next due first",
        agentToken,
        "/tickets?assignee=me&status=new,open&sort=next_due&order=asc&limit=50",
      ],
      ["admin: all statuses, next due first", adminToken, "/tickets?sort=next_due&order=asc&limit=50"],
    ];
    const rows: string[] = [];
    for (const [name, token, p] of views) {
      const http = httpClient(appBase, token);
      const page1 = await http.get(p);
      const scenarios: Array<[string, string]> = [
        [name, p],
        [`${name}, page 2`, `${p}&cursor=${encodeURIComponent(page1.nextCursor ?? "")}`],
      ];
      for (const [label, q] of scenarios) {
        const { durations } = await load(() => http.get(q).then(() => undefined), {
          count: COUNT,
          maxMs: MAX_MS,
          warmup: 10,
        });
        const h = stats(durations);
        const { queries } = await captureQueries(() => http.get(q));
        const list = queries.find((x) => /order by coalesce/i.test(x.text));
        let raw = "";
        let plan = "";
        if (list) {
          const rawMs: number[] = [];
          for (let i = 0; i < 100; i++) {
            const s = performance.now();
            await pool.query(list.text, list.values);
            rawMs.push(performance.now() - s);
          }
          const r = stats(rawMs);
          raw = `${fmt(r.p50, 2)} / ${fmt(r.p95, 2)}`;
          const ex = await pool.query(`explain (analyze, buffers off) ${list.text}`, list.values);
          plan = ex.rows.map((x) => x["QUERY PLAN"]).join("\n");
        }
        rows.push(
          `| ${label} | ${h.n} | ${fmt(h.p50)} | ${fmt(h.p95)} | ${fmt(h.p99)} | ${raw} | ${h.p95 <= 20 ? "met" : "missed"} |`,
        );
        log(rows.at(-1));
        if (label === name) say(`\nplan, ${label}:\n${plan}`);
      }
    }
    say(
      `\n| inbox view | n | p50 ms | p95 ms | p99 ms | raw SQL p50 / p95 ms | goal p95 <= 20 ms |\n|---|---|---|---|---|---|---|\n${rows.join("\n")}`,
    );
    say(
      `machine: ${os.cpus().length} cores, load average ${os
        .loadavg()
        .map((x) => x.toFixed(2))
        .join(" ")}`,
    );
    await app.close();
    await pool.end();
    if (process.env.BENCH_OUT) fs.writeFileSync(process.env.BENCH_OUT, `${out.join("\n")}\n`);
  } finally {
    await database.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    await admin((c) => c.query(`drop database if exists ${DB} with (force)`));
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
