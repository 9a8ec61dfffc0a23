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
import { businessTimeBetween } from "../sla/business-hours.ts";
import { toCalendar } from "../sla/sla.service.ts";

let t: TestApp;
let admin: { api: Api; user: Json };
let agent: { api: Api; user: Json };
let outsider: { api: Api; user: Json };
let teamA: { id: string };
const M = 60_000;
const PERIOD = "from=2026-11-20T00:00:00Z&to=2026-11-30T00:00:00Z";

/** The p-th percentile as PostgreSQL's percentile_cont computes it (linear interpolation). */
function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const pos = (s.length - 1) * p;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return (s[lo] ?? 0) + ((s[hi] ?? 0) - (s[lo] ?? 0)) * (pos - lo);
}

beforeAll(async () => {
  t = await createTestApp();
  t.clock.set(new Date("2026-11-23T00:00:00Z"));
  admin = await setupAdmin(t);
  expect((await admin.api.patch("/settings", { timeZone: "Asia/Ho_Chi_Minh" })).status).toBe(200);
  teamA = await createTeam(admin.api, "Care");
  const teamB = await createTeam(admin.api, "Sales");
  agent = await createAgent(t, admin.api, { name: "Sokha", teamIds: [teamA.id] });
  outsider = await createAgent(t, admin.api, { name: "Kavin", teamIds: [teamB.id] });
  // Around local midnight in UTC+7: Monday 23:30 and Tuesday 00:30 local time.
  const plan: Array<{ at: string; channel: string; team: string; replyMin?: number; solveMin?: number }> = [
    { at: "2026-11-23T16:30:00Z", channel: "chat", team: teamA.id, replyMin: 3, solveMin: 20 },
    { at: "2026-11-23T17:30:00Z", channel: "chat", team: teamA.id, replyMin: 7, solveMin: 50 },
    { at: "2026-11-24T02:00:00Z", channel: "email", team: teamA.id, replyMin: 95 },
    { at: "2026-11-24T03:00:00Z", channel: "email", team: teamA.id },
    { at: "2026-11-25T04:00:00Z", channel: "email", team: teamB.id, replyMin: 30, solveMin: 240 },
  ];
  for (const p of plan) {
    t.clock.set(new Date(p.at));
    const tk = await createTicket(admin.api, { channel: p.channel, teamId: p.team, assigneeId: null });
    if (p.replyMin !== undefined) {
      t.clock.set(new Date(Date.parse(p.at) + p.replyMin * M));
      expect(
        (await admin.api.post(`/tickets/${tk.id}/messages`, { body: "Hello, we are on it." })).status,
      ).toBe(201);
    }
    if (p.solveMin !== undefined) {
      t.clock.set(new Date(Date.parse(p.at) + p.solveMin * M));
      expect((await admin.api.patch(`/tickets/${tk.id}`, { status: "solved" })).status).toBe(200);
    }
  }
  t.clock.set(new Date("2026-11-29T00:00:00Z"));
});
afterAll(async () => {
  await t?.close();
});

describe("reports", () => {
  it("the overview equals a recount from the raw ticket rows", async () => {
    const res = await admin.api.get(`/reports/overview?${PERIOD}`);
    expect(res.status).toBe(200);
    const raw = await t.database.query<{
      created_at: Date;
      first_response_at: Date | null;
      solved_at: Date | null;
      status: string;
    }>("select created_at, first_response_at, solved_at, status from tickets");
    const from = Date.parse("2026-11-20T00:00:00Z");
    const to = Date.parse("2026-11-30T00:00:00Z");
    const inP = (d: Date | null) => d !== null && new Date(d).getTime() >= from && new Date(d).getTime() < to;
    const secs = (a: Date, b: Date) => (new Date(b).getTime() - new Date(a).getTime()) / 1000;
    const fr = raw
      .filter((r) => inP(r.first_response_at))
      .map((r) => secs(r.created_at, r.first_response_at as Date));
    const rs = raw.filter((r) => inP(r.solved_at)).map((r) => secs(r.created_at, r.solved_at as Date));
    const c = res.body.current;
    expect(c.created).toBe(raw.filter((r) => inP(r.created_at)).length);
    expect(c.created).toBe(5);
    expect(c.solved).toBe(rs.length);
    expect(c.backlog).toBe(raw.filter((r) => r.solved_at === null && r.status !== "closed").length);
    expect(c.firstResponseSeconds).toEqual({
      p50: percentile(fr, 0.5),
      p90: percentile(fr, 0.9),
      count: fr.length,
    });
    expect(c.resolutionSeconds).toEqual({
      p50: percentile(rs, 0.5),
      p90: percentile(rs, 0.9),
      count: rs.length,
    });
    // First responses after 3, 7, 30 and 95 minutes: the median is 18.5 minutes.
    expect(c.firstResponseSeconds.p50).toBe(18.5 * 60);
    expect(res.body.previous.created).toBe(0);
  });

  it("the previous period's figures, read in the same statement, equal that period read on its own", async () => {
    // 24 Nov 12:00 – 30 Nov 00:00 and the 5.5 days before it: the tickets straddle the boundary.
    const both = await admin.api.get("/reports/overview?from=2026-11-24T12:00:00Z&to=2026-11-30T00:00:00Z");
    const alone = await admin.api.get("/reports/overview?from=2026-11-19T00:00:00Z&to=2026-11-24T12:00:00Z");
    expect(both.status).toBe(200);
    expect(both.body.previous.created).toBeGreaterThan(0);
    expect(both.body.current.created).toBeGreaterThan(0);
    expect(both.body.previous).toEqual(alone.body.current);
    for (const q of ["channel=chat", `teamId=${teamA.id}`, "priority=urgent"]) {
      const b = await admin.api.get(
        `/reports/overview?from=2026-11-24T12:00:00Z&to=2026-11-30T00:00:00Z&${q}`,
      );
      const a = await admin.api.get(
        `/reports/overview?from=2026-11-19T00:00:00Z&to=2026-11-24T12:00:00Z&${q}`,
      );
      expect(b.body.previous).toEqual(a.body.current);
    }
  });

  it("an agent's figures cover only the tickets they may see", async () => {
    const mine = await agent.api.get(`/reports/overview?${PERIOD}`);
    expect(mine.body.current.created).toBe(4);
    const theirs = await outsider.api.get(`/reports/overview?${PERIOD}`);
    expect(theirs.body.current.created).toBe(1);
    expect((await outsider.api.get(`/reports/heatmap?${PERIOD}`)).body.cells).toEqual([
      { channel: "email", weekday: 3, hour: 11, arrivals: 1 },
    ]);
    const agents = await outsider.api.get(`/reports/agents?${PERIOD}`);
    expect(agents.body.items.every((i: Json) => i.agent.id === outsider.user.id)).toBe(true);
  });

  it("the heatmap counts arrivals in the organization's zone (UTC+7) across midnight", async () => {
    const res = await admin.api.get(`/reports/heatmap?${PERIOD}&channel=chat`);
    expect(res.status).toBe(200);
    expect(res.body.timeZone).toBe("Asia/Ho_Chi_Minh");
    // 16:30 UTC Monday is 23:30 Monday local; 17:30 UTC Monday is 00:30 Tuesday local.
    expect(res.body.cells).toEqual([
      { channel: "chat", weekday: 1, hour: 23, arrivals: 1 },
      { channel: "chat", weekday: 2, hour: 0, arrivals: 1 },
    ]);
    const days = await admin.api.get(`/reports/timeseries?${PERIOD}&channel=chat`);
    expect(days.body.days).toEqual([
      { day: "2026-11-23", channel: "chat", created: 1, solved: 1 },
      { day: "2026-11-24", channel: "chat", created: 1, solved: 1 },
    ]);
  });

  it("staffing: Erlang C per hour for chat, workload for email, shrinkage applied", async () => {
    const res = await admin.api.get(`/reports/staffing?${PERIOD}&shrinkage=0.3`);
    expect(res.status).toBe(200);
    expect(res.body.cells).toHaveLength(3 * 7 * 24);
    const cell = res.body.cells.find((c: Json) => c.channel === "chat" && c.weekday === 1 && c.hour === 23);
    expect(cell.arrivalsPerHour).toBeCloseTo(1 / (10 / 7), 10);
    expect(cell.needed).toBeGreaterThanOrEqual(1);
    const empty = res.body.cells.find((c: Json) => c.channel === "phone" && c.weekday === 0 && c.hour === 3);
    expect(empty.needed).toBe(0);
  });

  it("business-hours timings equal a recount on the default calendar (Mon-Fri 09-17, UTC+7)", async () => {
    const [cal] = await t.database.query<Json>(
      "select time_zone, week, holidays from business_calendars where is_default",
    );
    const calendar = toCalendar({ timeZone: cal.time_zone, week: cal.week, holidays: cal.holidays } as Json);
    const raw = await t.database.query<{
      created_at: Date;
      first_response_at: Date | null;
      solved_at: Date | null;
    }>("select created_at, first_response_at, solved_at from tickets");
    const bt = (a: Date, b: Date) =>
      Math.round(businessTimeBetween(calendar, new Date(a).getTime(), new Date(b).getTime()) / 1000);
    const fr = raw
      .filter((r) => r.first_response_at)
      .map((r) => bt(r.created_at, r.first_response_at as Date));
    const rs = raw.filter((r) => r.solved_at).map((r) => bt(r.created_at, r.solved_at as Date));
    const c = (await admin.api.get(`/reports/overview?${PERIOD}`)).body.current;
    expect(c.firstResponseBusinessSeconds).toEqual({
      p50: percentile(fr, 0.5),
      p90: percentile(fr, 0.9),
      count: fr.length,
    });
    expect(c.resolutionBusinessSeconds).toEqual({
      p50: percentile(rs, 0.5),
      p90: percentile(rs, 0.9),
      count: rs.length,
    });
    // Chats at 23:30 and 00:30 local count no business time; the Tuesday 09:00 email answered
    // after 95 minutes counts 95; Wednesday 11:00 solved after 4 hours counts 4 hours.
    expect(fr.sort((a, b) => a - b)).toEqual([0, 0, 1800, 5700]);
    expect(rs.sort((a, b) => a - b)).toEqual([0, 0, 4 * 3600]);
    // Chat waiting: first agent messages after 3 and 7 minutes.
    expect(c.chatWaitSeconds).toMatchObject({ p50: 300, count: 2, unanswered: 0 });
    expect(c.chatWaitSeconds.p90).toBeCloseTo(180 + 0.9 * 240, 6);
  });

  it("a reopened ticket loses its business resolution time; solving again measures anew", async () => {
    t.clock.set(new Date("2026-11-26T02:00:00Z")); // Thursday 09:00 local
    const tk = await createTicket(admin.api, { channel: "email", teamId: teamA.id, assigneeId: null });
    t.clock.set(new Date("2026-11-26T03:00:00Z"));
    expect((await admin.api.patch(`/tickets/${tk.id}`, { status: "solved" })).status).toBe(200);
    const stored = async () =>
      (
        await t.database.query<{ r: number | null }>(
          "select resolution_business_seconds as r from tickets where id = $1",
          [tk.id],
        )
      )[0]?.r;
    expect(await stored()).toBe(3600);
    t.clock.set(new Date("2026-11-26T04:00:00Z"));
    expect((await admin.api.patch(`/tickets/${tk.id}`, { status: "open" })).status).toBe(200);
    expect(await stored()).toBeNull();
    t.clock.set(new Date("2026-11-26T12:00:00Z")); // 19:00 local, after hours
    expect((await admin.api.patch(`/tickets/${tk.id}`, { status: "solved" })).status).toBe(200);
    expect(await stored()).toBe(8 * 3600);
    await t.database.query("delete from tickets where id = $1", [tk.id]);
    t.clock.set(new Date("2026-11-29T00:00:00Z"));
  });

  it("promises kept on time and call-backs on time, scoped like their tickets", async () => {
    t.clock.set(new Date("2026-11-25T05:00:00Z"));
    const a = await createTicket(admin.api, { channel: "email", teamId: teamA.id, assigneeId: null });
    const b = await createTicket(admin.api, { channel: "phone", teamId: (await createTeam(admin.api)).id });
    const promise = async (ticketId: string, dueAt: string) => {
      const res = await admin.api.post("/promises", { ticketId, kind: "call_back", dueAt });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body.id as string;
    };
    const kept = await promise(a.id, "2026-11-26T00:00:00Z");
    const late = await promise(a.id, "2026-11-25T06:00:00Z");
    await promise(a.id, "2026-11-26T00:00:00Z"); // never kept: missed
    const cancelled = await promise(b.id, "2026-11-26T00:00:00Z");
    await promise(b.id, "2026-11-27T00:00:00Z"); // another team's, missed
    t.clock.set(new Date("2026-11-25T07:00:00Z"));
    for (const id of [kept, late])
      expect((await admin.api.patch(`/promises/${id}`, { status: "kept" })).status).toBe(200);
    expect((await admin.api.patch(`/promises/${cancelled}`, { status: "cancelled" })).status).toBe(200);
    const cb = async (windowStart: string, windowEnd: string, teamId: string | null) => {
      const res = await admin.api.post("/phone/callbacks", {
        name: "Dara",
        phone: "+85512345678",
        windowStart,
        windowEnd,
        teamId,
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body.id as string;
    };
    const onTime = await cb("2026-11-26T02:00:00Z", "2026-11-26T03:00:00Z", teamA.id);
    await cb("2026-11-26T04:00:00Z", "2026-11-26T05:00:00Z", teamA.id); // never tried
    t.clock.set(new Date("2026-11-26T02:30:00Z"));
    expect((await admin.api.post(`/phone/callbacks/${onTime}/outcome`, { outcome: "reached" })).status).toBe(
      200,
    );
    t.clock.set(new Date("2026-11-29T00:00:00Z"));

    const all = (await admin.api.get(`/reports/overview?${PERIOD}`)).body.current;
    expect(all.promisesKept).toEqual({ due: 4, keptOnTime: 1, late: 1, missed: 2, rate: 0.25 });
    expect(all.callbacksOnTime).toEqual({ due: 2, onTime: 1, rate: 0.5 });
    const raw = await t.database.query<{ n: number }>(
      "select count(*)::int as n from promises where status <> 'cancelled' and kept_on_time",
    );
    expect(raw[0]?.n).toBe(all.promisesKept.keptOnTime);
    // Team A's agent: team A's promises and call-backs only.
    const mine = (await agent.api.get(`/reports/overview?${PERIOD}`)).body.current;
    expect(mine.promisesKept).toEqual({ due: 3, keptOnTime: 1, late: 1, missed: 1, rate: 1 / 3 });
    expect(mine.callbacksOnTime.due).toBe(2);
    const theirs = (await outsider.api.get(`/reports/overview?${PERIOD}`)).body.current;
    expect(theirs.promisesKept.due).toBe(0);
    expect(theirs.callbacksOnTime.due).toBe(0);
    // A channel filter other than phone leaves call-backs out; "previous" has none.
    const email = (await admin.api.get(`/reports/overview?${PERIOD}&channel=email`)).body;
    expect(email.current.callbacksOnTime.due).toBe(0);
    expect(email.current.promisesKept.due).toBe(3);
    expect(email.previous.promisesKept.due).toBe(0);
  });

  it("refuses anonymous callers and bad input on every report", async () => {
    const anon = apiClient(t.app);
    for (const path of ["overview", "timeseries", "heatmap", "agents", "staffing"]) {
      expect((await anon.get(`/reports/${path}`)).status).toBe(401);
      for (const q of [
        "from=yesterday",
        "from=2026-11-30T00:00:00Z&to=2026-11-01T00:00:00Z",
        "from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z",
        "channel=fax",
        "language=fr",
        "teamId=<script>",
        "tag=a,b",
        "unknown=1",
      ]) {
        const res = await agent.api.get(`/reports/${path}?${q}`);
        expect(res.status, `${path}?${q}`).toBe(400);
      }
    }
    expect((await agent.api.get("/reports/staffing?shrinkage=1")).status).toBe(400);
    expect((await agent.api.get("/reports/staffing?serviceLevelGoal=80")).status).toBe(400);
  });

  it("every report honours the agent, language, tag and priority filters within the caller's visibility", async () => {
    // Give the seeded tickets different languages, tags, priorities and assignees (raw columns the
    // reports read), then compare each report with a recount of the rows the filter selects.
    const ids = (
      await t.database.query<{ id: string }>("select id from tickets order by created_at, number")
    ).map((r) => r.id);
    const set = (i: number, assignee: string | null, language: string, priority: string, tags: string[]) =>
      t.database.query(
        "update tickets set assignee_id = $2, language = $3, priority = $4::ticket_priority, tags = $5 where id = $1",
        [ids[i], assignee, language, priority, tags],
      );
    await set(0, agent.user.id as string, "vi", "high", ["vip"]);
    await set(1, agent.user.id as string, "en", "normal", ["vip", "refund"]);
    await set(2, null, "vi", "high", []);
    await set(3, outsider.user.id as string, "km", "low", ["refund"]);
    await set(4, outsider.user.id as string, "vi", "high", ["vip"]);
    const from = Date.parse("2026-11-20T00:00:00Z");
    const to = Date.parse("2026-11-30T00:00:00Z");
    const filters: Array<[string, string]> = [
      [`agentId=${agent.user.id}`, "assignee_id = $1"],
      ["language=vi", "language = $1"],
      ["tag=vip", "tags @> array[$1]::text[]"],
      ["priority=high", "priority = $1::ticket_priority"],
    ];
    const visible = {
      admin: "true",
      // Kavin is in Sales (team B): Sales tickets, unteamed ones and his own.
      outsider: `(team_id is null or team_id in (select id from teams where name = 'Sales') or assignee_id = '${outsider.user.id}')`,
    };
    for (const [who, caller] of [
      ["admin", admin],
      ["outsider", outsider],
    ] as const) {
      for (const [q, cond] of filters) {
        const value = decodeURIComponent(q.split("=")[1] as string);
        const rows = await t.database.query<{
          created_at: Date;
          solved_at: Date | null;
          channel: string;
          assignee_id: string | null;
        }>(
          `select created_at, solved_at, channel::text as channel, assignee_id from tickets where ${cond} and ${visible[who]}`,
          [value],
        );
        const inP = (d: Date | null) => d !== null && +new Date(d) >= from && +new Date(d) < to;
        const created = rows.filter((r) => inP(r.created_at)).length;
        const solved = rows.filter((r) => inP(r.solved_at)).length;
        if (who === "admin") expect(created, `${q}: the seed selects something`).toBeGreaterThan(0);
        const get = async (path: string) => {
          const res = await caller.api.get(`/reports/${path}${path.includes("?") ? "&" : "?"}${PERIOD}&${q}`);
          expect(res.status, `${who} ${path} ${q}`).toBe(200);
          return res.body;
        };
        const ov = await get("overview");
        expect([ov.current.created, ov.current.solved], `${who} overview ${q}`).toEqual([created, solved]);
        const ts = await get("timeseries");
        expect(ts.days.reduce((a: number, d: Json) => a + (d.created as number), 0)).toBe(created);
        expect(ts.days.reduce((a: number, d: Json) => a + (d.solved as number), 0)).toBe(solved);
        const hm = await get("heatmap");
        expect(hm.cells.reduce((a: number, c: Json) => a + (c.arrivals as number), 0)).toBe(created);
        const st = await get("staffing");
        const arrivals =
          st.cells.reduce((a: number, c: Json) => a + (c.arrivalsPerHour as number), 0) * st.weeks;
        expect(Math.round(arrivals)).toBe(
          rows.filter((r) => inP(r.created_at) && ["chat", "phone", "email"].includes(r.channel)).length,
        );
        const ag = await get("agents");
        if (who === "admin")
          expect(ag.items.reduce((a: number, i: Json) => a + (i.solved as number), 0)).toBe(
            rows.filter((r) => inP(r.solved_at) && r.assignee_id !== null).length,
          );
        expect((await get("csat")).days).toEqual([]);
        if (who === "admin") expect((await get("tickets?metric=created")).items).toHaveLength(created);
      }
    }
  });
});
