/**
 * Customer value (issue 17): `npx tsx bench/value.ts [--pglite|--postgres] [contacts] [orders]`
 * (default both backends; PostgreSQL 200,000 contacts and 2,000,000 orders, PGlite a tenth of
 * that; the issue's goal is stated for 1,000,000 and 10,000,000 on PostgreSQL). On a fresh
 * database each time (PostgreSQL `rapport_bench_value`, dropped at the end; PGlite in a temp dir):
 * - generates contacts and orders set-based (generate_series; a skewed customer choice so a
 *   few customers buy often, 4% cancelled, two currencies);
 * - the full recompute (`recomputeAllValues`), against the raw aggregation it cannot beat
 *   (one GROUP BY over the purchases into a temp table);
 * - an incoming order: statements in its transaction and p50/p95 of insert + refresh, against
 *   the bare insert;
 * - the matrix service (`matrix`): p50/p95 over 100 calls, against its three GROUP BY queries
 *   sent as raw SQL;
 * - the signed intake over HTTP (real sockets, 8 clients, at most 20 s or 4,000 orders):
 *   orders/s, against raw inserts of the same order and intake rows with 8 clients;
 * - the plan of the intake's idempotency lookup (must be an index scan).
 * The load average is printed at the start and at the end of each backend's run.
 */
import { createHmac } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import pg from "pg";
import type { AgentActor } from "../apps/server/src/auth/actor.ts";
import { withActor } from "../apps/server/src/context.ts";
import { type Database, migrate, openPglite, openPostgres } from "../apps/server/src/db/client.ts";
import { createShop } from "../apps/server/src/modules/orders/intake.ts";
import { recomputeAllValues, refreshContactValues } from "../apps/server/src/modules/value/value.refresh.ts";
import { matrix } from "../apps/server/src/modules/value/value.service.ts";
import { startBenchApp } from "./app.ts";
import { fmt, load, stats } from "./measure.ts";

process.env.JOBS_ENABLED = "false";
const args = process.argv.slice(2);
const only = args.find((a) => a === "--pglite" || a === "--postgres");
const nums = args.filter((a) => /^\d+$/.test(a)).map(Number);
const DB = "rapport_bench_value";
const server = process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432";
const url = `${server}/${DB}`;
const log = (...xs: unknown[]) => console.log(...xs);
const loadAvg = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(" / ");

async function adminQuery(q: string) {
  const c = new pg.Client({ connectionString: `${server}/postgres` });
  await c.connect();
  try {
    await c.query(q);
  } finally {
    await c.end();
  }
}

const secs = (t0: number) => (performance.now() - t0) / 1000;
const rowsOf = <T>(r: unknown) => (r as { rows: T[] }).rows;

async function measure(
  backend: string,
  database: Database,
  contacts: number,
  orderCount: number,
  dataDir: string,
) {
  const out: string[] = [];
  const row = (what: string, n: number | string, p50: string, p95: string, raw: string, ratio: string) =>
    out.push(`| ${backend} | ${what} | ${n} | ${p50} | ${p95} | ${raw} | ${ratio} |`);
  log(`\n${backend}: load average ${loadAvg()} at the start`);
  await migrate(database);
  const db = database.db;
  let t0 = performance.now();
  await db.execute(
    sql`insert into contacts (name) select 'Customer ' || g from generate_series(1, ${contacts}) g`,
  );
  await db.execute(sql`create table bench_ids as select row_number() over () as rn, id from contacts`);
  await db.execute(sql`create index on bench_ids (rn)`);
  const genContacts = secs(t0);
  t0 = performance.now();
  const chunk = 500_000;
  for (let done = 0; done < orderCount; done += chunk) {
    const n = Math.min(chunk, orderCount - done);
    await db.execute(sql`insert into orders (contact_id, number, placed_at, status, currency, total_minor)
      select b.id, 'B' || s.g, now() - make_interval(secs => floor(random() * 730 * 86400)),
        case when random() < 0.04 then 'cancelled' else 'delivered' end,
        case when random() < 0.1 then 'USD' else 'VND' end,
        1000 + floor(random() * 2000000)::bigint
      from (select g, 1 + floor(power(random(), 1.6) * ${contacts})::int as rn
        from generate_series(${done + 1}::int, ${done + n}::int) g) s
      join bench_ids b on b.rn = s.rn`);
  }
  await db.execute(sql`analyze`);
  const genOrders = secs(t0);
  const [spread] = rowsOf<{ buyers: number; top: number }>(
    await db.execute(sql`select count(*)::int as buyers, max(n)::int as top
      from (select contact_id, count(*) as n from orders group by contact_id) x`),
  );
  log(
    `${backend}: ${contacts} contacts, ${orderCount} orders (generated in ${fmt(genContacts)} s + ${fmt(genOrders)} s); ${spread?.buyers} customers with orders, the busiest has ${spread?.top}`,
  );
  await db.execute(sql`update value_settings set base_currency = 'VND', rates = '{"USD": 254.0}'::jsonb`);

  // Full recompute vs the raw aggregation.
  t0 = performance.now();
  const full = await recomputeAllValues(db, new Date());
  const fullS = secs(t0);
  t0 = performance.now();
  await db.transaction(async (tx) => {
    await tx.execute(sql`create temp table bench_raw on commit drop as
      select contact_id, count(*) as n, max(placed_at) as last_at, sum(total_minor) as m
      from orders where status not in ('cancelled', 'refunded') group by contact_id`);
  });
  const rawFullS = secs(t0);
  row(
    `full recompute (${full.customers} customers, ${full.changed} segment changes), s`,
    1,
    fmt(fullS),
    "—",
    fmt(rawFullS),
    fmt(fullS / rawFullS, 2),
  );

  // Incoming order: insert + the one refresh statement, vs the bare insert.
  const ids = rowsOf<{ id: string }>(
    await db.execute(sql`select id from bench_ids order by random() limit 200`),
  ).map((r) => r.id);
  const incMs: number[] = [];
  const rawMs: number[] = [];
  let statements = 0;
  for (const id of ids) {
    let s = performance.now();
    await db.transaction(async (tx) => {
      const before = database.stats.queries;
      await tx.execute(sql`insert into orders (contact_id, number, placed_at, status, currency, total_minor)
        values (${id}, 'inc', now(), 'paid', 'VND', 150000)`);
      await refreshContactValues(tx, [id], new Date());
      statements = Math.max(statements, database.stats.queries - before);
    });
    incMs.push(performance.now() - s);
    s = performance.now();
    await db.transaction(async (tx) => {
      await tx.execute(sql`insert into orders (contact_id, number, placed_at, status, currency, total_minor)
        values (${id}, 'raw', now(), 'paid', 'VND', 150000)`);
    });
    rawMs.push(performance.now() - s);
  }
  const inc = stats(incMs);
  const rawInc = stats(rawMs);
  row(
    `incoming order, ${statements} statements (insert + refresh), ms`,
    inc.n,
    fmt(inc.p50),
    fmt(inc.p95),
    `${fmt(rawInc.p50)} / ${fmt(rawInc.p95)}`,
    fmt(inc.p95 / rawInc.p95, 2),
  );

  const app = await startBenchApp(database, url, dataDir);
  const [admin] = rowsOf<{ id: string; name: string; email: string }>(
    await db.execute(sql`insert into users (name, email, password_hash, role)
      values ('Bench Admin', 'bench-admin@example.test', 'x', 'admin') returning id, name, email`),
  );
  if (!admin) throw new Error("no admin");
  const actor: AgentActor = {
    kind: "agent",
    userId: admin.id,
    role: "admin",
    name: admin.name,
    email: admin.email,
    locale: "en",
    teamIds: [],
    via: "token",
  };
  const ctx = withActor(app.services, actor);
  const m = stats(
    (
      await load(
        async () => {
          await matrix(ctx);
        },
        { count: 100, maxMs: 60_000, warmup: 3 },
      )
    ).durations,
  );
  const mRaw = stats(
    (
      await load(
        async () => {
          await database.query("select * from value_settings where id = 1");
          await database.query(
            "select r_score, f_score, count(*)::int from customer_values where r_score is not null group by 1, 2",
          );
          await database.query(
            "select segment, count(*)::int from customer_values where purchases > 0 group by 1",
          );
          await database.query("select * from rfm_snapshots order by quarter, segment");
        },
        { count: 100, maxMs: 60_000, warmup: 3 },
      )
    ).durations,
  );
  row(
    "matrix (service), ms",
    m.n,
    fmt(m.p50),
    fmt(m.p95),
    `${fmt(mRaw.p50)} / ${fmt(mRaw.p95)}`,
    fmt(m.p95 / mRaw.p95, 2),
  );

  const shop = await createShop(ctx, { name: "Bench shop" });
  const plan = await database.query<{ "QUERY PLAN": string }>(
    `explain select id from orders where coalesce(shop_id, '00000000-0000-0000-0000-000000000000'::uuid) = $1::uuid and external_id = 'x'`,
    [shop.id],
  );
  log(`${backend}: the intake's idempotency lookup: ${plan.map((p) => p["QUERY PLAN"].trim()).join(" | ")}`);
  const intakeUrl = `${app.base}${new URL(shop.intakeUrl).pathname}`;
  let failures = 0;
  const send = async (i: number, email: string) => {
    const body = JSON.stringify({
      id: `bench-${i}-${Math.random().toString(36).slice(2)}`,
      placedAt: new Date().toISOString(),
      status: "paid",
      currency: "VND",
      totalMinor: 250_000,
      customer: { email },
      items: [{ sku: "TEA", name: "Tea", quantity: 1, unitPriceMinor: 250_000 }],
    });
    const ts = String(Math.floor(Date.now() / 1000));
    const sig = createHmac("sha256", shop.secret).update(`${ts}.${body}`).digest("hex");
    const r = await fetch(intakeUrl, {
      method: "POST",
      body,
      headers: {
        "content-type": "application/json",
        "x-rapport-signature": `sha256=${sig}`,
        "x-rapport-timestamp": ts,
      },
    });
    await r.arrayBuffer();
    if (r.status !== 200) failures++;
  };
  const cpu0 = process.cpuUsage();
  const intake = await load((i) => send(i, `buyer${Math.abs(i) % 2000}@example.test`), {
    count: 4000,
    maxMs: 20_000,
    concurrency: 8,
    warmup: 20,
  });
  const cpu = process.cpuUsage(cpu0);
  // Load-robust figures: statements of one intake call (a new and a known customer) and the
  // process's CPU per call (server and the load generator share the process).
  const counted = async (email: string) => {
    const before = database.stats.queries;
    await send(-1, email);
    return database.stats.queries - before;
  };
  const newCustomer = await counted(`fresh-${Date.now()}@example.test`);
  const knownCustomer = await counted("buyer1@example.test");
  log(
    `${backend}: one intake call: ${newCustomer} statements for a new customer, ${knownCustomer} for a known one; CPU ${fmt((cpu.user + cpu.system) / 1000 / (intake.durations.length + 20))} ms per call (server + client, one process)`,
  );
  await app.app.close();
  const target = rowsOf<{ id: string }>(await db.execute(sql`select id from bench_ids limit 1`))[0]?.id;
  const raw = await load(
    async (i) => {
      await db.transaction(async (tx) => {
        await tx.execute(sql`insert into order_intake (shop_id, signature_hash, raw_body, received_at)
          values (${shop.id}, ${`raw-${i}-${Math.random()}`}, '{}', now())`);
        await tx.execute(sql`insert into orders (contact_id, shop_id, external_id, number, placed_at, status, currency, total_minor)
          values (${target}, ${shop.id}, ${`raw-${i}-${Math.random()}`}, 'r', now(), 'paid', 'VND', 250000)`);
      });
    },
    { count: 4000, maxMs: 20_000, concurrency: 8, warmup: 20 },
  );
  const ins = stats(intake.durations);
  const rate = intake.durations.length / (intake.wallMs / 1000);
  const rawRate = raw.durations.length / (raw.wallMs / 1000);
  const rr = stats(raw.durations);
  row(
    `signed intake over HTTP, 8 clients, ms (orders/s: ${fmt(rate)} vs raw ${fmt(rawRate)}; ${failures} failures)`,
    ins.n,
    fmt(ins.p50),
    fmt(ins.p95),
    `${fmt(rr.p50)} / ${fmt(rr.p95)}`,
    `${fmt(rate / rawRate, 2)} (throughput)`,
  );
  log(`${backend}: load average ${loadAvg()} at the end`);
  for (const r of out) log(r);
  return out;
}

async function main() {
  const out: string[] = [];
  if (only !== "--pglite") {
    await adminQuery(`drop database if exists ${DB} with (force)`);
    await adminQuery(`create database ${DB}`);
    const database = openPostgres(url, { max: 10 });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rapport-bench-value-"));
    try {
      out.push(...(await measure("PostgreSQL", database, nums[0] ?? 200_000, nums[1] ?? 2_000_000, dir)));
    } finally {
      await database.close();
      fs.rmSync(dir, { recursive: true, force: true });
      await adminQuery(`drop database if exists ${DB} with (force)`);
    }
  }
  if (only !== "--postgres") {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rapport-bench-value-"));
    const database = await openPglite({ dir: path.join(dir, "db") });
    try {
      out.push(...(await measure("PGlite", database, nums[0] ?? 20_000, nums[1] ?? 200_000, dir)));
    } finally {
      await database.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  log(
    "\n| backend | measure | n | p50 | p95 | raw SQL p50 / p95 | ratio (p95 / raw p95) |\n|---|---|---|---|---|---|---|",
  );
  for (const r of out) log(r);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
