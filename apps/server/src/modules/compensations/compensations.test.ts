import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SYSTEM } from "../../auth/actor.ts";
import { withActor } from "../../context.ts";
import { startWorker, type Worker } from "../../jobs/worker.ts";
import {
  type Api,
  apiClient,
  createAgent,
  createTeam,
  createTicket,
  type Json,
  setupAdmin,
} from "../../test/factories.ts";
import { createTestApp, TEST_BACKEND, type TestApp } from "../../test/harness.ts";
import { until } from "../../test/until.ts";
import { emailJobHandlers } from "../email/email.runtime.ts";
import { startCapture } from "../email/email.testkit.ts";
import { notifications } from "../notifications/notifications.table.ts";
import { promises } from "../promises/promises.table.ts";
import { users } from "../users/users.table.ts";
import { customerValues, loyaltyLedger } from "../value/value.table.ts";
import { escalateDue } from "./compensations.service.ts";
import { compensationAudit } from "./compensations.table.ts";

const START = new Date("2026-11-23T02:00:00Z");
const MIN = 60_000;

let t: TestApp;
let admin: { api: Api; user: Json };
let agent: { api: Api; user: Json };
let lead: { api: Api; user: Json };
let manager: { api: Api; user: Json };
let otherManager: { api: Api; user: Json };
let outsider: { api: Api; user: Json };
let team: { id: string };
let other: { id: string };

const put = (api: Api, body: unknown) => api.call("PUT", "/approval-limits", body);
const config = (limits: unknown[], extra: Record<string, unknown> = {}) => ({
  chain: ["team_lead", "manager", "admin"],
  escalateAfterMinutes: 60,
  unlimitedRoles: ["admin"],
  promiseDueHours: 48,
  kinds: [{ key: "gift_basket", label: "Gift basket" }],
  teamLeads: [{ teamId: team.id, userId: lead.user.id }],
  limits,
  ...extra,
});
const baseLimits = () => [
  { scope: "role", scopeId: "agent", currency: "USD", perCaseMinor: 5000, perMonthMinor: 8000 },
  { scope: "role", scopeId: "manager", currency: "USD", perCaseMinor: 50000, perMonthMinor: 200000 },
];
const grant = (api: Api, ticketId: string, amountMinor: number, extra: Record<string, unknown> = {}) =>
  api.post("/compensations", {
    ticketId,
    kind: "refund",
    amountMinor,
    currency: "USD",
    reason: "Late parcel",
    ...extra,
  });

beforeAll(async () => {
  t = await createTestApp();
  t.clock.set(START);
  admin = await setupAdmin(t);
  team = await createTeam(admin.api, "Care");
  other = await createTeam(admin.api, "Sales");
  agent = await createAgent(t, admin.api, { name: "Priya", teamIds: [team.id] });
  lead = await createAgent(t, admin.api, { name: "Dara", teamIds: [team.id] });
  manager = await createAgent(t, admin.api, { name: "Lan", role: "manager", teamIds: [team.id] });
  otherManager = await createAgent(t, admin.api, { name: "Mei", role: "manager", teamIds: [other.id] });
  outsider = await createAgent(t, admin.api, { name: "Kavin", teamIds: [other.id] });
  const res = await put(admin.api, config(baseLimits()));
  expect(res.status, res.raw).toBe(200);
});
afterAll(async () => {
  await t?.close();
});

describe("limits at the boundary", () => {
  it("grants exactly the per-case limit at once, as a promise with a timeline entry", async () => {
    const ticket = await createTicket(agent.api, { teamId: team.id });
    const res = await grant(agent.api, ticket.id, 5000);
    expect(res.status, res.raw).toBe(201);
    expect(res.body).toMatchObject({
      status: "granted",
      amountMinor: 5000,
      grantedMinor: 5000,
      currency: "USD",
    });
    const [p] = await t.database.db.select().from(promises).where(eq(promises.id, res.body.promiseId));
    expect(p).toMatchObject({ kind: "refund", amountMinor: 5000, ownerId: agent.user.id, status: "open" });
    const tl = await agent.api.get(`/tickets/${ticket.id}/events`);
    expect(tl.status, tl.raw).toBe(200);
    const entry = (tl.body as Json[]).find((e) => e.type === "compensation.granted");
    expect(entry).toMatchObject({
      actor: { id: agent.user.id },
      data: { compensationId: res.body.id, kind: "refund", amountMinor: 5000, currency: "USD" },
    });
    // One minor unit more on the same case is above the per-case limit: a request.
    const above = await grant(agent.api, ticket.id, 1);
    expect(above.body).toMatchObject({ status: "pending_approval", approverStep: "team_lead" });
  });

  it("one minor unit above the per-case limit is an approval request to the team lead, who is notified", async () => {
    const ticket = await createTicket(agent.api, { teamId: team.id });
    const res = await grant(agent.api, ticket.id, 5001);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      status: "pending_approval",
      grantedMinor: null,
      approverStep: "team_lead",
    });
    const notes = await t.database.db
      .select()
      .from(notifications)
      .where(sql`${notifications.userId} = ${lead.user.id} and ${notifications.kind} = 'approval.requested'`);
    expect(notes.length).toBeGreaterThan(0);
  });

  it("counts the calendar month: 5000 + 3000 is the monthly limit, 1 more is a request; next month starts at zero", async () => {
    const a = await createAgent(t, admin.api, { teamIds: [team.id] });
    const t1 = await createTicket(a.api, { teamId: team.id });
    const t2 = await createTicket(a.api, { teamId: team.id });
    const t3 = await createTicket(a.api, { teamId: team.id });
    expect((await grant(a.api, t1.id, 5000)).body.status).toBe("granted");
    expect((await grant(a.api, t2.id, 3000)).body.status).toBe("granted");
    expect((await grant(a.api, t3.id, 1)).body.status).toBe("pending_approval");
    t.clock.set(new Date("2026-12-01T00:00:00Z"));
    expect((await grant(a.api, t3.id, 1)).body.status).toBe("granted");
    t.clock.set(START);
  });

  it("a `*` monthly limit counts every kind together: refund 5000 + discount 3000 fill it, a voucher of 1 is a request", async () => {
    const a = await createAgent(t, admin.api, { teamIds: [team.id] });
    const [t1, t2, t3] = [
      await createTicket(a.api, { teamId: team.id }),
      await createTicket(a.api, { teamId: team.id }),
      await createTicket(a.api, { teamId: team.id }),
    ];
    expect((await grant(a.api, t1.id, 5000, { kind: "refund" })).body.status).toBe("granted");
    expect((await grant(a.api, t2.id, 3000, { kind: "discount" })).body.status).toBe("granted");
    const mine = (await a.api.get("/approval-limits")).body.mine as Json[];
    expect(mine.find((m) => m.kind === "store_credit" && m.currency === "USD")).toMatchObject({
      anyKind: true,
      perMonthMinor: 8000,
      usedThisMonthMinor: 8000,
    });
    expect((await grant(a.api, t3.id, 1, { kind: "store_credit" })).body.status).toBe("pending_approval");
    // Another currency is another limit (no rule for EUR: a request either way, nothing counted in USD).
    expect((await grant(a.api, t3.id, 1, { kind: "refund", currency: "EUR" })).body.status).toBe(
      "pending_approval",
    );
  });

  it("a rule for one kind counts that kind only; the `*` rule still covers the other kinds", async () => {
    const a = await createAgent(t, admin.api, { teamIds: [team.id] });
    const limits = [
      ...baseLimits(),
      {
        scope: "user",
        scopeId: a.user.id,
        kind: "refund",
        currency: "USD",
        perCaseMinor: 5000,
        perMonthMinor: 6000,
      },
    ];
    expect((await put(admin.api, config(limits))).status).toBe(200);
    try {
      const [t1, t2, t3] = [
        await createTicket(a.api, { teamId: team.id }),
        await createTicket(a.api, { teamId: team.id }),
        await createTicket(a.api, { teamId: team.id }),
      ];
      expect((await grant(a.api, t1.id, 5000, { kind: "refund" })).body.status).toBe("granted");
      expect((await grant(a.api, t2.id, 1001, { kind: "refund" })).body.status).toBe("pending_approval");
      expect((await grant(a.api, t2.id, 1000, { kind: "refund" })).body.status).toBe("granted");
      // The `*` cap (8000) counts every kind: 6000 refunded already, so a discount of 2000 fits, 2001 not.
      expect((await grant(a.api, t3.id, 2001, { kind: "discount" })).body.status).toBe("pending_approval");
      expect((await grant(a.api, t3.id, 2000, { kind: "discount" })).body.status).toBe("granted");
    } finally {
      expect((await put(admin.api, config(baseLimits()))).status).toBe(200);
    }
  });

  it("the per-case limit counts the whole case: what colleagues granted and what was approved", async () => {
    const a = await createAgent(t, admin.api, { teamIds: [team.id] });
    const b = await createAgent(t, admin.api, { teamIds: [team.id] });
    const ticket = await createTicket(a.api, { teamId: team.id });
    expect((await grant(a.api, ticket.id, 3000)).body.status).toBe("granted");
    // Another agent on the same case: 3000 + 2001 is above the 5000 per case, 2000 is within.
    expect((await grant(b.api, ticket.id, 2001)).body.status).toBe("pending_approval");
    expect((await grant(b.api, ticket.id, 2000, { kind: "discount" })).body.status).toBe("granted");
    // The case is full; an approved amount counts too.
    const other = await createTicket(a.api, { teamId: team.id });
    const asked = (await grant(a.api, other.id, 5001)).body;
    expect(asked.status).toBe("pending_approval");
    expect((await lead.api.post(`/approvals/${asked.id}/approve`, { amountMinor: 4000 })).status).toBe(200);
    expect((await grant(b.api, other.id, 1001)).body.status).toBe("pending_approval");
    expect((await grant(b.api, other.id, 1000)).body.status).toBe("granted");
  });

  it("the report compares with the limits in force now (and says so), a `*` limit with every kind", async () => {
    const res = await manager.api.get("/compensations/report");
    expect(res.status, res.raw).toBe(200);
    expect(res.body.limitsAsOf).toBe(t.clock.now().toISOString());
    const rows = (res.body.rows as Json[]).filter((r) => r.currency === "USD" && r.perMonthMinor === 8000);
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) {
      expect(r.limitAnyKind).toBe(true);
      const sameMonth = (res.body.rows as Json[]).filter(
        (x) => x.month === r.month && x.agent.id === r.agent.id && x.currency === "USD",
      );
      expect(r.countedMinor).toBe(sameMonth.reduce((sum, x) => sum + x.selfGrantedMinor, 0));
    }
  });

  it("a user's own rule beats the role's; an unlimited role needs no approval; no rule means approval", async () => {
    const big = await createAgent(t, admin.api, { teamIds: [team.id] });
    const cfg = await admin.api.get("/approval-limits");
    const limits = [
      ...cfg.body.limits,
      { scope: "user", scopeId: big.user.id, currency: "USD", perCaseMinor: 90000, perMonthMinor: null },
    ];
    expect((await put(admin.api, config(limits))).status).toBe(200);
    const ticket = await createTicket(big.api, { teamId: team.id });
    expect((await grant(big.api, ticket.id, 90000)).body.status).toBe("granted");
    expect((await grant(admin.api, ticket.id, 10_000_000)).body.status).toBe("granted");
    // No rule for EUR: every EUR grant is a request.
    expect((await grant(agent.api, ticket.id, 1, { currency: "EUR" })).body.status).toBe("pending_approval");
    // Admin-defined kinds are accepted; unknown ones are not.
    expect((await grant(agent.api, ticket.id, 100, { kind: "gift_basket" })).status).toBe(201);
    expect((await grant(agent.api, ticket.id, 100, { kind: "yacht" })).status).toBe(400);
    expect((await put(admin.api, config(baseLimits()))).status).toBe(200);
  });
});

describe("approvals", () => {
  let request: Json;
  let ticket: Json;

  it("the team lead approves a lower amount with a comment: granted, promised, audited", async () => {
    ticket = await createTicket(agent.api, { teamId: team.id, language: "vi" });
    request = (await grant(agent.api, ticket.id, 12000, { tellCustomer: true })).body;
    expect(request.status).toBe("pending_approval");
    // The customer was told, in the ticket's language.
    const msgs = await agent.api.get(`/tickets/${ticket.id}/messages`);
    expect(JSON.stringify(msgs.body)).toContain("quản lý");
    // The requester sees it in their queue but cannot decide it.
    const mine = await agent.api.get("/approvals?status=pending");
    const seen = mine.body.items.find((i: Json) => i.id === request.id);
    expect(seen).toMatchObject({ can: { decide: false } });
    expect((await agent.api.post(`/approvals/${request.id}/approve`, {})).status).toBe(403);
    const queue = await lead.api.get("/approvals?status=pending");
    expect(queue.body.items.find((i: Json) => i.id === request.id)).toMatchObject({ can: { decide: true } });
    expect((await lead.api.post(`/approvals/${request.id}/approve`, { amountMinor: 12001 })).status).toBe(
      400,
    );
    const ok = await lead.api.post(`/approvals/${request.id}/approve`, {
      amountMinor: 9000,
      comment: "Half shipping",
    });
    expect(ok.status, ok.raw).toBe(200);
    expect(ok.body).toMatchObject({
      status: "granted",
      amountMinor: 12000,
      grantedMinor: 9000,
      decidedBy: { id: lead.user.id },
      decisionComment: "Half shipping",
    });
    expect(ok.body.promiseId).toBeTruthy();
    expect((await manager.api.post(`/approvals/${request.id}/reject`, {})).status).toBe(409);
    const one = await agent.api.get(`/compensations/${request.id}`);
    expect(one.body.audit.map((a: Json) => a.action)).toEqual(["requested", "approved"]);
    const list = await agent.api.get(`/compensations?ticketId=${ticket.id}`);
    expect(list.body.items[0]).toMatchObject({ id: request.id, status: "granted" });
    const decided = await agent.api.get("/approvals?status=decided");
    expect(decided.body.items.some((i: Json) => i.id === request.id)).toBe(true);
    const notes = await t.database.db
      .select()
      .from(notifications)
      .where(sql`${notifications.userId} = ${agent.user.id} and ${notifications.kind} = 'approval.decided'`);
    expect(notes.length).toBe(1);
  });

  it("the audit is append-only: an UPDATE or DELETE is refused by the database", async () => {
    await expect(
      t.database.db
        .update(compensationAudit)
        .set({ note: "edited" })
        .where(eq(compensationAudit.compensationId, request.id)),
    ).rejects.toThrow();
    await expect(
      t.database.db.delete(compensationAudit).where(eq(compensationAudit.compensationId, request.id)),
    ).rejects.toThrow();
  });

  it("a manager reverses a grant by a new entry; the agent cannot reverse", async () => {
    expect((await agent.api.post(`/compensations/${request.id}/reverse`, { reason: "x" })).status).toBe(403);
    const res = await manager.api.post(`/compensations/${request.id}/reverse`, {
      reason: "Customer returned the item",
    });
    expect(res.status, res.raw).toBe(200);
    expect(res.body.status).toBe("reversed");
    expect(res.body.audit.map((a: Json) => a.action)).toEqual(["requested", "approved", "reversed"]);
    expect((await manager.api.post(`/compensations/${request.id}/reverse`, { reason: "again" })).status).toBe(
      409,
    );
  });

  it("a rejection is final and notifies the requester", async () => {
    const r = (await grant(agent.api, ticket.id, 20000)).body;
    const res = await manager.api.post(`/approvals/${r.id}/reject`, { comment: "Policy: store credit only" });
    expect(res.body).toMatchObject({ status: "rejected", decisionComment: "Policy: store credit only" });
  });

  it("no cross-team visibility: another team's agent and manager neither see nor decide", async () => {
    const r = (await grant(agent.api, ticket.id, 20000)).body;
    for (const who of [outsider, otherManager]) {
      const q = await who.api.get("/approvals?status=all");
      expect(q.body.items.some((i: Json) => i.id === r.id)).toBe(false);
      expect((await who.api.post(`/approvals/${r.id}/approve`, {})).status).toBe(404);
    }
    // Managers see every ticket (decision 0003), so only the other team's agent is refused the ticket's list.
    expect((await outsider.api.get(`/compensations?ticketId=${ticket.id}`)).status).toBe(404);
    expect((await admin.api.post(`/approvals/${r.id}/approve`, {})).status).toBe(200);
  });

  it("a team lead's own request skips to the manager", async () => {
    const tk = await createTicket(lead.api, { teamId: team.id });
    const r = (await grant(lead.api, tk.id, 6000)).body;
    expect(r).toMatchObject({ status: "pending_approval", approverStep: "manager" });
    expect((await lead.api.post(`/approvals/${r.id}/approve`, {})).status).toBe(403);
  });

  it("escalates to the next approver when not decided in time (controllable clock)", async () => {
    t.clock.set(START);
    const tk = await createTicket(agent.api, { teamId: team.id });
    const r = (await grant(agent.api, tk.id, 7000)).body;
    expect(r.approverStep).toBe("team_lead");
    const sys = withActor(t.services, SYSTEM);
    t.clock.advance(59 * MIN);
    await escalateDue(sys);
    expect((await agent.api.get(`/compensations/${r.id}`)).body.approverStep).toBe("team_lead");
    t.clock.advance(2 * MIN);
    expect(await escalateDue(sys)).toBeGreaterThanOrEqual(1);
    const now = (await agent.api.get(`/compensations/${r.id}`)).body;
    expect(now.approverStep).toBe("manager");
    expect(now.audit.map((a: Json) => a.action)).toContain("escalated");
    // The team lead's step is over: they may no longer decide; the manager may.
    expect((await lead.api.post(`/approvals/${r.id}/approve`, {})).status).toBe(403);
    const notes = await t.database.db
      .select()
      .from(notifications)
      .where(sql`${notifications.userId} = ${manager.user.id} and ${notifications.kind} = 'approval.escalated'
          and ${notifications.params}->>'compensationId' = ${r.id}`);
    expect(notes.length).toBe(1);
    t.clock.advance(61 * MIN);
    await escalateDue(sys);
    expect((await agent.api.get(`/compensations/${r.id}`)).body.approverStep).toBe("admin");
    expect((await manager.api.post(`/approvals/${r.id}/approve`, {})).status).toBe(403);
    expect((await admin.api.post(`/approvals/${r.id}/approve`, {})).status).toBe(200);
    t.clock.set(START);
  });
});

describe("limits administration", () => {
  it("an agent cannot change limits; a manager cannot raise their own, but may set agents'", async () => {
    const cfg = (await manager.api.get("/approval-limits")).body;
    expect(cfg.canEdit).toBe(true);
    expect((await put(agent.api, config(baseLimits()))).status).toBe(403);
    const raised = baseLimits().map((l) =>
      l.scopeId === "manager" ? { ...l, perCaseMinor: 10_000_000 } : l,
    );
    expect((await put(manager.api, config(raised))).status).toBe(403);
    expect(
      (await put(manager.api, config(baseLimits(), { unlimitedRoles: ["admin", "manager"] }))).status,
    ).toBe(403);
    const own = [
      ...baseLimits(),
      { scope: "user", scopeId: manager.user.id, currency: "USD", perCaseMinor: 1, perMonthMinor: 1 },
    ];
    expect((await put(manager.api, config(own))).status).toBe(403);
    const agents = baseLimits().map((l) => (l.scopeId === "agent" ? { ...l, perCaseMinor: 6000 } : l));
    expect((await put(manager.api, config(agents))).status).toBe(200);
    const mine = (await agent.api.get("/approval-limits")).body;
    expect(mine.canEdit).toBe(false);
    expect(mine.mine.find((m: Json) => m.kind === "refund" && m.currency === "USD")).toMatchObject({
      perCaseMinor: 6000,
    });
    expect((await put(admin.api, config(baseLimits()))).status).toBe(200);
  });

  it("refuses bad configurations", async () => {
    const bad = [
      config(baseLimits(), { chain: [] }),
      config([{ scope: "role", scopeId: "boss", currency: "USD" }]),
      config([{ scope: "team", scopeId: "not-a-uuid", currency: "USD" }]),
      config([{ scope: "user", scopeId: "00000000-0000-4000-8000-000000000000", currency: "USD" }]),
      config([...baseLimits(), baseLimits()[0]]),
      config(baseLimits(), { teamLeads: [{ teamId: team.id, userId: outsider.user.id }] }),
      config(baseLimits(), { kinds: [{ key: "<b>x</b>", label: "x" }] }),
      config([{ scope: "role", scopeId: "agent", currency: "usd" }]),
      { ...config(baseLimits()), extra: 1 },
    ];
    for (const b of bad) {
      const res = await put(admin.api, b);
      expect(res.status, JSON.stringify(b)).toBe(400);
      expect(res.body.error.code).toBeTruthy();
    }
  });
});

describe("concurrent grants", () => {
  it("parallel grants by one agent (two kinds) never pass the monthly limit together", async () => {
    const a = await createAgent(t, admin.api, { teamIds: [team.id] });
    const tks = [];
    for (let i = 0; i < 8; i++) tks.push(await createTicket(a.api, { teamId: team.id }));
    // Monthly limit 8000 for every kind (`*`): at most four grants of 2000 fit, refunds and
    // discounts together (each kind's own row would let four of each pass).
    const results = await Promise.all(
      tks.map((tk, i) => grant(a.api, tk.id, 2000, { kind: i % 2 ? "discount" : "refund" })),
    );
    expect(results.every((r) => r.status === 201)).toBe(true);
    const granted = results.filter((r) => r.body.status === "granted").length;
    expect(granted).toBe(4);
    const res = await t.database.db.execute(
      sql`select coalesce(sum(granted_minor), 0)::int as s from compensations where agent_id = ${a.user.id} and status = 'granted'`,
    );
    const [sum] = (res as unknown as { rows: Array<{ s: number }> }).rows;
    expect(Number(sum?.s)).toBe(8000);
  }, 60_000);
});

describe("report", () => {
  it("managers see compensation against limits and approval turnaround; agents do not", async () => {
    const res = await manager.api.get("/compensations/report?from=2026-11&to=2026-12");
    expect(res.status, res.raw).toBe(200);
    const row = res.body.rows.find(
      (r: Json) => r.agent.id === agent.user.id && r.kind === "refund" && r.currency === "USD",
    );
    expect(row).toMatchObject({ month: "2026-11", perMonthMinor: 8000, unlimited: false });
    expect(row.selfGrantedMinor).toBeGreaterThan(0);
    expect(row.requestedCount).toBeGreaterThan(0);
    expect(res.body.turnaround[0]).toMatchObject({ month: "2026-11" });
    expect(res.body.turnaround[0].decided).toBeGreaterThan(0);
    expect((await agent.api.get("/compensations/report")).status).toBe(404);
    expect((await manager.api.get("/compensations/report?from=nope")).status).toBe(400);
  });
});

describe("unauthorized and bad input", () => {
  it("answers 401 without a session on every endpoint", async () => {
    const anon = apiClient(t.app);
    const id = "00000000-0000-4000-8000-000000000000";
    expect((await anon.post("/compensations", {})).status).toBe(401);
    expect((await anon.get(`/compensations?ticketId=${id}`)).status).toBe(401);
    expect((await anon.get(`/compensations/${id}`)).status).toBe(401);
    expect((await anon.post(`/compensations/${id}/reverse`, { reason: "x" })).status).toBe(401);
    expect((await anon.get("/approvals")).status).toBe(401);
    expect((await anon.post(`/approvals/${id}/approve`, {})).status).toBe(401);
    expect((await anon.post(`/approvals/${id}/reject`, {})).status).toBe(401);
    expect((await anon.get("/approval-limits")).status).toBe(401);
    expect((await anon.call("PUT", "/approval-limits", {})).status).toBe(401);
    expect((await anon.get("/compensations/report")).status).toBe(401);
  });

  it("refuses malformed, oversized and hostile input, writing nothing", async () => {
    const ticket = await createTicket(agent.api, { teamId: team.id });
    const bodies = [
      { ticketId: ticket.id, kind: "refund", amountMinor: -1, currency: "USD", reason: "x" },
      { ticketId: ticket.id, kind: "refund", amountMinor: 0, currency: "USD", reason: "x" },
      { ticketId: ticket.id, kind: "refund", amountMinor: 1.5, currency: "USD", reason: "x" },
      { ticketId: ticket.id, kind: "refund", amountMinor: 100, currency: "usd", reason: "x" },
      { ticketId: ticket.id, kind: "refund", amountMinor: 100, currency: "USD", reason: "" },
      { ticketId: ticket.id, kind: "refund", amountMinor: 100, currency: "USD", reason: "x".repeat(2001) },
      { ticketId: ticket.id, kind: "refund", amountMinor: 1e15, currency: "USD", reason: "x" },
      { ticketId: "nope", kind: "refund", amountMinor: 100, currency: "USD", reason: "x" },
      { ticketId: ticket.id, kind: "refund", amountMinor: 100, currency: "USD", reason: "x", extra: true },
      { ticketId: ticket.id, kind: "Refund!", amountMinor: 100, currency: "USD", reason: "x" },
    ];
    for (const b of bodies)
      expect((await agent.api.post("/compensations", b)).status, JSON.stringify(b)).toBe(400);
    const raw = await agent.api.call("POST", "/compensations", "{not json", {
      headers: { "content-type": "application/json" },
    });
    expect(raw.status).toBe(400);
    expect((await agent.api.get(`/compensations?ticketId=${ticket.id}`)).body.items).toEqual([]);
    const hostile = await grant(agent.api, ticket.id, 100, { reason: '<img src=x onerror="alert(1)">' });
    expect(hostile.status).toBe(201);
    expect(hostile.body.reason).toBe('<img src=x onerror="alert(1)">');
    // Another team's ticket is not found; a missing one too.
    const theirs = await createTicket(outsider.api, { teamId: other.id });
    expect((await grant(agent.api, theirs.id, 100)).status).toBe(404);
    expect((await grant(agent.api, "00000000-0000-4000-8000-000000000000", 100)).status).toBe(404);
    expect((await agent.api.get("/compensations")).status).toBe(400);
    expect((await agent.api.get("/approvals?status=bogus")).status).toBe(400);
    expect((await agent.api.post("/approvals/nope/approve", {})).status).toBe(400);
    // Every other endpoint with a path id or a body: a malformed id, a bad body, nothing written.
    expect((await agent.api.get("/compensations/nope")).status).toBe(400);
    expect((await agent.api.get("/compensations?contactId=nope")).status).toBe(400);
    expect((await manager.api.post("/compensations/nope/reverse", { reason: "x" })).status).toBe(400);
    for (const b of [{}, { reason: "" }, { reason: "x".repeat(2001) }, { reason: "x", extra: 1 }])
      expect(
        (await manager.api.post(`/compensations/${hostile.body.id}/reverse`, b)).status,
        JSON.stringify(b),
      ).toBe(400);
    expect((await manager.api.post("/approvals/nope/reject", {})).status).toBe(400);
    for (const b of [{ comment: "x".repeat(2001) }, { comment: 5 }, { extra: true }])
      expect(
        (await manager.api.post("/approvals/00000000-0000-4000-8000-000000000000/reject", b)).status,
        JSON.stringify(b),
      ).toBe(400);
    const after = await agent.api.get(`/compensations/${hostile.body.id}`);
    expect(after.status).toBe(200);
    expect(after.body.status).toBe("granted");
  });
});

describe("loyalty points as a compensation kind", () => {
  const pointsLimits = () => [
    ...baseLimits(),
    {
      scope: "role",
      scopeId: "agent",
      kind: "loyalty_points",
      currency: "PTS",
      perCaseMinor: 500,
      perMonthMinor: 800,
    },
  ];
  const points = (api: Api, ticketId: string, n: number) =>
    grant(api, ticketId, n, { kind: "loyalty_points", currency: "PTS", reason: "Sorry for the wait" });
  const ledger = async (contactId: string) =>
    t.database.db.select().from(loyaltyLedger).where(eq(loyaltyLedger.contactId, contactId));
  const balance = async (contactId: string) =>
    (await t.database.db.select().from(customerValues).where(eq(customerValues.contactId, contactId)))[0]
      ?.points ?? 0;

  it("limits are in points: the per-case limit is granted at once as a ledger entry, no promise", async () => {
    expect((await put(admin.api, config(pointsLimits()))).status).toBe(200);
    const a = await createAgent(t, admin.api, { teamIds: [team.id] });
    const mine = (await a.api.get("/approval-limits")).body.mine as Json[];
    expect(mine).toContainEqual(
      expect.objectContaining({
        kind: "loyalty_points",
        currency: "PTS",
        perCaseMinor: 500,
        perMonthMinor: 800,
      }),
    );
    // The agent's "*" USD rule does not become a loyalty-points limit in dollars.
    expect(mine.some((m) => m.kind === "loyalty_points" && m.currency === "USD")).toBe(false);
    const ticket = await createTicket(a.api, { teamId: team.id });
    const res = await points(a.api, ticket.id, 500);
    expect(res.status, res.raw).toBe(201);
    expect(res.body).toMatchObject({
      status: "granted",
      grantedMinor: 500,
      currency: "PTS",
      promiseId: null,
    });
    const entries = await ledger(res.body.contact.id);
    expect(entries).toEqual([
      expect.objectContaining({
        kind: "grant",
        points: 500,
        reason: "Sorry for the wait",
        actorId: a.user.id,
      }),
    ]);
    expect(entries[0]?.expiresAt).toBeTruthy();
    expect(await balance(res.body.contact.id)).toBe(500);
    // One point more on the case is a request; nothing is written to the ledger for it.
    const above = await points(a.api, ticket.id, 1);
    expect(above.body).toMatchObject({ status: "pending_approval", approverStep: "team_lead" });
    expect(await ledger(res.body.contact.id)).toHaveLength(1);
    // The month: 500 + 300 is the monthly limit; 1 more is a request.
    const t2 = await createTicket(a.api, { teamId: team.id });
    expect((await points(a.api, t2.id, 300)).body.status).toBe("granted");
    const t3 = await createTicket(a.api, { teamId: team.id });
    expect((await points(a.api, t3.id, 1)).body.status).toBe("pending_approval");
  });

  it("an approver grants fewer points with a comment: the ledger gets what was approved; a reversal takes it back", async () => {
    const ticket = await createTicket(agent.api, { teamId: team.id });
    const r = (await points(agent.api, ticket.id, 2000)).body;
    expect(r.status).toBe("pending_approval");
    const ok = await lead.api.post(`/approvals/${r.id}/approve`, {
      amountMinor: 1200,
      comment: "1,200 is fair",
    });
    expect(ok.status, ok.raw).toBe(200);
    expect(ok.body).toMatchObject({ status: "granted", grantedMinor: 1200, promiseId: null });
    expect(await balance(r.contact.id)).toBe(1200);
    const rev = await manager.api.post(`/compensations/${r.id}/reverse`, { reason: "Granted twice" });
    expect(rev.status, rev.raw).toBe(200);
    expect((await ledger(r.contact.id)).map((e) => [e.kind, e.points])).toEqual([
      ["grant", 1200],
      ["redeem", -1200],
    ]);
    expect(await balance(r.contact.id)).toBe(0);
  });

  it("points are counted in PTS only, and PTS only for points", async () => {
    const ticket = await createTicket(agent.api, { teamId: team.id });
    for (const body of [
      { kind: "loyalty_points", currency: "USD" },
      { kind: "refund", currency: "PTS" },
    ]) {
      const res = await grant(agent.api, ticket.id, 10, body);
      expect(res.status, res.raw).toBe(400);
    }
    const bad = [
      ...baseLimits(),
      { scope: "role", scopeId: "agent", kind: "loyalty_points", currency: "USD", perCaseMinor: 1 },
    ];
    expect((await put(admin.api, config(bad))).status).toBe(400);
    expect((await agent.api.get(`/compensations?ticketId=${ticket.id}`)).body.items).toEqual([]);
  });
});

describe("the approval queue shows the customer's value figures", () => {
  it("segment, tier, lifetime spend and points beside each request", async () => {
    expect((await put(admin.api, config(baseLimits()))).status).toBe(200);
    const email = `valued-${Date.now()}@example.com`;
    const tier = await admin.api.post("/loyalty/tiers", {
      name: `Gold ${Date.now()}`,
      rank: 900,
      minPoints: 100,
      color: "yellow",
    });
    expect(tier.status, tier.raw).toBe(201);
    const order = await admin.api.post("/orders", {
      contact: { email, name: "Valued Customer" },
      number: `V${Date.now()}`,
      placedAt: new Date(START.getTime() - 86_400_000).toISOString(),
      status: "delivered",
      currency: "USD",
      totalMinor: 45_000,
    });
    expect(order.status, order.raw).toBe(201);
    const contactId = order.body.contactId as string;
    await t.database.db
      .insert(loyaltyLedger)
      .values({ contactId, kind: "grant", points: 150, reason: "test" });
    await t.database.db
      .update(customerValues)
      .set({ points: 150 })
      .where(eq(customerValues.contactId, contactId));
    await admin.api.post("/loyalty/tiers", { name: `Silver ${Date.now()}`, rank: 901, minPoints: 100000 });
    const ticket = await createTicket(agent.api, {
      teamId: team.id,
      requester: { email, name: "Valued Customer" },
    });
    const r = (await grant(agent.api, ticket.id, 9000)).body;
    const queue = await lead.api.get("/approvals?status=pending");
    const item = queue.body.items.find((i: Json) => i.id === r.id);
    expect(item.customerValue).toMatchObject({
      lifetimeMinor: 45_000,
      baseCurrency: "USD",
      purchases: 1,
      points: 150,
    });
    expect(typeof item.customerValue.segment).toBe("string");
    expect(item.customerValue.segment).not.toBe("no_purchase");
    expect(item.customerValue.tier?.name).toBe(tier.body.name);
    // A customer without purchases has the defaults.
    const plain = (await grant(agent.api, (await createTicket(agent.api, { teamId: team.id })).id, 9000))
      .body;
    const again = await lead.api.get("/approvals?status=pending");
    expect(again.body.items.find((i: Json) => i.id === plain.id).customerValue).toMatchObject({
      segment: "no_purchase",
      tier: null,
      lifetimeMinor: 0,
    });
  });
});

describe("the approval notices by email", () => {
  let capture: Awaited<ReturnType<typeof startCapture>>;
  let worker: Worker | undefined;
  beforeAll(async () => {
    capture = await startCapture();
    const mb = await admin.api.post("/email/mailboxes", {
      address: "support@comp.test",
      displayName: "Support",
      smtp: { host: "127.0.0.1", port: capture.port, tls: "none" },
    });
    expect(mb.status, mb.raw).toBe(201);
  });
  afterAll(async () => {
    await worker?.stop();
    await capture?.close();
  });

  it("the approver gets an email in their language with the amount, ticket and reason; the requester the decision in theirs", async () => {
    const approver = await createAgent(t, admin.api, {
      name: "Thảo",
      email: "thao@comp.test",
      teamIds: [team.id],
    });
    const asker = await createAgent(t, admin.api, {
      name: "Sok",
      email: "sok@comp.test",
      teamIds: [team.id],
    });
    await t.database.db.update(users).set({ locale: "vi" }).where(eq(users.id, approver.user.id));
    await t.database.db.update(users).set({ locale: "km" }).where(eq(users.id, asker.user.id));
    const cfg = (await admin.api.get("/approval-limits")).body;
    const leads = [
      ...cfg.teamLeads.filter((l: Json) => l.teamId !== team.id),
      { teamId: team.id, userId: approver.user.id },
    ];
    expect((await put(admin.api, config(baseLimits(), { teamLeads: leads }))).status).toBe(200);
    try {
      const ticket = await createTicket(asker.api, { teamId: team.id });
      const r = (await grant(asker.api, ticket.id, 6500, { reason: "Parcel lost twice" })).body;
      expect(r.status).toBe("pending_approval");
      worker = await startWorker(t.services, emailJobHandlers, { pollMs: 20, backoffBaseMs: 50 });
      const asked = await until(
        () => capture.received.find((m) => m.envelope.to.includes("thao@comp.test")),
        { what: "the approver's email" },
      );
      const text = asked.mail.text ?? "";
      // Title (who asks) and a body that is not empty: amount, ticket number and reason, in Vietnamese.
      expect(text).toContain("Sok đề nghị bạn phê duyệt");
      expect(text).toContain(`Sok đề nghị anh/chị duyệt`);
      expect(text).toMatch(/65[.,]00/);
      expect(text).toContain(`#${ticket.number}`);
      expect(text).toContain("Parcel lost twice");
      expect(text).toContain(`/tickets/${ticket.id}`);
      // The notice in the bell has the same non-empty body.
      const bell = await approver.api.get("/notifications");
      const notice = (bell.body.items as Json[]).find((n) => n.kind === "approval.requested");
      expect(notice?.body).toContain("Parcel lost twice");

      const ok = await approver.api.post(`/approvals/${r.id}/approve`, {
        amountMinor: 5000,
        comment: "Half",
      });
      expect(ok.status, ok.raw).toBe(200);
      const decided = await until(
        () => capture.received.find((m) => m.envelope.to.includes("sok@comp.test")),
        { what: "the requester's email" },
      );
      const km = decided.mail.text ?? "";
      expect(km).toContain("Thảo");
      expect(km).toContain("ត្រូវបានអនុម័ត");
      expect(km).toContain("Half");
    } finally {
      expect((await put(admin.api, config(baseLimits()))).status).toBe(200);
    }
  });
});

it("runs on the configured backend", () => {
  expect(["pglite", "postgres"]).toContain(TEST_BACKEND);
});
