import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SYSTEM } from "../../auth/actor.ts";
import { withActor } from "../../context.ts";
import { claimJobs, completeJob } from "../../jobs/queue.ts";
import { createAgent, createTeam, createTicket, setupAdmin } from "../../test/factories.ts";
import { createTestApp, type TestApp } from "../../test/harness.ts";
import { REMINDER_JOB, requestCallback } from "./callbacks.service.ts";
import { phoneModule } from "./phone.module.ts";

const HOUR = 3600_000;

describe("phone: calls and call-backs", () => {
  let t: TestApp;
  let admin: Awaited<ReturnType<typeof setupAdmin>>;
  let ann: Awaited<ReturnType<typeof createAgent>>;
  let eve: Awaited<ReturnType<typeof createAgent>>;
  let teamA: { id: string };
  let teamB: { id: string };

  beforeAll(async () => {
    t = await createTestApp();
    admin = await setupAdmin(t);
    teamA = await createTeam(admin.api, "Hotline");
    teamB = await createTeam(admin.api, "Billing");
    ann = await createAgent(t, admin.api, { name: "Ann", teamIds: [teamA.id] });
    eve = await createAgent(t, admin.api, { name: "Eve", teamIds: [teamB.id] });
  });
  afterAll(() => t.close());

  /** Runs the reminder jobs due by the test clock's time. */
  async function runDueReminders() {
    const ctx = withActor(t.services, SYSTEM);
    const jobs = await claimJobs(t.services.db, {
      kinds: [REMINDER_JOB],
      limit: 50,
      workerId: "test",
      leaseMs: 60_000,
      now: t.clock.now(),
    });
    for (const job of jobs) {
      await phoneModule.jobs?.[REMINDER_JOB]?.run(ctx, job);
      await completeJob(t.services.db, job, "test");
    }
    return jobs.length;
  }

  it("logs a call on a ticket: a phone message in the thread, the call on the timeline, the number on the contact", async () => {
    const tk = await createTicket(ann.api, { requester: { email: "lan@example.vn", name: "Lan" } });
    const res = await ann.api.post("/phone/calls", {
      ticketId: tk.id,
      direction: "inbound",
      phone: "+84 90 123 4567",
      durationSeconds: 185,
      outcome: "answered",
      notes: "Wants a refund <script>alert(1)</script>",
    });
    expect(res.status, res.raw).toBe(201);
    expect(res.body.phone).toBe("+84901234567");
    expect(res.body.contact.id).toBe(tk.requester.id);
    expect(res.body.agent.name).toBe("Ann");
    const msgs = await ann.api.get(`/tickets/${tk.id}/messages`);
    const callMsg = msgs.body.items.find((m: { id: string }) => m.id === res.body.messageId);
    expect(callMsg.channel).toBe("phone");
    expect(callMsg.bodyText).toContain("Inbound call from +84901234567");
    expect(callMsg.bodyHtml).not.toContain("<script");
    const byMsg = await ann.api.get(`/phone/calls/by-message/${res.body.messageId}`);
    expect(byMsg.body.id).toBe(res.body.id);
    const contact = await ann.api.get(`/contacts/${tk.requester.id}`);
    expect(contact.body.phones.map((p: { phone: string }) => p.phone)).toContain("+84901234567");
    const tl = await ann.api.get(`/contacts/${tk.requester.id}/timeline?types=call`);
    expect(tl.status, tl.raw).toBe(200);
    expect(tl.body.items).toHaveLength(1);
    expect(tl.body.items[0]).toMatchObject({ kind: "call", channel: "phone", type: "inbound" });
    expect(tl.body.items[0].data).toMatchObject({ durationSeconds: 185, outcome: "answered" });
  });

  it("creates a phone ticket from a call and matches the caller by E.164 number", async () => {
    const first = await ann.api.post("/phone/calls", {
      newTicket: { subject: "Router does not start", teamId: teamA.id },
      direction: "inbound",
      phone: "+855 12 345 678",
      durationSeconds: 60,
      outcome: "answered",
    });
    expect(first.status, first.raw).toBe(201);
    expect(first.body.ticket.subject).toBe("Router does not start");
    const ticket = await ann.api.get(`/tickets/${first.body.ticket.id}`);
    expect(ticket.body).toMatchObject({ channel: "phone", assignee: { id: ann.user.id } });
    // The same number typed another way is the same customer.
    const second = await ann.api.post("/phone/calls", {
      direction: "outbound",
      phone: "+85512345678",
      outcome: "no_answer",
    });
    expect(second.body.contact.id).toBe(first.body.contact.id);
    expect(second.body.ticket).toBeNull();
  });

  it("refuses bad calls: invalid number, unknown or hidden ticket, unknown fields, wrong types", async () => {
    const hidden = await createTicket(admin.api, { teamId: teamB.id });
    const cases: Array<[unknown, number]> = [
      [{ direction: "inbound", phone: "12", outcome: "answered" }, 400],
      [{ direction: "inbound", phone: "not a phone", outcome: "answered" }, 400],
      [{ direction: "sideways", phone: "+84901234567", outcome: "answered" }, 400],
      [{ direction: "inbound", phone: "+84901234567", outcome: "answered", durationSeconds: -1 }, 400],
      [{ direction: "inbound", phone: "+84901234567", outcome: "answered", durationSeconds: "5" }, 400],
      [{ direction: "inbound", phone: "+84901234567", outcome: "answered", extra: 1 }, 400],
      [{ direction: "inbound", phone: "+84901234567", outcome: "answered", notes: "x".repeat(10_001) }, 400],
      [{ direction: "inbound", phone: "+84901234567", outcome: "answered", ticketId: hidden.id }, 404],
      [
        {
          direction: "inbound",
          phone: "+84901234567",
          outcome: "answered",
          ticketId: "00000000-0000-4000-8000-000000000000",
        },
        404,
      ],
    ];
    for (const [body, status] of cases) {
      const res = await ann.api.post("/phone/calls", body);
      expect(res.status, JSON.stringify(body)).toBe(status);
    }
  });

  it("queues call-backs by due time, scoped to the agent's teams, and highlights overdue ones", async () => {
    const now = t.clock.now().getTime();
    const later = await requestCallback(withActor(t.services, SYSTEM), {
      name: "Bình",
      phone: "0901 234 568".replace(/^0/, "+84"),
      topic: "Invoice question",
      source: "form",
      windowStart: new Date(now + 2 * HOUR),
      windowEnd: new Date(now + 3 * HOUR),
      teamId: teamA.id,
    });
    const sooner = await requestCallback(withActor(t.services, SYSTEM), {
      phone: "+84901234569",
      source: "widget",
      teamId: teamA.id,
    });
    const billing = await requestCallback(withActor(t.services, SYSTEM), {
      phone: "+84901234570",
      source: "portal",
      teamId: teamB.id,
    });
    const annQueue = await ann.api.get("/phone/callbacks");
    expect(annQueue.status, annQueue.raw).toBe(200);
    const ids = annQueue.body.items.map((c: { id: string }) => c.id);
    expect(ids.indexOf(sooner.id)).toBeLessThan(ids.indexOf(later.id));
    expect(ids).not.toContain(billing.id);
    expect((await ann.api.get(`/phone/callbacks/${billing.id}`)).status).toBe(404);
    expect((await ann.api.patch(`/phone/callbacks/${billing.id}`, { assigneeId: ann.user.id })).status).toBe(
      404,
    );
    expect(
      (await ann.api.post(`/phone/callbacks/${billing.id}/outcome`, { outcome: "reached" })).status,
    ).toBe(404);
    expect((await eve.api.get(`/phone/callbacks/${billing.id}`)).status).toBe(200);
    expect((await admin.api.get("/phone/callbacks")).body.items.map((c: { id: string }) => c.id)).toContain(
      billing.id,
    );
    // An agent takes call-backs for themselves only.
    expect((await ann.api.patch(`/phone/callbacks/${sooner.id}`, { assigneeId: eve.user.id })).status).toBe(
      403,
    );
    t.clock.advance(HOUR);
    const overdue = await ann.api.get("/phone/callbacks?overdue=true");
    expect(overdue.body.items.map((c: { id: string }) => c.id)).toEqual([sooner.id]);
    expect(overdue.body.items[0].overdue).toBe(true);
  });

  it("reminds the assignee at the due time (test clock), logs no answer with a retry, then reached", async () => {
    const now = t.clock.now().getTime();
    const created = await ann.api.post("/phone/callbacks", {
      name: "Chị Mai",
      phone: "+84 912 000 111",
      topic: "Delivery date",
      windowStart: new Date(now + HOUR).toISOString(),
      windowEnd: new Date(now + 2 * HOUR).toISOString(),
      teamId: teamA.id,
      assigneeId: ann.user.id,
    });
    expect(created.status, created.raw).toBe(201);
    const cb = created.body;
    expect(cb).toMatchObject({ source: "agent", phone: "+84912000111", status: "open" });
    await runDueReminders();
    expect(
      (await ann.api.get("/phone/callbacks/reminders")).body.items.map((c: { id: string }) => c.id),
    ).not.toContain(cb.id);
    t.clock.advance(HOUR);
    expect(await runDueReminders()).toBeGreaterThan(0);
    const reminders = await ann.api.get("/phone/callbacks/reminders");
    expect(reminders.body.items.map((c: { id: string }) => c.id)).toContain(cb.id);
    expect((await eve.api.get("/phone/callbacks/reminders")).body.items).toEqual([]);

    // No answer needs a retry time in the future.
    expect((await ann.api.post(`/phone/callbacks/${cb.id}/outcome`, { outcome: "no_answer" })).status).toBe(
      400,
    );
    const past = new Date(t.clock.now().getTime() - 60_000).toISOString();
    expect(
      (await ann.api.post(`/phone/callbacks/${cb.id}/outcome`, { outcome: "no_answer", retryAt: past }))
        .status,
    ).toBe(400);
    const retryAt = new Date(t.clock.now().getTime() + 30 * 60_000).toISOString();
    const noAnswer = await ann.api.post(`/phone/callbacks/${cb.id}/outcome`, {
      outcome: "no_answer",
      retryAt,
      notes: "Voicemail full",
    });
    expect(noAnswer.status, noAnswer.raw).toBe(200);
    expect(noAnswer.body).toMatchObject({
      status: "open",
      outcome: "no_answer",
      attempts: 1,
      remindedAt: null,
    });
    expect(noAnswer.body.dueAt).toBe(retryAt);
    // The retry gets its own reminder at the new due time.
    t.clock.advance(30 * 60_000);
    expect(await runDueReminders()).toBe(1);
    expect((await ann.api.get(`/phone/callbacks/${cb.id}`)).body.remindedAt).not.toBeNull();
    const reached = await ann.api.post(`/phone/callbacks/${cb.id}/outcome`, {
      outcome: "reached",
      durationSeconds: 240,
    });
    expect(reached.body).toMatchObject({ status: "done", outcome: "reached", attempts: 2 });
    expect((await ann.api.post(`/phone/callbacks/${cb.id}/outcome`, { outcome: "reached" })).status).toBe(
      400,
    );
    const calls = await ann.api.get(`/phone/calls?contactId=${cb.contact.id}`);
    expect(calls.body.items.map((c: { outcome: string }) => c.outcome)).toEqual(["answered", "no_answer"]);
    const tl = await ann.api.get(`/contacts/${cb.contact.id}/timeline?types=callback,call`);
    expect(tl.body.items.map((i: { kind: string }) => i.kind).sort()).toEqual(["call", "call", "callback"]);
  });

  it("reports call-backs kept on time", async () => {
    const from = new Date(t.clock.now().getTime() - 30 * 24 * HOUR).toISOString();
    const to = new Date(t.clock.now().getTime() + 30 * 24 * HOUR).toISOString();
    const r = await admin.api.get(`/phone/callbacks/report?from=${from}&to=${to}`);
    expect(r.status, r.raw).toBe(200);
    // Mai's call-back: first attempt within its window -> on time; the untried ones due earlier are missed.
    expect(r.body.onTime).toBe(1);
    expect(r.body.reached).toBe(1);
    expect(r.body.due).toBeGreaterThanOrEqual(4);
    expect(r.body.missed).toBeGreaterThanOrEqual(1);
    expect(r.body.byAgent).toEqual([{ agent: { id: ann.user.id, name: "Ann" }, due: 1, onTime: 1 }]);
    expect((await admin.api.get(`/phone/callbacks/report?from=${to}&to=${from}`)).status).toBe(400);
    // Eve sees only her team's call-backs in the report.
    const eveReport = await eve.api.get(`/phone/callbacks/report?from=${from}&to=${to}`);
    expect(eveReport.body.due).toBe(1);
  });

  it("refuses bad call-back requests", async () => {
    const bad: unknown[] = [
      { phone: "abc" },
      { phone: "+84901234567", windowStart: "2020-01-01T00:00:00Z", windowEnd: "2020-01-01T01:00:00Z" },
      { phone: "+84901234567", windowStart: "2099-01-01T02:00:00Z", windowEnd: "2099-01-01T01:00:00Z" },
      { phone: "+84901234567", source: "agent" },
      { phone: "+84901234567", teamId: teamB.id },
    ];
    const statuses = [];
    for (const b of bad) statuses.push((await ann.api.post("/phone/callbacks", b)).status);
    expect(statuses).toEqual([400, 400, 400, 400, 403]);
  });

  it("moves calls and call-backs when contacts are merged", async () => {
    const a = await admin.api.post("/contacts", { name: "Sok", phones: ["+85512999001"] });
    const b = await admin.api.post("/contacts", { name: "Sok Dara", emails: ["dara@example.kh"] });
    await ann.api.post("/phone/calls", {
      contactId: b.body.id,
      direction: "inbound",
      phone: "+85512999002",
      outcome: "answered",
    });
    await requestCallback(withActor(t.services, SYSTEM), {
      contactId: b.body.id,
      phone: "+85512999002",
      source: "portal",
    });
    const merged = await admin.api.post(`/contacts/${a.body.id}/merge`, { sourceIds: [b.body.id] });
    expect(merged.status, merged.raw).toBe(200);
    const calls = await admin.api.get(`/phone/calls?contactId=${a.body.id}`);
    expect(calls.body.items).toHaveLength(1);
    const tl = await admin.api.get(`/contacts/${a.body.id}/timeline?types=call,callback,event`);
    expect(tl.body.items.map((i: { kind: string }) => i.kind).sort()).toEqual(["call", "callback", "event"]);
  });
});
