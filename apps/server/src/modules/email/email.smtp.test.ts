import fs from "node:fs";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorker, type Worker } from "../../jobs/worker.ts";
import { type Api, apiClient, createAgent, createTeam, setupAdmin } from "../../test/factories.ts";
import { createTestApp, type TestApp } from "../../test/harness.ts";
import { until } from "../../test/until.ts";
import { emailJobHandlers, startEmailChannel } from "./email.runtime.ts";
import { inboundEmails } from "./email.table.ts";
import { type Captured, sender, sendRaw, startCapture } from "./email.testkit.ts";

let t: TestApp;
let admin: Api;
let worker: Worker;
let channel: Awaited<ReturnType<typeof startEmailChannel>>;
let capture: Awaited<ReturnType<typeof startCapture>>;
let smtpPort: number;
let mailboxId: string;
const SUPPORT = "support@acme.test";

async function idle() {
  await until(async () => {
    const r = await t.database.db.execute(
      sql`select count(*)::int as c from jobs where status in ('queued','running') and run_at <= now()`,
    );
    return (r as unknown as { rows: Array<{ c: number }> }).rows[0]?.c === 0;
  });
}
const send = (opts: Parameters<ReturnType<typeof sender>["sendMail"]>[0]) =>
  sender(smtpPort).sendMail({ to: SUPPORT, ...opts });

async function ticketsBySubject(subject: string) {
  const res = await admin.get(`/tickets?limit=100`);
  return (res.body.items as Array<{ id: string; subject: string; number: number; status: string }>).filter(
    (x) => x.subject === subject,
  );
}
const messagesOf = async (id: string) =>
  (await admin.get(`/tickets/${id}/messages`)).body.items as Array<{
    bodyText: string;
    bodyHtml: string;
    author: { type: string; id: string };
    attachments: Array<{ filename: string; url: string }>;
  }>;
/** The delivery status the thread shows under the agent message whose text contains `text`. */
const deliveryOf = async (ticketId: string, text: string) =>
  (
    (await admin.get(`/tickets/${ticketId}/messages`)).body.items as Array<{
      bodyText: string;
      delivery: { status: string; error: string | null } | null;
    }>
  ).find((m) => m.bodyText.includes(text))?.delivery;
/** Waits until the delivery under that message has left `queued` (and, given `status`, has reached it). */
const deliveryFinal = (ticketId: string, text: string, status?: string) =>
  until(
    async () => {
      const d = await deliveryOf(ticketId, text);
      return d && d.status !== "queued" && (!status || d.status === status) && d;
    },
    { timeout: 120_000, what: `the delivery of "${text}" to be final` },
  );
const outTo = (addr: string) => (c: Captured) => c.envelope.to.includes(addr);

beforeAll(async () => {
  t = await createTestApp();
  admin = (await setupAdmin(t)).api;
  capture = await startCapture({ reject: /^nobody@/ });
  const team = await createTeam(admin, "Support");
  const mb = await admin.post("/email/mailboxes", {
    address: SUPPORT,
    displayName: "Acme Support",
    teamId: team.id,
    defaultPriority: "high",
    smtp: { host: "127.0.0.1", port: capture.port, tls: "none", user: null, password: null },
  });
  expect(mb.status).toBe(201);
  mailboxId = mb.body.id;
  await admin.post("/email/mailboxes", {
    address: "noack@acme.test",
    displayName: "No ack",
    ackEnabled: false,
    smtp: { host: "127.0.0.1", port: capture.port, tls: "none" },
  });
  worker = await startWorker(t.services, emailJobHandlers, { pollMs: 20, backoffBaseMs: 50 });
  channel = await startEmailChannel(t.services, { smtpPort: 0, imap: false });
  smtpPort = channel.smtpPort ?? 0;
});
afterAll(async () => {
  await channel?.stop();
  await worker?.stop();
  await capture?.close();
  await t?.close();
});

describe("inbound SMTP -> tickets", () => {
  let first: { id: string; number: number };
  it("creates a ticket from a new email, with team, priority, requester, and acknowledges it", async () => {
    await send({
      from: '"Lan Nguyen" <lan@customer.test>',
      cc: "boss@customer.test",
      subject: "Printer on fire",
      text: "Hello, the printer is on fire.\n\n-- \nLan, Acme Corp",
      html: '<p>Hello, the printer is <b>on fire</b>.</p><script>alert(1)</script><img src="https://tracker.test/p.gif">',
      messageId: "<first-1@customer.test>",
    });
    await idle();
    const [tk] = await ticketsBySubject("Printer on fire");
    expect(tk).toBeDefined();
    first = tk as { id: string; number: number };
    const ticket = (await admin.get(`/tickets/${first.id}`)).body;
    expect(ticket.channel).toBe("email");
    expect(ticket.priority).toBe("high");
    expect(ticket.team.name).toBe("Support");
    expect(ticket.requester.email).toBe("lan@customer.test");
    expect(ticket.requester.name).toBe("Lan Nguyen");
    const msgs = await messagesOf(first.id);
    expect(msgs).toHaveLength(1);
    expect(msgs[0]?.author.type).toBe("customer");
    expect(msgs[0]?.bodyHtml).toContain("<b>on fire</b>");
    expect(msgs[0]?.bodyHtml).not.toContain("script");
    expect(msgs[0]?.bodyHtml).not.toContain("tracker.test");
    const email = (await admin.get(`/tickets/${first.id}/email`)).body;
    expect(email[0].remoteImages).toBe(1);
    expect(email[0].imagesAllowed).toBe(false);
    expect(email[0].fullHtml).not.toContain("tracker.test");
    const allowed = await admin.post(`/tickets/${first.id}/email/${email[0].messageId}/allow-images`);
    expect(allowed.status).toBe(200);
    expect(allowed.body.fullHtml).toContain("https://tracker.test/p.gif");
    expect(allowed.body.bodyHtml).toContain('src="https://tracker.test/p.gif"');
    expect(allowed.body.bodyHtml).not.toContain("script");
    const other = await createAgent(t, admin);
    const forbidden = await other.api.post(`/tickets/${first.id}/email/${email[0].messageId}/allow-images`);
    expect([403, 404]).toContain(forbidden.status);

    const ack = await until(async () => capture.received.find(outTo("lan@customer.test")));
    expect(ack.mail.subject).toBe(`We received your request: Printer on fire [#${first.number}]`);
    expect(ack.mail.inReplyTo).toBe("<first-1@customer.test>");
    expect(ack.mail.headers.get("auto-submitted")).toBe("auto-replied");
    expect(ack.mail.text).toContain(`#${first.number}`);
    expect(ack.mail.text).toContain("10 business hours");
    expect(ack.mail.replyTo?.value[0]?.address).toBe(`support+t${first.number}@acme.test`);
  });

  it("threads a reply by In-Reply-To, folds the quote, and keeps the original one click away", async () => {
    await send({
      from: "lan@customer.test",
      subject: "Re: Printer on fire",
      inReplyTo: "<first-1@customer.test>",
      references: ["<first-1@customer.test>"],
      text: "It is out now.\n\nOn Mon, 3 Jun 2024 at 10:00, Acme Support <support@acme.test> wrote:\n> Hello, the printer is on fire.",
      messageId: "<reply-2@customer.test>",
    });
    await idle();
    const msgs = await messagesOf(first.id);
    expect(msgs).toHaveLength(2);
    // Both messages share the frozen test clock's timestamp: find the reply by its text.
    expect(msgs.map((m) => m.bodyText)).toContain("It is out now.");
    expect(msgs.some((m) => m.bodyText.includes("wrote:"))).toBe(false);
    const email = (await admin.get(`/tickets/${first.id}/email`)).body as Array<{
      messageIdHeader: string;
      quotedText: string;
      fullText: string;
    }>;
    const reply = email.find((e) => e.messageIdHeader === "<reply-2@customer.test>");
    expect(reply?.quotedText).toContain("wrote:");
    expect(reply?.fullText).toContain("> Hello, the printer is on fire.");
  });

  it("threads by [#n] subject token and by +t<n> plus-address when headers are lost", async () => {
    await send({ from: "lan@customer.test", subject: `Another thing [#${first.number}]`, text: "by token" });
    await send({
      from: "lan@customer.test",
      to: `support+t${first.number}@acme.test`,
      subject: "x",
      text: "by plus",
    });
    await idle();
    const bodies = (await messagesOf(first.id)).map((m) => m.bodyText);
    expect(bodies).toContain("by token");
    expect(bodies).toContain("by plus");
  });

  it("does not let a stranger inject into a ticket with a guessed token", async () => {
    await send({ from: "mallory@evil.test", subject: `Hi [#${first.number}]`, text: "inject" });
    await idle();
    expect((await messagesOf(first.id)).map((m) => m.bodyText)).not.toContain("inject");
    expect(await ticketsBySubject("Hi")).toHaveLength(1);
  });

  it("joins an Outlook reply whose In-Reply-To was rewritten, via Thread-Index", async () => {
    const root = Buffer.alloc(22, 7);
    await send({
      from: "lan@customer.test",
      subject: "Outlook thread",
      text: "first",
      headers: { "Thread-Index": Buffer.concat([root]).toString("base64") },
    });
    await idle();
    await send({
      from: "lan@customer.test",
      subject: "RE: Outlook thread (changed)",
      inReplyTo: "<rewritten-by-exchange@outlook.test>",
      text: "second",
      headers: { "Thread-Index": Buffer.concat([root, Buffer.alloc(5, 1)]).toString("base64") },
    });
    await idle();
    const [tk] = await ticketsBySubject("Outlook thread");
    expect(tk).toBeDefined();
    expect((await messagesOf(tk?.id ?? "")).map((m) => m.bodyText).sort()).toEqual(["first", "second"]);
  });

  it("quotes the first-response promise of the ticket's SLA policy in the acknowledgement", async () => {
    const policy = await admin.post("/sla/policies", {
      name: "Email answered fast",
      position: 0,
      conditions: [{ field: "channel", op: "is", value: "email" }],
      targets: { firstResponse: { minutes: 4 * 60, goalMinutes: 3 * 60, business: true } },
    });
    expect(policy.status).toBe(201);
    await send({ from: "quick@customer.test", subject: "Fast please", text: "hello" });
    await idle();
    const ack = await until(async () => capture.received.find(outTo("quick@customer.test")));
    expect(ack.mail.text).toContain("4 business hours");
    expect((await admin.delete(`/sla/policies/${policy.body.id}`)).status).toBeLessThan(300);
  });

  it("makes a new ticket for a new subject from the same person", async () => {
    await send({ from: "lan@customer.test", subject: "A different question", text: "new" });
    await idle();
    expect(await ticketsBySubject("A different question")).toHaveLength(1);
  });

  it("ignores a duplicate Message-ID (the same message delivered again)", async () => {
    const before = (await messagesOf(first.id)).length;
    await send({
      from: "lan@customer.test",
      subject: "Re: Printer on fire",
      inReplyTo: "<first-1@customer.test>",
      references: ["<first-1@customer.test>"],
      text: "It is out now.\n\nOn Mon, 3 Jun 2024 at 10:00, Acme Support <support@acme.test> wrote:\n> Hello, the printer is on fire.",
      messageId: "<reply-2@customer.test>",
    });
    await idle();
    expect(await messagesOf(first.id)).toHaveLength(before);
    const dup = await admin.get("/email/inbound?status=duplicate");
    expect(
      dup.body.items.some(
        (i: { messageIdHeader: string }) => i.messageIdHeader === "<reply-2@customer.test>",
      ),
    ).toBe(true);
  });

  it("sends an agent's reply with every header, to the requester and Cc'd followers", async () => {
    const res = await admin.post(`/tickets/${first.id}/messages`, {
      html: "<p>We sent a <b>technician</b>.</p>",
      internal: false,
    });
    expect(res.status).toBe(201);
    const out = await until(async () => capture.received.find((c) => c.mail.text?.includes("technician")));
    const tk = (await admin.get(`/tickets/${first.id}`)).body;
    expect(out.envelope.to.sort()).toEqual(["boss@customer.test", "lan@customer.test"]);
    expect(out.mail.from?.value[0]).toEqual({ address: SUPPORT, name: "Acme Support" });
    expect(out.mail.subject).toBe(`Re: Printer on fire [#${tk.number}]`);
    expect(out.mail.messageId).toMatch(/^<rapport\.[0-9a-f-]+@acme\.test>$/);
    expect(out.mail.inReplyTo).toMatch(/@customer\.test>$/);
    const refs = Array.isArray(out.mail.references) ? out.mail.references : [out.mail.references];
    expect(refs).toContain("<first-1@customer.test>");
    expect(refs).toContain("<reply-2@customer.test>");
    expect(out.mail.replyTo?.value[0]?.address).toBe(`support+t${tk.number}@acme.test`);
    expect(out.mail.html).toContain("<b>technician</b>");
    expect(out.mail.text).toContain("We sent a technician.");
    expect(out.mail.headers.get("auto-submitted")).toBeUndefined();
    await idle();
    const email = (await admin.get(`/tickets/${first.id}/email`)).body as Array<{
      direction: string;
      delivery: { status: string } | null;
    }>;
    expect(email.find((e) => e.direction === "out")?.delivery?.status).toBe("sent");
    expect(await deliveryOf(first.id, "technician")).toMatchObject({ status: "sent", error: null });

    // The customer's reply to our Message-ID threads back.
    await send({
      from: "boss@customer.test",
      subject: "Re: whatever",
      inReplyTo: out.mail.messageId,
      text: "thanks!",
    });
    await idle();
    expect((await messagesOf(first.id)).map((m) => m.bodyText)).toContain("thanks!");
  });

  it("sends the reply's attachments", async () => {
    const boundary = "----rapport-email-test";
    const pdf = Buffer.from("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n");
    const up = await admin.post(
      `/tickets/${first.id}/attachments`,
      Buffer.concat([
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="guide.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
        ),
        pdf,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]),
      { headers: { "content-type": `multipart/form-data; boundary=${boundary}` } },
    );
    expect(up.status).toBe(201);
    await admin.post(`/tickets/${first.id}/messages`, {
      body: "See the guide.",
      internal: false,
      attachmentIds: [up.body.id],
    });
    const out = await until(async () =>
      capture.received.find((c) => c.mail.text?.includes("See the guide.")),
    );
    expect(out.mail.attachments.map((a) => [a.filename, a.contentType, a.content.equals(pdf)])).toEqual([
      ["guide.pdf", "application/pdf", true],
    ]);
  });

  it("records an agent's email from their own address as an agent message", async () => {
    const agent = await createAgent(t, admin, { email: "agent.one@acme.test", role: "admin" });
    await send({
      from: "agent.one@acme.test",
      subject: `Re: Printer on fire [#${first.number}]`,
      text: "Agent by mail",
    });
    await idle();
    const last = (await messagesOf(first.id)).find((m) => m.bodyText === "Agent by mail");
    expect(last?.author).toMatchObject({ type: "agent", id: agent.user.id });
  });

  it("reopens a solved ticket on reply; a reply to a closed ticket opens a linked follow-up", async () => {
    await admin.patch(`/tickets/${first.id}`, { status: "solved" });
    await send({ from: "lan@customer.test", subject: `Re: [#${first.number}]`, text: "still broken" });
    await idle();
    expect((await admin.get(`/tickets/${first.id}`)).body.status).toBe("open");
    await admin.patch(`/tickets/${first.id}`, { status: "closed" });
    await send({
      from: "lan@customer.test",
      subject: `Re: Printer on fire [#${first.number}]`,
      text: "after close",
    });
    await idle();
    const all = await ticketsBySubject("Printer on fire");
    expect(all).toHaveLength(2);
    const follow = all.find((x) => x.id !== first.id);
    expect((await messagesOf(follow?.id ?? "")).map((m) => m.bodyText)).toEqual(["after close"]);
    const events = (await admin.get(`/tickets/${follow?.id}/events`)).body;
    const items = Array.isArray(events) ? events : events.items;
    expect(
      items.some(
        (e: { type: string; data: { ticketId: string } }) =>
          e.type === "ticket.follow_up_of" && e.data.ticketId === first.id,
      ),
    ).toBe(true);
  });
});

describe("loops, bounces and own mail", () => {
  it("does not acknowledge auto-replies or bulk mail, but keeps them", async () => {
    const before = capture.received.length;
    await send({
      from: "ooo@customer.test",
      subject: "Out of office",
      text: "away",
      headers: { "Auto-Submitted": "auto-replied" },
    });
    await send({
      from: "news@customer.test",
      subject: "Newsletter",
      text: "bulk",
      headers: { Precedence: "bulk" },
    });
    await send({
      from: "x@customer.test",
      subject: "Autoreply X",
      text: "x",
      headers: { "X-Autoreply": "yes" },
    });
    await send({
      from: "y@customer.test",
      subject: "Suppress",
      text: "y",
      headers: { "X-Auto-Response-Suppress": "All" },
    });
    await idle();
    // Nothing was queued to them, so nothing can be sent later either.
    const queued = (await admin.get("/email/outbound?limit=200")).body.items as Array<{ to: string[] }>;
    const senders = ["ooo@", "news@", "x@", "y@"].map((s) => `${s}customer.test`);
    expect(queued.filter((o) => o.to.some((a) => senders.includes(a)))).toEqual([]);
    expect(capture.received.length).toBe(before);
    expect(await ticketsBySubject("Out of office")).toHaveLength(1);
    expect(await ticketsBySubject("Newsletter")).toHaveLength(1);
  });

  it("never re-ingests mail from its own address", async () => {
    await send({ from: SUPPORT, subject: "Loop from self", text: "loop" });
    await idle();
    expect(await ticketsBySubject("Loop from self")).toHaveLength(0);
    const ignored = await admin.get("/email/inbound?status=ignored");
    expect(
      ignored.body.items.some(
        (i: { subject: string; error: string }) =>
          i.subject === "Loop from self" && /Rapport mailbox/.test(i.error),
      ),
    ).toBe(true);
  });

  it("marks the outbound message bounced from a DSN, and never answers the daemon", async () => {
    await send({ from: "gone@customer.test", subject: "Please bounce", text: "hi" });
    await idle();
    const ack = await until(async () => capture.received.find(outTo("gone@customer.test")));
    const before = capture.received.length;
    const dsn = [
      "From: Mail Delivery Subsystem <mailer-daemon@customer.test>",
      `To: ${SUPPORT}`,
      "Subject: Undelivered Mail Returned to Sender",
      "Message-ID: <dsn-1@customer.test>",
      "Auto-Submitted: auto-replied",
      'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"',
      "",
      "--b1",
      "Content-Type: text/plain",
      "",
      "Delivery failed.",
      "--b1",
      "Content-Type: message/delivery-status",
      "",
      "Reporting-MTA: dns; mx.customer.test",
      "",
      "Final-Recipient: rfc822; gone@customer.test",
      "Action: failed",
      "Status: 5.1.1",
      "Diagnostic-Code: smtp; 550 5.1.1 <gone@customer.test>: Recipient address rejected",
      "--b1",
      "Content-Type: text/rfc822-headers",
      "",
      `Message-ID: ${ack.mail.messageId}`,
      "Subject: ack",
      "--b1--",
      "",
    ].join("\r\n");
    await sendRaw(smtpPort, "", [SUPPORT], dsn);
    await idle();
    const out = await admin.get("/email/outbound?status=bounced");
    const bounced = out.body.items.find((o: { to: string[] }) => o.to.includes("gone@customer.test"));
    expect(bounced?.lastError).toContain("Recipient address rejected");
    expect(capture.received.length).toBe(before);
    expect(await ticketsBySubject("Undelivered Mail Returned to Sender")).toHaveLength(0);

    // An agent's reply that bounces: the message in the thread shows the failure and the reason.
    const [tk] = await ticketsBySubject("Please bounce");
    await admin.post(`/tickets/${tk?.id}/messages`, { body: "bounce-me reply", internal: false });
    const reply = await until(async () => capture.received.find((c) => c.mail.text?.includes("bounce-me")));
    await idle();
    expect((await deliveryOf(tk?.id ?? "", "bounce-me"))?.status).toBe("sent");
    await sendRaw(
      smtpPort,
      "",
      [SUPPORT],
      dsn
        .replace(ack.mail.messageId ?? "", reply.mail.messageId ?? "")
        .replace("<dsn-1@", "<dsn-2@")
        .replace("Recipient address rejected", "User unknown in virtual mailbox table"),
    );
    await idle();
    expect(await deliveryOf(tk?.id ?? "", "bounce-me")).toMatchObject({
      status: "failed",
      error: expect.stringContaining("User unknown in virtual mailbox table"),
    });
  });

  it("shows a permanent SMTP failure on the message with the server's reason", {
    timeout: 180_000,
  }, async () => {
    await send({ from: "nobody@customer.test", to: "noack@acme.test", subject: "Will fail", text: "hi" });
    await idle();
    const [tk] = await ticketsBySubject("Will fail");
    await admin.post(`/tickets/${tk?.id}/messages`, { body: "answer", internal: false });
    // The job worker marks the job failed before it records the failure on the email and its
    // message (jobs/worker.ts: failJob, then onFailure), so an idle queue does not mean the
    // delivery status is written yet: wait for the status itself.
    await deliveryFinal(tk?.id ?? "", "answer");
    const email = (await admin.get(`/tickets/${tk?.id}/email`)).body as Array<{
      direction: string;
      delivery: { status: string; error: string } | null;
    }>;
    const out = email.find((e) => e.direction === "out");
    expect(out?.delivery?.status).toBe("failed");
    expect(out?.delivery?.error).toContain("mailbox unavailable");
    const failed = await admin.get("/email/outbound?status=failed");
    expect(failed.body.items.length).toBeGreaterThan(0);
    expect(await deliveryOf(tk?.id ?? "", "answer")).toMatchObject({
      status: "failed",
      error: expect.stringContaining("mailbox unavailable"),
    });
    // Retry: queued again on the message, then failed again with the reason.
    const outboundId = failed.body.items.find((o: { ticketId: string }) => o.ticketId === tk?.id)?.id;
    const retried = await admin.post(`/email/outbound/${outboundId}/retry`);
    expect(retried.status).toBe(200);
    expect(retried.body.status).toBe("queued");
    expect((await deliveryFinal(tk?.id ?? "", "answer", "failed"))?.status).toBe("failed");
    const sent = (await admin.get("/email/outbound?status=sent")).body.items[0];
    expect((await admin.post(`/email/outbound/${sent.id}/retry`)).status).toBe(400);
    expect((await admin.post(`/email/outbound/${crypto.randomUUID()}/retry`)).status).toBe(404);
    expect((await admin.post("/email/outbound/not-a-uuid/retry")).status).toBe(400);
    expect((await admin.get("/email/outbound?status=nonsense")).status).toBe(400);
    expect((await admin.get("/email/inbound?limit=100000")).status).toBe(400);
    const agent = await createAgent(t, admin);
    expect((await agent.api.post(`/email/outbound/${outboundId}/retry`)).status).toBe(403);
    expect((await agent.api.post(`/email/inbound/${crypto.randomUUID()}/retry`)).status).toBe(403);
    expect((await agent.api.get(`/email/inbound/${crypto.randomUUID()}/raw`)).status).toBe(403);
  });
});

describe("SMTP receiver limits and hostile input", () => {
  it("refuses unknown recipients with 550", async () => {
    await expect(
      send({ from: "a@customer.test", to: "stranger@acme.test", subject: "x", text: "x" }),
    ).rejects.toMatchObject({
      responseCode: 550,
    });
  });

  it("refuses a 50 MB message with 552 and stores nothing", async () => {
    const count = async () =>
      (await t.database.db.select({ c: sql<number>`count(*)::int` }).from(inboundEmails))[0]?.c ?? 0;
    const before = await count();
    const big = Buffer.alloc(50 * 1024 * 1024, "a");
    await expect(
      send({
        from: "big@customer.test",
        subject: "Huge",
        text: "see attachment",
        attachments: [{ filename: "big.bin", content: big }],
      }),
    ).rejects.toMatchObject({ responseCode: 552 });
    expect(await count()).toBe(before);
  });

  it("accepts at most SMTP_MAX_RECIPIENTS envelope recipients; 10,000 header recipients do not break processing", async () => {
    const many = Array.from({ length: 10_000 }, (_, i) => `r${i}@many.test`);
    await send({ from: "crowd@customer.test", cc: many, subject: "Crowd", text: "hi all" });
    await idle();
    const [tk] = await ticketsBySubject("Crowd");
    expect(tk).toBeDefined();
    const followers = await t.database.db.execute(
      sql`select count(*)::int as c from ticket_followers where ticket_id = ${tk?.id}`,
    );
    expect((followers as unknown as { rows: Array<{ c: number }> }).rows[0]?.c).toBe(50);
    const info = await sender(smtpPort).sendMail({
      envelope: {
        from: "a@customer.test",
        to: Array.from({ length: 60 }, (_, i) => `support+x${i}@acme.test`),
      },
      raw: "Subject: x\r\n\r\nx",
    });
    expect(info.accepted).toHaveLength(50);
    expect(info.rejected).toHaveLength(10);
    expect(String(info.rejectedErrors?.[0]?.message)).toMatch(/452/);
  });

  it("strips scripts, iframes, event handlers and javascript: links", async () => {
    await send({
      from: "h@customer.test",
      subject: "Hostile",
      html: '<p onclick="steal()">Hi</p><iframe src="https://evil.test"></iframe><a href="javascript:alert(1)">click</a><script>alert(1)</script><img src=x onerror="alert(1)">',
    });
    await idle();
    const [tk] = await ticketsBySubject("Hostile");
    const [m] = await messagesOf(tk?.id ?? "");
    for (const bad of ["onclick", "iframe", "javascript:", "<script", "onerror"])
      expect(m?.bodyHtml).not.toContain(bad);
    const email = (await admin.get(`/tickets/${tk?.id}/email`)).body;
    for (const bad of ["onclick", "iframe", "javascript:", "<script", "onerror"])
      expect(email[0].fullHtml).not.toContain(bad);
  });

  it("processes NUL bytes and stray control characters instead of failing the email", async () => {
    const raw = [
      "From: nul@customer.test",
      `To: ${SUPPORT}`,
      "Subject: Nul =?utf-8?Q?bytes=00here?= raw\u0000nul",
      "Message-ID: <nul-1@customer.test>",
      "MIME-Version: 1.0",
      'Content-Type: multipart/mixed; boundary="b"',
      "",
      "--b",
      "Content-Type: text/plain; charset=utf-8",
      "Content-Transfer-Encoding: quoted-printable",
      "",
      "before=00after=01end",
      "--b",
      "Content-Type: text/html; charset=utf-8",
      "Content-Transfer-Encoding: quoted-printable",
      "",
      "<p>html=00part</p>",
      "--b",
      'Content-Type: text/plain; name="a=00b.txt"',
      'Content-Disposition: attachment; filename="nul\u0000.txt"',
      "",
      "file",
      "--b--",
      "",
    ].join("\r\n");
    await sendRaw(smtpPort, "nul@customer.test", [SUPPORT], raw);
    await idle();
    const failed = (await admin.get("/email/inbound?status=failed")).body.items;
    expect(failed.filter((i: { subject: string }) => i.subject?.startsWith("Nul"))).toEqual([]);
    const tk = (await admin.get("/tickets?limit=100")).body.items.find((x: { subject: string }) =>
      x.subject.startsWith("Nul"),
    );
    expect(tk).toBeDefined();
    const [m] = await messagesOf(tk.id);
    expect(m?.bodyText).toContain("before");
    expect(m?.bodyText).toContain("after");
    expect(m?.bodyText).not.toContain("\u0000");
  });

  it("keeps header injection in a subject out of outbound headers", async () => {
    const evil = `=?utf-8?B?${Buffer.from("Hi\r\nBcc: victim@evil.test\r\nX-Evil: 1").toString("base64")}?=`;
    await sendRaw(
      smtpPort,
      "inj@customer.test",
      [SUPPORT],
      `From: inj@customer.test\r\nTo: ${SUPPORT}\r\nSubject: ${evil}\r\nMessage-ID: <inj-1@customer.test>\r\n\r\nbody\r\n`,
    );
    await idle();
    const ack = await until(async () => capture.received.find(outTo("inj@customer.test")));
    expect(ack.envelope.to).toEqual(["inj@customer.test"]);
    expect(ack.mail.headers.has("x-evil")).toBe(false);
    expect(ack.mail.headers.has("bcc")).toBe(false);
    expect(ack.mail.subject).not.toMatch(/[\r\n]/);
    const [tk] = (await admin.get("/tickets?limit=100")).body.items.filter((x: { subject: string }) =>
      x.subject.startsWith("Hi Bcc"),
    );
    await admin.post(`/tickets/${tk.id}/messages`, { body: "reply", internal: false });
    const reply = await until(async () =>
      capture.received.find((c) => outTo("inj@customer.test")(c) && c.mail.text?.includes("reply")),
    );
    expect(reply.envelope.to).toEqual(["inj@customer.test"]);
    expect(reply.mail.headers.has("x-evil")).toBe(false);
  });

  it("limits the rate per sender", async () => {
    const limited = await createTestApp({
      config: { email: { ...t.services.config.email, smtpRatePerMinute: 2 } },
    });
    await limited.database.db.execute(
      sql`insert into mailboxes (address, display_name) values ('support@acme.test', 'x')`,
    );
    const ch = await startEmailChannel(limited.services, { smtpPort: 0, imap: false });
    const s = sender(ch.smtpPort ?? 0);
    const mail = { from: "flood@customer.test", to: SUPPORT, subject: "x", text: "x" };
    await s.sendMail(mail);
    await s.sendMail(mail);
    await expect(s.sendMail(mail)).rejects.toMatchObject({ responseCode: 421 });
    await ch.stop();
    await limited.close();
  });
});

describe("agent account emails", () => {
  it("sends password-reset and invitation emails from the bus events through the queue", async () => {
    const bus = t.services.bus as unknown as { publish: (e: unknown) => void };
    bus.publish({
      type: "auth.password_reset_requested",
      userId: "00000000-0000-0000-0000-000000000001",
      email: "reset.me@acme.test",
      name: "Reset Me",
      locale: "vi",
      resetUrl: "https://rapport.test/reset?token=abc",
    });
    bus.publish({
      type: "auth.invited",
      userId: "00000000-0000-0000-0000-000000000002",
      email: "new.agent@acme.test",
      name: "New Agent",
      locale: "en",
      setPasswordUrl: "https://rapport.test/reset?token=def&invite=1",
    });
    const reset = await until(async () => capture.received.find(outTo("reset.me@acme.test")));
    expect(reset.mail.subject).toBe("Đặt lại mật khẩu Rapport");
    expect(reset.mail.text).toContain("https://rapport.test/reset?token=abc");
    expect(reset.mail.html).toContain('href="https://rapport.test/reset?token=abc"');
    expect(reset.mail.headers.get("auto-submitted")).toBe("auto-replied");
    const invite = await until(async () => capture.received.find(outTo("new.agent@acme.test")));
    expect(invite.mail.subject).toBe("You are invited to Rapport");
    expect(invite.mail.text).toContain("token=def&invite=1");
    await idle();
    const out = await admin.get("/email/outbound");
    const kinds = out.body.items.map((o: { kind: string }) => o.kind);
    expect(kinds).toContain("password_reset");
    expect(kinds).toContain("invite");
  });
});

describe("failed mail and admin API", () => {
  it("keeps a message that fails processing, lists it with the error, and retries it", async () => {
    // The attachment store is broken (a file where its directory should be): processing fails.
    const dir = t.services.config.attachmentsDir;
    fs.rmSync(dir, { recursive: true, force: true });
    fs.writeFileSync(dir, "not a directory");
    try {
      await send({
        from: "f@customer.test",
        subject: "Fails once",
        text: "see file",
        attachments: [{ filename: "a.txt", content: "hello" }],
      });
      await idle();
    } finally {
      fs.rmSync(dir, { force: true });
      fs.mkdirSync(dir, { recursive: true });
    }
    const failed = await admin.get("/email/inbound?status=failed");
    const item = failed.body.items.find((i: { subject: string }) => i.subject === "Fails once");
    expect(item?.error).toMatch(/ENOTDIR|EEXIST|not a directory/i);
    expect(await ticketsBySubject("Fails once")).toHaveLength(0);
    const raw = await admin.get(`/email/inbound/${item.id}/raw`);
    expect(raw.raw).toContain("Subject: Fails once");
    const retry = await admin.post(`/email/inbound/${item.id}/retry`);
    expect(retry.status).toBe(200);
    await idle();
    const [tk] = await ticketsBySubject("Fails once");
    expect((await messagesOf(tk?.id ?? ""))[0]?.attachments.map((a) => a.filename)).toEqual(["a.txt"]);
    expect((await admin.post(`/email/inbound/${item.id}/retry`)).status).toBe(400);
  });

  it("never returns mailbox secrets, and only admins manage mailboxes", async () => {
    const res = await admin.patch(`/email/mailboxes/${mailboxId}`, {
      smtp: { user: "u", password: "s3cret-pass" },
    });
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body)).not.toContain("s3cret-pass");
    expect(res.body.smtp.hasPassword).toBe(true);
    const list = await admin.get("/email/mailboxes");
    expect(JSON.stringify(list.body)).not.toContain("s3cret-pass");
    await admin.patch(`/email/mailboxes/${mailboxId}`, { smtp: { user: null, password: null } });
    const agent = await createAgent(t, admin);
    for (const [m, u] of [
      ["GET", "/email/mailboxes"],
      ["GET", "/email/inbound"],
      ["GET", "/email/outbound"],
      ["POST", "/email/mailboxes"],
    ] as const) {
      const r = await agent.api.call(
        m,
        u,
        m === "POST" ? { address: "x@y.test", displayName: "x" } : undefined,
      );
      expect(r.status).toBe(403);
      const anon = await apiClient(t.app).call(m, u, m === "POST" ? {} : undefined);
      expect(anon.status).toBe(401);
    }
  });

  it("validates mailbox input", async () => {
    const bad = [
      { address: "not-an-email", displayName: "x" },
      { address: "a+b@acme.test", displayName: "x" },
      { address: "ok@acme.test", displayName: "x\r\nBcc: y" },
      { address: "ok@acme.test", displayName: "x", smtp: { host: "bad host\r\n" } },
      { address: "ok@acme.test", displayName: "x", unknown: 1 },
    ];
    for (const body of bad) expect((await admin.post("/email/mailboxes", body)).status).toBe(400);
    expect(
      (await admin.post("/email/mailboxes", { address: SUPPORT.toUpperCase(), displayName: "dup" })).status,
    ).toBe(409);
  });
});
