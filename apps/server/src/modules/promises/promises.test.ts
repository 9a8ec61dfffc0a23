import { eq, sql } from "drizzle-orm";
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
import { notifications } from "../notifications/notifications.table.ts";
import { runSweep } from "../sla/sweep.ts";
import { messages } from "../tickets/tickets.table.ts";

const H = 3600_000;
const M = 60_000;
const START = new Date("2026-11-23T02:00:00Z");

let t: TestApp;
let admin: { api: Api; user: Json };
let agent: { api: Api; user: Json };
let peer: { api: Api; user: Json };
let manager: { api: Api; user: Json };
let outsider: { api: Api; user: Json };
let team: { id: string };

const at = (ms: number) => new Date(START.getTime() + ms).toISOString();
const sweep = () => runSweep(withActor(t.services, SYSTEM));
const notes = (userId: string, kind: string) =>
  t.database.db
    .select()
    .from(notifications)
    .where(sql`${notifications.userId} = ${userId} and ${notifications.kind} = ${kind}`);

beforeAll(async () => {
  t = await createTestApp();
  t.clock.set(START);
  admin = await setupAdmin(t);
  team = await createTeam(admin.api, "Billing");
  const other = await createTeam(admin.api, "Sales");
  agent = await createAgent(t, admin.api, { name: "Priya", teamIds: [team.id] });
  peer = await createAgent(t, admin.api, { name: "Dara", teamIds: [team.id] });
  manager = await createAgent(t, admin.api, { name: "Lan", role: "manager", teamIds: [team.id] });
  outsider = await createAgent(t, admin.api, { name: "Kavin", teamIds: [other.id] });
});
afterAll(async () => {
  await t?.close();
});

describe("promises", () => {
  let ticket: Json;
  let refund: Json;

  it("records a refund on a ticket, with integer minor units and a currency", async () => {
    t.clock.set(START);
    ticket = await createTicket(agent.api, { teamId: team.id, assigneeId: agent.user.id });
    const res = await agent.api.post("/promises", {
      ticketId: ticket.id,
      kind: "refund",
      amountMinor: 250_000,
      currency: "VND",
      description: "Hoàn tiền đơn hàng #42",
      dueAt: at(3 * H),
      remindMinutesBefore: 60,
    });
    expect(res.status).toBe(201);
    refund = res.body;
    expect(refund).toMatchObject({
      kind: "refund",
      amountMinor: 250_000,
      currency: "VND",
      status: "open",
      owner: { id: agent.user.id },
      contact: { id: ticket.requester.id },
      ticket: { id: ticket.id, number: ticket.number },
      remindAt: at(2 * H),
      overdue: false,
    });
    const listed = await peer.api.get(`/promises?ticketId=${ticket.id}`);
    expect(listed.body.items.map((p: Json) => p.id)).toEqual([refund.id]);
  });

  it("records a call-back on a contact without a ticket, owned by someone else", async () => {
    const res = await agent.api.post("/promises", {
      contactId: ticket.requester.id,
      kind: "call_back",
      ownerId: peer.user.id,
      dueAt: at(26 * H),
    });
    expect(res.status).toBe(201);
    expect(res.body.ticket).toBeNull();
    const mine = await peer.api.get("/promises?owner=me&status=open");
    expect(mine.body.items.map((p: Json) => p.kind)).toEqual(["call_back"]);
  });

  it("shows promises on the customer's dossier timeline", async () => {
    const res = await agent.api.get(`/contacts/${ticket.requester.id}/timeline?types=promise`);
    expect(res.status).toBe(200);
    expect(res.body.items.map((i: Json) => i.kind)).toEqual(["promise", "promise"]);
    expect(res.body.items.some((i: Json) => i.data.kind === "refund" && i.data.currency === "VND")).toBe(
      true,
    );
  });

  it("reminds the owner before the due time, in the app and by email, once", async () => {
    t.clock.set(new Date(START.getTime() + 2 * H - M));
    expect((await sweep()).promises.reminded).toBe(0);
    t.clock.set(new Date(START.getTime() + 2 * H + M));
    expect((await sweep()).promises.reminded).toBe(1);
    await sweep();
    const got = await notes(agent.user.id, "promise.reminder");
    expect(got).toHaveLength(1);
    expect(got[0]?.subjectId).toBe(refund.id);
    const mails = await t.database.db
      .select()
      .from(outboundEmails)
      .where(eq(outboundEmails.to, [agent.user.email]));
    const due = mails.filter((m) => m.subject.includes("Promise due"));
    expect(due).toHaveLength(1);
    // Promise reminders have their own email kind (not the planner's).
    expect(due[0]?.kind).toBe("promise_reminder");
  });

  it("refuses to solve a ticket with an open promise unless confirmed", async () => {
    const res = await agent.api.patch(`/tickets/${ticket.id}`, { status: "solved" });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: "conflict", details: { reason: "open_promises" } });
    expect(res.body.error.details.promises.map((p: Json) => p.id)).toEqual([refund.id]);
    expect((await agent.api.get(`/tickets/${ticket.id}`)).body.status).not.toBe("solved");
    const ok = await agent.api.patch(`/tickets/${ticket.id}`, {
      status: "solved",
      confirm: ["open_promises"],
    });
    expect(ok.status).toBe(200);
    expect(ok.body.status).toBe("solved");
    expect((await agent.api.patch(`/tickets/${ticket.id}`, { confirm: ["everything"] })).status).toBe(400);
  });

  it("send and solve with an open promise: refused as a whole (no message, no email) unless confirmed", async () => {
    expect((await agent.api.patch(`/tickets/${ticket.id}`, { status: "open" })).status).toBe(200);
    const count = async (table: typeof messages | typeof outboundEmails) =>
      (
        await t.database.db
          .select({ n: sql<number>`count(*)::int` })
          .from(table)
          .where(eq(table.ticketId, ticket.id))
      )[0]?.n ?? 0;
    const [msgs, mails] = [await count(messages), await count(outboundEmails)];
    const refused = await agent.api.post(`/tickets/${ticket.id}/messages`, {
      body: "All done!",
      status: "solved",
    });
    expect(refused.status).toBe(409);
    expect(refused.body.error.details.reason).toBe("open_promises");
    expect(await count(messages)).toBe(msgs);
    expect(await count(outboundEmails)).toBe(mails);
    expect((await agent.api.get(`/tickets/${ticket.id}`)).body.status).toBe("open");
    const sent = await agent.api.post(`/tickets/${ticket.id}/messages`, {
      body: "All done!",
      status: "solved",
      confirm: ["open_promises"],
    });
    expect(sent.status).toBe(201);
    expect(await count(messages)).toBe(msgs + 1);
    expect((await agent.api.get(`/tickets/${ticket.id}`)).body.status).toBe("solved");
  });

  it("lists overdue promises for the owner and their manager, and notifies both once", async () => {
    t.clock.set(new Date(START.getTime() + 3 * H + M));
    expect((await sweep()).promises.overdue).toBe(1);
    await sweep();
    expect(await notes(agent.user.id, "promise.overdue")).toHaveLength(1);
    expect(await notes(manager.user.id, "promise.overdue")).toHaveLength(1);
    expect(await notes(peer.user.id, "promise.overdue")).toHaveLength(0);
    expect((await agent.api.get("/promises/overdue")).body.items.map((p: Json) => p.id)).toEqual([refund.id]);
    expect((await manager.api.get("/promises/overdue")).body.items.map((p: Json) => p.id)).toEqual([
      refund.id,
    ]);
    expect((await peer.api.get("/promises/overdue")).body.items).toEqual([]);
    expect((await admin.api.get("/promises?status=overdue")).body.items.map((p: Json) => p.id)).toEqual([
      refund.id,
    ]);
  });

  it("computes the kept-on-time rate per agent and per team", async () => {
    t.clock.set(new Date(START.getTime() + 4 * H));
    const late = await agent.api.patch(`/promises/${refund.id}`, { status: "kept" });
    expect(late.body).toMatchObject({ status: "kept", keptOnTime: false });
    const quick = await agent.api.post("/promises", {
      contactId: ticket.requester.id,
      kind: "send_info",
      dueAt: at(5 * H),
    });
    const kept = await agent.api.patch(`/promises/${quick.body.id}`, { status: "kept" });
    expect(kept.body.keptOnTime).toBe(true);
    expect((await agent.api.patch(`/promises/${quick.body.id}`, { status: "cancelled" })).status).toBe(400);
    t.clock.set(new Date(START.getTime() + 6 * H));
    const rate = await manager.api.get(`/promises/kept-rate?from=${at(-H)}&to=${at(10 * H)}`);
    expect(rate.status).toBe(200);
    const row = rate.body.items.find((r: Json) => r.id === agent.user.id);
    expect(row).toMatchObject({ total: 2, kept: 2, keptOnTime: 1, rate: 0.5 });
    const byTeam = await admin.api.get(`/promises/kept-rate?groupBy=team&from=${at(-H)}&to=${at(10 * H)}`);
    expect(byTeam.body.items.find((r: Json) => r.id === team.id)).toMatchObject({ total: 2, keptOnTime: 1 });
    expect((await agent.api.get("/promises/kept-rate")).status).toBe(404);
  });
});

describe("promises: access and bad input", () => {
  it("hides promises on tickets the caller may not see (404)", async () => {
    t.clock.set(START);
    const ticket = await createTicket(agent.api, { teamId: team.id });
    const p = await agent.api.post("/promises", { ticketId: ticket.id, kind: "follow_up", dueAt: at(H) });
    expect(p.status).toBe(201);
    expect((await outsider.api.get(`/promises/${p.body.id}`)).status).toBe(404);
    expect((await outsider.api.patch(`/promises/${p.body.id}`, { status: "kept" })).status).toBe(404);
    expect((await outsider.api.get(`/promises?ticketId=${ticket.id}`)).body.items).toEqual([]);
    expect(
      (await outsider.api.post("/promises", { ticketId: ticket.id, kind: "follow_up", dueAt: at(H) })).status,
    ).toBe(404);
    const anon = apiClient(t.app);
    expect((await anon.get("/promises")).status).toBe(401);
    expect((await anon.post("/promises", {})).status).toBe(401);
    expect((await anon.get("/promises/kept-rate")).status).toBe(401);
  });

  it("answers 400 to malformed, hostile and oversized input and writes nothing", async () => {
    t.clock.set(START);
    const ticket = await createTicket(agent.api, { teamId: team.id });
    const before = (await admin.api.get("/promises?limit=200")).body.items.length;
    const base = { ticketId: ticket.id, dueAt: at(H) };
    const bad: unknown[] = [
      { ...base, kind: "refund" },
      { ...base, kind: "refund", amountMinor: 10.5, currency: "EUR" },
      { ...base, kind: "refund", amountMinor: 100, currency: "euro" },
      { ...base, kind: "refund", amountMinor: -1, currency: "EUR" },
      { ...base, kind: "discount" },
      { ...base, kind: "discount", percent: 150 },
      { ...base, kind: "teleport" },
      { ...base, kind: "call_back", dueAt: "tomorrow" },
      { ...base, kind: "call_back", dueAt: at(-H) },
      { ...base, kind: "call_back", description: "x".repeat(3000) },
      { ...base, kind: "call_back", description: "a\u0000b" },
      { kind: "call_back", dueAt: at(H) },
      { ...base, kind: "call_back", ownerId: "not-a-uuid" },
      { ...base, kind: "call_back", admin: true },
      { ...base, kind: "call_back", ownerId: "00000000-0000-4000-8000-000000000000" },
    ];
    for (const body of bad) {
      const res = await agent.api.post("/promises", body);
      expect([400, 404], JSON.stringify(body).slice(0, 100)).toContain(res.status);
    }
    const html = await agent.api.post("/promises", {
      ...base,
      kind: "send_info",
      description: '<img src=x onerror="alert(1)">',
    });
    expect(html.status).toBe(201);
    expect(html.body.description).toBe('<img src=x onerror="alert(1)">');
    const raw = await agent.api.call("POST", "/promises", "{not json", {
      headers: { "content-type": "application/json" },
    });
    expect(raw.status).toBe(400);
    expect((await admin.api.get("/promises?limit=200")).body.items.length).toBe(before + 1);
  });
});
