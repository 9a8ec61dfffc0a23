import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SYSTEM } from "../../auth/actor.ts";
import { withActor } from "../../context.ts";
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
import { answerTicketSurvey } from "../csat/csat.service.ts";
import { recordMonth, runMonthly } from "./recognition.service.ts";

let t: TestApp;
let admin: { api: Api; user: Json };
let manager: { api: Api; user: Json };
let anh: { api: Api; user: Json };
let dara: { api: Api; user: Json };
let binh: { api: Api; user: Json };
let chau: { api: Api; user: Json };
let outsider: { api: Api; user: Json };
let care: { id: string; name: string };
let sales: { id: string; name: string };
const M = 60_000;
const NOV = "2026-11";

/**
 * A ticket of the team, assigned, answered by the agent 5 minutes after it arrived (unless
 * `reply` is false), solved `solveMin` minutes after it arrived, rated or not.
 */
async function solved(
  agent: { api: Api; user: Json },
  at: string,
  solveMin: number,
  rating?: "good" | "bad",
  reply = true,
) {
  t.clock.set(new Date(at));
  const tk = await createTicket(admin.api, { channel: "email", teamId: care.id, assigneeId: agent.user.id });
  if (reply) {
    t.clock.set(new Date(Date.parse(at) + 5 * M));
    expect((await agent.api.post(`/tickets/${tk.id}/messages`, { body: "We are on it." })).status).toBe(201);
  }
  t.clock.set(new Date(Date.parse(at) + solveMin * M));
  expect((await admin.api.patch(`/tickets/${tk.id}`, { status: "solved" })).status).toBe(200);
  if (rating) await answerTicketSurvey(t.services, tk.id, { rating }, "portal");
  return tk;
}

beforeAll(async () => {
  t = await createTestApp();
  t.clock.set(new Date("2026-11-02T00:00:00Z"));
  admin = await setupAdmin(t);
  care = await createTeam(admin.api, "Care");
  sales = await createTeam(admin.api, "Sales");
  manager = await createAgent(t, admin.api, { name: "Minh Manager", role: "manager" });
  anh = await createAgent(t, admin.api, { name: "Anh", teamIds: [care.id] });
  dara = await createAgent(t, admin.api, { name: "Dara", teamIds: [care.id] });
  binh = await createAgent(t, admin.api, { name: "Binh", teamIds: [care.id] });
  chau = await createAgent(t, admin.api, { name: "Chau", teamIds: [care.id] });
  outsider = await createAgent(t, admin.api, { name: "Kavin", teamIds: [sales.id] });
  // Anh and Dara: two tickets each, solved in an hour, rated good: the same score (a tie).
  for (const a of [anh, dara]) {
    await solved(a, "2026-11-03T02:00:00Z", 60, "good");
    await solved(a, "2026-11-04T02:00:00Z", 60, "good");
  }
  // Binh: slower (two hours) and one bad rating.
  await solved(binh, "2026-11-05T02:00:00Z", 120, "good");
  await solved(binh, "2026-11-06T02:00:00Z", 120, "bad");
  // Chau: one ticket only, below the team's minimum of two.
  await solved(chau, "2026-11-07T02:00:00Z", 30, "good");
  // Solved on 30 November 17:40 UTC: 1 December 00:40 in the organization's UTC+7, not November.
  await solved(chau, "2026-11-30T17:10:00Z", 30);
  t.clock.set(new Date("2026-11-20T00:00:00Z"));
});
afterAll(async () => {
  await t?.close();
});

describe("recognition settings", () => {
  it("is off until an administrator turns it on; weights are validated", async () => {
    const get = await admin.api.get(`/recognition/teams/${care.id}/settings`);
    expect(get.status).toBe(200);
    expect(get.body).toMatchObject({ enabled: false, publicBoard: false, minSolved: 5 });
    expect(get.body.weights).toEqual({
      csat: 40,
      firstResponse: 25,
      resolution: 15,
      promises: 20,
      reopened: 30,
    });
    const bad = [
      { weights: { csat: 101, firstResponse: 0, resolution: 0, promises: 0, reopened: 0 } },
      { weights: { csat: 1 } },
      { minSolved: -1 },
      { enabled: "yes" },
      { enabled: true, extra: 1 },
    ];
    for (const body of bad)
      expect((await admin.api.patch(`/recognition/teams/${care.id}/settings`, body)).status).toBe(400);
    const on = await admin.api.patch(`/recognition/teams/${care.id}/settings`, {
      enabled: true,
      minSolved: 2,
    });
    expect(on.status).toBe(200);
    expect(on.body).toMatchObject({ enabled: true, publicBoard: false, minSolved: 2 });
  });

  it("only administrators change or read them; unknown teams are 404, bad ids 400", async () => {
    for (const who of [manager, anh])
      expect(
        (await who.api.patch(`/recognition/teams/${care.id}/settings`, { publicBoard: true })).status,
      ).toBe(403);
    expect((await anh.api.get(`/recognition/teams/${care.id}/settings`)).status).toBe(403);
    expect((await apiClient(t.app).get(`/recognition/teams/${care.id}/settings`)).status).toBe(401);
    expect(
      (
        await admin.api.patch("/recognition/teams/00000000-0000-4000-8000-000000000000/settings", {
          enabled: true,
        })
      ).status,
    ).toBe(404);
    expect((await admin.api.get("/recognition/teams/not-a-uuid/settings")).status).toBe(400);
  });
});

describe("the monthly board", () => {
  it("ranks by the weighted score; ties share first place; agents below the minimum are not ranked", async () => {
    const res = await manager.api.get(`/recognition/teams/${care.id}?month=${NOV}`);
    expect(res.status).toBe(200);
    expect(res.body.visibility).toBe("ranking");
    expect(res.body.from).toBe("2026-10-31T17:00:00.000Z");
    expect(res.body.to).toBe("2026-11-30T17:00:00.000Z");
    const rows = res.body.items.map((r: Json) => [r.agent.name, r.rank, r.score]);
    // Anh, Dara: CSAT 100 %, first responses on time (the default SLA), fastest resolution → 100.
    // Binh: CSAT 50 %, on time, half as fast: (40 × 0.5 + 25 × 1 + 15 × 0.5) ÷ 80 → 65.6.
    expect(rows).toEqual([
      ["Anh", 1, 100],
      ["Dara", 1, 100],
      ["Binh", 3, 65.6],
      ["Chau", null, null],
    ]);
    const binhRow = res.body.items[2];
    expect(binhRow.figures).toMatchObject({
      solved: 2,
      csatRated: 2,
      csatGood: 1,
      csatRate: 0.5,
      resolutionP50: 7200,
      resolutionScore: 0.5,
      firstResponseRate: 1,
      promiseRate: null,
    });
    // Chau's ticket of 30 November UTC is December in UTC+7.
    expect(res.body.items[3].figures.solved).toBe(1);
    const dec = await manager.api.get(`/recognition/teams/${care.id}?month=2026-12`);
    expect(dec.body.items.find((r: Json) => r.agent.name === "Chau").figures.solved).toBe(1);
  });

  it("a ticket solved without a public agent reply has no first response", async () => {
    // September: Binh solves one ticket without any reply and answers another before solving it.
    await solved(binh, "2026-09-08T02:00:00Z", 30, undefined, false);
    await solved(binh, "2026-09-09T02:00:00Z", 30);
    t.clock.set(new Date("2026-11-20T00:00:00Z"));
    const res = await manager.api.get(`/recognition/teams/${care.id}?month=2026-09`);
    expect(res.status).toBe(200);
    const row = res.body.items.find((r: Json) => r.agent.name === "Binh");
    expect(row.figures).toMatchObject({ solved: 2, firstResponses: 1, firstResponsesOnTime: 1 });
  });

  it("the administrator's weights change the score", async () => {
    await admin.api.patch(`/recognition/teams/${care.id}/settings`, {
      weights: { csat: 0, firstResponse: 0, resolution: 100, promises: 0, reopened: 30 },
    });
    const res = await admin.api.get(`/recognition/teams/${care.id}?month=${NOV}`);
    expect(res.body.items.map((r: Json) => [r.agent.name, r.score])).toEqual([
      ["Anh", 100],
      ["Dara", 100],
      ["Binh", 50],
      ["Chau", null],
    ]);
    await admin.api.patch(`/recognition/teams/${care.id}/settings`, {
      weights: { csat: 40, firstResponse: 25, resolution: 15, promises: 20, reopened: 30 },
    });
  });

  it("is private by default: an agent sees only their own row, without a rank", async () => {
    const res = await binh.api.get(`/recognition/teams/${care.id}?month=${NOV}`);
    expect(res.status).toBe(200);
    expect(res.body.visibility).toBe("own");
    expect(res.body.items).toHaveLength(1);
    expect(res.body.items[0]).toMatchObject({ agent: { name: "Binh" }, rank: null, score: 65.6 });
    // Another team's board, an unknown team: 404; bad month: 400; anonymous: 401.
    expect((await outsider.api.get(`/recognition/teams/${care.id}`)).status).toBe(404);
    expect((await binh.api.get("/recognition/teams/00000000-0000-4000-8000-000000000000")).status).toBe(404);
    for (const m of ["2026-13", "2026-1", "x", "2026-11-01", "1999-12"])
      expect((await binh.api.get(`/recognition/teams/${care.id}?month=${m}`)).status).toBe(400);
    expect((await binh.api.get(`/recognition/teams/${care.id}?month=${NOV}&x=1`)).status).toBe(400);
    expect((await apiClient(t.app).get(`/recognition/teams/${care.id}`)).status).toBe(401);
  });

  it("the public board shows the whole ranking to the team's members only", async () => {
    await admin.api.patch(`/recognition/teams/${care.id}/settings`, { publicBoard: true });
    const res = await binh.api.get(`/recognition/teams/${care.id}?month=${NOV}`);
    expect(res.body.visibility).toBe("ranking");
    expect(res.body.items).toHaveLength(4);
    expect((await outsider.api.get(`/recognition/teams/${care.id}?month=${NOV}`)).status).toBe(404);
    await admin.api.patch(`/recognition/teams/${care.id}/settings`, { publicBoard: false });
  });

  it("the agent's own trend is theirs alone", async () => {
    const res = await anh.api.get(`/recognition/me?teamId=${care.id}&months=2`);
    expect(res.status).toBe(200);
    expect(res.body.items.map((r: Json) => [r.month, r.score])).toEqual([
      ["2026-10", null],
      ["2026-11", 100],
    ]);
    expect((await outsider.api.get(`/recognition/me?teamId=${care.id}`)).status).toBe(404);
    expect((await anh.api.get(`/recognition/me?teamId=${care.id}&months=99`)).status).toBe(400);
    expect((await anh.api.get("/recognition/me")).status).toBe(400);
  });
});

describe("recording the month's winners", () => {
  it("the monthly job records every first place once and tells each winner", async () => {
    t.clock.set(new Date("2026-12-01T12:00:00Z"));
    const ctx = withActor(t.services, SYSTEM);
    const first = await runMonthly(ctx);
    expect(first.map((r) => r.userId).sort()).toEqual([anh.user.id, dara.user.id].sort());
    expect(await recordMonth(ctx, NOV)).toEqual([]);
    const notes = await anh.api.get("/notifications");
    expect(notes.status).toBe(200);
    const won = notes.body.items.filter((n: Json) => n.kind === "recognition.won");
    expect(won).toHaveLength(1);
    expect(won[0].title).toContain("Care");
    expect(
      (await binh.api.get("/notifications")).body.items.some((n: Json) => n.kind === "recognition.won"),
    ).toBe(false);
  });

  it("winners show on the board and the profile; a private board's awards stay private", async () => {
    const board = await manager.api.get(`/recognition/teams/${care.id}?month=${NOV}`);
    expect(board.body.winners.map((w: Json) => w.agent.name)).toEqual(["Anh", "Dara"]);
    const own = await binh.api.get(`/recognition/teams/${care.id}?month=${NOV}`);
    expect(own.body.winners).toEqual([]);
    const mine = await anh.api.get(`/recognition/users/${anh.user.id}/awards`);
    expect(mine.body.items).toEqual([
      {
        month: NOV,
        team: { id: care.id, name: "Care" },
        agent: { id: anh.user.id, name: "Anh" },
        score: 100,
      },
    ]);
    expect((await binh.api.get(`/recognition/users/${anh.user.id}/awards`)).body.items).toEqual([]);
    expect((await manager.api.get(`/recognition/users/${anh.user.id}/awards`)).body.items).toHaveLength(1);
    await admin.api.patch(`/recognition/teams/${care.id}/settings`, { publicBoard: true });
    expect((await binh.api.get(`/recognition/users/${anh.user.id}/awards`)).body.items).toHaveLength(1);
    expect((await binh.api.get("/recognition/users/nope/awards")).status).toBe(400);
  });
});
