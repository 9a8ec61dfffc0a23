import http from "node:http";
import type { AddressInfo } from "node:net";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorker } from "../../jobs/worker.ts";
import { ALLOW_PRIVATE_ENV, REFUSED_MESSAGE } from "../../lib/ssrf.ts";
import { type Api, createAgent, createTicket, setupAdmin } from "../../test/factories.ts";
import { createTestApp, type TestApp } from "../../test/harness.ts";
import { until } from "../../test/until.ts";
import { sign, verifySignature, webhookJobHandlers } from "./webhooks.service.ts";
import { webhookDeliveries } from "./webhooks.table.ts";

type Received = { headers: http.IncomingHttpHeaders; body: string };
let t: TestApp;
let admin: Api;
let receiver: http.Server;
let base: string;
const received: Received[] = [];
/** Answers 500 this many times before answering 200. */
let failuresLeft = 0;

beforeAll(async () => {
  process.env[ALLOW_PRIVATE_ENV] = "1";
  t = await createTestApp();
  admin = (await setupAdmin(t)).api;
  receiver = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => {
      body += c;
    });
    req.on("end", () => {
      received.push({ headers: req.headers, body });
      if (failuresLeft > 0) {
        failuresLeft--;
        res.writeHead(500).end("temporarily broken");
      } else res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
});
afterAll(async () => {
  delete process.env[ALLOW_PRIVATE_ENV];
  await new Promise((r) => receiver.close(r));
  await t.close();
});

describe("signatures", () => {
  it("verifies its own signature and refuses tampering, other secrets and stale timestamps", () => {
    const body = '{"a":1}';
    const now = 1_800_000_000;
    const header = sign("whsec_x", body, now);
    expect(header).toMatch(/^t=1800000000,v1=[0-9a-f]{64}$/);
    expect(verifySignature("whsec_x", header, body, now)).toBe(true);
    expect(verifySignature("whsec_x", header, '{"a":2}', now)).toBe(false);
    expect(verifySignature("whsec_y", header, body, now)).toBe(false);
    expect(verifySignature("whsec_x", header, body, now + 301)).toBe(false);
    expect(verifySignature("whsec_x", "garbage", body, now)).toBe(false);
    expect(verifySignature("whsec_x", "t=1800000000,v1=zz", body, now)).toBe(false);
  });
});

describe("delivery", () => {
  it("signs each event, retries a receiver that fails twice with backoff, and logs every attempt", async () => {
    const created = await admin.post("/webhooks", {
      name: "CRM",
      url: `${base}/hook`,
      events: ["ticket.created"],
    });
    expect(created.status).toBe(201);
    const secret = created.body.secret as string;
    expect(secret).toMatch(/^whsec_/);
    expect((await admin.get("/webhooks")).body[0].secret).toBeUndefined();

    failuresLeft = 2;
    received.length = 0;
    const ticket = await createTicket(admin);
    const worker = await startWorker(t.services, webhookJobHandlers, { pollMs: 20, backoffBaseMs: 50 });
    await until(async () => {
      const [d] = await t.database.db
        .select()
        .from(webhookDeliveries)
        .where(eq(webhookDeliveries.webhookId, created.body.id));
      return d?.status === "success";
    });
    await worker.stop();
    expect(received).toHaveLength(3);
    const last = received[2] as Received;
    const parsed = JSON.parse(last.body);
    expect(parsed).toMatchObject({
      event: "ticket.created",
      data: { ticket: { id: ticket.id, number: ticket.number } },
    });
    expect(last.headers["x-rapport-event"]).toBe("ticket.created");
    expect(last.headers["x-rapport-delivery"]).toBe(parsed.id);
    const sig = String(last.headers["x-rapport-signature"]);
    const ts = Number(/t=(\d+)/.exec(sig)?.[1]);
    expect(verifySignature(secret, sig, last.body, ts)).toBe(true);
    expect(verifySignature("whsec_wrong", sig, last.body, ts)).toBe(false);
    // The same delivery id on every attempt: receivers deduplicate on it.
    expect(new Set(received.map((r) => JSON.parse(r.body).id)).size).toBe(1);

    const log = (await admin.get(`/webhooks/${created.body.id}/deliveries`)).body;
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({
      status: "success",
      attempts: 3,
      responseCode: 204,
      error: null,
      event: "ticket.created",
    });
    expect(log[0].durationMs).toBeGreaterThanOrEqual(0);
    expect(log[0].deliveredAt).not.toBeNull();
  });

  it("gives up after the last attempt, records the failure, and an admin can send it again", async () => {
    const hook = await admin.post("/webhooks", {
      name: "Flaky",
      url: `${base}/flaky`,
      events: ["ticket.updated"],
    });
    failuresLeft = 1000;
    const ticket = await createTicket(admin);
    await admin.patch(`/tickets/${ticket.id}`, { priority: "high" });
    await t.database.db.execute(
      sql`update jobs set max_attempts = 2 where kind = 'webhooks.deliver' and status = 'queued'`,
    );
    const worker = await startWorker(t.services, webhookJobHandlers, { pollMs: 20, backoffBaseMs: 20 });
    await until(async () => {
      const [d] = await t.database.db
        .select()
        .from(webhookDeliveries)
        .where(eq(webhookDeliveries.webhookId, hook.body.id));
      return d?.status === "failed";
    });
    const [d] = (await admin.get(`/webhooks/${hook.body.id}/deliveries`)).body;
    expect(d).toMatchObject({ status: "failed", attempts: 2, responseCode: 500, error: "HTTP 500" });
    expect(d.payload.changes.priority).toEqual({ from: "normal", to: "high" });
    failuresLeft = 0;
    const again = await admin.post(`/webhooks/${hook.body.id}/deliveries/${d.id}/retry`);
    expect(again.body.status).toBe("pending");
    await until(async () => {
      const [x] = await t.database.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, d.id));
      return x?.status === "success";
    });
    await worker.stop();
    expect((await admin.post(`/webhooks/${hook.body.id}/deliveries/${d.id}/retry`)).status).toBe(400);
  });

  it("refuses private targets unless the flag allows them (SSRF guard), also at send time", async () => {
    const hook = await admin.post("/webhooks", {
      name: "Local",
      url: `${base}/x`,
      events: ["ticket.created"],
    });
    delete process.env[ALLOW_PRIVATE_ENV];
    try {
      for (const url of [
        "http://127.0.0.1:9/x",
        "http://[::1]/x",
        "http://10.0.0.1/x",
        "http://169.254.169.254/latest/meta-data",
        "http://localhost/x",
        "http://localhost./x",
        "http://[::ffff:0:127.0.0.1]/x",
        "http://[::127.0.0.1]/x",
      ]) {
        const res = await admin.post("/webhooks", { name: "evil", url, events: ["ticket.created"] });
        expect([url, res.status, res.body.error?.code]).toEqual([url, 400, "url_not_allowed"]);
      }
      await createTicket(admin);
      const worker = await startWorker(t.services, webhookJobHandlers, { pollMs: 20 });
      await until(async () => {
        const [d] = await t.database.db
          .select()
          .from(webhookDeliveries)
          .where(eq(webhookDeliveries.webhookId, hook.body.id));
        return d?.status === "failed";
      });
      await worker.stop();
      const [d] = (await admin.get(`/webhooks/${hook.body.id}/deliveries`)).body;
      expect(d.error).toBe(REFUSED_MESSAGE);
      expect(d.attempts).toBe(1);
    } finally {
      process.env[ALLOW_PRIVATE_ENV] = "1";
    }
  });

  it("only admins manage webhooks; bad input is refused", async () => {
    const agent = await createAgent(t, admin);
    const manager = await createAgent(t, admin, { role: "manager" });
    for (const api of [agent.api, manager.api]) {
      expect((await api.get("/webhooks")).status).toBe(403);
      expect(
        (await api.post("/webhooks", { name: "x", url: `${base}/a`, events: ["ticket.created"] })).status,
      ).toBe(403);
    }
    const bad = [
      { name: "x", url: "ftp://example.com/a", events: ["ticket.created"] },
      { name: "x", url: "https://user:pw@example.com/a", events: ["ticket.created"] },
      { name: "x", url: "not a url", events: ["ticket.created"] },
      { name: "x", url: `${base}/a`, events: [] },
      { name: "x", url: `${base}/a`, events: ["ticket.deleted"] },
      { name: "", url: `${base}/a`, events: ["ticket.created"] },
      { name: "x", url: `https://example.com/${"a".repeat(2001)}`, events: ["ticket.created"] },
      { name: "x", url: `${base}/a`, events: ["ticket.created"], secret: "mine" },
    ];
    for (const b of bad) expect((await admin.post("/webhooks", b)).status).toBe(400);
    const id = crypto.randomUUID();
    expect((await admin.get(`/webhooks/${id}/deliveries`)).status).toBe(404);
    expect((await admin.delete(`/webhooks/${id}`)).status).toBe(404);
    const w = await admin.post("/webhooks", {
      name: "Rotate",
      url: `${base}/r`,
      events: ["message.created"],
    });
    const rotated = await admin.post(`/webhooks/${w.body.id}/rotate-secret`);
    expect(rotated.body.secret).not.toBe(w.body.secret);
    expect((await admin.delete(`/webhooks/${w.body.id}`)).status).toBe(204);
  });
});
