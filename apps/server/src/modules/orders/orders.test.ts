import { createHmac } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiClient, createAgent, createTeam, createTicket, setupAdmin } from "../../test/factories.ts";
import { createTestApp, type TestApp } from "../../test/harness.ts";

const count = async (t: TestApp, table: string) => {
  const r = await t.database.db.execute(sql`select count(*)::int as n from ${sql.identifier(table)}`);
  return Number((r as unknown as { rows: Array<{ n: number }> }).rows[0]?.n);
};

describe("orders", () => {
  let t: TestApp;
  let admin: Awaited<ReturnType<typeof setupAdmin>>;
  let manager: Awaited<ReturnType<typeof createAgent>>;
  let agent: Awaited<ReturnType<typeof createAgent>>;
  let outsider: Awaited<ReturnType<typeof createAgent>>;
  let shop: { id: string; intakeUrl: string; secret: string };
  let intakePath: string;
  let teamId: string;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await setupAdmin(t);
    const team = await createTeam(admin.api, "Shop support");
    teamId = team.id;
    const other = await createTeam(admin.api, "Other");
    manager = await createAgent(t, admin.api, { role: "manager" });
    agent = await createAgent(t, admin.api, { teamIds: [team.id] });
    outsider = await createAgent(t, admin.api, { teamIds: [other.id] });
    const res = await admin.api.post("/orders/shops", { name: "Main web shop" });
    expect(res.status).toBe(201);
    shop = res.body;
    intakePath = new URL(shop.intakeUrl).pathname;
  });
  afterAll(() => t?.close());

  const order = (over: Record<string, unknown> = {}) => ({
    contact: { email: "lan@example.com", name: "Lan Nguyen" },
    number: "1001",
    placedAt: "2026-11-01T10:00:00Z",
    status: "paid",
    currency: "USD",
    totalMinor: 12_500,
    items: [{ sku: "TEA-1", name: "Jasmine tea", quantity: 2, unitPriceMinor: 6_250 }],
    ...over,
  });

  it("records, lists, reads and changes orders; cancelled ones are not purchases", async () => {
    const a = await manager.api.post("/orders", order());
    expect(a.status).toBe(201);
    expect(a.body).toMatchObject({
      number: "1001",
      status: "paid",
      purchase: true,
      totalMinor: 12_500,
      source: "api",
    });
    const b = await admin.api.post(
      "/orders",
      order({ number: "1002", placedAt: "2026-11-20T10:00:00Z", totalMinor: 5_000 }),
    );
    expect(b.status).toBe(201);
    expect(b.body.contactId).toBe(a.body.contactId);

    const list = await agent.api.get(`/orders?contactId=${a.body.contactId}`);
    expect(list.status).toBe(200);
    expect(list.body.items.map((o: { number: string }) => o.number)).toEqual(["1002", "1001"]);

    const page1 = await agent.api.get(`/orders?contactId=${a.body.contactId}&limit=1`);
    expect(page1.body.items).toHaveLength(1);
    const page2 = await agent.api.get(
      `/orders?contactId=${a.body.contactId}&limit=1&cursor=${page1.body.nextCursor}`,
    );
    expect(page2.body.items[0].number).toBe("1001");
    expect(page2.body.nextCursor).toBeNull();

    const cancelled = await manager.api.patch(`/orders/${b.body.id}`, { status: "cancelled" });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.purchase).toBe(false);

    const mine = await agent.api.get(`/contacts/${a.body.contactId}/orders`);
    expect(mine.status).toBe(200);
    expect(mine.body.items).toHaveLength(2);
    expect(mine.body.summary).toMatchObject({
      purchases: 1,
      spend: [{ currency: "USD", totalMinor: 12_500 }],
    });
    expect((await agent.api.get(`/orders/${a.body.id}`)).body.number).toBe("1001");

    const timeline = await agent.api.get(`/contacts/${a.body.contactId}/timeline?types=order`);
    expect(timeline.status).toBe(200);
    expect(timeline.body.items.map((i: { text: string }) => i.text).sort()).toEqual(["1001", "1002"]);
  });

  it("links a ticket the agent can see to an order, and only such a ticket", async () => {
    const o = await manager.api.post(
      "/orders",
      order({ number: "2001", contact: { email: "binh@example.com" } }),
    );
    const ticket = await createTicket(agent.api, { requester: { email: "binh@example.com" }, teamId });
    const linked = await agent.api.post(`/orders/${o.body.id}/tickets`, { ticketId: ticket.id });
    expect(linked.status).toBe(200);
    expect(linked.body.ticketIds).toEqual([ticket.id]);
    const byTicket = await agent.api.get(`/orders?ticketId=${ticket.id}`);
    expect(byTicket.body.items.map((x: { id: string }) => x.id)).toEqual([o.body.id]);
    // Another team's agent cannot see the ticket: 404, and no link written.
    expect((await outsider.api.post(`/orders/${o.body.id}/tickets`, { ticketId: ticket.id })).status).toBe(
      404,
    );
    expect((await outsider.api.get(`/orders?ticketId=${ticket.id}`)).status).toBe(404);
    const unlinked = await agent.api.delete(`/orders/${o.body.id}/tickets/${ticket.id}`);
    expect(unlinked.body.ticketIds).toEqual([]);
  });

  it("refuses callers without the right and bad input, writing nothing", async () => {
    const before = await count(t, "orders");
    const anon = apiClient(t.app);
    expect((await anon.get("/orders")).status).toBe(401);
    expect((await anon.post("/orders", order())).status).toBe(401);
    expect((await anon.get(`/contacts/${crypto.randomUUID()}/orders`)).status).toBe(401);
    expect((await agent.api.post("/orders", order())).status).toBe(403);
    expect((await agent.api.get("/orders/shops")).status).toBe(403);
    expect((await manager.api.post("/orders/shops", { name: "x" })).status).toBe(403);
    const bad = [
      order({ currency: "usd" }),
      order({ totalMinor: -1 }),
      order({ totalMinor: 1.5 }),
      order({ status: "lost" }),
      order({ placedAt: "yesterday" }),
      order({ extra: true }),
      order({ number: "" }),
      order({ items: [{ name: "x", quantity: 0, unitPriceMinor: 1 }] }),
      order({ items: Array.from({ length: 501 }, () => ({ name: "x", quantity: 1, unitPriceMinor: 1 })) }),
      order({ number: "a\u0000b" }),
      order({ contact: {} }),
    ];
    for (const body of bad) {
      const res = await manager.api.post("/orders", body);
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(res.body.error.code).toBeTruthy();
    }
    expect((await manager.api.post("/orders", order({ contact: { id: crypto.randomUUID() } }))).status).toBe(
      404,
    );
    expect((await manager.api.patch(`/orders/${crypto.randomUUID()}`, { status: "paid" })).status).toBe(404);
    expect((await manager.api.patch("/orders/not-a-uuid", { status: "paid" })).status).toBe(400);
    expect((await manager.api.get("/orders?cursor=garbage")).status).toBe(400);
    expect((await manager.api.get("/orders?limit=100000")).status).toBe(400);
    expect((await agent.api.get(`/contacts/${crypto.randomUUID()}/orders`)).status).toBe(404);
    expect(await count(t, "orders")).toBe(before);
    // Hostile HTML is kept as text (the web escapes it), never interpreted.
    const html = await manager.api.post(
      "/orders",
      order({ number: "<img src=x onerror=alert(1)>", contact: { email: "x@example.com" } }),
    );
    expect(html.status).toBe(201);
    expect(html.body.number).toBe("<img src=x onerror=alert(1)>");
  });

  describe("signed shop intake", () => {
    let seq = 0;
    const post = (
      body: string,
      opts: { secret?: string; ts?: number; unsigned?: boolean; path?: string } = {},
    ) => {
      const ts = String(opts.ts ?? Math.floor(t.clock.now().getTime() / 1000));
      const sig = createHmac("sha256", opts.secret ?? shop.secret)
        .update(`${ts}.${body}`)
        .digest("hex");
      return t.app.inject({
        method: "POST",
        url: opts.path ?? intakePath,
        payload: body,
        headers: {
          "content-type": "application/json",
          ...(opts.unsigned ? {} : { "x-rapport-signature": `sha256=${sig}`, "x-rapport-timestamp": ts }),
        },
      });
    };
    const shopOrder = (over: Record<string, unknown> = {}) =>
      JSON.stringify({
        id: `wc-${++seq}`,
        number: `#${seq}`,
        placedAt: "2026-11-15T08:00:00Z",
        status: "paid",
        currency: "VND",
        totalMinor: 450_000,
        customer: { email: "chi@example.com", name: "Chi Tran" },
        items: [{ sku: "MUG", name: "Mug", quantity: 1, unitPriceMinor: 450_000 }],
        ...over,
      });

    it("creates an order from a signed call and stores the raw body", async () => {
      const body = shopOrder();
      const res = await post(body);
      expect(res.statusCode, res.body).toBe(200);
      const r = JSON.parse(res.body);
      expect(r.status).toBe("created");
      const o = await admin.api.get(`/orders/${r.orderId}`);
      expect(o.body).toMatchObject({
        source: "intake",
        shopId: shop.id,
        currency: "VND",
        totalMinor: 450_000,
      });
      const raw = await t.database.db.execute(
        sql`select raw_body, status from order_intake where order_id = ${r.orderId}`,
      );
      expect((raw as unknown as { rows: Array<{ raw_body: string; status: string }> }).rows[0]).toEqual({
        raw_body: body,
        status: "processed",
      });
    });

    it("refuses replayed, unsigned, badly signed, stale and malformed calls with nothing written", async () => {
      const body = shopOrder();
      const ts = Math.floor(t.clock.now().getTime() / 1000);
      expect((await post(body, { ts })).statusCode).toBe(200);
      const orders0 = await count(t, "orders");
      const raw0 = await count(t, "order_intake");
      const replay = await post(body, { ts });
      expect(replay.statusCode).toBe(409);
      expect(JSON.parse(replay.body).error.details.reason).toBe("replayed");
      const cases: Array<[Awaited<ReturnType<typeof post>>, number, string]> = [
        [await post(shopOrder(), { unsigned: true }), 401, "unsigned"],
        [await post(shopOrder(), { secret: "shpsec_wrong" }), 401, "bad_signature"],
        [await post(shopOrder(), { ts: ts - 3600 }), 401, "replayed"],
        [await post("{not json"), 400, "malformed"],
        [await post(shopOrder({ currency: "dong" })), 400, "malformed"],
        [await post(shopOrder({ customer: { name: "No address" } })), 400, "malformed"],
        [await post(shopOrder({ extra: 1 })), 400, "malformed"],
        [await post(shopOrder(), { path: "/api/v1/orders/intake/unknown-key-123" }), 404, "unknown_shop"],
      ];
      for (const [res, status, reason] of cases) {
        expect(res.statusCode, res.body).toBe(status);
        expect(JSON.parse(res.body).error.details.reason).toBe(reason);
      }
      const invalidUtf8 = await t.app.inject({
        method: "POST",
        url: intakePath,
        payload: Buffer.from([0xff, 0xfe]),
        headers: { "content-type": "application/json" },
      });
      expect(invalidUtf8.statusCode).toBe(401);
      expect(await count(t, "orders")).toBe(orders0);
      expect(await count(t, "order_intake")).toBe(raw0);
    });

    it("is idempotent on the shop's order id: again is unchanged, a new status updates the same order", async () => {
      const first = JSON.parse(shopOrder());
      const created = JSON.parse((await post(JSON.stringify(first))).body);
      const orders0 = await count(t, "orders");
      t.clock.advance(1000);
      const again = await post(JSON.stringify(first));
      expect(JSON.parse(again.body)).toEqual({ status: "unchanged", orderId: created.orderId });
      t.clock.advance(1000);
      const refunded = await post(JSON.stringify({ ...first, status: "refunded" }));
      expect(JSON.parse(refunded.body)).toEqual({ status: "updated", orderId: created.orderId });
      expect(await count(t, "orders")).toBe(orders0);
      expect((await admin.api.get(`/orders/${created.orderId}`)).body).toMatchObject({
        status: "refunded",
        purchase: false,
      });
    });

    it("lets only admins manage shops; a rotated secret stops the old one at once", async () => {
      expect((await agent.api.post("/orders/shops", { name: "x" })).status).toBe(403);
      expect((await apiClient(t.app).get("/orders/shops")).status).toBe(401);
      expect((await admin.api.post("/orders/shops", { name: "" })).status).toBe(400);
      const list = await admin.api.get("/orders/shops");
      expect(list.body.items[0]).not.toHaveProperty("secret");
      const old = shop.secret;
      const rotated = await admin.api.post(`/orders/shops/${shop.id}/rotate-secret`);
      expect(rotated.status).toBe(200);
      shop = { ...shop, secret: rotated.body.secret };
      expect((await post(shopOrder(), { secret: old })).statusCode).toBe(401);
      expect((await post(shopOrder())).statusCode).toBe(200);
      expect((await admin.api.patch(`/orders/shops/${shop.id}`, { active: false })).body.active).toBe(false);
      expect((await post(shopOrder())).statusCode).toBe(404);
      await admin.api.patch(`/orders/shops/${shop.id}`, { active: true });
    });
  });
});
