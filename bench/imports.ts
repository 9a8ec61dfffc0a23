/**
 * CSV import benchmark (issue 7): `flock /tmp/rapport-bench.lock npx tsx bench/imports.ts [rows]`.
 * Builds a CSV of N contacts (default 100,000: Vietnamese, Khmer and Tamil names, emails,
 * national phone numbers, an organization column, tags and two custom fields), then on a
 * fresh PGlite and a fresh PostgreSQL database measures: upload + parse, the dry run, and
 * the all-or-nothing import through the same service the CLI and the API call. The raw-SQL
 * baseline inserts the same number of contacts, emails and phones with INSERT ... SELECT
 * generate_series (no parsing, no checks): the database's own floor for this write.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { SYSTEM } from "../apps/server/src/auth/actor.ts";
import { loadConfig } from "../apps/server/src/config.ts";
import { withActor } from "../apps/server/src/context.ts";
import { type Database, migrate, openPglite, openPostgres } from "../apps/server/src/db/client.ts";
import { customFieldDefinitions } from "../apps/server/src/modules/fields/fields.table.ts";
import { dryRunImport, runImport, uploadImport } from "../apps/server/src/modules/imports/imports.service.ts";
import { createServices } from "../apps/server/src/services.ts";

const N = Number(process.argv[2] ?? 100_000);
const DB = "rapport_bench_imports";
const base = process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432";
const log = (...xs: unknown[]) => console.log(...xs);

function buildCsv(n: number): Buffer {
  const family = ["Nguyễn", "Trần", "Lê", "Phạm", "Sok", "Chan", "Murugan", "Subramaniam", "Võ", "Đặng"];
  const given = [
    "Thị Hương",
    "Văn An",
    "Dara",
    "Sreymom",
    "Kavitha",
    "Arun",
    "Minh Khôi",
    "Bopha",
    "Lakshmi",
    "Quang",
  ];
  const orgs = Array.from({ length: 200 }, (_, i) => `Company ${i}`);
  const lines = ["Full name,E-mail,Phone,Company,Tags,Tier,Score,Notes"];
  for (let i = 0; i < n; i++) {
    const name = `${family[i % 10]} ${given[(i * 7) % 10]} ${i}`;
    const phone = `09${String(10_000_000 + i).padStart(8, "0")}`;
    const notes = i % 5 === 0 ? `"Met at the fair, said ""call me"" in ${2020 + (i % 6)}"` : "";
    lines.push(
      `${name},customer${i}@example.vn,${phone},${orgs[i % 200]},vip;wholesale,${i % 3 ? "silver" : "gold"},${i % 1000},${notes}`,
    );
  }
  return Buffer.from(`${lines.join("\n")}\n`);
}

async function measure(backend: string, database: Database, csv: Buffer, dataDir: string) {
  await migrate(database);
  const services = createServices(
    loadConfig({ ...process.env, RAPPORT_DATA_DIR: dataDir, LOG_LEVEL: "silent" }),
    database,
  );
  const ctx = withActor(services, SYSTEM);
  await database.db.insert(customFieldDefinitions).values([
    {
      entity: "contact",
      key: "tier",
      type: "select",
      label: "Tier",
      required: true,
      options: [
        { value: "gold", label: "Gold" },
        { value: "silver", label: "Silver" },
      ],
    },
    { entity: "contact", key: "score", type: "number", label: "Score", position: 1 },
  ]);
  const t0 = performance.now();
  const up = await uploadImport(ctx, { entity: "contact", filename: "bench.csv", data: csv });
  const t1 = performance.now();
  const opts = { mapping: up.mapping, defaultCountry: "VN" };
  const dry = await dryRunImport(ctx, up.id, opts);
  const t2 = performance.now();
  if (dry.errorCount) throw new Error(`unexpected errors: ${JSON.stringify(dry.errors.slice(0, 3))}`);
  const run = await runImport(ctx, up.id, opts);
  const t3 = performance.now();
  const r = {
    backend,
    rows: run.inserted,
    uploadMs: t1 - t0,
    dryRunMs: t2 - t1,
    runMs: t3 - t2,
    rowsPerSec: Math.round(run.inserted / ((t3 - t2) / 1000)),
  };
  // Baseline: the same number of rows written by the database alone.
  const b0 = performance.now();
  await database.db.transaction(async (tx) => {
    await tx.execute(`insert into contacts (id, name, search_name, custom_fields, tags)
      select gen_random_uuid(), 'Baseline ' || g, 'baseline ' || g, '{"tier":"gold","score":1}'::jsonb, '{vip}'
      from generate_series(1, ${N}) g`);
    await tx.execute(`insert into contact_emails (contact_id, email, is_primary)
      select id, 'b' || substr(id::text, 1, 13) || '@baseline.test', true from contacts where name like 'Baseline %'`);
    await tx.execute(`insert into contact_phones (contact_id, phone, is_primary)
      select id, '+8490' || substr(md5(id::text), 1, 7), true from contacts where name like 'Baseline %'`);
  });
  const baselineMs = performance.now() - b0;
  return { ...r, baselineMs, ratio: (t3 - t2) / baselineMs };
}

async function main() {
  const csv = buildCsv(N);
  log(
    `CSV: ${N} rows, ${(csv.length / 1e6).toFixed(1)} MB; machine: ${os.cpus().length} cores; load ${os
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(" ")}`,
  );
  const results = [];

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rapport-bench-imports-"));
  const lite = await openPglite({ dir: path.join(dir, "pglite") });
  try {
    results.push(await measure("PGlite", lite, csv, dir));
  } finally {
    await lite.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }

  const admin = new pg.Client({ connectionString: `${base}/postgres` });
  await admin.connect();
  await admin.query(`drop database if exists ${DB} with (force)`);
  await admin.query(`create database ${DB}`);
  const pgdb = openPostgres(`${base}/${DB}`, { max: 4 });
  const dir2 = fs.mkdtempSync(path.join(os.tmpdir(), "rapport-bench-imports-"));
  try {
    results.push(await measure("PostgreSQL", pgdb, csv, dir2));
  } finally {
    await pgdb.close();
    await admin.query(`drop database if exists ${DB} with (force)`);
    await admin.end();
    fs.rmSync(dir2, { recursive: true, force: true });
  }

  log(
    "\n| backend | rows | upload+parse | dry run | import (all-or-nothing) | rows/s | raw SQL baseline | ratio |",
  );
  log("|---|---|---|---|---|---|---|---|");
  for (const r of results)
    log(
      `| ${r.backend} | ${r.rows} | ${(r.uploadMs / 1000).toFixed(1)} s | ${(r.dryRunMs / 1000).toFixed(1)} s | ${(r.runMs / 1000).toFixed(1)} s | ${r.rowsPerSec} | ${(r.baselineMs / 1000).toFixed(1)} s | ${r.ratio.toFixed(1)}x |`,
    );
  log(
    `load after: ${os
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(" ")}`,
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
