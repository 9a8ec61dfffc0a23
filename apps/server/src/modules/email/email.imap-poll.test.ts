import { execFileSync } from "node:child_process";
import path from "node:path";
import { sql } from "drizzle-orm";
import { ImapFlow } from "imapflow";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorker, type Worker } from "../../jobs/worker.ts";
import { type Api, setupAdmin } from "../../test/factories.ts";
import { createTestApp, type TestApp } from "../../test/harness.ts";
import { until } from "../../test/until.ts";
import { emailJobHandlers, startEmailChannel } from "./email.runtime.ts";

/**
 * Real IMAP without IDLE: a throwaway Dovecot that does not offer IDLE
 * (`scripts/dovecot-test.sh start noidle`), so Rapport must poll at the mailbox's
 * interval; the mailbox moves each message to "Processed", and only once it is stored.
 */
const SCRIPT = path.resolve(import.meta.dirname, "../../../../../scripts/dovecot-test.sh");
let dove: Record<string, string>;
let t: TestApp;
let admin: Api;
let worker: Worker;
let channel: Awaited<ReturnType<typeof startEmailChannel>>;
let imap: ImapFlow;
const logged: string[] = [];

const raw = (id: string, subject: string, body: string) =>
  `From: "Minh Tran" <minh@customer.test>\r\nTo: poll@acme.test\r\nSubject: ${subject}\r\nMessage-ID: <${id}>\r\nDate: Mon, 3 Jun 2024 10:00:00 +0700\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${body}\r\n`;

async function tickets(subject: string) {
  const res = await admin.get("/tickets?limit=100");
  return (res.body.items as Array<{ id: string; subject: string; messageCount: number }>).filter(
    (x) => x.subject === subject,
  );
}

/** Message-IDs in an IMAP folder, with whether each is \Seen. */
async function folder(name: string) {
  const lock = await imap.getMailboxLock(name);
  try {
    await imap.noop(); // take in what the other session (Rapport's) changed meanwhile
    const out: Array<{ id: string; seen: boolean }> = [];
    const status = imap.mailbox;
    if (!status || typeof status !== "object" || status.exists === 0) return out;
    for await (const m of imap.fetch("1:*", { envelope: true, flags: true })) {
      out.push({ id: m.envelope?.messageId ?? "", seen: !!m.flags?.has("\\Seen") });
    }
    return out;
  } finally {
    lock.release();
  }
}

beforeAll(async () => {
  const out = execFileSync(SCRIPT, ["start", "noidle"], { encoding: "utf8" });
  dove = Object.fromEntries(
    out
      .trim()
      .split(/\s+/)
      .map((kv) => kv.split("=") as [string, string]),
  );
  t = await createTestApp();
  admin = (await setupAdmin(t)).api;
  const mb = await admin.post("/email/mailboxes", {
    address: "poll@acme.test",
    displayName: "Poll",
    inbound: "imap",
    ackEnabled: false,
    imap: {
      host: "127.0.0.1",
      port: Number(dove.DOVECOT_PORT),
      tls: false,
      user: dove.DOVECOT_USER,
      password: dove.DOVECOT_PASSWORD,
      moveTo: "Processed",
      pollSeconds: 5,
    },
  });
  expect(mb.status).toBe(201);
  imap = new ImapFlow({
    host: "127.0.0.1",
    port: Number(dove.DOVECOT_PORT),
    secure: false,
    auth: { user: dove.DOVECOT_USER ?? "", pass: dove.DOVECOT_PASSWORD ?? "" },
    logger: false,
  });
  await imap.connect();
  worker = await startWorker(t.services, emailJobHandlers, { pollMs: 20 });
  channel = await startEmailChannel(t.services, {
    smtp: false,
    imap: true,
    log: (m, e) => logged.push(`${m}: ${e instanceof Error ? e.message : String(e ?? "")}`),
  });
});

afterAll(async () => {
  await channel?.stop();
  await worker?.stop();
  await imap?.logout().catch(() => {});
  await t?.close();
  if (dove?.DOVECOT_DIR) execFileSync(SCRIPT, ["stop", dove.DOVECOT_DIR]);
});

describe("IMAP interval polling and move-to (Dovecot without IDLE)", () => {
  it("the test server really offers no IDLE", () => {
    expect(imap.capabilities.has("IDLE")).toBe(false);
    expect(imap.capabilities.has("MOVE")).toBe(true);
  });

  it("picks up new mail at the poll interval, round after round, and moves it once stored", async () => {
    await channel.imap?.synced();
    await imap.append("INBOX", raw("poll-1@customer.test", "Poll one", "first round"), []);
    await until(async () => (await tickets("Poll one")).length === 1, 30_000);
    await until(async () => (await folder("INBOX")).length === 0, 10_000);
    expect((await folder("Processed")).map((m) => m.id)).toEqual(["<poll-1@customer.test>"]);

    // A later round on the same connection, still without IDLE.
    await imap.append("INBOX", raw("poll-2@customer.test", "Poll two", "second round"), []);
    await until(async () => (await tickets("Poll two")).length === 1, 30_000);
    await until(async () => (await folder("Processed")).length === 2, 10_000);
    expect(await folder("INBOX")).toEqual([]);
  });

  it("leaves a message in its folder, untouched, while it cannot be stored; takes it on a later round", async () => {
    // Every new inbound row is refused (the check applies to new rows only).
    await t.database.db.execute(
      sql`alter table inbound_emails add constraint test_refuse_all check (false) not valid`,
    );
    const failuresBefore = logged.filter((l) => l.includes("failed")).length;
    try {
      await imap.append("INBOX", raw("poll-3@customer.test", "Poll three", "kept safe"), []);
      await until(async () => logged.filter((l) => l.includes("failed")).length > failuresBefore, 30_000);
      // Not stored, so neither moved nor marked seen.
      expect(await folder("INBOX")).toEqual([{ id: "<poll-3@customer.test>", seen: false }]);
      expect(await tickets("Poll three")).toHaveLength(0);
    } finally {
      await t.database.db.execute(sql`alter table inbound_emails drop constraint test_refuse_all`);
    }
    await until(async () => (await tickets("Poll three")).length === 1, 30_000);
    await until(async () => (await folder("INBOX")).length === 0, 10_000);
    expect((await folder("Processed")).map((m) => m.id).sort()).toEqual([
      "<poll-1@customer.test>",
      "<poll-2@customer.test>",
      "<poll-3@customer.test>",
    ]);
    const [tk] = await tickets("Poll three");
    expect(tk?.messageCount).toBe(1);
  });
});
