/**
 * Planner and dossier benchmark (issue 7): `npx tsx bench/planner.ts`.
 * Creates PostgreSQL database rapport_bench_planner, seeds it with SQL, starts the app
 * in-process on 127.0.0.1, measures over real HTTP, prints percentiles and the query
 * plans of the hot statements, and drops the database. Bounded: at most COUNT requests
 * or MAX_MS per scenario, one client at a time.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { migrate, openPostgres } from "../apps/server/src/db/client.ts";
import { startBenchApp } from "./app.ts";
import { captureQueries, fmt, httpClient, load, stats } from "./measure.ts";

const DB = "rapport_bench_planner";
const base = process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432";
const url = `${base}/${DB}`;
const COUNT = 300;
const MAX_MS = 20_000;
const AGENT = "00000000-0000-4000-8000-000000000001";
const CONTACT = "00000000-0000-4000-8000-0000000000c1";
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

/** The measured customer: 250 tickets x (15 messages + 4 events) + 200 planned contacts + 50 notes = 5,000 items. */
async function seed(c: pg.PoolClient) {
  await c.query("set synchronous_commit = off");
  await c.query(`insert into settings (id, name, time_zone) values (1, 'Bench', 'Asia/Ho_Chi_Minh')`);
  await c.query(
    `insert into users (id, email, name, role) values ($1, 'agent@bench.test', 'Bench Agent', 'agent')`,
    [AGENT],
  );
  await c.query(`insert into users (email, name, role)
    select 'agent' || g || '@bench.test', 'Agent ' || g, 'agent' from generate_series(2, 40) g`);
  await c.query(`insert into contacts (id, name) values ($1, 'Dossier Customer')`, [CONTACT]);
  await c.query(`insert into contacts (name) select 'Customer ' || g from generate_series(1, 20000) g`);
  await c.query("create temp table ids as select array_agg(id) as a from contacts where id <> $1", [CONTACT]);
  await c.query("create temp table uids as select array_agg(id) as u from users where id <> $1", [AGENT]);
  // Background: 40,000 tickets of other customers, 160,000 messages.
  await c.query(`insert into tickets (subject, status, requester_id, assignee_id, created_at, updated_at)
    select 'Background ' || g, (array['new','open','pending','solved','closed'])[1 + g % 5]::ticket_status,
      (select a[1 + g % 20000] from ids),
      (select u[1 + g % 40] from uids),
      now() - (g || ' minutes')::interval, now() - (g || ' minutes')::interval
    from generate_series(1, 40000) g`);
  await c.query(`insert into messages (ticket_id, author_type, channel, body_text, body_html, created_at)
    select t.id, 'customer', 'email', 'background message ' || g, '', t.created_at + (g || ' seconds')::interval
    from tickets t, generate_series(1, 4) g`);
  // The dossier customer.
  await c.query(
    `insert into tickets (subject, status, channel, requester_id, assignee_id, created_at, updated_at, last_message_at)
    select 'Dossier ticket ' || g, (array['new','open','pending','solved','closed'])[1 + g % 5]::ticket_status,
      (array['email','chat','phone','web','api'])[1 + g % 5]::channel, $1, $2,
      now() - ((250 - g) || ' days')::interval, now() - ((250 - g) || ' days')::interval, now() - ((250 - g) || ' days')::interval
    from generate_series(1, 250) g`,
    [CONTACT, AGENT],
  );
  await c.query(
    `insert into messages (ticket_id, author_type, channel, body_text, body_html, search_vector, created_at)
    select t.id, case when g % 2 = 0 then 'agent' else 'customer' end, t.channel,
      'Message ' || g || ' about delivery and invoice number ' || g, '',
      ('''delivery'':1 ''invoice'':2 ''message'':3')::tsvector, t.created_at + (g || ' minutes')::interval
    from tickets t, generate_series(1, 15) g where t.requester_id = $1`,
    [CONTACT],
  );
  await c.query(
    `insert into ticket_events (ticket_id, type, actor_type, data, created_at)
    select t.id, (array['ticket.created','status.changed','status.changed','ticket.handover'])[g], 'agent', '{}', t.created_at + (g || ' hours')::interval
    from tickets t, generate_series(1, 4) g where t.requester_id = $1`,
    [CONTACT],
  );
  await c.query(
    `insert into planned_contacts (contact_id, owner_id, date, status, purpose, outcome, completed_at, created_at)
    select $1, $2, (now() - ((200 - g) || ' days')::interval)::date, case when g < 199 then 'done' else 'planned' end,
      'Follow-up ' || g, case when g < 199 then 'Talked, all fine' end,
      case when g < 199 then now() - ((200 - g) || ' days')::interval end, now() - ((201 - g) || ' days')::interval
    from generate_series(1, 200) g`,
    [CONTACT, AGENT],
  );
  await c.query(
    `insert into contact_notes (contact_id, author_id, body, created_at)
    select $1, $2, 'Note ' || g, now() - (g || ' days')::interval from generate_series(1, 50) g`,
    [CONTACT, AGENT],
  );
  // The measured agent's 3,000 planned contacts over a year (plus 200 above), and 30,000 of colleagues.
  await c.query(
    `insert into planned_contacts (contact_id, owner_id, date, status, purpose)
    select (select a[1 + g % 20000] from ids), $1,
      current_date + (g % 365 - 30), case when g % 365 < 30 then 'done' else 'planned' end, 'Call ' || g
    from generate_series(1, 3000) g`,
    [AGENT],
  );
  await c.query(`insert into planned_contacts (contact_id, owner_id, date, purpose)
    select (select a[1 + g % 20000] from ids),
      (select u[1 + g % 39] from uids), current_date + (g % 365), 'Call ' || g
    from generate_series(1, 30000) g`);
  await c.query("analyze");
}

async function main() {
  log(`planner bench against ${url.replace(/\/\/[^@]*@/, "//")}`);
  await admin(async (c) => {
    await c.query(`drop database if exists ${DB} with (force)`);
    await c.query(`create database ${DB}`);
  });
  const database = openPostgres(url, { max: 10 });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "rapport-bench-planner-"));
  try {
    await migrate(database);
    const pool = new pg.Pool({ connectionString: url, max: 2 });
    const client = await pool.connect();
    const t0 = performance.now();
    await seed(client);
    client.release(true);
    log(`seeded in ${fmt((performance.now() - t0) / 1000)} s`);
    const counts = await pool.query(
      `select
      (select count(*) from messages m join tickets t on t.id = m.ticket_id where t.requester_id = $1)
      + (select count(*) from ticket_events e join tickets t on t.id = e.ticket_id where t.requester_id = $1)
      + (select count(*) from planned_contacts where contact_id = $1)
      + (select count(*) from contact_notes where contact_id = $1) as timeline,
      (select count(*) from planned_contacts where owner_id = $2) as agent_plans,
      (select count(*) from messages) as messages, (select count(*) from planned_contacts) as plans`,
      [CONTACT, AGENT],
    );
    log("dataset:", counts.rows[0]);

    const { app, base: appBase, tokenFor } = await startBenchApp(database, url, dataDir);
    const { token } = await tokenFor(AGENT);
    const http = httpClient(appBase, token);

    const first = await http.get(`/contacts/${CONTACT}/dossier`);
    const cursor = first.timeline.nextCursor as string;
    const month = new Date().toISOString().slice(0, 7);
    const scenarios: Array<[string, string, number | null]> = [
      [
        "dossier (profile, figures, open tickets, first 50 timeline items)",
        `/contacts/${CONTACT}/dossier`,
        50,
      ],
      ["timeline page 2 (cursor)", `/contacts/${CONTACT}/timeline?cursor=${cursor}`, null],
      ["timeline search 'invoice'", `/contacts/${CONTACT}/timeline?q=invoice`, null],
      ["timeline filtered: chat messages", `/contacts/${CONTACT}/timeline?types=message&channel=chat`, null],
      ["month board (3,200 plans, 12 month tabs)", `/planner/board?month=${month}`, 50],
      ["today's list", "/planner/today", null],
    ];
    const lines: string[] = [];
    for (const [name, p, goal] of scenarios) {
      const { durations } = await load(() => http.get(p).then(() => undefined), {
        count: COUNT,
        maxMs: MAX_MS,
        warmup: 10,
      });
      const s = stats(durations);
      const line = `| ${name} | ${s.n} | ${fmt(s.p50)} | ${fmt(s.p95)} | ${fmt(s.p99)} | ${goal ? `${goal} (${s.p95 <= goal ? "met" : "missed"})` : ""} |`;
      lines.push(line);
      log(line);
    }

    for (const [name, p] of [
      ["dossier", `/contacts/${CONTACT}/dossier`],
      ["board", `/planner/board?month=${month}`],
    ] as const) {
      const { queries } = await captureQueries(() => http.get(p));
      const slowest: Array<{ ms: number; text: string; plan: string }> = [];
      for (const q of queries) {
        if (!/^\s*select/i.test(q.text)) continue;
        const r = await pool.query(`explain (analyze, buffers off) ${q.text}`, q.values);
        const plan = r.rows.map((x) => x["QUERY PLAN"]).join("\n");
        const ms = Number(/Execution Time: ([\d.]+)/.exec(plan)?.[1] ?? 0);
        slowest.push({ ms, text: q.text.slice(0, 120).replace(/\s+/g, " "), plan });
      }
      slowest.sort((a, b) => b.ms - a.ms);
      const total = slowest.reduce((a, b) => a + b.ms, 0);
      log(
        `\n## ${name}: ${queries.length} statements, ${fmt(total, 2)} ms database execution in all; slowest:`,
      );
      for (const s of slowest.slice(0, 1)) log(`${s.ms} ms  ${s.text}\n${s.plan}`);
    }
    await app.close();
    await pool.end();
    log(
      `\n| scenario | n | p50 ms | p95 ms | p99 ms | goal p95 ms |\n|---|---|---|---|---|---|\n${lines.join("\n")}`,
    );
    log(
      `machine: ${os.cpus().length} cores, load ${os
        .loadavg()
        .map((x) => x.toFixed(2))
        .join(" ")}`,
    );
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
