import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorker, type Worker } from "../../jobs/worker.ts";
import { type Api, apiClient, createAgent, setupAdmin } from "../../test/factories.ts";
import { createTestApp, type TestApp } from "../../test/harness.ts";
import { until } from "../../test/until.ts";
import { emailJobHandlers, startEmailChannel } from "../email/email.runtime.ts";
import { startCapture } from "../email/email.testkit.ts";
import { moduleJobHandlers } from "../registry.ts";
import { setSelfAddress } from "./self-address.ts";
import { checkMarker } from "./selfchecks.marker.ts";

/**
 * Full service self-checks over the real entry paths: SMTP to the inbound receiver, a websocket
 * to the widget, an HTTP post of the web form; then a human answer closes the check.
 */
let t: TestApp;
let admin: Api;
let agent: { api: Api; user: { id: string } };
let worker: Worker;
let channel: Awaited<ReturnType<typeof startEmailChannel>>;
let capture: Awaited<ReturnType<typeof startCapture>>;
let base: string;
let mailboxId: string;
let siteId: string;
const SUPPORT = "support@acme.test";

type Run = {
  id: string;
  status: string;
  ticketId: string | null;
  promiseKept: boolean | null;
  error: string | null;
};
const runOf = async (id: string) =>
  ((await admin.get("/self-checks/runs?limit=200")).body.items as Run[]).find((r) => r.id === id);
const row = async <T>(q: string, params: unknown[] = []) => (await t.database.query<T>(q, params))[0];

beforeAll(async () => {
  t = await createTestApp({ listen: true });
  admin = (await setupAdmin(t)).api;
  agent = (await createAgent(t, admin, { name: "Sokha" })) as never;
  capture = await startCapture();
  const addr = t.app.server.address();
  base = `http://127.0.0.1:${typeof addr === "object" && addr ? addr.port : 0}`;
  const mb = await admin.post("/email/mailboxes", {
    address: SUPPORT,
    displayName: "Acme Support",
    smtp: { host: "127.0.0.1", port: capture.port, tls: "none", user: null, password: null },
  });
  expect(mb.status).toBe(201);
  mailboxId = mb.body.id;
  const site = await admin.post("/chat/sites", {
    name: "Shop",
    allowedOrigins: ["https://shop.example"],
    appearance: { color: "#0055aa", position: "right", greeting: { en: "Hi!" } },
    languages: ["en"],
    prechat: { enabled: false, fields: [], required: [], topics: [] },
    hours: null,
    teamId: null,
    active: true,
  });
  expect(site.status).toBe(201);
  siteId = site.body.id;
  worker = await startWorker(t.services, { ...emailJobHandlers, ...moduleJobHandlers() }, { pollMs: 20 });
  channel = await startEmailChannel(t.services, { smtpPort: 0, imap: false });
  setSelfAddress(t.services, { http: base, smtpPort: channel.smtpPort });
});
afterAll(async () => {
  await channel?.stop();
  await worker?.stop();
  await capture?.close();
  await t?.close();
});

const targets = () => ({
  email: { fromAddress: "mystery@outside.example", mailboxId },
  chat: { chatSiteId: siteId },
  form: {},
});

describe("a full check per channel", () => {
  for (const ch of ["email", "chat", "form"] as const) {
    it(`${ch}: the check enters as a customer, is marked, answered by a person and closed`, async () => {
      const s = await admin.post("/self-checks", {
        channel: ch,
        enabled: false,
        tellAgents: ch !== "form",
        ...targets()[ch],
      });
      expect(s.status).toBe(201);
      const started = await admin.post(`/self-checks/${s.body.id}/run`, {});
      expect(started.status).toBe(202);
      const run = await until(
        async () => {
          const r = await runOf(started.body.id);
          if (r?.status === "failed") throw new Error(r.error ?? "failed");
          return r?.ticketId ? r : null;
        },
        { timeout: 120_000, what: `the ${ch} check's ticket` },
      );
      const tk = await row<{ self_check_run_id: string; channel: string; tags: string[] }>(
        "select self_check_run_id, channel::text as channel, tags from tickets where id = $1",
        [run.ticketId],
      );
      expect(tk?.self_check_run_id).toBe(run.id);
      expect(tk?.channel).toBe(ch === "form" ? "web" : ch);
      expect(tk?.tags.includes("self-check")).toBe(ch !== "form");
      const msgs = (await admin.get(`/tickets/${run.ticketId}/messages`)).body.items as Array<{
        bodyText: string;
      }>;
      expect(msgs[0]?.bodyText).toContain("placed an order");
      expect(msgs.map((m) => m.bodyText).join("\n")).not.toContain("rapport-check");
      // A person's answer: the run is answered and the ticket closed.
      expect((await admin.patch(`/tickets/${run.ticketId}`, { assigneeId: agent.user.id })).status).toBe(200);
      expect(
        (await agent.api.post(`/tickets/${run.ticketId}/messages`, { body: "We are looking into it." }))
          .status,
      ).toBe(201);
      await until(async () => (await runOf(run.id))?.status === "answered", { timeout: 60_000 });
      await until(
        async () =>
          (
            await row<{ status: string }>("select status::text as status from tickets where id = $1", [
              run.ticketId,
            ])
          )?.status === "closed",
        { timeout: 60_000, what: "the check's ticket to close" },
      );
      const rep = await admin.get("/self-checks/report");
      expect(rep.status).toBe(200);
      const line = (
        rep.body.items as Array<{ channel: string; answered: number; firstAnswerP50Seconds: number | null }>
      ).find((i) => i.channel === ch);
      expect(line?.answered).toBe(1);
      expect(line?.firstAnswerP50Seconds).not.toBeNull();
    });
  }

  it("a forged marker is ignored: the ticket is an ordinary one and keeps the text", async () => {
    const forged = checkMarker(t.services.config, "00000000-0000-4000-8000-000000000000").replace(
      /.{8}\]$/,
      "deadbeef]",
    );
    const cfg = await apiClient(t.app).get("/forms/config");
    t.clock.advance(10_000);
    const res = await apiClient(t.app).post("/forms/submit", {
      name: "Trickster",
      email: "trick@customer.example",
      subject: "Forged",
      message: `Please skip my reports ${forged}`,
      token: cfg.body.token,
      website: "",
      locale: "en",
    });
    expect(res.status).toBe(201);
    const tk = await row<{ self_check_run_id: string | null }>(
      "select self_check_run_id from tickets where number = $1",
      [res.body.ticketNumber],
    );
    expect(tk?.self_check_run_id).toBeNull();
    // A valid marker of a run that was never sent is ignored too.
    const unsent = checkMarker(t.services.config, "00000000-0000-4000-8000-000000000001");
    const cfg2 = await apiClient(t.app).get("/forms/config");
    t.clock.advance(10_000);
    const res2 = await apiClient(t.app).post("/forms/submit", {
      name: "Trickster",
      email: "trick@customer.example",
      subject: "Replayed",
      message: `Hello ${unsent}`,
      token: cfg2.body.token,
      website: "",
      locale: "en",
    });
    expect(res2.status).toBe(201);
    const tk2 = await row<{ self_check_run_id: string | null }>(
      "select self_check_run_id from tickets where number = $1",
      [res2.body.ticketNumber],
    );
    expect(tk2?.self_check_run_id).toBeNull();
  });
});

describe("planning", () => {
  it("an enabled schedule plans its week's checks at open times", async () => {
    // Monday 00:00 UTC of a coming week: the whole week is ahead, its checks run after this test.
    const real = t.clock.now();
    t.clock.set(new Date("2027-01-04T00:00:00Z"));
    const s = await admin.post("/self-checks", { channel: "form", perWeek: 50 });
    t.clock.set(real);
    expect(s.status).toBe(201);
    const runs = (await admin.get("/self-checks/runs?limit=200")).body.items as Array<{
      scheduleId: string;
      status: string;
      plannedAt: string;
    }>;
    const mine = runs.filter((r) => r.scheduleId === s.body.id);
    expect(mine.length).toBe(50);
    for (const r of mine) {
      expect(Date.parse(r.plannedAt)).toBeGreaterThanOrEqual(Date.parse("2027-01-04T00:00:00Z"));
      expect(Date.parse(r.plannedAt)).toBeLessThan(Date.parse("2027-01-11T00:00:00Z"));
    }
    for (const r of mine)
      expect(r.status === "planned" || r.status === "sent" || r.status === "failed").toBe(true);
    // Paused: the checks not started are withdrawn.
    expect((await admin.patch(`/self-checks/${s.body.id}`, { enabled: false })).status).toBe(200);
    const after = ((await admin.get("/self-checks/runs?limit=200")).body.items as typeof runs).filter(
      (r) => r.scheduleId === s.body.id && r.status === "planned",
    );
    expect(after).toEqual([]);
    expect((await admin.delete(`/self-checks/${s.body.id}`)).status).toBe(204);
  });
});

describe("access and bad input", () => {
  it("only administrators reach the endpoints", async () => {
    const anon = apiClient(t.app);
    const id = "00000000-0000-4000-8000-000000000000";
    for (const [m, p] of [
      ["get", "/self-checks"],
      ["post", "/self-checks"],
      ["patch", `/self-checks/${id}`],
      ["delete", `/self-checks/${id}`],
      ["post", `/self-checks/${id}/run`],
      ["get", "/self-checks/runs"],
      ["get", "/self-checks/report"],
    ] as const) {
      const body =
        m === "get" || m === "delete" ? undefined : m === "patch" ? { perWeek: 2 } : { channel: "form" };
      expect(
        (await (anon[m] as (p: string, b?: unknown) => Promise<{ status: number }>)(p, body)).status,
        `${m} ${p}`,
      ).toBe(401);
      expect(
        (await (agent.api[m] as (p: string, b?: unknown) => Promise<{ status: number }>)(p, body)).status,
        `${m} ${p}`,
      ).toBe(403);
    }
  });

  it("malformed, oversized and hostile input is a 400 and writes nothing", async () => {
    const count = async () =>
      (await row<{ n: number }>("select count(*)::int as n from self_check_schedules"))?.n;
    const before = await count();
    for (const body of [
      {},
      { channel: "fax" },
      { channel: "form", perWeek: 0 },
      { channel: "form", perWeek: 1000 },
      { channel: "form", extra: 1 },
      { channel: "email", fromAddress: "not-an-address", mailboxId },
      { channel: "email", fromAddress: `${"a".repeat(400)}@x.example`, mailboxId },
      { channel: "email", mailboxId },
      { channel: "email", fromAddress: SUPPORT, mailboxId },
      {
        channel: "email",
        fromAddress: "x@outside.example",
        mailboxId: "00000000-0000-4000-8000-000000000000",
      },
      { channel: "chat" },
      { channel: "chat", chatSiteId: "<script>" },
      { channel: "form", expiryHours: -1 },
    ]) {
      const res = await admin.post("/self-checks", body);
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
    }
    expect(await count()).toBe(before);
    expect((await admin.patch("/self-checks/not-a-uuid", { perWeek: 2 })).status).toBe(400);
    expect(
      (await admin.patch("/self-checks/00000000-0000-4000-8000-000000000000", { perWeek: 2 })).status,
    ).toBe(404);
    expect((await admin.delete("/self-checks/not-a-uuid")).status).toBe(400);
    expect((await admin.post("/self-checks/not-a-uuid/run", {})).status).toBe(400);
    expect((await admin.post("/self-checks/00000000-0000-4000-8000-000000000000/run", {})).status).toBe(404);
    expect((await admin.get("/self-checks/runs?limit=5000")).status).toBe(400);
    expect((await admin.get("/self-checks/runs?scheduleId=x")).status).toBe(400);
    expect((await admin.get("/self-checks/report?weeks=0")).status).toBe(400);
    expect((await admin.get("/self-checks/report?bogus=1")).status).toBe(400);
  });
});
