import { makeServerFrameSchema, REALTIME_MAX_CLIENT_FRAME } from "@rapport/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZMessage, ZTicket } from "../modules/tickets/tickets.schema.ts";
import {
  type Api,
  createAgent,
  createTeam,
  createTicket,
  type Json,
  loginAs,
  PASSWORD,
  setupAdmin,
} from "../test/factories.ts";
import { createTestApp, type TestApp } from "../test/harness.ts";
import { hubOf } from "./hub.ts";
import { connectAgent, is, type FrameOf as Of, WsClient, wsUrl } from "./ws-client.ts";

let t: TestApp;
let url: string;
let admin: { token: string; api: Api; user: Json };
let teamA: { id: string };
let teamB: { id: string };
let alice: { token: string; api: Api; user: Json };
let bob: { token: string; api: Api; user: Json };

const connect = (token: string) => connectAgent(url, token);

beforeAll(async () => {
  t = await createTestApp({ listen: true });
  url = wsUrl(t.app);
  admin = await setupAdmin(t);
  teamA = await createTeam(admin.api, "Team A");
  teamB = await createTeam(admin.api, "Team B");
  alice = await createAgent(t, admin.api, { name: "Alice", teamIds: [teamA.id] });
  bob = await createAgent(t, admin.api, { name: "Bob", teamIds: [teamB.id] });
});

afterAll(async () => {
  WsClient.terminateAll();
  await t?.close();
});

describe("websocket authentication", () => {
  it("refuses an upgrade without credentials, with a bad token, or from another origin", async () => {
    await expect(WsClient.connect(url)).rejects.toMatchObject({ status: 401 });
    await expect(WsClient.connect(url, { authorization: "Bearer rpt_nope" })).rejects.toMatchObject({
      status: 401,
    });
    await expect(WsClient.connect(url, { cookie: "rapport_session=forged" })).rejects.toMatchObject({
      status: 401,
    });
    const session = await loginAs(t, alice.user.email, PASSWORD);
    await expect(
      WsClient.connect(url, { cookie: `rapport_session=${session.cookie}`, origin: "https://evil.example" }),
    ).rejects.toMatchObject({ status: 403 });
    const ws = await WsClient.connect(url, {
      cookie: `rapport_session=${session.cookie}`,
      origin: new URL(url.replace("ws:", "http:")).origin,
    });
    const hello = await ws.next<Of<"hello">>(is("hello"));
    expect(hello.counts).toHaveProperty(`team:${teamA.id}`);
    expect(hello.counts).not.toHaveProperty(`team:${teamB.id}`);
  });
});

describe("credentials checked again while connected", () => {
  it("closes the socket once its session has ended, and asks for a resync when teams change", async () => {
    const session = await loginAs(t, bob.user.email, PASSWORD);
    const ws = await WsClient.connect(url, { cookie: `rapport_session=${session.cookie}` });
    await ws.next(is("hello"));
    const carol = await createAgent(t, admin.api, { name: "Carol", teamIds: [teamA.id] });
    const { ws: carolWs } = await connect(carol.token);

    expect((await session.api.post("/auth/logout")).status).toBe(204);
    expect((await admin.api.patch(`/users/${carol.user.id}`, { teamIds: [teamB.id] })).status).toBe(200);
    await hubOf(t.services)?.reauthAll();
    expect((await ws.closed).code).toBe(4401);
    await carolWs.next(is("resync"));
    // Carol now gets team B's tickets, and no longer team A's.
    const a = await createTicket(admin.api, { teamId: teamA.id });
    const b = await createTicket(admin.api, { teamId: teamB.id });
    await carolWs.next(is("ticket", (f) => f.ticket.id === b.id));
    expect(JSON.stringify(carolWs.frames)).not.toContain(a.id);
  });
});

describe("fan-out", () => {
  it("delivers a ticket created through the API, with its message and count deltas", async () => {
    const { ws, hello } = await connect(alice.token);
    const ticket = await createTicket(admin.api, { teamId: teamA.id });
    const created = await ws.next<Of<"ticket">>(is("ticket", (f) => f.ticket.id === ticket.id));
    expect(created.event).toBe("created");
    expect(created.seq).toBeGreaterThan(hello.seq);
    expect(created.ticket).toMatchObject({ id: ticket.id, subject: ticket.subject, unread: true });
    expect(created.ticket.team).toEqual({ id: teamA.id, name: "Team A" });
    const message = await ws.next<Of<"message">>(is("message", (f) => f.ticketId === ticket.id));
    expect(message.message.bodyText).toContain("parcel is late");
    const counts = await ws.next<Of<"counts">>(is("counts", (f) => f.seq === created.seq));
    expect(counts.deltas).toEqual({ all_open: 1, unassigned: 1, [`team:${teamA.id}`]: 1 });
    // Every frame matches the protocol schema the web app builds on (@rapport/shared).
    const ZFrame = makeServerFrameSchema(ZTicket.strict(), ZMessage.strict());
    for (const f of [hello, created, message, counts]) expect(ZFrame.parse(f)).toEqual(f);
    expect((await alice.api.get("/ws")).status).toBe(404);
  });

  it("does not send another team's tickets to an agent outside it", async () => {
    const { ws: bobWs } = await connect(bob.token);
    const secret = await createTicket(admin.api, { teamId: teamA.id, subject: "Team A only" });
    await admin.api.post(`/tickets/${secret.id}/messages`, { body: "internal", internal: true });
    await admin.api.patch(`/tickets/${secret.id}`, { priority: "urgent" });
    // Events are fanned out in seq order: once Bob has the later ticket, he would have had the others.
    const visible = await createTicket(admin.api, { teamId: teamB.id });
    await bobWs.next(is("ticket", (f) => f.ticket.id === visible.id));
    await bobWs.flush();
    const leaked = bobWs.frames.filter(
      (f) =>
        (f.type === "ticket" && f.ticket.id === secret.id) ||
        (f.type === "message" && f.ticketId === secret.id),
    );
    expect(leaked).toEqual([]);
    expect(JSON.stringify(bobWs.frames)).not.toContain(secret.id);
  });

  it("sends internal notes and replies to agents who see the ticket", async () => {
    const { ws } = await connect(alice.token);
    const ticket = await createTicket(alice.api, { teamId: teamA.id });
    const res = await admin.api.post(`/tickets/${ticket.id}/messages`, {
      body: "Note for the team",
      internal: true,
    });
    expect(res.status).toBe(201);
    const frame = await ws.next<Of<"message">>(is("message", (f) => f.message.id === res.body.id));
    expect(frame.message).toEqual(res.body);
  });
});

describe("hostile frames", () => {
  it("answers malformed, unknown and binary frames with an error frame and keeps the socket", async () => {
    const { ws } = await connect(alice.token);
    ws.send("{not json");
    expect(await ws.next(is("error"))).toMatchObject({ code: "invalid_json" });
    ws.send({ type: "launch_missiles" });
    expect(await ws.next(is("error"))).toMatchObject({ code: "invalid_frame" });
    ws.send({ type: "watch", ticketId: "../../etc/passwd" });
    expect(await ws.next(is("error"))).toMatchObject({ code: "invalid_frame" });
    ws.send({ type: "resume", since: -5 });
    expect(await ws.next(is("error"))).toMatchObject({ code: "invalid_frame" });
    ws.send({ type: "ping", extra: "<script>" });
    expect(await ws.next(is("error"))).toMatchObject({ code: "invalid_frame" });
    ws.socket.send(Buffer.from([0, 1, 2, 3]), { binary: true });
    expect(await ws.next(is("error"))).toMatchObject({ code: "invalid_frame" });
    ws.send("null");
    expect(await ws.next(is("error"))).toMatchObject({ code: "invalid_frame" });
    await ws.flush();
  });

  it("closes the socket on an oversized frame and on a frame flood; the server keeps serving", async () => {
    const { ws } = await connect(alice.token);
    ws.send({ type: "ping", pad: "x".repeat(REALTIME_MAX_CLIENT_FRAME * 2) });
    expect((await ws.closed).code).toBe(1009);

    const { ws: flood } = await connect(alice.token);
    for (let i = 0; i < 500; i++) flood.send({ type: "ping" });
    expect((await flood.closed).code).toBe(1008);

    const { ws: fresh } = await connect(alice.token);
    await fresh.flush();
  });

  it("refuses to watch a ticket the agent may not see", async () => {
    const { ws } = await connect(bob.token);
    const ticket = await createTicket(admin.api, { teamId: teamA.id });
    ws.send({ type: "watch", ticketId: ticket.id });
    expect(await ws.next(is("error"))).toMatchObject({ code: "not_found" });
    ws.send({ type: "typing", ticketId: ticket.id, typing: true });
    expect(await ws.next(is("error"))).toMatchObject({ code: "not_found" });
  });
});
