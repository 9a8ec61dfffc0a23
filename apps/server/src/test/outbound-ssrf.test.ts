import { createHmac } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorker, type Worker } from "../jobs/worker.ts";
import { ALLOW_LIST_ENV, ALLOW_PRIVATE_ALIASES, ALLOW_PRIVATE_ENV, REFUSED_MESSAGE } from "../lib/ssrf.ts";
import { channelsModule } from "../modules/channels/channels.module.ts";
import { channelOutbound, webhookChannels } from "../modules/channels/channels.table.ts";
import { webhookJobHandlers } from "../modules/webhooks/webhooks.service.ts";
import { webhookDeliveries, webhooks } from "../modules/webhooks/webhooks.table.ts";
import { apiClient, setupAdmin } from "./factories.ts";
import { createTestApp, type TestApp } from "./harness.ts";

/**
 * The SSRF guard through the HTTP API, for every server-side request to a URL from outside
 * (issue 14): webhook-channel attachment downloads, the channel's outbound URL, outgoing
 * webhooks. Two loopback servers play the parts: `bridge` stands in for a public host (the
 * allow-list names its exact address and port, as an operator would for an on-premises
 * receiver), `internal` is a service the server must never reach.
 */

const PNG = Buffer.from(
  "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c63f8cfc0f01f0005000201e2213a3b0000000049454e44ae426082",
  "hex",
);
const SECRET = "INTERNAL-SECRET-7f3a";

let t: TestApp;
let admin: Awaited<ReturnType<typeof setupAdmin>>;

let worker: Worker;
let internal: http.Server;
let bridge: http.Server;
let internalHits = 0;
let ip: number; // the internal server's port
let bp: number; // the bridge's port
let closedPort: number; // allowed, but nothing listens there
let bridgeAnswer: { status: number; body: string } = { status: 200, body: '{"status":"delivered"}' };
const env = { ...process.env };

const listen = async (s: http.Server) => {
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  return (s.address() as AddressInfo).port;
};

beforeAll(async () => {
  for (const k of [ALLOW_PRIVATE_ENV, ...ALLOW_PRIVATE_ALIASES]) delete process.env[k];
  internal = http.createServer((_req, res) => {
    internalHits++;
    res.writeHead(200, { "content-type": "application/pdf" }).end(`%PDF-1.4 ${SECRET}`);
  });
  ip = await listen(internal);
  bridge = http.createServer((req, res) => {
    const u = new URL(req.url ?? "/", "http://bridge");
    if (req.method === "POST") res.writeHead(bridgeAnswer.status).end(bridgeAnswer.body);
    else if (u.pathname === "/pic.png") res.writeHead(200, { "content-type": "image/png" }).end(PNG);
    else if (u.pathname === "/redirect")
      res.writeHead(302, { location: u.searchParams.get("to") ?? "/" }).end();
    else res.writeHead(404).end();
  });
  bp = await listen(bridge);
  const probe = http.createServer();
  closedPort = await listen(probe);
  await new Promise((r) => probe.close(r));
  process.env[ALLOW_LIST_ENV] = `127.0.0.1:${bp},127.0.0.1:${closedPort}`;

  t = await createTestApp();
  admin = await setupAdmin(t);

  worker = await startWorker(
    t.services,
    { ...(channelsModule.jobs ?? {}), ...webhookJobHandlers },
    { pollMs: 20, backoffBaseMs: 60_000 },
  );
});
afterAll(async () => {
  await worker?.stop();
  process.env = env;
  await Promise.all([internal, bridge].map((s) => new Promise((r) => s.close(r))));
  await t?.close();
});

async function until<T>(read: () => Promise<T | undefined>, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 25));
  }
}

const count = async (table: string) => {
  const r = (await t.services.db.execute(sql.raw(`select count(*)::int as n from ${table}`))) as unknown as {
    rows: Array<{ n: number }>;
  };
  return Number(r.rows[0]?.n);
};

describe("webhook channel", () => {
  let channel: { id: string; inboundUrl: string; secret: string };
  let seq = 0;

  beforeAll(async () => {
    const res = await admin.api.post("/channels", {
      name: "Bridge",
      outboundUrl: `http://127.0.0.1:${bp}/out`,
    });
    expect(res.status, res.raw).toBe(201);
    channel = res.body;
  });

  /** Posts one signed inbound message from the bridge. */
  function inbound(payload: Record<string, unknown>) {
    t.clock.advance(1000);
    const body = JSON.stringify({
      sender: { id: "u-1", name: "Lan" },
      timestamp: Math.floor(t.clock.now().getTime() / 1000),
      ...payload,
    });
    const ts = Math.floor(t.clock.now().getTime() / 1000);
    return apiClient(t.app).call("POST", new URL(channel.inboundUrl).pathname, undefined, {
      payload: body,
      headers: {
        "content-type": "application/json",
        "x-rapport-timestamp": String(ts),
        "x-rapport-signature": `sha256=${createHmac("sha256", channel.secret).update(`${ts}.${body}`).digest("hex")}`,
        "x-rapport-delivery": `ssrf-${++seq}`,
      },
    });
  }
  const file = (url: string, i: number) => ({ url, filename: `f${i}.png`, contentType: "image/png" });
  async function withheldOf(messageId: string) {
    const r = (await t.services.db.execute(
      sql`select metadata from messages where id = ${messageId}`,
    )) as unknown as { rows: Array<{ metadata: { webhook: { withheld: Array<{ reason: string }> } } }> };
    return r.rows[0]?.metadata.webhook.withheld ?? [];
  }

  it("finding 1: attachment URLs in any loopback spelling, in 198.18/15 or behind a redirect are not fetched, with one reason", async () => {
    const files = await count("attachments");
    const toInternal = encodeURIComponent(`http://[::ffff:127.0.0.1]:${ip}/secret.pdf`);
    const urls = [
      `http://[::ffff:127.0.0.1]:${ip}/a`,
      `http://[::ffff:7f00:1]:${ip}/a`,
      `http://[0:0:0:0:0:ffff:7f00:1]:${ip}/a`,
      `http://2130706433:${ip}/a`,
      `http://0177.0.0.1:${ip}/a`,
      `http://0x7f.1:${ip}/a`,
      `http://127.1:${ip}/a`,
      `http://localhost.:${ip}/a`,
      "http://198.18.0.1/a",
      `http://127.0.0.1:${bp}/redirect?to=${toInternal}`,
    ];
    const first = await inbound({ externalConversationId: "f1", text: "files", attachments: urls.map(file) });
    expect(first.status, first.raw).toBe(200);
    const more = [
      "http://169.254.169.254/latest/meta-data/",
      `http://127.0.0.1:${closedPort}/a`, // allowed, but the port is closed: the same reason
      `http://127.0.0.1:${bp}/redirect?to=${encodeURIComponent(`http://localhost:${ip}/`)}`,
      `http://127.0.0.1:${bp}/redirect?to=${encodeURIComponent(`http://127.0.0.1:${bp}/pic.png`)}`,
    ];
    const second = await inbound({ externalConversationId: "f1", text: "more", attachments: more.map(file) });
    expect(second.status, second.raw).toBe(200);

    expect(internalHits).toBe(0);
    const reasons = [
      ...(await withheldOf(first.body.messageId)),
      ...(await withheldOf(second.body.messageId)),
    ].map((w) => w.reason);
    expect(reasons).toEqual(new Array(urls.length + more.length - 1).fill(REFUSED_MESSAGE));
    // Only the file behind a redirect to the allowed host was stored.
    expect(await count("attachments")).toBe(files + 1);
    const msgs = await admin.api.get(`/tickets/${first.body.ticketId}/messages`);
    expect(msgs.body.items.map((m: { attachments: unknown[] }) => m.attachments.length)).toEqual([0, 1]);
    const r = (await t.services.db.execute(
      sql`select count(*)::int as n from messages where body_text like ${`%${SECRET}%`}`,
    )) as unknown as { rows: Array<{ n: number }> };
    expect(r.rows[0]?.n).toBe(0);
  });

  it("finding 2: an outbound URL on loopback or link-local is refused when saved (400 url_not_allowed)", async () => {
    const channels = await count("webhook_channels");
    for (const outboundUrl of [
      "http://127.0.0.1/hook",
      "http://169.254.169.254/latest/meta-data/",
      `http://[::ffff:127.0.0.1]:${ip}/`,
      `http://localhost.:${ip}/`,
      "http://10.0.0.7/hook",
    ]) {
      const created = await admin.api.post("/channels", { name: "Evil", outboundUrl });
      expect([
        outboundUrl,
        created.status,
        created.body.error?.code,
        created.body.error?.details?.field,
      ]).toEqual([outboundUrl, 400, "url_not_allowed", "outboundUrl"]);
      const patched = await admin.api.patch(`/channels/${channel.id}`, { outboundUrl });
      expect([outboundUrl, patched.status, patched.body.error?.code]).toEqual([
        outboundUrl,
        400,
        "url_not_allowed",
      ]);
    }
    expect(await count("webhook_channels")).toBe(channels);
    const [row] = await t.services.db
      .select()
      .from(webhookChannels)
      .where(eq(webhookChannels.id, channel.id));
    expect(row?.outboundUrl).toBe(`http://127.0.0.1:${bp}/out`);
  });

  async function replyAndWait(conversation: string) {
    const msg = await inbound({ externalConversationId: conversation, text: "hello" });
    expect(msg.status, msg.raw).toBe(200);
    const reply = await admin.api.post(`/tickets/${msg.body.ticketId}/messages`, { body: "Answer" });
    expect(reply.status, reply.raw).toBe(201);
    return until(async () => {
      const [o] = await t.services.db
        .select()
        .from(channelOutbound)
        .where(eq(channelOutbound.messageId, reply.body.id));
      return o && (o.attempts as unknown[]).length > 0 && o.status !== "queued" ? o : undefined;
    });
  }

  it("finding 2: a stored outbound URL that points inside is refused at delivery; the log keeps no answer", async () => {
    // As if saved before the guard existed (or a name that now resolves to loopback).
    await t.services.db
      .update(webhookChannels)
      .set({ outboundUrl: `http://127.0.0.1:${ip}/hook` })
      .where(eq(webhookChannels.id, channel.id));
    try {
      const out = await replyAndWait("f2-blocked");
      expect(out.status).toBe("failed");
      expect(out.lastError).toBe(REFUSED_MESSAGE);
      expect(out.attempts).toEqual([expect.objectContaining({ status: 0, note: REFUSED_MESSAGE })]);
      expect(JSON.stringify(out)).not.toContain(SECRET);
      expect(internalHits).toBe(0);
    } finally {
      await t.services.db
        .update(webhookChannels)
        .set({ outboundUrl: `http://127.0.0.1:${bp}/out` })
        .where(eq(webhookChannels.id, channel.id));
    }
  });

  it("keeps only the status and a short printable excerpt of a bridge's answer", async () => {
    bridgeAnswer = { status: 410, body: `gone\u0000\u001b[2J${"x".repeat(5000)}` };
    try {
      const out = await replyAndWait("f2-excerpt");
      expect(out.status).toBe("failed");
      const note = (out.attempts as Array<{ status: number; note: string }>)[0];
      expect(note?.status).toBe(410);
      expect(note?.note.length).toBeLessThanOrEqual(120);
      expect(note?.note).toMatch(/^gone \[2Jx+…$/);
      expect(out.lastError?.length).toBeLessThanOrEqual(140);
    } finally {
      bridgeAnswer = { status: 200, body: '{"status":"delivered"}' };
    }
  });
});

describe("outgoing webhooks", () => {
  it("finding 3: IPv4-translated, IPv4-compatible, NAT64, 6to4 and `localhost.` targets are refused when saved", async () => {
    const before = await count("webhooks");
    for (const url of [
      `http://[::ffff:0:127.0.0.1]:${ip}/x`,
      `http://[::127.0.0.1]:${ip}/x`,
      `http://localhost.:${ip}/x`,
      "http://[64:ff9b::7f00:1]/x",
      "http://[2002:7f00:1::1]/x",
      "http://[::ffff:a9fe:a9fe]/latest/meta-data/",
      "http://0x7f.1/x",
    ]) {
      const res = await admin.api.post("/webhooks", { name: "evil", url, events: ["ticket.created"] });
      expect([url, res.status, res.body.error?.code]).toEqual([url, 400, "url_not_allowed"]);
    }
    expect(await count("webhooks")).toBe(before);
  });

  async function pingAndWait(url: string) {
    const hook = await admin.api.post("/webhooks", {
      name: "CRM",
      url: `http://127.0.0.1:${bp}/in`,
      events: ["ticket.created"],
    });
    expect(hook.status, hook.raw).toBe(201);
    await t.services.db.update(webhooks).set({ url }).where(eq(webhooks.id, hook.body.id));
    const ping = await admin.api.post(`/webhooks/${hook.body.id}/ping`);
    expect(ping.status, ping.raw).toBeLessThan(300);
    return until(async () => {
      const [d] = await t.services.db
        .select()
        .from(webhookDeliveries)
        .where(eq(webhookDeliveries.id, ping.body.deliveryId));
      return d && d.attempts > 0 ? d : undefined;
    });
  }

  it("finding 3: a stored target inside is refused at delivery with the same reason as a closed port", async () => {
    const blocked = await pingAndWait(`http://[::ffff:0:127.0.0.1]:${ip}/x`);
    const closed = await pingAndWait(`http://127.0.0.1:${closedPort}/x`);
    expect(internalHits).toBe(0);
    expect([blocked.error, blocked.responseCode]).toEqual([REFUSED_MESSAGE, null]);
    expect([closed.error, closed.responseCode]).toEqual([REFUSED_MESSAGE, null]);
    const failed = await until(async () => {
      const [d] = await t.services.db
        .select()
        .from(webhookDeliveries)
        .where(eq(webhookDeliveries.id, blocked.id));
      return d?.status === "failed" ? d : undefined;
    });
    expect(failed.attempts).toBe(1);
  });
});
