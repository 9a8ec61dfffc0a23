import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SYSTEM } from "../../auth/actor.ts";
import { type Services, withActor } from "../../context.ts";
import { type Database, openPostgres } from "../../db/client.ts";
import { jobs } from "../../jobs/jobs.table.ts";
import { startWorker } from "../../jobs/worker.ts";
import { createServices } from "../../services.ts";
import {
  type Api,
  createAgent,
  createTeam,
  createTicket,
  type Json,
  setupAdmin,
} from "../../test/factories.ts";
import { createTestApp, type TestApp, testConfig } from "../../test/harness.ts";
import { contacts } from "../contacts/contacts.table.ts";
import { notifications } from "../notifications/notifications.table.ts";
import { tickets } from "../tickets/tickets.table.ts";
import { instantOfWallClock } from "./business-hours.ts";
import { promisedFirstResponseAt } from "./clocks.ts";
import { slaTargets } from "./sla.table.ts";
import { ESCALATE_JOB, runSweep, slaJobHandlers } from "./sweep.ts";

const H = 3600_000;
const M = 60_000;
const HCM = "Asia/Ho_Chi_Minh";
/** A local time in Ho Chi Minh City (the organisation's zone, so the default calendar's). */
const hcm = (y: number, mo: number, d: number, h: number, mi = 0) =>
  new Date(instantOfWallClock(Date.UTC(y, mo - 1, d, h, mi), HCM));
const MONDAY_9 = hcm(2026, 11, 23, 9);

let t: TestApp;
let admin: { token: string; api: Api; user: Json };
let agent: { api: Api; user: Json };
let outsider: { api: Api; user: Json };
let manager: { api: Api; user: Json };
let team: { id: string };

const sys = () => withActor(t.services, SYSTEM);
const sla = async (id: string) => {
  const res = await admin.api.get(`/tickets/${id}/sla`);
  expect(res.status).toBe(200);
  return res.body;
};
const target = (s: Json, metric: string, cycle = 0) =>
  s.targets.find((x: Json) => x.metric === metric && x.cycle === cycle);
const customerSays = (id: string, body = "Any news?") =>
  admin.api.post(`/tickets/${id}/messages`, { body, authorType: "customer" });
const notificationsOf = (userId: string) =>
  t.database.db.select().from(notifications).where(eq(notifications.userId, userId));

beforeAll(async () => {
  t = await createTestApp();
  t.clock.set(MONDAY_9);
  admin = await setupAdmin(t);
  team = await createTeam(admin.api, "Support VN");
  agent = await createAgent(t, admin.api, { name: "Ánh", teamIds: [team.id] });
  manager = await createAgent(t, admin.api, { name: "Minh", role: "manager", teamIds: [team.id] });
  const other = await createTeam(admin.api, "Other");
  outsider = await createAgent(t, admin.api, { name: "Sok", teamIds: [other.id] });
});
afterAll(async () => {
  await t?.close();
});

describe("default calendar and policy", () => {
  it("creates the default calendar and the 10h/8h policy on first use", async () => {
    const cals = await admin.api.get("/sla/calendars");
    expect(cals.status).toBe(200);
    expect(cals.body.items).toHaveLength(1);
    expect(cals.body.items[0]).toMatchObject({ isDefault: true, timeZone: HCM });
    const pols = await agent.api.get("/sla/policies");
    expect(pols.body.items.at(-1)).toMatchObject({
      isDefault: true,
      targets: { firstResponse: { minutes: 600, goalMinutes: 480, business: true } },
    });
  });

  it("promises 10 business hours and aims for 8 (Monday 09:00 -> due Tuesday 11:00, goal Monday 17:00)", async () => {
    t.clock.set(MONDAY_9);
    const ticket = await createTicket(admin.api, { teamId: team.id });
    const s = await sla(ticket.id);
    const fr = target(s, "first_response");
    expect(fr.dueAt).toBe(hcm(2026, 11, 24, 11).toISOString());
    expect(fr.goalAt).toBe(hcm(2026, 11, 23, 17).toISOString());
    expect(s.state).toBe("on_track");
    expect(s.policy.name).toBe("Default");
    expect((await promisedFirstResponseAt(t.database.db, ticket.id))?.toISOString()).toBe(fr.dueAt);
    const listed = await admin.api.get(`/tickets/${ticket.id}`);
    expect(listed.body.nextDueAt).toBe(fr.dueAt);
  });

  it("records the first public agent reply as met with the actual time; notes do not count", async () => {
    t.clock.set(MONDAY_9);
    const ticket = await createTicket(admin.api, { teamId: team.id });
    t.clock.set(new Date(MONDAY_9.getTime() + 30 * M));
    await admin.api.post(`/tickets/${ticket.id}/messages`, { body: "note", internal: true });
    expect(target(await sla(ticket.id), "first_response").metAt).toBeNull();
    t.clock.set(new Date(MONDAY_9.getTime() + 75 * M));
    const r = await admin.api.post(`/tickets/${ticket.id}/messages`, { body: "On it" });
    expect(r.status).toBe(201);
    const s = await sla(ticket.id);
    const fr = target(s, "first_response");
    expect(fr).toMatchObject({ status: "met", elapsedMs: 75 * M, metGoal: true });
    expect(fr.metAt).toBe(new Date(MONDAY_9.getTime() + 75 * M).toISOString());
    expect(s.nextDueAt).toBeNull();
    const [row] = await t.database.db.select().from(tickets).where(eq(tickets.id, ticket.id));
    expect(row?.nextDueAt).toBeNull();
  });
});

describe("policies", () => {
  let vipPolicy: Json;
  let calendar24: Json;
  it("admin creates a 24/7 calendar and a policy for urgent VIP customers; agents may not", async () => {
    const week = Object.fromEntries(
      ["0", "1", "2", "3", "4", "5", "6"].map((d) => [d, [{ start: "00:00", end: "24:00" }]]),
    );
    const denied = await agent.api.post("/sla/calendars", { name: "24/7", timeZone: "UTC", week });
    expect(denied.status).toBe(403);
    const cal = await admin.api.post("/sla/calendars", {
      name: "24/7 Cambodia",
      timeZone: "Asia/Phnom_Penh",
      week,
      holidays: [{ date: "2026-04-14", yearly: true, name: "Choul Chnam Thmey" }],
    });
    expect(cal.status).toBe(201);
    calendar24 = cal.body;
    const res = await admin.api.post("/sla/policies", {
      name: "VIP urgent",
      position: 1,
      conditions: [
        { field: "priority", op: "in", value: ["urgent", "high"] },
        { field: "contact.tier", op: "is", value: "vip" },
      ],
      calendarId: calendar24.id,
      targets: {
        firstResponse: { minutes: 60, goalMinutes: 30, business: false },
        nextResponse: { minutes: 120, goalMinutes: null, business: true },
        resolution: { minutes: 24 * 60, goalMinutes: null, business: true },
      },
      warnMinutes: 15,
      escalations: [{ type: "notify" }, { type: "raise_priority" }, { type: "notify_manager" }],
    });
    expect(res.status).toBe(201);
    vipPolicy = res.body;
  });

  it("chooses the policy by priority and a contact field, in order", async () => {
    t.clock.set(MONDAY_9);
    const vip = await createTicket(admin.api, { priority: "urgent", teamId: team.id });
    // Without the tier: the default policy.
    expect((await sla(vip.id)).policy.name).toBe("Default");
    await t.database.db
      .update(contacts)
      .set({ customFields: { tier: "VIP" } })
      .where(eq(contacts.id, vip.requester.id));
    const again = await createTicket(admin.api, {
      priority: "urgent",
      teamId: team.id,
      requester: { id: vip.requester.id },
    });
    const s = await sla(again.id);
    expect(s.policy.name).toBe("VIP urgent");
    expect(target(s, "first_response").dueAt).toBe(new Date(MONDAY_9.getTime() + H).toISOString());
    expect(target(s, "resolution").dueAt).toBe(new Date(MONDAY_9.getTime() + 24 * H).toISOString());
    // Normal priority, same VIP contact: default.
    const normal = await createTicket(admin.api, { teamId: team.id, requester: { id: vip.requester.id } });
    expect((await sla(normal.id)).policy.name).toBe("Default");
  });

  it("recomputes due times when the priority changes, from the time already consumed", async () => {
    t.clock.set(MONDAY_9);
    const ticket = await createTicket(admin.api, { teamId: team.id });
    await t.database.db
      .update(contacts)
      .set({ customFields: { tier: "vip" } })
      .where(eq(contacts.id, ticket.requester.id));
    t.clock.set(new Date(MONDAY_9.getTime() + 20 * M));
    const res = await admin.api.patch(`/tickets/${ticket.id}`, { priority: "high" });
    expect(res.status).toBe(200);
    const s = await sla(ticket.id);
    expect(s.policy.name).toBe("VIP urgent");
    // 20 minutes of 60 are gone: due 40 minutes after the change.
    expect(target(s, "first_response").dueAt).toBe(new Date(MONDAY_9.getTime() + 60 * M).toISOString());
    expect(res.body.nextDueAt).toBe(new Date(MONDAY_9.getTime() + 60 * M).toISOString());
    // Back to normal: the default 10 business hours again.
    t.clock.set(new Date(MONDAY_9.getTime() + 30 * M));
    await admin.api.patch(`/tickets/${ticket.id}`, { priority: "normal" });
    expect(target(await sla(ticket.id), "first_response").dueAt).toBe(hcm(2026, 11, 24, 11).toISOString());
  });

  it("starts a next-response clock on each customer message after the first reply", async () => {
    t.clock.set(MONDAY_9);
    const c = await createTicket(admin.api, { priority: "urgent", teamId: team.id });
    await t.database.db
      .update(contacts)
      .set({ customFields: { tier: "vip" } })
      .where(eq(contacts.id, c.requester.id));
    const ticket = await createTicket(admin.api, {
      priority: "urgent",
      teamId: team.id,
      requester: { id: c.requester.id },
    });
    t.clock.set(new Date(MONDAY_9.getTime() + 10 * M));
    await admin.api.post(`/tickets/${ticket.id}/messages`, { body: "Looking" });
    t.clock.set(new Date(MONDAY_9.getTime() + 60 * M));
    await customerSays(ticket.id);
    t.clock.set(new Date(MONDAY_9.getTime() + 70 * M));
    await customerSays(ticket.id, "Hello?");
    let s = await sla(ticket.id);
    expect(target(s, "next_response", 1).dueAt).toBe(new Date(MONDAY_9.getTime() + 180 * M).toISOString());
    expect(target(s, "next_response", 2)).toBeUndefined();
    t.clock.set(new Date(MONDAY_9.getTime() + 100 * M));
    await admin.api.post(`/tickets/${ticket.id}/messages`, { body: "Done" });
    s = await sla(ticket.id);
    expect(target(s, "next_response", 1)).toMatchObject({ status: "met", elapsedMs: 40 * M });
  });

  it("rejects bad calendars and policies with 400 and writes nothing", async () => {
    const before = (await admin.api.get("/sla/policies")).body.items.length;
    const bad: Array<[string, unknown]> = [
      [
        "/sla/calendars",
        { name: "x", timeZone: "Mars/Olympus", week: { "1": [{ start: "09:00", end: "17:00" }] } },
      ],
      ["/sla/calendars", { name: "x", timeZone: "UTC", week: { "1": [{ start: "9am", end: "17:00" }] } }],
      ["/sla/calendars", { name: "x", timeZone: "UTC", week: { "8": [{ start: "09:00", end: "17:00" }] } }],
      ["/sla/calendars", { name: "x", timeZone: "UTC", week: {} }],
      ["/sla/calendars", { name: "x", timeZone: "UTC", week: { "1": [{ start: "09:00", end: "09:00" }] } }],
      [
        "/sla/calendars",
        { name: "<b>x</b>\u0000", timeZone: "UTC", week: { "1": [{ start: "09:00", end: "17:00" }] } },
      ],
      ["/sla/policies", { name: "p", targets: { firstResponse: { minutes: 60, goalMinutes: 90 } } }],
      [
        "/sla/policies",
        { name: "p", targets: {}, conditions: [{ field: "ticket; drop table", op: "is", value: "x" }] },
      ],
      ["/sla/policies", { name: "p", targets: {}, extra: 1 }],
      ["/sla/policies", { name: "p", targets: { firstResponse: { minutes: -5 } } }],
      ["/sla/policies", { name: "x".repeat(5000), targets: {} }],
      ["/sla/policies", { name: "p", targets: {}, calendarId: "00000000-0000-4000-8000-000000000000" }],
    ];
    for (const [url, body] of bad) {
      const res = await admin.api.post(url, body);
      expect([400, 404], `${url} ${JSON.stringify(body).slice(0, 80)}`).toContain(res.status);
    }
    expect((await admin.api.get("/sla/policies")).body.items.length).toBe(before);
    expect((await admin.api.get("/sla/calendars")).body.items.length).toBe(2);
  });

  it("keeps the default policy and calendar", async () => {
    const pols = (await admin.api.get("/sla/policies")).body.items;
    const def = pols.find((p: Json) => p.isDefault);
    expect((await admin.api.delete(`/sla/policies/${def.id}`)).status).toBe(409);
    expect((await admin.api.patch(`/sla/policies/${def.id}`, { active: false })).status).toBe(400);
    const cal = (await admin.api.get("/sla/calendars")).body.items.find((c: Json) => c.isDefault);
    expect((await admin.api.delete(`/sla/calendars/${cal.id}`)).status).toBe(409);
    expect((await agent.api.patch(`/sla/policies/${vipPolicy.id}`, { name: "mine" })).status).toBe(403);
  });
});

describe("pauses", () => {
  it("stops the clock while pending and resumes on the customer's reply, exactly", async () => {
    t.clock.set(MONDAY_9);
    const ticket = await createTicket(admin.api, { teamId: team.id });
    t.clock.set(hcm(2026, 11, 23, 10));
    await admin.api.patch(`/tickets/${ticket.id}`, { status: "pending" });
    let s = await sla(ticket.id);
    expect(s.state).toBe("paused");
    expect(target(s, "first_response").dueAt).toBeNull();
    const [row] = await t.database.db.select().from(tickets).where(eq(tickets.id, ticket.id));
    expect(row?.nextDueAt).toBeNull();
    t.clock.set(hcm(2026, 11, 24, 10));
    await customerSays(ticket.id, "Here are the photos");
    s = await sla(ticket.id);
    const fr = target(s, "first_response");
    // 1 business hour used on Monday; 9 left from Tuesday 10:00: 7 on Tuesday, 2 on Wednesday.
    expect(fr.dueAt).toBe(hcm(2026, 11, 25, 11).toISOString());
    expect(fr.pausedMs).toBe(24 * H);
    expect(fr.paused).toBe(false);
    t.clock.set(hcm(2026, 11, 24, 11));
    await admin.api.post(`/tickets/${ticket.id}/messages`, { body: "Thanks" });
    expect(target(await sla(ticket.id), "first_response")).toMatchObject({ status: "met", elapsedMs: 2 * H });
  });

  it("starts a new resolution clock when a solved ticket is reopened, by the customer or an agent", async () => {
    const policy = await admin.api.post("/sla/policies", {
      name: "Resolve in 4 hours",
      position: 2,
      conditions: [{ field: "tag", op: "is", value: "resolve-4h" }],
      targets: {
        firstResponse: null,
        nextResponse: null,
        resolution: { minutes: 240, goalMinutes: null, business: false },
      },
      warnMinutes: 15,
      escalations: [{ type: "notify" }],
    });
    expect(policy.status).toBe(201);
    const at = (minutes: number) => new Date(MONDAY_9.getTime() + minutes * M);
    t.clock.set(at(0));
    const ticket = await createTicket(admin.api, { teamId: team.id, tags: ["resolve-4h"] });
    expect(target(await sla(ticket.id), "resolution").dueAt).toBe(at(240).toISOString());
    t.clock.set(at(60));
    expect((await admin.api.patch(`/tickets/${ticket.id}`, { status: "solved" })).status).toBe(200);
    expect(target(await sla(ticket.id), "resolution")).toMatchObject({ status: "met", elapsedMs: 60 * M });
    // The customer writes again: the ticket reopens and a second resolution promise runs from now.
    t.clock.set(at(120));
    await customerSays(ticket.id, "It broke again");
    let s = await sla(ticket.id);
    expect(target(s, "resolution")).toMatchObject({ status: "met", elapsedMs: 60 * M });
    expect(target(s, "resolution", 1)).toMatchObject({ status: "active", dueAt: at(360).toISOString() });
    t.clock.set(at(180));
    await admin.api.patch(`/tickets/${ticket.id}`, { status: "solved" });
    expect(target(await sla(ticket.id), "resolution", 1)).toMatchObject({ status: "met", elapsedMs: 60 * M });
    // An agent reopens it: a third cycle.
    t.clock.set(at(300));
    await admin.api.patch(`/tickets/${ticket.id}`, { status: "open" });
    s = await sla(ticket.id);
    expect(target(s, "resolution", 2)).toMatchObject({ status: "active", dueAt: at(540).toISOString() });
    const [row] = await t.database.db.select().from(tickets).where(eq(tickets.id, ticket.id));
    expect(row?.nextDueAt?.toISOString()).toBe(at(540).toISOString());
    await admin.api.delete(`/sla/policies/${policy.body.id}`);
  });

  it("pauses in on_hold too, and an agent taking it out resumes", async () => {
    t.clock.set(MONDAY_9);
    const ticket = await createTicket(admin.api, { teamId: team.id });
    t.clock.set(hcm(2026, 11, 23, 13));
    await admin.api.patch(`/tickets/${ticket.id}`, { status: "on_hold" });
    t.clock.set(hcm(2026, 11, 23, 15));
    await admin.api.patch(`/tickets/${ticket.id}`, { status: "open" });
    // 4h used, 6 left from 15:00: 2 on Monday, 4 on Tuesday.
    expect(target(await sla(ticket.id), "first_response").dueAt).toBe(hcm(2026, 11, 24, 13).toISOString());
  });
});

describe("warnings, breaches and escalations", () => {
  it("warns before the breach and escalates once on breach", async () => {
    t.clock.set(MONDAY_9);
    const c = await createTicket(admin.api, { teamId: team.id });
    await t.database.db
      .update(contacts)
      .set({ customFields: { tier: "vip" } })
      .where(eq(contacts.id, c.requester.id));
    const ticket = await createTicket(admin.api, {
      priority: "high",
      teamId: team.id,
      assigneeId: agent.user.id,
      requester: { id: c.requester.id },
    });
    t.clock.set(new Date(MONDAY_9.getTime() + 44 * M));
    expect((await runSweep(sys())).warned).toBe(0);
    t.clock.set(new Date(MONDAY_9.getTime() + 46 * M));
    const first = await runSweep(sys());
    expect(first.warned).toBeGreaterThanOrEqual(1);
    const warn = (await notificationsOf(agent.user.id)).filter((n) => n.ticketId === ticket.id);
    expect(warn.map((n) => n.kind)).toEqual(["sla.warning"]);
    expect((await sla(ticket.id)).state).toBe("at_risk");
    // Again: nothing new.
    await runSweep(sys());
    expect((await notificationsOf(agent.user.id)).filter((n) => n.ticketId === ticket.id)).toHaveLength(1);

    t.clock.set(new Date(MONDAY_9.getTime() + 61 * M));
    const swept = await runSweep(sys());
    expect(swept.breached).toBeGreaterThanOrEqual(1);
    const s = await sla(ticket.id);
    expect(s.state).toBe("breached");
    expect(target(s, "first_response").breachedAt).toBe(new Date(MONDAY_9.getTime() + 61 * M).toISOString());
    const worker = await startWorker(t.services, slaJobHandlers, { pollMs: 50 });
    try {
      await worker.drain();
    } finally {
      await worker.stop();
    }
    const got = (await notificationsOf(agent.user.id)).filter((n) => n.ticketId === ticket.id);
    expect(got.map((n) => n.kind).sort()).toEqual(["sla.breach", "sla.warning"]);
    expect((await notificationsOf(manager.user.id)).filter((n) => n.ticketId === ticket.id)).toHaveLength(1);
    const after = await admin.api.get(`/tickets/${ticket.id}`);
    expect(after.body.priority).toBe("urgent");
    // Replying after the breach records the actual time, and keeps the breach.
    t.clock.set(new Date(MONDAY_9.getTime() + 90 * M));
    await admin.api.post(`/tickets/${ticket.id}/messages`, { body: "Sorry for the wait" });
    expect(target(await sla(ticket.id), "first_response")).toMatchObject({
      status: "breached",
      elapsedMs: 90 * M,
    });
    const events = await admin.api.get(`/tickets/${ticket.id}/events`);
    if (events.status === 200) expect(JSON.stringify(events.body)).toContain("sla.breached");
  });

  it("fires warnings and breaches once with two server processes on one database", async () => {
    const second: { services: Services; database: Database } = (() => {
      const database = t.database.url ? openPostgres(t.database.url, { max: 3 }) : t.database;
      return { database, services: createServices(testConfig(), database, t.clock.now) };
    })();
    try {
      t.clock.set(MONDAY_9);
      const created: string[] = [];
      for (let i = 0; i < 6; i++)
        created.push((await createTicket(admin.api, { teamId: team.id, assigneeId: agent.user.id })).id);
      t.clock.set(hcm(2026, 11, 24, 12));
      const ctxB = withActor(second.services, SYSTEM);
      const results = await Promise.all([runSweep(sys()), runSweep(ctxB), runSweep(sys()), runSweep(ctxB)]);
      const breached = results.reduce((n, r) => n + r.breached, 0);
      const rows = await t.database.db
        .select()
        .from(slaTargets)
        .where(sql`${slaTargets.ticketId} in ${created}`);
      expect(rows.every((r) => r.breachedAt !== null)).toBe(true);
      const escalations = await t.database.db
        .select()
        .from(jobs)
        .where(
          sql`${jobs.kind} = ${ESCALATE_JOB} and ${jobs.payload}->>'targetId' in ${rows.map((r) => r.id)}`,
        );
      expect(escalations).toHaveLength(rows.length);
      expect(breached).toBeGreaterThanOrEqual(rows.length);
      const wa = await startWorker(t.services, slaJobHandlers, { pollMs: 50 });
      const wb = await startWorker(second.services, slaJobHandlers, { pollMs: 50 });
      try {
        await Promise.all([wa.drain(), wb.drain(), wa.drain(), wb.drain()]);
      } finally {
        await Promise.all([wa.stop(), wb.stop()]);
      }
      const notes = await t.database.db
        .select()
        .from(notifications)
        .where(sql`${notifications.ticketId} in ${created} and ${notifications.userId} = ${agent.user.id}`);
      // One warning and one breach notice per ticket, whatever ran where.
      expect(notes.filter((n) => n.kind === "sla.warning")).toHaveLength(created.length);
      expect(notes.filter((n) => n.kind === "sla.breach")).toHaveLength(created.length);
      const done = await t.database.db
        .select()
        .from(jobs)
        .where(
          sql`${jobs.kind} = ${ESCALATE_JOB} and ${jobs.payload}->>'targetId' in ${rows.map((r) => r.id)}`,
        );
      expect(done.every((j) => j.status === "done" && j.attempts === 1)).toBe(true);
    } finally {
      if (second.database !== t.database) await second.database.close();
    }
  });
});

describe("next-due sort", () => {
  it("sorts the inbox by next due time (no clock last) and pages with a cursor", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: Json = await admin.api.get(
        `/tickets?sort=next_due&order=asc&limit=7${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
      );
      expect(res.status).toBe(200);
      for (const item of res.body.items) seen.push(item.nextDueAt ?? "infinity");
      cursor = res.body.nextCursor;
    } while (cursor);
    const all = await t.database.db.select({ n: sql<number>`count(*)::int` }).from(tickets);
    expect(seen).toHaveLength(all[0]?.n ?? -1);
    const key = (v: string) => (v === "infinity" ? Number.POSITIVE_INFINITY : Date.parse(v));
    for (let i = 1; i < seen.length; i++)
      expect(key(seen[i] as string)).toBeGreaterThanOrEqual(key(seen[i - 1] as string));
    expect(seen.at(-1)).toBe("infinity");
    expect((await admin.api.get("/tickets?sort=next_due&cursor=bogus")).status).toBe(400);
  });
});

describe("pending until", () => {
  it("brings the ticket back to its assignee at the date, in their time zone", async () => {
    t.clock.set(MONDAY_9);
    const ticket = await createTicket(admin.api, { teamId: team.id, assigneeId: agent.user.id });
    const res = await agent.api.call("PUT", `/tickets/${ticket.id}/pending-until`, {
      date: "2026-11-26",
      time: "08:30",
    });
    expect(res.status).toBe(200);
    expect(res.body.pendingUntil).toBe(hcm(2026, 11, 26, 8, 30).toISOString());
    expect((await admin.api.get(`/tickets/${ticket.id}`)).body.status).toBe("pending");
    t.clock.set(hcm(2026, 11, 26, 8, 29));
    expect((await runSweep(sys())).snoozesWoken).toBe(0);
    t.clock.set(hcm(2026, 11, 26, 8, 31));
    await runSweep(sys());
    expect((await admin.api.get(`/tickets/${ticket.id}`)).body.status).toBe("open");
    const notes = (await notificationsOf(agent.user.id)).filter(
      (n) => n.ticketId === ticket.id && n.kind === "ticket.pending_until",
    );
    expect(notes).toHaveLength(1);
    // The job scheduled for that time finds it done.
    const worker = await startWorker(t.services, slaJobHandlers, { pollMs: 50 });
    await worker.drain();
    await worker.stop();
    await runSweep(sys());
    expect(
      (await notificationsOf(agent.user.id)).filter(
        (n) => n.ticketId === ticket.id && n.kind === "ticket.pending_until",
      ),
    ).toHaveLength(1);
  });

  it("is over when the customer replies first", async () => {
    t.clock.set(MONDAY_9);
    const ticket = await createTicket(admin.api, { teamId: team.id, assigneeId: agent.user.id });
    await agent.api.call("PUT", `/tickets/${ticket.id}/pending-until`, {
      until: hcm(2026, 11, 25, 9).toISOString(),
    });
    t.clock.set(hcm(2026, 11, 24, 9));
    await customerSays(ticket.id, "Found it myself");
    t.clock.set(hcm(2026, 11, 25, 10));
    expect((await runSweep(sys())).snoozesWoken).toBe(0);
    expect((await sla(ticket.id)).pendingUntil).toBeNull();
    expect(
      (await notificationsOf(agent.user.id)).filter(
        (n) => n.ticketId === ticket.id && n.kind === "ticket.pending_until",
      ),
    ).toHaveLength(0);
  });

  it("refuses past, far and malformed dates, and invisible tickets", async () => {
    t.clock.set(MONDAY_9);
    const ticket = await createTicket(admin.api, { teamId: team.id });
    const put = (api: Api, body: unknown) => api.call("PUT", `/tickets/${ticket.id}/pending-until`, body);
    expect((await put(agent.api, { until: "2020-01-01T00:00:00Z" })).status).toBe(400);
    expect((await put(agent.api, { until: "2030-01-01T00:00:00Z" })).status).toBe(400);
    expect((await put(agent.api, { date: "2026-13-40" })).status).toBe(400);
    expect((await put(agent.api, { date: "2026-11-30", until: "2026-11-30T00:00:00Z" })).status).toBe(400);
    expect((await put(agent.api, {})).status).toBe(400);
    expect((await put(outsider.api, { date: "2026-11-30" })).status).toBe(404);
    expect((await outsider.api.get(`/tickets/${ticket.id}/sla`)).status).toBe(404);
    expect((await admin.api.get(`/tickets/${ticket.id}`)).body.status).not.toBe("pending");
  });
});

describe("unauthenticated", () => {
  it("answers 401 on every SLA route without credentials", async () => {
    const anon = (await import("../../test/factories.ts")).apiClient(t.app);
    const id = "00000000-0000-4000-8000-000000000000";
    for (const [m, u] of [
      ["GET", "/sla/calendars"],
      ["POST", "/sla/calendars"],
      ["GET", "/sla/policies"],
      ["PATCH", `/sla/policies/${id}`],
      ["GET", `/tickets/${id}/sla`],
      ["PUT", `/tickets/${id}/pending-until`],
    ] as const)
      expect((await anon.call(m, u, m === "GET" ? undefined : {})).status, `${m} ${u}`).toBe(401);
  });

  it("lists only the caller's notifications (in the notification centre)", async () => {
    const mine = await agent.api.get("/notifications?unread=true&limit=100");
    expect(mine.status).toBe(200);
    const sla = mine.body.items.filter((n: Json) => n.kind.startsWith("sla."));
    expect(sla.length).toBeGreaterThan(0);
    const one = sla[0];
    expect(one.title).toMatch(/^#\d+: (First response|Next response|Resolution) /);
    expect((await outsider.api.post(`/notifications/${one.id}/read`)).status).toBe(404);
    expect((await agent.api.post(`/notifications/${one.id}/read`)).status).toBe(200);
    expect((await agent.api.get("/notifications?unread=maybe")).status).toBe(400);
  });
});
