import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SYSTEM } from "../../auth/actor.ts";
import { withActor } from "../../context.ts";
import { jobs } from "../../jobs/jobs.table.ts";
import { startWorker, type Worker } from "../../jobs/worker.ts";
import {
  type Api,
  apiClient,
  createAgent,
  createTeam,
  createTicket,
  type Json,
  setupAdmin,
} from "../../test/factories.ts";
import { createTestApp, type TestApp } from "../../test/harness.ts";
import { until } from "../../test/until.ts";
import { emailJobHandlers } from "../email/email.runtime.ts";
import { startCapture } from "../email/email.testkit.ts";
import { users } from "../users/users.table.ts";
import { reportsScheduledModule } from "./scheduled.module.ts";
import { nextRun, SCHEDULED_JOB } from "./scheduled.service.ts";
import { reportSchedules } from "./scheduled.table.ts";

let t: TestApp;
let admin: Api;
let manager: { api: Api; user: Json; token: string };
let agent: { api: Api; user: Json };
let dara: { api: Api; user: Json };
let kavin: { api: Api; user: Json };
let team: { id: string; name: string };
let capture: Awaited<ReturnType<typeof startCapture>>;
let worker: Worker | undefined;

beforeAll(async () => {
  t = await createTestApp();
  t.clock.set(new Date("2026-12-01T03:00:00Z"));
  admin = (await setupAdmin(t)).api;
  capture = await startCapture();
  const mb = await admin.post("/email/mailboxes", {
    address: "support@sched.test",
    displayName: "Support",
    smtp: { host: "127.0.0.1", port: capture.port, tls: "none" },
  });
  expect(mb.status).toBe(201);
  team = await createTeam(admin, "Care");
  manager = await createAgent(t, admin, { name: "Minh Manager", role: "manager" });
  agent = await createAgent(t, admin, { name: "Anh Agent", teamIds: [team.id] });
  dara = await createAgent(t, admin, { name: "Dara", email: "dara@sched.test", teamIds: [team.id] });
  kavin = await createAgent(t, admin, { name: "Kavin", email: "kavin@sched.test" });
  await t.database.db.update(users).set({ locale: "km" }).where(eq(users.id, dara.user.id));
  await t.database.db.update(users).set({ locale: "ta" }).where(eq(users.id, kavin.user.id));
  for (const channel of ["email", "chat", "email"] as const) {
    t.clock.advance(3_600_000);
    await createTicket(admin, { channel, teamId: team.id });
  }
});
afterAll(async () => {
  await worker?.stop();
  await capture?.close();
  await t?.close();
});

const count = async () => (await t.database.db.select().from(reportSchedules)).length;
const valid = () => ({
  name: "Care daily",
  frequency: "daily",
  hour: 8,
  teamId: team.id,
  recipientIds: [dara.user.id, kavin.user.id],
});

describe("next run", () => {
  it("is the hour on the organization's wall clock, the weekday for weekly reports", () => {
    const now = new Date("2026-12-01T03:00:00Z"); // Tuesday 10:00 in Ho Chi Minh City (UTC+7)
    expect(
      nextRun(now, "Asia/Ho_Chi_Minh", { frequency: "daily", hour: 8, weekday: null }).toISOString(),
    ).toBe("2026-12-02T01:00:00.000Z");
    expect(
      nextRun(now, "Asia/Ho_Chi_Minh", { frequency: "daily", hour: 11, weekday: null }).toISOString(),
    ).toBe("2026-12-01T04:00:00.000Z");
    // Monday 08:00 local; Tuesday 10:00 is past this week's Monday.
    expect(nextRun(now, "Asia/Ho_Chi_Minh", { frequency: "weekly", hour: 8, weekday: 1 }).toISOString()).toBe(
      "2026-12-07T01:00:00.000Z",
    );
    // Across midnight: 23:00 local on Tuesday is 16:00 UTC the same day.
    expect(
      nextRun(now, "Asia/Ho_Chi_Minh", { frequency: "weekly", hour: 23, weekday: 2 }).toISOString(),
    ).toBe("2026-12-01T16:00:00.000Z");
  });
});

describe("scheduled reports API", () => {
  it("refuses plain agents and anonymous callers; a manager creates, reads, changes and deletes", async () => {
    expect((await agent.api.get("/reports/schedules")).status).toBe(403);
    expect((await agent.api.post("/reports/schedules", valid())).status).toBe(403);
    expect((await apiClient(t.app).get("/reports/schedules")).status).toBe(401);
    expect(await count()).toBe(0);

    const made = await manager.api.post("/reports/schedules", valid());
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({
      frequency: "daily",
      hour: 8,
      weekday: null,
      timeZone: "Asia/Ho_Chi_Minh",
    });
    expect(made.body.nextRunAt).toBe("2026-12-02T01:00:00.000Z");
    expect(made.body.recipients.map((r: Json) => r.locale).sort()).toEqual(["km", "ta"]);
    const id = made.body.id;
    expect((await agent.api.get(`/reports/schedules/${id}`)).status).toBe(403);
    expect((await agent.api.patch(`/reports/schedules/${id}`, { hour: 9 })).status).toBe(403);
    expect((await agent.api.post(`/reports/schedules/${id}/send`)).status).toBe(403);
    expect((await agent.api.delete(`/reports/schedules/${id}`)).status).toBe(403);

    const weekly = await manager.api.patch(`/reports/schedules/${id}`, { frequency: "weekly", weekday: 1 });
    expect(weekly.status).toBe(200);
    expect(weekly.body.nextRunAt).toBe("2026-12-07T01:00:00.000Z");
    expect((await admin.get("/reports/schedules")).body.items).toHaveLength(1);
    expect((await admin.delete(`/reports/schedules/${id}`)).status).toBe(204);
    expect((await admin.get(`/reports/schedules/${id}`)).status).toBe(404);
    expect((await admin.delete(`/reports/schedules/${id}`)).status).toBe(404);
  });

  it("rejects bad input with 400 and writes nothing", async () => {
    const bad: Json[] = [
      { ...valid(), frequency: "weekly" },
      { ...valid(), hour: 24 },
      { ...valid(), hour: "8" },
      { ...valid(), recipientIds: [] },
      { ...valid(), recipientIds: ["not-a-uuid"] },
      { ...valid(), recipientIds: ["00000000-0000-4000-8000-000000000000"] },
      { ...valid(), teamId: "00000000-0000-4000-8000-000000000000" },
      { ...valid(), name: "" },
      { ...valid(), extra: true },
      { ...valid(), frequency: "monthly" },
    ];
    for (const body of bad) {
      const res = await manager.api.post("/reports/schedules", body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBeTruthy();
    }
    const raw = await t.app.inject({
      method: "POST",
      url: "/api/v1/reports/schedules",
      headers: { authorization: `Bearer ${manager.token}`, "content-type": "application/json" },
      payload: "{not json",
    });
    expect(raw.statusCode).toBe(400);
    expect((await manager.api.patch("/reports/schedules/not-a-uuid", { hour: 1 })).status).toBe(400);
    expect(await count()).toBe(0);
  });
});

describe("the scheduled job", () => {
  it("sends each recipient the figures and PNG charts in their language over SMTP, then queues the next run", async () => {
    const made = await manager.api.post("/reports/schedules", valid());
    expect(made.status).toBe(201);
    const queued = await t.database.db
      .select()
      .from(jobs)
      .where(and(eq(jobs.kind, SCHEDULED_JOB), eq(jobs.status, "queued")));
    const job = queued.find((j) => (j.payload as Json).scheduleId === made.body.id);
    expect(job?.runAt.toISOString()).toBe("2026-12-02T01:00:00.000Z");
    if (!job) throw new Error("no job");

    t.clock.set(new Date("2026-12-02T01:00:05Z"));
    await reportsScheduledModule.jobs?.[SCHEDULED_JOB]?.run?.(withActor(t.services, SYSTEM), job);
    worker = await startWorker(t.services, emailJobHandlers, { pollMs: 20, backoffBaseMs: 50 });
    const mails = await until(() => capture.received.length >= 2 && capture.received, {
      what: "two reports",
    });
    const km = mails.find((m) => m.envelope.to.includes("dara@sched.test"));
    const ta = mails.find((m) => m.envelope.to.includes("kavin@sched.test"));
    expect(km?.mail.subject).toBe("របាយការណ៍ប្រចាំថ្ងៃ៖ Care daily");
    expect(ta?.mail.subject).toBe("தினசரி அறிக்கை: Care daily");
    for (const m of [km, ta]) {
      const pngs = m?.mail.attachments.filter((a) => a.contentType === "image/png") ?? [];
      expect(pngs).toHaveLength(2);
      for (const p of pngs) {
        expect(p.content.subarray(1, 4).toString()).toBe("PNG");
        expect(p.content.length).toBeGreaterThan(2000);
        // Shown inline by its Content-ID (mailparser puts the image into the HTML it parses).
        expect(p.related).toBe(true);
        expect(p.cid).toMatch(/^(trend|channels)-/);
      }
      expect(m?.mail.html).toContain("Care");
      expect((m?.mail.html || "").match(/<img src="data:image\/png;base64,/g)).toHaveLength(2);
    }
    expect(km?.mail.text).toContain("សំបុត្រថ្មី: 3");
    expect(ta?.mail.text).toContain("புதிய டிக்கெட்டுகள்: 3");

    const [row] = await t.database.db
      .select()
      .from(reportSchedules)
      .where(eq(reportSchedules.id, made.body.id));
    expect(row?.sentCount).toBe(1);
    expect(row?.nextRunAt.toISOString()).toBe("2026-12-03T01:00:00.000Z");
    const next = await t.database.db.select().from(jobs).where(eq(jobs.kind, SCHEDULED_JOB));
    expect(next.some((j) => (j.payload as Json).at === "2026-12-03T01:00:00.000Z")).toBe(true);

    // The old job run again (a retry) sends nothing: its time is no longer the schedule's.
    await reportsScheduledModule.jobs?.[SCHEDULED_JOB]?.run?.(withActor(t.services, SYSTEM), job);
    const sent = await manager.api.post(`/reports/schedules/${made.body.id}/send`);
    expect(sent.status).toBe(200);
    expect(sent.body.sent).toBe(2);
    await until(() => capture.received.length >= 4, { what: "the two previews" });
    expect(capture.received).toHaveLength(4);
  });
});
