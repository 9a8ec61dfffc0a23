import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAgent, createTicket, setupAdmin } from "../../test/factories.ts";
import { createTestApp, type TestApp } from "../../test/harness.ts";

describe("duplicate contacts and merge", () => {
  let t: TestApp;
  let admin: Awaited<ReturnType<typeof setupAdmin>>;
  let agent: Awaited<ReturnType<typeof createAgent>>;
  let a: string;
  let b: string;
  let c: string;

  const count = async (q: ReturnType<typeof sql>) =>
    Number(((await t.database.db.execute(q)) as unknown as { rows: Array<{ n: number }> }).rows[0]?.n);

  beforeAll(async () => {
    t = await createTestApp();
    admin = await setupAdmin(t);
    agent = await createAgent(t, admin.api);
    const mk = async (body: Record<string, unknown>) => {
      const res = await admin.api.post("/contacts", body);
      expect(res.status, res.raw).toBe(201);
      return res.body.id as string;
    };
    a = await mk({ name: "Nguyễn Văn An", emails: ["an@shop.vn"], phones: ["+84901111111"], tags: ["vip"] });
    b = await mk({
      name: "Nguyen Van An",
      emails: ["a.n+orders@shop.vn", "an.personal@mail.vn"],
      phones: ["+84 90 111 1111", "+84902222222"],
      tags: ["wholesale"],
      notes: "Met at the fair",
      timeZone: "Asia/Ho_Chi_Minh",
    });
    c = await mk({ name: "Somchai Jaidee", emails: ["somchai@example.th"] });
  });
  afterAll(() => t.close());

  it("finds duplicates by phone, email and similar name, not unrelated contacts", async () => {
    const res = await agent.api.get(`/contacts/${a}/duplicates`);
    expect(res.status).toBe(200);
    const ids = res.body.items.map((i: { contact: { id: string } }) => i.contact.id);
    expect(ids).toEqual([b]);
    expect(res.body.items[0].reasons.sort()).toEqual(["email", "name", "phone"]);
    expect(ids).not.toContain(c);
  });

  it("merges everything into the survivor, records the merge, and loses nothing", async () => {
    const ticket = await createTicket(agent.api, { requester: { id: b } });
    await agent.api.post(`/tickets/${ticket.id}/messages`, {
      body: "Customer again",
      authorType: "customer",
    });
    const plan = await agent.api.post("/planner/contacts", { contactId: b, date: "2030-01-02" });
    await agent.api.post(`/contacts/${b}/notes`, { body: "Prefers calls after 3pm" });
    await agent.api.call("PUT", `/contacts/${b}/cadence`, { every: 2, unit: "week" });
    const before = {
      tickets: await count(sql`select count(*)::int as n from tickets`),
      messages: await count(sql`select count(*)::int as n from messages`),
      emails: await count(sql`select count(*)::int as n from contact_emails`),
      plans: await count(sql`select count(*)::int as n from planned_contacts`),
      notes: await count(sql`select count(*)::int as n from contact_notes`),
    };
    const res = await agent.api.post(`/contacts/${a}/merge`, { sourceIds: [b] });
    expect(res.status, res.raw).toBe(200);
    expect(res.body.emails.map((e: { email: string }) => e.email).sort()).toEqual(
      ["a.n+orders@shop.vn", "an.personal@mail.vn", "an@shop.vn"].sort(),
    );
    expect(res.body.phones.map((p: { phone: string }) => p.phone).sort()).toEqual([
      "+84901111111",
      "+84902222222",
    ]);
    expect(res.body.tags.sort()).toEqual(["vip", "wholesale"]);
    expect(res.body.notes).toContain("Met at the fair");
    expect(res.body.timeZone).toBe("Asia/Ho_Chi_Minh");
    expect((await agent.api.get(`/contacts/${b}`)).status).toBe(404);
    expect((await agent.api.get(`/tickets/${ticket.id}`)).body.requester.id).toBe(a);
    expect((await agent.api.get(`/planner/contacts/${plan.body.id}`)).body.contact.id).toBe(a);
    expect((await agent.api.get(`/contacts/${a}/cadence`)).body).toMatchObject({ every: 2, unit: "week" });
    expect(await count(sql`select count(*)::int as n from tickets`)).toBe(before.tickets);
    expect(await count(sql`select count(*)::int as n from messages`)).toBe(before.messages);
    expect(await count(sql`select count(*)::int as n from contact_emails`)).toBe(before.emails);
    expect(await count(sql`select count(*)::int as n from planned_contacts`)).toBe(before.plans);
    expect(await count(sql`select count(*)::int as n from contact_notes`)).toBe(before.notes);
    const tl = await agent.api.get(`/contacts/${a}/timeline?types=event`);
    expect(tl.body.items[0]).toMatchObject({ kind: "event", type: "contact.merged" });
    expect(tl.body.items[0].data.merged[0]).toMatchObject({ id: b, name: "Nguyen Van An" });
    expect(
      (await agent.api.get(`/contacts/${a}/timeline?q=${encodeURIComponent("an.personal")}`)).status,
    ).toBe(200);
    expect((await agent.api.get("/contacts?q=an.personal")).body.items[0]?.id).toBe(a);
  });

  it("refuses bad merges and changes nothing", async () => {
    expect((await agent.api.post(`/contacts/${a}/merge`, { sourceIds: [a] })).status).toBe(400);
    expect((await agent.api.post(`/contacts/${a}/merge`, { sourceIds: [c, randomUUID()] })).status).toBe(404);
    expect((await agent.api.get(`/contacts/${c}`)).status).toBe(200);
    expect((await agent.api.post(`/contacts/${randomUUID()}/merge`, { sourceIds: [c] })).status).toBe(404);
    const many = Array.from({ length: 21 }, () => randomUUID());
    expect((await agent.api.post(`/contacts/${a}/merge`, { sourceIds: many })).status).toBe(400);
    expect((await agent.api.post(`/contacts/${a}/merge`, { sourceIds: [] })).status).toBe(400);
    expect((await agent.api.post(`/contacts/${a}/merge`, { sourceIds: ["x\u0000"] })).status).toBe(400);
    expect((await agent.api.get(`/contacts/${randomUUID()}/duplicates`)).status).toBe(404);
    expect(
      (
        await t.app.inject({
          method: "POST",
          url: `/api/v1/contacts/${a}/merge`,
          payload: { sourceIds: [c] },
        })
      ).statusCode,
    ).toBe(401);
    expect((await agent.api.get(`/contacts/${c}`)).status).toBe(200);
  });
});
