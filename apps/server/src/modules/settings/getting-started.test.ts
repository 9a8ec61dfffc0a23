import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Api,
  apiClient,
  createAgent,
  createTicket,
  multipart,
  setupAdmin,
} from "../../test/factories.ts";
import { createTestApp, type TestApp } from "../../test/harness.ts";

type Steps = { steps: Array<{ key: string; done: boolean }>; dismissed: boolean };
const done = (b: Steps) => b.steps.filter((s) => s.done).map((s) => s.key);

/** Issue 14: the getting-started checklist ticks each step from the data it is about. */
describe("getting started", () => {
  let t: TestApp;
  let admin: Api;
  beforeAll(async () => {
    t = await createTestApp();
    admin = (await setupAdmin(t)).api;
  });
  afterAll(() => t?.close());

  const state = async () => {
    const r = await admin.get("/getting-started");
    expect(r.status, r.raw).toBe(200);
    return r.body as Steps;
  };

  it("a new organization starts with nothing done, in the documented order", async () => {
    const s = await state();
    expect(s.steps.map((x) => x.key)).toEqual([
      "mailbox",
      "agents",
      "hours",
      "widget",
      "webForm",
      "contacts",
      "testTicket",
    ]);
    expect(done(s)).toEqual([]);
    expect(s.dismissed).toBe(false);
    // The admin's start-up call carries it, and says no mailbox can send.
    const boot = await admin.get("/bootstrap");
    expect(boot.body.parts.gettingStarted).toEqual(s);
    expect(boot.body.parts.emailSending).toEqual({ canSend: false });
  });

  it("no mailbox: the form does not promise an email answer; a mailbox without SMTP does not count", async () => {
    expect((await apiClient(t.app).get("/forms/config")).body.emailReplies).toBe(false);
    const inboundOnly = await admin.post("/email/mailboxes", { address: "in@acme.test", displayName: "In" });
    expect(inboundOnly.status, inboundOnly.raw).toBe(201);
    expect(done(await state())).toEqual([]);
    expect((await admin.get("/email/sending")).body).toEqual({ canSend: false });
  });

  it("a ticket created by hand is the first ticket; the SLA defaults it creates do not tick hours", async () => {
    await createTicket(admin);
    expect(done(await state())).toEqual(["testTicket"]);
  });

  it("each step ticks when its data exists", async () => {
    const mb = await admin.post("/email/mailboxes", {
      address: "support@acme.test",
      displayName: "Acme",
      smtp: { host: "127.0.0.1", port: 9, tls: "none" },
    });
    expect(mb.status, mb.raw).toBe(201);
    expect(done(await state())).toEqual(["mailbox", "testTicket"]);
    expect((await admin.get("/email/sending")).body).toEqual({ canSend: true });
    expect((await apiClient(t.app).get("/forms/config")).body.emailReplies).toBe(true);

    const agent = await createAgent(t, admin);
    expect(done(await state())).toEqual(["mailbox", "agents", "testTicket"]);
    // An agent may read whether mail can be sent, not the admin's checklist.
    expect((await agent.api.get("/email/sending")).body).toEqual({ canSend: true });
    expect((await agent.api.get("/getting-started")).status).toBe(403);
    expect((await agent.api.patch("/getting-started", { dismissed: true })).status).toBe(403);
    expect((await agent.api.get("/bootstrap")).body.parts.gettingStarted).toBeUndefined();

    const week = { "1": [{ start: "08:00", end: "17:00" }] };
    const cal = await admin.post("/sla/calendars", { name: "Office", timeZone: "Asia/Ho_Chi_Minh", week });
    expect(cal.status, cal.raw).toBe(201);
    expect(done(await state())).toContain("hours");

    const site = await admin.post("/chat/sites", {
      name: "Shop",
      allowedOrigins: ["https://shop.example"],
      appearance: { color: "#0055aa", position: "right", greeting: {} },
      languages: ["en"],
      prechat: { enabled: false, fields: [], required: [], topics: [] },
      hours: null,
      teamId: null,
      active: true,
    });
    expect(site.status, site.raw).toBe(201);
    expect(done(await state())).toContain("widget");

    const up = await admin.post("/imports?entity=contact&filename=c.csv", undefined, {
      headers: { "content-type": "text/csv" },
      payload: "Name,Email\nLê Văn Tám,tam@example.vn\n",
    });
    expect(up.status, up.raw).toBe(201);
    const run = await admin.post(`/imports/${up.body.id}/run`, { mapping: up.body.mapping });
    expect(run.status, run.raw).toBe(200);
    expect(done(await state())).toEqual(["mailbox", "agents", "hours", "widget", "contacts", "testTicket"]);

    const cfg = await apiClient(t.app).get("/forms/config");
    t.clock.advance(5000);
    const mp = await multipart({
      token: cfg.body.token,
      name: "Tester",
      email: "tester@example.com",
      subject: "Test ticket",
      message: "Does the form work?",
    });
    const sent = await apiClient(t.app).call("POST", "/forms/submit", undefined, {
      payload: mp.payload,
      headers: mp.headers,
      remoteAddress: "10.9.9.9",
    });
    expect(sent.status, sent.raw).toBe(201);
    expect(done(await state())).toEqual([
      "mailbox",
      "agents",
      "hours",
      "widget",
      "webForm",
      "contacts",
      "testTicket",
    ]);
  });

  it("an agent's reply on the web form's ticket is emailed to the customer", async () => {
    const [row] = (
      (await t.database.db.execute(
        "select id from tickets where channel = 'web' order by created_at desc limit 1" as never,
      )) as unknown as { rows: Array<{ id: string }> }
    ).rows;
    const reply = await admin.post(`/tickets/${row?.id}/messages`, { body: "Yes, it works." });
    expect(reply.status, reply.raw).toBe(201);
    const out = (
      (await t.database.db.execute(
        "select kind, to_addresses from outbound_emails where kind = 'reply'" as never,
      )) as unknown as { rows: Array<{ kind: string; to_addresses: string[] }> }
    ).rows;
    expect(out).toEqual([{ kind: "reply", to_addresses: ["tester@example.com"] }]);
  });

  it("dismiss and bring back; bad input is refused and nothing changes", async () => {
    for (const body of [{}, { dismissed: "yes" }, { dismissed: true, extra: 1 }]) {
      const r = await admin.patch("/getting-started", body);
      expect(r.status, JSON.stringify(body)).toBe(400);
    }
    expect((await state()).dismissed).toBe(false);
    expect((await admin.patch("/getting-started", { dismissed: true })).body.dismissed).toBe(true);
    expect((await state()).dismissed).toBe(true);
    expect((await admin.patch("/getting-started", { dismissed: false })).body.dismissed).toBe(false);
    expect((await apiClient(t.app).get("/getting-started")).status).toBe(401);
    expect((await apiClient(t.app).patch("/getting-started", { dismissed: true })).status).toBe(401);
    expect((await apiClient(t.app).get("/email/sending")).status).toBe(401);
  });
});
