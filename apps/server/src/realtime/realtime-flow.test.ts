import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Api,
  apiClient,
  createAgent,
  createTeam,
  createTicket,
  type Json,
  setupAdmin,
} from "../test/factories.ts";
import { createTestApp, type TestApp } from "../test/harness.ts";
import { hubOf } from "./hub.ts";
import { connectAgent, is, type FrameOf as Of, WsClient, wsUrl } from "./ws-client.ts";

type Agent = { token: string; api: Api; user: Json };
let t: TestApp;
let url: string;
let admin: Agent;
let teamA: { id: string };
let teamB: { id: string };
let alice: Agent;
let carol: Agent;
let bob: Agent;
let manager: Agent;

const connect = (agent: Agent) => connectAgent(url, agent.token);

beforeAll(async () => {
  t = await createTestApp({ listen: true });
  url = wsUrl(t.app);
  admin = await setupAdmin(t);
  teamA = await createTeam(admin.api, "Team A");
  teamB = await createTeam(admin.api, "Team B");
  alice = await createAgent(t, admin.api, { name: "Alice", teamIds: [teamA.id] });
  carol = await createAgent(t, admin.api, { name: "Carol", teamIds: [teamA.id] });
  bob = await createAgent(t, admin.api, { name: "Bob", teamIds: [teamB.id] });
  manager = await createAgent(t, admin.api, { name: "Mona", role: "manager" });
});

afterAll(async () => {
  WsClient.terminateAll();
  await t?.close();
});

describe("counts", () => {
  it("pushed deltas always add up to a recount, across status, assignee and team changes", async () => {
    const agents = [alice, bob, manager, admin];
    const live = await Promise.all(
      agents.map(async (agent) => {
        const { ws, hello } = await connect(agent);
        expect(hello.counts).toEqual((await agent.api.get("/views/counts")).body);
        return { agent, ws, counts: { ...hello.counts } as Record<string, number>, sentinelSeen: 0 };
      }),
    );
    // A ticket everyone sees; its round-th subject change marks the end of each step in every
    // socket. Counted by the frames' `changes`, never by the ticket in them: a frame carries the
    // row as it is when the frame is built, so an earlier event's frame can already show a later
    // subject (docs/realtime.md, Ordering).
    const sentinel = await createTicket(admin.api);
    let round = 0;
    const settle = async () => {
      round++;
      await admin.api.patch(`/tickets/${sentinel.id}`, { subject: `Sentinel ${round}` });
      for (const l of live) {
        while (l.sentinelSeen < round) {
          const f = await l.ws.next(() => true, 60_000);
          if (f.type === "counts")
            for (const [k, d] of Object.entries(f.deltas)) l.counts[k] = (l.counts[k] ?? 0) + d;
          if (f.type === "ticket" && f.ticket.id === sentinel.id && f.changes?.subject) l.sentinelSeen++;
        }
        const recount = (await l.agent.api.get("/views/counts")).body;
        expect({ who: l.agent.user.name, step: round, counts: l.counts }).toEqual({
          who: l.agent.user.name,
          step: round,
          counts: recount,
        });
      }
    };
    await settle();
    const t1 = await createTicket(admin.api, { teamId: teamA.id });
    await settle();
    await admin.api.patch(`/tickets/${t1.id}`, { assigneeId: alice.user.id });
    await settle();
    await admin.api.patch(`/tickets/${t1.id}`, { status: "pending" });
    await settle();
    const reply = await admin.api.post(`/tickets/${t1.id}/messages`, {
      body: "Any news?",
      authorType: "customer",
    });
    expect(reply.status).toBe(201);
    await settle();
    await admin.api.patch(`/tickets/${t1.id}`, { teamId: teamB.id });
    await settle();
    await admin.api.patch(`/tickets/${t1.id}`, { assigneeId: null });
    await settle();
    await admin.api.patch(`/tickets/${t1.id}`, { assigneeId: bob.user.id, teamId: null, status: "on_hold" });
    await settle();
    const t2 = await createTicket(bob.api, { teamId: teamB.id, status: "solved" });
    await settle();
    const bulk = await admin.api.post("/tickets/bulk", {
      ids: [t1.id, t2.id],
      patch: { status: "open", teamId: teamA.id, assigneeId: null },
    });
    expect(bulk.body.updated).toHaveLength(2);
    await settle();
    await alice.api.post(`/tickets/${t1.id}/messages`, { body: "Solved", status: "solved" });
    await settle();
  });
});

describe("resume", () => {
  it("replays what a dropped connection missed, without counting it twice", async () => {
    const first = await connect(alice);
    const before = await createTicket(admin.api, { teamId: teamA.id });
    const seen = await first.ws.next<Of<"ticket">>(is("ticket", (f) => f.ticket.id === before.id));
    first.ws.socket.terminate();

    const missedTicket = await createTicket(admin.api, { teamId: teamA.id, subject: "Created while away" });
    const missedNote = await admin.api.post(`/tickets/${before.id}/messages`, {
      body: "Noted",
      internal: true,
    });
    await admin.api.patch(`/tickets/${before.id}`, { priority: "high" });
    const hidden = await createTicket(admin.api, { teamId: teamB.id, subject: "Not for Alice" });

    // A live event before the client's resume waits for the replay, so seqs arrive in order.
    // The grace is set before connecting: the socket's wait starts with its hello, and on a busy
    // machine 500 ms could pass before the live event below.
    const hub = hubOf(t.services);
    if (!hub) throw new Error("no realtime hub");
    hub.resumeGraceMs = 30_000;
    const again = await connect(alice);
    try {
      expect(again.hello.seq).toBeGreaterThan(seen.seq);
      expect(again.hello.counts).toEqual((await alice.api.get("/views/counts")).body);
      const live = await createTicket(admin.api, { teamId: teamA.id, subject: "After reconnecting" });
      again.ws.send({ type: "resume", since: seen.seq });
      await again.ws.next(is("ticket", (f) => f.ticket.id === live.id));
    } finally {
      hub.resumeGraceMs = 500;
    }
    const order = again.ws.log.flatMap((f) => (f.type !== "hello" && "seq" in f ? [f.seq] : []));
    expect(order).toEqual([...order].sort((x, y) => x - y));
    expect(order.filter((s) => s <= again.hello.seq && s > seen.seq).length).toBeGreaterThan(0);
    const created = await again.ws.next<Of<"ticket">>(is("ticket", (f) => f.ticket.id === missedTicket.id));
    expect(created.event).toBe("created");
    const note = await again.ws.next<Of<"message">>(
      is("message", (f) => f.message.id === missedNote.body.id),
    );
    expect(note.seq).toBeGreaterThan(seen.seq);
    const updated = await again.ws.next<Of<"ticket">>(
      is("ticket", (f) => f.ticket.id === before.id && f.changes?.priority !== undefined),
    );
    expect(updated.ticket.priority).toBe("high");
    await again.ws.flush();
    // The hello counts already include the missed events: no deltas for them.
    expect(again.ws.frames.filter((f) => f.type === "counts" && f.seq <= again.hello.seq)).toEqual([]);
    expect(JSON.stringify(again.ws.frames)).not.toContain(hidden.id);
  });

  it("sends nothing for a resume from the current seq, and later events arrive once", async () => {
    const { ws, hello } = await connect(alice);
    ws.send({ type: "resume", since: hello.seq });
    const ticket = await createTicket(admin.api, { teamId: teamA.id });
    await ws.next(is("ticket", (f) => f.ticket.id === ticket.id));
    await ws.flush();
    // The first message's event brings the ticket again as "updated"; "created" comes once.
    expect(
      ws.frames.filter((f) => f.type === "ticket" && f.ticket.id === ticket.id && f.event === "created"),
    ).toEqual([]);
  });
});

describe("presence", () => {
  it("shows two agents on the same ticket to each other, with typing that expires", async () => {
    const ticket = await createTicket(admin.api, { teamId: teamA.id });
    const a = await connect(alice);
    const c = await connect(carol);
    const forTicket = (where: (f: Of<"presence">) => boolean) =>
      is("presence", (f) => f.ticketId === ticket.id && where(f));
    const names = (f: Of<"presence">) => f.agents.map((x) => x.name).sort();

    a.ws.send({ type: "watch", ticketId: ticket.id });
    expect(names(await a.ws.next<Of<"presence">>(forTicket(() => true)))).toEqual(["Alice"]);
    c.ws.send({ type: "watch", ticketId: ticket.id });
    expect(names(await a.ws.next<Of<"presence">>(forTicket((f) => f.agents.length === 2)))).toEqual([
      "Alice",
      "Carol",
    ]);
    expect(names(await c.ws.next<Of<"presence">>(forTicket((f) => f.agents.length === 2)))).toEqual([
      "Alice",
      "Carol",
    ]);

    c.ws.send({ type: "typing", ticketId: ticket.id, typing: true });
    const typing = await a.ws.next<Of<"presence">>(forTicket((f) => f.agents.some((x) => x.typing)));
    expect(typing.agents.find((x) => x.name === "Carol")?.typing).toBe(true);
    c.ws.send({ type: "typing", ticketId: ticket.id, typing: false });
    await a.ws.next(forTicket((f) => f.agents.length === 2 && f.agents.every((x) => !x.typing)));

    // Typing without a refresh expires on its own (REALTIME_TYPING_TTL_MS).
    c.ws.send({ type: "typing", ticketId: ticket.id, typing: true });
    await a.ws.next(forTicket((f) => f.agents.some((x) => x.typing)));
    await a.ws.next(
      forTicket((f) => f.agents.length === 2 && f.agents.every((x) => !x.typing)),
      15_000,
    );

    // A dropped socket leaves the ticket.
    c.ws.socket.terminate();
    expect(names(await a.ws.next<Of<"presence">>(forTicket((f) => f.agents.length === 1)))).toEqual([
      "Alice",
    ]);
    a.ws.send({ type: "unwatch", ticketId: ticket.id });
    await a.ws.flush();
  });

  it("does not tell an agent outside the team who is on the ticket", async () => {
    const ticket = await createTicket(admin.api, { teamId: teamA.id });
    const b = await connect(bob);
    const a = await connect(alice);
    a.ws.send({ type: "watch", ticketId: ticket.id });
    await a.ws.next(is("presence", (f) => f.ticketId === ticket.id));
    b.ws.send({ type: "watch", ticketId: ticket.id });
    expect(await b.ws.next(is("error"))).toMatchObject({ code: "not_found" });
    await b.ws.flush();
    expect(b.ws.frames.filter((f) => f.type === "presence")).toEqual([]);
  });
});

describe("bulk actions", () => {
  it("authorizes each ticket separately and reports per id", async () => {
    const mine = await createTicket(admin.api, { teamId: teamB.id });
    const other = await createTicket(admin.api, { teamId: teamA.id });
    const closed = await createTicket(admin.api, { teamId: teamB.id, status: "closed", message: undefined });
    const missing = "00000000-0000-4000-8000-000000000000";
    const res = await bob.api.post("/tickets/bulk", {
      ids: [mine.id, other.id, closed.id, missing],
      patch: { priority: "urgent", addTags: ["vip"] },
    });
    expect(res.status).toBe(200);
    expect(res.body.updated).toEqual([mine.id]);
    expect(res.body.failed).toEqual([
      { id: other.id, code: "not_found", message: "Ticket not found" },
      { id: closed.id, code: "forbidden", message: expect.any(String) },
      { id: missing, code: "not_found", message: "Ticket not found" },
    ]);
    expect((await admin.api.get(`/tickets/${other.id}`)).body.priority).toBe("normal");
    expect((await admin.api.get(`/tickets/${mine.id}`)).body).toMatchObject({
      priority: "urgent",
      tags: ["vip"],
    });
  });

  it("rejects bad bulk bodies without writing anything", async () => {
    const ticket = await createTicket(admin.api);
    const ids = Array.from({ length: 201 }, () => ticket.id);
    for (const body of [
      { ids, patch: { priority: "high" } },
      { ids: [], patch: { priority: "high" } },
      { ids: ["not-a-uuid"], patch: { priority: "high" } },
      { ids: [ticket.id], patch: { priority: "extreme" } },
      { ids: [ticket.id], patch: { priority: "high" }, extra: true },
      { ids: [ticket.id], patch: { number: 5 } },
    ]) {
      const res = await admin.api.post("/tickets/bulk", body);
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
    }
    expect((await admin.api.get(`/tickets/${ticket.id}`)).body.priority).toBe("normal");
    expect(
      (await admin.api.post("/tickets/bulk", "{oops", { headers: { "content-type": "application/json" } }))
        .status,
    ).toBe(400);
    expect(
      (await admin.api.post("/tickets/bulk", { ids: [ticket.id], patch: { tags: ["a"], addTags: ["b"] } }))
        .body.failed,
    ).toHaveLength(1);
  });

  it("refuses anonymous bulk calls", async () => {
    const anon = apiClient(t.app);
    expect((await anon.post("/tickets/bulk", { ids: [], patch: {} })).status).toBe(401);
    expect((await anon.get("/views/counts")).status).toBe(401);
  });
});

describe("unread marker", () => {
  it("is per agent: set by a customer message, cleared by POST /tickets/:id/read", async () => {
    const ticket = await createTicket(admin.api, { teamId: teamA.id });
    expect((await alice.api.get(`/tickets/${ticket.id}`)).body.unread).toBe(true);
    expect((await alice.api.post(`/tickets/${ticket.id}/read`)).status).toBe(204);
    expect((await alice.api.get(`/tickets/${ticket.id}`)).body.unread).toBe(false);
    expect((await carol.api.get(`/tickets/${ticket.id}`)).body.unread).toBe(true);
    const list = await alice.api.get(`/tickets?team=${teamA.id}&limit=200`);
    expect(list.body.items.find((x: Json) => x.id === ticket.id).unread).toBe(false);

    // An agent reply does not make it unread again; a customer reply does.
    await carol.api.post(`/tickets/${ticket.id}/messages`, { body: "On it" });
    expect((await alice.api.get(`/tickets/${ticket.id}`)).body.unread).toBe(false);
    t.clock.advance(1000);
    const a = await connect(alice);
    await admin.api.post(`/tickets/${ticket.id}/messages`, { body: "Hello?", authorType: "customer" });
    const frame = await a.ws.next<Of<"ticket">>(is("ticket", (f) => f.ticket.id === ticket.id));
    expect(frame.ticket.unread).toBe(true);
    expect((await alice.api.get(`/tickets/${ticket.id}`)).body.unread).toBe(true);
  });

  it("answers 404 for a ticket the agent may not see, and 400 for a bad id", async () => {
    const ticket = await createTicket(admin.api, { teamId: teamA.id });
    expect((await bob.api.post(`/tickets/${ticket.id}/read`)).status).toBe(404);
    expect((await bob.api.post("/tickets/nope/read")).status).toBe(400);
  });
});
