import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Api, createAgent, createTeam, createTicket, setupAdmin } from "../../test/factories.ts";
import { createTestApp, type TestApp } from "../../test/harness.ts";
import { notifications } from "../notifications/notifications.table.ts";
import { ticketEvents } from "../tickets/tickets.table.ts";

let t: TestApp;
let admin: Api;
let adminId: string;
beforeAll(async () => {
  t = await createTestApp();
  const a = await setupAdmin(t);
  admin = a.api;
  adminId = a.user.id;
});
afterAll(async () => t.close());

async function routedTeam(
  mode: "round_robin" | "least_loaded",
  n: number,
  opts: { languages?: string[][] } = {},
) {
  const team = await createTeam(admin);
  const agents = [];
  for (let i = 0; i < n; i++) {
    const a = await createAgent(t, admin, { teamIds: [team.id], languages: opts.languages?.[i] ?? ["en"] });
    await admin.patch(`/users/${a.user.id}`, { availability: "online" });
    agents.push(a);
  }
  const res = await admin.call("PUT", `/routing/teams/${team.id}`, { mode });
  expect(res.status).toBe(200);
  return { team, agents };
}

describe("automatic assignment", () => {
  it("round-robin deals tickets in turn among online members", async () => {
    const { team, agents } = await routedTeam("round_robin", 3);
    const got: string[] = [];
    for (let i = 0; i < 6; i++) got.push((await createTicket(admin, { teamId: team.id })).assignee.id);
    const ids = agents.map((a) => a.user.id);
    for (const id of ids) expect(got.filter((g) => g === id)).toHaveLength(2);
    // In turn: the second round repeats the first's order.
    expect(got.slice(3)).toEqual(got.slice(0, 3));
    const [first] = await createTicket(admin, { teamId: team.id }).then((x) => [x]);
    expect(first.status).toBe("open");
  });

  it("least-loaded evens out existing load", async () => {
    const { team, agents } = await routedTeam("least_loaded", 3);
    const [a, b, c] = agents.map((x) => x.user.id) as [string, string, string];
    // a already has 2, c has 1 (assigned by hand, outside the team's routing).
    for (const who of [a, a, c]) await createTicket(admin, { assigneeId: who });
    const got: string[] = [];
    for (let i = 0; i < 3; i++) got.push((await createTicket(admin, { teamId: team.id })).assignee.id);
    expect(got.filter((g) => g === b)).toHaveLength(2);
    expect(got.filter((g) => g === c)).toHaveLength(1);
    const agentsRes = await admin.get("/routing/agents");
    const load = (id: string) => agentsRes.body.find((x: { id: string }) => x.id === id).load;
    expect([load(a), load(b), load(c)]).toEqual([2, 2, 2]);
  });

  it("skips away and offline agents and respects capacity", async () => {
    const { team, agents } = await routedTeam("round_robin", 3);
    const [on, away, off] = agents.map((x) => x.user.id) as [string, string, string];
    await admin.patch(`/users/${away}`, { availability: "away" });
    await admin.patch(`/users/${off}`, { availability: "offline" });
    expect((await admin.call("PUT", `/routing/agents/${on}`, { capacity: 2 })).status).toBe(200);
    const got = [];
    for (let i = 0; i < 4; i++)
      got.push((await createTicket(admin, { teamId: team.id })).assignee?.id ?? null);
    expect(got).toEqual([on, on, null, null]);
    const [unassigned] = await t.database.db
      .select()
      .from(ticketEvents)
      .where(sql`${ticketEvents.type} = 'routing.unassigned'`)
      .limit(1);
    expect(unassigned?.data).toMatchObject({ teamId: team.id });
    // Back online with room: the next ticket goes to the agent who came back.
    await admin.patch(`/users/${away}`, { availability: "online" });
    expect((await createTicket(admin, { teamId: team.id })).assignee.id).toBe(away);
  });

  it("detects the language of the first message and routes to an agent who speaks it", async () => {
    const { team, agents } = await routedTeam("round_robin", 4, {
      languages: [["en"], ["vi", "en"], ["km"], ["ta"]],
    });
    const [en, vi, km, ta] = agents.map((x) => x.user.id);
    const cases: Array<[string, string | undefined, string]> = [
      ["Xin chào, đơn hàng của tôi chưa được giao.", vi, "vi"],
      ["chao ban, toi khong dang nhap duoc tai khoan", vi, "vi"],
      ["សួស្តី ខ្ញុំមិនទាន់បានទទួលកញ្ចប់របស់ខ្ញុំទេ។", km, "km"],
      ["வணக்கம், எனது ஆர்டர் இன்னும் வரவில்லை.", ta, "ta"],
    ];
    for (const [body, who, lang] of cases) {
      const ticket = await createTicket(admin, { teamId: team.id, subject: "Help", message: { body } });
      expect([ticket.language, ticket.assignee?.id]).toEqual([lang, who]);
    }
    const english = await createTicket(admin, { teamId: team.id, message: { body: "My parcel is late" } });
    expect(english.language).toBe("en");
    expect([en, vi]).toContain(english.assignee.id);
  });

  it("routes by skill: a tag that some member lists as a skill needs that skill", async () => {
    const { team, agents } = await routedTeam("round_robin", 3);
    const [, expert] = agents.map((x) => x.user.id);
    await admin.call("PUT", `/routing/agents/${expert}`, { skills: ["Billing", "refunds"] });
    for (let i = 0; i < 3; i++) {
      const ticket = await createTicket(admin, { teamId: team.id, tags: ["billing", "vip"] });
      expect(ticket.assignee.id).toBe(expert);
    }
    const other = await createTicket(admin, { teamId: team.id, tags: ["vip"] });
    expect(other.assignee).not.toBeNull();
  });

  it("routes when a ticket moves into a routing team; manual teams do nothing", async () => {
    const { team, agents } = await routedTeam("round_robin", 1);
    const manual = await createTeam(admin);
    const ticket = await createTicket(admin, { teamId: manual.id });
    expect(ticket.assignee).toBeNull();
    const moved = await admin.patch(`/tickets/${ticket.id}`, { teamId: team.id });
    expect(moved.body.assignee.id).toBe(agents[0]?.user.id);
  });

  it("concurrent tickets of one team are dealt fairly (the team's routing row is locked)", async () => {
    const { team, agents } = await routedTeam("round_robin", 3);
    const created = await Promise.all(
      Array.from({ length: 9 }, () => createTicket(admin, { teamId: team.id })),
    );
    for (const a of agents) expect(created.filter((c) => c.assignee?.id === a.user.id)).toHaveLength(3);
  });
});

describe("transfers and runaround", () => {
  it("records each transfer with its reason, counts them and warns on the second", async () => {
    const teamA = await createTeam(admin);
    const teamB = await createTeam(admin);
    const x = await createAgent(t, admin, { teamIds: [teamA.id, teamB.id] });
    const y = await createAgent(t, admin, { teamIds: [teamB.id] });
    const ticket = await createTicket(admin, { teamId: teamA.id, assigneeId: x.user.id });
    expect((await admin.get(`/tickets/${ticket.id}/transfers`)).body).toMatchObject({
      count: 0,
      runaround: false,
    });

    const first = await x.api.post(`/tickets/${ticket.id}/transfer`, {
      teamId: teamB.id,
      reason: "Billing question",
    });
    expect(first.status).toBe(200);
    expect(first.body.team.id).toBe(teamB.id);
    let tr = (await admin.get(`/tickets/${ticket.id}/transfers`)).body;
    expect(tr).toMatchObject({ count: 1, runaround: false });
    expect(tr.items[0]).toMatchObject({
      reason: "Billing question",
      fromTeam: { id: teamA.id },
      toTeam: { id: teamB.id },
      actor: { id: x.user.id },
    });
    const notesBefore = await t.database.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.ticketId, ticket.id), eq(notifications.kind, "ticket.runaround")));
    expect(notesBefore).toHaveLength(0);

    // A plain PATCH of the assignee is a transfer too (without a reason).
    await admin.patch(`/tickets/${ticket.id}`, { assigneeId: y.user.id });
    tr = (await y.api.get(`/tickets/${ticket.id}/transfers`)).body;
    expect(tr).toMatchObject({ count: 2, runaround: true });
    expect(tr.items[1]).toMatchObject({
      reason: "",
      fromAssignee: { id: x.user.id },
      toAssignee: { id: y.user.id },
    });
    const notes = await t.database.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.ticketId, ticket.id), eq(notifications.kind, "ticket.runaround")));
    // No manager in team B: the admins are told, and the next agent.
    expect(notes.map((n) => n.userId).sort()).toEqual([adminId, y.user.id].sort());
    expect(notes[0]?.params).toMatchObject({ transfers: 2 });
    const events = (await admin.get(`/tickets/${ticket.id}/events`)).body.map(
      (e: { type: string }) => e.type,
    );
    expect(events).toContain("ticket.runaround");
  });

  it("tells the team's managers rather than the admins when the team has one", async () => {
    const team = await createTeam(admin);
    const boss = await createAgent(t, admin, { role: "manager", teamIds: [team.id] });
    const a = await createAgent(t, admin, { teamIds: [team.id] });
    const b = await createAgent(t, admin, { teamIds: [team.id] });
    const ticket = await createTicket(admin, { teamId: team.id, assigneeId: a.user.id });
    await admin.post(`/tickets/${ticket.id}/transfer`, { assigneeId: b.user.id, reason: "shift ended" });
    await admin.post(`/tickets/${ticket.id}/transfer`, { assigneeId: a.user.id, reason: "back" });
    const notes = await t.database.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.ticketId, ticket.id), eq(notifications.kind, "ticket.runaround")));
    expect(notes.map((n) => n.userId).sort()).toEqual([boss.user.id, a.user.id].sort());
  });

  it("refuses bad transfer input and hides other teams' tickets", async () => {
    const team = await createTeam(admin);
    const other = await createTeam(admin);
    const outsider = await createAgent(t, admin, { teamIds: [other.id] });
    const ticket = await createTicket(admin, { teamId: team.id });
    for (const body of [
      { teamId: other.id },
      { reason: "x" },
      { teamId: other.id, reason: "" },
      { teamId: "nope", reason: "x" },
      { teamId: other.id, reason: "x", extra: 1 },
      { teamId: other.id, reason: "x".repeat(501) },
    ])
      expect((await admin.post(`/tickets/${ticket.id}/transfer`, body)).status).toBe(400);
    expect((await outsider.api.get(`/tickets/${ticket.id}/transfers`)).status).toBe(404);
    expect(
      (await outsider.api.post(`/tickets/${ticket.id}/transfer`, { teamId: other.id, reason: "x" })).status,
    ).toBe(404);
  });
});

describe("routing settings authorization and input", () => {
  it("lets only admins and managers change routing", async () => {
    const team = await createTeam(admin);
    const agent = await createAgent(t, admin);
    const manager = await createAgent(t, admin, { role: "manager" });
    expect((await agent.api.call("PUT", `/routing/teams/${team.id}`, { mode: "round_robin" })).status).toBe(
      403,
    );
    expect((await agent.api.get("/routing/agents")).status).toBe(403);
    expect((await agent.api.call("PUT", `/routing/agents/${agent.user.id}`, { capacity: 99 })).status).toBe(
      403,
    );
    expect((await agent.api.get("/routing/teams")).status).toBe(200);
    expect(
      (await manager.api.call("PUT", `/routing/teams/${team.id}`, { mode: "least_loaded" })).status,
    ).toBe(200);
    const bad = [{ mode: "random" }, {}, { mode: "round_robin", x: 1 }];
    for (const b of bad) expect((await admin.call("PUT", `/routing/teams/${team.id}`, b)).status).toBe(400);
    expect(
      (await admin.call("PUT", `/routing/teams/${crypto.randomUUID()}`, { mode: "manual" })).status,
    ).toBe(404);
    for (const b of [
      { capacity: -1 },
      { capacity: 1.5 },
      { skills: ["two words"] },
      { languages: ["english!"] },
    ])
      expect((await admin.call("PUT", `/routing/agents/${agent.user.id}`, b)).status).toBe(400);
    const ok = await admin.call("PUT", `/routing/agents/${agent.user.id}`, {
      skills: ["VIP", "vip", "billing"],
      capacity: null,
      languages: ["vi", "km"],
    });
    expect(ok.body).toMatchObject({ skills: ["vip", "billing"], capacity: null, languages: ["vi", "km"] });
  });
});
