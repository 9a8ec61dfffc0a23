import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAgent, createTicket, setupAdmin } from "../../test/factories.ts";
import { createTestApp, type TestApp } from "../../test/harness.ts";

describe("custom fields", () => {
  let t: TestApp;
  let admin: Awaited<ReturnType<typeof setupAdmin>>;
  let agent: Awaited<ReturnType<typeof createAgent>>;
  beforeAll(async () => {
    t = await createTestApp();
    admin = await setupAdmin(t);
    agent = await createAgent(t, admin.api, { role: "agent" });
    const defs = [
      {
        entity: "contact",
        key: "tier",
        type: "select",
        label: "Tier",
        required: true,
        labels: { vi: "Hạng" },
        options: [
          { value: "gold", label: "Gold", labels: { vi: "Vàng" } },
          { value: "silver", label: "Silver" },
        ],
      },
      { entity: "contact", key: "budget", type: "number", label: "Budget" },
      { entity: "contact", key: "renewal", type: "date", label: "Renewal" },
      {
        entity: "contact",
        key: "interests",
        type: "multiselect",
        label: "Interests",
        options: [
          { value: "crm", label: "CRM" },
          { value: "helpdesk", label: "Help desk" },
        ],
      },
      { entity: "contact", key: "vip", type: "boolean", label: "VIP" },
      { entity: "contact", key: "site", type: "link", label: "Website" },
      { entity: "contact", key: "nickname", type: "text", label: "Nickname" },
      { entity: "organization", key: "industry", type: "text", label: "Industry", required: true },
      { entity: "ticket", key: "order_no", type: "text", label: "Order number", required: true },
      { entity: "ticket", key: "amount", type: "number", label: "Amount" },
    ];
    for (const d of defs) {
      const res = await admin.api.post("/fields", d);
      expect(res.status, res.raw).toBe(201);
    }
  });
  afterAll(() => t.close());

  it("lists definitions in order with per-language labels; agents may read but not define", async () => {
    const res = await agent.api.get("/fields?entity=contact");
    expect(res.status).toBe(200);
    expect(res.body.map((f: { key: string }) => f.key)).toEqual([
      "tier",
      "budget",
      "renewal",
      "interests",
      "vip",
      "site",
      "nickname",
    ]);
    expect(res.body[0]).toMatchObject({ labels: { vi: "Hạng" }, required: true, position: 0 });
    expect(res.body[0].options[0]).toMatchObject({ value: "gold", labels: { vi: "Vàng" } });
    const denied = await agent.api.post("/fields", { entity: "contact", key: "x", type: "text", label: "X" });
    expect(denied.status).toBe(403);
    const denied2 = await agent.api.patch(`/fields/${res.body[0].id}`, { required: false });
    expect(denied2.status).toBe(403);
  });

  it("refuses bad definitions: duplicate key, bad key, select without options, options on text", async () => {
    const cases = [
      [{ entity: "contact", key: "tier", type: "text", label: "Again" }, 409],
      [{ entity: "contact", key: "Bad Key", type: "text", label: "X" }, 400],
      [{ entity: "contact", key: "s", type: "select", label: "X", options: [] }, 400],
      [{ entity: "contact", key: "t", type: "text", label: "X", options: [{ value: "a", label: "A" }] }, 400],
      [
        {
          entity: "contact",
          key: "u",
          type: "select",
          label: "X",
          options: [
            { value: "a", label: "A" },
            { value: "A", label: "B" },
          ],
        },
        400,
      ],
      [{ entity: "user", key: "v", type: "text", label: "X" }, 400],
      [{ entity: "contact", key: "w", type: "currency", label: "X" }, 400],
    ] as const;
    for (const [body, status] of cases) expect((await admin.api.post("/fields", body)).status).toBe(status);
  });

  it("validates contact values on create and update with field-level errors", async () => {
    const missing = await agent.api.post("/contacts", { name: "No tier", emails: ["notier@example.com"] });
    expect(missing.status).toBe(400);
    expect(missing.body.error.details).toEqual([
      expect.objectContaining({ path: "customFields.tier", code: "required" }),
    ]);
    const bad = await agent.api.post("/contacts", {
      name: "Bad values",
      customFields: {
        tier: "platinum",
        budget: "lots",
        renewal: "2026-02-30",
        interests: ["crm", "golf"],
        vip: "maybe",
        site: "javascript:alert(1)",
        ghost: "x",
      },
    });
    expect(bad.status).toBe(400);
    const codes = Object.fromEntries(
      bad.body.error.details.map((d: { path: string; code: string }) => [
        d.path.replace("customFields.", ""),
        d.code,
      ]),
    );
    expect(codes).toEqual({
      tier: "invalid_option",
      budget: "invalid_number",
      renewal: "invalid_date",
      interests: "invalid_option",
      vip: "invalid_boolean",
      site: "invalid_link",
      ghost: "unknown_field",
    });
    expect(
      (
        (await t.database.db.execute(
          "select count(*)::int as n from contacts where name = 'Bad values'",
        )) as unknown as { rows: Array<{ n: number }> }
      ).rows[0]?.n,
    ).toBe(0);

    const ok = await agent.api.post("/contacts", {
      name: "Trần Văn An",
      customFields: {
        tier: "Vàng",
        budget: "1200.5",
        renewal: "2026-03-01",
        interests: "crm;helpdesk",
        vip: "yes",
        site: "https://example.vn/an",
        nickname: "  An  ",
      },
    });
    expect(ok.status, ok.raw).toBe(201);
    expect(ok.body.customFields).toEqual({
      tier: "gold",
      budget: 1200.5,
      renewal: "2026-03-01",
      interests: ["crm", "helpdesk"],
      vip: true,
      site: "https://example.vn/an",
      nickname: "An",
    });
    const cleared = await agent.api.patch(`/contacts/${ok.body.id}`, {
      customFields: { nickname: null, budget: 99 },
    });
    expect(cleared.status).toBe(200);
    expect(cleared.body.customFields).toMatchObject({ tier: "gold", budget: 99 });
    expect(cleared.body.customFields.nickname).toBeUndefined();
    const noTier = await agent.api.patch(`/contacts/${ok.body.id}`, { customFields: { tier: null } });
    expect(noTier.status).toBe(400);
    expect(noTier.body.error.details[0]).toMatchObject({ path: "customFields.tier", code: "required" });
    const typed = await agent.api.patch(`/contacts/${ok.body.id}`, { customFields: { budget: [1] } });
    expect(typed.status).toBe(400);
    // Unrelated edits do not need the custom fields.
    expect((await agent.api.patch(`/contacts/${ok.body.id}`, { notes: "called" })).status).toBe(200);
  });

  it("validates organization values, and archived fields can be cleared but not written", async () => {
    const missing = await agent.api.post("/organizations", { name: "Mekong Foods" });
    expect(missing.status).toBe(400);
    expect(missing.body.error.details[0]).toMatchObject({ path: "customFields.industry" });
    const org = await agent.api.post("/organizations", {
      name: "Mekong Foods",
      address: "12 Lê Lợi, Huế",
      customFields: { industry: "Food" },
    });
    expect(org.status, org.raw).toBe(201);
    expect(org.body).toMatchObject({ address: "12 Lê Lợi, Huế", customFields: { industry: "Food" } });
    const fields = (await admin.api.get("/fields?entity=organization")).body;
    const industry = fields.find((f: { key: string }) => f.key === "industry");
    expect((await admin.api.patch(`/fields/${industry.id}`, { archived: true })).body.archived).toBe(true);
    expect((await agent.api.post("/organizations", { name: "No industry needed" })).status).toBe(201);
    const write = await agent.api.patch(`/organizations/${org.body.id}`, {
      customFields: { industry: "Tea" },
    });
    expect(write.status).toBe(400);
    expect(write.body.error.details[0].code).toBe("archived_field");
    const clear = await agent.api.patch(`/organizations/${org.body.id}`, {
      customFields: { industry: null },
    });
    expect(clear.status).toBe(200);
    expect(clear.body.customFields).toEqual({});
    expect((await agent.api.get("/fields?entity=organization")).body).toHaveLength(0);
    expect((await agent.api.get("/fields?entity=organization&archived=all")).body).toHaveLength(1);
  });

  it("validates ticket values on create (hook) and update; channels may leave required fields empty", async () => {
    const missing = await agent.api.post("/tickets", {
      subject: "Where is my order",
      requester: { email: "buyer@example.com" },
    });
    expect(missing.status).toBe(400);
    expect(missing.body.error.details[0]).toMatchObject({ path: "customFields.order_no", code: "required" });
    const ticket = await createTicket(agent.api, { customFields: { order_no: "SO-1", amount: "15" } });
    expect(ticket.customFields).toEqual({ order_no: "SO-1", amount: 15 });
    const bad = await agent.api.patch(`/tickets/${ticket.id}`, { customFields: { amount: "fifteen" } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0]).toMatchObject({ path: "customFields.amount", code: "invalid_number" });
    const good = await agent.api.patch(`/tickets/${ticket.id}`, { customFields: { amount: 20 } });
    expect(good.body.customFields).toEqual({ order_no: "SO-1", amount: 20 });
    const events = (await agent.api.get(`/tickets/${ticket.id}/events`)).body;
    const list = Array.isArray(events) ? events : events.items;
    expect(list.some((e: { type: string }) => e.type === "custom_fields.changed")).toBe(true);

    const { createTicket: createTicketService } = await import("../tickets/tickets.service.ts");
    const { withActor } = await import("../../context.ts");
    const { SYSTEM } = await import("../../auth/actor.ts");
    const fromChannel = await createTicketService(withActor(t.services, SYSTEM), {
      subject: "Inbound",
      requester: { email: "mail@example.com" },
      priority: "normal",
      channel: "email",
      tags: [],
    });
    expect(fromChannel.customFields).toEqual({});
  });

  it("filters contacts, organizations and tickets by custom fields (eq, ranges, multi-select, empty)", async () => {
    const mk = async (name: string, cf: Record<string, unknown>) => {
      const res = await agent.api.post("/contacts", { name, customFields: { tier: "silver", ...cf } });
      expect(res.status, res.raw).toBe(201);
      return res.body.id as string;
    };
    const a = await mk("Filter A", { budget: 10, renewal: "2026-01-15", interests: ["crm"], vip: true });
    const b = await mk("Filter B", {
      budget: 500,
      renewal: "2026-06-01",
      interests: ["helpdesk"],
      vip: false,
    });
    const c = await mk("Filter C", { tier: "gold", budget: 5000, interests: ["crm", "helpdesk"] });
    const ids = async (qs: string) => {
      const res = await agent.api.get(`/contacts?q=filter&${qs}`);
      expect(res.status, res.raw).toBe(200);
      return res.body.items.map((x: { id: string }) => x.id).sort();
    };
    expect(await ids("cf.tier=silver")).toEqual([a, b].sort());
    expect(await ids("cf.budget.gte=100&cf.budget.lte=1000")).toEqual([b]);
    expect(await ids("cf.budget.gt=100")).toEqual([b, c].sort());
    expect(await ids("cf.renewal.lt=2026-03-01")).toEqual([a]);
    expect(await ids("cf.interests=crm")).toEqual([a, c].sort());
    expect(await ids("cf.vip=true")).toEqual([a]);
    expect(await ids("cf.vip=false")).toEqual([b]);
    expect(await ids("cf.renewal.empty=true")).toEqual([c]);
    expect(await ids("cf.tier.in=gold,silver&cf.budget.ne=10")).toEqual([b, c].sort());
    expect(await ids("cf.budget=500")).toEqual([b]);
    expect((await agent.api.get("/contacts?cf.bad-key=1")).status).toBe(400);
    expect((await agent.api.get("/contacts?cf.tier.between=1")).status).toBe(400);
    expect((await agent.api.get("/contacts?unknown=1")).status).toBe(400);

    const t1 = await createTicket(agent.api, { customFields: { order_no: "SO-777", amount: 5 } });
    await createTicket(agent.api, { customFields: { order_no: "SO-778", amount: 50 } });
    const tl = await agent.api.get("/tickets?cf.order_no=SO-777");
    expect(tl.body.items.map((x: { id: string }) => x.id)).toEqual([t1.id]);
    expect((await agent.api.get("/tickets?cf.amount.gte=40")).body.items).toHaveLength(1);

    const orgs = await agent.api.get("/organizations?q=mekong");
    expect(orgs.status).toBe(200);
    expect(orgs.body.items).toHaveLength(1);
  });

  it("exposes customFieldCondition / matchCustomField for SLA and automation conditions", async () => {
    const { customFieldCondition, matchCustomField, readCustomField } = await import("./fields.service.ts");
    const { contacts } = await import("../contacts/contacts.table.ts");
    const { and } = await import("drizzle-orm");
    const rows = await t.database.db
      .select({ name: contacts.name, customFields: contacts.customFields })
      .from(contacts)
      .where(
        and(
          customFieldCondition("contact", "budget", "gte", 500),
          customFieldCondition("contact", "interests", "eq", "helpdesk"),
        ),
      );
    expect(rows.map((r) => r.name).sort()).toEqual(["Filter B", "Filter C"]);
    for (const r of rows) {
      expect(matchCustomField(r, "budget", "gte", 500)).toBe(true);
      expect(matchCustomField(r, "interests", "eq", "helpdesk")).toBe(true);
      expect(matchCustomField(r, "budget", "lt", 500)).toBe(false);
    }
    expect(readCustomField({ customFields: { a: 1 } }, "a")).toBe(1);
    expect(readCustomField({ customFields: { a: 1 } }, "b")).toBeNull();
  });

  it("merging contacts keeps the survivor's values and fills the missing ones from the duplicates", async () => {
    const a = await agent.api.post("/contacts", { name: "Merge Keep", customFields: { tier: "gold" } });
    const b = await agent.api.post("/contacts", {
      name: "Merge Dup",
      customFields: { tier: "silver", budget: 42, nickname: "Dup" },
    });
    const merged = await agent.api.post(`/contacts/${a.body.id}/merge`, { sourceIds: [b.body.id] });
    expect(merged.status, merged.raw).toBe(200);
    expect(merged.body.customFields).toEqual({ tier: "gold", budget: 42, nickname: "Dup" });
  });
});
