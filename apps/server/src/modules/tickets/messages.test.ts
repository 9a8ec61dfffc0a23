import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAgent, createTicket, setupAdmin } from "../../test/factories.ts";
import { createTestApp, type TestApp } from "../../test/harness.ts";
import { setMessageDelivery } from "./messages.service.ts";

describe("messages on a ticket", () => {
  let t: TestApp;
  let admin: Awaited<ReturnType<typeof setupAdmin>>;
  let agent: Awaited<ReturnType<typeof createAgent>>;
  beforeAll(async () => {
    t = await createTestApp();
    admin = await setupAdmin(t);
    agent = await createAgent(t, admin.api, { name: "Priya Agent" });
  });
  afterAll(() => t.close());

  it("a public agent reply records the first response and opens a new ticket; a note does neither", async () => {
    const ticket = await createTicket(admin.api);
    t.clock.advance(60_000);
    const note = await agent.api.post(`/tickets/${ticket.id}/messages`, {
      body: "Checking with the warehouse",
      internal: true,
    });
    expect(note.status).toBe(201);
    expect(note.body).toMatchObject({
      internal: true,
      author: { type: "agent", id: agent.user.id, name: "Priya Agent" },
    });
    let now = (await agent.api.get(`/tickets/${ticket.id}`)).body;
    expect(now).toMatchObject({ status: "new", firstResponseAt: null, messageCount: 2 });

    t.clock.advance(60_000);
    const reply = await agent.api.post(`/tickets/${ticket.id}/messages`, {
      body: "Your parcel leaves today.\n\nBest,\nPriya",
    });
    expect(reply.body.bodyHtml).toBe("<p>Your parcel leaves today.</p><p>Best,<br>Priya</p>");
    now = (await agent.api.get(`/tickets/${ticket.id}`)).body;
    expect(now.status).toBe("open");
    expect(now.firstResponseAt).toBe(reply.body.createdAt);
    expect(now.messageCount).toBe(3);
  });

  it("shows where delivery of an outgoing message stands, with the channel's reason on failure", async () => {
    const ticket = await createTicket(admin.api);
    const reply = (await agent.api.post(`/tickets/${ticket.id}/messages`, { body: "On its way" })).body;
    expect(reply.delivery).toBeNull();
    await setMessageDelivery(t.services.db, reply.id, "failed", "550 5.1.1 mailbox unknown", t.clock.now());
    const items = (await agent.api.get(`/tickets/${ticket.id}/messages`)).body.items;
    expect(items.find((m: { id: string }) => m.id === reply.id).delivery).toEqual({
      status: "failed",
      error: "550 5.1.1 mailbox unknown",
      updatedAt: t.clock.now().toISOString(),
    });
  });

  it("a customer reply reopens a solved or pending ticket", async () => {
    for (const status of ["solved", "pending", "on_hold"]) {
      const ticket = await createTicket(admin.api);
      await admin.api.patch(`/tickets/${ticket.id}`, { status });
      const res = await admin.api.post(`/tickets/${ticket.id}/messages`, {
        body: "Still broken",
        authorType: "customer",
      });
      expect(res.body.author).toMatchObject({ type: "customer", id: ticket.requester.id });
      const after = (await admin.api.get(`/tickets/${ticket.id}`)).body;
      expect(after.status).toBe("open");
      expect(after.solvedAt).toBeNull();
    }
  });

  it("sends and sets the status in one step", async () => {
    const ticket = await createTicket(admin.api);
    await agent.api.post(`/tickets/${ticket.id}/messages`, { body: "Done!", status: "solved" });
    expect((await agent.api.get(`/tickets/${ticket.id}`)).body.status).toBe("solved");
  });

  it("refuses a reply on a closed ticket but allows an internal note", async () => {
    const ticket = await createTicket(admin.api);
    await admin.api.patch(`/tickets/${ticket.id}`, { status: "closed" });
    const reply = await agent.api.post(`/tickets/${ticket.id}/messages`, { body: "late" });
    expect(reply.status).toBe(403);
    expect(
      (await agent.api.post(`/tickets/${ticket.id}/messages`, { body: "for the record", internal: true }))
        .status,
    ).toBe(201);
  });

  it("sanitizes hostile HTML and keeps a text rendering", async () => {
    const ticket = await createTicket(admin.api);
    const res = await agent.api.post(`/tickets/${ticket.id}/messages`, {
      html: '<p onclick="steal()">Hi <b>there</b><script>alert(1)</script><iframe src="https://evil.test"></iframe> <a href="javascript:alert(2)">x</a> <a href="https://ok.test">ok</a><img src="x" onerror="alert(3)"></p>',
    });
    expect(res.status).toBe(201);
    const html: string = res.body.bodyHtml;
    for (const bad of ["<script", "onclick", "onerror", "<iframe", "javascript:"])
      expect(html).not.toContain(bad);
    expect(html).toContain(
      '<a href="https://ok.test" target="_blank" rel="noopener noreferrer nofollow">ok</a>',
    );
    expect(res.body.bodyText).toContain("Hi there");
    expect(res.body.bodyText).not.toContain("alert");
  });

  it("refuses an empty message and a customer 'internal note'", async () => {
    const ticket = await createTicket(admin.api);
    expect((await agent.api.post(`/tickets/${ticket.id}/messages`, { body: "   " })).status).toBe(400);
    expect(
      (
        await agent.api.post(`/tickets/${ticket.id}/messages`, {
          body: "x",
          internal: true,
          authorType: "customer",
        })
      ).status,
    ).toBe(400);
    expect((await agent.api.get(`/tickets/${ticket.id}`)).body.messageCount).toBe(1);
  });

  it("pages messages newest page first, each page in chronological order", async () => {
    const ticket = await createTicket(admin.api, { message: { body: "m0" } });
    for (let i = 1; i <= 6; i++) {
      t.clock.advance(1000);
      await agent.api.post(`/tickets/${ticket.id}/messages`, { body: `m${i}`, internal: true });
    }
    const first = await agent.api.get(`/tickets/${ticket.id}/messages?limit=3`);
    expect(first.body.items.map((m: { bodyText: string }) => m.bodyText)).toEqual(["m4", "m5", "m6"]);
    const second = await agent.api.get(
      `/tickets/${ticket.id}/messages?limit=3&cursor=${first.body.nextCursor}`,
    );
    expect(second.body.items.map((m: { bodyText: string }) => m.bodyText)).toEqual(["m1", "m2", "m3"]);
    const third = await agent.api.get(
      `/tickets/${ticket.id}/messages?limit=3&cursor=${second.body.nextCursor}`,
    );
    expect(third.body.items.map((m: { bodyText: string }) => m.bodyText)).toEqual(["m0"]);
    expect(third.body.nextCursor).toBeNull();
  });

  it("round-trips emoji, Khmer, Tamil and Vietnamese faithfully", async () => {
    const text = "សួស្តី 👋 வணக்கம் 🙏 Xin chào, cảm ơn! 𝔘𝔫𝔦𝔠𝔬𝔡𝔢";
    const ticket = await createTicket(admin.api, {
      subject: text,
      requester: { email: "unicode@example.com", name: "សុខ ស៊ីណា" },
    });
    expect(ticket.subject).toBe(text);
    expect(ticket.requester.name).toBe("សុខ ស៊ីណា");
    t.clock.advance(1000);
    const msg = await agent.api.post(`/tickets/${ticket.id}/messages`, { body: text });
    expect(msg.body.bodyText).toBe(text);
    const again = await agent.api.get(`/tickets/${ticket.id}/messages`);
    expect(again.body.items.at(-1).bodyText).toBe(text);
  });
});
