/**
 * Customer value (issue 17): `npx tsx bench/value.ts [contacts] [orders]` (defaults 200000 and
 * 2000000; the goal is stated for 1,000,000 and 10,000,000). On a fresh PostgreSQL
 * database `rapport_bench_value` (dropped and recreated, dropped at the end):
 * - generates contacts and orders set-based (generate_series; a skewed customer choice so a
 *   few customers buy often, 4% cancelled or refunded, two currencies);
 * - the full recompute (`recomputeAllValues`): wall time;
 * - an incoming order: statements (drizzle's counter inside the transaction: the insert and the
 *   refresh) and the refresh's p50/p95 over 200 orders;
 * - the matrix endpoint's service (`matrix`): p50/p95 over 100 calls;
 * - the signed intake over HTTP (real sockets, 8 clients, 15 s or 6000 orders): orders/s.
 */
import { createHmac } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import pg from "pg";
import type { AgentActor } from "../apps/server/src/auth/actor.ts";
import { withActor } from "../apps/server/src/context.ts";
import { migrate, openPostgres } from "../apps/server/src/db/client.ts";
import { createShop } from "../apps/server/src/modules/orders/intake.ts";
import { refreshContactValues } from "../apps/server/src/modules/value/value.refresh.ts";
import { matrix } from "../apps/server/src/modules/value/value.service.ts";
import { startBenchApp } from "./app.ts";
import { fmt, load, stats } from "./measure.ts";

process.env.JOBS_ENABLED = "false";
const CONTACTS = Number(process.argv[2] ?? 200_000);
const ORDERS = Number(process.argv[3] ?? 2_000_000);
const DB = "rapport_bench_value";
const server = process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432";
const url = `${server}/${DB}`;

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

async function main() {
  await adminQuery(`drop database if exists ${DB} with (force)`);
  await adminQuery(`create database ${DB}`);
  const database = openPostgres(url, { max: 10 });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "rapport-bench-value-"));
  try {
    await migrate(database);
    const db = database.db;
    let t0 = performance.now();
    await db.execute(
      sql`insert into contacts (name) select 'Customer ' || g from generate_series(1, ${CONTACTS}) g`,
    );
    await db.execute(sql`create table bench_ids as select row_number() over () as rn, id from contacts`);
    await db.execute(sql`create index on bench_ids (rn)`);
    const genContacts = secs(t0);
    t0 = performance.now();
    const chunk = 1_000_000;
    for (let done = 0; done < ORDERS; done += chunk) {
      const n = Math.min(chunk, ORDERS - done);
      await db.execute(sql`insert into orders (contact_id, number, placed_at, status, currency, total_minor)
        select b.id, 'B' || s.g, now() - make_interval(secs => floor(random() * 730 * 86400)),
          case when random() < 0.04 then 'cancelled' else 'delivered' end,
          case when random() < 0.1 then 'USD' else 'VND' end,
          1000 + floor(random() * 2000000)::bigint
        from (select g, 1 + floor(power(random(), 1.6) * ${CONTACTS})::int as rn
          from generate_series(1, ${n}) g) s
        join bench_ids b on b.rn = s.rn`);
    }
    await db.execute(sql`analyze`);
    const genOrders = secs(t0);
    await db.execute(sql`update value_settings set base_currency = 'VND', rates = '{"USD": 254.0}'::jsonb`);

    const { recomputeAllValues } = await import("../apps/server/src/modules/value/value.refresh.ts");
    t0 = performance.now();
    const full = await recomputeAllValues(db, new Date());
    const fullS = secs(t0);

    // Incoming orders: the insert and the one refresh statement, in one transaction.
    const ids = (
      (await db.execute(sql`select id from bench_ids order by random() limit 200`)) as unknown as {
        rows: Array<{ id: string }>;
      }
    ).rows.map((r) => r.id);
    const refreshMs: number[] = [];
    let statements = 0;
    for (const id of ids) {
      await db.transaction(async (tx) => {
        const before = database.stats.queries;
        await tx.execute(sql`insert into orders (contact_id, number, placed_at, status, currency, total_minor)
          values (${id}, 'inc', now(), 'paid', 'VND', 150000)`);
        const s = performance.now();
        await refreshContactValues(tx, [id], new Date());
        refreshMs.push(performance.now() - s);
        statements = Math.max(statements, database.stats.queries - before);
      });
    }

    const app = await startBenchApp(database, url, dataDir);
    const [admin] = (
      (await db.execute(sql`insert into users (name, email, password_hash, role)
        values ('Bench Admin', 'bench-admin@example.test', 'x', 'admin') returning id, name, email`)) as unknown as {
        rows: Array<{ id: string; name: string; email: string }>;
      }
    ).rows;
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
    const m = await load(
      async () => {
        await matrix(ctx);
      },
      { count: 100, maxMs: 60_000, warmup: 3 },
    );

    const shop = await createShop(ctx, { name: "Bench shop" });
    const intakeUrl = `${app.base}${new URL(shop.intakeUrl).pathname}`;
    const emails = (
      (await db.execute(
        sql`select 'buyer' || g || '@example.test' as e from generate_series(1, 2000) g`,
      )) as unknown as {
        rows: Array<{ e: string }>;
      }
    ).rows.map((r) => r.e);
    let failures = 0;
    const intake = await load(
      async (i) => {
        const body = JSON.stringify({
          id: `bench-${i}-${Math.random().toString(36).slice(2)}`,
          placedAt: new Date().toISOString(),
          status: "paid",
          currency: "VND",
          totalMinor: 250_000,
          customer: { email: emails[Math.abs(i) % emails.length] },
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
      },
      { count: 6000, maxMs: 15_000, concurrency: 8, warmup: 20 },
    );
    await app.app.close();

    const r = stats(refreshMs);
    const ms = stats(m.durations);
    const ins = stats(intake.durations);
    const rate = intake.durations.length / (intake.wallMs / 1000);
    console.log(
      `contacts ${CONTACTS}, orders ${ORDERS} (generated in ${fmt(genContacts)} s + ${fmt(genOrders)} s)`,
    );
    console.log(
      `full recompute: ${fmt(fullS)} s for ${full.customers} customers (${full.changed} segment changes)`,
    );
    console.log(
      `incoming order: ${statements} statements in its transaction (insert + refresh); refresh p50 ${fmt(r.p50)} ms, p95 ${fmt(r.p95)} ms`,
    );
    console.log(`matrix: p50 ${fmt(ms.p50)} ms, p95 ${fmt(ms.p95)} ms, max ${fmt(ms.max)} ms (n=${ms.n})`);
    console.log(
      `intake: ${fmt(rate)} orders/s over ${intake.durations.length} calls, 8 clients; p50 ${fmt(ins.p50)} ms, p95 ${fmt(ins.p95)} ms; failures ${failures}`,
    );
  } finally {
    await database.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    await adminQuery(`drop database if exists ${DB} with (force)`);
  }
}

await main();
