/**
 * Ticket write path throughput (issue 13): `npx tsx bench/ticket-write.ts [--quick]`.
 * Drops and recreates the PostgreSQL database `rapport_bench_write`, sets up a realistic
 * organization through the API (bench/ticket-org.ts: SLA policy, round-robin team with 3
 * online agents, two "ticket created" triggers, an active webhook to a local receiver; the
 * job worker is off, so deliveries are only queued), then creates tickets through
 * POST /api/v1/tickets at 1 and 32 concurrent clients, and through a raw-SQL baseline that
 * does the same writes in one transaction over the same pg driver and pool size (10).
 * Three requests in four come from a new customer, one from one of 100 known customers; every
 * third mentions a refund, so both triggers act on it.
 * Bounded: each run stops after COUNT tickets or MAX_MS (2,000 / 20 s; --quick 300 / 5 s).
 * The database is dropped at the end.
 * `--profile-api FILE`: writes a V8 CPU profile of the API runs only (not the set-up, module
 * loading or the baseline) to FILE (open it in Chrome DevTools or read it with a script).
 */
import { execSync } from "node:child_process";
import fs from "node:fs";
import { Session } from "node:inspector/promises";
import os from "node:os";
import path from "node:path";
import { foldText } from "@rapport/shared";
import pg from "pg";
import { migrate, openPostgres } from "../apps/server/src/db/client.ts";
import { JOBS_CHANNEL } from "../apps/server/src/jobs/queue.ts";
import { textToHtml } from "../apps/server/src/lib/html.ts";
import { tsvectorLiteral } from "../apps/server/src/lib/search.ts";
import { detectLanguage } from "../apps/server/src/modules/routing/language.ts";
import {
  ALWAYS_OPEN,
  addBusinessTime,
  type Calendar,
} from "../apps/server/src/modules/sla/business-hours.ts";
import { defaultCalendar, toCalendar } from "../apps/server/src/modules/sla/sla.service.ts";
import { ticketSearchVector } from "../apps/server/src/modules/tickets/tickets.service.ts";
import { DELIVER_JOB } from "../apps/server/src/modules/webhooks/webhooks.service.ts";
import { startBenchApp } from "./app.ts";
import { fmt, httpClient, load, type Stats, stats } from "./measure.ts";
import { type Org, setupOrg, startReceiver, TRIGGER_TAG, TRIGGER_WORD, ticketBody } from "./ticket-org.ts";

process.env.JOBS_ENABLED = "false";
const quick = process.argv.includes("--quick");
const profileArg = process.argv.indexOf("--profile-api");
const profileFile = profileArg > 0 ? process.argv[profileArg + 1] : undefined;
const COUNT = quick ? 300 : 2_000;
const MAX_MS = quick ? 5_000 : 20_000;
const POOL = 10;
const KNOWN = 100;
const DB = "rapport_bench_write";
const server = process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432";
const url = `${server}/${DB}`;
const log = (...xs: unknown[]) => console.log(...xs);

async function adminQuery(sql: string) {
  const c = new pg.Client({ connectionString: `${server}/postgres` });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

/** Request i of a run: one in four from a known customer, the others from a new one. */
const emailFor = (run: string, i: number) =>
  i >= 0 && i % 4 === 3
    ? `known-${i % KNOWN}@customers.test`
    : `${run}-${i < 0 ? `w${-i}` : i}@customers.test`;

type RawContext = {
  org: Org;
  calendar: Calendar;
  policy: { id: string; targets: Targets; warnMinutes: number };
  /** The two triggers (id, name), for their trigger.fired events. */
  triggers: Array<{ triggerId: string; name: string }>;
};
type Target = { minutes: number; goalMinutes: number | null; business: boolean } | null;
type Targets = { firstResponse: Target; resolution: Target };

/**
 * The raw-SQL baseline: the writes the API makes for one ticket, hand-written, in one
 * transaction, with what the steps decide computed in JavaScript (the triggers' tag and
 * priority, the language, the SLA due times with the app's business-hours code):
 *   contact lookup (+ contact and email insert for a new customer), ticket insert (tags,
 *   priority), first message, SLA clocks (sla_targets), then routing (round-robin cursor in
 *   routing_teams moved under its row lock; assignee, status and next_due_at set on the
 *   ticket), the timeline events (one multi-row insert: the same types and count as the app),
 *   the webhook deliveries and their jobs (one insert each) and the job queue's NOTIFY.
 * 9 statements (11 for a new customer) plus BEGIN/COMMIT.
 */
async function createRaw(pool: pg.Pool, rc: RawContext, run: string, i: number): Promise<string> {
  const { org, calendar, policy } = rc;
  const body = ticketBody(org, emailFor(run, i), i);
  const email = body.requester.email;
  const refund = body.message.body.includes(TRIGGER_WORD);
  const tags = refund ? [TRIGGER_TAG] : [];
  const priority = refund ? "high" : "normal";
  const language = detectLanguage(`${body.subject}\n${body.message.body}`);
  const now = new Date();
  const dueOf = (t: Target) => {
    if (!t) return null;
    const k = t.business ? calendar : ALWAYS_OPEN;
    return {
      due: new Date(addBusinessTime(k, now.getTime(), t.minutes * 60_000)),
      goal: t.goalMinutes ? new Date(addBusinessTime(k, now.getTime(), t.goalMinutes * 60_000)) : null,
    };
  };
  const first = dueOf(policy.targets.firstResponse);
  const resolution = dueOf(policy.targets.resolution);
  const nextDue = [first?.due, resolution?.due].filter((d): d is Date => !!d).sort((a, b) => +a - +b)[0];

  const client = await pool.connect();
  try {
    await client.query("begin");
    const found = await client.query(
      "select c.id, c.language from contact_emails e join contacts c on c.id = e.contact_id where lower(e.email) = $1",
      [email.toLowerCase()],
    );
    let requester = found.rows[0] as { id: string; language: string | null } | undefined;
    if (!requester) {
      const c = await client.query(
        "insert into contacts (name, search_name) values ($1, $2) returning id, language",
        [body.requester.name, foldText(`${body.requester.name} ${email}`)],
      );
      requester = c.rows[0];
      await client.query("insert into contact_emails (contact_id, email, is_primary) values ($1, $2, true)", [
        c.rows[0].id,
        email,
      ]);
    }
    if (!requester) throw new Error("no requester");
    const t = await client.query(
      `insert into tickets (subject, status, priority, channel, requester_id, team_id, tags, language,
         message_count, subject_folded, search_vector, created_at, updated_at, last_message_at,
         last_customer_message_at)
       values ($1, 'new', $2, 'email', $3, $4, $5, $6, 1, $7, $8, $9, $9, $9, $9) returning *`,
      [
        body.subject,
        priority,
        requester.id,
        org.teamId,
        tags,
        requester.language ?? language,
        foldText(body.subject),
        ticketSearchVector(body.subject, tags),
        now,
      ],
    );
    const ticket = t.rows[0];
    const m = await client.query(
      `insert into messages (ticket_id, author_type, author_contact_id, internal, channel, body_text, body_html,
         search_vector, created_at)
       values ($1, 'customer', $2, false, 'email', $3, $4, $5, $6) returning id, created_at`,
      [
        ticket.id,
        requester.id,
        body.message.body,
        textToHtml(body.message.body),
        tsvectorLiteral([{ text: body.message.body, weight: "B" }]),
        now,
      ],
    );
    const message = m.rows[0];
    const clocks = (
      [
        ["first_response", policy.targets.firstResponse, first],
        ["resolution", policy.targets.resolution, resolution],
      ] as const
    ).filter(([, t, d]) => t && d);
    await client.query(
      `insert into sla_targets (ticket_id, policy_id, metric, business, target_ms, goal_ms, started_at,
         run_started_at, due_at, goal_at, warn_at)
       select $1, $2, c.metric, c.business, c.target_ms, c.goal_ms, $3, $3, c.due_at, c.goal_at, c.warn_at
       from jsonb_to_recordset($4::jsonb) as c(metric text, business boolean, target_ms bigint, goal_ms bigint,
         due_at timestamptz, goal_at timestamptz, warn_at timestamptz)`,
      [
        ticket.id,
        policy.id,
        now,
        JSON.stringify(
          clocks.map(([metric, t, d]) => ({
            metric,
            business: t?.business,
            target_ms: (t?.minutes ?? 0) * 60_000,
            goal_ms: t?.goalMinutes ? t.goalMinutes * 60_000 : null,
            due_at: d?.due,
            goal_at: d?.goal,
            warn_at: d ? new Date(d.due.getTime() - policy.warnMinutes * 60_000) : null,
          })),
        ),
      ],
    );
    // Routing last, so the team's round-robin row stays locked for as short a time as possible.
    const routed = await client.query(
      `update routing_teams set
         last_user_id = ($2::uuid[])[coalesce(array_position($2::uuid[], last_user_id), 0) % cardinality($2::uuid[]) + 1],
         last_assigned_at = $3, updated_at = $3
       where team_id = $1 returning last_user_id`,
      [org.teamId, org.agentIds, now],
    );
    const assigneeId = routed.rows[0].last_user_id as string;
    await client.query(
      "update tickets set assignee_id = $2, status = 'open', next_due_at = $3 where id = $1",
      [ticket.id, assigneeId, nextDue ?? null],
    );
    const agent = { actor_type: "agent", actor_id: org.adminId };
    const system = { actor_type: "system", actor_id: null };
    const events = [
      {
        type: "ticket.created",
        ...agent,
        data: { status: "new", priority, channel: "email", assigneeId: null, teamId: org.teamId },
      },
      { type: "reply.added", ...agent, data: { messageId: message.id, authorType: "customer" } },
      { type: "language.detected", ...system, data: { language } },
      ...(refund
        ? rc.triggers.map((trig) => ({
            type: "trigger.fired",
            ...system,
            data: { ...trig, event: "ticket.created" },
          }))
        : []),
      ...(refund
        ? [
            { type: "tags.changed", ...system, data: { from: [], to: tags } },
            { type: "priority.changed", ...system, data: { from: "normal", to: priority } },
          ]
        : []),
      { type: "assignee.changed", ...system, data: { from: null, to: assigneeId } },
      { type: "status.changed", ...system, data: { from: "new", to: "open" } },
    ];
    await client.query(
      `insert into ticket_events (ticket_id, type, actor_type, actor_id, data, created_at)
       select $1, e.type, e.actor_type, e.actor_id, e.data, $2
       from jsonb_to_recordset($3::jsonb) as e(type text, actor_type text, actor_id uuid, data jsonb)`,
      [ticket.id, now, JSON.stringify(events)],
    );
    const ticketData = {
      id: ticket.id,
      number: ticket.number,
      subject: ticket.subject,
      status: "open",
      priority: ticket.priority,
      channel: ticket.channel,
      requesterId: ticket.requester_id,
      assigneeId,
      teamId: ticket.team_id,
      tags: ticket.tags,
      language: ticket.language,
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
    };
    const messageData = {
      ticket: { id: ticket.id, number: ticket.number },
      message: {
        id: message.id,
        authorType: "customer",
        internal: false,
        channel: "email",
        bodyText: body.message.body,
        createdAt: now.toISOString(),
      },
    };
    const deliveries = await client.query(
      `insert into webhook_deliveries (webhook_id, event, payload)
       values ($1, 'ticket.created', $2), ($1, 'message.created', $3) returning id`,
      [org.webhookId, ticketData, messageData],
    );
    const ids = deliveries.rows.map((r) => r.id as string);
    await client.query(
      `insert into jobs (kind, payload, dedupe_key, max_attempts)
       select $1, jsonb_build_object('deliveryId', d), d, 8 from unnest($2::text[]) as d
       on conflict do nothing`,
      [DELIVER_JOB, ids],
    );
    await client.query("select pg_notify($1, $2)", [JOBS_CHANNEL, DELIVER_JOB]);
    await client.query("commit");
    return ticket.id as string;
  } catch (err) {
    await client.query("rollback");
    throw err;
  } finally {
    client.release();
  }
}

const cpuMsPer = (since: NodeJS.CpuUsage, n: number) => {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1000 / Math.max(1, n);
};

/** Rows per ticket in the tables both paths write, to check the baseline does the same work. */
async function rowsPerTicket(pool: pg.Pool, ids: string[]) {
  const r = await pool.query(
    `select
       (select count(*) from messages where ticket_id = any($1::uuid[]))::int as messages,
       (select count(*) from ticket_events where ticket_id = any($1::uuid[]))::int as events,
       (select count(*) from sla_targets where ticket_id = any($1::uuid[]))::int as sla_targets,
       (select count(*) from tickets where id = any($1::uuid[]) and next_due_at is not null)::int as next_due,
       (select count(*) from tickets where id = any($1::uuid[]) and assignee_id is not null)::int as assigned,
       (select count(*) from webhook_deliveries
          where coalesce(payload->>'id', payload->'ticket'->>'id') = any($1::text[]))::int as deliveries,
       (select count(*) from jobs j join webhook_deliveries d on j.payload->>'deliveryId' = d.id::text
          where coalesce(d.payload->>'id', d.payload->'ticket'->>'id') = any($1::text[]))::int as jobs,
       (select string_agg(type || ' ' || n, ', ' order by type) from (select type, count(*) as n
          from ticket_events where ticket_id = any($1::uuid[]) group by type) x) as event_types`,
    [ids],
  );
  return r.rows[0] as Record<string, number | string>;
}

async function main() {
  const started = new Date();
  const loadBefore = os.loadavg();
  log(`ticket write bench (${quick ? "quick" : "full"}) against ${url.replace(/\/\/[^@]*@/, "//")}`);
  await adminQuery(`drop database if exists ${DB} with (force)`);
  await adminQuery(`create database ${DB}`);
  const database = openPostgres(url, { max: POOL });
  await migrate(database);
  const pool = new pg.Pool({ connectionString: url, max: POOL });
  pool.on("error", (err) => console.error("bench pool:", err.message));
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "rapport-ticket-write-"));
  const receiver = await startReceiver();
  const bench = await startBenchApp(database, url, dataDir);
  try {
    const org = await setupOrg(bench, receiver.url);
    const api = httpClient(bench.base, org.adminToken);
    const createApi = async (run: string, i: number) =>
      (await api.post("/tickets", ticketBody(org, emailFor(run, i), i))).id as string;

    // The known customers exist before any measured run (made through the API).
    for (let k = 0; k < KNOWN; k++) await createApi("seed", 4 * k + 3);
    const policyRow = await pool.query("select id, targets, warn_minutes from sla_policies where id = $1", [
      org.policyId,
    ]);
    const rc: RawContext = {
      org,
      calendar: toCalendar(await defaultCalendar(database.db)),
      triggers: (
        await pool.query("select id, name from triggers where id = any($1::uuid[]) order by position", [
          org.triggerIds,
        ])
      ).rows.map((r) => ({ triggerId: r.id, name: r.name })),
      policy: {
        id: org.policyId,
        targets: policyRow.rows[0].targets,
        warnMinutes: policyRow.rows[0].warn_minutes,
      },
    };

    // Same work? Rows per ticket for 6 tickets each way (2 refunds, 1–2 known customers).
    const apiIds: string[] = [];
    const rawIds: string[] = [];
    for (let i = 0; i < 6; i++) apiIds.push(await createApi("parity-api", i));
    for (let i = 0; i < 6; i++) rawIds.push(await createRaw(pool, rc, "parity-raw", i));
    const parity = { api: await rowsPerTicket(pool, apiIds), raw: await rowsPerTicket(pool, rawIds) };
    log("rows written for 6 tickets (API vs raw):");
    for (const key of Object.keys(parity.api))
      log(`  ${key.padEnd(12)} ${parity.api[key]}  |  ${parity.raw[key]}`);

    type Result = { clients: number; api: number; raw: number; apiStats: Stats; rawStats: Stats };
    const results: Array<Result & { apiCpu: number; rawCpu: number }> = [];
    const profiler = profileFile ? new Session() : undefined;
    if (profiler) {
      profiler.connect();
      await profiler.post("Profiler.enable");
    }
    for (const clients of [1, 32]) {
      const opts = { count: COUNT, maxMs: MAX_MS, concurrency: clients, warmup: 5 };
      // Node CPU per ticket (this process: app + load generator + driver), the app's main cost on 2 shared cores.
      if (profiler) await profiler.post("Profiler.start");
      const cpuA = process.cpuUsage();
      const a = await load(async (i) => void (await createApi(`api${clients}`, i)), opts);
      const apiCpu = cpuMsPer(cpuA, a.durations.length + opts.warmup);
      if (profiler && profileFile) {
        const { profile } = await profiler.post("Profiler.stop");
        const file = clients === 1 ? profileFile.replace(/(\.cpuprofile)?$/, "-1$1") : profileFile;
        fs.writeFileSync(file, JSON.stringify(profile));
      }
      const cpuR = process.cpuUsage();
      const r = await load(async (i) => void (await createRaw(pool, rc, `raw${clients}`, i)), opts);
      const rawCpu = cpuMsPer(cpuR, r.durations.length + opts.warmup);
      const apiTps = (a.durations.length / a.wallMs) * 1000;
      const rawTps = (r.durations.length / r.wallMs) * 1000;
      const row = {
        clients,
        api: apiTps,
        raw: rawTps,
        apiStats: stats(a.durations),
        rawStats: stats(r.durations),
        apiCpu,
        rawCpu,
      };
      results.push(row);
      log(
        `${String(clients).padStart(2)} client(s): API ${fmt(apiTps)} tickets/s (n=${a.durations.length}, p50/p95/p99 ${fmt(row.apiStats.p50)}/${fmt(row.apiStats.p95)}/${fmt(row.apiStats.p99)} ms)` +
          `  raw ${fmt(rawTps)} tickets/s (n=${r.durations.length}, p50/p95/p99 ${fmt(row.rawStats.p50)}/${fmt(row.rawStats.p95)}/${fmt(row.rawStats.p99)} ms)` +
          `  Node CPU/ticket API ${fmt(apiCpu)} ms, raw ${fmt(rawCpu)} ms  ratio ${fmt(apiTps / rawTps, 2)}${clients === 32 ? `  goal ≥ 0.5: ${apiTps / rawTps >= 0.5 ? "pass" : "FAIL"}` : ""}`,
      );
    }
    const queued = (await pool.query("select count(*)::int as n from jobs where kind = $1", [DELIVER_JOB]))
      .rows[0].n;
    const pgVersion = (await pool.query("select version() as v")).rows[0].v as string;
    const loadAfter = os.loadavg();
    const revision = execSync("git rev-parse --short HEAD").toString().trim();
    const dirty =
      execSync("git status --porcelain -- apps packages").toString().trim() !== ""
        ? " plus uncommitted work of others in apps/ and packages/"
        : "";

    log("\nmachine");
    log(`  date ${started.toISOString()}, nproc ${os.cpus().length} (${os.cpus()[0]?.model ?? "?"})`);
    log(
      `  load average (1/5/15) before ${loadBefore.map((x) => fmt(x, 2)).join(" / ")}, after ${loadAfter.map((x) => fmt(x, 2)).join(" / ")}`,
    );
    log(`  ${pgVersion.split(" on ")[0]}, Node ${process.version}, commit ${revision}${dirty}`);
    log(
      `  pool ${POOL} connections each (app and raw), ${queued} webhook jobs queued (worker off), receiver hits ${receiver.hits()}`,
    );
    log(
      "\n| clients | API tickets/s | API p50 / p95 / p99 ms | raw tickets/s | raw p50 / p95 / p99 ms | Node CPU ms/ticket API / raw | API/raw |",
    );
    log("|---:|---:|---:|---:|---:|---:|---:|");
    for (const r of results)
      log(
        `| ${r.clients} | ${fmt(r.api)} | ${fmt(r.apiStats.p50)} / ${fmt(r.apiStats.p95)} / ${fmt(r.apiStats.p99)} | ${fmt(r.raw)} | ${fmt(r.rawStats.p50)} / ${fmt(r.rawStats.p95)} / ${fmt(r.rawStats.p99)} | ${fmt(r.apiCpu)} / ${fmt(r.rawCpu)} | ${fmt(r.api / r.raw, 2)} |`,
      );
  } finally {
    await bench.app.close();
    await database.close();
    await pool.end();
    await receiver.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    await adminQuery(`drop database if exists ${DB} with (force)`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
