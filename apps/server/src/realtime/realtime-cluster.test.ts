import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../app.ts";
import { type Database, openPostgres } from "../db/client.ts";
import { createServices } from "../services.ts";
import { type Api, createAgent, createTeam, createTicket, type Json, setupAdmin } from "../test/factories.ts";
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
let teamA: { id: string };

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
  const teamB = await createTeam(admin.api, "Team B");
  alice = await createAgent(a, admin.api, { name: "Alice", teamIds: [teamA.id] });
  carol = await createAgent(a, admin.api, { name: "Carol", teamIds: [teamA.id] });
  bob = await createAgent(a, admin.api, { name: "Bob", teamIds: [teamB.id] });
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
