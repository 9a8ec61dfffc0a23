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

/** Real IMAP: a throwaway Dovecot started by scripts/dovecot-test.sh (Debian package dovecot-imapd). */
const SCRIPT = path.resolve(import.meta.dirname, "../../../../../scripts/dovecot-test.sh");
let dove: Record<string, string>;
let t: TestApp;
let admin: Api;
let worker: Worker;
let channel: Awaited<ReturnType<typeof startEmailChannel>>;
let imap: ImapFlow;

const raw = (id: string, subject: string, body: string) =>
  `From: "Minh Tran" <minh@customer.test>\r\nTo: help@acme.test\r\nSubject: ${subject}\r\nMessage-ID: <${id}>\r\nDate: Mon, 3 Jun 2024 10:00:00 +0700\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${body}\r\n`;

async function tickets(subject: string) {
  const res = await admin.get("/tickets?limit=100");
  return (res.body.items as Array<{ id: string; subject: string; messageCount: number }>).filter(
    (x) => x.subject === subject,
  );
}
const count = async (q: ReturnType<typeof sql>) =>
  ((await t.database.db.execute(q)) as unknown as { rows: Array<{ c: number }> }).rows[0]?.c ?? 0;

beforeAll(async () => {
  const out = execFileSync(SCRIPT, ["start"], { encoding: "utf8" });
  dove = Object.fromEntries(
    out
      .trim()
      .split(/\s+/)
      .map((kv) => kv.split("=") as [string, string]),
  );
  t = await createTestApp();
  admin = (await setupAdmin(t)).api;
  // A broken mailbox first: it must not delay the working one.
  await admin.post("/email/mailboxes", {
    address: "broken@acme.test",
    displayName: "Broken",
    inbound: "imap",
    imap: { host: "127.0.0.1", port: 1, tls: false, user: "x", password: "y", pollSeconds: 5 },
  });
  const mb = await admin.post("/email/mailboxes", {
    address: "help@acme.test",
    displayName: "Help",
    inbound: "imap",
    ackEnabled: false,
    imap: {
      host: "127.0.0.1",
      port: Number(dove.DOVECOT_PORT),
      tls: false,
      user: dove.DOVECOT_USER,
      password: dove.DOVECOT_PASSWORD,
      pollSeconds: 300,
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
  channel = await startEmailChannel(t.services, { smtp: false, imap: true });
});

afterAll(async () => {
  await channel?.stop();
  await worker?.stop();
  await imap?.logout().catch(() => {});
  await t?.close();
  if (dove?.DOVECOT_DIR) execFileSync(SCRIPT, ["stop", dove.DOVECOT_DIR]);
});

describe("IMAP ingestion (Dovecot)", () => {
  it("fetches a new message through IDLE (poll interval 300 s), then marks it seen", async () => {
    await imap.append("INBOX", raw("imap-1@customer.test", "IMAP hello", "Xin chào, máy in hỏng."), []);
    const [tk] = await until(async () => {
      const list = await tickets("IMAP hello");
      return list.length ? list : undefined;
    });
    expect(tk?.messageCount).toBe(1);
    const msgs = (await admin.get(`/tickets/${tk?.id}/messages`)).body.items;
    expect(msgs[0].bodyText).toBe("Xin chào, máy in hỏng.");
    await until(async () => {
      const lock = await imap.getMailboxLock("INBOX");
      try {
        const unseen = await imap.search({ seen: false });
        return Array.isArray(unseen) && unseen.length === 0;
      } finally {
        lock.release();
      }
    });
  });

  it("re-fetching (flag cleared) or re-delivering the same Message-ID creates nothing new", async () => {
    const before = await count(sql`select count(*)::int as c from inbound_emails`);
    const lock = await imap.getMailboxLock("INBOX");
    try {
      await imap.messageFlagsRemove("1:*", ["\\Seen"]);
    } finally {
      lock.release();
    }
    await imap.append("INBOX", raw("imap-1@customer.test", "IMAP hello", "Xin chào, máy in hỏng."), []);
    await until(
      async () =>
        (await count(sql`select count(*)::int as c from inbound_emails where status = 'duplicate'`)) === 1,
    );
    // The re-fetched UID was not stored again: only the re-delivered copy (a new UID) was.
    expect(await count(sql`select count(*)::int as c from inbound_emails`)).toBe(before + 1);
    const [tk] = await tickets("IMAP hello");
    expect(tk?.messageCount).toBe(1);
  });

  it("keeps working while another mailbox is broken", async () => {
    await imap.append("INBOX", raw("imap-2@customer.test", "IMAP second", "second"), []);
    await until(async () => (await tickets("IMAP second")).length === 1);
  });
});
