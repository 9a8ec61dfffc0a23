import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Api, createAgent, createTeam, createTicket, type Json, setupAdmin } from "../test/factories.ts";
import { createTestApp, type TestApp } from "../test/harness.ts";
import type { RealtimeEvent } from "./events.ts";
import { type Frame, hubOf, notifyEvents } from "./hub.ts";
import { connectAgent, WsClient, wsUrl } from "./ws-client.ts";

type Agent = { token: string; api: Api; user: Json };
let t: TestApp;
let url: string;
let admin: Agent;
let alice: Agent;
let bob: Agent;
let teamA: { id: string };

beforeAll(async () => {
  t = await createTestApp({ listen: true });
  url = wsUrl(t.app);
  admin = await setupAdmin(t);
  teamA = await createTeam(admin.api, "Team A");
  const teamB = await createTeam(admin.api, "Team B");
  alice = await createAgent(t, admin.api, { name: "Alice", teamIds: [teamA.id] });
  bob = await createAgent(t, admin.api, { name: "Bob", teamIds: [teamB.id] });
});

afterAll(async () => {
  WsClient.terminateAll();
  await t?.close();
});

describe("batched fan-out", () => {
  it("sends a burst of events in seq order, loading each ticket and message once per batch", async () => {
    const hub = hubOf(t.services);
    if (!hub) throw new Error("no hub");
    const tickets = [];
    for (let i = 0; i < 3; i++) tickets.push(await createTicket(admin.api, { teamId: teamA.id }));
    // Ten customer messages on each ticket, written without their own events.
    const events: Array<Omit<RealtimeEvent, "seq">> = [];
    for (let round = 0; round < 10; round++)
      for (const tk of tickets) {
        const m = await admin.api.post(`/tickets/${tk.id}/messages`, {
          body: `Burst ${round}`,
          authorType: "customer",
        });
        expect(m.status).toBe(201);
        events.push({
          kind: "message.created",
          ticketId: tk.id,
          messageId: m.body.id,
          scope: { teamId: teamA.id, assigneeId: null },
        });
      }
    // The message of ticket 0 again: one event per message is not assumed.
    events.push({ ...(events[0] as Omit<RealtimeEvent, "seq">) });

    const a = await connectAgent(url, alice.token);
    const b = await connectAgent(url, bob.token);
    const adminWs = await connectAgent(url, admin.token);
    for (const c of [a, b, adminWs]) c.ws.send({ type: "resume", since: c.hello.seq });
    // Each resume answered (a pong comes after it): frames go out live from here.
    for (const c of [a, b, adminWs]) await c.ws.flush();
    const before = { ...hub.stats };

    // All 31 events in one NOTIFY commit: they reach the hub together.
    await notifyEvents(t.services.db, events);

    for (const c of [a, adminWs]) {
      const got: Frame[] = [];
      while (got.filter((f) => f.type === "message").length < events.length) got.push(await c.ws.next());
      // In seq order, each message frame right after its ticket frame of the same seq.
      const seqs = got.map((f) => ("seq" in f ? f.seq : -1));
      expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
      for (const [i, f] of got.entries()) {
        if (f.type !== "message") continue;
        const prev = got[i - 1];
        expect(prev?.type).toBe("ticket");
        if (prev?.type === "ticket") {
          expect(prev.seq).toBe(f.seq);
          expect(prev.ticket.id).toBe(f.ticketId);
          expect(prev.ticket.unread).toBe(true);
        }
      }
      const texts = got.flatMap((f) => (f.type === "message" ? [f.message.bodyText] : []));
      expect(texts).toEqual(
        events.map((e) => {
          const i = events.findIndex((x) => x.messageId === e.messageId);
          return `Burst ${Math.floor(i / 3)}`;
        }),
      );
    }
    // Bob (another team) gets nothing of it.
    await expect(b.ws.next((f) => f.type === "message", 300)).rejects.toThrow();

    const d = {
      batches: hub.stats.batches - before.batches,
      events: hub.stats.events - before.events,
      tickets: hub.stats.tickets - before.tickets,
      messages: hub.stats.messages - before.messages,
      unread: hub.stats.unread - before.unread,
    };
    expect(d.events).toBe(events.length);
    // Fewer batches than events; per batch each ticket and message is read once.
    expect(d.batches).toBeLessThan(events.length);
    expect(d.tickets).toBeLessThanOrEqual(3 * d.batches);
    expect(d.unread).toBeLessThanOrEqual(3 * d.batches);
    expect(d.messages).toBeLessThanOrEqual(30 * d.batches);
    expect(d.messages).toBeGreaterThanOrEqual(30);
  });
});
