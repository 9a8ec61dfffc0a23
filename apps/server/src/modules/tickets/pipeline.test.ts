import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTicket, setupAdmin } from "../../test/factories.ts";
import { createTestApp, type TestApp } from "../../test/harness.ts";
import { stepNames } from "./pipeline.ts";

/**
 * The ticket write path (decision 0010): its steps run in the order pipeline.ts lists, and
 * that order is what admins expect from Zendesk: triggers before routing and SLA, so the SLA
 * target follows the priority a trigger set.
 */
describe("ticket pipeline", () => {
  let t: TestApp;
  let admin: Awaited<ReturnType<typeof setupAdmin>>;
  beforeAll(async () => {
    t = await createTestApp();
    admin = await setupAdmin(t);
  });
  afterAll(() => t.close());

  it("lists the steps in the order they run", () => {
    expect(stepNames()).toEqual({
      create: [
        "triggersOnCreate",
        "routeOnCreate",
        "sentimentOnCreate",
        "slaOnCreate",
        "selfChecksOnCreate",
        "writeCreated",
        "webhooksOnCreate",
        "publishCreated",
      ],
      update: [
        "promisesOnUpdate",
        "triggersOnUpdate",
        "routeOnUpdate",
        "slaOnUpdate",
        "csatOnUpdate",
        "webhooksOnUpdate",
        "publishUpdated",
      ],
      message: [
        "sentimentOnMessage",
        "slaOnMessage",
        "csatOnMessage",
        "selfChecksOnMessage",
        "triggersOnMessage",
        "webhooksOnMessage",
        "queueEmailReplies",
        "queueChannelReplies",
        "toneOnMessage",
        "publishMessages",
        "updatesFromMessageSteps",
      ],
    });
  });

  it("a trigger that raises the priority at creation gets the urgent SLA target", async () => {
    const key = `vip-${randomUUID().slice(0, 8)}`;
    const policy = await admin.api.post("/sla/policies", {
      name: `Urgent ${key}`,
      position: 0,
      conditions: [
        { field: "priority", op: "is", value: "urgent" },
        { field: "tag", op: "is", value: key },
      ],
      targets: { firstResponse: { minutes: 30, goalMinutes: null, business: false } },
    });
    expect(policy.status).toBe(201);
    const trig = await admin.api.post("/triggers", {
      name: `Raise ${key}`,
      events: ["ticket.created"],
      match: "all",
      conditions: [{ field: "message.body", op: "contains", value: "outage" }],
      actions: [{ type: "set_priority", value: "urgent" }],
    });
    expect(trig.status).toBe(201);
    try {
      const ticket = await createTicket(admin.api, {
        tags: [key],
        message: { body: "Total outage since this morning" },
      });
      expect(ticket.priority).toBe("urgent");
      const sla = await admin.api.get(`/tickets/${ticket.id}/sla`);
      expect(sla.status).toBe(200);
      expect(sla.body.policy.name).toBe(`Urgent ${key}`);
      const first = sla.body.targets.find((x: { metric: string }) => x.metric === "first_response");
      expect(Date.parse(first.dueAt) - Date.parse(ticket.createdAt)).toBe(30 * 60_000);
      // The ticket's next due time is that target's, set by the same creation.
      expect(ticket.nextDueAt).toBe(first.dueAt);
      // The priority change is on the timeline, attributed to the trigger.
      const events = (await admin.api.get(`/tickets/${ticket.id}/events`)).body as Array<{
        type: string;
        data: Record<string, unknown>;
      }>;
      expect(events.map((e) => e.type)).toEqual(
        expect.arrayContaining(["ticket.created", "reply.added", "trigger.fired", "priority.changed"]),
      );
      expect(events.find((e) => e.type === "priority.changed")?.data).toMatchObject({
        to: "urgent",
        via: "trigger",
      });
    } finally {
      await admin.api.patch(`/triggers/${trig.body.id}`, { active: false });
      await admin.api.delete(`/sla/policies/${policy.body.id}`);
    }
  });

  it("a refused step rolls the whole creation back: nothing is written, nothing announced", async () => {
    const before = (await admin.api.get("/tickets?limit=200")).body.items.length;
    const res = await admin.api.post("/tickets", {
      subject: "Unknown team",
      requester: { email: `nobody-${randomUUID().slice(0, 6)}@example.com` },
      teamId: randomUUID(),
      message: { body: "hello" },
    });
    expect(res.status).toBe(404);
    expect((await admin.api.get("/tickets?limit=200")).body.items.length).toBe(before);
  });
});
