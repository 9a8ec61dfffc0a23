import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAgent, createTeam, createTicket, setupAdmin } from "../../test/factories.ts";
import { createTestApp, type TestApp } from "../../test/harness.ts";
import { DAY_MS } from "./rfm.ts";

const NOW = new Date("2026-12-01T02:00:00Z");

describe("value conditions in SLA policies and triggers (routing)", () => {
  let t: TestApp;
  let admin: Awaited<ReturnType<typeof setupAdmin>>;
  let manager: Awaited<ReturnType<typeof createAgent>>;
  let agent: Awaited<ReturnType<typeof createAgent>>;
  let vipTeam: { id: string };
  let n = 0;

  const buy = async (email: string, totalMinor: number, daysAgo: number) => {
    const res = await manager.api.post("/orders", {
      contact: { email, name: email.split("@")[0] },
      number: `C${++n}`,
      placedAt: new Date(NOW.getTime() - daysAgo * DAY_MS).toISOString(),
      status: "paid",
      currency: "USD",
      totalMinor,
    });
    expect(res.status, res.raw).toBe(201);
    return res.body.contactId as string;
  };
  const ticketOf = (email: string) => createTicket(admin.api, { requester: { email, name: "x" } });

  beforeAll(async () => {
    t = await createTestApp();
    t.clock.set(NOW);
    admin = await setupAdmin(t);
    manager = await createAgent(t, admin.api, { role: "manager" });
    agent = await createAgent(t, admin.api);
    vipTeam = await createTeam(admin.api, "VIP desk");
    expect((await admin.api.patch("/value/settings", { baseCurrency: "USD", pointsPerUnit: 1 })).status).toBe(
      200,
    );
    const gold = await admin.api.post("/loyalty/tiers", { name: "Gold", rank: 2, minPoints: 500 });
    expect(gold.status, gold.raw).toBe(201);
    await buy("big@example.com", 90_000, 10);
    await buy("small@example.com", 1_000, 200);
  });
  afterAll(() => t?.close());

  it("an SLA policy picks customers by lifetime spend (gt) and tier; others get the default", async () => {
    const big = await admin.api.post("/sla/policies", {
      name: "Big spenders",
      position: 1,
      conditions: [{ field: "value.lifetime_spent", op: "gt", value: "50000" }],
      targets: { firstResponse: { minutes: 30, goalMinutes: null, business: false } },
    });
    expect(big.status, big.raw).toBe(201);
    const gold = await admin.api.post("/sla/policies", {
      name: "Gold members",
      position: 2,
      conditions: [{ field: "value.tier", op: "is", value: "gold" }],
      targets: { firstResponse: { minutes: 45, goalMinutes: null, business: false } },
    });
    expect(gold.status, gold.raw).toBe(201);
    const policyOf = async (email: string) => {
      const ticket = await ticketOf(email);
      const res = await admin.api.get(`/tickets/${ticket.id}/sla`);
      expect(res.status, res.raw).toBe(200);
      return res.body.policy.name as string;
    };
    expect(await policyOf("big@example.com")).toBe("Big spenders");
    expect(await policyOf("small@example.com")).toBe("Default");
    expect(await policyOf("nobody@example.com")).toBe("Default");
    // 900 points: the big spender is Gold now; the small one moves up with a grant.
    const small = await buy("small@example.com", 100, 1);
    const grant = await manager.api.post("/loyalty/ledger", {
      contactId: small,
      kind: "grant",
      points: 600,
      reason: "goodwill",
    });
    expect(grant.status, grant.raw).toBe(200);
    expect(grant.body.tier?.name).toBe("Gold");
    expect(await policyOf("small@example.com")).toBe("Gold members");
  });

  it("a trigger routes by segment and recent purchase, and tags by relationship type", async () => {
    const route = await admin.api.post("/triggers", {
      name: "Recent buyers to the VIP desk",
      events: ["ticket.created"],
      conditions: [
        { field: "value.days_since_purchase", op: "lt", value: 30 },
        { field: "value.segment", op: "in", value: ["newcomer", "growing_loyal", "vip"] },
      ],
      actions: [
        { type: "assign", teamId: vipTeam.id },
        { type: "add_tags", tags: ["recent-buyer"] },
      ],
    });
    expect(route.status, route.raw).toBe(201);
    const loyal = await admin.api.post("/triggers", {
      name: "Confirmed loyal",
      events: ["ticket.created"],
      conditions: [{ field: "value.relationship_type", op: "is", value: "loyal" }],
      actions: [{ type: "add_tags", tags: ["loyal"] }],
    });
    expect(loyal.status, loyal.raw).toBe(201);
    const recent = await ticketOf("big@example.com");
    expect(recent.team?.id).toBe(vipTeam.id);
    expect(recent.tags).toContain("recent-buyer");
    expect(recent.tags).not.toContain("loyal");
    const none = await ticketOf("stranger@example.com");
    expect(none.team).toBeNull();
    expect(none.tags).toEqual([]);
    const big = recent.requester.id as string;
    expect((await manager.api.patch(`/contacts/${big}/value`, { relationshipType: "loyal" })).status).toBe(
      200,
    );
    expect((await ticketOf("big@example.com")).tags).toEqual(
      expect.arrayContaining(["loyal", "recent-buyer"]),
    );
  });

  it("refuses unknown value figures, value figures in time rules, and non-admins", async () => {
    const before = (await admin.api.get("/sla/policies")).body.items.length;
    for (const conditions of [
      [{ field: "value.nope", op: "is", value: "x" }],
      [{ field: "value.", op: "is", value: "x" }],
      [{ field: "value.segment; drop table orders", op: "is", value: "x" }],
      [{ field: "value.lifetime_spent", op: "gte", value: "1" }],
      [{ field: "value.tier", op: "is", value: { $ne: 1 } }],
    ]) {
      const res = await admin.api.post("/sla/policies", {
        name: "bad",
        conditions,
        targets: { firstResponse: { minutes: 30, goalMinutes: null, business: false } },
      });
      expect([JSON.stringify(conditions), res.status]).toEqual([JSON.stringify(conditions), 400]);
    }
    expect((await admin.api.get("/sla/policies")).body.items.length).toBe(before);
    const okSla = {
      name: "spend",
      conditions: [{ field: "value.lifetime_spent", op: "gt", value: "1" }],
      targets: { firstResponse: { minutes: 30, goalMinutes: null, business: false } },
    };
    expect((await agent.api.post("/sla/policies", okSla)).status).toBe(403);
    expect((await manager.api.post("/sla/policies", okSla)).status).toBe(403);
    const trig = {
      name: "t",
      events: ["ticket.created"],
      conditions: [{ field: "value.segment", op: "is", value: "vip" }],
      actions: [{ type: "add_tags", tags: ["x"] }],
    };
    expect((await agent.api.post("/triggers", trig)).status).toBe(403);
    expect(
      (
        await admin.api.post("/triggers", {
          ...trig,
          conditions: [{ field: "value.favourite_colour", op: "is", value: "x" }],
        })
      ).status,
    ).toBe(400);
    const timeRule = await admin.api.post("/time-rules", {
      name: "lapsed",
      conditions: [{ field: "value.segment", op: "is", value: "lost" }],
      actions: [{ type: "add_tags", tags: ["x"] }],
    });
    expect(timeRule.status).toBe(400);
  });
});
