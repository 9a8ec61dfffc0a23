import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { type Api, apiClient, createAgent, type Json, setupAdmin } from "../../test/factories.ts";
import { createTestApp, type TestApp } from "../../test/harness.ts";
import { until } from "../../test/until.ts";
import { visitorSays } from "./chat.service.ts";

let t: TestApp;
let admin: Api;
let base: string;
let site: Json;
const PAGE = "https://shop.example";

const site0 = {
  name: "Shop",
  allowedOrigins: [PAGE],
  appearance: { color: "#0055aa", position: "right", greeting: { en: "Hi!", vi: "Xin chào!" } },
  languages: ["en", "vi", "km", "ta"],
  prechat: {
    enabled: true,
    fields: ["name", "email", "phone", "topic"],
    required: ["email"],
    topics: ["Orders"],
  },
  hours: null,
  teamId: null,
  active: true,
};

async function widget(path: string, body: unknown, token?: string) {
  const res = await t.app.inject({
    method: "POST",
    url: path,
    payload: body as object,
    headers: token ? { "x-visitor-token": token } : {},
  });
  return { status: res.statusCode, body: res.body ? JSON.parse(res.body) : null };
}

const session = (extra: Record<string, unknown> = {}) =>
  widget("/widget/api/session", { key: site.key, pageOrigin: PAGE, locale: "vi-VN", ...extra });

type Client = {
  ws: WebSocket;
  frames: Json[];
  next: (pred: (f: Json) => boolean, ms?: number) => Promise<Json>;
};

async function connect(token: string | null, origin = PAGE, key = site.key): Promise<Client> {
  const ws = new WebSocket(`${base.replace("http", "ws")}/widget/ws?key=${key}`, { headers: { origin } });
  const frames: Json[] = [];
  const waiters: Array<{ pred: (f: Json) => boolean; resolve: (f: Json) => void }> = [];
  ws.on("message", (d) => {
    const f = JSON.parse(d.toString());
    frames.push(f);
    for (const w of [...waiters])
      if (w.pred(f)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(f);
      }
  });
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("error", reject);
    ws.once("unexpected-response", (_req, res) => reject(new Error(`status ${res.statusCode}`)));
  });
  const next = (pred: (f: Json) => boolean, ms = 10_000) =>
    new Promise<Json>((resolve, reject) => {
      const seen = frames.find(pred);
      if (seen) return resolve(seen);
      const timer = setTimeout(() => reject(new Error("no such frame")), ms);
      waiters.push({
        pred,
        resolve: (f) => {
          clearTimeout(timer);
          resolve(f);
        },
      });
    });
  const c = { ws, frames, next };
  if (token) {
    ws.send(JSON.stringify({ type: "auth", token }));
    await next((f) => f.type === "ready");
  }
  return c;
}
const closed = (ws: WebSocket) =>
  new Promise<number>((resolve) => {
    if (ws.readyState === WebSocket.CLOSED) resolve(-1);
    ws.once("close", (code) => resolve(code));
  });

beforeAll(async () => {
  t = await createTestApp({ listen: true });
  admin = (await setupAdmin(t)).api;
  const addr = t.app.server.address();
  base = `http://127.0.0.1:${typeof addr === "object" && addr ? addr.port : 0}`;
  const res = await admin.post("/chat/sites", site0);
  expect(res.status).toBe(201);
  site = res.body;
});
afterAll(async () => {
  await t?.close();
});

describe("sites", () => {
  it("admins create sites with a key, a secret and the snippet; agents may not", async () => {
    expect(site.key).toMatch(/^rs_/);
    expect(site.secret.length).toBeGreaterThan(30);
    expect(site.snippet).toContain(`data-rapport-site="${site.key}"`);
    const agent = await createAgent(t, admin);
    expect((await agent.api.get("/chat/sites")).status).toBe(403);
    expect((await agent.api.post("/chat/sites", site0)).status).toBe(403);
    expect((await apiClient(t.app).get("/chat/sites")).status).toBe(401);
    const bad = await admin.post("/chat/sites", { ...site0, allowedOrigins: ["javascript:alert(1)"] });
    expect(bad.status).toBe(400);
    const bad2 = await admin.post("/chat/sites", {
      ...site0,
      appearance: { ...site0.appearance, color: "red;x" },
    });
    expect(bad2.status).toBe(400);
  });
});

describe("visitor sessions and identity", () => {
  it("a session survives reloads with its token and follows the page language", async () => {
    const a = await session();
    expect(a.status).toBe(200);
    expect(a.body.locale).toBe("vi");
    expect(a.body.token).toBeTruthy();
    const b = await session({ token: a.body.token, locale: "ta" });
    expect(b.body.visitor.id).toBe(a.body.visitor.id);
    expect(b.body.locale).toBe("ta");
    expect(b.body.token).toBe(a.body.token);
  });

  it("refuses a page origin the site does not allow, and an unknown key", async () => {
    expect((await session({ pageOrigin: "https://evil.example" })).status).toBe(403);
    expect((await session({ pageOrigin: undefined })).status).toBe(403);
    expect((await widget("/widget/api/session", { key: "rs_nope", pageOrigin: PAGE })).status).toBe(404);
  });

  it("a signed identity joins the customer's contact; unsigned or forged identities are refused", async () => {
    const email = "linh@example.com";
    const existing = await admin.post("/contacts", {
      name: "Linh",
      emails: [email],
      phones: [],
      tags: [],
      notes: "",
    });
    expect(existing.status).toBe(201);
    const signature = createHmac("sha256", site.secret).update(`user-42|${email}`).digest("hex");
    const ok = await session({ identity: { userId: "user-42", email, name: "Linh", signature } });
    expect(ok.status).toBe(200);
    expect(ok.body.visitor.identified).toBe(true);
    const unsigned = await session({ identity: { userId: "user-42", email } });
    expect(unsigned.status).toBe(403);
    expect(unsigned.body.error.details.reason).toBe("identity_unsigned");
    const forged = await session({
      identity: { userId: "user-42", email: "boss@example.com", signature },
    });
    expect(forged.status).toBe(403);
    expect(forged.body.error.details.reason).toBe("identity_invalid");
    const otherSecret = createHmac("sha256", "guess").update("user-42").digest("hex");
    expect((await session({ identity: { userId: "user-42", signature: otherSecret } })).status).toBe(403);
    // The chat lands on Linh's contact.
    const c = await connect(ok.body.token);
    c.ws.send(JSON.stringify({ type: "message", clientId: "1", text: "Hello from Linh" }));
    const ack = await c.next((f) => f.type === "ack");
    const ticket = await admin.get(`/tickets/${ack.ticketId}`);
    expect(ticket.body.requester.id).toBe(existing.body.id);
    expect(ticket.body.channel).toBe("chat");
    c.ws.close();
  });
});

describe("loyalty tier (customer value)", () => {
  it("greets a signed visitor by their own tier when the site turns it on; never an unsigned one; the console shows the badge", async () => {
    const tier = await admin.post("/loyalty/tiers", {
      name: "Chat Gold",
      rank: 5,
      minPoints: 50,
      color: "yellow",
    });
    expect(tier.status, tier.raw).toBe(201);
    const email = "vip-chat@example.com";
    const c = await admin.post("/contacts", { name: "Vy", emails: [email], phones: [], tags: [], notes: "" });
    const grant = await admin.post("/loyalty/ledger", {
      contactId: c.body.id,
      kind: "grant",
      points: 80,
      reason: "x",
    });
    expect(grant.status, grant.raw).toBe(200);
    const signed = (userId: string, mail: string) => ({
      identity: {
        userId,
        email: mail,
        signature: createHmac("sha256", site.secret).update(`${userId}|${mail}`).digest("hex"),
      },
    });
    // Off by default: no tier even for the signed customer.
    expect((await session(signed("vip-1", email))).body.member).toBeNull();
    const on = await admin.patch(`/chat/sites/${site.id}`, {
      appearance: { ...site0.appearance, showTier: true },
    });
    expect(on.status, on.raw).toBe(200);
    const vip = await session(signed("vip-1", email));
    expect(vip.body.member).toEqual({ tier: "Chat Gold" });
    // Another signed customer gets their own (none); an unsigned visitor who types the VIP's email gets none.
    expect((await session(signed("someone-else", "other-chat@example.com"))).body.member).toBeNull();
    const anon = await session();
    const typed = await widget("/widget/api/profile", { name: "Vy", email }, anon.body.token);
    expect(typed.status, JSON.stringify(typed.body)).toBe(200);
    expect((await session({ token: anon.body.token })).body.member).toBeNull();
    // The agent's console: the live chat carries the customer's tier.
    const agent = await createAgent(t, admin);
    const ws = await connect(vip.body.token);
    ws.ws.send(JSON.stringify({ type: "message", clientId: "t1", text: "Hello, I am a member" }));
    const ack = await ws.next((f) => f.type === "ack");
    const assigned = await admin.patch(`/tickets/${ack.ticketId}`, { assigneeId: agent.user.id });
    expect(assigned.status, assigned.raw).toBe(200);
    const mine = await until(async () => {
      const list = (await agent.api.get("/chat/mine")).body as Json[];
      return list.find((x) => x.ticketId === ack.ticketId);
    });
    expect(mine.tier).toEqual({ name: "Chat Gold", color: "yellow" });
    ws.ws.close();
    await admin.patch(`/chat/sites/${site.id}`, { appearance: site0.appearance });
  });
});

describe("chatting", () => {
  it("visitor and agent talk live: emoji round-trips, replies arrive with delivered/read marks, typing shows", async () => {
    const agent = await createAgent(t, admin, { name: "Trần Văn Bảo" });
    // The agent's own name for chat, apart from the full name; bad values are refused.
    for (const chatName of ["", "   ", "x".repeat(81), 5])
      expect((await agent.api.patch("/me", { chatName })).status, JSON.stringify(chatName)).toBe(400);
    const named = await agent.api.patch("/me", { chatName: "Anh Bảo" });
    expect(named.status, named.raw).toBe(200);
    expect(named.body).toMatchObject({ name: "Trần Văn Bảo", chatName: "Anh Bảo" });
    await agent.api.call("PUT", "/chat/availability", { availability: "online" });
    const s = await session();
    await widget(
      "/widget/api/profile",
      { name: "Mai", email: "mai@example.com", phone: "+84 90 123 45 67", topic: "Orders" },
      s.body.token,
    );
    const v = await connect(s.body.token);
    const text = "Xin chào 👋🏽 — my order 🇻🇳 is late ❤️";
    v.ws.send(JSON.stringify({ type: "message", clientId: "c1", text }));
    const ack = await v.next((f) => f.type === "ack" && f.clientId === "c1");
    expect(ack.message.text).toBe(text);
    const ticketId = ack.ticketId;
    t.clock.advance(1000);
    const ticket = (await admin.get(`/tickets/${ticketId}`)).body;
    expect(ticket.channel).toBe("chat");
    expect(ticket.subject).toContain("Orders");
    expect(ticket.assignee?.id).toBe(agent.user.id);
    // The agent's live chats by the visitor's name, and the same count as the badge reads.
    const mine = (await agent.api.get("/chat/mine")).body as Json[];
    // (Earlier suites' chats may have been handed to this agent when they came online.)
    expect(mine).toContainEqual(
      expect.objectContaining({
        ticketId,
        number: ticket.number,
        visitorName: "Mai",
        visitorEmail: "mai@example.com",
        topic: "Orders",
      }),
    );
    const badge = ((await agent.api.get("/chat/agents")).body as Json[]).find((x) => x.id === agent.user.id);
    expect(badge?.liveChats).toBe(mine.length);
    expect((await apiClient(t.app).get("/chat/mine")).status).toBe(401);
    const chat = (await agent.api.get(`/chat/tickets/${ticketId}`)).body;
    expect(chat.visitor.phone).toBe("+84901234567");
    const msgs = (await agent.api.get(`/tickets/${ticketId}/messages`)).body.items;
    expect(msgs[0].bodyText).toBe(text);

    expect((await agent.api.post(`/chat/tickets/${ticketId}/typing`, { typing: true })).status).toBe(204);
    const typing = await v.next((f) => f.type === "typing");
    expect(typing).toMatchObject({ typing: true, name: "Anh Bảo" });

    const reply = await agent.api.post(`/tickets/${ticketId}/messages`, {
      body: "<img src=x onerror=alert(1)> Chào Mai 😊",
    });
    expect(reply.status).toBe(201);
    const live = await v.next((f) => f.type === "message" && f.message.id === reply.body.id);
    expect(live.message.author).toBe("agent");
    expect(live.message.text).toBe("<img src=x onerror=alert(1)> Chào Mai 😊");
    expect(live.message.name).toBe("Anh Bảo");
    // An internal note never reaches the visitor.
    const note = await agent.api.post(`/tickets/${ticketId}/messages`, {
      body: "secret note",
      internal: true,
    });
    expect(note.status).toBe(201);
    v.ws.send(JSON.stringify({ type: "read", messageId: reply.body.id }));
    v.ws.send(JSON.stringify({ type: "ping" }));
    await v.next((f) => f.type === "pong");
    const after = (await agent.api.get(`/tickets/${ticketId}/messages`)).body.items;
    expect(after.find((m: Json) => m.id === reply.body.id).delivery.status).toBe("read");
    expect(v.frames.some((f) => JSON.stringify(f).includes("secret note"))).toBe(false);

    // A reload: the session and the socket bring the conversation back.
    const again = await session({ token: s.body.token });
    expect(again.body.messages.map((m: Json) => m.text)).toEqual([
      text,
      "<img src=x onerror=alert(1)> Chào Mai 😊",
    ]);
    const v2 = await connect(s.body.token);
    const ready = v2.frames.find((f) => f.type === "ready");
    expect(ready.messages).toHaveLength(2);

    // Another visitor sees none of it, and cannot read this chat with its own token.
    const other = await session();
    const o = await connect(other.body.token);
    await agent.api.post(`/tickets/${ticketId}/messages`, { body: "only for Mai" });
    await v.next((f) => f.type === "message" && f.message.text === "only for Mai");
    o.ws.send(JSON.stringify({ type: "ping" }));
    await o.next((f) => f.type === "pong");
    expect(o.frames.some((f) => JSON.stringify(f).includes("Mai"))).toBe(false);
    expect(o.frames.some((f) => f.type === "ticket" || f.type === "counts")).toBe(false);
    // Transcript by email is queued.
    const tr = await widget("/widget/api/transcript", {}, s.body.token);
    expect(tr.status).toBe(202);
    expect(tr.body.to).toBe("mai@example.com");
    const outbound = await t.database.query<{ kind: string; body_text: string }>(
      "select kind, body_text from outbound_emails where kind = 'transcript'",
    );
    expect(outbound[0]?.body_text).toContain("only for Mai");
    for (const c of [v, v2, o]) c.ws.close();
  });

  it("transfer with a note is recorded; an offline agent's chats are reassigned", async () => {
    const a = await createAgent(t, admin, { name: "An" });
    const b = await createAgent(t, admin, { name: "Binh" });
    await admin.call("PUT", "/chat/availability", { availability: "offline" });
    for (const x of [a, b]) await x.api.call("PUT", "/chat/availability", { availability: "online" });
    await admin.call("PUT", "/chat/settings", { maxChatsPerAgent: 5 });
    // Make sure only a and b are online.
    const agents = (await admin.get("/chat/agents")).body as Json[];
    for (const ag of agents)
      if (ag.availability === "online" && ![a.user.id, b.user.id].includes(ag.id)) {
        await t.database.query("update users set availability = 'offline' where id = $1", [ag.id]);
      }
    const s = await session();
    const v = await connect(s.body.token);
    v.ws.send(JSON.stringify({ type: "message", clientId: "x", text: "help" }));
    const ack = await v.next((f) => f.type === "ack");
    const first = (await admin.get(`/tickets/${ack.ticketId}`)).body.assignee.id;
    expect([a.user.id, b.user.id]).toContain(first);
    const from = first === a.user.id ? a : b;
    const to = first === a.user.id ? b : a;
    // A visitor who gave no name or email is named by the site they chat from.
    const unnamed = ((await from.api.get("/chat/mine")).body as Json[]).find(
      (c) => c.ticketId === ack.ticketId,
    );
    expect(unnamed).toMatchObject({ visitorName: null, visitorEmail: null, siteName: expect.any(String) });
    expect(((await to.api.get("/chat/mine")).body as Json[]).map((c) => c.ticketId)).not.toContain(
      ack.ticketId,
    );
    const tr = await from.api.post(`/chat/tickets/${ack.ticketId}/transfer`, {
      assigneeId: to.user.id,
      note: "VIP",
    });
    expect(tr.status).toBe(200);
    expect((await admin.get(`/tickets/${ack.ticketId}`)).body.assignee.id).toBe(to.user.id);
    const events = (await admin.get(`/tickets/${ack.ticketId}/events`)).body as Json[];
    expect(events.find((e) => e.type === "chat.transferred")?.data).toMatchObject({
      to: to.user.id,
      note: "VIP",
    });
    // The new assignee goes offline: the chat moves back to the other agent.
    await to.api.call("PUT", "/chat/availability", { availability: "offline" });
    expect((await admin.get(`/tickets/${ack.ticketId}`)).body.assignee.id).toBe(from.user.id);
    // Nobody online: the widget is offline and takes the message as an email ticket.
    await from.api.call("PUT", "/chat/availability", { availability: "offline" });
    const s2 = await session();
    expect(s2.body.online).toBe(false);
    expect(s2.body.nextAnswerAt).toBeTruthy();
    const off = await widget(
      "/widget/api/offline",
      { email: "late@example.com", message: "Call me back ☎️" },
      s2.body.token,
    );
    expect(off.status).toBe(201);
    const ticket = (await admin.get(`/tickets/${off.body.ticketId}`)).body;
    expect(ticket.channel).toBe("email");
    expect(ticket.tags).toContain("chat-offline");
    v.ws.close();
  });
});

describe("resending (issue 14, security item 5)", () => {
  const stored = async (text: string) =>
    Number(
      (
        await t.database.query<{ n: number }>(
          "select count(*)::int as n from messages where body_text = $1",
          [text],
        )
      )[0]?.n,
    );

  it("the same client id sent twice, and concurrently, is stored once and acknowledged with the stored message", async () => {
    const s = await session();
    const a = await connect(s.body.token);
    const b = await connect(s.body.token);
    // The chat's first message, sent at once on two sockets (the original and a resend).
    const first = JSON.stringify({ type: "message", clientId: "k1", text: "resend race opener" });
    a.ws.send(first);
    b.ws.send(first);
    const [ackA, ackB] = await Promise.all([
      a.next((f) => f.type === "ack" && f.clientId === "k1"),
      b.next((f) => f.type === "ack" && f.clientId === "k1"),
    ]);
    expect(ackB.message.id).toBe(ackA.message.id);
    expect(ackB.ticketId).toBe(ackA.ticketId);
    expect(await stored("resend race opener")).toBe(1);
    // Sent twice in a row on one socket: two acknowledgements of one message.
    a.ws.send(JSON.stringify({ type: "message", clientId: "k2", text: "twice" }));
    a.ws.send(JSON.stringify({ type: "message", clientId: "k2", text: "twice" }));
    await until(() => a.frames.filter((f) => f.type === "ack" && f.clientId === "k2").length === 2);
    const acks = a.frames.filter((f) => f.type === "ack" && f.clientId === "k2");
    expect(acks[1].message).toEqual(acks[0].message);
    expect(await stored("twice")).toBe(1);
    // Five concurrent calls of the service with one client id: one message.
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        visitorSays(t.services, s.body.visitor.id, { text: "five at once", clientId: "k3" }),
      ),
    );
    expect(new Set(results.map((r) => r.message.id)).size).toBe(1);
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    expect(await stored("five at once")).toBe(1);
    // Another visitor may use the same client id: it is theirs, not a duplicate.
    const other = await session();
    const o = await visitorSays(t.services, other.body.visitor.id, { text: "twice", clientId: "k2" });
    expect(o.duplicate).toBe(false);
    expect(o.ticketId).not.toBe(ackA.ticketId);
    expect(await stored("twice")).toBe(2);
    for (const c of [a, b]) c.ws.close();
  });

  it("a socket dropped before the ack: the resend after reconnecting is acknowledged with the message stored once", async () => {
    const s = await session();
    const v = await connect(s.body.token);
    v.ws.send(JSON.stringify({ type: "message", clientId: "d1", text: "opening line" }));
    const opened = await v.next((f) => f.type === "ack" && f.clientId === "d1");
    // Sent, then the connection dies before any answer can arrive.
    v.ws.send(JSON.stringify({ type: "message", clientId: "d2", text: "lost ack" }));
    v.ws.terminate();
    await until(async () => (await stored("lost ack")) === 1, { what: "the message sent before the drop" });
    // The widget reconnects: "ready" has the stored message, and the resend is answered with it.
    const again = await connect(s.body.token);
    const ready = again.frames.find((f) => f.type === "ready");
    const inReady = ready.messages.find((m: Json) => m.text === "lost ack");
    again.ws.send(JSON.stringify({ type: "message", clientId: "d2", text: "lost ack" }));
    const ack = await again.next((f) => f.type === "ack" && f.clientId === "d2");
    expect(ack.message.id).toBe(inReady.id);
    expect(ack.ticketId).toBe(opened.ticketId);
    // A message the server never saw (dropped with the socket) is stored by the resend.
    again.ws.send(JSON.stringify({ type: "message", clientId: "d3", text: "never arrived" }));
    await again.next((f) => f.type === "ack" && f.clientId === "d3");
    expect(await stored("lost ack")).toBe(1);
    expect(await stored("never arrived")).toBe(1);
    const msgs = (await admin.get(`/tickets/${opened.ticketId}/messages`)).body.items as Json[];
    // (The test clock stands still, so the order is not asserted.)
    expect(msgs.map((m) => m.bodyText).sort()).toEqual(["lost ack", "never arrived", "opening line"]);
    again.ws.close();
  });
});

describe("assignment", () => {
  it("an offline agent's chats are shared out by load among the online agents", async () => {
    // Only this test's chats and agents take part.
    await t.database.query("update chat_conversations set state = 'ended' where state = 'live'");
    await t.database.query("update users set availability = 'offline'");
    const p = await createAgent(t, admin, { name: "Pia" });
    const q = await createAgent(t, admin, { name: "Quan" });
    const r = await createAgent(t, admin, { name: "Rosa" });
    expect((await admin.call("PUT", "/chat/settings", { maxChatsPerAgent: 3 })).status).toBe(200);
    await p.api.call("PUT", "/chat/availability", { availability: "online" });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const s = await session();
      const v = await connect(s.body.token);
      v.ws.send(JSON.stringify({ type: "message", clientId: `a${i}`, text: `Chat ${i}` }));
      ids.push((await v.next((f) => f.type === "ack")).ticketId);
      v.ws.close();
    }
    const assignees = async () =>
      Promise.all(ids.map(async (id) => (await admin.get(`/tickets/${id}`)).body.assignee?.id ?? null));
    expect(await assignees()).toEqual([p.user.id, p.user.id, p.user.id]);
    for (const x of [q, r]) await x.api.call("PUT", "/chat/availability", { availability: "online" });
    await p.api.call("PUT", "/chat/availability", { availability: "offline" });
    // One sweep moves all three: the loads it counts as it assigns split them 2 and 1.
    const after = await assignees();
    const perAgent = [q.user.id, r.user.id].map((id) => after.filter((a) => a === id).length).sort();
    expect(perAgent).toEqual([1, 2]);
    for (const id of ids) {
      const events = (await admin.get(`/tickets/${id}/events`)).body as Json[];
      expect(events.find((e) => e.type === "chat.reassigned")?.data).toMatchObject({
        from: p.user.id,
        reason: "agent_unavailable",
      });
    }
  });
});

describe("abuse", () => {
  it("refuses a disallowed origin, an unknown key and a non-upgrade request", async () => {
    await expect(connect(null, "https://evil.example")).rejects.toThrow(/403/);
    await expect(connect(null, PAGE, "rs_unknown")).rejects.toThrow(/404/);
    const plain = await t.app.inject({ method: "GET", url: `/widget/ws?key=${site.key}` });
    expect(plain.statusCode).toBe(426);
  });

  it("a socket must authenticate with its own token; forged tokens are closed", async () => {
    const c = await connect(null);
    c.ws.send(JSON.stringify({ type: "message", clientId: "1", text: "hi" }));
    expect(await closed(c.ws)).toBe(4401);
    const d = await connect(null);
    d.ws.send(JSON.stringify({ type: "auth", token: "forged-token" }));
    expect(await closed(d.ws)).toBe(4401);
  });

  it("hostile frames get errors; oversized frames and floods close the socket; too many messages are limited", async () => {
    const s = await session();
    const c = await connect(s.body.token);
    c.ws.send("not json");
    await c.next((f) => f.code === "invalid_json");
    c.ws.send(
      JSON.stringify({ type: "message", clientId: "1", text: "x", __proto__: { admin: true }, extra: 1 }),
    );
    await c.next((f) => f.code === "invalid_frame");
    c.ws.send(JSON.stringify({ type: "message", clientId: "2", text: "x".repeat(4001) }));
    await c.next(
      (f) => f.code === "invalid_frame" && c.frames.filter((x) => x.code === "invalid_frame").length === 2,
    );
    c.ws.send(JSON.stringify({ type: "message", clientId: "3", text: "nul\u0000" }));
    await c.next((f) => f.code === "bad_request");
    for (let i = 0; i < 12; i++)
      c.ws.send(JSON.stringify({ type: "message", clientId: `m${i}`, text: `spam ${i}` }));
    await c.next((f) => f.code === "rate_limited", 20_000);
    c.ws.close();
    const big = await connect((await session()).body.token);
    big.ws.send(JSON.stringify({ type: "message", clientId: "b", text: "y".repeat(20_000) }));
    expect(await closed(big.ws)).toBe(1009);
    const flood = await connect((await session()).body.token);
    for (let i = 0; i < 60; i++) flood.ws.send(JSON.stringify({ type: "ping" }));
    expect(await closed(flood.ws)).toBe(1008);
  });

  it("an over-long message client id is refused with invalid_frame and nothing is stored", async () => {
    const s = await session();
    const visitorId = s.body.visitor.id as string;
    const c = await connect(s.body.token);
    const count = async (sql: string, param: string) =>
      (await t.database.query<{ n: number }>(sql, [param]))[0]?.n;
    const stored = (text: string) =>
      count("select count(*)::int as n from messages where body_text = $1", text);
    const keys = () =>
      count(
        `select count(*)::int as n from chat_message_keys k
           join chat_conversations c on c.ticket_id = k.ticket_id where c.visitor_id = $1`,
        visitorId,
      );
    const conversations = () =>
      count("select count(*)::int as n from chat_conversations where visitor_id = $1", visitorId);
    const errors = () => c.frames.filter((f) => f.code === "invalid_frame").length;
    for (const [i, clientId] of ["k".repeat(65), "🦀".repeat(65), "x".repeat(4000)].entries()) {
      const text = `long client id ${i}`;
      c.ws.send(JSON.stringify({ type: "message", clientId, text }));
      await c.next((f) => f.code === "invalid_frame" && errors() === i + 1);
      expect(c.frames.filter((f) => f.type === "ack")).toEqual([]);
      expect(await stored(text)).toBe(0);
    }
    // Nothing was opened for the visitor: no conversation, no ticket, no stored key.
    expect(await conversations()).toBe(0);
    expect(await keys()).toBe(0);
    // The socket stays usable: the longest allowed id (64) is stored with its message, once.
    const longest = "k".repeat(64);
    c.ws.send(JSON.stringify({ type: "message", clientId: longest, text: "long client id ok" }));
    const ack = await c.next((f) => f.type === "ack");
    expect(ack.clientId).toBe(longest);
    expect(await stored("long client id ok")).toBe(1);
    expect(await keys()).toBe(1);
    c.ws.close();
  });

  it("visitor API: no token 401, another visitor's attachment 404, wrong file types 415", async () => {
    expect((await widget("/widget/api/profile", { name: "x" })).status).toBe(401);
    expect((await widget("/widget/api/profile", { name: "x" }, "nope")).status).toBe(401);
    const s = await session();
    expect((await widget("/widget/api/profile", { phone: "abc" }, s.body.token)).status).toBe(400);
    expect((await widget("/widget/api/profile", { name: "x", role: "admin" }, s.body.token)).status).toBe(
      400,
    );
    const c = await connect(s.body.token);
    c.ws.send(JSON.stringify({ type: "message", clientId: "1", text: "file coming" }));
    await c.next((f) => f.type === "ack");
    const upload = async (name: string, type: string, data: Buffer, token: string) => {
      const boundary = "----rapport";
      const payload = Buffer.concat([
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: ${type}\r\n\r\n`,
        ),
        data,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      const res = await t.app.inject({
        method: "POST",
        url: "/widget/api/attachments",
        payload,
        headers: { "content-type": `multipart/form-data; boundary=${boundary}`, "x-visitor-token": token },
      });
      return { status: res.statusCode, body: JSON.parse(res.body) };
    };
    const png = Buffer.from(
      "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000a49444154789c6300010000050001",
      "hex",
    );
    const ok = await upload("pic.png", "image/png", png, s.body.token);
    expect(ok.status).toBe(201);
    expect(
      (await upload("x.exe", "application/x-msdownload", Buffer.from("MZ...."), s.body.token)).status,
    ).toBe(415);
    expect(
      (await upload("fake.png", "image/png", Buffer.from("<html><script>"), s.body.token)).status,
    ).toBeGreaterThanOrEqual(400);
    expect(
      (await upload("big.txt", "text/plain", Buffer.alloc(5 * 1024 * 1024 + 10, 97), s.body.token)).status,
    ).toBe(413);
    c.ws.send(
      JSON.stringify({ type: "message", clientId: "2", text: "see file", attachmentIds: [ok.body.id] }),
    );
    const ack = await c.next((f) => f.type === "ack" && f.clientId === "2");
    expect(ack.message.attachments[0].id).toBe(ok.body.id);
    const mine = await t.app.inject({
      method: "GET",
      url: `/widget/api/attachments/${ok.body.id}`,
      headers: { "x-visitor-token": s.body.token },
    });
    expect(mine.statusCode).toBe(200);
    const stranger = (await session()).body.token;
    const theirs = await t.app.inject({
      method: "GET",
      url: `/widget/api/attachments/${ok.body.id}`,
      headers: { "x-visitor-token": stranger },
    });
    expect(theirs.statusCode).toBe(404);
    c.ws.close();
  });

  it("the iframe page may only be framed by the site's origins", async () => {
    const res = await t.app.inject({ method: "GET", url: `/widget/app/frame.html?key=${site.key}` });
    // Without a build the page is a 404; with one, it carries frame-ancestors.
    if (res.statusCode === 200)
      expect(String(res.headers["content-security-policy"])).toContain(`frame-ancestors ${PAGE}`);
    else expect(res.statusCode).toBe(404);
    const unknown = await t.app.inject({ method: "GET", url: "/widget/app/frame.html?key=rs_none" });
    expect(unknown.statusCode).toBe(404);
  });
});

describe("business hours", () => {
  it("outside the site's hours the widget is offline and says when the next answer comes", async () => {
    const agent = await createAgent(t, admin);
    await agent.api.call("PUT", "/chat/availability", { availability: "online" });
    const res = await admin.post("/chat/sites", {
      ...site0,
      name: "Office hours",
      hours: { timeZone: "Asia/Ho_Chi_Minh", week: { "1": [{ start: "09:00", end: "17:00" }] } },
    });
    expect(res.status).toBe(201);
    const now = t.clock.now();
    try {
      // Sunday 2026-11-22 12:00 in Ho Chi Minh City (05:00 UTC): closed until Monday 09:00 (02:00 UTC).
      t.clock.set(new Date("2026-11-22T05:00:00Z"));
      const closed = await widget("/widget/api/session", { key: res.body.key, pageOrigin: PAGE });
      expect(closed.body.online).toBe(false);
      expect(closed.body.nextAnswerAt).toBe("2026-11-23T02:00:00.000Z");
      t.clock.set(new Date("2026-11-23T03:00:00Z"));
      const open = await widget("/widget/api/session", { key: res.body.key, pageOrigin: PAGE });
      expect(open.body.online).toBe(true);
      expect(open.body.nextAnswerAt).toBeNull();
    } finally {
      t.clock.set(now);
      await agent.api.call("PUT", "/chat/availability", { availability: "offline" });
    }
    const badHours = await admin.post("/chat/sites", {
      ...site0,
      hours: { timeZone: "UTC", week: { "1": [{ start: "9am", end: "17:00" }] } },
    });
    expect(badHours.status).toBe(400);
    const badZone = await admin.post("/chat/sites", {
      ...site0,
      hours: { timeZone: "Mars/Olympus", week: {} },
    });
    expect(badZone.status).toBe(400);
  });
});

describe("suggested articles (issue 15)", () => {
  it("the articles the widget suggested before the first message are linked to the chat's ticket", async () => {
    const cat = await admin.post("/kb/categories", { names: { en: { name: "Widget help" } } });
    expect(cat.status, cat.raw).toBe(201);
    const art = await admin.post("/kb/articles", {
      categoryId: cat.body.id,
      title: "Where is my parcel",
      body: "<p>Use the tracking number.</p>",
    });
    expect((await admin.post(`/kb/articles/${art.body.id}/publish`, {})).status).toBe(200);
    const anon = apiClient(t.app);
    const sid = "widget-sid-0001";
    const shown = await anon.post("/public/deflection/events", {
      sid,
      source: "widget",
      event: "shown",
      language: "en",
      articleIds: [art.body.id],
    });
    expect(shown.status, shown.raw).toBe(202);
    expect((await anon.get(`/public/deflection/open?article=${art.body.id}&lang=en&sid=${sid}`)).status).toBe(
      303,
    );
    const s = await session({ locale: "en" });
    const v = await connect(s.body.token);
    // A malformed session id is refused like any bad frame, and nothing is stored.
    v.ws.send(JSON.stringify({ type: "message", clientId: "s0", text: "parcel?", sid: "bad id!" }));
    await v.next((f) => f.code === "invalid_frame");
    v.ws.send(JSON.stringify({ type: "message", clientId: "s1", text: "My parcel is late", sid }));
    const ack = await v.next((f) => f.type === "ack" && f.clientId === "s1");
    const seen = await admin.get(`/tickets/${ack.ticketId}/seen-articles`);
    expect(seen.status, seen.raw).toBe(200);
    expect(seen.body.items).toEqual([
      expect.objectContaining({ articleId: art.body.id, source: "widget", openedAt: expect.any(String) }),
    ]);
    v.ws.close();
  });
});
