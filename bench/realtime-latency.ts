/**
 * Realtime latency (issue 3): how long after POST /tickets/:id/messages is accepted does a
 * connected agent's websocket receive the message frame?
 *
 *   npx tsx bench/realtime-latency.ts [--messages 200] [--postgres <url>] [--processes 2]
 *
 * Starts real server processes (`rapport start`, the CLI, as a separate Node process each) on
 * a fresh database: an embedded PGlite data dir in a temp folder, or with --postgres a fresh
 * database created on that server. With --processes 2 (PostgreSQL only) the API calls go to
 * process A and the agent's socket is connected to process B, so every frame crosses NOTIFY
 * between processes. Messages are sent one at a time (no load: this is the latency of one
 * event through the pipeline, not a throughput test).
 */
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { WsClient } from "../apps/server/src/realtime/ws-client.ts";
import { fmt, stats } from "./measure.ts";

const argv = process.argv.slice(2);
const arg = (name: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
const MESSAGES = Number(arg("messages") ?? 200);
const PG_URL = arg("postgres");
const PROCESSES = Number(arg("processes") ?? 1);
if (PROCESSES > 1 && !PG_URL) throw new Error("--processes 2 needs --postgres (PGlite is one process)");
const ROOT = path.resolve(import.meta.dirname, "..");

async function freshPostgres(url: string) {
  const name = `rapport_rt_latency_${process.pid}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.query(`create database ${name}`);
  await admin.end();
  const u = new URL(url);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: async () => {
      const a = new pg.Client({ connectionString: url });
      await a.connect();
      await a.query(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}

/** Starts `rapport start` as its own process and resolves with its base URL once it listens. */
function startServer(env: Record<string, string>): Promise<{ child: ChildProcess; base: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "apps/server/src/cli.ts", "start"], {
      cwd: ROOT,
      env: { ...process.env, HOST: "127.0.0.1", PORT: "0", LOG_LEVEL: "info", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    const onData = (b: Buffer) => {
      out += b.toString();
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

async function http(
  base: string,
  method: string,
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const res = await fetch(`${base}/api/v1${url}`, {
    method,
    headers: { ...(body ? { "content-type": "application/json" } : {}), ...headers },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (res.status >= 400) throw new Error(`${method} ${url}: ${res.status} ${text}`);
  return { res, body: text ? JSON.parse(text) : null };
}

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "rapport-rt-latency-"));
  const db = PG_URL ? await freshPostgres(PG_URL) : undefined;
  const servers: ChildProcess[] = [];
  try {
    const env: Record<string, string> = {
      RAPPORT_DATA_DIR: dataDir,
      RATE_LIMIT_API_PER_MINUTE: "100000",
      // The email channel's listeners are not part of this measurement (and two processes would share a port).
      SMTP_ENABLED: "false",
      IMAP_ENABLED: "false",
      ...(db ? { DATABASE_URL: db.url } : {}),
    };
    const a = await startServer(env);
    servers.push(a.child);
    const b = PROCESSES > 1 ? await startServer(env) : a;
    if (b !== a) servers.push(b.child);

    await http(a.base, "POST", "/setup", {
      organization: { name: "Bench", timeZone: "UTC", defaultLanguage: "en" },
      admin: { name: "Bench Admin", email: "bench@example.com", password: "bench-password-1" },
    });
    const login = await http(a.base, "POST", "/auth/login", {
      email: "bench@example.com",
      password: "bench-password-1",
    });
    const cookie = /rapport_session=[^;]+/.exec(login.res.headers.get("set-cookie") ?? "")?.[0] ?? "";
    const created = await http(
      a.base,
      "POST",
      "/api-tokens",
      { name: "bench" },
      { cookie, "x-csrf-token": login.body.csrfToken },
    );
    const auth = { authorization: `Bearer ${created.body.token}` };
    const ticket = await http(
      a.base,
      "POST",
      "/tickets",
      { subject: "Latency", requester: { email: "c@example.com", name: "C" }, message: { body: "hi" } },
      auth,
    );

    const ws = await WsClient.connect(`${b.base.replace("http", "ws")}/api/v1/ws`, auth);
    const hello = await ws.next((f) => f.type === "hello");
    // Tell the server this client is not resuming, so it does not hold live frames for a replay.
    if (hello.type === "hello") ws.send({ type: "resume", since: hello.seq });
    const arrivals = new Map<string, number>();
    ws.socket.on("message", (data) => {
      const at = performance.now();
      const f = JSON.parse(data.toString());
      if (f.type === "message") arrivals.set(f.message.id, at);
    });

    const afterResponse: number[] = [];
    const afterRequest: number[] = [];
    let beforeResponse = 0;
    for (let i = 0; i < MESSAGES; i++) {
      const sent = performance.now();
      const res = await http(
        a.base,
        "POST",
        `/tickets/${ticket.body.id}/messages`,
        { body: `Message ${i}`, internal: true },
        auth,
      );
      const accepted = performance.now();
      const id: string = res.body.id;
      while (!arrivals.has(id)) await new Promise((r) => setTimeout(r, 1));
      const at = arrivals.get(id) ?? accepted;
      if (at < accepted) beforeResponse++;
      afterResponse.push(Math.max(0, at - accepted));
      afterRequest.push(at - sent);
    }
    ws.socket.terminate();

    const s = stats(afterResponse);
    const r = stats(afterRequest);
    const setup = `${db ? "PostgreSQL" : "PGlite"}, ${PROCESSES} process${PROCESSES > 1 ? "es (API on A, socket on B)" : ""}`;
    console.log(
      `realtime latency, ${MESSAGES} messages, ${setup}, load ${os
        .loadavg()
        .map((x) => fmt(x, 2))
        .join(" ")}`,
    );
    console.log(
      `  response -> frame: p50 ${fmt(s.p50)} ms, p95 ${fmt(s.p95)} ms, max ${fmt(s.max)} ms (${beforeResponse} frames arrived before the response: counted as 0)`,
    );
    console.log(`  request sent -> frame: p50 ${fmt(r.p50)} ms, p95 ${fmt(r.p95)} ms, max ${fmt(r.max)} ms`);
  } finally {
    for (const child of servers) child.kill("SIGTERM");
    await Promise.all(
      servers.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once("exit", r)))),
    );
    await db?.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
