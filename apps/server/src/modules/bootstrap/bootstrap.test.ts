import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomToken, sha256 } from "../../auth/crypto.ts";
import {
  apiClient,
  createAgent,
  createTeam,
  createTicket,
  loginAs,
  PASSWORD,
  setupAdmin,
} from "../../test/factories.ts";
import { createTestApp, type TestApp } from "../../test/harness.ts";

/** GET /bootstrap: the inbox screen's start-up data in one call, scoped like the endpoints it replaces. */
describe("GET /bootstrap", () => {
  let t: TestApp;
  let admin: Awaited<ReturnType<typeof setupAdmin>>;
  let beforeSetup: { status: number; body: unknown };
  let agent: Awaited<ReturnType<typeof createAgent>>;
  let manager: Awaited<ReturnType<typeof createAgent>>;
  let mine: { id: string; name: string };
  let other: { id: string; name: string };
  beforeAll(async () => {
    t = await createTestApp();
    const r = await apiClient(t.app).get("/bootstrap");
    beforeSetup = { status: r.status, body: r.body };
    admin = await setupAdmin(t);
    mine = await createTeam(admin.api, "Billing <b>desk</b>");
    other = await createTeam(admin.api, "Logistics");
    agent = await createAgent(t, admin.api, { teamIds: [mine.id] });
    manager = await createAgent(t, admin.api, { role: "manager" });
    await admin.api.post("/fields", {
      entity: "ticket",
      key: "order_no",
      label: "Order number",
      type: "text",
    });
    await createTicket(admin.api, { teamId: mine.id });
    await createTicket(admin.api, { teamId: other.id });
  });
  afterAll(() => t.close());

  it("tells a browser without a session only whether setup is needed", async () => {
    expect(beforeSetup).toEqual({
      status: 200,
      body: { needsSetup: true, me: null, teams: [], counts: {}, parts: {} },
    });
    const anon = await apiClient(t.app).get("/bootstrap");
    expect(anon.body).toEqual({ needsSetup: false, me: null, teams: [], counts: {}, parts: {} });
    // A bad token, a forged cookie or a customer-portal session is nobody here either.
    for (const client of [
      apiClient(t.app, { token: "rpt_garbage" }),
      apiClient(t.app, { cookie: "forged-cookie-value" }),
    ])
      expect((await client.get("/bootstrap")).body).toMatchObject({ me: null, teams: [], parts: {} });
    const cookie = randomToken();
    await t.database.query(
      "insert into sessions (token_hash, kind, user_id, csrf_token, expires_at) values ($1, 'customer', $2, 'x', now() + interval '1 day')",
      [sha256(cookie), admin.user.id],
    );
    const customer = await apiClient(t.app, { cookie }).get("/bootstrap");
    expect(customer.status).toBe(200);
    expect(customer.body).toMatchObject({ me: null, counts: {}, parts: {} });
  });

  it("gives an agent what /me, /teams, /views/counts and each module's endpoint give, in one answer", async () => {
    const session = await loginAs(t, agent.user.email, PASSWORD);
    const b = await session.api.get("/bootstrap");
    expect(b.status).toBe(200);
    const me = await session.api.get("/me");
    expect(b.body.me).toEqual(me.body);
    expect(b.body.me.csrfToken).toBe(session.csrf);
    expect(b.body.needsSetup).toBe(false);
    expect(b.body.teams).toEqual((await session.api.get("/teams")).body);
    expect(b.body.counts).toEqual((await session.api.get("/views/counts")).body);
    // The agent's counts: their own team's view only, not the other team's.
    expect(Object.keys(b.body.counts)).toContain(`team:${mine.id}`);
    expect(Object.keys(b.body.counts)).not.toContain(`team:${other.id}`);
    expect(b.body.counts[`team:${mine.id}`]).toBe(1);
    const same: Array<[string, string]> = [
      ["ticketFields", "/fields?entity=ticket&archived=false"],
      ["notifications", "/notifications/unread-count"],
      ["overdueCallbacks", "/phone/callbacks?status=open&overdue=true&limit=100"],
      ["callbackReminders", "/phone/callbacks/reminders"],
      ["chatAgents", "/chat/agents"],
      ["plannerToday", "/planner/today"],
      ["customViews", "/views"],
    ];
    for (const [part, path] of same) {
      const own = await session.api.get(path);
      expect(own.status, path).toBe(200);
      expect(b.body.parts[part], part).toEqual(own.body);
    }
    expect(b.body.parts.ticketFields.map((f: { key: string }) => f.key)).toEqual(["order_no"]);
    // Team names are data, returned as typed (the web app renders them as text).
    expect(b.body.teams.map((tm: { name: string }) => tm.name)).toContain("Billing <b>desk</b>");
  });

  it("scopes counts by role: managers and admins see every team's view", async () => {
    for (const who of [manager, admin]) {
      const b = await who.api.get("/bootstrap");
      expect(b.status).toBe(200);
      expect(b.body.me.csrfToken).toBeNull();
      expect(b.body.counts[`team:${mine.id}`]).toBe(1);
      expect(b.body.counts[`team:${other.id}`]).toBe(1);
      expect(b.body.counts.all_open).toBe(2);
    }
    const b = await agent.api.get("/bootstrap");
    expect(b.body.counts.all_open).toBe(1);
  });

  it("takes no input: unknown query parameters and bodies change nothing", async () => {
    const odd = await agent.api.get("/bootstrap?x=%3Cscript%3E&lang=xx-YY");
    expect(odd.status).toBe(200);
    expect(odd.body.me.user.id).toBe(agent.user.id);
    expect((await agent.api.post("/bootstrap", {})).status).toBe(404);
  });
});
