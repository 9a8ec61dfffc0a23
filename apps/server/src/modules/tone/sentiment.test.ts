import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Api,
  createAgent,
  createTeam,
  createTicket,
  type Json,
  setupAdmin,
} from "../../test/factories.ts";
import { createTestApp, type TestApp } from "../../test/harness.ts";
import { messages } from "../tickets/tickets.table.ts";

/** The angry-customer flag through the API: tickets, messages, notices, triggers, SLA, views. */
let t: TestApp;
let admin: { api: Api; user: Json };
let agent: { api: Api; user: Json };
let outsider: { api: Api; user: Json };
let manager: { api: Api; user: Json };
let team: { id: string };

const ANGRY = "This is unacceptable. I have been waiting three weeks and nobody answers!";
const HAPPY = "Thank you so much, the replacement arrived and works perfectly.";
const reply = (api: Api, id: string, body: string, extra: Record<string, unknown> = {}) =>
  api.post(`/tickets/${id}/messages`, { body, authorType: "customer", ...extra });
const noticesOf = async (api: Api, ticketId: string) =>
  ((await api.get("/notifications?limit=100")).body.items as Json[]).filter(
    (n) => n.kind === "ticket.negative_sentiment" && n.ticketId === ticketId,
  );

beforeAll(async () => {
  t = await createTestApp();
  admin = await setupAdmin(t);
  team = await createTeam(admin.api, "Care");
  const other = await createTeam(admin.api, "Elsewhere");
  agent = await createAgent(t, admin.api, { name: "Dara", teamIds: [team.id] });
  manager = await createAgent(t, admin.api, { name: "Lan", role: "manager", teamIds: [team.id] });
  outsider = await createAgent(t, admin.api, { name: "Kavi", teamIds: [other.id] });
});
afterAll(async () => {
  await t?.close();
});

describe("sentiment of customer messages", () => {
  it("scores a new ticket's first message; the ticket carries latest and worst", async () => {
    const angry = await createTicket(admin.api, { message: { body: ANGRY }, language: "en" });
    expect([angry.sentiment, angry.worstSentiment]).toEqual(["negative", "negative"]);
    const calm = await createTicket(admin.api, { message: { body: "When will my order ship?" } });
    expect([calm.sentiment, calm.worstSentiment]).toEqual(["neutral", "neutral"]);
    const none = await createTicket(admin.api, { message: undefined });
    expect([none.sentiment, none.worstSentiment]).toEqual([null, null]);
    const msgs = (await admin.api.get(`/tickets/${angry.id}/messages`)).body;
    expect((msgs.items ?? msgs)[0].sentiment).toBe("negative");
  });

  it("a reply updates the latest; the worst stays; agents' messages are not scored", async () => {
    const tk = await createTicket(admin.api, { message: { body: "Hello, where is my parcel?" } });
    expect(tk.sentiment).toBe("neutral");
    // The ticket's language picks the lexicon; Vietnamese typed without diacritics.
    await admin.api.patch(`/tickets/${tk.id}`, { language: "vi" });
    expect((await reply(admin.api, tk.id, "toi rat buc minh, hang bi hong")).status).toBe(201);
    let now = (await admin.api.get(`/tickets/${tk.id}`)).body;
    expect([now.sentiment, now.worstSentiment]).toEqual(["negative", "negative"]);
    expect((await reply(admin.api, tk.id, "Cảm ơn shop nhiều, rất hài lòng")).status).toBe(201);
    now = (await admin.api.get(`/tickets/${tk.id}`)).body;
    expect([now.sentiment, now.worstSentiment]).toEqual(["positive", "negative"]);
    const agentReply = await admin.api.post(`/tickets/${tk.id}/messages`, {
      body: "This is terrible news, sorry",
    });
    expect(agentReply.status).toBe(201);
    now = (await admin.api.get(`/tickets/${tk.id}`)).body;
    expect(now.sentiment).toBe("positive");
    const [row] = await t.database.db.select().from(messages).where(eq(messages.id, agentReply.body.id));
    expect(row?.sentiment).toBeNull();
  });

  it("Khmer and Tamil tickets are scored in their language", async () => {
    const km = await createTicket(admin.api, {
      message: { body: "សេវាអាក្រក់ណាស់ ខ្ញុំមិនពេញចិត្តទេ" },
      language: "km",
    });
    expect(km.sentiment).toBe("negative");
    const ta = await createTicket(admin.api, {
      message: { body: "மிக்க நன்றி, அருமையான சேவை" },
      language: "ta",
    });
    expect(ta.sentiment).toBe("positive");
  });

  it("tells the assignee and the team's managers once when a ticket turns negative", async () => {
    const tk = await createTicket(admin.api, {
      teamId: team.id,
      assigneeId: agent.user.id,
      message: { body: "Hi, a question about my invoice." },
    });
    expect(await noticesOf(agent.api, tk.id)).toHaveLength(0);
    await reply(admin.api, tk.id, ANGRY);
    expect(await noticesOf(agent.api, tk.id)).toHaveLength(1);
    expect(await noticesOf(manager.api, tk.id)).toHaveLength(1);
    // Still negative: no second notice; an agent of another team hears nothing.
    await reply(admin.api, tk.id, "Still broken. Terrible.");
    expect(await noticesOf(agent.api, tk.id)).toHaveLength(1);
    expect(await noticesOf(outsider.api, tk.id)).toHaveLength(0);
    const [n] = await noticesOf(agent.api, tk.id);
    expect(n.title).toContain(`#${tk.number}`);
  });

  it("a new negative ticket routed to a team tells its managers", async () => {
    const tk = await createTicket(admin.api, { teamId: team.id, message: { body: ANGRY } });
    expect(await noticesOf(manager.api, tk.id)).toHaveLength(1);
  });
});

describe("sentiment in triggers, SLA policies and views", () => {
  it("a trigger on ticket.sentiment raises the priority; bad values are refused", async () => {
    const key = `angry-${randomUUID().slice(0, 8)}`;
    const trig = await admin.api.post("/triggers", {
      name: `Angry ${key}`,
      events: ["customer.replied"],
      match: "all",
      conditions: [
        { field: "ticket.tags", op: "includes", value: key },
        { field: "ticket.sentiment", op: "changed_to", value: "negative" },
      ],
      actions: [{ type: "set_priority", value: "urgent" }],
    });
    expect(trig.status, trig.raw).toBe(201);
    const tk = await createTicket(admin.api, { tags: [key], message: { body: "Where is my order?" } });
    expect(tk.priority).toBe("normal");
    await reply(admin.api, tk.id, ANGRY);
    expect((await admin.api.get(`/tickets/${tk.id}`)).body.priority).toBe("urgent");
    for (const conditions of [
      [{ field: "ticket.sentiment", op: "is", value: "furious" }],
      [{ field: "ticket.worst_sentiment", op: "in", value: ["negative", "livid"] }],
      [{ field: "message.sentiment", op: "is", value: 3 }],
    ]) {
      const bad = await admin.api.post("/triggers", {
        name: `Bad ${key}`,
        events: ["customer.replied"],
        match: "all",
        conditions,
        actions: [{ type: "set_priority", value: "high" }],
      });
      expect(bad.status, JSON.stringify(conditions)).toBe(400);
    }
    // Time rules can use sentiment too (set-based SQL on the enum column).
    const timed = await admin.api.post("/time-rules", {
      name: `Angry waiting ${key}`,
      match: "all",
      conditions: [
        { field: "ticket.worst_sentiment", op: "is", value: "negative" },
        { field: "ticket.tags", op: "includes", value: key },
        // Any age (a time rule needs a time condition).
        { field: "ticket.hours_since_created", op: "gt", value: -1 },
      ],
      actions: [{ type: "add_tags", tags: ["angry-seen"] }],
    });
    expect(timed.status, timed.raw).toBe(201);
    expect((await admin.api.post("/time-rules/run")).status).toBe(200);
    expect((await admin.api.get(`/tickets/${tk.id}`)).body.tags).toContain("angry-seen");
    await admin.api.delete(`/time-rules/${timed.body.id}`);
    await admin.api.delete(`/triggers/${trig.body.id}`);
  });

  it("an SLA policy chosen by sentiment, re-selected when the customer turns negative", async () => {
    const key = `sla-${randomUUID().slice(0, 8)}`;
    const policy = await admin.api.post("/sla/policies", {
      name: `Angry ${key}`,
      position: 0,
      conditions: [
        { field: "sentiment", op: "is", value: "negative" },
        { field: "tag", op: "is", value: key },
      ],
      targets: { firstResponse: { minutes: 15, goalMinutes: null, business: false } },
    });
    expect(policy.status, policy.raw).toBe(201);
    try {
      const angry = await createTicket(admin.api, { tags: [key], message: { body: ANGRY } });
      expect((await admin.api.get(`/tickets/${angry.id}/sla`)).body.policy.name).toBe(`Angry ${key}`);
      const calm = await createTicket(admin.api, { tags: [key], message: { body: "Can I pay by card?" } });
      expect((await admin.api.get(`/tickets/${calm.id}/sla`)).body.policy.name).not.toBe(`Angry ${key}`);
      await reply(admin.api, calm.id, ANGRY);
      expect((await admin.api.get(`/tickets/${calm.id}/sla`)).body.policy.name).toBe(`Angry ${key}`);
    } finally {
      await admin.api.delete(`/sla/policies/${policy.body.id}`);
    }
  });

  it("a custom view filters by sentiment within the viewer's visibility; bad filters are refused", async () => {
    const key = `view-${randomUUID().slice(0, 8)}`;
    const angry = await createTicket(admin.api, { tags: [key], teamId: team.id, message: { body: ANGRY } });
    await createTicket(admin.api, { tags: [key], teamId: team.id, message: { body: HAPPY } });
    const filters = { tags: [key], sentiment: ["negative"] };
    const mine = await agent.api.post("/views", { name: "Angry", filters });
    expect(mine.status, mine.raw).toBe(201);
    const listed = await agent.api.get(`/views/${mine.body.id}/tickets`);
    expect(listed.body.items.map((x: Json) => x.id)).toEqual([angry.id]);
    const worst = await agent.api.post("/views", {
      name: "Ever angry",
      filters: { tags: [key], worstSentiment: ["negative"] },
    });
    expect((await agent.api.get(`/views/${worst.body.id}/tickets`)).body.items).toHaveLength(1);
    // Another team's agent sees none of them through the same filter.
    const theirs = await outsider.api.post("/views", { name: "Angry", filters });
    expect((await outsider.api.get(`/views/${theirs.body.id}/tickets`)).body.items).toEqual([]);
    expect((await outsider.api.get(`/views/${mine.body.id}/tickets`)).status).toBe(404);
    for (const bad of [
      { sentiment: ["livid"] },
      { sentiment: [] },
      { sentiment: "negative" },
      { worstSentiment: [1] },
    ]) {
      const res = await agent.api.post("/views", { name: "Bad", filters: bad });
      expect(res.status, JSON.stringify(bad)).toBe(400);
    }
    const badSla = await admin.api.post("/sla/policies", {
      name: "Bad",
      conditions: [{ field: "mood", op: "is", value: "negative" }],
      targets: { firstResponse: { minutes: 15, goalMinutes: null, business: false } },
    });
    expect(badSla.status).toBe(400);
  });
});
