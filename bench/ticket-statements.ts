/**
 * Statements per ticket write (issue 13): `npx tsx bench/ticket-statements.ts [--verbose]`.
 * Sets up a realistic organization (bench/ticket-org.ts: SLA policy, round-robin team with 3
 * online agents, two "ticket created" triggers, an active webhook) on a fresh PostgreSQL
 * database `rapport_bench_statements` (dropped and recreated each run, dropped at the end),
 * starts the app in-process with every module loaded and counts the SQL statements of:
 * POST /tickets (new requester, known requester), POST /tickets/:id/messages (agent reply,
 * customer reply) and send-and-solve (a reply with "status": "solved").
 *
 * "statements" = every statement the pg driver sent for the request (captured at
 * pg.Client.query, so the realtime publish after the commit is included: the capture waits
 * SETTLE_MS after the response), minus transaction control (BEGIN/COMMIT/ROLLBACK/SAVEPOINT),
 * which is printed separately; `drizzle` is database.stats.queries (statements sent through
 * drizzle). --verbose prints each statement.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { migrate, openPostgres } from "../apps/server/src/db/client.ts";
import { startBenchApp } from "./app.ts";
import { captureQueries, httpClient } from "./measure.ts";
import { setupOrg, startReceiver, ticketBody } from "./ticket-org.ts";

process.env.JOBS_ENABLED = "false";
const verbose = process.argv.includes("--verbose");
const DB = "rapport_bench_statements";
const server = process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432";
const url = `${server}/${DB}`;
/** Time after the response during which the request's post-commit statements are still counted. */
const SETTLE_MS = 150;
const GOALS = { create: 12, message: 10, solve: 14 };

async function adminQuery(sql: string) {
  const c = new pg.Client({ connectionString: `${server}/postgres` });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

const control = /^\s*(begin|commit|rollback|savepoint|release\s+savepoint|start\s+transaction)\b/i;
const oneLine = (s: string) => s.replace(/\s+/g, " ").trim();

async function main() {
  await adminQuery(`drop database if exists ${DB} with (force)`);
  await adminQuery(`create database ${DB}`);
  const database = openPostgres(url, { max: 10 });
  await migrate(database);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "rapport-ticket-stmts-"));
  const receiver = await startReceiver();
  const bench = await startBenchApp(database, url, dataDir);
  const rows: Array<{ name: string; statements: number; control: number; drizzle: number; goal: number }> =
    [];
  try {
    const org = await setupOrg(bench, receiver.url);
    const agent = httpClient(bench.base, org.agentToken);

    const count = async <T>(name: string, goal: number, fn: () => Promise<T>): Promise<T> => {
      const before = database.stats.queries;
      const { result, queries } = await captureQueries(async () => {
        const r = await fn();
        await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
        return r;
      });
      const drizzle = database.stats.queries - before;
      const work = queries.filter((q) => !control.test(q.text));
      const row = { name, statements: work.length, control: queries.length - work.length, drizzle, goal };
      rows.push(row);
      console.log(
        `${name.padEnd(44)} ${String(row.statements).padStart(3)} statements (+${row.control} begin/commit; drizzle ${drizzle})  goal ≤ ${goal}: ${row.statements <= goal ? "pass" : "FAIL"}`,
      );
      if (verbose) for (const q of queries) console.log(`    ${oneLine(q.text).slice(0, 240)}`);
      return result;
    };

    // Warm-up (not counted): the first requests fill the app's caches (token, triggers, policies,
    // and the tone rules a reply is checked against: read once per 30 s and process).
    const warm = await agent.post("/tickets", ticketBody(org, "warmup@customers.test", 1));
    await agent.post(`/tickets/${warm.id}/messages`, { body: "Warming up the reply path." });
    await agent.post("/tickets", ticketBody(org, "known@customers.test", 2));

    const refund = await count("POST /tickets (new requester)", GOALS.create, () =>
      agent.post("/tickets", ticketBody(org, "new-1@customers.test", 3)),
    );
    const ticket = await count("POST /tickets (known requester)", GOALS.create, () =>
      agent.post("/tickets", ticketBody(org, "known@customers.test", 4)),
    );
    const assigned = ticket.assignee?.id as string | undefined;
    // The reply comes from the agent routing picked (round robin), so it is their own ticket.
    const replier =
      assigned && assigned !== org.agentIds[0]
        ? httpClient(bench.base, (await bench.tokenFor(assigned)).token)
        : agent;
    // Its first use would add the token's last_used_at write to the first counted reply.
    await replier.get(`/tickets/${ticket.id}`);
    await count("POST /tickets/:id/messages (agent reply)", GOALS.message, () =>
      replier.post(`/tickets/${ticket.id}/messages`, { body: "Thanks, we are looking into it." }),
    );
    await count("POST /tickets/:id/messages (customer reply)", GOALS.message, () =>
      replier.post(`/tickets/${ticket.id}/messages`, {
        body: "My order number is 10442, in case you need it.",
        authorType: "customer",
      }),
    );
    // The angry-customer flag (issue 18): a reply that turns the ticket negative also files
    // a notice for the assignee and the team's managers (their read, their preferences, the
    // notice), like a trigger that notifies.
    await count("customer reply turning the ticket negative", GOALS.message, () =>
      replier.post(`/tickets/${ticket.id}/messages`, {
        body: "Any news? The parcel is still not here.",
        authorType: "customer",
      }),
    );
    await count("send-and-solve (reply + status solved)", GOALS.solve, () =>
      replier.post(`/tickets/${ticket.id}/messages`, {
        body: "It was delivered this morning. Closing this one.",
        status: "solved",
      }),
    );
    for (const t of [refund, ticket]) {
      const check = await agent.get(`/tickets/${t.id}`);
      console.log(
        `${t === refund ? "\n" : ""}check: ticket #${check.number} ${check.status}, priority ${check.priority}, assignee ${check.assignee?.name ?? "none"}, tags [${check.tags}], next due ${check.nextDueAt ?? "none"}`,
      );
    }
    const failed = rows.filter((r) => r.statements > r.goal).length;
    console.log(failed ? `${failed} goal(s) not met` : "all goals met");
  } finally {
    await bench.app.close();
    await database.close();
    await receiver.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    await adminQuery(`drop database if exists ${DB} with (force)`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
