import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomToken, sha256 } from "../auth/crypto.ts";
import { apiClient, createAgent, createTeam, createTicket, PASSWORD, setupAdmin } from "./factories.ts";
import { createTestApp, type TestApp } from "./harness.ts";

/** Routes anyone may call. A new public route must be added here on purpose. */
const PUBLIC = new Set([
  "GET /api/v1/health",
  "GET /api/v1/setup",
  // Start-up data: without an agent session it only says whether setup is needed (bootstrap.test.ts).
  "GET /api/v1/bootstrap",
  "POST /api/v1/setup",
  "POST /api/v1/auth/login",
  "POST /api/v1/auth/forgot-password",
  "POST /api/v1/auth/reset-password",
  // The agent's iCalendar feed: authenticated by the secret token in its URL (404 when wrong).
  "GET /api/v1/planner/ical/{id}",
  // The public contact form (spam-checked: timing token, honeypot, per-address limit; forms.test.ts).
  "GET /api/v1/forms/config",
  "POST /api/v1/forms/submit",
  // A webhook channel's inbound URL: authenticated by the HMAC signature of each call (channels.test.ts).
  "POST /api/v1/channels/inbound/{id}",
  // A shop's order intake: authenticated by the HMAC signature of each call (orders.test.ts).
  "POST /api/v1/orders/intake/{id}",
  // The help centre's public reads (published, non-internal articles only; kb.test.ts) and votes.
  "GET /api/v1/public/kb/search",
  "GET /api/v1/public/kb/suggest",
  // The most-read public articles (the widget's help tab and /help; never internal or customers-only).
  "GET /api/v1/public/kb/popular",
  "GET /api/v1/public/kb/articles/{id}",
  "POST /api/v1/public/kb/articles/{id}/feedback",
  "GET /api/v1/public/kb/files/{id}",
  // A customer's satisfaction survey: authenticated by the token in its URL, stored hashed (csat.test.ts).
  "GET /api/v1/public/surveys/{id}",
  "POST /api/v1/public/surveys/{id}",
  // The customer portal's sign-in (the same answer for known and unknown addresses, rate-limited; portal.test.ts)
  // and the suggestion events of the web form, widget and portal (published public articles only).
  "POST /api/v1/portal/auth/link",
  "POST /api/v1/portal/auth/verify",
  "POST /api/v1/portal/auth/logout",
  "POST /api/v1/public/deflection/events",
  "GET /api/v1/public/deflection/open",
]);
const UUID = "00000000-0000-4000-8000-000000000000";

describe("unauthorized access to the agent API", () => {
  let t: TestApp;
  let admin: Awaited<ReturnType<typeof setupAdmin>>;
  let operations: Array<{ method: string; path: string }>;
  beforeAll(async () => {
    t = await createTestApp();
    admin = await setupAdmin(t);
    const doc = (await apiClient(t.app).get("/openapi.json")).body as {
      paths: Record<string, Record<string, unknown>>;
    };
    operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops)
        .filter((m) => ["get", "post", "put", "patch", "delete"].includes(m))
        .map((m) => ({ method: m.toUpperCase(), path: path.replace(/\{[^}]+\}/g, UUID) })),
    );
  });
  afterAll(() => t.close());

  it("documents a non-trivial set of operations", () => {
    expect(operations.length).toBeGreaterThan(25);
  });

  it("answers 401 to every non-public operation without a session or token", async () => {
    const anon = apiClient(t.app);
    const open: string[] = [];
    for (const op of operations) {
      const key = `${op.method} ${op.path.replace(UUID, "{id}")}`;
      if (PUBLIC.has(key)) continue;
      const res = await anon.call(
        op.method as "GET",
        op.path,
        op.method === "GET" || op.method === "DELETE" ? undefined : {},
      );
      if (res.status !== 401) open.push(`${key} -> ${res.status}`);
      else expect(res.body.error.code).toBe("unauthenticated");
    }
    expect(open).toEqual([]);
  });

  it("answers 401 to a garbage, revoked or foreign-kind credential", async () => {
    expect((await apiClient(t.app, { token: "rpt_garbage" }).get("/tickets")).status).toBe(401);
    expect((await apiClient(t.app, { token: "not-even-our-format" }).get("/tickets")).status).toBe(401);
    const created = await admin.api.post("/api-tokens", { name: "to revoke" });
    await admin.api.delete(`/api-tokens/${created.body.id}`);
    expect((await apiClient(t.app, { token: created.body.token }).get("/tickets")).status).toBe(401);
    expect((await apiClient(t.app, { cookie: "forged-cookie-value" }).get("/me")).status).toBe(401);

    // A customer-portal session (another kind of actor) never reaches the agent API.
    const cookie = randomToken();
    await t.database.query(
      "insert into sessions (token_hash, kind, user_id, csrf_token, expires_at) values ($1, 'customer', $2, 'x', now() + interval '1 day')",
      [sha256(cookie), admin.user.id],
    );
    expect((await apiClient(t.app, { cookie }).get("/me")).status).toBe(401);
    expect((await apiClient(t.app, { cookie }).get("/tickets")).status).toBe(401);
  });

  it("forbids agents and managers the admin endpoints, changing nothing", async () => {
    const team = await createTeam(admin.api, "Ops");
    for (const role of ["agent", "manager"] as const) {
      const user = await createAgent(t, admin.api, { role });
      const attempts = [
        await user.api.post("/users", {
          name: "Eve",
          email: `eve-${role}@evil.test`,
          role: "admin",
          password: PASSWORD,
        }),
        await user.api.patch(`/users/${user.user.id}`, { role: "admin" }),
        await user.api.patch(`/users/${admin.user.id}`, { active: false }),
        await user.api.post("/teams", { name: `Shadow ${role}` }),
        await user.api.patch(`/teams/${team.id}`, { memberIds: [user.user.id] }),
        await user.api.delete(`/teams/${team.id}`),
        await user.api.patch("/settings", { name: "Pwned" }),
      ];
      expect(attempts.map((r) => r.status)).toEqual([403, 403, 403, 403, 403, 403, 403]);
      for (const r of attempts) expect(r.body.error.code).toBe("forbidden");
      expect((await user.api.get("/me")).body.user.role).toBe(role);
    }
    expect((await admin.api.get("/settings")).body.name).toBe("Acme Support");
    expect((await admin.api.get(`/teams/${team.id}`)).body.memberIds).toEqual([]);
    const emails = (await admin.api.get("/users")).body.map((u: { email: string }) => u.email);
    expect(emails.filter((e: string) => e.startsWith("eve-"))).toEqual([]);
  });

  it("forbids agents the automations, routing and shared macros, and managers the webhooks, changing nothing", async () => {
    const team = await createTeam(admin.api, "Routing probe");
    const agent = await createAgent(t, admin.api);
    const manager = await createAgent(t, admin.api, { role: "manager" });
    const rule = { name: "r", events: ["ticket.created"], actions: [{ type: "add_tags", tags: ["x"] }] };
    const hook = { name: "h", url: "https://example.com/h", events: ["ticket.created"] };
    const attempts = [
      await agent.api.post("/triggers", rule),
      await agent.api.get("/triggers"),
      await agent.api.post("/time-rules/run"),
      await agent.api.call("PUT", `/routing/teams/${team.id}`, { mode: "round_robin" }),
      await agent.api.call("PUT", `/routing/agents/${agent.user.id}`, { capacity: 1000 }),
      await agent.api.post("/macros", { title: "m", shared: true, bodies: { en: "x" } }),
      await agent.api.post("/webhooks", hook),
      await manager.api.post("/webhooks", hook),
      await manager.api.get("/webhooks"),
    ];
    expect(attempts.map((r) => r.status)).toEqual([403, 403, 403, 403, 403, 403, 403, 403, 403]);
    expect((await admin.api.get("/triggers")).body).toEqual([]);
    expect((await admin.api.get("/webhooks")).body).toEqual([]);
    expect((await admin.api.get("/macros")).body).toEqual([]);
    const teams = (await admin.api.get("/routing/teams")).body as Array<{ teamId: string; mode: string }>;
    expect(teams.find((x) => x.teamId === team.id)?.mode).toBe("manual");
  });

  it("forbids agents and managers to define custom fields or import CSV files, changing nothing", async () => {
    const field = await admin.api.post("/fields", {
      entity: "contact",
      key: "region",
      type: "text",
      label: "Region",
    });
    expect(field.status).toBe(201);
    const csv = { headers: { "content-type": "text/csv" }, payload: "name\nMallory\n" };
    const upload = await admin.api.post("/imports?entity=contact", undefined, csv);
    for (const role of ["agent", "manager"] as const) {
      const user = await createAgent(t, admin.api, { role });
      const attempts = [
        await user.api.post("/fields", { entity: "contact", key: `x_${role}`, type: "text", label: "X" }),
        await user.api.patch(`/fields/${field.body.id}`, { required: true }),
        await user.api.post("/fields/order", { entity: "contact", ids: [field.body.id] }),
        await user.api.post("/imports?entity=contact", undefined, csv),
        await user.api.get(`/imports/${upload.body.id}`),
        await user.api.post(`/imports/${upload.body.id}/run`, { mapping: { 0: "name" } }),
      ];
      expect(attempts.map((r) => r.status)).toEqual([403, 403, 403, 403, 403, 403]);
    }
    expect((await admin.api.get("/fields?entity=contact")).body.map((f: { key: string }) => f.key)).toEqual([
      "region",
    ]);
    expect((await admin.api.get("/contacts?q=mallory")).body.items).toEqual([]);
  });

  it("hides another team's tickets from an agent: 404 everywhere, absent from lists and search", async () => {
    const billing = await createTeam(admin.api, "Billing");
    const shipping = await createTeam(admin.api, "Shipping");
    const outsider = await createAgent(t, admin.api, { teamIds: [shipping.id] });
    const ticket = await createTicket(admin.api, { subject: "Billing-only secret", teamId: billing.id });
    const msg = await admin.api.post(`/tickets/${ticket.id}/messages`, {
      body: "internal billing detail",
      internal: true,
    });
    expect(msg.status).toBe(201);
    const probes = [
      await outsider.api.get(`/tickets/${ticket.id}`),
      await outsider.api.patch(`/tickets/${ticket.id}`, { status: "solved" }),
      await outsider.api.get(`/tickets/${ticket.id}/messages`),
      await outsider.api.post(`/tickets/${ticket.id}/messages`, { body: "sneaky" }),
      await outsider.api.get(`/tickets/${ticket.id}/events`),
    ];
    expect(probes.map((r) => r.status)).toEqual([404, 404, 404, 404, 404]);
    const list = await outsider.api.get("/tickets?limit=200");
    expect(list.body.items.map((i: { id: string }) => i.id)).not.toContain(ticket.id);
    expect((await outsider.api.get(`/tickets?team=${billing.id}`)).body.items).toEqual([]);
    expect((await outsider.api.get("/search?q=billing")).body.tickets).toEqual([]);
    const after = await admin.api.get(`/tickets/${ticket.id}`);
    expect(after.body).toMatchObject({ status: "new", messageCount: 2 });

    // Assigning the ticket to them opens it to them, and only it.
    await admin.api.patch(`/tickets/${ticket.id}`, { assigneeId: outsider.user.id });
    expect((await outsider.api.get(`/tickets/${ticket.id}`)).status).toBe(200);
  });

  it("does not let an agent move a ticket into, or create one in, a team they are not in", async () => {
    const mine = await createTeam(admin.api);
    const theirs = await createTeam(admin.api);
    const agent = await createAgent(t, admin.api, { teamIds: [mine.id] });
    const ticket = await createTicket(agent.api, { teamId: mine.id });
    const move = await agent.api.patch(`/tickets/${ticket.id}`, { teamId: theirs.id });
    expect(move.status).toBe(403);
    expect((await agent.api.get(`/tickets/${ticket.id}`)).body.team.id).toBe(mine.id);
    expect(
      (
        await agent.api.post("/tickets", {
          subject: "x",
          requester: { email: "x@example.com" },
          teamId: theirs.id,
        })
      ).status,
    ).toBe(403);
  });

  it("answers 409 to a setup replay after the first admin exists", async () => {
    const res = await apiClient(t.app).post("/setup", {
      organization: { name: "Takeover" },
      admin: { name: "Mallory", email: "mallory@evil.test", password: PASSWORD },
    });
    expect(res.status).toBe(409);
  });
});
