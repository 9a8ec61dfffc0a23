import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SYSTEM } from "../../auth/actor.ts";
import { withActor } from "../../context.ts";
import { startWorker, type Worker } from "../../jobs/worker.ts";
import { type Api, createAgent, createTicket, setupAdmin } from "../../test/factories.ts";
import { createTestApp, type TestApp } from "../../test/harness.ts";
import { until } from "../../test/until.ts";
import { plannerJobHandlers } from "./planner.jobs.ts";
import { runMorningRound } from "./planner.reminders.ts";

/** Parses RFC 5545 text the way a calendar client does: unfold, split properties, unescape TEXT. */
function parseIcs(text: string) {
  expect(text.endsWith("\r\n")).toBe(true);
  for (const line of text.split("\r\n")) expect(Buffer.byteLength(line, "utf8")).toBeLessThanOrEqual(75);
  const lines = text
    .replace(/\r\n[ \t]/g, "")
    .split("\r\n")
    .filter(Boolean);
  const events: Array<Record<string, string>> = [];
  let current: Record<string, string> | null = null;
  const stack: string[] = [];
  for (const line of lines) {
    const i = line.indexOf(":");
    expect(i).toBeGreaterThan(0);
    const name = line.slice(0, i);
    const value = line.slice(i + 1);
    if (name === "BEGIN") {
      stack.push(value);
      if (value === "VEVENT") current = {};
    } else if (name === "END") {
      expect(stack.pop()).toBe(value);
      if (value === "VEVENT" && current) events.push(current);
    } else if (current) {
      current[name] = value.replace(/\\([\\;,nN])/g, (_m, c: string) => (c === "n" || c === "N" ? "\n" : c));
    }
  }
  expect(stack).toEqual([]);
  return events;
}

describe("planner API", () => {
  let t: TestApp;
  let admin: Awaited<ReturnType<typeof setupAdmin>>;
  let ann: Awaited<ReturnType<typeof createAgent>>;
  let bob: Awaited<ReturnType<typeof createAgent>>;
  let eve: Awaited<ReturnType<typeof createAgent>>;
  let manager: Awaited<ReturnType<typeof createAgent>>;
  let worker: Worker;
  const contactIds: string[] = [];

  const contact = async (name: string) => {
    const res = await admin.api.post("/contacts", {
      name,
      emails: [`${randomUUID().slice(0, 8)}@client.test`],
    });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const plan = async (api: Api, body: Record<string, unknown>) => {
    const res = await api.post("/planner/contacts", body);
    expect(res.status, res.raw).toBe(201);
    return res.body;
  };
  /** Lets the queued jobs of a kind come due now, and runs them. */
  const arrive = async (kind: string) => {
    await t.database.db.execute(
      sql`update jobs set run_at = now() where kind = ${kind} and status = 'queued'`,
    );
    await until(
      async () => {
        await worker.drain();
        const r = await t.database.db.execute(
          sql`select count(*)::int as n from jobs where kind = ${kind} and status in ('queued','running') and run_at <= now()`,
        );
        return Number((r as unknown as { rows: Array<{ n: number }> }).rows[0]?.n) === 0;
      },
      { what: `the ${kind} jobs to finish` },
    );
  };

  beforeAll(async () => {
    t = await createTestApp();
    // Monday 1 March 2027, 10:00 in Ho Chi Minh City (the organization's zone): later than the real clock,
    // so scheduled jobs come due only when a test says so.
    t.clock.set(new Date("2027-03-01T03:00:00Z"));
    admin = await setupAdmin(t);
    ann = await createAgent(t, admin.api, { name: "Ann" });
    bob = await createAgent(t, admin.api, { name: "Bob" });
    eve = await createAgent(t, admin.api, { name: "Eve" });
    manager = await createAgent(t, admin.api, { name: "Max", role: "manager" });
    for (let i = 0; i < 6; i++) contactIds.push(await contact(`Client ${i}`));
    worker = await startWorker(t.services, plannerJobHandlers, { pollMs: 60_000, concurrency: 1 });
  });
  afterAll(async () => {
    await worker.stop();
    await t.close();
  });

  it("plans a contact and shows it on today's list, with missed ones carried over and flagged", async () => {
    const todays = await plan(ann.api, {
      contactId: contactIds[0],
      date: "2027-03-01",
      time: "14:30",
      purpose: "Renewal, call about the contract",
      notes: "Wants a discount",
    });
    expect(todays).toMatchObject({
      ownerId: ann.user.id,
      time: "14:30",
      timeZone: "Asia/Ho_Chi_Minh",
      status: "planned",
    });
    expect(todays.at).toBe("2027-03-01T07:30:00.000Z");
    const missed = await plan(ann.api, { contactId: contactIds[1], date: "2027-02-25" });
    await plan(ann.api, { contactId: contactIds[2], date: "2027-03-02" });
    const res = await ann.api.get("/planner/today");
    expect(res.status).toBe(200);
    expect(res.body.date).toBe("2027-03-01");
    expect(res.body.items.map((i: { id: string }) => i.id)).toEqual([missed.id, todays.id]);
    expect(res.body.items[0].missed).toBe(true);
    expect(res.body.items[1].missed).toBe(false);
  });

  it("shows the month board with counts against capacity, overloaded days and month tabs", async () => {
    expect((await ann.api.patch("/planner/settings", { capacityPerDay: 2 })).body.capacityPerDay).toBe(2);
    for (let i = 0; i < 3; i++) await plan(ann.api, { contactId: contactIds[3 + i], date: "2027-03-03" });
    await plan(ann.api, { contactId: contactIds[5], date: "2027-05-20" });
    const res = await ann.api.get("/planner/board?tabs=3");
    expect(res.status).toBe(200);
    expect(res.body.month).toBe("2027-03");
    expect(res.body.days).toHaveLength(31);
    const day3 = res.body.days[2];
    expect(day3).toMatchObject({ date: "2027-03-03", planned: 3, capacity: 2, overloaded: true });
    expect(res.body.days[5]).toMatchObject({ date: "2027-03-06", capacity: 0 }); // Saturday
    expect(res.body.monthTabs).toEqual([
      { month: "2027-04", planned: 0 },
      { month: "2027-05", planned: 1 },
      { month: "2027-06", planned: 0 },
    ]);
    expect(res.body.overdue).toBe(1);
    // When May begins, the May file sits on its day.
    const may = await ann.api.get("/planner/board?month=2027-05");
    expect(may.body.days[19]).toMatchObject({ date: "2027-05-20", planned: 1 });
  });

  it("spreads a day: the surplus moves to the next day with room, never over capacity", async () => {
    const res = await ann.api.post("/planner/spread", { date: "2027-03-03" });
    expect(res.status).toBe(200);
    expect(res.body.moves).toHaveLength(1);
    expect(res.body.moves[0].to).toBe("2027-03-04");
    const board = await ann.api.get("/planner/board?month=2027-03");
    for (const d of board.body.days.slice(2, 5)) expect(d.planned).toBeLessThanOrEqual(2);
  });

  it("moves one or many contacts, all or nothing", async () => {
    const items = (await ann.api.get("/planner/items?from=2027-03-01&to=2027-03-31")).body.items as Array<{
      id: string;
    }>;
    const ids = items.map((i) => i.id);
    const res = await ann.api.post("/planner/contacts/move", { ids, date: "2027-03-10" });
    expect(res.body).toEqual({ moved: ids.length, date: "2027-03-10" });
    const after = (await ann.api.get("/planner/items?from=2027-03-10&to=2027-03-10")).body.items;
    expect(after.map((i: { id: string }) => i.id).sort()).toEqual([...ids].sort());
    // someone else's contact in the batch: 404 and nothing moves
    const bobs = await plan(bob.api, { contactId: contactIds[0], date: "2027-03-05" });
    const denied = await ann.api.post("/planner/contacts/move", {
      ids: [ids[0], bobs.id],
      date: "2027-03-12",
    });
    expect(denied.status).toBe(404);
    expect((await ann.api.get(`/planner/contacts/${ids[0]}`)).body.date).toBe("2027-03-10");
    // 10,000 ids: refused before touching anything
    const huge = await ann.api.post("/planner/contacts/move", {
      ids: Array.from({ length: 10_000 }, () => randomUUID()),
      date: "2027-03-12",
    });
    expect(huge.status).toBe(400);
  });

  it("completes a contact with an outcome and the next date in one step; the cadence files the next one", async () => {
    const p = await plan(ann.api, { contactId: contactIds[4], date: "2027-03-01", channel: "email" });
    const res = await ann.api.post(`/planner/contacts/${p.id}/complete`, {
      outcome: "Signed; send the invoice",
      next: { kind: "in_a_week" },
    });
    expect(res.status).toBe(200);
    expect(res.body.completed).toMatchObject({ status: "done", outcome: "Signed; send the invoice" });
    expect(res.body.next).toMatchObject({
      date: "2027-03-08",
      notes: "Signed; send the invoice",
      channel: "email",
      previousId: p.id,
    });
    expect((await ann.api.post(`/planner/contacts/${p.id}/complete`, { outcome: "again" })).status).toBe(400);

    expect(
      (await ann.api.call("PUT", `/contacts/${contactIds[4]}/cadence`, { every: 1, unit: "month" })).status,
    ).toBe(200);
    const viaCadence = await ann.api.post(`/planner/contacts/${res.body.next.id}/complete`, {
      outcome: "Fine",
    });
    // every month from the planned 8 March, anchored on the 8th
    expect(viaCadence.body.next.date).toBe("2027-04-08");
    const none = await ann.api.post(`/planner/contacts/${viaCadence.body.next.id}/complete`, {
      outcome: "Closed the account",
      next: { kind: "none" },
    });
    expect(none.body.next).toBeNull();
  });

  it("hands an absent agent's plan and open tickets to a colleague and back, exactly once, through the job queue", async () => {
    const p = await plan(ann.api, { contactId: contactIds[2], date: "2027-03-16" });
    const later = await plan(ann.api, { contactId: contactIds[3], date: "2027-04-20" });
    const ticket = await createTicket(admin.api, { assigneeId: ann.user.id });
    const solved = await createTicket(admin.api, { assigneeId: ann.user.id, status: "solved" });
    const created = await ann.api.post("/planner/absences", {
      coverId: bob.user.id,
      from: "2027-03-15",
      to: "2027-03-19",
      note: "Holiday",
    });
    expect(created.status).toBe(201);
    expect(created.body.status).toBe("scheduled");
    expect((await bob.api.get(`/planner/contacts/${p.id}`)).status).toBe(404);

    await arrive("planner.absence.start");
    await arrive("planner.absence.start");
    const covered = await bob.api.get(`/planner/contacts/${p.id}`);
    expect(covered.status).toBe(200);
    expect(covered.body.covering).toBe(true);
    expect((await bob.api.get(`/planner/contacts/${later.id}`)).status).toBe(404);
    expect(
      (await admin.api.get(`/tickets/${ticket.id}`)).body.assignee?.id ??
        (await admin.api.get(`/tickets/${ticket.id}`)).body.assigneeId,
    ).toBe(bob.user.id);
    const solvedNow = (await admin.api.get(`/tickets/${solved.id}`)).body;
    expect(solvedNow.assignee?.id ?? solvedNow.assigneeId).toBe(ann.user.id);
    const bobBoard = await bob.api.get("/planner/items?from=2027-03-15&to=2027-03-19");
    expect(bobBoard.body.items.map((i: { id: string }) => i.id)).toContain(p.id);
    // The covering colleague opens the absent agent's plan: only the files handed to them.
    const annToday = await bob.api.get(`/planner/today?userId=${ann.user.id}&date=2027-03-16`);
    expect(annToday.status, annToday.raw).toBe(200);
    type Item = { id: string; ownerId: string; coverId: string; covering: boolean };
    const handed = (items: Item[]) => {
      for (const i of items) expect(i).toMatchObject({ ownerId: ann.user.id, coverId: bob.user.id });
      return items.map((i) => i.id);
    };
    expect(handed(annToday.body.items)).toContain(p.id);
    expect(annToday.body.items.every((i: Item) => i.covering)).toBe(true);
    const annItems = await bob.api.get(`/planner/items?userId=${ann.user.id}&from=2027-03-01&to=2027-04-30`);
    expect(handed(annItems.body.items)).toContain(p.id);
    expect(handed(annItems.body.items)).not.toContain(later.id);
    const annBoard = await bob.api.get(`/planner/board?userId=${ann.user.id}&month=2027-03&tabs=2`);
    expect(annBoard.status).toBe(200);
    expect(annBoard.body.days.find((d: { date: string }) => d.date === "2027-03-16").planned).toBe(1);
    expect(annBoard.body.monthTabs).toEqual([
      { month: "2027-04", planned: 0 },
      { month: "2027-05", planned: 0 },
    ]);
    // Someone who does not cover gets 404, as does the covering colleague for writes on the whole day.
    expect((await eve.api.get(`/planner/today?userId=${ann.user.id}`)).status).toBe(404);
    expect((await eve.api.get(`/planner/board?userId=${ann.user.id}`)).status).toBe(404);
    expect((await bob.api.post("/planner/spread", { date: "2027-03-16", userId: ann.user.id })).status).toBe(
      404,
    );
    const events = await t.database.db.execute(
      sql`select count(*)::int as n from ticket_events where ticket_id = ${ticket.id} and type = 'ticket.handover'`,
    );
    expect(Number((events as unknown as { rows: Array<{ n: number }> }).rows[0]?.n)).toBe(1);

    await arrive("planner.absence.end");
    await arrive("planner.absence.end");
    expect((await bob.api.get(`/planner/contacts/${p.id}`)).status).toBe(404);
    expect((await bob.api.get(`/planner/today?userId=${ann.user.id}`)).status).toBe(404);
    const back = (await admin.api.get(`/tickets/${ticket.id}`)).body;
    expect(back.assignee?.id ?? back.assigneeId).toBe(ann.user.id);
    const abs = await ann.api.get("/planner/absences");
    expect(abs.body.items[0]).toMatchObject({ id: created.body.id, status: "ended" });
  });

  it("refuses bad absences", async () => {
    expect(
      (
        await ann.api.post("/planner/absences", {
          coverId: ann.user.id,
          from: "2027-03-01",
          to: "2027-03-02",
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await ann.api.post("/planner/absences", {
          coverId: bob.user.id,
          from: "2027-03-05",
          to: "2027-03-02",
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await ann.api.post("/planner/absences", {
          coverId: bob.user.id,
          agentId: eve.user.id,
          from: "2027-03-01",
          to: "2027-03-02",
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await ann.api.post("/planner/absences", {
          coverId: randomUUID(),
          from: "2027-03-01",
          to: "2027-03-02",
        })
      ).status,
    ).toBe(404);
  });

  it("agents see only plans they own or cover (404 for others'); managers see all", async () => {
    const p = await plan(ann.api, { contactId: contactIds[1], date: "2027-03-22" });
    expect((await eve.api.get(`/planner/contacts/${p.id}`)).status).toBe(404);
    expect((await eve.api.patch(`/planner/contacts/${p.id}`, { date: "2027-03-23" })).status).toBe(404);
    expect((await eve.api.post(`/planner/contacts/${p.id}/complete`, { outcome: "x" })).status).toBe(404);
    expect((await eve.api.post("/planner/contacts/move", { ids: [p.id], date: "2027-03-23" })).status).toBe(
      404,
    );
    expect((await eve.api.get(`/planner/today?userId=${ann.user.id}`)).status).toBe(404);
    expect((await eve.api.get(`/planner/board?userId=${ann.user.id}`)).status).toBe(404);
    expect((await eve.api.post("/planner/spread", { date: "2027-03-22", userId: ann.user.id })).status).toBe(
      404,
    );
    expect(
      (
        await eve.api.post("/planner/contacts", {
          contactId: contactIds[0],
          date: "2027-03-22",
          ownerId: ann.user.id,
        })
      ).status,
    ).toBe(403);
    expect((await manager.api.get(`/planner/contacts/${p.id}`)).status).toBe(200);
    const today = await manager.api.get(`/planner/today?userId=${ann.user.id}&date=2027-03-22`);
    expect(today.body.items.map((i: { id: string }) => i.id)).toContain(p.id);
    expect(
      (
        await manager.api.post("/planner/contacts", {
          contactId: contactIds[0],
          date: "2027-03-22",
          ownerId: eve.user.id,
        })
      ).status,
    ).toBe(201);
    expect((await t.app.inject({ method: "GET", url: "/api/v1/planner/today" })).statusCode).toBe(401);
  });

  it("rejects hostile input with 400 and writes nothing", async () => {
    const count = async () =>
      Number(
        (
          (await t.database.db.execute(sql`select count(*)::int as n from planned_contacts`)) as unknown as {
            rows: Array<{ n: number }>;
          }
        ).rows[0]?.n,
      );
    const before = await count();
    const bad: Array<Record<string, unknown>> = [
      { contactId: contactIds[0], date: "2027-02-30" },
      { contactId: contactIds[0], date: "2027-13-01" },
      { contactId: contactIds[0], date: "yesterday" },
      { contactId: contactIds[0], date: "2027-03-01", time: "25:61" },
      { contactId: contactIds[0], date: "2027-03-01", time: "10:00", timeZone: "Mars/Olympus_Mons" },
      { contactId: contactIds[0], date: "2027-03-01", timeZone: "Asia/Phnom_Penh" },
      { contactId: contactIds[0], date: "2027-03-01", purpose: "a\u0000b" },
      { contactId: contactIds[0], date: "2027-03-01", notes: "x".repeat(20_000) },
      { contactId: contactIds[0], date: "2027-03-01", channel: "pigeon" },
      { contactId: contactIds[0], date: "2027-03-01", unknown: true },
      { contactId: "not-a-uuid", date: "2027-03-01" },
    ];
    for (const body of bad) {
      const res = await ann.api.post("/planner/contacts", body);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    expect(
      (await ann.api.post("/planner/contacts", { contactId: randomUUID(), date: "2027-03-01" })).status,
    ).toBe(404);
    expect((await ann.api.get("/planner/board?month=2027-13")).status).toBe(400);
    expect((await ann.api.get("/planner/items?from=2027-01-01&to=2027-12-31")).status).toBe(400);
    expect((await ann.api.post("/planner/spread", { date: "2027-02-29" })).status).toBe(400);
    expect(
      (await ann.api.call("PUT", `/contacts/${contactIds[0]}/cadence`, { every: 0, unit: "day" })).status,
    ).toBe(400);
    expect(
      (await ann.api.call("PUT", `/contacts/${contactIds[0]}/cadence`, { every: 2, unit: "fortnight" }))
        .status,
    ).toBe(400);
    expect((await ann.api.patch("/planner/settings", { workDays: [1, 1] })).status).toBe(400);
    expect(await count()).toBe(before);
  });

  it("serves a private iCalendar feed that parses, escapes and folds, and can be revoked", async () => {
    await plan(ann.api, {
      contactId: contactIds[0],
      date: "2027-03-24",
      time: "09:00",
      purpose: "Quote; discount, renewal \\ follow-up",
      notes: `Line one\nLine two, with a comma; ${"Khách hàng thân thiết ".repeat(8)}`,
    });
    const tok = await ann.api.post("/planner/ical-token");
    expect(tok.status).toBe(201);
    const feed = await t.app.inject({ method: "GET", url: tok.body.path });
    expect(feed.statusCode).toBe(200);
    expect(feed.headers["content-type"]).toContain("text/calendar");
    const events = parseIcs(feed.body);
    const ev = events.find((e) => e.SUMMARY?.includes("Quote"));
    expect(ev?.SUMMARY).toBe("Client 0 (phone): Quote; discount, renewal \\ follow-up");
    expect(ev?.DESCRIPTION).toContain("Line one\nLine two, with a comma; Khách hàng");
    expect(ev?.DTSTART).toBe("20270324T020000Z");
    expect(events.some((e) => e["DTSTART;VALUE=DATE"])).toBe(true);
    const settings = await t.database.db.execute(
      sql`select ical_token_hash from planner_settings where ical_token_hash is not null`,
    );
    expect(JSON.stringify(settings)).not.toContain(tok.body.token);
    expect((await ann.api.delete("/planner/ical-token")).status).toBe(204);
    expect((await t.app.inject({ method: "GET", url: tok.body.path })).statusCode).toBe(404);
    expect([400, 404]).toContain(
      (await t.app.inject({ method: "GET", url: "/api/v1/planner/ical/%00bad.ics" })).statusCode,
    );
  });

  it("announces the day's plan each morning once, in the app", async () => {
    const ctx = withActor(t.services, SYSTEM);
    expect((await ann.api.patch("/planner/settings", { reminderEmail: true })).body.reminderEmail).toBe(true);
    t.clock.set(new Date("2027-03-22T23:30:00Z")); // 06:30 on the 23rd in Ho Chi Minh City: too early
    expect(await runMorningRound(ctx)).toBe(0);
    t.clock.set(new Date("2027-03-23T01:00:00Z")); // 08:00
    expect(await runMorningRound(ctx)).toBeGreaterThan(0);
    expect(await runMorningRound(ctx)).toBe(0);
    const n = await ann.api.get("/notifications?kind=planner.morning_plan");
    expect(n.body.items).toHaveLength(1);
    expect(n.body.items[0]).toMatchObject({ kind: "planner.morning_plan", params: { day: "2027-03-23" } });
    expect(n.body.items[0].params.missed).toBeGreaterThan(0);
    // Ann chose email too: one outbound email with its "email.send" job, written with the notification.
    const mail = (await t.database.db.execute(
      sql`select o.id, o.to_addresses as "to", o.subject, o.body_text from outbound_emails o where o.kind = 'planner_reminder'`,
    )) as unknown as { rows: Array<{ id: string; to: string[]; subject: string; body_text: string }> };
    expect(mail.rows).toHaveLength(1);
    expect(mail.rows[0]?.to).toEqual([ann.user.email]);
    expect(mail.rows[0]?.body_text).toContain("[carried over]");
    const jobs = (await t.database.db.execute(
      sql`select count(*)::int as n from jobs where kind = 'email.send' and payload->>'outboundId' = ${mail.rows[0]?.id}`,
    )) as unknown as { rows: Array<{ n: number }> };
    expect(Number(jobs.rows[0]?.n)).toBe(1);
    expect((await ann.api.post(`/notifications/${n.body.items[0].id}/read`)).status).toBe(200);
    expect((await eve.api.post(`/notifications/${n.body.items[0].id}/read`)).status).toBe(404);
  });
});
