/**
 * Time-based rules benchmark (issue 6): `npx tsx bench/automations.ts`.
 * Creates PostgreSQL database rapport_bench_automations, seeds 1,000,000 tickets of which 50,000
 * are open (new/open/pending; solved only in the last five days, closed before) by set-based
 * SQL, defines four typical time rules, and measures:
 *   1. evaluation alone: each rule's set-based match (the claim's SELECT) over the whole table,
 *      and the same statements sent raw through node-postgres (baseline);
 *   2. the catch-up sweep right after the seed (rules act on their backlog, capped per rule);
 *   3. the steady-state sweep (five-minute slots with nothing or little new to do).
 * Bounded: at most RUNS sweeps per scenario and MAX_MS for the catch-up; the database is dropped.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import pg from "pg";
import { SYSTEM } from "../apps/server/src/auth/actor.ts";
import { loadConfig } from "../apps/server/src/config.ts";
import { withActor } from "../apps/server/src/context.ts";
import { migrate, openPostgres } from "../apps/server/src/db/client.ts";
import { timeRules } from "../apps/server/src/modules/automations/automations.table.ts";
import { type Condition, conditionsSql } from "../apps/server/src/modules/automations/rules.ts";
import { sweepTimeRules } from "../apps/server/src/modules/automations/time-rules.service.ts";
import { createServices } from "../apps/server/src/services.ts";
import { fmt, stats } from "./measure.ts";

const DB = "rapport_bench_automations";
const base = process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432";
const url = `${base}/${DB}`;
const TICKETS = 1_000_000;
const OPEN_EVERY = 20; // 50,000 open tickets
const RUNS = 20;
const MAX_MS = 90_000;
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

async function seed(c: pg.PoolClient) {
  await c.query("set synchronous_commit = off");
  await c.query(
    `insert into users (id, email, name, role) values ($1, 'admin@bench.test', 'Bench Admin', 'admin')`,
    [ADMIN],
  );
  await c.query(`insert into teams (name) select 'Team ' || g from generate_series(1, 10) g`);
  await c.query(`insert into users (email, name, role)
    select 'agent' || g || '@bench.test', 'Agent ' || g, case when g <= 10 then 'manager' else 'agent' end::role
    from generate_series(1, 200) g`);
  await c.query(`create temp table tids as select array_agg(id order by name) as a from teams`);
  await c.query(
    `create temp table uids as select array_agg(id order by email) as u from users where id <> $1`,
    [ADMIN],
  );
  await c.query(`insert into contacts (name) select 'Customer ' || g from generate_series(1, 100000) g`);
  await c.query(`create temp table cids as select array_agg(id) as a from contacts`);
  // Ticket g was created (1M - g) * 30 s ago (a year of history) and last touched a third of that later.
  // Every 20th is open (new/open/open/pending); the rest are solved if touched in the last 5 days, else closed.
  for (let from = 1; from <= TICKETS; from += 250_000) {
    const to = Math.min(TICKETS, from + 250_000 - 1);
    await c.query(
      `insert into tickets (number, subject, status, priority, channel, requester_id, assignee_id, team_id, tags,
        subject_folded, created_at, updated_at, last_customer_message_at, solved_at, closed_at)
      select g, 'Ticket ' || g, s.status::ticket_status,
        (array['low','normal','normal','high','urgent'])[1 + g % 5]::ticket_priority,
        (array['email','chat','phone','web','api'])[1 + g % 5]::channel,
        (select a[1 + g % 100000] from cids),
        case when s.status = 'new' then null else (select u[1 + g % 200] from uids) end,
        (select a[1 + g % 10] from tids),
        case when g % 50 = 0 then array['vip'] else '{}'::text[] end,
        'ticket ' || g, s.created, s.updated, s.updated,
        case when s.status in ('solved','closed') then s.updated end,
        case when s.status = 'closed' then s.updated + interval '4 days' end
      from generate_series($1::int, $2::int) g,
        lateral (select now() - ((${TICKETS} - g) * interval '30 seconds') as created,
                        now() - ((${TICKETS} - g) * interval '20 seconds') as updated) ts,
        lateral (select ts.created, ts.updated,
          case when g % ${OPEN_EVERY} = 0 then (array['new','open','open','pending'])[1 + (g / ${OPEN_EVERY}) % 4]
               when ts.updated > now() - interval '5 days' then 'solved' else 'closed' end as status) s`,
      [from, to],
    );
  }
  await c.query(`select setval(pg_get_serial_sequence('tickets', 'number'), ${TICKETS})`);
  await c.query("analyze");
}

const RULES: Array<{ name: string; conditions: Condition[]; actions: unknown[] }> = [
  {
    name: "Pending for 3 days: remind the assignee",
    conditions: [
      { field: "ticket.status", op: "is", value: "pending" },
      { field: "ticket.hours_since_updated", op: "gt", value: 72 },
    ],
    actions: [
      { type: "add_tags", tags: ["nudged"] },
      { type: "notify", to: "assignee", title: "Pending #{{ticket.number}} for 3 days" },
    ],
  },
  {
    name: "Solved for 4 days: close",
    conditions: [
      { field: "ticket.status", op: "is", value: "solved" },
      { field: "ticket.hours_since_solved", op: "gt", value: 96 },
    ],
    actions: [{ type: "set_status", value: "closed" }],
  },
  {
    name: "New and unassigned for a day: raise priority",
    conditions: [
      { field: "ticket.status", op: "is", value: "new" },
      { field: "ticket.assignee_id", op: "is_empty" },
      { field: "ticket.hours_since_created", op: "gt", value: 24 },
    ],
    actions: [{ type: "set_priority", value: "urgent" }],
  },
  {
    name: "VIP waiting 4 hours: tell the managers",
    conditions: [
      { field: "ticket.status", op: "is", value: "open" },
      { field: "ticket.tags", op: "includes", value: "vip" },
      { field: "ticket.hours_since_customer_message", op: "gt", value: 4 },
    ],
    actions: [{ type: "notify", to: "managers", title: "VIP #{{ticket.number}} waiting" }],
  },
];

async function main() {
  log(`automations bench against ${url.replace(/\/\/[^@]*@/, "//")}`);
  await admin(async (c) => {
    await c.query(`drop database if exists ${DB} with (force)`);
    await c.query(`create database ${DB}`);
  });
  const database = openPostgres(url, { max: 6 });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "rapport-bench-auto-"));
  const out: string[] = [];
  const say = (s: string) => {
    out.push(s);
    log(s);
  };
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  try {
    await migrate(database);
    await pool.query(`insert into settings (id, name, time_zone) values (1, 'Bench', 'Asia/Ho_Chi_Minh')`);
    const client = await pool.connect();
    const t0 = performance.now();
    await seed(client);
    client.release(true);
    say(`seeded in ${fmt((performance.now() - t0) / 1000)} s`);
    const counts = await pool.query(`select count(*) as tickets,
      count(*) filter (where status in ('new','open','pending')) as open,
      count(*) filter (where status = 'pending') as pending,
      count(*) filter (where status = 'solved') as solved from tickets`);
    say(`dataset: ${JSON.stringify(counts.rows[0])}`);

    const config = loadConfig({
      ...process.env,
      DATABASE_URL: url,
      RAPPORT_DATA_DIR: dataDir,
      LOG_LEVEL: "silent",
    });
    const services = createServices(config, database);
    const ctx = withActor(services, SYSTEM);
    const rules = await database.db
      .insert(timeRules)
      .values(RULES.map((r, i) => ({ ...r, position: i, createdBy: ADMIN })))
      .returning();

    // 1. Evaluation alone: every rule's match over the table (what each sweep starts with).
    const matchSql = (ruleId: string, cond: ReturnType<typeof conditionsSql>) =>
      sql`select count(*)::int as n from tickets where ${cond} and tickets.status <> 'closed'
        and not exists (select 1 from time_rule_executions e where e.rule_id = ${ruleId}::uuid and e.ticket_id = tickets.id)`;
    const evalTimes: number[] = [];
    const rawTimes: number[] = [];
    let matched: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const now = new Date();
      let s0 = performance.now();
      matched = [];
      for (const r of rules) {
        const res = await database.db.execute(
          matchSql(r.id, conditionsSql(r.match, r.conditions as Condition[], now)),
        );
        matched.push(Number((res as unknown as { rows: Array<{ n: number }> }).rows[0]?.n ?? 0));
      }
      evalTimes.push(performance.now() - s0);
      // Baseline: the same four statements written by hand, sent raw.
      s0 = performance.now();
      const edge = (h: number) => new Date(now.getTime() - h * 3600_000);
      const [r1, r2, r3, r4] = rules.map((r) => r.id);
      await pool.query(
        `select count(*) from tickets where status = 'pending' and updated_at < $2 and not exists (select 1 from time_rule_executions e where e.rule_id = $1 and e.ticket_id = tickets.id)`,
        [r1, edge(72)],
      );
      await pool.query(
        `select count(*) from tickets where status = 'solved' and solved_at < $2 and not exists (select 1 from time_rule_executions e where e.rule_id = $1 and e.ticket_id = tickets.id)`,
        [r2, edge(96)],
      );
      await pool.query(
        `select count(*) from tickets where status = 'new' and assignee_id is null and created_at < $2 and not exists (select 1 from time_rule_executions e where e.rule_id = $1 and e.ticket_id = tickets.id)`,
        [r3, edge(24)],
      );
      await pool.query(
        `select count(*) from tickets where status = 'open' and tags @> array['vip'] and last_customer_message_at < $2 and not exists (select 1 from time_rule_executions e where e.rule_id = $1 and e.ticket_id = tickets.id)`,
        [r4, edge(4)],
      );
      rawTimes.push(performance.now() - s0);
    }
    const ev = stats(evalTimes);
    const raw = stats(rawTimes);
    say(`matching tickets per rule before the first sweep: ${JSON.stringify(matched)}`);
    say(
      `evaluate all 4 rules (${RUNS} runs): p50 ${fmt(ev.p50)} ms, p95 ${fmt(ev.p95)} ms, max ${fmt(ev.max)} ms; raw SQL p50 ${fmt(raw.p50)} ms, p95 ${fmt(raw.p95)} ms (ratio p50 ${fmt(ev.p50 / raw.p50, 2)})`,
    );

    // 2. Catch-up: sweeps until the backlog is worked off (5,000 tickets per rule and sweep at most).
    const catchUp: Array<{ ms: number; acted: number }> = [];
    const cStart = performance.now();
    while (performance.now() - cStart < MAX_MS) {
      const s0 = performance.now();
      const r = await sweepTimeRules(ctx);
      catchUp.push({ ms: performance.now() - s0, acted: r.acted });
      if (r.acted === 0) break;
    }
    const acted = catchUp.reduce((a, b) => a + b.acted, 0);
    const actMs = catchUp.filter((x) => x.acted > 0).reduce((a, b) => a + b.ms, 0);
    say(
      `catch-up: ${catchUp.length} sweeps, ${acted} tickets acted on in ${fmt(actMs / 1000)} s (${fmt(acted / (actMs / 1000), 0)} tickets/s); per sweep: ${catchUp.map((x) => `${x.acted}@${fmt(x.ms, 0)}ms`).join(", ")}`,
    );
    // Whatever the bounded catch-up left is marked done set-based, so the steady state starts clean.
    let left = 0;
    for (const r of rules) {
      const res = await database.db.execute(sql`insert into time_rule_executions (rule_id, ticket_id)
        select ${r.id}::uuid, tickets.id from tickets where ${conditionsSql(r.match, r.conditions as Condition[], new Date())}
          and tickets.status <> 'closed' on conflict do nothing`);
      left += Number((res as unknown as { rowCount?: number }).rowCount ?? 0);
    }
    say(`backlog left after ${fmt(MAX_MS / 1000, 0)} s of catch-up, marked without acting: ${left}`);

    // 3. Steady state: nothing new to do, then a slot's worth of newly eligible tickets (200 pending ones turning 3 days old).
    const idle: number[] = [];
    let idleActed = 0;
    for (let i = 0; i < RUNS; i++) {
      const s0 = performance.now();
      idleActed += (await sweepTimeRules(ctx)).acted;
      idle.push(performance.now() - s0);
    }
    const id = stats(idle);
    say(
      `steady sweep, nothing due (${RUNS} runs, acted ${idleActed}): p50 ${fmt(id.p50)} ms, p95 ${fmt(id.p95)} ms, max ${fmt(id.max)} ms`,
    );
    const busy: number[] = [];
    for (let i = 0; i < 5; i++) {
      await pool.query(`insert into tickets (subject, status, requester_id, assignee_id, subject_folded, created_at, updated_at)
        select 'Fresh ' || g, 'pending', (select id from contacts limit 1), (select id from users where role = 'agent' limit 1),
          'fresh', now() - interval '4 days', now() - interval '73 hours' from generate_series(1, 200) g`);
      const s0 = performance.now();
      const r = await sweepTimeRules(ctx);
      busy.push(performance.now() - s0);
      if (r.acted !== 200) say(`  (sweep acted on ${r.acted}, expected 200)`);
    }
    const bz = stats(busy);
    say(
      `steady sweep, 200 newly due tickets (5 runs): p50 ${fmt(bz.p50)} ms, p95 ${fmt(bz.p95)} ms, max ${fmt(bz.max)} ms`,
    );
    const plan = await pool.query(
      `explain (analyze, buffers off) select tickets.id from tickets where status = 'pending' and updated_at < now() - interval '72 hours'
        and tickets.status <> 'closed' and not exists (select 1 from time_rule_executions e where e.rule_id = $1 and e.ticket_id = tickets.id) limit 200`,
      [rules[0]?.id],
    );
    say(`\nplan of rule 1's match (steady):\n${plan.rows.map((r) => r["QUERY PLAN"]).join("\n")}`);
    const up = fs.readFileSync("/proc/loadavg", "utf8").trim();
    say(`\nload average at the end: ${up} (2 cores)`);
  } finally {
    await pool.end();
    await database.close();
    await admin((c) => c.query(`drop database if exists ${DB} with (force)`));
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  fs.writeFileSync(path.join(os.tmpdir(), "rapport-bench-automations.txt"), out.join("\n"));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
