import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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
import { sendSurvey } from "../csat/csat.service.ts";
import { csatSurveys } from "../csat/csat.table.ts";
import { outboundEmails } from "../email/email.table.ts";

let t: TestApp;
let admin: { api: Api; user: Json };
let manager: { api: Api; user: Json };
let agent: { api: Api; user: Json };
let outsider: { api: Api; user: Json };
let reasonId: string;
const ids: string[] = [];
const PERIOD = "from=2026-11-20T00:00:00Z&to=2026-11-30T00:00:00Z";

beforeAll(async () => {
  t = await createTestApp();
  t.clock.set(new Date("2026-11-23T00:00:00Z"));
  admin = await setupAdmin(t);
  expect((await admin.api.patch("/settings", { timeZone: "Asia/Ho_Chi_Minh" })).status).toBe(200);
  const team = await createTeam(admin.api, "Care");
  manager = await createAgent(t, admin.api, { name: "Mai", role: "manager", teamIds: [team.id] });
  agent = await createAgent(t, admin.api, { name: "Sokha", teamIds: [team.id] });
  const other = await createTeam(admin.api, "Sales");
  outsider = await createAgent(t, admin.api, { name: "Kavin", teamIds: [other.id] });
  const reason = await admin.api.post("/csat/reasons", { labels: { en: "Too slow", vi: "Quá chậm" } });
  reasonId = reason.body.id;
  // Monday 23:30 and 23:50 local (UTC+7), Tuesday 00:30 local, Tuesday 09:00 local.
  for (const at of [
    "2026-11-23T16:30:00Z",
    "2026-11-23T16:50:00Z",
    "2026-11-23T17:30:00Z",
    "2026-11-24T02:00:00Z",
  ]) {
    t.clock.set(new Date(at));
    const tk = await createTicket(admin.api, { channel: "chat", teamId: team.id, assigneeId: null });
    ids.push(tk.id);
  }
  t.clock.set(new Date("2026-11-24T03:00:00Z"));
  expect((await admin.api.patch(`/tickets/${ids[0]}`, { status: "solved" })).status).toBe(200);
  // The customer rates the survey of ticket 0 bad, with a reason, on Tuesday 14:00 local.
  const [survey] = await t.database.db
    .select()
    .from(csatSurveys)
    .where(eq(csatSurveys.ticketId, ids[0] ?? ""));
  if (!survey) throw new Error("no survey scheduled");
  t.clock.set(new Date("2026-11-24T07:00:00Z"));
  await sendSurvey(t.services, survey.id);
  const [mail] = await t.database.db
    .select()
    .from(outboundEmails)
    .where(eq(outboundEmails.ticketId, ids[0] ?? ""));
  const token = /\/survey\/([A-Za-z0-9_-]+)/.exec(mail?.bodyText ?? "")?.[1];
  const rated = await apiClient(t.app).post(`/public/surveys/${token}`, { rating: "bad", reasonId });
  expect(rated.status).toBe(200);
  t.clock.set(new Date("2026-11-29T00:00:00Z"));
}, 180_000);
afterAll(async () => {
  await t?.close();
});

describe("GET /reports/tickets (drill-down)", () => {
  it("lists the tickets of one heatmap cell in the organization's zone, matching the heatmap's count", async () => {
    const heat = await manager.api.get(`/reports/heatmap?${PERIOD}`);
    const monday23 = heat.body.cells.find((c: Json) => c.weekday === 1 && c.hour === 23);
    expect(monday23.arrivals).toBe(2);
    const res = await manager.api.get(`/reports/tickets?${PERIOD}&weekday=1&hour=23`);
    expect(res.status).toBe(200);
    expect(res.body.timeZone).toBe("Asia/Ho_Chi_Minh");
    expect(res.body.items.map((i: Json) => i.id)).toEqual([ids[1], ids[0]]);
    const tuesday = await manager.api.get(`/reports/tickets?${PERIOD}&day=2026-11-24`);
    expect(tuesday.body.items.map((i: Json) => i.id)).toEqual([ids[3], ids[2]]);
  });

  it("drills into solved tickets with their timings", async () => {
    const res = await admin.api.get(`/reports/tickets?${PERIOD}&metric=solved&day=2026-11-24`);
    expect(res.body.items).toHaveLength(1);
    const [row] = res.body.items;
    expect(row.id).toBe(ids[0]);
    expect(row.resolutionSeconds).toBe(10.5 * 3600);
    expect(row.team).toBe("Care");
  });

  it("pages with a cursor without losing or repeating a ticket", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const q: string = `${PERIOD}&limit=1${cursor ? `&cursor=${cursor}` : ""}`;
      const res = await admin.api.get(`/reports/tickets?${q}`);
      expect(res.status).toBe(200);
      seen.push(...res.body.items.map((i: Json) => i.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
  });

  it("refuses agents (404), anonymous callers (401) and bad input (400)", async () => {
    expect((await agent.api.get(`/reports/tickets?${PERIOD}`)).status).toBe(404);
    expect((await apiClient(t.app).get(`/reports/tickets?${PERIOD}`)).status).toBe(401);
    for (const q of [
      "weekday=7",
      "hour=24",
      "hour=-1",
      "day=2026-13-01",
      "metric=deleted",
      "reasonId=1",
      "limit=501",
      "cursor=bm9wZQ",
      `cursor=${"x".repeat(300)}`,
      "unknown=1",
      "from=yesterday",
    ]) {
      const res = await admin.api.get(`/reports/tickets?${q}`);
      expect(res.status, q).toBe(400);
    }
  });

  it("gives the CSAT trend per day and the reasons of bad ratings, scoped like every report", async () => {
    const res = await manager.api.get(`/reports/csat?${PERIOD}`);
    expect(res.status).toBe(200);
    expect(res.body.days).toEqual([{ day: "2026-11-24", rated: 1, good: 0, rate: 0 }]);
    expect(res.body.reasons).toEqual([
      { id: reasonId, labels: { en: "Too slow", vi: "Quá chậm" }, count: 1 },
    ]);
    const theirs = await outsider.api.get(`/reports/csat?${PERIOD}`);
    expect(theirs.body).toMatchObject({ days: [], reasons: [] });
    expect((await apiClient(t.app).get(`/reports/csat?${PERIOD}`)).status).toBe(401);
    expect((await admin.api.get("/reports/csat?channel=fax")).status).toBe(400);
    const behind = await manager.api.get(
      `/reports/tickets?${PERIOD}&metric=rated&day=2026-11-24&reasonId=${reasonId}`,
    );
    expect(behind.body.items.map((i: Json) => i.id)).toEqual([ids[0]]);
    const otherDay = await manager.api.get(`/reports/tickets?${PERIOD}&metric=rated&day=2026-11-25`);
    expect(otherDay.body.items).toEqual([]);
  });
});

describe("GET /csat/preview (survey admin)", () => {
  it("shows the survey in the language asked, with the scale asked, to administrators only", async () => {
    const vi = await admin.api.get("/csat/preview?language=vi&scale=five");
    expect(vi.status).toBe(200);
    expect(vi.body.options).toHaveLength(5);
    expect(vi.body.subject).toContain("1042");
    const en = await admin.api.get("/csat/preview?language=en");
    expect(en.body.options.map((o: Json) => o.value)).toEqual(["good", "bad"]);
    expect(en.body.subject).not.toBe(vi.body.subject);
    expect((await manager.api.get("/csat/preview?language=en")).status).toBe(403);
    expect((await apiClient(t.app).get("/csat/preview?language=en")).status).toBe(401);
    for (const q of ["language=fr", "", "language=en&scale=ten", "language=en&x=1"])
      expect((await admin.api.get(`/csat/preview?${q}`)).status, q).toBe(400);
  });
});
