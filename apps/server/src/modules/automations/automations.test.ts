import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Api, createAgent, createTeam, createTicket, setupAdmin } from "../../test/factories.ts";
import { createTestApp, type TestApp } from "../../test/harness.ts";
import { outboundEmails } from "../email/email.table.ts";
import { notifications } from "../notifications/notifications.table.ts";
import { webhookDeliveries } from "../webhooks/webhooks.table.ts";
import { timeRuleExecutions } from "./automations.table.ts";
import { MAX_TRIGGER_PASSES } from "./triggers.service.ts";

let t: TestApp;
let admin: Api;
let adminId: string;
beforeAll(async () => {
  t = await createTestApp();
  const a = await setupAdmin(t);
  admin = a.api;
  adminId = a.user.id;
});
afterAll(async () => t.close());

/** Each test uses its own tag so triggers of other tests stay out of its way. */
let n = 0;
const uniq = (p: string) => `${p}-${++n}-${Math.random().toString(36).slice(2, 6)}`;

async function trigger(body: Record<string, unknown>) {
  const res = await admin.post("/triggers", { name: uniq("trigger"), ...body });
  if (res.status !== 201) throw new Error(`trigger: ${res.status} ${res.raw}`);
  return res.body;
}
const events = async (id: string) =>
  (await admin.get(`/tickets/${id}/events`)).body as Array<{ type: string; data: Record<string, unknown> }>;

describe("triggers", () => {
  it("on ticket created: sets fields, adds tags, assigns, notes and notifies", async () => {
    const key = uniq("vip");
    const team = await createTeam(admin);
    const agent = await createAgent(t, admin, { teamIds: [team.id] });
    await trigger({
      events: ["ticket.created"],
      conditions: [{ field: "ticket.tags", op: "includes", value: key }],
      actions: [
        { type: "set_priority", value: "urgent" },
        { type: "add_tags", tags: ["escalated"] },
        { type: "assign", teamId: team.id, assigneeId: agent.user.id },
        { type: "add_note", body: "VIP {{customer.name}} on #{{ticket.number}}" },
        { type: "notify", to: "assignee", title: "VIP ticket #{{ticket.number}}" },
      ],
    });
    const ticket = await createTicket(admin, {
      tags: [key],
      requester: { email: `${key}@example.com`, name: "Lan Tran" },
    });
    expect(ticket).toMatchObject({
      priority: "urgent",
      team: { id: team.id },
      assignee: { id: agent.user.id },
      status: "open",
    });
    expect(ticket.tags).toEqual(expect.arrayContaining([key, "escalated"]));
    const msgs = (await admin.get(`/tickets/${ticket.id}/messages`)).body.items;
    const note = msgs.find((m: { internal: boolean }) => m.internal);
    expect(note.bodyText).toBe(`VIP Lan Tran on #${ticket.number}`);
    const notes = (await agent.api.get("/notifications")).body;
    expect(notes.items.find((n: { kind: string }) => n.kind === "automation.notify")).toMatchObject({
      title: `VIP ticket #${ticket.number}`,
      ticketId: ticket.id,
      link: `/tickets/${ticket.id}`,
    });
    const ev = await events(ticket.id);
    expect(ev.filter((e) => e.type === "trigger.fired")).toHaveLength(1);
    expect(ev.find((e) => e.type === "priority.changed")?.data).toMatchObject({ via: "trigger" });
    // A ticket without the tag is left alone.
    const plain = await createTicket(admin, { tags: [uniq("other")] });
    expect(plain.priority).toBe("normal");
  });

  it("all / any conditions over ticket, contact and message fields", async () => {
    const key = uniq("cond");
    const all = await trigger({
      events: ["ticket.created"],
      match: "all",
      conditions: [
        { field: "ticket.tags", op: "includes", value: key },
        { field: "message.body", op: "contains", value: "refund" },
        { field: "contact.email", op: "contains", value: "@bigcorp.example" },
      ],
      actions: [{ type: "add_tags", tags: [`${key}-all`] }],
    });
    await trigger({
      events: ["ticket.created"],
      match: "any",
      conditions: [
        { field: "ticket.subject", op: "contains", value: `${key} hoan tien` },
        { field: "contact.name", op: "starts_with", value: `${key}-boss` },
      ],
      actions: [{ type: "add_tags", tags: [`${key}-any`] }],
    });
    const both = await createTicket(admin, {
      tags: [key],
      requester: { email: `x-${key}@bigcorp.example`, name: `${key}-boss Nguyen` },
      message: { body: "I want a REFUND please" },
    });
    expect(both.tags).toEqual(expect.arrayContaining([`${key}-all`, `${key}-any`]));
    const onlyAny = await createTicket(admin, {
      tags: [key],
      subject: `${key} Hoàn tiền đơn hàng`, // folded match: "hoan tien" finds "Hoàn tiền"
      requester: { email: `y-${key}@small.example` },
      message: { body: "I want a refund" },
    });
    expect(onlyAny.tags).toContain(`${key}-any`);
    expect(onlyAny.tags).not.toContain(`${key}-all`);
    const none = await createTicket(admin, { tags: [key], message: { body: "hello" } });
    expect(none.tags).toEqual([key]);
    expect(all.match).toBe("all");
  });

  it("fires on customer and agent replies and on updates (changed_to)", async () => {
    const key = uniq("reply");
    await trigger({
      events: ["customer.replied"],
      conditions: [{ field: "ticket.tags", op: "includes", value: key }],
      actions: [{ type: "add_tags", tags: ["customer-wrote"] }],
    });
    await trigger({
      events: ["agent.replied"],
      conditions: [{ field: "ticket.tags", op: "includes", value: key }],
      actions: [{ type: "set_status", value: "pending" }],
    });
    await trigger({
      events: ["ticket.updated"],
      conditions: [
        { field: "ticket.tags", op: "includes", value: key },
        { field: "ticket.priority", op: "changed_to", value: "high" },
      ],
      actions: [{ type: "add_tags", tags: ["went-high"] }],
    });
    const ticket = await createTicket(admin, { tags: [key] });
    await admin.post(`/tickets/${ticket.id}/messages`, { body: "Answer", internal: false });
    expect((await admin.get(`/tickets/${ticket.id}`)).body.status).toBe("pending");
    await admin.post(`/tickets/${ticket.id}/messages`, { body: "More info", authorType: "customer" });
    const after = (await admin.get(`/tickets/${ticket.id}`)).body;
    expect(after.tags).toContain("customer-wrote");
    expect(after.status).toBe("open");
    // An internal note is no agent reply.
    await admin.post(`/tickets/${ticket.id}/messages`, { body: "note", internal: true });
    expect((await admin.get(`/tickets/${ticket.id}`)).body.status).toBe("open");
    await admin.patch(`/tickets/${ticket.id}`, { priority: "low" });
    expect((await admin.get(`/tickets/${ticket.id}`)).body.tags).not.toContain("went-high");
    const up = await admin.patch(`/tickets/${ticket.id}`, { priority: "high" });
    expect(up.body.tags).toContain("went-high");
  });

  it("sends an email from a template to the requester, placeholders filled and escaped in HTML", async () => {
    const key = uniq("mail");
    await trigger({
      events: ["ticket.created"],
      conditions: [{ field: "ticket.tags", op: "includes", value: key }],
      actions: [
        {
          type: "send_email",
          to: "requester",
          subject: "Ticket {{ticket.number}} received",
          body: "Hello {{customer.first_name}},\nwe answer within {{promised_response_time}}.",
        },
      ],
    });
    const ticket = await createTicket(admin, {
      tags: [key],
      requester: { email: `${key}@example.com`, name: "<b>Bo</b> Smith" },
    });
    const [mail] = await t.database.db
      .select()
      .from(outboundEmails)
      .where(eq(outboundEmails.ticketId, ticket.id));
    expect(mail?.to).toEqual([`${key}@example.com`]);
    expect(mail?.subject).toContain(`Ticket ${ticket.number} received`);
    expect(mail?.bodyText).toBe("Hello <b>Bo</b>,\nwe answer within 10 business hours.");
    expect(mail?.bodyHtml).toContain("&lt;b&gt;Bo&lt;/b&gt;");
    expect(mail?.bodyHtml).not.toContain("<b>");
  });

  it("calls a webhook from a trigger (queued in the same transaction)", async () => {
    const key = uniq("hook");
    const hook = await admin.post("/webhooks", {
      name: key,
      url: "https://hooks.example.com/in",
      events: ["ticket.created"],
    });
    expect(hook.status).toBe(201);
    await admin.patch(`/webhooks/${hook.body.id}`, { events: ["ticket.updated"] });
    await trigger({
      events: ["ticket.created"],
      conditions: [{ field: "ticket.tags", op: "includes", value: key }],
      actions: [{ type: "webhook", webhookId: hook.body.id }],
    });
    const ticket = await createTicket(admin, { tags: [key] });
    const rows = await t.database.db
      .select()
      .from(webhookDeliveries)
      .where(and(eq(webhookDeliveries.webhookId, hook.body.id), eq(webhookDeliveries.event, "trigger")));
    expect(rows).toHaveLength(1);
    expect(rows[0]?.payload).toMatchObject({ ticket: { id: ticket.id, number: ticket.number } });
  });

  it("is loop-safe: a trigger whose own change still matches fires once", async () => {
    const key = uniq("self");
    await trigger({
      events: ["ticket.created", "ticket.updated"],
      conditions: [{ field: "ticket.tags", op: "includes", value: key }],
      actions: [
        { type: "add_note", body: "again" },
        { type: "set_priority", value: "high" },
      ],
    });
    const ticket = await createTicket(admin, { tags: [key] });
    const fired = (await events(ticket.id)).filter((e) => e.type === "trigger.fired");
    expect(fired).toHaveLength(1);
    // A later update fires it once more (a new change), not endlessly.
    await admin.patch(`/tickets/${ticket.id}`, { subject: "Changed subject" });
    expect((await events(ticket.id)).filter((e) => e.type === "trigger.fired")).toHaveLength(2);
    const notes = (await admin.get(`/tickets/${ticket.id}/messages`)).body.items.filter(
      (m: { internal: boolean }) => m.internal,
    );
    expect(notes).toHaveLength(2);
  });

  it(`stops a chain of triggers after ${MAX_TRIGGER_PASSES} passes and records it`, async () => {
    const key = uniq("chain");
    const LINKS = 14;
    // Link i turns tag i into tag i+1; created in reverse order so each pass fires one link.
    for (let i = LINKS; i >= 1; i--) {
      await trigger({
        events: ["ticket.created"],
        position: LINKS - i,
        conditions: [{ field: "ticket.tags", op: "includes", value: `${key}-${i}` }],
        actions: [{ type: "add_tags", tags: [`${key}-${i + 1}`] }],
      });
    }
    const ticket = await createTicket(admin, { tags: [`${key}-1`] });
    const ev = await events(ticket.id);
    expect(ev.filter((e) => e.type === "trigger.fired")).toHaveLength(MAX_TRIGGER_PASSES);
    expect(ticket.tags).toContain(`${key}-${MAX_TRIGGER_PASSES + 1}`);
    expect(ticket.tags).not.toContain(`${key}-${MAX_TRIGGER_PASSES + 2}`);
    const bound = ev.find((e) => e.type === "automation.loop_bound");
    expect(bound?.data).toMatchObject({ passes: MAX_TRIGGER_PASSES, event: "ticket.created" });
  });

  it("refuses bad triggers and keeps agents out", async () => {
    const agent = await createAgent(t, admin);
    const ok = { name: "x", events: ["ticket.created"], actions: [{ type: "add_tags", tags: ["a"] }] };
    expect((await agent.api.post("/triggers", ok)).status).toBe(403);
    expect((await agent.api.get("/triggers")).status).toBe(403);
    expect((await agent.api.get("/time-rules")).status).toBe(403);
    expect((await agent.api.post("/time-rules/run")).status).toBe(403);
    const bad: Array<Record<string, unknown>> = [
      { ...ok, events: [] },
      { ...ok, events: ["ticket.deleted"] },
      { ...ok, actions: [] },
      { ...ok, actions: [{ type: "rm_rf" }] },
      { ...ok, actions: [{ type: "set_status", value: "burnt" }] },
      { ...ok, conditions: [{ field: "ticket.password", op: "is", value: "x" }] },
      { ...ok, conditions: [{ field: "ticket.status", op: "matches", value: "x" }] },
      { ...ok, conditions: [{ field: "ticket.status", op: "is" }] },
      { ...ok, conditions: [{ field: "ticket.message_count", op: "gt", value: "many" }] },
      { ...ok, actions: [{ type: "assign", assigneeId: crypto.randomUUID() }] },
      { ...ok, actions: [{ type: "webhook", webhookId: crypto.randomUUID() }] },
      { ...ok, actions: [{ type: "send_email", to: "requester", subject: "a\r\nBcc: x@y", body: "b" }] },
      { ...ok, name: "x".repeat(201) },
      { ...ok, name: "a\u0000b" },
      { ...ok, extra: true },
      {
        ...ok,
        conditions: Array.from({ length: 51 }, () => ({ field: "ticket.status", op: "is", value: "new" })),
      },
    ];
    for (const b of bad) {
      const res = await admin.post("/triggers", b);
      expect([res.status, JSON.stringify(b).slice(0, 80)]).toEqual([400, JSON.stringify(b).slice(0, 80)]);
    }
    expect((await admin.patch(`/triggers/${crypto.randomUUID()}`, { active: false })).status).toBe(404);
    const created = await admin.post("/triggers", ok);
    expect((await admin.patch(`/triggers/${created.body.id}`, { active: false })).body.active).toBe(false);
    expect((await admin.delete(`/triggers/${created.body.id}`)).status).toBe(204);
  });
});

describe("time-based rules", () => {
  it("acts once per ticket: pending for 3 days gets a reminder, solved for 4 days is closed", async () => {
    const key = uniq("time");
    const nudge = await admin.post("/time-rules", {
      name: "Nudge pending",
      conditions: [
        { field: "ticket.status", op: "is", value: "pending" },
        { field: "ticket.tags", op: "includes", value: key },
        { field: "ticket.hours_since_updated", op: "gt", value: 72 },
      ],
      actions: [
        { type: "add_tags", tags: ["nudged"] },
        { type: "notify", to: "admins", title: "Pending #{{ticket.number}} for 3 days" },
      ],
    });
    expect(nudge.status).toBe(201);
    const close = await admin.post("/time-rules", {
      name: "Close solved",
      conditions: [
        { field: "ticket.status", op: "is", value: "solved" },
        { field: "ticket.tags", op: "includes", value: key },
        { field: "ticket.hours_since_solved", op: "gt", value: 96 },
      ],
      actions: [{ type: "set_status", value: "closed" }],
    });
    expect(close.status).toBe(201);
    const pending = await createTicket(admin, { tags: [key], status: "pending" });
    const solved = await createTicket(admin, { tags: [key], status: "solved" });
    const fresh = await createTicket(admin, { tags: [key], status: "pending" });

    expect((await admin.post("/time-rules/run")).body.acted).toBe(0);
    t.clock.advance(73 * 3600_000);
    await admin.patch(`/tickets/${fresh.id}`, { priority: "high" }); // touched: not pending for 3 days
    const first = (await admin.post("/time-rules/run")).body;
    expect(first.perRule[nudge.body.id]).toBe(1);
    expect((await admin.get(`/tickets/${pending.id}`)).body.tags).toContain("nudged");
    expect((await admin.get(`/tickets/${fresh.id}`)).body.tags).not.toContain("nudged");
    // Once per ticket and rule: touching it again and re-running does not repeat the action.
    await admin.patch(`/tickets/${pending.id}`, { removeTags: ["nudged"] });
    t.clock.advance(73 * 3600_000);
    const second = (await admin.post("/time-rules/run")).body;
    expect(second.perRule[nudge.body.id]).toBe(1); // only `fresh` now
    expect((await admin.get(`/tickets/${pending.id}`)).body.tags).not.toContain("nudged");
    expect((await admin.get(`/tickets/${solved.id}`)).body.status).toBe("closed");
    expect(second.perRule[close.body.id]).toBe(1);
    const third = (await admin.post("/time-rules/run")).body;
    expect(third.acted).toBe(0);
    const execs = await t.database.db
      .select()
      .from(timeRuleExecutions)
      .where(eq(timeRuleExecutions.ruleId, nudge.body.id));
    expect(execs.map((e) => e.ticketId).sort()).toEqual([pending.id, fresh.id].sort());
    const notes = await t.database.db.select().from(notifications).where(eq(notifications.userId, adminId));
    expect(notes.filter((x) => String(x.params.text).startsWith("Pending #"))).toHaveLength(2);
  });

  it("refuses rules without a time condition, with message or contact fields, or change operators", async () => {
    const base = { name: "r", actions: [{ type: "add_tags", tags: ["a"] }] };
    const bad = [
      { ...base, conditions: [{ field: "ticket.status", op: "is", value: "pending" }] },
      { ...base, conditions: [] },
      {
        ...base,
        conditions: [
          { field: "ticket.hours_since_updated", op: "gt", value: 1 },
          { field: "message.body", op: "contains", value: "x" },
        ],
      },
      {
        ...base,
        conditions: [
          { field: "ticket.hours_since_updated", op: "gt", value: 1 },
          { field: "ticket.status", op: "changed" },
        ],
      },
      { ...base, conditions: [{ field: "ticket.hours_since_updated", op: "gt", value: "soon" }] },
    ];
    for (const b of bad) expect((await admin.post("/time-rules", b)).status).toBe(400);
  });
});
