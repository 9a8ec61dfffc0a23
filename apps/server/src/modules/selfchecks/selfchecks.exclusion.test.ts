import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Api,
  createAgent,
  createTeam,
  createTicket,
  type Json,
  setupAdmin,
} from "../../test/factories.ts";
import { createTestApp, type TestApp } from "../../test/harness.ts";

/**
 * A service self-check's ticket never counts in a report: every report endpoint answers the same
 * with and without check tickets, on the organization's unfiltered dashboard (which reads clocks,
 * surveys, reopens and transfers without joining tickets) and with a filter.
 */
let t: TestApp;
let admin: { api: Api; user: Json };
let agent: { api: Api; user: Json };
let team: { id: string };
const PERIOD = "from=2026-11-20T00:00:00Z&to=2026-11-30T00:00:00Z";
const QUERIES = [
  `/reports/overview?${PERIOD}`,
  `/reports/overview?${PERIOD}&channel=email`,
  `/reports/timeseries?${PERIOD}`,
  `/reports/heatmap?${PERIOD}`,
  `/reports/agents?${PERIOD}`,
  `/reports/tickets?${PERIOD}`,
  `/reports/csat?${PERIOD}`,
];

async function snapshot() {
  const out: Record<string, unknown> = {};
  for (const q of QUERIES) {
    const res = await admin.api.get(q);
    expect(res.status, q).toBe(200);
    out[q] = res.body;
  }
  return out;
}

/** A ticket answered, solved, reopened and solved again by the agent on 24 November. */
async function busyTicket(at: string) {
  t.clock.set(new Date(at));
  const tk = await createTicket(admin.api, { channel: "email", teamId: team.id, assigneeId: agent.user.id });
  t.clock.set(new Date(Date.parse(at) + 20 * 60_000));
  expect((await agent.api.post(`/tickets/${tk.id}/messages`, { body: "We are on it." })).status).toBe(201);
  expect((await agent.api.patch(`/tickets/${tk.id}`, { status: "solved" })).status).toBe(200);
  t.clock.set(new Date(Date.parse(at) + 60 * 60_000));
  expect((await agent.api.patch(`/tickets/${tk.id}`, { status: "open" })).status).toBe(200);
  expect((await agent.api.patch(`/tickets/${tk.id}`, { status: "solved" })).status).toBe(200);
  return tk as { id: string };
}

beforeAll(async () => {
  t = await createTestApp();
  admin = await setupAdmin(t);
  team = await createTeam(admin.api, "Care");
  agent = await createAgent(t, admin.api, { name: "Sokha", teamIds: [team.id] });
  await busyTicket("2026-11-24T03:00:00Z");
});
afterAll(async () => {
  await t?.close();
});

describe("self-check tickets in reports", () => {
  it("every report reads the same after check tickets are added", async () => {
    t.clock.set(new Date("2026-11-29T00:00:00Z"));
    const before = await snapshot();
    const check = await busyTicket("2026-11-25T04:00:00Z");
    t.clock.set(new Date("2026-11-29T00:00:00Z"));
    // Before the mark the new ticket counts: the comparison below can fail.
    expect((await snapshot())[`/reports/overview?${PERIOD}`]).not.toEqual(
      before[`/reports/overview?${PERIOD}`],
    );
    await t.database.query("update tickets set self_check_run_id = gen_random_uuid() where id = $1", [
      check.id,
    ]);
    expect(await snapshot()).toEqual(before);
  });
});
