import { type ChildProcess, execFile, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { sender } from "../modules/email/email.testkit.ts";
import { is, WsClient } from "../realtime/ws-client.ts";
import type { Json } from "../test/factories.ts";
import { until } from "../test/until.ts";

/**
 * Rapport rides out PostgreSQL restarts (issue 14, item 8). A private throwaway cluster (never
 * the shared server) is restarted twice with `pg_ctl -m fast restart` while about 600 emails
 * arrive over SMTP and visitors chat; then stopped for a moment to see the answers given while
 * it is down. The real server process (bin/rapport.mjs start) must stay up, and every message
 * it acknowledged (SMTP 250, chat `ack`) must become exactly one ticket or message.
 *
 * PostgreSQL only: the postgres project runs *.postgres.test.ts, the pglite project does not (an
 * embedded database has no server to restart). It needs the server binaries (pg_ctl, initdb) of
 * Debian's PostgreSQL 15+, which `.ci/run` installs; without them it fails and says so.
 */
const BIN = path.resolve(import.meta.dirname, "../../bin/rapport.mjs");
const PG_BIN = ["17", "16", "15"]
  .map((v) => `/usr/lib/postgresql/${v}/bin`)
  .find((d) => fs.existsSync(path.join(d, "pg_ctl")));
const run = promisify(execFile);
const EMAILS = 600;
const SENDERS = 8;
const VISITORS = 3;
const PAGE = "https://shop.example";

/** A PostgreSQL cluster of its own in a temp dir; as root, its commands run as `postgres` (initdb refuses root). */
async function privateCluster(bin: string) {
  const asRoot = process.getuid?.() === 0;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rapport-pg-"));
  if (asRoot) fs.chownSync(dir, Number((await run("id", ["-u", "postgres"])).stdout), 0);
  const port = await freePort();
  const pgCmd = (cmd: string, args: string[]) =>
    asRoot
      ? run("runuser", ["-u", "postgres", "--", path.join(bin, cmd), ...args])
      : run(path.join(bin, cmd), args);
  const data = path.join(dir, "data");
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60`;
  const ctl = (...args: string[]) =>
    pgCmd("pg_ctl", ["-D", data, "-l", path.join(dir, "log"), "-w", ...args]);
  await pgCmd("initdb", ["-D", data, "-U", "postgres", "-A", "trust", "--no-sync"]);
  await ctl("-o", options, "start");
  return {
    url: (db: string) => `postgres://postgres@127.0.0.1:${port}/${db}`,
    restart: () => ctl("-m", "fast", "-o", options, "restart"),
    stop: () => ctl("-m", "fast", "stop"),
    start: () => ctl("-o", options, "start"),
    destroy: async () => {
      await ctl("-m", "immediate", "stop").catch(() => undefined);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

const children: ChildProcess[] = [];
const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
  for (const c of cleanups.reverse()) await c();
  WsClient.terminateAll();
});

async function startServer(env: Record<string, string>) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "rapport-restart-"));
  cleanups.push(async () => fs.rmSync(dataDir, { recursive: true, force: true }));
  const child = spawn(process.execPath, [BIN, "start"], {
    env: {
      ...process.env,
      PORT: "0",
      SMTP_PORT: "0",
      IMAP_ENABLED: "false",
      RAPPORT_DATA_DIR: dataDir,
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let out = "";
  child.stdout?.on("data", (d) => {
    out += d;
  });
  child.stderr?.on("data", (d) => {
    out += d;
  });
  const ports = await until(async () => {
    if (child.exitCode !== null) throw new Error(`server exited:\n${out}`);
    const http = /Rapport is running on (http:\/\/[^ "]+)/.exec(out)?.[1];
    const smtp = /SMTP receiver on [\d.]+:(\d+)/.exec(out)?.[1];
    return http && smtp ? { http, smtp: Number(smtp) } : undefined;
    // A cold start took up to 150 s at load 20 beside the browser tests (email.crash.test.ts).
  }, 300_000);
  return { child, ...ports, output: () => out };
}

async function http(
  base: string,
  method: string,
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const res = await fetch(`${base}${url.startsWith("/widget") ? "" : "/api/v1"}${url}`, {
    method,
    headers: { ...(body ? { "content-type": "application/json" } : {}), ...headers },
    body: body ? JSON.stringify(body) : undefined,
  });
  const json: Json = await res.json().catch(() => null);
  return { status: res.status, headers: res.headers, body: json };
}

/** A chat visitor on the widget socket: sends one message at a time and waits for its ack or error. */
async function visitor(base: string, key: string, token: string) {
  const ws = new WebSocket(`${base.replace("http", "ws")}/widget/ws?key=${key}`, {
    headers: { origin: PAGE },
  });
  const waiting = new Map<string, (f: Json) => void>();
  let ready: (() => void) | undefined;
  ws.on("message", (d) => {
    const f = JSON.parse(d.toString());
    if (f.type === "ready") ready?.();
    if (f.clientId) waiting.get(f.clientId)?.(f);
  });
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("error", reject);
  });
  await new Promise<void>((resolve) => {
    ready = resolve;
    ws.send(JSON.stringify({ type: "auth", token }));
  });
  return {
    ws,
    say: (clientId: string, text: string) =>
      new Promise<Json>((resolve) => {
        const timer = setTimeout(() => resolve({ type: "timeout" }), 20_000);
        waiting.set(clientId, (f) => {
          clearTimeout(timer);
          waiting.delete(clientId);
          resolve(f);
        });
        ws.send(JSON.stringify({ type: "message", clientId, text }));
      }),
  };
}

describe("PostgreSQL restarts under load", () => {
  it("keeps the process up and turns every acknowledged email and chat message into exactly one ticket or message", async () => {
    if (!PG_BIN)
      throw new Error("PostgreSQL server binaries not found under /usr/lib/postgresql/{15,16,17}/bin");
    const cluster = await privateCluster(PG_BIN);
    cleanups.push(cluster.destroy);
    const admin = new pg.Client({ connectionString: cluster.url("postgres") });
    await admin.connect();
    await admin.query("create database rapport");
    await admin.end();
    // The test's own reader reconnects after each restart, as the server must.
    const read = async <T = Json>(text: string) => {
      const c = new pg.Client({ connectionString: cluster.url("rapport") });
      c.on("error", () => undefined);
      await c.connect();
      try {
        return (await c.query(text)).rows as T[];
      } finally {
        await c.end();
      }
    };

    const server = await startServer({
      DATABASE_URL: cluster.url("rapport"),
      LOG_LEVEL: "info",
      JOBS_POLL_MS: "200",
      SMTP_RATE_PER_MINUTE: "100000",
      RATE_LIMIT_LOGIN_PER_MINUTE: "1000",
      RATE_LIMIT_PUBLIC_PER_MINUTE: "100000",
      RATE_LIMIT_API_PER_MINUTE: "100000",
      CHAT_VISITOR_MESSAGES_PER_MINUTE: "100000",
      CHAT_SITE_MESSAGES_PER_MINUTE: "100000",
    });
    const base = server.http;
    const setup = await http(base, "POST", "/setup", {
      organization: { name: "Restart Co", timeZone: "UTC", defaultLanguage: "en" },
      admin: { name: "Admin", email: "admin@restart.test", password: "correct-horse-battery" },
    });
    expect(setup.status).toBe(201);
    const login = await http(base, "POST", "/auth/login", {
      email: "admin@restart.test",
      password: "correct-horse-battery",
    });
    const cookie = /rapport_session=[^;]+/.exec(login.headers.get("set-cookie") ?? "")?.[0] ?? "";
    const auth = { cookie, "x-csrf-token": login.body?.csrfToken as string };
    const mailbox = await http(
      base,
      "POST",
      "/email/mailboxes",
      { address: "support@restart.test", displayName: "Support", ackEnabled: false },
      auth,
    );
    expect(mailbox.status).toBe(201);
    const site = await http(
      base,
      "POST",
      "/chat/sites",
      {
        name: "Shop",
        allowedOrigins: [PAGE],
        appearance: { color: "#0055aa", position: "right", greeting: { en: "Hi!" } },
        languages: ["en"],
        prechat: { enabled: false, fields: [], required: [], topics: [] },
        hours: null,
        teamId: null,
        active: true,
      },
      auth,
    );
    expect(site.status).toBe(201);
    const visitors = await Promise.all(
      Array.from({ length: VISITORS }, async () => {
        const s = await http(base, "POST", "/widget/api/session", {
          key: site.body.key,
          pageOrigin: PAGE,
          locale: "en",
        });
        expect(s.status).toBe(200);
        return visitor(base, site.body.key, s.body.token);
      }),
    );
    // An agent's live socket: the hub's onReconnect must tell it to resync after each restart.
    const agent = await WsClient.connect(`${base.replace("http", "ws")}/api/v1/ws`, { cookie });
    await agent.next(is("hello"));

    /** The agent hears `resync` once the LISTEN connection is back; a dead server is reported with its output. */
    const resynced = () =>
      agent.next(is("resync"), 60_000).catch((e) => {
        const status = server.child.exitCode ?? server.child.signalCode;
        throw new Error(
          `${e.message}\nserver: ${status === null ? "running" : `exited (${status})`}\n${server.output().slice(-3000)}`,
        );
      });

    // ---- load: emails over SMTP (retried on 4xx like an MTA) and chat messages, with two restarts
    const acked = new Set<number>();
    const smtpAnswers = { tempFailures: 0, dropped: 0 };
    const restarts: Array<{ at: number; ms: number }> = [];
    let secondRestartBegun = false;
    let next = 0;
    const sendOne = async (n: number) => {
      for (let attempt = 0; attempt < 600; attempt++) {
        if (n >= EMAILS - 100) await until(async () => secondRestartBegun, 120_000);
        try {
          const info = await sender(server.smtp).sendMail({
            from: `customer${n % 50}@example.com`,
            to: "support@restart.test",
            subject: `Restart mail ${n}`,
            text: `Body of mail ${n}`,
            messageId: `<restart-${n}@example.com>`,
          });
          if (/^250/.test(info.response)) {
            acked.add(n);
            return;
          }
        } catch (e) {
          const code = (e as { responseCode?: number }).responseCode;
          if (code && code >= 500) throw e;
          if (code) smtpAnswers.tempFailures++;
          else smtpAnswers.dropped++;
          await new Promise((r) => setTimeout(r, 100));
        }
      }
    };
    const emailing = Promise.all(
      Array.from({ length: SENDERS }, async () => {
        while (next < EMAILS) await sendOne(next++);
      }),
    );
    let emailsDone = false;
    void emailing.finally(() => {
      emailsDone = true;
    });
    const chatAcked: string[] = [];
    const chatRefused: string[] = [];
    const chatting = Promise.all(
      visitors.map(async (v, i) => {
        for (let k = 0; !emailsDone; k++) {
          const text = `chat ${i}-${k}`;
          const f = await v.say(`${i}-${k}`, text);
          if (f.type === "ack") chatAcked.push(text);
          else {
            chatRefused.push(`${text}: ${f.code ?? f.type}`);
            await new Promise((r) => setTimeout(r, 100));
          }
        }
      }),
    );
    const restart = async () => {
      const at = acked.size;
      const started = Date.now();
      await cluster.restart();
      restarts.push({ at, ms: Date.now() - started });
      await resynced();
    };
    await until(async () => acked.size >= 150, 120_000);
    await restart();
    await until(async () => acked.size >= 350, 120_000);
    secondRestartBegun = true;
    await restart();
    await emailing;
    await chatting;

    // ---- while the database is down: HTTP answers 503 with Retry-After, SMTP 451
    await cluster.stop();
    const down = await http(base, "GET", "/tickets?limit=1", undefined, { cookie });
    expect(down.status).toBe(503);
    expect(down.body.error.code).toBe("unavailable");
    expect(Number(down.headers.get("retry-after"))).toBeGreaterThan(0);
    const refused = await sender(server.smtp)
      .sendMail({ from: "late@example.com", to: "support@restart.test", subject: "While down", text: "x" })
      .then(
        () => 250,
        (e) => (e as { responseCode?: number }).responseCode,
      );
    expect(refused).toBe(451);
    await cluster.start();
    await resynced();
    await until(
      async () => (await http(base, "GET", "/tickets?limit=1", undefined, { cookie })).status === 200,
    );

    // ---- every acknowledged message is there, exactly once
    const ticketCounts = await until(async () => {
      const rows = await read<{ subject: string; n: number }>(
        "select subject, count(*)::int as n from tickets where subject like 'Restart mail %' group by subject",
      );
      const got = new Map(rows.map((r) => [r.subject, r.n]));
      return [...acked].every((n) => got.has(`Restart mail ${n}`)) ? got : undefined;
    }, 120_000);
    const missing = [...acked].filter((n) => ticketCounts.get(`Restart mail ${n}`) !== 1);
    expect(missing).toEqual([]);
    expect([...ticketCounts.values()].every((n) => n === 1)).toBe(true);
    const failed = await read("select status, error from inbound_emails where status = 'failed'");
    expect(failed).toEqual([]);
    const chatRows = await read<{ body_text: string; n: number }>(
      "select body_text, count(*)::int as n from messages where body_text like 'chat %' group by body_text",
    );
    const chatCounts = new Map(chatRows.map((r) => [r.body_text, r.n]));
    expect(chatAcked.filter((text) => chatCounts.get(text) !== 1)).toEqual([]);

    // ---- the process stayed up and logged no unhandled error
    expect(server.child.exitCode).toBeNull();
    expect(server.output()).not.toMatch(/unhandled|uncaught/i);
    console.info(
      `restarts ${JSON.stringify(restarts)}; emails acknowledged ${acked.size}/${EMAILS}, ` +
        `tickets ${ticketCounts.size}, temporary SMTP failures ${smtpAnswers.tempFailures}, ` +
        `dropped connections ${smtpAnswers.dropped}; chat acknowledged ${chatAcked.length}, ` +
        `refused ${chatRefused.length}`,
    );
    expect(acked.size).toBe(EMAILS);
    server.child.kill("SIGTERM");
    await until(async () => server.child.exitCode !== null || server.child.signalCode !== null, 30_000);
  }, 900_000);
});
