import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiClient, createAgent, setupAdmin } from "../../test/factories.ts";
import { createTestApp, type TestApp } from "../../test/harness.ts";
import { toMinor, toPlacedAt } from "./orders.import.ts";

const csvReq = (body: string) => ({ headers: { "content-type": "text/csv" }, payload: body });
const rowsOf = <T>(r: unknown) => (r as { rows: T[] }).rows;

describe("CSV import of orders (the import wizard's path)", () => {
  let t: TestApp;
  let admin: Awaited<ReturnType<typeof setupAdmin>>;
  const count = async (table: string) =>
    Number(
      rowsOf<{ n: number }>(await t.database.db.execute(`select count(*)::int as n from ${table}`))[0]?.n,
    );
  const upload = (body: string) =>
    admin.api.post("/imports?entity=order&filename=orders.csv", undefined, csvReq(body));

  beforeAll(async () => {
    t = await createTestApp();
    t.clock.set(new Date("2026-12-01T12:00:00Z"));
    admin = await setupAdmin(t);
    const s = await admin.api.patch("/value/settings", { baseCurrency: "USD", pointsPerUnit: 1 });
    expect(s.status, s.raw).toBe(200);
  });
  afterAll(() => t?.close());

  it("reads amounts in the currency's units and dates with or without a time", () => {
    expect(toMinor("12.50", "USD")).toBe(1250);
    expect(toMinor("1,250.5", "USD")).toBe(125050);
    expect(toMinor("450000", "VND")).toBe(450000);
    expect(toMinor("4.5", "VND")).toBeNull();
    expect(toMinor("-3", "USD")).toBeNull();
    expect(toMinor("abc", "USD")).toBeNull();
    expect(toPlacedAt("2026-11-15")).toBe("2026-11-15T00:00:00.000Z");
    expect(toPlacedAt("2026-11-15 08:30")).toBe("2026-11-15T08:30:00.000Z");
    expect(toPlacedAt("2026-11-15T08:00:00+07:00")).toBe("2026-11-15T01:00:00.000Z");
    expect(toPlacedAt("15/11/2026")).toBeNull();
    expect(toPlacedAt("2026-13-45")).toBeNull();
  });

  it("reports malformed rows per line and writes nothing; the fixed file imports, items grouped by order", async () => {
    const header = "Order,Date,Email,Phone,Name,Status,Currency,Total,Discount code,SKU,Product,Qty,Price";
    const bad = [
      header,
      "#1001,2026-11-01,an@example.com,,An,paid,USD,30.00,,TEA,Tea,2,15.00",
      "#1001,,,,,,,,,MUG,Mug,1,0",
      "#1002,yesterday,binh@example.com,,Binh,paid,USD,10,,,,,",
      "#1003,2026-11-02,,,Chi,paid,USD,10,,,,,",
      "#1004,2026-11-02,dung@example.com,,Dung,lost,USD,10,,,,,",
      "#1005,2026-11-02,em@example.com,,Em,paid,USD,ten,,,,,",
      "#1006,2026-11-02,not-an-email,,Giang,paid,USD,10,,,,,",
      "#1007,2026-11-02,hoa@example.com,12,Hoa,paid,USD,10,,,,,",
      "#1008,2026-11-02,ich@example.com,,Ich,paid,USD,10,,X,X,0,1",
      "#1009,2026-11-02,kim@example.com",
    ];
    const up = await upload(bad.join("\n"));
    expect(up.status, up.raw).toBe(201);
    expect(up.body.entity).toBe("order");
    expect(up.body.mapping).toEqual({
      0: "number",
      1: "placedAt",
      2: "email",
      3: "phone",
      4: "name",
      5: "status",
      6: "currency",
      7: "total",
      8: "coupon",
      9: "sku",
      10: "itemName",
      11: "quantity",
      12: "unitPrice",
    });
    const opts = { mapping: up.body.mapping, defaultCountry: "VN" };
    const before = { orders: await count("orders"), contacts: await count("contacts") };
    const dry = await admin.api.post(`/imports/${up.body.id}/dry-run`, opts);
    expect(dry.status, dry.raw).toBe(200);
    const problems = dry.body.errors.map((e: { row: number; code: string; column: string | null }) => [
      e.row,
      e.code,
      e.column,
    ]);
    expect(problems).toEqual([
      [4, "invalid_date", "Date"],
      [5, "missing_required", "Email"],
      [6, "invalid_status", "Status"],
      [7, "invalid_amount", "Total"],
      [8, "invalid_value", "Email"],
      [9, "invalid_phone", "Phone"],
      [10, "invalid_quantity", "Qty"],
      [11, "wrong_column_count", null],
    ]);
    const run = await admin.api.post(`/imports/${up.body.id}/run`, opts);
    expect(run.status).toBe(422);
    expect(run.body.error.details.errorCount).toBe(dry.body.errorCount);
    expect({ orders: await count("orders"), contacts: await count("contacts") }).toEqual(before);
    expect(await count("loyalty_ledger")).toBe(0);

    const good = [
      bad[0],
      bad[1],
      bad[2],
      "#1002,2026-11-03 09:15,binh@example.com,+84 90 123 4567,Binh,refunded,USD,10,WELCOME,,,,",
    ];
    const up2 = await upload(good.join("\r\n"));
    const progress = await t.app.inject({
      method: "POST",
      url: `/api/v1/imports/${up2.body.id}/run`,
      headers: { authorization: `Bearer ${admin.token}`, accept: "application/x-ndjson" },
      payload: opts,
    });
    expect(progress.statusCode, progress.body).toBe(200);
    const events = progress.body
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(events.some((e) => e.type === "progress" && e.phase === "insert")).toBe(true);
    expect(events.at(-1)).toMatchObject({ type: "done", inserted: 2 });
    const an = rowsOf<{
      id: string;
      contact_id: string;
      items: unknown;
      total_minor: number;
      source: string;
    }>(
      await t.database.db.execute(
        sql`select id, contact_id, items, total_minor::int as total_minor, source from orders where number = '#1001'`,
      ),
    );
    expect(an).toHaveLength(1);
    expect(an[0]).toMatchObject({
      total_minor: 3000,
      source: "import",
      items: [
        { sku: "TEA", name: "Tea", quantity: 2, unitPriceMinor: 1500 },
        { sku: "MUG", name: "Mug", quantity: 1, unitPriceMinor: 0 },
      ],
    });
    // The customer's value and points came with the import (30 points; the refunded order earns none).
    const v = await admin.api.get(`/contacts/${an[0]?.contact_id}/value`);
    expect(v.body).toMatchObject({ purchases: 1, points: 30 });
    const binh = (await admin.api.get("/contacts?email=binh@example.com")).body.items[0];
    expect(binh.phones[0].phone).toBe("+84901234567");

    // The same order id in a later export updates that order: cancelled, its points are taken back.
    const later = [
      header,
      "#1001,2026-11-01,an@example.com,,An,cancelled,USD,30.00,,TEA,Tea,2,15.00",
      "#1001,,,,,,,,,MUG,Mug,1,0",
    ];
    const up3 = await upload(later.join("\n"));
    const run3 = await admin.api.post(`/imports/${up3.body.id}/run`, opts);
    expect(run3.status, run3.raw).toBe(200);
    expect(await count("orders")).toBe(before.orders + 2);
    const ledger = rowsOf<{ kind: string; points: number }>(
      await t.database.db.execute(
        sql`select kind, points from loyalty_ledger where order_id = ${an[0]?.id} order by id`,
      ),
    );
    expect(ledger).toEqual([
      { kind: "earn", points: 30 },
      { kind: "reverse", points: -30 },
    ]);
  });

  it("refuses a mapping without the order's required columns, and callers who are not admins", async () => {
    const up = await upload("Order,Date,Email,Total\n#1,2026-11-01,a@example.com,5\n");
    expect(up.status, up.raw).toBe(201);
    const dry = await admin.api.post(`/imports/${up.body.id}/dry-run`, { mapping: up.body.mapping });
    expect(dry.status).toBe(400);
    expect(dry.body.error.message).toMatch(/currency/);
    const agent = await createAgent(t, admin.api, { role: "manager" });
    expect((await agent.api.post("/imports?entity=order", undefined, csvReq("a\n1\n"))).status).toBe(403);
    expect((await apiClient(t.app).post("/imports?entity=order", undefined, csvReq("a\n1\n"))).status).toBe(
      401,
    );
    expect((await admin.api.post("/imports?entity=invoice", undefined, csvReq("a\n1\n"))).status).toBe(400);
  });
});
