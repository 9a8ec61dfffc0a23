import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../app.ts";
import { type Database, openPostgres } from "../db/client.ts";
import { createServices } from "../services.ts";
import {
  type Api,
  apiClient,
  createAgent,
  createTeam,
  createTicket,
  type Json,
  setupAdmin,
} from "../test/factories.ts";
import { createTestApp, type TestApp, testConfig } from "../test/harness.ts";
import { connectAgent, is, type FrameOf as Of, WsClient, wsUrl } from "./ws-client.ts";

/**
 * Two server processes on one database: process A takes the API calls, agents are connected
 * to process B. On PostgreSQL, B has its own connection pool and LISTEN connection (as a
 * separate process would); on PGlite both share the embedded database, whose NOTIFY works
 * in-process. Either way nothing passes between A and B except through the database.
 */

type Agent = { token: string; api: Api; user: Json };
let a: TestApp;
let b: { app: FastifyInstance; database: Database };
let admin: Agent;
let alice: Agent;
let carol: Agent;
let bob: Agent;
let manager: Agent;
let teamA: { id: string };
let teamB: { id: string };

const connect = (app: FastifyInstance, agent: Agent) => connectAgent(wsUrl(app), agent.token);

async function startSecondProcess(first: TestApp) {
  const database = first.database.url ? openPostgres(first.database.url, { max: 3 }) : first.database;
  const app = await buildApp(createServices(testConfig(), database), { logger: false });
  await app.listen({ port: 0, host: "127.0.0.1" });
  return { app, database };
}

beforeAll(async () => {
  a = await createTestApp({ listen: true });
  admin = await setupAdmin(a);
  teamA = await createTeam(admin.api, "Team A");
  teamB = await createTeam(admin.api, "Team B");
  alice = await createAgent(a, admin.api, { name: "Alice", teamIds: [teamA.id] });
  carol = await createAgent(a, admin.api, { name: "Carol", teamIds: [teamA.id] });
  bob = await createAgent(a, admin.api, { name: "Bob", teamIds: [teamB.id] });
  manager = await createAgent(a, admin.api, { name: "Mona", role: "manager" });
  // Events before process B starts: B cannot replay them.
  await createTicket(admin.api, { teamId: teamA.id });
  b = await startSecondProcess(a);
});

afterAll(async () => {
  WsClient.terminateAll();
  await b?.app.close();
  if (b && b.database !== a.database) await b.database.close();
  await a?.close();
});

describe("several server processes", () => {
  it("delivers a ticket created through process A to an agent connected to process B", async () => {
    const onB = await connect(b.app, alice);
    const bobOnB = await connect(b.app, bob);
    const ticket = await createTicket(admin.api, { teamId: teamA.id });
    const frame = await onB.ws.next<Of<"ticket">>(is("ticket", (f) => f.ticket.id === ticket.id));
    expect(frame.ticket).toMatchObject({ id: ticket.id, subject: ticket.subject, team: { id: teamA.id } });
    await onB.ws.next(is("message", (f) => f.ticketId === ticket.id));
    const counts = await onB.ws.next<Of<"counts">>(is("counts", (f) => f.seq === frame.seq));
    expect(counts.deltas[`team:${teamA.id}`]).toBe(1);

    // The other team's agent on B gets nothing of it.
    const marker = await createTicket(admin.api);
    await bobOnB.ws.next(is("ticket", (f) => f.ticket.id === marker.id));
    expect(JSON.stringify(bobOnB.ws.frames)).not.toContain(ticket.id);
  });

  it("numbers events the same in every process, so a client resumes on the other one", async () => {
    const onA = await connect(a.app, alice);
    const first = await createTicket(admin.api, { teamId: teamA.id });
    const seen = await onA.ws.next<Of<"ticket">>(is("ticket", (f) => f.ticket.id === first.id));
    onA.ws.socket.terminate();
    const missed = await createTicket(admin.api, { teamId: teamA.id, subject: "While switching" });

    const onB = await connect(b.app, alice);
    onB.ws.send({ type: "resume", since: seen.seq });
    const replayed = await onB.ws.next<Of<"ticket">>(is("ticket", (f) => f.ticket.id === missed.id));
    expect(replayed.seq).toBeGreaterThan(seen.seq);

    // From before process B started: B says resync.
    onB.ws.send({ type: "resume", since: 0 });
    await onB.ws.next(is("resync"));
  });

  it("shares presence between agents connected to different processes", async () => {
    const ticket = await createTicket(admin.api, { teamId: teamA.id });
    const onA = await connect(a.app, alice);
    const onB = await connect(b.app, carol);
    onA.ws.send({ type: "watch", ticketId: ticket.id });
    await onA.ws.next(is("presence", (f) => f.ticketId === ticket.id));
    onB.ws.send({ type: "watch", ticketId: ticket.id });
    const both = (f: Of<"presence">) => f.ticketId === ticket.id && f.agents.length === 2;
    expect(
      (await onA.ws.next<Of<"presence">>(is("presence", both))).agents.map((x) => x.name).sort(),
    ).toEqual(["Alice", "Carol"]);
    await onB.ws.next(is("presence", both));
    onB.ws.send({ type: "typing", ticketId: ticket.id, typing: true });
    await onA.ws.next(is("presence", (f) => f.ticketId === ticket.id && f.agents.some((x) => x.typing)));
    onB.ws.socket.terminate();
    await onA.ws.next(is("presence", (f) => f.ticketId === ticket.id && f.agents.length === 1));
  });
});

/** A small seeded PRNG (mulberry32), so a failing sequence of changes can be replayed. */
function prng(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T };
}

describe("counts across processes", () => {
  it("adds the pushed deltas up to a recount after each of 200 mixed changes made through both processes", async () => {
    const seed = Number(process.env.REALTIME_ORDER_SEED ?? Date.now() % 100_000);
    const rnd = prng(seed);
    const via = { A: admin.api, B: apiClient(b.app, { token: admin.token }) };
    // Sockets on both processes; each keeps its running counts from hello plus deltas.
    const live = await Promise.all(
      (
        [
          [alice, b.app],
          [bob, a.app],
          [carol, a.app],
          [manager, b.app],
          [admin, a.app],
        ] as const
      ).map(async ([agent, app]) => {
        const { ws, hello } = await connect(app, agent);
        ws.send({ type: "resume", since: hello.seq });
        return { agent, ws, counts: { ...hello.counts } as Record<string, number>, sentinelSeen: 0 };
      }),
    );
    // Visible to everyone: its k-th subject change marks the end of step k on every socket.
    const sentinel = await createTicket(admin.api);
    const open: string[] = [];
    const teams = [teamA.id, teamB.id, null];
    const assignees = [alice.user.id, bob.user.id, carol.user.id, null];

    for (let step = 1; step <= 200; step++) {
      const [here, there] = rnd.next() < 0.5 ? (["A", "B"] as const) : (["B", "A"] as const);
      const api = via[here];
      const kind =
        open.length < 3 ? "create" : rnd.pick(["create", "assign", "team", "status", "solve", "reply"]);
      const id = rnd.pick(open);
      let res: { status: number; body: Json };
      if (kind === "create") {
        res = await api.post("/tickets", {
          subject: `Step ${step}`,
          requester: { email: `customer-${step}@example.com` },
          message: { body: "Hello" },
          teamId: rnd.pick(teams),
          assigneeId: rnd.pick(assignees),
          status: rnd.pick(["new", "open", "pending"]),
        });
        if (res.status === 201) open.push(res.body.id);
      } else if (kind === "assign")
        res = await api.patch(`/tickets/${id}`, { assigneeId: rnd.pick(assignees) });
      else if (kind === "team") res = await api.patch(`/tickets/${id}`, { teamId: rnd.pick(teams) });
      else if (kind === "status")
        res = await api.patch(`/tickets/${id}`, { status: rnd.pick(["open", "pending", "on_hold"]) });
      else if (kind === "solve") res = await api.patch(`/tickets/${id}`, { status: "solved" });
      // A customer reply reopens a solved or pending ticket (a status change carried by a message).
      else res = await api.post(`/tickets/${id}/messages`, { body: `Reply ${step}`, authorType: "customer" });
      const context = `seed ${seed}, step ${step}: ${kind} through ${here}`;
      expect(res.status, `${context}: ${JSON.stringify(res.body)}`).toBeLessThan(300);

      // The marker goes through the other process: its event must still come after the change's.
      const marker = await via[there].patch(`/tickets/${sentinel.id}`, { subject: `Sentinel ${step}` });
      expect(marker.status).toBe(200);
      for (const l of live) {
        while (l.sentinelSeen < step) {
          const f = await l.ws.next(() => true, 60_000);
          if (f.type === "counts")
            for (const [k, d] of Object.entries(f.deltas)) l.counts[k] = (l.counts[k] ?? 0) + d;
          if (f.type === "ticket" && f.ticket.id === sentinel.id && f.changes?.subject) l.sentinelSeen++;
        }
        const recount = (await l.agent.api.get("/views/counts")).body;
        expect({ who: l.agent.user.name, context, counts: l.counts }).toEqual({
          who: l.agent.user.name,
          context,
          counts: recount,
        });
      }
    }
  }, 600_000);
});
