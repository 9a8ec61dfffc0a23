import { createHmac } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorker, type Worker } from "../../jobs/worker.ts";
import { ALLOW_LIST_ENV } from "../../lib/ssrf.ts";
import { apiClient, createAgent, createTeam, setupAdmin } from "../../test/factories.ts";
import { createTestApp, type TestApp } from "../../test/harness.ts";
import { until } from "../../test/until.ts";
import { channelsModule } from "./channels.module.ts";

const PNG = Buffer.from(
  "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c63f8cfc0f01f0005000201e2213a3b0000000049454e44ae426082",
  "hex",
);

type Received = { headers: http.IncomingHttpHeaders; body: string; answered: number };

describe("webhook channel", () => {
  let t: TestApp;
  let admin: Awaited<ReturnType<typeof setupAdmin>>;
  let agent: Awaited<ReturnType<typeof createAgent>>;
  let worker: Worker;
  let receiver: http.Server;
  let receiverUrl: string;
  const received: Received[] = [];
  let failuresLeft = 2;
  let channel: { id: string; inboundUrl: string; secret: string };
  let inboundPath: string;
  let seq = 0;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await setupAdmin(t);
    const team = await createTeam(admin.api, "Messengers");
    agent = await createAgent(t, admin.api, { name: "Minh", teamIds: [team.id] });
    receiver = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c) => {
        body += c;
      });
      req.on("end", () => {
        const fail = failuresLeft > 0;
        if (fail) failuresLeft--;
        const status = fail ? 500 : 200;
        received.push({ headers: req.headers, body, answered: status });
        res.writeHead(status, { "content-type": "application/json" });
        res.end(fail ? '{"error":"try later"}' : '{"status":"delivered"}');
      });
    });
    await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/rapport`;
    // The bridge runs on loopback: the SSRF guard lets this one address and port through.
    allow((receiver.address() as AddressInfo).port);
    const res = await admin.api.post("/channels", {
      name: "Telegram",
      outboundUrl: receiverUrl,
      teamId: team.id,
    });
    expect(res.status, res.raw).toBe(201);
    channel = res.body;
    inboundPath = new URL(channel.inboundUrl).pathname;
    worker = await startWorker(t.services, channelsModule.jobs ?? {}, { pollMs: 20, backoffBaseMs: 30 });
  });
  afterAll(async () => {
    delete process.env[ALLOW_LIST_ENV];
    await worker?.stop();
    await new Promise((r) => receiver.close(r));
    await t.close();
  });

  const allow = (port: number) => {
    process.env[ALLOW_LIST_ENV] = [process.env[ALLOW_LIST_ENV], `127.0.0.1:${port}`]
      .filter(Boolean)
      .join(",");
  };
  const sign = (secret: string, ts: number | string, body: string) =>
    createHmac("sha256", secret).update(`${ts}.${body}`).digest("hex");
  const nowS = () => Math.floor(t.clock.now().getTime() / 1000);

  function post(body: string, headers: Record<string, string>) {
    return apiClient(t.app).call("POST", inboundPath, undefined, {
      payload: body,
      headers: { "content-type": "application/json", ...headers },
    });
  }
  function signed(payload: unknown, opts: { ts?: number; secret?: string; delivery?: string } = {}) {
    t.clock.advance(1000); // messages of one conversation get distinct times
    const body = typeof payload === "string" ? payload : JSON.stringify(payload);
    const ts = opts.ts ?? nowS();
    return post(body, {
      "x-rapport-timestamp": String(ts),
      "x-rapport-signature": `sha256=${sign(opts.secret ?? channel.secret, ts, body)}`,
      "x-rapport-delivery": opts.delivery ?? `d-${++seq}`,
    });
  }
  const msg = (extra: Record<string, unknown> = {}) => ({
    externalConversationId: "tg-chat-1001",
    sender: { id: "tg-user-42", name: "Lê Văn Nam", phone: "+84 91 234 5678" },
    text: "Xin chào, đơn hàng của tôi đâu rồi?",
    attachments: [],
    timestamp: new Date(t.clock.now()).toISOString(),
    ...extra,
  });

  async function counts() {
    const r = await t.services.db.execute(sql`select
      (select count(*) from tickets)::int as tickets, (select count(*) from messages)::int as messages,
      (select count(*) from contacts)::int as contacts, (select count(*) from channel_identities)::int as identities,
      (select count(*) from channel_conversations)::int as conversations, (select count(*) from attachments)::int as files,
      (select count(*) from channel_inbound where status <> 'refused')::int as accepted`);
    return (r as unknown as { rows: unknown[] }).rows[0];
  }
  const refusals = async () =>
    Number(
      (
        (await t.services.db.execute(sql`select count(*)::int as n from channel_refusals`)) as unknown as {
          rows: Array<{ n: number }>;
        }
      ).rows[0]?.n,
    );

  it("keeps no secret in the database and shows it once", async () => {
    const list = await admin.api.get("/channels");
    expect(JSON.stringify(list.body)).not.toContain(channel.secret);
    const rows = await t.services.db.execute(sql`select * from webhook_channels`);
    expect(JSON.stringify(rows)).not.toContain(channel.secret);
    expect(list.body.items[0].inboundUrl).toBe(channel.inboundUrl);
    expect((await agent.api.get("/channels")).status).toBe(403);
    expect((await agent.api.post("/channels", { name: "x" })).status).toBe(403);
  });

  it("a signed message creates a ticket; the conversation threads; the sender is one contact", async () => {
    const first = await signed(
      msg({
        attachments: [{ base64: PNG.toString("base64"), filename: "pic.png", contentType: "image/png" }],
      }),
    );
    expect(first.status, first.raw).toBe(200);
    const ticket = await agent.api.get(`/tickets/${first.body.ticketId}`);
    expect(ticket.body).toMatchObject({ channel: "webhook", subject: "Xin chào, đơn hàng của tôi đâu rồi?" });
    expect(ticket.body.team.name).toBe("Messengers");
    const second = await signed(msg({ text: "Mã đơn là 12345" }));
    expect(second.body.ticketId).toBe(first.body.ticketId);
    const msgs = await agent.api.get(`/tickets/${first.body.ticketId}/messages`);
    expect(msgs.body.items.map((m: { bodyText: string }) => m.bodyText)).toEqual([
      "Xin chào, đơn hàng của tôi đâu rồi?",
      "Mã đơn là 12345",
    ]);
    expect(msgs.body.items[0].attachments[0]).toMatchObject({
      filename: "pic.png",
      contentType: "image/png",
    });
    expect(msgs.body.items[0]).toMatchObject({
      channel: "webhook",
      author: { type: "customer", name: "Lê Văn Nam" },
    });
    // A new conversation is a new ticket for the same contact.
    const other = await signed(msg({ externalConversationId: "tg-chat-2002", text: "Câu hỏi khác" }));
    expect(other.body.ticketId).not.toBe(first.body.ticketId);
    const t2 = await agent.api.get(`/tickets/${other.body.ticketId}`);
    expect(t2.body.requester.id).toBe(ticket.body.requester.id);
    const contact = await agent.api.get(`/contacts/${ticket.body.requester.id}`);
    expect(contact.body.phones.map((p: { phone: string }) => p.phone)).toEqual(["+84912345678"]);
  });

  it("does not fetch attachment URLs on private addresses (the message is kept, the file withheld)", async () => {
    let hits = 0;
    const internal = http.createServer((_req, res) => {
      hits++;
      res.end("%PDF-1.4 secret");
    });
    await new Promise<void>((r) => internal.listen(0, "127.0.0.1", r));
    const res = await signed(
      msg({
        externalConversationId: "ssrf",
        text: "see file",
        attachments: [
          {
            url: `http://127.0.0.1:${(internal.address() as AddressInfo).port}/secret.pdf`,
            filename: "secret.pdf",
            contentType: "application/pdf",
          },
        ],
      }),
    );
    await new Promise((r) => internal.close(r));
    expect(res.status, res.raw).toBe(200);
    const msgs = await agent.api.get(`/tickets/${res.body.ticketId}/messages`);
    expect(msgs.body.items[0]).toMatchObject({ bodyText: "see file", attachments: [] });
    expect(hits).toBe(0);
  });

  it("matches a new sender to an existing contact by email, then by E.164 phone", async () => {
    const known = await admin.api.post("/contacts", {
      name: "Sophea",
      emails: ["sophea@example.kh"],
      phones: ["+85512777888"],
    });
    const byEmail = await signed(
      msg({
        externalConversationId: "c-email",
        sender: { id: "u-1", name: "S", email: "SOPHEA@example.kh" },
      }),
    );
    expect((await agent.api.get(`/tickets/${byEmail.body.ticketId}`)).body.requester.id).toBe(known.body.id);
    const byPhone = await signed(
      msg({ externalConversationId: "c-phone", sender: { id: "u-2", name: "S", phone: "+855 12 777 888" } }),
    );
    expect((await agent.api.get(`/tickets/${byPhone.body.ticketId}`)).body.requester.id).toBe(known.body.id);
  });

  it("refuses unsigned, forged, replayed and malformed calls, logs them, and writes nothing else", async () => {
    const before = await counts();
    const logged = await refusals();
    const body = JSON.stringify(msg({ text: "should never land" }));
    const cases: Array<
      [string, Promise<{ status: number; body: { error: { details: { reason: string } } } }>, number, string]
    > = [
      ["unsigned", post(body, {}), 401, "unsigned"],
      ["bad signature", signed(body, { secret: "whsec_wrong" }), 401, "bad_signature"],
      [
        "tampered body",
        post(body.replace("never", "ever"), {
          "x-rapport-timestamp": String(nowS()),
          "x-rapport-signature": `sha256=${sign(channel.secret, nowS(), body)}`,
        }),
        401,
        "bad_signature",
      ],
      ["old timestamp", signed(body, { ts: nowS() - 301 }), 401, "replayed"],
      ["future timestamp", signed(body, { ts: nowS() + 400 }), 401, "replayed"],
      [
        "bad timestamp",
        post(body, { "x-rapport-timestamp": "yesterday", "x-rapport-signature": "sha256=00" }),
        401,
        "bad_timestamp",
      ],
      ["not JSON", signed("{not json"), 400, "malformed"],
      [
        "missing sender",
        signed({ externalConversationId: "x", text: "hi", timestamp: 1_700_000_000 }),
        400,
        "malformed",
      ],
      ["unknown field", signed(msg({ admin: true })), 400, "malformed"],
      ["wrong types", signed(msg({ text: 42 })), 400, "malformed"],
      ["empty message", signed(msg({ text: "   " })), 400, "malformed"],
      ["proto pollution", signed('{"__proto__":{"x":1},"externalConversationId":"a"}'), 400, "malformed"],
      ["oversized id", signed(msg({ externalConversationId: "x".repeat(201) })), 400, "malformed"],
    ];
    for (const [name, p, status, reason] of cases) {
      const res = await p;
      expect(res.status, name).toBe(status);
      expect(res.body.error.details.reason, name).toBe(reason);
    }
    expect(await counts()).toEqual(before);
    // A repeated delivery id, and the same signed call again, are replays.
    const ok = await signed(msg({ externalConversationId: "replay-test" }), { delivery: "once" });
    expect(ok.status).toBe(200);
    const afterOk = await counts();
    const again = await signed(msg({ externalConversationId: "replay-test", text: "other" }), {
      delivery: "once",
    });
    expect(again.status).toBe(409);
    expect(again.body.error.details.reason).toBe("replayed");
    const ts = nowS();
    const b2 = JSON.stringify(msg({ externalConversationId: "replay-2" }));
    const headers = {
      "x-rapport-timestamp": String(ts),
      "x-rapport-signature": `sha256=${sign(channel.secret, ts, b2)}`,
    };
    expect((await post(b2, headers)).status).toBe(200);
    const afterSecond = await counts();
    expect((await post(b2, headers)).status).toBe(409);
    expect(await counts()).toEqual(afterSecond);
    expect(afterOk).not.toEqual(before);
    // Unknown channel keys are 404s.
    expect(
      (
        await apiClient(t.app).call("POST", "/api/v1/channels/inbound/nosuchchannelkey", undefined, {
          payload: "{}",
          headers: { "content-type": "application/json" },
        })
      ).status,
    ).toBe(404);

    // Nothing from the refused calls: only the two accepted ones changed the counts.
    const r = await t.services.db.execute(
      sql`select count(*)::int as n from messages where body_text = 'should never land'`,
    );
    expect((r as unknown as { rows: Array<{ n: number }> }).rows[0]?.n).toBe(0);
    expect(await refusals()).toBe(logged + cases.length + 3);
    const log = await admin.api.get(`/channels/refusals?channelId=${channel.id}`);
    expect(log.body.items.map((i: { code: string }) => i.code)).toContain("bad_signature");
    expect((await agent.api.get("/channels/refusals")).status).toBe(403);
  });

  it("posts agent replies signed to the outbound URL, retrying with backoff; the status shows on the message", async () => {
    const inbound = await signed(
      msg({ externalConversationId: "reply-test", sender: { id: "tg-user-77", name: "Hằng" } }),
    );
    const ticketId = inbound.body.ticketId;
    const note = await agent.api.post(`/tickets/${ticketId}/messages`, {
      body: "internal only",
      internal: true,
    });
    expect(note.status).toBe(201);
    const reply = await agent.api.post(`/tickets/${ticketId}/messages`, {
      body: "Chào chị Hằng, đơn đang giao.",
    });
    expect(reply.status, reply.raw).toBe(201);
    expect(reply.body.delivery.status).toBe("queued");
    const delivery = await until(
      async () => {
        const msgs = await agent.api.get(`/tickets/${ticketId}/messages`);
        const d = msgs.body.items.find((m: { id: string }) => m.id === reply.body.id).delivery;
        return d?.status === "delivered" && d;
      },
      { timeout: 60_000, what: "the reply to be delivered" },
    );
    expect(delivery.status).toBe("delivered");
    const mine = received.filter((r) => JSON.parse(r.body).message.id === reply.body.id);
    expect(mine.map((r) => r.answered)).toEqual([500, 500, 200]);
    for (const r of mine) {
      const ts = String(r.headers["x-rapport-timestamp"]);
      expect(r.headers["x-rapport-signature"]).toBe(`sha256=${sign(channel.secret, ts, r.body)}`);
      expect(r.headers["x-rapport-delivery"]).toBe(JSON.parse(r.body).deliveryId);
    }
    const payload = JSON.parse(mine[2]?.body ?? "{}");
    expect(payload).toMatchObject({
      type: "message",
      externalConversationId: "reply-test",
      recipient: { id: "tg-user-77", name: "Hằng" },
      message: { text: "Chào chị Hằng, đơn đang giao." },
      agent: { name: "Minh" },
    });
    expect(received.some((r) => r.body.includes("internal only"))).toBe(false);
    // The bridge reports the reply read later; an older report does not move it back.
    const read = await signed({
      type: "status",
      deliveryId: payload.deliveryId,
      status: "read",
      timestamp: nowS(),
    });
    expect(read.status, read.raw).toBe(200);
    expect(read.body).toMatchObject({ status: "updated", messageId: reply.body.id, delivery: "read" });
    await signed({ type: "status", deliveryId: payload.deliveryId, status: "delivered", timestamp: nowS() });
    const after = await agent.api.get(`/tickets/${ticketId}/messages`);
    expect(after.body.items.find((m: { id: string }) => m.id === reply.body.id).delivery.status).toBe("read");
    const unknown = await signed({
      type: "status",
      deliveryId: "00000000-0000-4000-8000-000000000000",
      status: "read",
      timestamp: nowS(),
    });
    expect(unknown.status).toBe(404);
    const bad = await signed({
      type: "status",
      deliveryId: payload.deliveryId,
      status: "eaten",
      timestamp: nowS(),
    });
    expect(bad.status).toBe(400);
  });

  it("a bridge that refuses a reply (4xx) fails it for good with the reason on the message", async () => {
    const inbound = await signed(msg({ externalConversationId: "gone-test" }));
    await admin.api.patch(`/channels/${channel.id}`, { outboundUrl: `${receiverUrl}/missing` });
    failuresLeft = 0;
    const broken = http.createServer((_req, res) => {
      res.writeHead(410);
      res.end("chat deleted");
    });
    await new Promise<void>((r) => broken.listen(0, "127.0.0.1", r));
    allow((broken.address() as AddressInfo).port);
    await admin.api.patch(`/channels/${channel.id}`, {
      outboundUrl: `http://127.0.0.1:${(broken.address() as AddressInfo).port}/`,
    });
    const reply = await agent.api.post(`/tickets/${inbound.body.ticketId}/messages`, { body: "Hello?" });
    const delivery = await until(
      async () => {
        const msgs = await agent.api.get(`/tickets/${inbound.body.ticketId}/messages`);
        const d: { status: string; error: string | null } | null = msgs.body.items.find(
          (m: { id: string }) => m.id === reply.body.id,
        ).delivery;
        return d?.status === "failed" && d;
      },
      { timeout: 60_000, what: "the reply to fail" },
    ).finally(() => new Promise((r) => broken.close(r)));
    expect(delivery).toMatchObject({ status: "failed" });
    expect(delivery?.error).toContain("HTTP 410");
    await admin.api.patch(`/channels/${channel.id}`, { outboundUrl: receiverUrl });
  });

  it("rotating the secret stops the old one at once", async () => {
    const rotated = await admin.api.post(`/channels/${channel.id}/rotate-secret`);
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).not.toBe(channel.secret);
    expect((await signed(msg({ externalConversationId: "rot" }))).status).toBe(401);
    channel = { ...channel, secret: rotated.body.secret };
    expect((await signed(msg({ externalConversationId: "rot" }))).status).toBe(200);
  });

  it("a merge moves channel identities to the surviving contact", async () => {
    const a = await signed(msg({ externalConversationId: "m-a", sender: { id: "merge-a", name: "A" } }));
    const b = await signed(msg({ externalConversationId: "m-b", sender: { id: "merge-b", name: "B" } }));
    const ca = (await agent.api.get(`/tickets/${a.body.ticketId}`)).body.requester.id;
    const cb = (await agent.api.get(`/tickets/${b.body.ticketId}`)).body.requester.id;
    expect(ca).not.toBe(cb);
    const merged = await admin.api.post(`/contacts/${ca}/merge`, { sourceIds: [cb] });
    expect(merged.status, merged.raw).toBe(200);
    const next = await signed(msg({ externalConversationId: "m-c", sender: { id: "merge-b", name: "B" } }));
    expect((await agent.api.get(`/tickets/${next.body.ticketId}`)).body.requester.id).toBe(ca);
  });
});
