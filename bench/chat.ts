/**
 * Chat widget at scale (issue 5): one server process holds 10,000 open visitor websockets;
 * with 1,000 chats active, how long does a visitor's message take to reach the agent's
 * websocket (visitor frame sent -> agent `message` frame received)? And what does an open
 * visitor connection cost in server memory (RSS delta / connections)?
 *
 *   npx tsx bench/chat.ts [--connections 10000] [--chats 1000] [--rounds 3] [--rate 100 | --rates 10,20,40]
 *                         [--postgres <url>] [--probe] [--cpu-prof <dir>] [--node-flags "<flags>"]
 *                         [--server-log <file>]
 *
 * --rates runs the message phase once per rate on the same server (each --rounds rounds).
 * --probe loads bench/realtime-probe.ts into the server: its event-loop stalls and long GC
 * pauses are listed next to the slow messages. --cpu-prof writes the server's V8 CPU profile.
 *
 * Starts `rapport start` as its own process (PGlite in a temp dir, or a fresh database on
 * the given PostgreSQL server), listening on 127.0.0.1. The widget's per-site and per-address
 * limits are raised through their environment variables (one client address opens every
 * socket). Messages are paced at --rate per second across the active chats. Bounded: every
 * phase has a deadline and the whole run stops after 12 minutes.
 */
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import pg from "pg";
import WebSocket from "ws";
import { fmt, stats } from "./measure.ts";

const argv = process.argv.slice(2);
const arg = (name: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
const CONNECTIONS = Number(arg("connections") ?? 10_000);
const CHATS = Math.min(CONNECTIONS, Number(arg("chats") ?? 1000));
const ROUNDS = Number(arg("rounds") ?? 3);
const RATES = (arg("rates") ?? arg("rate") ?? "100").split(",").map(Number);
const PROBE = argv.includes("--probe");
const CPU_PROF = arg("cpu-prof");
/** Extra Node.js flags for the server process (e.g. "--max-semi-space-size=32 --trace-gc"). */
const NODE_FLAGS = arg("node-flags") ?? "";
/** Where the server's stdout and stderr go in full (else only their tail, on failure). */
const SERVER_LOG = arg("server-log");
const PG_URL = arg("postgres");
const AGENTS = Math.max(1, Math.ceil(CHATS / 50));
const ROOT = path.resolve(import.meta.dirname, "..");
const ORIGIN = "http://shop.bench.local";
const LIMIT_MIN = 10 + 2 * RATES.length;
const DEADLINE = Date.now() + LIMIT_MIN * 60_000;
const left = () => DEADLINE - Date.now();
const PROBE_FILE = path.join(os.tmpdir(), `rapport-chat-probe-${process.pid}.jsonl`);

setTimeout(() => {
  console.error(`bench: ${LIMIT_MIN}-minute limit reached, stopping`);
  process.exit(2);
}, LIMIT_MIN * 60_000).unref();

async function freshPostgres(url: string) {
  const name = `rapport_chat_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.query(`create database ${name}`);
  const version =
    (await admin.query<{ v: string }>("select current_setting('server_version') as v")).rows[0]?.v.split(
      " ",
    )[0] ?? "?";
  await admin.end();
  const u = new URL(url);
  u.pathname = `/${name}`;
  return {
    name,
    version,
    url: u.toString(),
    drop: async () => {
      const a = new pg.Client({ connectionString: url });
      await a.connect();
      await a.query(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}

/** `rapport start` in its own process, with the open-files limit raised in its shell. */
function startServer(env: Record<string, string>): Promise<{ child: ChildProcess; base: string }> {
  return new Promise((resolve, reject) => {
    const flags = [
      ...(PROBE ? ["--import ./bench/realtime-probe.ts"] : []),
      ...(CPU_PROF ? [`--cpu-prof --cpu-prof-dir=${path.resolve(CPU_PROF)}`] : []),
      NODE_FLAGS,
    ].join(" ");
    const cmd = `ulimit -n $(ulimit -Hn) 2>/dev/null; exec "${process.execPath}" --import tsx ${flags} apps/server/src/cli.ts start`;
    const child = spawn("sh", ["-c", cmd], {
      cwd: ROOT,
      env: { ...process.env, HOST: "127.0.0.1", PORT: "0", LOG_LEVEL: "info", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    const onData = (b: Buffer) => {
      if (SERVER_LOG) fs.appendFileSync(SERVER_LOG, b);
      out = (out + b.toString()).slice(-20_000);
      const m =
        /running on (http:\/\/[\d.:]+)/.exec(out) ?? /listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m?.[1]) resolve({ child, base: m[1] });
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => reject(new Error(`server exited (${code}):\n${out.slice(-2000)}`)));
    setTimeout(
      () => reject(new Error(`server did not start in 120 s:\n${out.slice(-2000)}`)),
      120_000,
    ).unref();
  });
}

/** Resident memory of a process (kB -> bytes), from /proc. */
function rss(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024;
}

async function http(
  base: string,
  method: string,
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const res = await fetch(`${base}${url}`, {
    method,
    headers: { ...(body ? { "content-type": "application/json" } : {}), ...headers },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (res.status >= 400) throw new Error(`${method} ${url}: ${res.status} ${text}`);
  return { res, body: text ? JSON.parse(text) : null };
}

async function pool<T>(n: number, concurrency: number, fn: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array(n);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        if (left() < 30_000) throw new Error("out of time");
        const i = next++;
        out[i] = await fn(i);
      }
    }),
  );
  return out;
}

const loadNow = () =>
  os
    .loadavg()
    .map((x) => fmt(x, 2))
    .join(" ");

type DbSample = { at: number; ours: number; others: number; waits: string[]; checkpoints: number };

/**
 * Samples PostgreSQL every 100 ms (--probe): active backends in the bench's database and in the
 * others (the machine is shared), lock waits with their statements, and the checkpoint count.
 */
function sampleDatabase(url: string, dbName: string) {
  const samples: DbSample[] = [];
  const client = new pg.Client({ connectionString: url });
  let stopped = false;
  const done = (async () => {
    await client.connect();
    while (!stopped) {
      const t = Date.now();
      const a = await client.query<{ datname: string | null; wait: string | null; q: string }>(
        `select datname, wait_event_type || ':' || wait_event as wait, left(regexp_replace(query, '\\s+', ' ', 'g'), 70) as q
           from pg_stat_activity where state = 'active' and pid <> pg_backend_pid() and backend_type = 'client backend'`,
      );
      const c = await client.query<{ n: string }>(
        "select (checkpoints_timed + checkpoints_req)::text as n from pg_stat_bgwriter",
      );
      const ours = a.rows.filter((r) => r.datname === dbName);
      samples.push({
        at: t,
        ours: ours.length,
        others: a.rows.length - ours.length,
        waits: ours
          .filter((r) => r.wait?.startsWith("Lock") || r.wait?.startsWith("LWLock"))
          .map((r) => `${r.wait} ${r.q}`),
        checkpoints: Number(c.rows[0]?.n ?? 0),
      });
      await new Promise((r) => setTimeout(r, Math.max(0, 100 - (Date.now() - t))));
    }
    await client.end();
  })().catch(() => undefined);
  return {
    samples,
    stop: async () => {
      stopped = true;
      await done;
    },
  };
}

type Visitor = { ws: WebSocket; token: string; acks: Map<string, () => void> };

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "rapport-chat-bench-"));
  const db = PG_URL ? await freshPostgres(PG_URL) : undefined;
  let server: ChildProcess | undefined;
  const visitors: Visitor[] = [];
  try {
    const big = "100000000";
    const s = await startServer({
      RAPPORT_DATA_DIR: dataDir,
      RATE_LIMIT_API_PER_MINUTE: big,
      RATE_LIMIT_PUBLIC_PER_MINUTE: big,
      RATE_LIMIT_LOGIN_PER_MINUTE: big,
      CHAT_SITE_SESSIONS_PER_MINUTE: big,
      CHAT_SITE_MESSAGES_PER_MINUTE: big,
      CHAT_IP_REQUESTS_PER_MINUTE: big,
      CHAT_VISITOR_MESSAGES_PER_MINUTE: "600",
      SMTP_ENABLED: "false",
      IMAP_ENABLED: "false",
      ...(PROBE ? { RAPPORT_PROBE_FILE: PROBE_FILE } : {}),
      ...(db ? { DATABASE_URL: db.url } : {}),
    });
    server = s.child;
    const base = s.base;
    // The server is the shell's exec'd child: same pid.
    const pid = s.child.pid ?? 0;

    await http(base, "POST", "/api/v1/setup", {
      organization: { name: "Bench", timeZone: "UTC", defaultLanguage: "en" },
      admin: { name: "Bench Admin", email: "bench@example.com", password: "bench-password-1" },
    });
    const login = await http(base, "POST", "/api/v1/auth/login", {
      email: "bench@example.com",
      password: "bench-password-1",
    });
    const cookie = /rapport_session=[^;]+/.exec(login.res.headers.get("set-cookie") ?? "")?.[0] ?? "";
    const created = await http(
      base,
      "POST",
      "/api/v1/api-tokens",
      { name: "bench" },
      { cookie, "x-csrf-token": login.body.csrfToken },
    );
    const auth = { authorization: `Bearer ${created.body.token}` };
    // Online agents sharing the chats: enough of them, at 50 chats each, for every chat.
    await http(base, "PUT", "/api/v1/chat/settings", { maxChatsPerAgent: 50 }, auth);
    for (let i = 0; i < AGENTS; i++) {
      const u = await http(
        base,
        "POST",
        "/api/v1/users",
        {
          name: `Agent ${i}`,
          email: `agent${i}@example.com`,
          role: "agent",
          password: "agent-password-1",
          teamIds: [],
        },
        auth,
      );
      const l = await http(base, "POST", "/api/v1/auth/login", {
        email: `agent${i}@example.com`,
        password: "agent-password-1",
      });
      const c = /rapport_session=[^;]+/.exec(l.res.headers.get("set-cookie") ?? "")?.[0] ?? "";
      await http(
        base,
        "PUT",
        "/api/v1/chat/availability",
        { availability: "online" },
        { cookie: c, "x-csrf-token": l.body.csrfToken },
      );
      void u;
    }
    const site = await http(
      base,
      "POST",
      "/api/v1/chat/sites",
      {
        name: "Bench shop",
        allowedOrigins: [ORIGIN],
        appearance: { color: "#0055aa", position: "right", greeting: {} },
        languages: ["en"],
        prechat: { enabled: false, fields: [], required: [], topics: [] },
        hours: null,
        teamId: null,
        active: true,
      },
      auth,
    );
    const key: string = site.body.key;

    // The agent side: the admin's websocket sees every chat message.
    const arrivals = new Map<string, number>();
    let startsSeen = 0;
    let lastStartAt = 0;
    const agentWs = new WebSocket(`${base.replace("http", "ws")}/api/v1/ws`, { headers: auth });
    agentWs.on("message", (data) => {
      const at = performance.now();
      const f = JSON.parse(data.toString());
      if (f.type === "hello") agentWs.send(JSON.stringify({ type: "resume", since: f.seq }));
      if (f.type === "message") {
        const m = /\[b:([\d.]+:\d+)\]/.exec(f.message.bodyText);
        if (m?.[1]) arrivals.set(m[1], at);
        else if (f.message.bodyText.startsWith("Hello, I need help with order ")) {
          startsSeen++;
          lastStartAt = at;
        }
      }
    });
    await new Promise((r) => agentWs.once("open", r));

    await new Promise((r) => setTimeout(r, 2000));
    const rssBefore = rss(pid);
    const loadBefore = loadNow();
    const dbProbe = PROBE && db && PG_URL ? sampleDatabase(PG_URL, db.name) : undefined;

    // Phase 1: sessions and sockets.
    const t1 = performance.now();
    const tokens = await pool(CONNECTIONS, 32, async () => {
      const r = await http(base, "POST", "/widget/api/session", { key, pageOrigin: ORIGIN, locale: "en" });
      return r.body.token as string;
    });
    const tSessions = performance.now() - t1;
    const t2 = performance.now();
    await pool(CONNECTIONS, 100, async (i) => {
      const ws = new WebSocket(`${base.replace("http", "ws")}/widget/ws?key=${key}`, {
        headers: { origin: ORIGIN },
        perMessageDeflate: false,
      });
      const v: Visitor = { ws, token: tokens[i] ?? "", acks: new Map() };
      await new Promise<void>((resolve, reject) => {
        ws.once("error", reject);
        ws.on("message", (data) => {
          const f = JSON.parse(data.toString());
          if (f.type === "ready") resolve();
          if (f.type === "ack") v.acks.get(f.clientId)?.();
          if (f.type === "error" && f.clientId) {
            console.error(`visitor error: ${f.code} ${f.message}`);
            v.acks.get(f.clientId)?.();
          }
        });
        ws.once("open", () => ws.send(JSON.stringify({ type: "auth", token: v.token })));
      });
      visitors[i] = v;
    });
    const tSockets = performance.now() - t2;
    await new Promise((r) => setTimeout(r, 3000));
    const rssSockets = rss(pid);

    // Phase 2: 1,000 chats start (each a ticket, assigned to an agent).
    const send = (v: Visitor, id: string, text: string) =>
      new Promise<void>((resolve) => {
        v.acks.set(id, () => {
          v.acks.delete(id);
          resolve();
        });
        v.ws.send(JSON.stringify({ type: "message", clientId: id, text }));
      });
    const t3 = performance.now();
    await pool(CHATS, 8, (i) =>
      send(visitors[i] as Visitor, `start${i}`, `Hello, I need help with order ${i}`),
    );
    const tChats = performance.now() - t3;
    // The chats' first messages reach the agent socket after their acks: the message phase
    // starts once the fan-out has caught up (bounded), and how far it lagged is reported.
    const acked = performance.now();
    const catchUpBy = acked + 60_000;
    while (startsSeen < CHATS && performance.now() < catchUpBy) await new Promise((r) => setTimeout(r, 20));
    const lag =
      startsSeen >= CHATS ? `${fmt(Math.max(0, lastStartAt - acked))} ms` : `over 60 s (${startsSeen} seen)`;
    await new Promise((r) => setTimeout(r, 1000));

    const rssChats = rss(pid);
    const perConn = (rssSockets - rssBefore) / CONNECTIONS;
    const setup = db ? `PostgreSQL ${db.version} (127.0.0.1)` : "PGlite (embedded)";
    const lines = [
      `chat bench: ${CONNECTIONS} visitor websockets, ${CHATS} active chats, ${setup}, 1 server process, ${os.cpus().length} cores; load average before ${loadBefore}`,
      `  open: ${CONNECTIONS} sessions in ${fmt(tSessions / 1000)} s, ${CONNECTIONS} sockets in ${fmt(tSockets / 1000)} s; ${CHATS} chats started in ${fmt(tChats / 1000)} s; the agent socket had their first messages ${lag} after the last ack`,
      `  server RSS: ${fmt(rssBefore / 1048576)} MiB before, ${fmt(rssSockets / 1048576)} MiB with ${CONNECTIONS} sockets, ${fmt(rssChats / 1048576)} MiB with the chats; ${fmt(perConn / 1024)} KiB per connection (sessions + sockets)`,
    ];
    console.log(lines.join("\n"));
    lines.length = 0;

    // Phase 3: paced messages in the active chats, visitor -> agent round trip (once per rate).
    let k = 0;
    for (const [r, RATE] of RATES.entries()) {
      if (left() < 90_000) break;
      const rtt: number[] = [];
      const slow: Array<{ id: string; at: number; ms: number }> = [];
      let lost = 0;
      const interval = 1000 / RATE;
      const sentAt = new Map<string, number>();
      const clientLoop = monitorEventLoopDelay({ resolution: 5 });
      clientLoop.enable();
      const t4 = performance.now();
      let n = 0;
      for (let round = 0; round < ROUNDS; round++) {
        for (let i = 0; i < CHATS; i++) {
          if (left() < 60_000) break;
          const id = `${r}.${round}:${i}`;
          const due = t4 + n++ * interval;
          const wait = due - performance.now();
          if (wait > 0) await new Promise((res) => setTimeout(res, wait));
          sentAt.set(id, performance.now());
          (visitors[i] as Visitor).ws.send(
            JSON.stringify({ type: "message", clientId: `m${k++}`, text: `Still waiting [b:${id}]` }),
          );
        }
      }
      const tSent = performance.now() - t4;
      const waitUntil = performance.now() + 30_000;
      const arrived = () => [...sentAt.keys()].filter((id) => arrivals.has(id)).length;
      while (arrived() < sentAt.size && performance.now() < waitUntil)
        await new Promise((res) => setTimeout(res, 50));
      clientLoop.disable();
      for (const [id, at] of sentAt) {
        const got = arrivals.get(id);
        if (got === undefined) lost++;
        else {
          rtt.push(got - at);
          if (got - at > 100) slow.push({ id, at: performance.timeOrigin + at, ms: got - at });
        }
      }
      const tMessages = performance.now() - t4;
      const st = stats(rtt);
      const rssEnd = rss(pid);
      lines.push(
        `  ${sentAt.size} messages at ${RATE}/s (sent over ${fmt(tSent / 1000)} s): visitor -> agent round trip p50 ${fmt(st.p50)} ms, p95 ${fmt(st.p95)} ms, p99 ${fmt(st.p99)} ms, max ${fmt(st.max)} ms (n=${st.n}, lost ${lost}, ${slow.length} over 100 ms) over ${fmt(tMessages / 1000)} s; RSS after ${fmt(rssEnd / 1048576)} MiB`,
        `    bench client event loop: p99 ${fmt(clientLoop.percentile(99) / 1e6)} ms, max ${fmt(clientLoop.max / 1e6)} ms`,
      );
      if (PROBE && fs.existsSync(PROBE_FILE)) {
        const from = performance.timeOrigin + t4;
        const to = performance.timeOrigin + performance.now();
        await new Promise((res) => setTimeout(res, 600));
        const all = fs
          .readFileSync(PROBE_FILE, "utf8")
          .split("\n")
          .filter(Boolean)
          .map(
            (l) =>
              JSON.parse(l) as {
                k: string;
                at: number;
                id?: string;
                ms?: number;
                p99?: number;
                max?: number;
              },
          );
        const probe = all.filter((e) => !e.id && e.at >= from && e.at <= to);
        // Where the time went: client -> server socket, transaction (to the visitor's ack),
        // NOTIFY + fan-out (ack -> agent frame sent), agent frame -> client.
        const trace = new Map<string, Record<string, number>>();
        for (const e of all)
          if (e.id?.startsWith(`${r}.`)) trace.set(e.id, { ...trace.get(e.id), [e.k]: e.at });
        const segs: Record<string, number[]> = { in: [], tx: [], fanout: [], deliver: [] };
        const split = (id: string) => {
          const x = trace.get(id);
          const sent = sentAt.get(id);
          const got = arrivals.get(id);
          if (!x || x.in === undefined || x.ack === undefined || x.out === undefined || !sent || !got)
            return undefined;
          return {
            in: x.in - (performance.timeOrigin + sent),
            tx: x.ack - x.in,
            fanout: x.out - x.ack,
            deliver: performance.timeOrigin + got - x.out,
          };
        };
        for (const id of sentAt.keys()) {
          const sp = split(id);
          if (sp) for (const [k, v] of Object.entries(sp)) segs[k]?.push(v);
        }
        lines.push(
          `    server trace (n=${segs.in?.length}): ${Object.entries(segs)
            .map(([k, v]) => {
              const q = stats(v);
              return `${k} p50 ${fmt(q.p50)} / p99 ${fmt(q.p99)} / max ${fmt(q.max)} ms`;
            })
            .join("; ")}`,
        );
        const stalls = probe.filter((e) => e.k === "stall");
        const gcs = probe.filter((e) => e.k === "gc");
        const eld = probe.filter((e) => e.k === "eld");
        const sum = (xs: Array<{ ms?: number }>) => xs.reduce((a, e) => a + (e.ms ?? 0), 0);
        lines.push(
          `    server event loop: ${stalls.length} stalls over 40 ms (total ${sum(stalls)} ms, max ${Math.max(0, ...stalls.map((e) => e.ms ?? 0))} ms); ${gcs.length} GC pauses over 10 ms (total ${sum(gcs)} ms, max ${Math.max(0, ...gcs.map((e) => e.ms ?? 0))} ms); 5-s windows: delay p99 max ${fmt(Math.max(0, ...eld.map((e) => e.p99 ?? 0)))} ms`,
        );
        const rel = (at: number) => fmt((at - from) / 1000);
        const dbs = dbProbe?.samples.filter((x) => x.at >= from && x.at <= to) ?? [];
        if (dbs.length)
          lines.push(
            `    database: ${(dbs.at(-1)?.checkpoints ?? 0) - (dbs[0]?.checkpoints ?? 0)} checkpoints; active backends in the bench database avg ${fmt(dbs.reduce((a, x) => a + x.ours, 0) / dbs.length)}, max ${Math.max(...dbs.map((x) => x.ours))}; in other databases max ${Math.max(...dbs.map((x) => x.others))} (${dbs.filter((x) => x.others > 0).length} of ${dbs.length} samples)`,
          );
        for (const m of slow.sort((a, b) => a.at - b.at).slice(0, 40)) {
          const near = probe
            .filter((e) => e.k !== "eld" && e.at >= m.at - 200 && e.at <= m.at + m.ms)
            .map((e) => `${e.k} ${e.ms} ms @${rel(e.at)}`);
          const ds = dbs.filter((x) => x.at >= m.at && x.at <= m.at + m.ms);
          const dbNote = ds.length
            ? `db: ours max ${Math.max(...ds.map((x) => x.ours))}, others max ${Math.max(...ds.map((x) => x.others))}, checkpoint ${(ds.at(-1)?.checkpoints ?? 0) - (ds[0]?.checkpoints ?? 0)}${ds.flatMap((x) => x.waits).length ? `, waits: ${[...new Set(ds.flatMap((x) => x.waits))].slice(0, 3).join(" | ")}` : ""}`
            : "";
          const sp = split(m.id);
          const parts = sp
            ? `in ${fmt(sp.in)} + tx ${fmt(sp.tx)} + fan-out ${fmt(sp.fanout)} + deliver ${fmt(sp.deliver)}`
            : "no trace";
          lines.push(
            `      slow ${m.id} sent @${rel(m.at)} s (${new Date(m.at).toISOString().slice(11, 22)}): ${fmt(m.ms)} ms = ${parts}; ${near.join(", ") || "no stall"}; ${dbNote}`,
          );
        }
        lines.push(`    stalls: ${stalls.map((e) => `${e.ms}@${rel(e.at)}`).join(" ")}`);
      }
      console.log(lines.join("\n"));
      lines.length = 0;
    }
    await dbProbe?.stop();
    lines.push(`  load average after ${loadNow()}`);
    console.log(lines.join("\n"));
  } finally {
    for (const v of visitors) v?.ws.terminate();
    if (server) {
      server.kill("SIGTERM");
      await new Promise((r) => (server?.exitCode !== null ? r(null) : server.once("exit", r)));
    }
    await db?.drop().catch(() => undefined);
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(PROBE_FILE, { force: true });
  }
}

await main();
process.exit(0);
