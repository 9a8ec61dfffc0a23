import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiClient, createAgent, createTicket, setupAdmin } from "../../test/factories.ts";
import { createTestApp, type TestApp } from "../../test/harness.ts";
import { DAY_MS } from "./rfm.ts";
import { expirePoints, moveTiers } from "./value.loyalty.ts";

const NOW = new Date("2026-12-01T12:00:00Z");
const rowsOf = <T>(r: unknown) => (r as { rows: T[] }).rows;

describe("loyalty: tiers and the points ledger", () => {
  let t: TestApp;
  let admin: Awaited<ReturnType<typeof setupAdmin>>;
  let manager: Awaited<ReturnType<typeof createAgent>>;
  let agent: Awaited<ReturnType<typeof createAgent>>;
  let contactId = "";
  let n = 0;

  const buy = async (total: number, status = "paid", email = "mai@example.com") => {
    const res = await manager.api.post("/orders", {
      contact: { email, name: "Mai" },
      number: `L${++n}`,
      placedAt: t.clock.now().toISOString(),
      status,
      currency: "USD",
      totalMinor: total,
      items: [{ sku: "TEA", name: "Tea", quantity: 2, unitPriceMinor: total / 2 }],
    });
    expect(res.status, res.raw).toBe(201);
    contactId = res.body.contactId;
    return res.body;
  };
  const sums = async () =>
    rowsOf<{ balance: number; ledger: number }>(
      await t.database.db.execute(sql`select v.points as balance,
        (select coalesce(sum(points), 0)::int from loyalty_ledger l where l.contact_id = v.contact_id) as ledger
        from customer_values v where v.contact_id = ${contactId}`),
    )[0];

  beforeAll(async () => {
    t = await createTestApp();
    t.clock.set(NOW);
    admin = await setupAdmin(t);
    manager = await createAgent(t, admin.api, { role: "manager" });
    agent = await createAgent(t, admin.api);
    const s = await admin.api.patch("/value/settings", {
      baseCurrency: "USD",
      pointsPerUnit: 1,
      pointsPerOrder: 10,
      pointsPerSku: { TEA: 5 },
      pointsExpiryMonths: 12,
    });
    expect(s.status, s.raw).toBe(200);
  });
  afterAll(() => t?.close());

  it("creates tiers (admins), lists them (agents), refuses clashes and bad input", async () => {
    const silver = await admin.api.post("/loyalty/tiers", {
      name: "Silver",
      rank: 1,
      minPoints: 100,
      color: "gray",
    });
    expect(silver.status, silver.raw).toBe(201);
    const gold = await admin.api.post("/loyalty/tiers", {
      name: "Gold",
      rank: 2,
      minPoints: 400,
      discountPercent: 10,
      routingPriority: 5,
      benefits: "Free delivery",
      color: "yellow",
    });
    expect(gold.status, gold.raw).toBe(201);
    expect((await admin.api.post("/loyalty/tiers", { name: "gold", rank: 9 })).status).toBe(409);
    expect((await admin.api.post("/loyalty/tiers", { name: "X", rank: 1 })).status).toBe(409);
    for (const bad of [
      { name: "", rank: 3 },
      { name: "Y", rank: -1 },
      { name: "Y", rank: 3, discountPercent: 101 },
      { name: "Y", rank: 3, color: "url(javascript:alert(1))" },
      { name: "Y", rank: 3, extra: true },
      { name: "Y\u0000", rank: 3 },
    ])
      expect((await admin.api.post("/loyalty/tiers", bad)).status).toBe(400);
    expect((await manager.api.post("/loyalty/tiers", { name: "Z", rank: 7 })).status).toBe(403);
    const list = await agent.api.get("/loyalty/tiers");
    expect(list.status).toBe(200);
    expect(list.body.items.map((x: { name: string }) => x.name)).toEqual(["Silver", "Gold"]);
    expect((await apiClient(t.app).get("/loyalty/tiers")).status).toBe(401);
  });

  it("earns per order once, moves the tier up at once, and puts the change on the timeline", async () => {
    await buy(5_000); // 50 + 10 + 2 × 5 = 70
    expect(await sums()).toEqual({ balance: 70, ledger: 70 });
    await buy(4_000); // 40 + 10 + 10 = 60 -> 130: Silver
    const v = await agent.api.get(`/contacts/${contactId}/value`);
    expect(v.body.points).toBe(130);
    expect(v.body.tier?.name).toBe("Silver");
    // The tier badge's data: the ticket and the inbox list name the requester's tier.
    const ticket = await createTicket(agent.api, { requester: { email: "mai@example.com" } });
    expect(ticket.requester.tier).toEqual({ name: "Silver", color: "gray" });
    const inbox = await agent.api.get("/tickets?limit=5");
    expect(inbox.body.items.find((x: { id: string }) => x.id === ticket.id)?.requester.tier?.name).toBe(
      "Silver",
    );
    const other = await createTicket(agent.api);
    expect(other.requester.tier).toBeNull();
    // A status change of an order never earns twice; a cancelled one earns nothing.
    const o = await buy(1_000, "cancelled");
    expect((await sums())?.balance).toBe(130);
    expect((await manager.api.patch(`/orders/${o.id}`, { status: "delivered" })).status).toBe(200);
    expect((await sums())?.balance).toBe(130 + 10 + 10 + 10);
    expect((await manager.api.patch(`/orders/${o.id}`, { status: "shipped" })).status).toBe(200);
    expect(await sums()).toEqual({ balance: 160, ledger: 160 });
    const events = rowsOf<{ data: { to: string } }>(
      await t.database.db.execute(
        sql`select data from contact_events where contact_id = ${contactId} and type = 'value.tier_changed'`,
      ),
    );
    expect(events.map((e) => e.data.to)).toEqual(["Silver"]);
  });

  it("grants and redeems through POST /loyalty/ledger, never below zero", async () => {
    const g = await manager.api.post("/loyalty/ledger", {
      contactId,
      kind: "grant",
      points: 300,
      reason: "Apology",
    });
    expect(g.status, g.raw).toBe(200);
    expect(g.body.balance).toBe(460);
    expect(g.body.tier.name).toBe("Gold");
    const r = await manager.api.post("/loyalty/ledger", {
      contactId,
      kind: "redeem",
      points: 400,
      reason: "Voucher",
    });
    expect(r.body.balance).toBe(60);
    // Redeeming does not lower the tier before the yearly review.
    expect(r.body.tier.name).toBe("Gold");
    const over = await manager.api.post("/loyalty/ledger", {
      contactId,
      kind: "redeem",
      points: 61,
      reason: "Too much",
    });
    expect(over.status).toBe(400);
    // Parallel redemptions of the whole balance: exactly one succeeds.
    const both = await Promise.all(
      [1, 2, 3].map(() =>
        manager.api.post("/loyalty/ledger", { contactId, kind: "redeem", points: 60, reason: "Race" }),
      ),
    );
    expect(both.filter((x) => x.status === 200)).toHaveLength(1);
    expect(await sums()).toEqual({ balance: 0, ledger: 0 });
    for (const bad of [
      { contactId, kind: "earn", points: 5, reason: "x" },
      { contactId, kind: "expire", points: 5, reason: "x" },
      { contactId, kind: "grant", points: 0, reason: "x" },
      { contactId, kind: "grant", points: 1.5, reason: "x" },
      { contactId, kind: "grant", points: -5, reason: "x" },
      { contactId, kind: "grant", points: 5, reason: "" },
      { contactId: "nope", kind: "grant", points: 5, reason: "x" },
      { contactId, kind: "grant", points: 5, reason: "x", admin: true },
    ])
      expect((await manager.api.post("/loyalty/ledger", bad)).status).toBe(400);
    expect(
      (
        await manager.api.post("/loyalty/ledger", {
          contactId: "00000000-0000-4000-8000-000000000000",
          kind: "grant",
          points: 5,
          reason: "x",
        })
      ).status,
    ).toBe(404);
    expect(
      (await agent.api.post("/loyalty/ledger", { contactId, kind: "grant", points: 5, reason: "x" })).status,
    ).toBe(403);
    expect(
      (await apiClient(t.app).post("/loyalty/ledger", { contactId, kind: "grant", points: 5, reason: "x" }))
        .status,
    ).toBe(401);
    expect(await sums()).toEqual({ balance: 0, ledger: 0 });
  });

  it("expires first earned first, and the yearly review lowers the tier", async () => {
    await manager.api.post("/loyalty/ledger", { contactId, kind: "grant", points: 100, reason: "Old" });
    t.clock.set(new Date(NOW.getTime() + 100 * DAY_MS));
    await manager.api.post("/loyalty/ledger", { contactId, kind: "grant", points: 50, reason: "New" });
    await manager.api.post("/loyalty/ledger", { contactId, kind: "redeem", points: 30, reason: "Use" });
    // 366 days after the first grant: its 70 left expire; the younger 50 stay.
    const at = new Date(NOW.getTime() + 366 * DAY_MS);
    expect(await expirePoints(t.database.db, at)).toBe(1);
    expect(await expirePoints(t.database.db, at)).toBe(0);
    expect(await sums()).toEqual({ balance: 50, ledger: 50 });
    await moveTiers(t.database.db, "all", at, "review");
    const v = await agent.api.get(`/contacts/${contactId}/value`);
    expect(v.body.tier).toBeNull();
    t.clock.set(NOW);
  });

  it("takes an order's points back with a reversing entry when it is refunded or cancelled", async () => {
    const ledger = async () =>
      rowsOf<{ kind: string; points: number; order_id: string | null }>(
        await t.database.db.execute(
          sql`select kind, points, order_id from loyalty_ledger where contact_id = ${contactId} order by id`,
        ),
      );
    const a = await buy(5_000, "paid", "refund@example.com"); // 70
    const b = await buy(2_000, "paid", "refund@example.com"); // 20 + 10 + 10 = 40
    expect(await sums()).toEqual({ balance: 110, ledger: 110 });
    const refunded = await manager.api.patch(`/orders/${b.id}`, { status: "refunded" });
    expect(refunded.status, refunded.raw).toBe(200);
    expect(await sums()).toEqual({ balance: 70, ledger: 70 });
    // The earn entry is never edited: a reversing entry follows it, once per order.
    expect(await ledger()).toEqual([
      { kind: "earn", points: 70, order_id: a.id },
      { kind: "earn", points: 40, order_id: b.id },
      { kind: "reverse", points: -40, order_id: b.id },
    ]);
    expect((await manager.api.patch(`/orders/${b.id}`, { status: "cancelled" })).status).toBe(200);
    expect((await manager.api.patch(`/orders/${b.id}`, { status: "paid" })).status).toBe(200);
    expect((await manager.api.patch(`/orders/${b.id}`, { status: "refunded" })).status).toBe(200);
    expect((await ledger()).filter((e) => e.order_id === b.id)).toHaveLength(2);
    expect(await sums()).toEqual({ balance: 70, ledger: 70 });
    // Already spent: only what is left comes back, and the balance never goes below zero.
    await manager.api.post("/loyalty/ledger", { contactId, kind: "redeem", points: 50, reason: "Voucher" });
    expect((await manager.api.patch(`/orders/${a.id}`, { status: "cancelled" })).status).toBe(200);
    expect((await ledger()).at(-1)).toEqual({ kind: "reverse", points: -20, order_id: a.id });
    expect(await sums()).toEqual({ balance: 0, ledger: 0 });
    // The ledger answer names the kind.
    const view = await manager.api.post("/loyalty/ledger", {
      contactId,
      kind: "grant",
      points: 1,
      reason: "x",
    });
    expect(view.body.entries.map((e: { kind: string }) => e.kind)).toContain("reverse");
  });
});
