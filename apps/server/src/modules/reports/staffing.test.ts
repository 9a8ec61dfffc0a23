import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Api, apiClient, createAgent, type Json, setupAdmin } from "../../test/factories.ts";
import { createTestApp, type TestApp } from "../../test/harness.ts";

let t: TestApp;
let admin: { api: Api; user: Json };
let agent: { api: Api; user: Json };

const body = {
  arrivals: 30,
  intervalSeconds: 3600,
  ahtSeconds: 300,
  targetAnswerSeconds: 20,
  serviceLevelGoal: 0.8,
};

beforeAll(async () => {
  t = await createTestApp();
  admin = await setupAdmin(t);
  agent = await createAgent(t, admin.api, { name: "Sokha" });
});
afterAll(async () => {
  await t?.close();
});

describe("POST /staffing/erlang-c", () => {
  it("answers the contract's six figures, for the given agents or for agentsNeeded", async () => {
    const five = await agent.api.post("/staffing/erlang-c", { ...body, agents: 5 });
    expect(five.status).toBe(200);
    expect(Object.keys(five.body).sort()).toEqual(
      [
        "agentsNeeded",
        "averageSpeedOfAnswerSeconds",
        "occupancy",
        "probabilityOfWaiting",
        "serviceLevel",
        "trafficErlangs",
      ].sort(),
    );
    expect(five.body.trafficErlangs).toBe(2.5);
    expect(five.body.probabilityOfWaiting * 100).toBeCloseTo(13.04, 2);
    const needed = await admin.api.post("/staffing/erlang-c", body);
    expect(needed.status).toBe(200);
    expect(needed.body.agentsNeeded).toBe(5);
    expect(needed.body.probabilityOfWaiting).toBeCloseTo(five.body.probabilityOfWaiting, 12);
    const six = await agent.api.post("/staffing/erlang-c", { ...body, agents: 6 });
    expect(six.body.probabilityOfWaiting * 100).toBeCloseTo(4.74, 2);
  });

  it("an unstable queue (A ≥ N) is a clear 400, not a number", async () => {
    const res = await agent.api.post("/staffing/erlang-c", { ...body, agents: 2 });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("bad_request");
    expect(res.body.error.message).toMatch(/never clears/);
    expect(res.body.error.details).toMatchObject({
      reason: "unstable_queue",
      trafficErlangs: 2.5,
      agents: 2,
    });
    const equal = await agent.api.post("/staffing/erlang-c", {
      ...body,
      arrivals: 36,
      ahtSeconds: 500,
      agents: 5,
    });
    expect(equal.status).toBe(400);
  });

  it("refuses bad input with a 400 and anonymous callers with a 401", async () => {
    const bad: unknown[] = [
      { ...body, serviceLevelGoal: 80 },
      { ...body, serviceLevelGoal: 1 },
      { ...body, ahtSeconds: 0 },
      { ...body, arrivals: -1 },
      { ...body, agents: 2.5 },
      { ...body, intervalSeconds: "3600" },
      { ...body, unknown: true },
      { ...body, arrivals: "<script>alert(1)</script>" },
      { ...body, arrivals: 10_000_000, ahtSeconds: 86_400, intervalSeconds: 60 },
      { arrivals: 30 },
    ];
    for (const payload of bad) {
      const res = await agent.api.post("/staffing/erlang-c", payload);
      expect(res.status, JSON.stringify(payload)).toBe(400);
      expect(res.body.error.code).toMatch(/bad_request|validation_failed/);
    }
    const malformed = await agent.api.call("POST", "/staffing/erlang-c", "{not json", {
      headers: { "content-type": "application/json" },
    });
    expect(malformed.status).toBe(400);
    const anon = await apiClient(t.app).post("/staffing/erlang-c", body);
    expect(anon.status).toBe(401);
  });
});
