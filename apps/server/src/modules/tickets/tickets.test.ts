import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAgent, createTeam, createTicket, setupAdmin } from "../../test/factories.ts";
import { createTestApp, type TestApp } from "../../test/harness.ts";

describe("tickets", () => {
  let t: TestApp;
  let admin: Awaited<ReturnType<typeof setupAdmin>>;
  beforeAll(async () => {
    t = await createTestApp();
    admin = await setupAdmin(t);
  });
  afterAll(() => t.close());

  it("creates a ticket with a new requester and a first message, numbered sequentially", async () => {
    const a = await createTicket(admin.api, {
      subject: "Đơn hàng chưa đến",
      requester: { email: "Lan@Example.vn", name: "Lan" },
    });
    const b = await createTicket(admin.api);
    expect(b.number).toBe(a.number + 1);
    expect(a).toMatchObject({
      subject: "Đơn hàng chưa đến",
      status: "new",
      priority: "normal",
      channel: "api",
      requester: { name: "Lan", email: "Lan@Example.vn" },
      assignee: null,
      team: null,
      messageCount: 1,
      permissions: { reply: true, update: true },
    });
    const messages = await admin.api.get(`/tickets/${a.id}/messages`);
    expect(messages.body.items).toHaveLength(1);
    expect(messages.body.items[0]).toMatchObject({
      author: { type: "customer", name: "Lan" },
      internal: false,
    });
  });

  it("finds the requester by email (any case) or id instead of creating a duplicate", async () => {
    const first = await createTicket(admin.api, {
      requester: { email: "repeat@example.com", name: "Repeat" },
    });
    const second = await createTicket(admin.api, { requester: { email: "REPEAT@example.com" } });
    const third = await createTicket(admin.api, { requester: { id: first.requester.id } });
    expect(second.requester.id).toBe(first.requester.id);
    expect(third.requester.id).toBe(first.requester.id);
    const byPhone1 = await createTicket(admin.api, {
      requester: { phone: "+855 12 345 678", name: "Phone Only" },
    });
    const byPhone2 = await createTicket(admin.api, { requester: { phone: "+85512345678" } });
    expect(byPhone2.requester.id).toBe(byPhone1.requester.id);
  });

  it("records who changed what, in the same transaction, and stamps solved/closed times", async () => {
    const team = await createTeam(admin.api);
    const agent = await createAgent(t, admin.api, { teamIds: [team.id] });
    const ticket = await createTicket(admin.api);
    const res = await admin.api.patch(`/tickets/${ticket.id}`, {
      assigneeId: agent.user.id,
      teamId: team.id,
      priority: "urgent",
      tags: ["Refund", "vip"],
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: "open",
      priority: "urgent",
      tags: ["refund", "vip"],
      assignee: { id: agent.user.id },
      team: { id: team.id, name: team.name },
    });
    const solved = await agent.api.patch(`/tickets/${ticket.id}`, { status: "solved" });
    expect(solved.body.solvedAt).not.toBeNull();
    const events = await admin.api.get(`/tickets/${ticket.id}/events`);
    const types = events.body.map((e: { type: string }) => e.type);
    expect(types).toEqual(
      expect.arrayContaining([
        "ticket.created",
        "assignee.changed",
        "team.changed",
        "priority.changed",
        "tags.changed",
        "status.changed",
      ]),
    );
    const statusEvents = events.body.filter((e: { type: string }) => e.type === "status.changed");
    expect(statusEvents.at(-1)).toMatchObject({
      actor: { type: "agent", id: agent.user.id, name: agent.user.name },
      data: { from: "open", to: "solved" },
    });
    const closed = await admin.api.patch(`/tickets/${ticket.id}`, { status: "closed" });
    expect(closed.body.closedAt).not.toBeNull();
    expect(closed.body.permissions).toMatchObject({ reply: false, update: false });
    const reopen = await admin.api.patch(`/tickets/${ticket.id}`, { status: "open" });
    expect(reopen.status).toBe(403);
  });

  it("adds and removes tags without replacing the others", async () => {
    const ticket = await createTicket(admin.api, { tags: ["a", "b"] });
    const res = await admin.api.patch(`/tickets/${ticket.id}`, { addTags: ["c"], removeTags: ["a"] });
    expect(res.body.tags).toEqual(["b", "c"]);
    expect((await admin.api.patch(`/tickets/${ticket.id}`, { tags: ["x"], addTags: ["y"] })).status).toBe(
      400,
    );
  });

  it("writes no event when nothing changes", async () => {
    const ticket = await createTicket(admin.api);
    await admin.api.patch(`/tickets/${ticket.id}`, { priority: "normal" });
    const events = await admin.api.get(`/tickets/${ticket.id}/events`);
    // The language read from the first message is recorded once, at creation.
    expect(events.body.map((e: { type: string }) => e.type)).toEqual([
      "ticket.created",
      "reply.added",
      "language.detected",
    ]);
  });

  it("refuses unknown assignees and teams, writing nothing", async () => {
    const missing = "00000000-0000-4000-8000-000000000000";
    const ticket = await createTicket(admin.api);
    expect((await admin.api.patch(`/tickets/${ticket.id}`, { assigneeId: missing })).status).toBe(404);
    expect((await admin.api.patch(`/tickets/${ticket.id}`, { teamId: missing })).status).toBe(404);
    const before = await admin.api.get("/tickets?limit=200");
    const res = await admin.api.post("/tickets", {
      subject: "x",
      requester: { email: "new-person@example.com" },
      teamId: missing,
    });
    expect(res.status).toBe(404);
    const after = await admin.api.get("/tickets?limit=200");
    expect(after.body.items).toHaveLength(before.body.items.length);
    expect((await admin.api.get("/contacts?email=new-person@example.com")).body.items).toHaveLength(0);
  });
});

describe("ticket lists", () => {
  let t: TestApp;
  let admin: Awaited<ReturnType<typeof setupAdmin>>;
  let agent: Awaited<ReturnType<typeof createAgent>>;
  let teamA: { id: string };
  let teamB: { id: string };
  beforeAll(async () => {
    t = await createTestApp();
    admin = await setupAdmin(t);
    teamA = await createTeam(admin.api, "Team A");
    teamB = await createTeam(admin.api, "Team B");
    agent = await createAgent(t, admin.api, { teamIds: [teamA.id] });
    const plan: Array<Record<string, unknown>> = [
      { subject: "mine open", assigneeId: agent.user.id, teamId: teamA.id, priority: "high", tags: ["x"] },
      { subject: "mine pending", assigneeId: agent.user.id, teamId: teamA.id, status: "pending" },
      { subject: "unassigned A", teamId: teamA.id, priority: "urgent", channel: "email" },
      { subject: "unassigned B", teamId: teamB.id, tags: ["x"] },
      { subject: "no team", priority: "low", channel: "phone" },
      { subject: "solved A", teamId: teamA.id, status: "solved" },
    ];
    for (const p of plan) {
      await createTicket(admin.api, p);
      t.clock.advance(1000);
    }
  });
  afterAll(() => t.close());

  const subjects = (res: { body: { items: Array<{ subject: string }> } }) =>
    res.body.items.map((i) => i.subject).sort();

  it("filters by status, assignee me/none, team, tag, priority, channel and text", async () => {
    expect(subjects(await agent.api.get("/tickets?assignee=me&status=new,open"))).toEqual(["mine open"]);
    expect(subjects(await admin.api.get("/tickets?assignee=none&status=new,open"))).toEqual([
      "no team",
      "unassigned A",
      "unassigned B",
    ]);
    expect(subjects(await admin.api.get(`/tickets?team=${teamA.id}&status=new,open`))).toEqual([
      "mine open",
      "unassigned A",
    ]);
    expect(subjects(await admin.api.get("/tickets?team=none"))).toEqual(["no team"]);
    expect(subjects(await admin.api.get("/tickets?tag=x"))).toEqual(["mine open", "unassigned B"]);
    expect(subjects(await admin.api.get("/tickets?priority=urgent,high"))).toEqual([
      "mine open",
      "unassigned A",
    ]);
    expect(subjects(await admin.api.get("/tickets?channel=phone"))).toEqual(["no team"]);
    expect(subjects(await admin.api.get("/tickets?status=pending,on_hold"))).toEqual(["mine pending"]);
    expect(subjects(await admin.api.get("/tickets?q=unassigned"))).toEqual(["unassigned A", "unassigned B"]);
  });

  it("shows an agent their teams' tickets, their own, and the no-team pool only", async () => {
    expect(subjects(await agent.api.get("/tickets"))).toEqual([
      "mine open",
      "mine pending",
      "no team",
      "solved A",
      "unassigned A",
    ]);
  });

  it("filters by requester", async () => {
    const ticket = await createTicket(admin.api, {
      subject: "from Binh",
      requester: { email: "binh@example.vn" },
    });
    const res = await admin.api.get(`/tickets?requester=${ticket.requester.id}`);
    expect(subjects(res)).toEqual(["from Binh"]);
  });

  for (const sort of ["updated", "created", "priority"] as const) {
    for (const order of ["desc", "asc"] as const) {
      it(`pages by cursor sorted by ${sort} ${order}, every ticket exactly once and in order`, async () => {
        const all = await admin.api.get(`/tickets?sort=${sort}&order=${order}&limit=200`);
        const ids: string[] = [];
        let cursor: string | null = null;
        do {
          const page: { body: { items: Array<{ id: string }>; nextCursor: string | null } } =
            await admin.api.get(
              `/tickets?sort=${sort}&order=${order}&limit=2${cursor ? `&cursor=${cursor}` : ""}`,
            );
          ids.push(...page.body.items.map((i) => i.id));
          cursor = page.body.nextCursor;
        } while (cursor);
        expect(ids).toEqual(all.body.items.map((i: { id: string }) => i.id));
      });
    }
  }

  it("sorts by priority, most urgent first", async () => {
    const res = await admin.api.get("/tickets?sort=priority&limit=3");
    expect(res.body.items.map((i: { priority: string }) => i.priority)).toEqual(["urgent", "high", "normal"]);
  });

  it("rejects unknown filter values and a broken cursor", async () => {
    expect((await admin.api.get("/tickets?status=lost")).status).toBe(400);
    expect((await admin.api.get("/tickets?assignee=someone")).status).toBe(400);
    expect((await admin.api.get("/tickets?limit=100000")).status).toBe(400);
    expect((await admin.api.get("/tickets?cursor=eyJ4IjoxfQ")).status).toBe(400);
    expect((await admin.api.get("/tickets?colour=red")).status).toBe(400);
  });
});

describe("timeline times", () => {
  let t: TestApp;
  let admin: Awaited<ReturnType<typeof setupAdmin>>;
  beforeAll(async () => {
    t = await createTestApp();
    admin = await setupAdmin(t);
  });
  afterAll(() => t.close());

  it("dates every event at the services' clock, the time of the change it records", async () => {
    t.clock.set(new Date("2026-01-05T03:00:00.000Z"));
    const ticket = await createTicket(admin.api);
    t.clock.set(new Date("2026-01-06T04:00:00.000Z"));
    await admin.api.patch(`/tickets/${ticket.id}`, { priority: "high" });
    t.clock.set(new Date("2026-01-07T05:00:00.000Z"));
    await admin.api.post(`/tickets/${ticket.id}/messages`, { body: "noted", internal: true });
    const events = (await admin.api.get(`/tickets/${ticket.id}/events`)).body;
    expect(events.map((e: { type: string; createdAt: string }) => `${e.type}@${e.createdAt}`)).toEqual([
      "ticket.created@2026-01-05T03:00:00.000Z",
      "reply.added@2026-01-05T03:00:00.000Z",
      "language.detected@2026-01-05T03:00:00.000Z",
      "priority.changed@2026-01-06T04:00:00.000Z",
      "note.added@2026-01-07T05:00:00.000Z",
    ]);
  });
});
