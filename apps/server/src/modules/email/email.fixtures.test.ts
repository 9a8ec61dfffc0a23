import fs from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorker, type Worker } from "../../jobs/worker.ts";
import { type Api, setupAdmin } from "../../test/factories.ts";
import { createTestApp, type TestApp } from "../../test/harness.ts";
import { until } from "../../test/until.ts";
import { emailJobHandlers, startEmailChannel } from "./email.runtime.ts";
import { sender, sendRaw, startCapture } from "./email.testkit.ts";

/**
 * The fixture corpus: every file in fixtures/ is delivered over real SMTP, in order,
 * and must yield exactly the ticket and message expected.json describes. None is lost.
 */
type Expect = {
  status: "processed" | "ignored" | "duplicate";
  ticket?: string;
  subject?: string;
  text?: string;
  notText?: string;
  quoted?: string;
  attachments?: string[];
  attachmentsInclude?: string[];
  withheld?: string[];
  followers?: string[];
  requesterName?: string;
  htmlExcludes?: string[];
  htmlHasAttachmentImg?: boolean;
  noAck?: boolean;
};
const DIR = path.join(import.meta.dirname, "fixtures");
const expected = JSON.parse(fs.readFileSync(path.join(DIR, "expected.json"), "utf8")) as Record<
  string,
  Expect
>;
const names = Object.keys(expected).sort();

let t: TestApp;
let admin: Api;
let worker: Worker;
let channel: Awaited<ReturnType<typeof startEmailChannel>>;
let capture: Awaited<ReturnType<typeof startCapture>>;
const results = new Map<
  string,
  { status: string; ticketId: string | null; messageId: string | null; error: string | null }
>();

const rows = async <T>(q: ReturnType<typeof sql>) =>
  ((await t.database.db.execute(q)) as unknown as { rows: T[] }).rows;
async function idle() {
  await until(async () => {
    const [r] = await rows<{ c: number }>(
      sql`select count(*)::int as c from jobs where status in ('queued','running')`,
    );
    return r?.c === 0;
  });
}

beforeAll(async () => {
  t = await createTestApp();
  admin = (await setupAdmin(t)).api;
  capture = await startCapture();
  await admin.post("/email/mailboxes", {
    address: "support@acme.test",
    displayName: "Acme Support",
    smtp: { host: "127.0.0.1", port: capture.port, tls: "none" },
  });
  worker = await startWorker(t.services, emailJobHandlers, { pollMs: 20 });
  channel = await startEmailChannel(t.services, { smtpPort: 0, imap: false });
  for (const [i, name] of names.entries()) {
    const raw = fs.readFileSync(path.join(DIR, name));
    const tag = `support+f${i}@acme.test`;
    await sendRaw(channel.smtpPort ?? 0, name.includes("bounce") ? "" : "envelope@customer.test", [tag], raw);
    await idle();
    const [row] = await rows<{
      status: string;
      ticket_id: string | null;
      message_id: string | null;
      error: string | null;
    }>(sql`select status, ticket_id, message_id, error from inbound_emails where ${tag} = any(envelope_to)`);
    results.set(name, {
      status: row?.status ?? "missing",
      ticketId: row?.ticket_id ?? null,
      messageId: row?.message_id ?? null,
      error: row?.error ?? null,
    });
  }
}, 180_000);

afterAll(async () => {
  await channel?.stop();
  await worker?.stop();
  await capture?.close();
  await t?.close();
});

describe("fixture corpus", () => {
  it("has at least 40 fixtures and loses none", async () => {
    expect(names.length).toBeGreaterThanOrEqual(40);
    expect(
      fs
        .readdirSync(DIR)
        .filter((f) => f.endsWith(".eml"))
        .sort(),
    ).toEqual(names);
    const [stored] = await rows<{ c: number }>(sql`select count(*)::int as c from inbound_emails`);
    expect(stored?.c).toBe(names.length);
  });

  it.each(names)("%s", async (name) => {
    const exp = expected[name] as Expect;
    const got = results.get(name);
    expect({ status: got?.status, error: exp.status === "processed" ? got?.error : undefined }).toEqual({
      status: exp.status,
      error: exp.status === "processed" ? null : undefined,
    });
    if (exp.status !== "processed") {
      if (exp.status === "duplicate")
        expect(got?.ticketId).toBe(results.get("01-gmail-new-en.eml")?.ticketId);
      return;
    }
    const ticketId = got?.ticketId ?? "";
    if (exp.ticket === "new") {
      const others = [...results.entries()].filter(([n, r]) => n !== name && r.ticketId === ticketId);
      expect(others.every(([n]) => expected[n]?.ticket === name || expected[n]?.status === "duplicate")).toBe(
        true,
      );
    } else {
      expect(ticketId).toBe(results.get(exp.ticket ?? "")?.ticketId);
    }
    const ticket = (await admin.get(`/tickets/${ticketId}`)).body;
    expect(ticket.channel).toBe("email");
    if (exp.subject) expect(ticket.subject).toBe(exp.subject);
    if (exp.requesterName) expect(ticket.requester.name).toBe(exp.requesterName);
    const msgs = (await admin.get(`/tickets/${ticketId}/messages?limit=100`)).body.items as Array<{
      id: string;
      bodyText: string;
      bodyHtml: string;
      attachments: Array<{ filename: string; url: string }>;
    }>;
    const msg = msgs.find((m) => m.id === got?.messageId);
    expect(msg).toBeDefined();
    const text = (msg?.bodyText ?? "").normalize("NFC");
    if (exp.text !== undefined) {
      if (exp.text === "") expect(text).toBe("");
      else expect(text).toContain(exp.text);
    }
    if (exp.notText) expect(text).not.toContain(exp.notText);
    const email = (await admin.get(`/tickets/${ticketId}/email`)).body as Array<{
      messageId: string;
      quotedText: string;
      fullText: string;
      withheldAttachments: Array<{ filename: string }>;
    }>;
    const detail = email.find((e) => e.messageId === got?.messageId);
    if (exp.quoted) expect(detail?.quotedText).toContain(exp.quoted);
    if (exp.notText) expect(`${detail?.fullText}\n${detail?.quotedText}`).toContain(exp.notText);
    const files = msg?.attachments.map((a) => a.filename).sort() ?? [];
    if (exp.attachments) expect(files).toEqual([...exp.attachments].sort());
    for (const f of exp.attachmentsInclude ?? []) expect(files).toContain(f);
    if (exp.withheld) expect(detail?.withheldAttachments.map((w) => w.filename)).toEqual(exp.withheld);
    for (const bad of exp.htmlExcludes ?? []) expect(msg?.bodyHtml).not.toContain(bad);
    if (exp.htmlHasAttachmentImg) expect(msg?.bodyHtml).toContain(`src="${msg?.attachments[0]?.url}"`);
    if (exp.followers) {
      const f = await rows<{ email: string }>(
        sql`select email from ticket_followers where ticket_id = ${ticketId} order by email`,
      );
      expect(f.map((r) => r.email)).toEqual(exp.followers);
    }
  });

  it("acknowledges new tickets but never auto-replies", async () => {
    const autoReply = results.get("32-auto-reply.eml");
    const newTickets = names.filter((n) => expected[n]?.ticket === "new" && !expected[n]?.noAck);
    await until(async () => capture.received.length >= newTickets.length);
    expect(capture.received.some((c) => c.envelope.to.includes("ooo@customer.test"))).toBe(false);
    expect(autoReply?.status).toBe("processed");
  });

  it("stores a 10 MB attachment generated at test time", async () => {
    const big = Buffer.alloc(10 * 1024 * 1024);
    for (let i = 0; i < big.length; i++) big[i] = (i * 31) & 0xff;
    await sender(channel.smtpPort ?? 0).sendMail({
      from: "big@customer.test",
      to: "support@acme.test",
      subject: "Big attachment",
      text: "Here is the dump.",
      attachments: [{ filename: "dump.bin", content: big, contentType: "application/octet-stream" }],
    });
    await idle();
    const list = (await admin.get("/tickets?limit=100")).body.items as Array<{ id: string; subject: string }>;
    const tk = list.find((x) => x.subject === "Big attachment");
    const msgs = (await admin.get(`/tickets/${tk?.id}/messages`)).body.items;
    expect(msgs[0].attachments).toMatchObject([{ filename: "dump.bin", size: big.length }]);
    const file = await admin.get(msgs[0].attachments[0].url);
    expect(file.status).toBe(200);
  }, 300_000);
});
