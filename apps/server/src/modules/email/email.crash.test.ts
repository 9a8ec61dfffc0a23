import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Json } from "../../test/factories.ts";
import { createTestDatabase, TEST_BACKEND } from "../../test/harness.ts";
import { until } from "../../test/until.ts";
import { sender, startCapture } from "./email.testkit.ts";

/**
 * Crash safety with the real server process (bin/rapport.mjs start): a message
 * accepted with 250 by a server that is then killed (SIGKILL) before processing it
 * is processed exactly once by the next server.
 */
const BIN = path.resolve(import.meta.dirname, "../../../bin/rapport.mjs");
const children: ChildProcess[] = [];
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "rapport-crash-"));

async function startChild(env: Record<string, string>) {
  const child = spawn(process.execPath, [BIN, "start"], {
    env: {
      ...process.env,
      PORT: "0",
      SMTP_PORT: "0",
      IMAP_ENABLED: "false",
      LOG_LEVEL: "info",
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
    const http = /Rapport is running on (http:\/\/[^ "]+)/.exec(out)?.[1];
    const smtp = /SMTP receiver on [\d.]+:(\d+)/.exec(out)?.[1];
    return http && smtp ? { http, smtp: Number(smtp) } : undefined;
    // A cold start (tsx, every module, PGlite) took over 150 s at load 20 beside the browser tests.
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
  const res = await fetch(`${base}/api/v1${url}`, {
    method,
    headers: { ...(body ? { "content-type": "application/json" } : {}), ...headers },
    body: body ? JSON.stringify(body) : undefined,
  });
  const json: Json = await res.json().catch(() => null);
  return { status: res.status, headers: res.headers, body: json };
}

async function login(base: string) {
  const res = await http(base, "POST", "/auth/login", {
    email: "admin@crash.test",
    password: "correct-horse-battery",
  });
  const cookie = /rapport_session=[^;]+/.exec(res.headers.get("set-cookie") ?? "")?.[0] ?? "";
  return { cookie, "x-csrf-token": res.body?.csrfToken as string };
}

afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("crash between receipt and processing", () => {
  it("processes the accepted message exactly once after a restart", async () => {
    const env: Record<string, string> = {};
    let database: Awaited<ReturnType<typeof createTestDatabase>> | undefined;
    if (TEST_BACKEND === "postgres") {
      database = await createTestDatabase();
      env.DATABASE_URL = database.url ?? "";
    }
    const capture = await startCapture();
    try {
      // 1. A server that receives but whose worker does not run (it will be killed first).
      const a = await startChild({ ...env, JOBS_ENABLED: "false" });
      const setup = await http(a.http, "POST", "/setup", {
        organization: { name: "Crash Co", timeZone: "UTC", defaultLanguage: "en" },
        admin: { name: "Admin", email: "admin@crash.test", password: "correct-horse-battery" },
      });
      expect(setup.status).toBe(201);
      const auth = await login(a.http);
      const mb = await http(
        a.http,
        "POST",
        "/email/mailboxes",
        {
          address: "support@crash.test",
          displayName: "Crash",
          smtp: { host: "127.0.0.1", port: capture.port, tls: "none" },
        },
        auth,
      );
      expect(mb.status).toBe(201);
      const info = await sender(a.smtp).sendMail({
        from: "victim@customer.test",
        to: "support@crash.test",
        subject: "Sent just before the crash",
        text: "Please do not lose me.",
        messageId: "<crash-1@customer.test>",
      });
      expect(info.response).toMatch(/^250/);
      a.child.kill("SIGKILL");
      await until(async () => a.child.exitCode !== null || a.child.signalCode !== null);

      // 2. Restart with the worker: the stored message is processed, once.
      const b = await startChild({ ...env, JOBS_ENABLED: "true", JOBS_POLL_MS: "100" });
      const auth2 = await login(b.http);
      const list = await until(async () => {
        const r = await http(b.http, "GET", "/tickets?limit=10", undefined, auth2);
        return r.body?.items?.length ? r.body.items : undefined;
      }, 120_000);
      expect(list.map((x: { subject: string }) => x.subject)).toEqual(["Sent just before the crash"]);
      const inbound = await http(b.http, "GET", "/email/inbound", undefined, auth2);
      expect(inbound.body.items.map((i: { status: string }) => i.status)).toEqual(["processed"]);
      const ack = await until(
        async () => capture.received.find((c) => c.envelope.to.includes("victim@customer.test")),
        120_000,
      );
      expect(ack.mail.inReplyTo).toBe("<crash-1@customer.test>");
      // Every email the restarted server queued has been sent (or given up): nothing more comes.
      await until(
        async () =>
          (await http(b.http, "GET", "/email/outbound?status=queued", undefined, auth2)).body?.items
            ?.length === 0,
        { timeout: 120_000, what: "the outbound queue to empty" },
      );
      const again = await http(b.http, "GET", `/tickets/${list[0].id}/messages`, undefined, auth2);
      expect(again.body.items).toHaveLength(1);
      expect(capture.received.filter((c) => c.envelope.to.includes("victim@customer.test"))).toHaveLength(1);
      b.child.kill("SIGTERM");
      await until(async () => b.child.exitCode !== null || b.child.signalCode !== null, 30_000);
    } finally {
      await capture.close();
      await database?.close();
    }
  }, 900_000);
});
