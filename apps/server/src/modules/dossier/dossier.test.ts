import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAgent, createTeam, createTicket, setupAdmin } from "../../test/factories.ts";
import { createTestApp, type TestApp } from "../../test/harness.ts";

describe("customer dossier", () => {
  let t: TestApp;
  let admin: Awaited<ReturnType<typeof setupAdmin>>;
  let ann: Awaited<ReturnType<typeof createAgent>>;
  let eve: Awaited<ReturnType<typeof createAgent>>;
  let contactId: string;
  let orgId: string;
  let hiddenTicket: { id: string };
  const ticketIds: string[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    admin = await setupAdmin(t);
    const team = await createTeam(admin.api, "VIP desk");
    ann = await createAgent(t, admin.api, { name: "Ann", teamIds: [team.id] });
    eve = await createAgent(t, admin.api, { name: "Eve" });
    const org = await admin.api.post("/organizations", {
      name: "Công ty Hương Giang",
      domains: ["huonggiang.vn"],
      accountOwnerId: ann.user.id,
    });
    expect(org.status, org.raw).toBe(201);
    orgId = org.body.id;
    const c = await admin.api.post("/contacts", {
      name: "Trần Văn Bình",
      emails: ["binh@huonggiang.vn"],
      organizationId: orgId,
      tags: ["vip"],
    });
    contactId = c.body.id;
    for (let i = 0; i < 3; i++) {
      t.clock.advance(60_000);
      const tk = await createTicket(admin.api, {
        subject: `Đơn hàng ${i} bị trễ`,
        requester: { id: contactId },
        channel: i === 0 ? "email" : "chat",
        message: { body: `Tin nhắn số ${i}: giao hàng chậm` },
      });
      ticketIds.push(tk.id);
      t.clock.advance(60_000);
      await admin.api.post(`/tickets/${tk.id}/messages`, { body: `Reply ${i} about the invoice` });
    }
    await admin.api.patch(`/tickets/${ticketIds[0]}`, { status: "solved" });
    t.clock.advance(60_000);
    hiddenTicket = await createTicket(admin.api, {
      subject: "Secret VIP escalation",
      requester: { id: contactId },
      teamId: team.id,
      assigneeId: ann.user.id,
    });
  });
  afterAll(() => t.close());

  it("shows profile, organization, account owner, figures, open tickets, last and next contact", async () => {
    t.clock.advance(60_000);
    const p = await ann.api.post("/planner/contacts", {
      contactId,
      date: "2020-01-02",
      purpose: "Check delivery",
    });
    t.clock.advance(60_000);
    const done = await ann.api.post(`/planner/contacts/${p.body.id}/complete`, {
      outcome: "Happy; call again about renewal",
      next: { kind: "on_date", date: "2099-05-01" },
    });
    expect(done.status).toBe(200);
    const res = await ann.api.get(`/contacts/${contactId}/dossier`);
    expect(res.status, res.raw).toBe(200);
    const d = res.body;
    expect(d.contact.name).toBe("Trần Văn Bình");
    expect(d.organization).toMatchObject({ id: orgId, accountOwner: { id: ann.user.id, name: "Ann" } });
    expect(d.accountOwner).toEqual({ id: ann.user.id, name: "Ann" });
    expect(d.tags).toEqual(["vip"]);
    expect(d.figures.tickets.total).toBe(4);
    expect(d.figures.tickets.byStatus.solved).toBe(1);
    expect(d.figures.firstContactAt).not.toBeNull();
    expect(d.openTickets.map((x: { id: string }) => x.id).sort()).toEqual(
      [ticketIds[1], ticketIds[2], hiddenTicket.id].sort(),
    );
    expect(d.lastContact).toMatchObject({
      id: p.body.id,
      status: "done",
      outcome: "Happy; call again about renewal",
    });
    expect(d.nextContact).toMatchObject({ date: "2099-05-01", notes: "Happy; call again about renewal" });
    const kinds = new Set(d.timeline.items.map((i: { kind: string }) => i.kind));
    expect([...kinds].sort()).toEqual(["message", "planned_contact", "ticket_event"]);
    // Each reply appears once: as its message, not also as a "reply added" event.
    const events = await ann.api.get(`/contacts/${contactId}/timeline?types=ticket_event&limit=100`);
    const types = events.body.items.map((i: { type: string }) => i.type);
    expect(types).toContain("ticket.created");
    expect(types.filter((x: string) => x === "reply.added" || x === "note.added")).toEqual([]);
  });

  it("writes notes, filters the timeline by type and channel, and searches it without diacritics", async () => {
    const note = await ann.api.post(`/contacts/${contactId}/notes`, {
      body: "Prefers Zalo over email; ask for Bình",
    });
    expect(note.status).toBe(201);
    const notes = await ann.api.get(`/contacts/${contactId}/timeline?types=note`);
    expect(notes.body.items).toHaveLength(1);
    expect(notes.body.items[0]).toMatchObject({
      kind: "note",
      text: "Prefers Zalo over email; ask for Bình",
    });
    const chats = await ann.api.get(`/contacts/${contactId}/timeline?types=message&channel=chat`);
    expect(chats.body.items.length).toBeGreaterThan(0);
    for (const i of chats.body.items) expect(i.channel).toBe("chat");
    const found = await ann.api.get(
      `/contacts/${contactId}/timeline?q=${encodeURIComponent("giao hang cham")}`,
    );
    expect(found.body.items.map((i: { kind: string }) => i.kind)).toEqual(["message", "message", "message"]);
    const outcome = await ann.api.get(`/contacts/${contactId}/timeline?q=renewal`);
    expect(outcome.body.items.some((i: { kind: string }) => i.kind === "planned_contact")).toBe(true);
    const zalo = await ann.api.get(`/contacts/${contactId}/timeline?q=zalo`);
    expect(zalo.body.items.map((i: { kind: string }) => i.kind)).toEqual(["note"]);
  });

  it("pages through the whole timeline with a cursor, each item exactly once, newest first", async () => {
    const all = await ann.api.get(`/contacts/${contactId}/timeline?limit=200`);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: { items: Array<{ key: string; at: string }>; nextCursor: string | null } } =
        await ann.api.get(`/contacts/${contactId}/timeline?limit=3${cursor ? `&cursor=${cursor}` : ""}`);
      seen.push(...res.body.items.map((i) => i.key));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.body.items.map((i: { key: string }) => i.key));
    expect(new Set(seen).size).toBe(seen.length);
    const ats = all.body.items.map((i: { at: string }) => i.at);
    expect([...ats].sort().reverse()).toEqual(ats);
  });

  it("shows an agent only the tickets and plans they may see", async () => {
    const res = await eve.api.get(`/contacts/${contactId}/dossier?limit=200`);
    expect(res.status).toBe(200);
    expect(res.body.openTickets.map((x: { id: string }) => x.id)).not.toContain(hiddenTicket.id);
    expect(res.body.figures.tickets.total).toBe(3);
    const tl = res.body.timeline.items;
    expect(tl.some((i: { ticket: { id: string } | null }) => i.ticket?.id === hiddenTicket.id)).toBe(false);
    expect(tl.some((i: { kind: string }) => i.kind === "planned_contact")).toBe(false);
    expect(res.body.nextContact).toBeNull();
    expect(res.body.lastContact).toBeNull();
  });

  it("rejects hostile input and unknown contacts", async () => {
    expect((await ann.api.get(`/contacts/${randomUUID()}/dossier`)).status).toBe(404);
    expect((await ann.api.get("/contacts/not-a-uuid/dossier")).status).toBe(400);
    expect((await ann.api.get(`/contacts/${contactId}/timeline?cursor=garbage`)).status).toBe(400);
    const forged = Buffer.from(JSON.stringify(["not a date", "note", "x"])).toString("base64url");
    expect((await ann.api.get(`/contacts/${contactId}/timeline?cursor=${forged}`)).status).toBe(400);
    expect((await ann.api.get(`/contacts/${contactId}/timeline?types=spam`)).status).toBe(400);
    expect((await ann.api.get(`/contacts/${contactId}/timeline?q=a%00b`)).status).toBe(400);
    expect((await ann.api.get(`/contacts/${contactId}/timeline?limit=100000`)).status).toBe(400);
    expect(
      (await ann.api.get(`/contacts/${contactId}/timeline?q=${encodeURIComponent("%_\\'")}`)).status,
    ).toBe(200);
    expect((await ann.api.post(`/contacts/${contactId}/notes`, { body: "" })).status).toBe(400);
    expect((await ann.api.post(`/contacts/${contactId}/notes`, { body: "a\u0000b" })).status).toBe(400);
    expect((await ann.api.post(`/contacts/${contactId}/notes`, { body: "x", extra: 1 })).status).toBe(400);
    expect((await ann.api.post(`/contacts/${randomUUID()}/notes`, { body: "x" })).status).toBe(404);
    expect(
      (await t.app.inject({ method: "GET", url: `/api/v1/contacts/${contactId}/dossier` })).statusCode,
    ).toBe(401);
  });
});
