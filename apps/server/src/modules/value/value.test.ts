import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiClient, createAgent, setupAdmin } from "../../test/factories.ts";
import { createTestApp, type TestApp } from "../../test/harness.ts";
import { computeValues, DAY_MS } from "./rfm.ts";
import { refreshContactValues } from "./value.refresh.ts";

const NOW = new Date("2026-12-01T12:00:00Z");
const ago = (days: number) => new Date(NOW.getTime() - days * DAY_MS).toISOString();

describe("customer value (RFM)", () => {
  let t: TestApp;
  let admin: Awaited<ReturnType<typeof setupAdmin>>;
  let manager: Awaited<ReturnType<typeof createAgent>>;
  let agent: Awaited<ReturnType<typeof createAgent>>;
  const ids = new Map<string, string>();
  let n = 0;

  const buy = async (who: string, daysAgo: number, total = 10_000, over: Record<string, unknown> = {}) => {
    const res = await manager.api.post("/orders", {
      contact: { email: `${who}@example.com`, name: who },
      number: `N${++n}`,
      placedAt: ago(daysAgo),
      status: "delivered",
      currency: "USD",
      totalMinor: total,
      ...over,
    });
    if (res.status !== 201) throw new Error(res.raw);
    ids.set(who, res.body.contactId);
    return res.body;
  };

  beforeAll(async () => {
    t = await createTestApp();
    t.clock.set(NOW);
    admin = await setupAdmin(t);
    manager = await createAgent(t, admin.api, { role: "manager" });
    agent = await createAgent(t, admin.api);
    // 24 customers with a second purchase (so the organization's interval is theirs, not 90 days).
    for (let i = 0; i < 24; i++) {
      await buy(`regular${i}`, 40 + i * 3, 5_000 + i * 1_000);
      await buy(`regular${i}`, 20 + (i % 7), 5_000 + i * 500);
    }
    for (const d of [500, 420, 340, 260]) await buy("lapsed", d, 20_000);
    for (const d of [50, 35, 20, 5]) await buy("vip", d, 90_000);
    await buy("newbie", 3, 4_000);
    await buy("onceago", 250, 4_000);
    await buy("cancelled", 10, 4_000, { status: "cancelled" });
    await buy("euro", 10, 1_000, { currency: "EUR" });
    const res = await admin.api.patch("/value/settings", { baseCurrency: "USD", rates: { EUR: 1.1 } });
    expect(res.status, res.raw).toBe(200);
  });
  afterAll(() => t?.close());

  it("the set-based recompute agrees with the pure rules", async () => {
    const purchases = (await t.database.db.execute(
      sql`select contact_id, placed_at, total_minor, currency from orders where status not in ('cancelled','refunded')`,
    )) as unknown as {
      rows: Array<{ contact_id: string; placed_at: string; total_minor: number; currency: string }>;
    };
    const byContact = new Map<string, Array<{ at: Date; amount: number }>>();
    for (const r of purchases.rows) {
      const list = byContact.get(r.contact_id) ?? [];
      list.push({
        at: new Date(r.placed_at),
        amount: Number(r.total_minor) * (r.currency === "EUR" ? 1.1 : 1),
      });
      byContact.set(r.contact_id, list);
    }
    const windowDays = (NOW.getTime() - Date.UTC(2025, 11, 1, 12)) / DAY_MS;
    const expected = computeValues(
      [...byContact].map(([id, p]) => ({ id, purchases: p })),
      NOW,
      { windowDays },
    );
    const got = (await t.database.db.execute(
      sql`select contact_id, segment, r_score, f_score, m_score, interval_days, purchases from customer_values`,
    )) as unknown as {
      rows: Array<{
        contact_id: string;
        segment: string;
        r_score: number;
        f_score: number;
        m_score: number;
        interval_days: number;
        purchases: number;
      }>;
    };
    const rows = new Map(got.rows.map((r) => [r.contact_id, r]));
    for (const e of expected) {
      const g = rows.get(e.id);
      expect(g, e.id).toBeDefined();
      expect([g?.segment, g?.r_score, g?.f_score, g?.m_score, g?.purchases]).toEqual([
        e.segment,
        e.r,
        e.f,
        e.m,
        e.purchases,
      ]);
      expect(g?.interval_days).toBeCloseTo(e.interval, 6);
    }
    expect(rows.get(ids.get("cancelled") as string)?.segment ?? "no_purchase").toBe("no_purchase");
    const v = await agent.api.get(`/contacts/${ids.get("vip")}/value`);
    expect(v.status).toBe(200);
    expect(v.body).toMatchObject({
      segment: "vip",
      purchases: 4,
      ownInterval: true,
      intervalDays: 15,
      baseCurrency: "USD",
    });
    expect((await agent.api.get(`/contacts/${ids.get("lapsed")}/value`)).body.segment).toBe("lost");
    expect((await agent.api.get(`/contacts/${ids.get("newbie")}/value`)).body.segment).toBe("newcomer");
    expect((await agent.api.get(`/contacts/${ids.get("onceago")}/value`)).body.segment).toBe(
      "one_off_forgotten",
    );
  });

  it("an incoming order refreshes its customer in one statement and puts a segment change on the timeline", async () => {
    const id = ids.get("onceago") as string;
    let statements = 0;
    await t.database.db.transaction(async (tx) => {
      const before = t.database.stats.queries;
      await tx.execute(sql`insert into orders (contact_id, number, placed_at, status, currency, total_minor)
        values (${id}, 'X1', ${NOW.toISOString()}, 'paid', 'USD', 1000)`);
      await refreshContactValues(tx, [id], NOW);
      statements = t.database.stats.queries - before;
    });
    // Inside the transaction (BEGIN/COMMIT aside): the order's insert and the one refresh.
    expect(statements).toBe(2);
    const v = await agent.api.get(`/contacts/${id}/value`);
    expect(v.body).toMatchObject({ segment: "growing_loyal", purchases: 2, daysSinceLastPurchase: 0 });
    const tl = await agent.api.get(`/contacts/${id}/timeline?types=event`);
    expect(tl.body.items[0]).toMatchObject({
      type: "value.segment_changed",
      data: { from: "one_off_forgotten", to: "growing_loyal" },
    });
  });

  it("serves the matrix, the customer lists and their CSV to managers", async () => {
    const m = await manager.api.get("/rfm/matrix");
    expect(m.status).toBe(200);
    const cells = m.body.cells.reduce((s: number, c: { customers: number }) => s + c.customers, 0);
    expect(cells).toBeGreaterThan(20);
    expect(m.body.planningAssumption).toBe(0.2);
    expect(m.body.segments.reduce((s: number, x: { customers: number }) => s + x.customers, 0)).toBe(
      m.body.customers,
    );
    expect(m.body.trend.length).toBeGreaterThan(0);

    const page1 = await manager.api.get("/rfm/customers?segment=growing_loyal&limit=5");
    expect(page1.status).toBe(200);
    expect(page1.body.items).toHaveLength(5);
    const all: string[] = page1.body.items.map((c: { contactId: string }) => c.contactId);
    let cursor = page1.body.nextCursor;
    while (cursor) {
      const p = await manager.api.get(`/rfm/customers?segment=growing_loyal&limit=5&cursor=${cursor}`);
      all.push(...p.body.items.map((c: { contactId: string }) => c.contactId));
      cursor = p.body.nextCursor;
    }
    expect(new Set(all).size).toBe(all.length);
    const count = m.body.segments.find((s: { segment: string }) => s.segment === "growing_loyal").customers;
    expect(all.length).toBe(count);

    const cell = m.body.cells[0];
    const inCell = await manager.api.get(`/rfm/customers?r=${cell.r}&f=${cell.f}&limit=500`);
    expect(inCell.body.items).toHaveLength(cell.customers);

    const csv = await manager.api.get("/rfm/customers?segment=growing_loyal&format=csv");
    expect(csv.status).toBe(200);
    expect(String(csv.headers["content-type"])).toContain("text/csv");
    expect(csv.raw.trim().split("\n")).toHaveLength(count + 1);
  });

  it("refuses callers without the right and bad input", async () => {
    const anon = apiClient(t.app);
    for (const url of [
      "/rfm/matrix",
      "/rfm/customers",
      "/value/settings",
      `/contacts/${ids.get("vip")}/value`,
    ])
      expect((await anon.get(url)).status).toBe(401);
    expect((await anon.post("/rfm/recompute")).status).toBe(401);
    expect((await agent.api.get("/rfm/matrix")).status).toBe(404);
    expect((await agent.api.get("/rfm/customers")).status).toBe(404);
    expect((await manager.api.patch("/value/settings", { windowMonths: 6 })).status).toBe(403);
    expect((await manager.api.post("/rfm/recompute")).status).toBe(403);
    for (const q of ["segment=gold", "r=6", "f=0", "limit=0", "cursor=zzz", "format=xml", "extra=1"])
      expect((await manager.api.get(`/rfm/customers?${q}`)).status, q).toBe(400);
    for (const body of [
      {},
      { baseCurrency: "dong" },
      { rates: { EUR: -1 } },
      { rates: { USD: 2 } },
      { windowMonths: 0 },
      { reminderMode: "sms" },
      { reminderTemplate: { fr: { subject: "x", body: "y" } } },
      { reminderOffer: "a\u0000b" },
      { unknown: true },
    ])
      expect((await admin.api.patch("/value/settings", body)).status, JSON.stringify(body)).toBe(400);
    expect((await agent.api.get(`/contacts/${crypto.randomUUID()}/value`)).status).toBe(404);
    expect((await agent.api.get("/contacts/nope/value")).status).toBe(400);
    const ok = await admin.api.post("/rfm/recompute");
    expect(ok.status).toBe(200);
    expect(ok.body.customers).toBeGreaterThan(20);
  });
});
