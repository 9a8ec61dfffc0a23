import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SYSTEM } from "../../auth/actor.ts";
import { withActor } from "../../context.ts";
import {
  type Api,
  apiClient,
  createAgent,
  createTeam,
  createTicket,
  type Json,
  setupAdmin,
} from "../../test/factories.ts";
import { createTestApp, type TestApp } from "../../test/harness.ts";
import { outboundEmails } from "../email/email.table.ts";
import { processInboundBatch } from "../email/inbound.batch.ts";
import { processInbound, storeInbound } from "../email/inbound.service.ts";
import { tickets } from "../tickets/tickets.table.ts";

let t: TestApp;
let admin: Api;
let agent: { api: Api; user: Json };
let outsider: { api: Api; user: Json };
let team: { id: string };

beforeAll(async () => {
  t = await createTestApp();
  admin = (await setupAdmin(t)).api;
  const mb = await admin.post("/email/mailboxes", {
    address: "support@side.test",
    displayName: "Support",
    smtp: { host: "127.0.0.1", port: 9, tls: "none" },
  });
  expect(mb.status).toBe(201);
  team = await createTeam(admin, "Logistics");
  const other = await createTeam(admin, "Sales");
  agent = await createAgent(t, admin, { name: "Priya", teamIds: [team.id] });
  outsider = await createAgent(t, admin, { name: "Kavin", teamIds: [other.id] });
});
afterAll(async () => {
  await t?.close();
});

const ctx = () => withActor(t.services, SYSTEM);
function mail(o: { from: string; to: string; subject: string; inReplyTo?: string; body: string }) {
  return Buffer.from(
    [
      `From: <${o.from}>`,
      `To: ${o.to}`,
      `Subject: ${o.subject}`,
      `Message-ID: <${randomUUID()}@courier.test>`,
      ...(o.inReplyTo ? [`In-Reply-To: ${o.inReplyTo}`, `References: ${o.inReplyTo}`] : []),
      "MIME-Version: 1.0",
      "Content-Type: text/plain; charset=utf-8",
      "",
      o.body,
      "",
    ].join("\r\n"),
  );
}
const receive = async (raw: Buffer, batch = false) => {
  t.clock.advance(60_000);
  const id = await storeInbound(t.services, { mailboxId: null, source: "smtp", raw, envelopeTo: [] });
  if (!id) throw new Error("not stored");
  if (batch) await processInboundBatch(ctx(), [id]);
  else await processInbound(ctx(), id);
};
const ticketCount = async () => (await t.database.db.select({ id: tickets.id }).from(tickets)).length;

describe("side conversations", () => {
  let ticket: Json;
  let side: Json;

  it("emails a third party through the outbound path, in a thread of its own", async () => {
    ticket = await createTicket(agent.api, { teamId: team.id, channel: "email" });
    const res = await agent.api.post(`/tickets/${ticket.id}/side-conversations`, {
      to: ["Dispatch@Courier.test"],
      subject: "Parcel 4471 for Mai Tran",
      body: "Hello, where is parcel 4471? <b>Thanks</b>",
    });
    expect(res.status).toBe(201);
    side = res.body;
    expect(side).toMatchObject({
      subject: "Parcel 4471 for Mai Tran",
      participants: ["dispatch@courier.test"],
      status: "open",
    });
    expect(side.messages).toHaveLength(1);
    expect(side.messages[0]).toMatchObject({
      direction: "out",
      delivery: "queued",
      author: { id: agent.user.id },
    });
    expect(side.messages[0].bodyHtml).toContain("&lt;b&gt;");

    const [out] = await t.database.db.select().from(outboundEmails).where(eq(outboundEmails.kind, "side"));
    expect(out).toMatchObject({ to: ["dispatch@courier.test"], ticketId: null, messageId: null });
    expect(out?.replyTo).toMatch(/^support\+s[a-z0-9]{24}@side\.test$/);

    // Not in the customer's thread.
    const thread = (await agent.api.get(`/tickets/${ticket.id}/messages`)).body.items as Json[];
    expect(thread).toHaveLength(1);
    const events = (await agent.api.get(`/tickets/${ticket.id}/events`)).body as Json[];
    expect(events.find((e) => e.type === "side_conversation.started")?.data.sideConversationId).toBe(side.id);
  });

  it("threads replies back by Message-ID and by the reply-to token, never into the customer's thread", async () => {
    const [out] = await t.database.db.select().from(outboundEmails).where(eq(outboundEmails.kind, "side"));
    const before = await ticketCount();
    await receive(
      mail({
        from: "dispatch@courier.test",
        to: "support@side.test",
        subject: "Re: Parcel 4471 for Mai Tran",
        inReplyTo: out?.messageIdHeader,
        body: "It is at the depot, delivery tomorrow.",
      }),
    );
    // By the token alone (a mailer that drops References), through the batch ingester.
    await receive(
      mail({
        from: "boss@courier.test",
        to: out?.replyTo ?? "",
        subject: "Parcel",
        body: "Confirmed by the depot manager.",
      }),
      true,
    );
    expect(await ticketCount()).toBe(before);
    const list = (await agent.api.get(`/tickets/${ticket.id}/side-conversations`)).body as Json[];
    expect(list).toHaveLength(1);
    expect(list[0].messages.map((m: Json) => [m.direction, m.author.name])).toEqual([
      ["out", "Priya"],
      ["in", "dispatch@courier.test"],
      ["in", "boss@courier.test"],
    ]);
    expect(list[0].messages[1].bodyText).toContain("delivery tomorrow");
    const thread = (await agent.api.get(`/tickets/${ticket.id}/messages`)).body.items as Json[];
    expect(thread).toHaveLength(1);
    const events = (await agent.api.get(`/tickets/${ticket.id}/events`)).body as Json[];
    expect(events.filter((e) => e.type === "side_conversation.received")).toHaveLength(2);
  });

  it("answers in the same side thread, closes and reopens it", async () => {
    t.clock.advance(60_000);
    const res = await agent.api.post(`/tickets/${ticket.id}/side-conversations/${side.id}/messages`, {
      body: "Thank you, I will tell the customer.",
    });
    expect(res.status).toBe(201);
    expect(res.body.messages).toHaveLength(4);
    const outs = await t.database.db.select().from(outboundEmails).where(eq(outboundEmails.kind, "side"));
    const second = outs.find((o) => o.bodyText.startsWith("Thank you"));
    expect(second?.subject).toBe("Re: Parcel 4471 for Mai Tran");
    expect(second?.inReplyTo).toMatch(/@courier\.test>$/);
    expect(second?.references.length).toBe(3);
    const closed = await agent.api.patch(`/tickets/${ticket.id}/side-conversations/${side.id}`, {
      status: "closed",
    });
    expect(closed.body.status).toBe("closed");
    const reopened = await agent.api.patch(`/tickets/${ticket.id}/side-conversations/${side.id}`, {
      status: "open",
    });
    expect(reopened.body.status).toBe("open");
  });

  it("refuses strangers, other tickets' side conversations and bad input", async () => {
    const url = `/tickets/${ticket.id}/side-conversations`;
    expect((await outsider.api.get(url)).status).toBe(404);
    expect((await outsider.api.post(url, { to: ["a@b.test"], subject: "x", body: "y" })).status).toBe(404);
    expect((await outsider.api.patch(`${url}/${side.id}`, { status: "closed" })).status).toBe(404);
    expect((await apiClient(t.app).get(url)).status).toBe(401);
    const elsewhere = await createTicket(agent.api, { teamId: team.id });
    expect(
      (
        await agent.api.post(`/tickets/${elsewhere.id}/side-conversations/${side.id}/messages`, {
          body: "hi",
        })
      ).status,
    ).toBe(404);
    for (const body of [
      {},
      { to: [], subject: "x", body: "y" },
      { to: ["not-an-email"], subject: "x", body: "y" },
      { to: Array.from({ length: 11 }, (_, i) => `p${i}@x.test`), subject: "x", body: "y" },
      { to: ["a@b.test"], subject: "", body: "y" },
      { to: ["a@b.test"], subject: "x", body: "" },
      { to: ["a@b.test"], subject: "x", body: "y".repeat(50_001) },
      { to: ["a@b.test"], subject: "x", body: "y", cc: ["c@d.test"] },
    ]) {
      const res = await agent.api.post(url, body);
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
    }
    expect((await agent.api.patch(`${url}/${side.id}`, { status: "archived" })).status).toBe(400);
    expect((await agent.api.get("/tickets/nope/side-conversations")).status).toBe(400);
  });
});
