/**
 * Email ingestion benchmark (issue 4): `npx tsx bench/email.ts [--pglite] [--quick]`.
 * SMTP ingestion into tickets over real sockets (nodemailer -> the built-in SMTP
 * receiver -> raw stored -> job -> parsed -> ticket), with 1 and 16 concurrent senders
 * and 5 KB and 500 KB messages, against a baseline that only parses the same messages.
 * `--imap`: IMAP ingestion instead: 1,000 small emails waiting in a throwaway Dovecot mailbox
 * (scripts/dovecot-test.sh) fetched and turned into tickets; rate from the poller's start to
 * the last ticket committed.
 * Latency: from the sender's SMTP `250` to the moment the ticket's row is committed
 * and readable (what the API serves), sampled every 10 ms. Bounded in count and time.
 */
import { execFileSync, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { sql } from "drizzle-orm";
import { ImapFlow } from "imapflow";
import nodemailer from "nodemailer";
import pg from "pg";
import { loadConfig } from "../apps/server/src/config.ts";
import { type Database, migrate, openPglite, openPostgres } from "../apps/server/src/db/client.ts";
import { startWorker } from "../apps/server/src/jobs/worker.ts";
import { parseEmail } from "../apps/server/src/modules/email/email.parse.ts";
import { emailJobHandlers, startEmailChannel } from "../apps/server/src/modules/email/email.runtime.ts";
import { moduleJobHandlers } from "../apps/server/src/modules/registry.ts";
import { createServices } from "../apps/server/src/services.ts";

const args = new Set(process.argv.slice(2));
const usePglite = args.has("--pglite");
const quick = args.has("--quick");
const url = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/rapport_bench_email";
const LIMIT = { count5k: quick ? 150 : 1000, count500k: quick ? 30 : 150, maxMs: quick ? 15_000 : 40_000 };

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? Number.NaN;
};

function message(kb: number, i: number): { raw: string; id: string } {
  const id = `<bench-${i}-${randomUUID()}@customer.test>`;
  const para = "Xin chào, the printer on floor 3 is jammed again and shows error E-42. ";
  const body = para.repeat(Math.ceil((kb * 1024 * 0.3) / para.length));
  const attach =
    kb > 50
      ? Buffer.alloc(Math.floor(kb * 1024 * 0.7 * 0.75), 7)
          .toString("base64")
          .replace(/.{76}/g, "$&\r\n")
      : "";
  const raw = [
    `From: "Customer ${i}" <customer${i % 500}@customer.test>`,
    "To: support@bench.test",
    `Subject: Printer problem number ${i}`,
    `Message-ID: ${id}`,
    "MIME-Version: 1.0",
    'Content-Type: multipart/mixed; boundary="b"',
    "",
    "--b",
    "Content-Type: text/plain; charset=utf-8",
    "",
    body,
    ...(attach
      ? [
          "--b",
          'Content-Type: application/pdf; name="scan.pdf"',
          "Content-Transfer-Encoding: base64",
          "",
          attach,
        ]
      : ["--b", "Content-Type: text/html; charset=utf-8", "", `<p>${body.slice(0, kb * 1024 * 0.6)}</p>`]),
    "--b--",
    "",
  ].join("\r\n");
  return { raw, id };
}

/**
 * The load generator runs in a child process (`--sender <port> <kb> <senders> <count> <maxMs>`),
 * as a real sender would be another machine: the server process's CPU is then its own.
 * It prints one line per accepted message: `<Message-ID> <epoch ms of the 250>`.
 */
async function runSender(argv: string[]) {
  const [port, kb, senders, count, maxMs] = argv.map(Number) as [number, number, number, number, number];
  const msgs = Array.from({ length: count }, (_, i) => message(kb, i));
  const start = Date.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: senders }, async () => {
      const t = nodemailer.createTransport({
        host: "127.0.0.1",
        port,
        pool: true,
        maxConnections: 1,
        maxMessages: Number.POSITIVE_INFINITY,
        ignoreTLS: true,
      });
      while (next < msgs.length && Date.now() - start < maxMs) {
        const m = msgs[next++];
        if (!m) break;
        await t.sendMail({
          envelope: { from: "bench@customer.test", to: ["support@bench.test"] },
          raw: m.raw,
        });
        process.stdout.write(`${m.id} ${Date.now()}\n`);
      }
      t.close();
    }),
  );
}

if (process.argv[2] === "--sender") {
  await runSender(process.argv.slice(3));
  process.exit(0);
}

/** Starts the sender child; resolves with each accepted message's 250 time, once it exits. */
function spawnSenders(port: number, kb: number, senders: number, count: number) {
  const args = [port, kb, senders, count, LIMIT.maxMs].map(String);
  const child = spawn(
    process.execPath,
    ["--import", "tsx", fileURLToPath(import.meta.url), "--sender", ...args],
    {
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  const okAt = new Map<string, number>();
  let buf = "";
  child.stdout.on("data", (d: Buffer) => {
    buf += d.toString();
    const lines = buf.split("\n");
    buf = lines.pop() ?? "";
    for (const l of lines) {
      const [id, at] = l.split(" ");
      if (id && at) okAt.set(id, Number(at));
    }
  });
  return new Promise<Map<string, number>>((resolve, reject) =>
    child.on("exit", (code) => (code === 0 ? resolve(okAt) : reject(new Error(`sender exited ${code}`)))),
  );
}

async function openDb(): Promise<Database> {
  if (usePglite) {
    const db = await openPglite();
    await migrate(db);
    return db;
  }
  const admin = new pg.Client({ connectionString: new URL("/postgres", url).toString() });
  await admin.connect();
  const name = new URL(url).pathname.slice(1);
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.query(`create database ${name}`);
  await admin.end();
  const db = openPostgres(url, { max: 20 });
  await migrate(db);
  return db;
}

const CLK_TCK = 100; // Linux USER_HZ: /proc/<pid>/stat counts CPU time in 1/100 s

/** CPU time (ms) used so far by each PostgreSQL backend serving the bench database (Linux /proc). */
async function backendCpu(database: Database): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  if (usePglite) return out;
  const r = await database.db.execute(
    sql`select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`,
  );
  for (const { pid } of (r as unknown as { rows: Array<{ pid: number }> }).rows) {
    try {
      const f = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
      out.set(pid, ((Number(f[11]) + Number(f[12])) * 1000) / CLK_TCK);
    } catch {
      // the backend ended meanwhile
    }
  }
  return out;
}

const PROCESSED_SINCE = `select message_id_header, processed_at from inbound_emails
  where status = 'processed' and processed_at >= $1`;

/**
 * Polls every 10 ms which stored emails have been processed into tickets, reporting each
 * Message-ID once with the time it was first seen. Only rows processed lately (5 s overlap:
 * processed_at is set before the commit), so the poll's cost does not grow with the table.
 */
async function pollProcessed(
  query: (since: string) => Promise<Array<{ message_id_header: string; processed_at: Date | string }>>,
  seen: (id: string, at: number) => void,
  stopped: () => boolean,
) {
  const reported = new Set<string>();
  let since = new Date(0);
  while (!stopped()) {
    const rows = await query(new Date(since.getTime() - 5000).toISOString());
    const now = Date.now();
    for (const row of rows) {
      if (!reported.has(row.message_id_header)) {
        reported.add(row.message_id_header);
        seen(row.message_id_header, now);
      }
      const at = new Date(row.processed_at);
      if (at > since) since = at;
    }
    await new Promise((res) => setTimeout(res, 10));
  }
}

/**
 * The watcher child (`--watch <database url>`): prints its PostgreSQL backend's pid, then
 * `<Message-ID> <epoch ms>` for each processed email, until its stdin closes.
 */
async function runWatcher(dbUrl: string) {
  const client = new pg.Client({ connectionString: dbUrl });
  await client.connect();
  const pid = (await client.query<{ pid: number }>("select pg_backend_pid() as pid")).rows[0]?.pid;
  process.stdout.write(`pid ${pid}\n`);
  let stop = false;
  process.stdin.on("close", () => {
    stop = true;
  });
  process.stdin.resume();
  await pollProcessed(
    async (since) => (await client.query(PROCESSED_SINCE, [since])).rows,
    (id, at) => process.stdout.write(`${id} ${at}\n`),
    () => stop,
  );
  await client.end();
}

if (process.argv[2] === "--watch") {
  await runWatcher(process.argv[3] ?? "");
  process.exit(0);
}

/**
 * Which stored emails have been processed into tickets (Message-ID -> first seen). On
 * PostgreSQL the polling runs in a child process with its own connection, as the senders do,
 * so the server process's CPU is its own (at 120 msg/s the poll decodes about 600 rows every
 * 10 ms); its backend is left out of the PostgreSQL CPU. On PGlite (in memory) it runs here.
 */
async function watchProcessed(database: Database) {
  const visibleAt = new Map<string, number>();
  const ignoredBackends = new Set<number>();
  if (usePglite) {
    let stopPoll = false;
    const poll = pollProcessed(
      async (since) =>
        (
          (await database.db.execute(
            sql`select message_id_header, processed_at from inbound_emails
                where status = 'processed' and processed_at >= ${since}`,
          )) as unknown as { rows: Array<{ message_id_header: string; processed_at: Date }> }
        ).rows,
      (id, at) => visibleAt.set(id, at),
      () => stopPoll,
    );
    return {
      visibleAt,
      ignoredBackends,
      stop: async () => {
        stopPoll = true;
        await poll;
      },
    };
  }
  const child = spawn(process.execPath, ["--import", "tsx", fileURLToPath(import.meta.url), "--watch", url], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  let buf = "";
  let ready: () => void = () => {};
  const started = new Promise<void>((r) => {
    ready = r;
  });
  child.stdout.on("data", (d: Buffer) => {
    buf += d.toString();
    const lines = buf.split("\n");
    buf = lines.pop() ?? "";
    for (const l of lines) {
      const [id, at] = l.split(" ");
      if (id === "pid") {
        ignoredBackends.add(Number(at));
        ready();
      } else if (id && at) visibleAt.set(id, Number(at));
    }
  });
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  await started;
  return {
    visibleAt,
    ignoredBackends,
    stop: async () => {
      child.stdin.end();
      await exited;
    },
  };
}

/** CPU of this process and the database backends per message, from two samples. */
async function cpuMeter(database: Database, ignoredBackends: Set<number> = new Set()) {
  const pgBefore = await backendCpu(database);
  const cpuBefore = process.cpuUsage();
  const queriesBefore = database.stats.queries;
  return async (messages: number) => {
    const cpu = process.cpuUsage(cpuBefore);
    const queries = database.stats.queries - queriesBefore;
    const pgAfter = await backendCpu(database);
    let pgCpuMs = 0;
    for (const [pid, ms] of pgAfter) if (!ignoredBackends.has(pid)) pgCpuMs += ms - (pgBefore.get(pid) ?? 0);
    return {
      nodeCpuMs: (cpu.user + cpu.system) / 1000 / Math.max(1, messages),
      pgCpuMs: pgCpuMs / Math.max(1, messages),
      // Every statement the server process sent (receiver, worker, its claims and heartbeats).
      statements: queries / Math.max(1, messages),
    };
  };
}

/**
 * IMAP: `count` small emails already waiting in a Dovecot mailbox when the poller starts (the
 * backlog after a mail server outage, or a newly connected mailbox); rate = count / (last ticket
 * committed - poller started). Every module loaded, as in the SMTP scenarios.
 */
async function imapScenario(count: number) {
  const script = fileURLToPath(new URL("../scripts/dovecot-test.sh", import.meta.url));
  const dove = Object.fromEntries(
    execFileSync(script, ["start"], { encoding: "utf8" })
      .trim()
      .split(/\s+/)
      .map((kv) => kv.split("=") as [string, string]),
  );
  const auth = { user: dove.DOVECOT_USER ?? "", pass: dove.DOVECOT_PASSWORD ?? "" };
  const port = Number(dove.DOVECOT_PORT);
  try {
    const client = new ImapFlow({ host: "127.0.0.1", port, secure: false, auth, logger: false });
    await client.connect();
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const m = message(2, i);
      ids.push(m.id);
      await client.append("INBOX", m.raw);
    }
    await client.logout();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rapport-bench-imap-"));
    const database = await openDb();
    const config = loadConfig({ RAPPORT_DATA_DIR: dir, LOG_LEVEL: "silent" });
    const services = createServices(config, database);
    await database.db.execute(
      sql`insert into mailboxes (address, display_name, ack_enabled, inbound, imap_host, imap_port, imap_tls, imap_user, imap_password, imap_poll_seconds)
          values ('support@bench.test', 'Bench', false, 'imap', '127.0.0.1', ${port}, false, ${auth.user}, ${auth.pass}, 300)`,
    );
    const worker = await startWorker(
      services,
      { ...emailJobHandlers, ...moduleJobHandlers() },
      { concurrency: 8 },
    );
    const seen = await watchProcessed(database);
    const meter = await cpuMeter(database, seen.ignoredBackends);
    const start = Date.now();
    const channel = await startEmailChannel(services, { smtp: false, imap: true });
    const deadline = Date.now() + 120_000;
    while (seen.visibleAt.size < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const cpu = await meter(seen.visibleAt.size);
    await seen.stop();
    const elapsed = (Math.max(...seen.visibleAt.values()) - start) / 1000;
    await channel.stop();
    await worker.stop();
    await database.close();
    fs.rmSync(dir, { recursive: true, force: true });
    const lat = ids
      .map((id) => (seen.visibleAt.get(id) ?? Number.NaN) - start)
      .filter((x) => !Number.isNaN(x));
    return {
      count,
      ticketed: seen.visibleAt.size,
      rate: seen.visibleAt.size / elapsed,
      p50: pct(lat, 50),
      ...cpu,
    };
  } finally {
    execFileSync(script, ["stop", dove.DOVECOT_DIR ?? ""]);
  }
}

/**
 * The email batch handler with a record of each batch (size, start and end): how full the
 * worker's batches are and how much of the run they overlap is load-robust, unlike msg/s.
 */
function tracedHandlers() {
  const batches: Array<{ size: number; start: number; end: number }> = [];
  const inbound = emailJobHandlers["email.inbound"];
  const batch = inbound?.batch;
  if (!inbound || !batch) throw new Error("no email.inbound batch handler");
  const handlers = {
    ...emailJobHandlers,
    "email.inbound": {
      ...inbound,
      batch: {
        ...batch,
        run: async (ctx: Parameters<typeof batch.run>[0], jobs: Parameters<typeof batch.run>[1]) => {
          const start = Date.now();
          try {
            await batch.run(ctx, jobs);
          } finally {
            batches.push({ size: jobs.length, start, end: Date.now() });
          }
        },
      },
    },
  };
  const summary = () => {
    if (batches.length === 0) return "no batches";
    const sizes = batches.map((b) => b.size);
    const ms = batches.map((b) => b.end - b.start);
    const first = Math.min(...batches.map((b) => b.start));
    const last = Math.max(...batches.map((b) => b.end));
    const busy = ms.reduce((a, b) => a + b, 0);
    return `${batches.length} batches, size p50 ${pct(sizes, 50)} max ${Math.max(...sizes)}, ${(sizes.reduce((a, b) => a + b, 0) / batches.length).toFixed(1)} per batch; batch time p50 ${pct(ms, 50)} ms p95 ${pct(ms, 95)} ms; batches running on average ${(busy / Math.max(1, last - first)).toFixed(2)}`;
  };
  return { handlers, summary };
}

async function scenario(kb: number, senders: number) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rapport-bench-email-"));
  const database = await openDb();
  const config = loadConfig({ RAPPORT_DATA_DIR: dir, LOG_LEVEL: "silent", SMTP_RATE_PER_MINUTE: "1000000" });
  const services = createServices(config, database);
  await database.exec(
    "insert into mailboxes (address, display_name, ack_enabled) values ('support@bench.test', 'Bench', false)",
  );
  // Every module is loaded, as `rapport start` runs them: the ticket hooks of SLA, routing,
  // triggers and webhooks run on each ingested email.
  const traced = tracedHandlers();
  const worker = await startWorker(
    services,
    { ...traced.handlers, ...moduleJobHandlers() },
    { concurrency: 8 },
  );
  const channel = await startEmailChannel(services, { smtpPort: 0, imap: false });
  const count = kb > 50 ? LIMIT.count500k : LIMIT.count5k;
  const seen = await watchProcessed(database);
  const visibleAt = seen.visibleAt;
  const meter = await cpuMeter(database, seen.ignoredBackends);
  const start = Date.now();
  const okAt = await spawnSenders(channel.smtpPort ?? 0, kb, senders, count);
  const sent = okAt.size;
  const deadline = Date.now() + 120_000;
  while (visibleAt.size < sent && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  const cpu = await meter(visibleAt.size);
  await seen.stop();
  const elapsed = (Math.max(...visibleAt.values()) - start) / 1000;
  const lat = [...okAt]
    .map(([id, t]) => (visibleAt.get(id) ?? Number.NaN) - t)
    .filter((x) => !Number.isNaN(x));
  // Baseline: parse the same messages, nothing stored.
  const pStart = Date.now();
  let parsed = 0;
  for (const m of Array.from({ length: sent }, (_, i) => message(kb, i))) {
    await parseEmail(Buffer.from(m.raw));
    parsed++;
  }
  const parseRate = parsed / ((Date.now() - pStart) / 1000);
  await channel.stop();
  await worker.stop();
  await database.close();
  fs.rmSync(dir, { recursive: true, force: true });
  return {
    kb,
    senders,
    sent,
    ticketed: visibleAt.size,
    rate: visibleAt.size / elapsed,
    parseRate,
    p50: pct(lat, 50),
    p95: pct(lat, 95),
    batches: traced.summary(),
    // CPU per ticketed message: this process (SMTP receiver + worker) and the PostgreSQL backends.
    ...cpu,
  };
}

if (args.has("--imap")) {
  const r = await imapScenario(quick ? 200 : 1000);
  console.log(
    `${usePglite ? "pglite" : "postgres"} IMAP, ${r.count} small emails waiting: ${r.ticketed}/${r.count} tickets, ${r.rate.toFixed(1)} msg/s into tickets; p50 ${r.p50} ms after the poller started; CPU per message: node ${r.nodeCpuMs.toFixed(1)} ms, postgres ${r.pgCpuMs.toFixed(1)} ms`,
  );
  process.exit(0);
}

// `--only 5x16` runs one scenario (for profiling).
const only = process.argv.find((a, i) => process.argv[i - 1] === "--only");
const rows = [];
for (const [kb, senders] of [
  [5, 1],
  [5, 16],
  [500, 1],
  [500, 16],
] as const) {
  if (only && only !== `${kb}x${senders}`) continue;
  const r = await scenario(kb, senders);
  rows.push(r);
  console.log(
    `${usePglite ? "pglite" : "postgres"} ${kb} KB x ${senders} senders: ${r.ticketed}/${r.sent} tickets, ${r.rate.toFixed(1)} msg/s into tickets; parse-only ${r.parseRate.toFixed(1)} msg/s (${((100 * r.rate) / r.parseRate).toFixed(0)}%); 250 -> visible p50 ${r.p50} ms, p95 ${r.p95} ms; CPU per message: node ${r.nodeCpuMs.toFixed(1)} ms, postgres ${r.pgCpuMs.toFixed(1)} ms; ${r.statements.toFixed(2)} statements per message; ${r.batches}`,
  );
}
