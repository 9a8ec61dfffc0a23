import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DomainEvent } from "../../realtime/bus.ts";
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
import { outboundEmails, ticketFollowers } from "../email/email.table.ts";

let t: TestApp;
let admin: { api: Api; user: Json };
let agent: { api: Api; user: Json };
let outsider: { api: Api; user: Json };
let team: { id: string };
let other: { id: string };
const published: DomainEvent[] = [];

beforeAll(async () => {
  t = await createTestApp();
  admin = await setupAdmin(t);
  team = await createTeam(admin.api, "Billing");
  other = await createTeam(admin.api, "Sales");
  agent = await createAgent(t, admin.api, { name: "Priya", teamIds: [team.id] });
  outsider = await createAgent(t, admin.api, { name: "Kavin", teamIds: [other.id] });
  t.services.bus.subscribe((e) => published.push(e));
});
afterAll(async () => {
  await t?.close();
});

const customer = (n: string) => ({ email: `buyer-${n}@example.com`, name: `Buyer ${n}` });
const messagesOf = async (api: Api, id: string) =>
  (await api.get(`/tickets/${id}/messages?limit=200`)).body.items as Json[];
const eventsOf = async (api: Api, id: string) => (await api.get(`/tickets/${id}/events`)).body as Json[];

describe("merge", () => {
  it("moves messages, timeline, followers and promises to the target, closes the source, tells the customer in both threads", async () => {
    const who = customer("lan");
    const target = await createTicket(agent.api, {
      requester: who,
      teamId: team.id,
      channel: "email",
      language: "vi",
      message: { body: "Đơn hàng của tôi chưa đến" },
    });
    t.clock.advance(60_000);
    const source = await createTicket(agent.api, {
      requester: who,
      teamId: team.id,
      channel: "email",
      language: "vi",
      message: { body: "Tôi hỏi lại về đơn hàng" },
    });
    t.clock.advance(60_000);
    await agent.api.post(`/tickets/${source.id}/messages`, { body: "We are checking", internal: true });
    t.clock.advance(60_000);
    const promise = await agent.api.post("/promises", {
      ticketId: source.id,
      kind: "follow_up",
      description: "Call the courier",
      dueAt: new Date(Date.now() + 86_400_000).toISOString(),
    });
    expect(promise.status).toBe(201);
    published.length = 0;

    const res = await agent.api.post(`/tickets/${target.id}/merge`, { sourceIds: [source.id] });
    expect(res.status).toBe(200);
    expect(res.body.crossCustomer).toBe(false);
    expect(res.body.merged).toEqual([{ id: source.id, number: source.number, movedMessages: 2 }]);
    expect(res.body.target.messageCount).toBe(4);

    const moved = await messagesOf(agent.api, target.id);
    expect(moved.map((m: Json) => m.bodyText)).toEqual([
      "Đơn hàng của tôi chưa đến",
      "Tôi hỏi lại về đơn hàng",
      "We are checking",
      expect.stringContaining(`#${source.number}`),
    ]);
    expect(moved.at(-1).bodyText).toContain("đã được gộp vào yêu cầu này");
    expect(moved.at(-1).internal).toBe(false);

    const left = await messagesOf(agent.api, source.id);
    expect(left).toHaveLength(1);
    expect(left[0].bodyText).toContain(`#${target.number}`);
    expect(left[0].bodyText).toContain("đã được gộp vào yêu cầu");

    const closed = (await agent.api.get(`/tickets/${source.id}`)).body;
    expect(closed.status).toBe("closed");
    expect(closed.messageCount).toBe(1);

    const links = (await agent.api.get(`/tickets/${source.id}/links`)).body;
    expect(links.mergedInto).toMatchObject({ id: target.id, number: target.number });
    const targetLinks = (await agent.api.get(`/tickets/${target.id}/links`)).body;
    expect(targetLinks.mergedFrom.map((l: Json) => l.id)).toEqual([source.id]);

    const promises = (await agent.api.get(`/promises?ticketId=${target.id}`)).body.items as Json[];
    expect(promises.map((p) => p.id)).toContain(promise.body.id);

    const targetEvents = await eventsOf(agent.api, target.id);
    expect(targetEvents.find((e) => e.type === "ticket.merged")?.data).toMatchObject({
      ticketId: source.id,
      number: source.number,
      crossCustomer: false,
    });
    // The source's earlier timeline moved with its conversation.
    expect(targetEvents.filter((e) => e.type === "ticket.created")).toHaveLength(2);
    const sourceEvents = await eventsOf(agent.api, source.id);
    expect(sourceEvents.map((e) => e.type)).toEqual(
      expect.arrayContaining(["ticket.merged_into", "reply.added", "status.changed"]),
    );
    expect(sourceEvents.find((e) => e.type === "ticket.merged_into")?.data.ticketId).toBe(target.id);

    // Both notices go out by email, in Vietnamese.
    const mails = await t.database.db.select().from(outboundEmails).where(eq(outboundEmails.kind, "reply"));
    const notices = mails.filter((m) => m.bodyText.includes("gộp"));
    expect(notices.map((m) => m.ticketId).sort()).toEqual([source.id, target.id].sort());

    // Published over the realtime channel.
    const types = published.map((e) => `${e.type}:${"ticketId" in e ? e.ticketId : ""}`);
    expect(types).toContain(`ticket.updated:${target.id}`);
    expect(types).toContain(`ticket.updated:${source.id}`);
    expect(types).toContain(`message.created:${target.id}`);
  });

  it("asks to confirm a merge across customers, then records it and copies the other customer", async () => {
    const target = await createTicket(agent.api, { requester: customer("a"), teamId: team.id });
    const source = await createTicket(agent.api, { requester: customer("b"), teamId: team.id });
    const refused = await agent.api.post(`/tickets/${target.id}/merge`, { sourceIds: [source.id] });
    expect(refused.status).toBe(409);
    expect(refused.body.error.details).toMatchObject({ reason: "cross_customer", ticketIds: [source.id] });
    expect((await agent.api.get(`/tickets/${source.id}`)).body.status).not.toBe("closed");

    const ok = await agent.api.post(`/tickets/${target.id}/merge`, {
      sourceIds: [source.id],
      confirmCrossCustomer: true,
    });
    expect(ok.status).toBe(200);
    expect(ok.body.crossCustomer).toBe(true);
    const ev = (await eventsOf(agent.api, target.id)).find((e) => e.type === "ticket.merged");
    expect(ev?.data.crossCustomer).toBe(true);
    expect(ev?.actor.id).toBe(agent.user.id);
    const followers = await t.database.db
      .select()
      .from(ticketFollowers)
      .where(eq(ticketFollowers.ticketId, target.id));
    expect(followers.map((f) => f.email)).toEqual(["buyer-b@example.com"]);
  });

  it("refuses an agent without access to either ticket, and changes nothing", async () => {
    const who = customer("c");
    const mine = await createTicket(agent.api, { requester: who, teamId: team.id });
    const theirs = await createTicket(admin.api, { requester: who, teamId: other.id });
    const a = await agent.api.post(`/tickets/${mine.id}/merge`, { sourceIds: [theirs.id] });
    expect(a.status).toBe(404);
    const b = await agent.api.post(`/tickets/${theirs.id}/merge`, { sourceIds: [mine.id] });
    expect(b.status).toBe(404);
    const c = await outsider.api.post(`/tickets/${theirs.id}/merge`, { sourceIds: [mine.id] });
    expect(c.status).toBe(404);
    expect((await admin.api.get(`/tickets/${theirs.id}`)).body.status).not.toBe("closed");
    expect((await admin.api.get(`/tickets/${mine.id}`)).body.messageCount).toBe(1);
    const anon = await apiClient(t.app).post(`/tickets/${mine.id}/merge`, { sourceIds: [theirs.id] });
    expect(anon.status).toBe(401);
  });

  it("refuses bad input, closed and already merged tickets", async () => {
    const x = await createTicket(agent.api, { requester: customer("d"), teamId: team.id });
    const y = await createTicket(agent.api, { requester: customer("d"), teamId: team.id });
    for (const body of [
      {},
      { sourceIds: [] },
      { sourceIds: ["not-a-uuid"] },
      { sourceIds: [y.id], extra: 1 },
      { sourceIds: Array.from({ length: 21 }, () => crypto.randomUUID()) },
      { sourceIds: [y.id], confirmCrossCustomer: "<script>" },
    ]) {
      const res = await agent.api.post(`/tickets/${x.id}/merge`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    expect((await agent.api.post(`/tickets/${x.id}/merge`, { sourceIds: [x.id] })).status).toBe(400);
    expect(
      (await agent.api.post(`/tickets/${x.id}/merge`, { sourceIds: [crypto.randomUUID()] })).status,
    ).toBe(404);
    expect((await agent.api.post(`/tickets/${x.id}/merge`, { sourceIds: [y.id] })).status).toBe(200);
    // y is merged and closed now: neither side of another merge.
    const z = await createTicket(agent.api, { requester: customer("d"), teamId: team.id });
    expect((await agent.api.post(`/tickets/${z.id}/merge`, { sourceIds: [y.id] })).status).toBe(403);
    expect((await agent.api.post(`/tickets/${y.id}/merge`, { sourceIds: [z.id] })).status).toBe(403);
  });
});

describe("related links", () => {
  it("links two tickets, shows the link on both, records and removes it", async () => {
    const a = await createTicket(agent.api, { teamId: team.id });
    const b = await createTicket(agent.api, { teamId: null });
    published.length = 0;
    const res = await agent.api.post(`/tickets/${a.id}/links`, { ticketId: b.id });
    expect(res.status).toBe(200);
    expect(res.body.related.map((l: Json) => l.id)).toEqual([b.id]);
    const back = (await agent.api.get(`/tickets/${b.id}/links`)).body;
    expect(back.related.map((l: Json) => l.number)).toEqual([a.number]);
    // Linking again is a no-op.
    expect((await agent.api.post(`/tickets/${b.id}/links`, { ticketId: a.id })).body.related).toHaveLength(1);
    expect((await eventsOf(agent.api, b.id)).filter((e) => e.type === "link.added")).toHaveLength(1);
    expect(
      published
        .filter((e) => e.type === "ticket.updated")
        .map((e) => e.ticketId)
        .sort(),
    ).toEqual([a.id, b.id].sort());

    const del = await agent.api.delete(`/tickets/${b.id}/links?ticketId=${a.id}`);
    expect(del.status).toBe(200);
    expect(del.body.related).toEqual([]);
    expect((await eventsOf(agent.api, a.id)).map((e) => e.type)).toContain("link.removed");
  });

  it("hides a linked ticket the viewer may not see, and refuses links to it", async () => {
    const shared = await createTicket(admin.api, { teamId: null });
    const secret = await createTicket(admin.api, { teamId: other.id });
    expect((await admin.api.post(`/tickets/${shared.id}/links`, { ticketId: secret.id })).status).toBe(200);
    const seen = (await agent.api.get(`/tickets/${shared.id}/links`)).body;
    expect(seen.related).toEqual([]);
    expect(seen.hidden).toBe(1);
    expect((await agent.api.get(`/tickets/${secret.id}/links`)).status).toBe(404);
    expect((await agent.api.post(`/tickets/${shared.id}/links`, { ticketId: secret.id })).status).toBe(404);
    expect((await agent.api.delete(`/tickets/${shared.id}/links?ticketId=${secret.id}`)).status).toBe(404);
    expect((await apiClient(t.app).get(`/tickets/${shared.id}/links`)).status).toBe(401);
  });

  it("refuses bad input", async () => {
    const a = await createTicket(agent.api, { teamId: team.id });
    expect((await agent.api.post(`/tickets/${a.id}/links`, { ticketId: a.id })).status).toBe(400);
    expect((await agent.api.post(`/tickets/${a.id}/links`, { ticketId: "x" })).status).toBe(400);
    expect((await agent.api.post(`/tickets/${a.id}/links`, {})).status).toBe(400);
    expect((await agent.api.delete(`/tickets/${a.id}/links`)).status).toBe(400);
    expect((await agent.api.get(`/tickets/not-a-uuid/links`)).status).toBe(400);
  });
});

describe("split", () => {
  it("moves one message into a new ticket for the same requester; both timelines record it", async () => {
    const src = await createTicket(agent.api, { teamId: team.id, message: { body: "Parcel late" } });
    const second = await agent.api.post(`/tickets/${src.id}/messages`, {
      body: "Also: my invoice is wrong",
      authorType: "customer",
    });
    expect(second.status).toBe(201);
    const res = await agent.api.post(`/tickets/${src.id}/messages/${second.body.id}/split`, {
      subject: "Invoice is wrong",
    });
    expect(res.status).toBe(201);
    const fresh = res.body.ticket;
    expect(fresh.subject).toBe("Invoice is wrong");
    expect(fresh.requester.id).toBe(src.requester.id);
    expect(fresh.team?.id).toBe(team.id);
    expect(fresh.messageCount).toBe(1);
    expect((await messagesOf(agent.api, fresh.id)).map((m: Json) => m.id)).toEqual([second.body.id]);
    expect((await messagesOf(agent.api, src.id)).map((m: Json) => m.bodyText)).toEqual(["Parcel late"]);
    expect((await agent.api.get(`/tickets/${src.id}`)).body.messageCount).toBe(1);
    expect((await eventsOf(agent.api, src.id)).find((e) => e.type === "message.split")?.data).toMatchObject({
      messageId: second.body.id,
      ticketId: fresh.id,
    });
    expect(
      (await eventsOf(agent.api, fresh.id)).find((e) => e.type === "ticket.split_from")?.data,
    ).toMatchObject({
      ticketId: src.id,
      number: src.number,
    });
    expect((await agent.api.get(`/tickets/${src.id}/links`)).body.related.map((l: Json) => l.id)).toEqual([
      fresh.id,
    ]);
  });

  it("refuses the only message, another ticket's message, closed tickets, strangers and bad input", async () => {
    const src = await createTicket(agent.api, { teamId: team.id });
    const [only] = await messagesOf(agent.api, src.id);
    expect((await agent.api.post(`/tickets/${src.id}/messages/${only.id}/split`, {})).status).toBe(400);
    const elsewhere = await createTicket(agent.api, { teamId: team.id });
    const [theirs] = await messagesOf(agent.api, elsewhere.id);
    expect((await agent.api.post(`/tickets/${src.id}/messages/${theirs.id}/split`, {})).status).toBe(404);
    expect((await outsider.api.post(`/tickets/${src.id}/messages/${only.id}/split`, {})).status).toBe(404);
    expect((await apiClient(t.app).post(`/tickets/${src.id}/messages/${only.id}/split`, {})).status).toBe(
      401,
    );
    const huge = await agent.api.post(`/tickets/${src.id}/messages/${only.id}/split`, {
      subject: "x".repeat(501),
    });
    expect(huge.status).toBe(400);
    expect((await agent.api.post(`/tickets/${src.id}/messages/nope/split`, {})).status).toBe(400);
    await agent.api.post(`/tickets/${src.id}/messages`, { body: "more", authorType: "customer" });
    await agent.api.patch(`/tickets/${src.id}`, { status: "closed" });
    expect((await agent.api.post(`/tickets/${src.id}/messages/${only.id}/split`, {})).status).toBe(403);
  });
});
