import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Api, apiClient, createAgent, createTicket, setupAdmin } from "../../test/factories.ts";
import { createTestApp, type TestApp } from "../../test/harness.ts";
import { DAY_MS } from "./rfm.ts";

const NOW = new Date("2026-12-01T12:00:00Z");
const rowsOf = <T>(r: unknown) => (r as { rows: T[] }).rows;

describe("relationship types (Piercy): suggested, confirmed, on the timeline", () => {
  let t: TestApp;
  let admin: Awaited<ReturnType<typeof setupAdmin>>;
  let manager: Awaited<ReturnType<typeof createAgent>>;
  let agent: Awaited<ReturnType<typeof createAgent>>;
  let owner: Awaited<ReturnType<typeof createAgent>>;
  const ids: Record<string, string> = {};
  let n = 0;

  /** Orders `daysAgo` ago for `who`; `deal` gives each a coupon. */
  const buy = async (who: string, daysAgo: number[], deal = false) => {
    for (const d of daysAgo) {
      const res = await manager.api.post("/orders", {
        contact: { email: `${who}@example.com`, name: who },
        number: `R${++n}`,
        placedAt: new Date(NOW.getTime() - d * DAY_MS).toISOString(),
        status: "paid",
        currency: "USD",
        totalMinor: 5000,
        ...(deal ? { coupon: "SALE20", discountMinor: 1000 } : {}),
      });
      expect(res.status, res.raw).toBe(201);
      ids[who] = res.body.contactId;
    }
  };
  const value = (api: Api, who: string) => api.get(`/contacts/${ids[who]}/value`);
  const events = async (contactId: string) =>
    rowsOf<{ data: { from: string | null; to: string | null }; actor_id: string }>(
      await t.database.db.execute(sql`select data, actor_id from contact_events
        where contact_id = ${contactId} and type = 'value.relationship_changed' order by id`),
    );

  beforeAll(async () => {
    t = await createTestApp();
    t.clock.set(NOW);
    admin = await setupAdmin(t);
    manager = await createAgent(t, admin.api, { role: "manager" });
    agent = await createAgent(t, admin.api);
    owner = await createAgent(t, admin.api);
    await buy("bargain", [100, 60, 20], true);
    await buy("once", [10], true);
    await buy("chatty", [90, 60, 30]);
    await buy("quiet", [60, 30]);
    await buy("new", [5]);
    for (let i = 0; i < 2; i++)
      await createTicket(admin.api, { requester: { email: "chatty@example.com", name: "chatty" } });
    const org = await admin.api.post("/organizations", { name: "Quiet Co", accountOwnerId: owner.user.id });
    expect(org.status, org.raw).toBe(201);
    const moved = await admin.api.patch(`/contacts/${ids.quiet}`, { organizationId: org.body.id });
    expect(moved.status, moved.raw).toBe(200);
  });
  afterAll(() => t?.close());

  it("suggests a type from behaviour (discounts, one purchase, engagement), live and in the nightly recompute", async () => {
    const expected = { bargain: "exploiter", once: "one_time", chatty: "seeker", quiet: "loyal", new: null };
    for (const [who, type] of Object.entries(expected)) {
      const res = await value(agent.api, who);
      expect(res.status, res.raw).toBe(200);
      expect([who, res.body.relationshipSuggested]).toEqual([who, type]);
      expect(res.body.relationshipType).toBeNull();
    }
    expect((await admin.api.post("/rfm/recompute", {})).status).toBe(200);
    const stored = rowsOf<{ contact_id: string; relationship_suggested: string | null }>(
      await t.database.db.execute(sql`select contact_id, relationship_suggested from customer_values`),
    );
    for (const [who, type] of Object.entries(expected))
      expect([who, stored.find((r) => r.contact_id === ids[who])?.relationship_suggested ?? null]).toEqual([
        who,
        type,
      ]);
  });

  it("managers confirm or change it; the change is on the dossier timeline once", async () => {
    expect((await value(manager.api, "bargain")).body.canSetRelationship).toBe(true);
    const res = await manager.api.patch(`/contacts/${ids.bargain}/value`, { relationshipType: "exploiter" });
    expect(res.status, res.raw).toBe(200);
    expect(res.body.relationshipType).toBe("exploiter");
    expect(res.body.relationshipSuggested).toBe("exploiter");
    // The same again writes no second event.
    expect(
      (await manager.api.patch(`/contacts/${ids.bargain}/value`, { relationshipType: "exploiter" })).status,
    ).toBe(200);
    const changed = await admin.api.patch(`/contacts/${ids.bargain}/value`, { relationshipType: "loyal" });
    expect(changed.body.relationshipType).toBe("loyal");
    const evs = await events(ids.bargain ?? "");
    expect(evs.map((e) => e.data)).toEqual([
      { from: null, to: "exploiter" },
      { from: "exploiter", to: "loyal" },
    ]);
    expect(evs[0]?.actor_id).toBe(manager.user.id);
    // null clears the confirmed type; the suggestion stays.
    const cleared = await manager.api.patch(`/contacts/${ids.bargain}/value`, { relationshipType: null });
    expect([cleared.body.relationshipType, cleared.body.relationshipSuggested]).toEqual([null, "exploiter"]);
    // The dossier timeline lists it.
    const tl = await agent.api.get(`/contacts/${ids.bargain}/timeline`);
    expect(tl.status, tl.raw).toBe(200);
    expect(JSON.stringify(tl.body)).toContain("value.relationship_changed");
  });

  it("a contact without orders gets a row when its type is set", async () => {
    const ticket = await createTicket(admin.api);
    const res = await manager.api.patch(`/contacts/${ticket.requester.id}/value`, {
      relationshipType: "seeker",
    });
    expect(res.status, res.raw).toBe(200);
    expect([res.body.segment, res.body.relationshipType]).toEqual(["no_purchase", "seeker"]);
    const m = await manager.api.get("/rfm/matrix");
    expect(m.body.customers).toBe(5);
  });

  it("a plain agent sets it only as the account manager; others get 403 and nothing is written", async () => {
    expect((await value(agent.api, "quiet")).body.canSetRelationship).toBe(false);
    expect((await value(owner.api, "quiet")).body.canSetRelationship).toBe(true);
    const denied = await agent.api.patch(`/contacts/${ids.quiet}/value`, { relationshipType: "seeker" });
    expect(denied.status, denied.raw).toBe(403);
    expect(denied.body.error.code).toBe("forbidden");
    const elsewhere = await owner.api.patch(`/contacts/${ids.chatty}/value`, { relationshipType: "loyal" });
    expect(elsewhere.status).toBe(403);
    expect(await events(ids.quiet ?? "")).toEqual([]);
    expect(await events(ids.chatty ?? "")).toEqual([]);
    const ok = await owner.api.patch(`/contacts/${ids.quiet}/value`, { relationshipType: "loyal" });
    expect(ok.status, ok.raw).toBe(200);
    expect(ok.body.relationshipType).toBe("loyal");
  });

  it("refuses signed-out callers, customers' portal cookies, bad input and unknown contacts", async () => {
    const url = `/contacts/${ids.once}/value`;
    expect((await apiClient(t.app).patch(url, { relationshipType: "loyal" })).status).toBe(401);
    const portal = await t.app.inject({
      method: "PATCH",
      url: `/api/v1${url}`,
      headers: { cookie: "rapport_portal=not-a-session", "content-type": "application/json" },
      payload: JSON.stringify({ relationshipType: "loyal" }),
    });
    expect(portal.statusCode).toBe(401);
    for (const bad of [
      {},
      { relationshipType: "vip" },
      { relationshipType: 3 },
      { relationshipType: "loyal", extra: true },
      { relationshipType: "<script>alert(1)</script>" },
      { relationshipType: "x".repeat(100_000) },
    ]) {
      const res = await manager.api.patch(url, bad);
      expect([JSON.stringify(bad).slice(0, 40), res.status]).toEqual([JSON.stringify(bad).slice(0, 40), 400]);
    }
    const broken = await t.app.inject({
      method: "PATCH",
      url: `/api/v1${url}`,
      headers: { authorization: `Bearer ${manager.token}`, "content-type": "application/json" },
      payload: '{"relationshipType": "loy',
    });
    expect(broken.statusCode).toBe(400);
    expect(
      (await manager.api.patch("/contacts/not-a-uuid/value", { relationshipType: "loyal" })).status,
    ).toBe(400);
    const missing = await manager.api.patch("/contacts/00000000-0000-4000-8000-000000000000/value", {
      relationshipType: "loyal",
    });
    expect(missing.status).toBe(404);
    expect(await events(ids.once ?? "")).toEqual([]);
  });
});
