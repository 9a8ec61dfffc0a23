import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectAgent, is, type FrameOf as Of, WsClient, wsUrl } from "../../realtime/ws-client.ts";
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

let t: TestApp;
let url: string;
let admin: { token: string; api: Api; user: Json };
let agent: { token: string; api: Api; user: Json };
let peer: { token: string; api: Api; user: Json };
let outsider: { token: string; api: Api; user: Json };
let manager: { token: string; api: Api; user: Json };
let team: { id: string };
let other: { id: string };

beforeAll(async () => {
  t = await createTestApp({ listen: true });
  url = wsUrl(t.app);
  admin = await setupAdmin(t);
  team = await createTeam(admin.api, "Billing");
  other = await createTeam(admin.api, "Sales");
  agent = await createAgent(t, admin.api, { name: "Priya", teamIds: [team.id] });
  peer = await createAgent(t, admin.api, { name: "Dara", teamIds: [team.id] });
  outsider = await createAgent(t, admin.api, { name: "Kavin", teamIds: [other.id] });
  manager = await createAgent(t, admin.api, { name: "Lan", role: "manager", teamIds: [] });
});
afterAll(async () => {
  WsClient.terminateAll();
  await t?.close();
});

const viewBody = (over: Record<string, unknown> = {}) => ({
  name: "Urgent VIP",
  filters: { status: ["new", "open"], priority: ["urgent"], tags: ["vip"] },
  columns: ["number", "subject", "priority", "updated"],
  sort: "created",
  order: "asc",
  ...over,
});
const ids = (page: Json) => page.items.map((x: Json) => x.id);

describe("custom views", () => {
  it("filters on fields, tags and SLA state, in the view's sort, and counts in /views/counts", async () => {
    const tag = `vip${Date.now() % 10000}`;
    const a = await createTicket(agent.api, { teamId: team.id, priority: "urgent", tags: [tag] });
    t.clock.advance(1000);
    const b = await createTicket(agent.api, { teamId: team.id, priority: "urgent", tags: [tag, "refund"] });
    await createTicket(agent.api, { teamId: team.id, priority: "low", tags: [tag] });
    await createTicket(agent.api, { teamId: team.id, priority: "urgent" });
    const res = await agent.api.post("/views", viewBody({ filters: { priority: ["urgent"], tags: [tag] } }));
    expect(res.status).toBe(201);
    const view = res.body;
    expect(view).toMatchObject({ key: `view:${view.id}`, editable: true, teamIds: [], sort: "created" });
    const page = (await agent.api.get(`/views/${view.id}/tickets`)).body;
    expect(ids(page)).toEqual([a.id, b.id]);
    const counts = (await agent.api.get("/views/counts")).body;
    expect(counts[view.key]).toBe(2);

    const two = await agent.api.patch(`/views/${view.id}`, {
      filters: { tags: [tag, "refund"] },
      order: "desc",
    });
    expect(two.status).toBe(200);
    expect(ids((await agent.api.get(`/views/${view.id}/tickets`)).body)).toEqual([b.id]);

    const count = async (sla: string) => {
      const v = await agent.api.post("/views", viewBody({ name: sla, filters: { sla, tags: [tag] } }));
      return (await agent.api.get(`/views/${v.body.id}/tickets`)).body.items.length as number;
    };
    // Every ticket of the setup's SLA policy has a running clock; none is late yet.
    expect(await count("running")).toBe(3);
    expect(await count("none")).toBe(0);
    expect(await count("overdue")).toBe(0);
    t.clock.advance(30 * 86_400_000);
    expect(await count("overdue")).toBe(3);
    expect(await count("due_soon")).toBe(0);
  });

  it("shares a view with a team; a shared view never shows a ticket the viewer may not see", async () => {
    const tag = `shared${Date.now() % 10000}`;
    const visible = await createTicket(admin.api, { teamId: team.id, tags: [tag] });
    const hidden = await createTicket(admin.api, { teamId: other.id, tags: [tag] });
    const created = await manager.api.post(
      "/views",
      viewBody({ name: "Shared tag", filters: { tags: [tag] }, teamIds: [team.id] }),
    );
    expect(created.status).toBe(201);
    const v = created.body;
    expect((await peer.api.get("/views")).body.map((x: Json) => x.id)).toContain(v.id);
    expect(ids((await peer.api.get(`/views/${v.id}/tickets`)).body)).toEqual([visible.id]);
    expect((await peer.api.get("/views/counts")).body[v.key]).toBe(1);
    expect(ids((await manager.api.get(`/views/${v.id}/tickets`)).body).sort()).toEqual(
      [visible.id, hidden.id].sort(),
    );
    // Not shared with the outsider's team: not even its existence.
    expect((await outsider.api.get(`/views/${v.id}`)).status).toBe(404);
    expect((await outsider.api.get(`/views/${v.id}/tickets`)).status).toBe(404);
    expect((await outsider.api.get("/views")).body.map((x: Json) => x.id)).not.toContain(v.id);
    // A member may use it, not change it; its owner and managers may.
    expect((await peer.api.patch(`/views/${v.id}`, { name: "Mine now" })).status).toBe(403);
    expect((await peer.api.delete(`/views/${v.id}`)).status).toBe(403);
    expect((await admin.api.patch(`/views/${v.id}`, { name: "Renamed" })).body.name).toBe("Renamed");
  });

  it("keeps personal views personal and limits sharing to one's own teams", async () => {
    const mine = (await agent.api.post("/views", viewBody({ name: "Personal" }))).body;
    expect((await peer.api.get(`/views/${mine.id}`)).status).toBe(404);
    expect((await admin.api.get(`/views/${mine.id}`)).status).toBe(404);
    expect((await peer.api.patch(`/views/${mine.id}`, { name: "x" })).status).toBe(404);
    expect((await agent.api.post("/views", viewBody({ teamIds: [other.id] }))).status).toBe(403);
    expect((await agent.api.patch(`/views/${mine.id}`, { teamIds: [other.id] })).status).toBe(403);
    expect((await admin.api.post("/views", viewBody({ teamIds: [crypto.randomUUID()] }))).status).toBe(400);
    expect((await apiClient(t.app).get("/views")).status).toBe(401);
    expect((await apiClient(t.app).post("/views", viewBody())).status).toBe(401);
    expect((await apiClient(t.app).get(`/views/${mine.id}/tickets`)).status).toBe(401);
    expect((await agent.api.delete(`/views/${mine.id}`)).status).toBe(204);
    expect((await agent.api.get(`/views/${mine.id}`)).status).toBe(404);
  });

  it("refuses bad input", async () => {
    for (const body of [
      {},
      viewBody({ name: "" }),
      viewBody({ name: "x".repeat(81) }),
      viewBody({ filters: { status: ["lost"] } }),
      viewBody({ filters: { unknown: 1 } }),
      viewBody({ filters: { sla: "late" } }),
      viewBody({ filters: { language: "<script>" } }),
      viewBody({ filters: { cf: { "Bad Key": "1" } } }),
      viewBody({ filters: { tags: Array.from({ length: 11 }, (_, i) => `t${i}`) } }),
      viewBody({ columns: ["password"] }),
      viewBody({ columns: [] }),
      viewBody({ sort: "random" }),
      viewBody({ extra: true }),
      viewBody({ filters: { value: [{ field: "password", op: "is", value: "x" }] } }),
      viewBody({ filters: { value: [{ field: "lifetime_spent", op: "gt", value: "lots" }] } }),
      viewBody({ filters: { value: [{ field: "segment", op: "in", value: "vip" }] } }),
      viewBody({ filters: { value: [{ field: "segment", op: "is", value: ["vip"] }] } }),
      viewBody({ filters: { value: [] } }),
    ]) {
      const res = await agent.api.post("/views", body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBeDefined();
    }
    const hostile = await agent.api.post("/views", viewBody({ name: "<img src=x onerror=alert(1)>" }));
    expect(hostile.status).toBe(201);
    expect(hostile.body.name).toBe("<img src=x onerror=alert(1)>");
    expect((await agent.api.get("/views/not-a-uuid/tickets")).status).toBe(400);
    expect((await agent.api.get(`/views/${hostile.body.id}/tickets?limit=0`)).status).toBe(400);
  });

  it("filters on the requester's customer value (segment, tier, lifetime spend, scores)", async () => {
    const tag = `value${Date.now() % 10000}`;
    const buyer = `buyer-${tag}@example.com`;
    const order = await admin.api.post("/orders", {
      contact: { email: buyer, name: "Buyer" },
      number: `V-${tag}`,
      placedAt: t.clock.now().toISOString(),
      status: "paid",
      currency: "USD",
      totalMinor: 90_000,
    });
    expect(order.status, order.raw).toBe(201);
    const bought = await createTicket(agent.api, {
      teamId: team.id,
      tags: [tag],
      requester: { email: buyer },
    });
    const never = await createTicket(agent.api, { teamId: team.id, tags: [tag] });
    const view = async (value: unknown[]) => {
      const res = await agent.api.post(
        "/views",
        viewBody({ name: `V ${value.length}`, filters: { tags: [tag], value } }),
      );
      expect(res.status, res.raw).toBe(201);
      return ids((await agent.api.get(`/views/${res.body.id}/tickets`)).body);
    };
    expect(await view([{ field: "segment", op: "is", value: "newcomer" }])).toEqual([bought.id]);
    expect(await view([{ field: "segment", op: "in", value: ["no_purchase", "lost"] }])).toEqual([never.id]);
    expect(await view([{ field: "lifetime_spent", op: "gt", value: 50_000 }])).toEqual([bought.id]);
    expect(await view([{ field: "lifetime_spent", op: "lt", value: 1 }])).toEqual([never.id]);
    expect(
      await view([
        { field: "purchases", op: "is", value: 1 },
        { field: "days_since_purchase", op: "lt", value: 30 },
      ]),
    ).toEqual([bought.id]);
    // No tier anywhere, no R score without a purchase: neither matches.
    expect(await view([{ field: "tier", op: "is", value: "gold" }])).toEqual([]);
    expect(await view([{ field: "r_score", op: "gt", value: 0 }]).then((x) => x.includes(never.id))).toBe(
      false,
    );
  });

  it("pushes a custom view's count live over the websocket", async () => {
    const tag = `live${Date.now() % 10000}`;
    const v = (await agent.api.post("/views", viewBody({ name: "Live", filters: { tags: [tag] } }))).body;
    const { ws, hello } = await connectAgent(url, agent.token);
    expect(hello.counts[v.key]).toBe(0);
    const tk = await createTicket(agent.api, { teamId: team.id, tags: [tag] });
    const up = await ws.next<Of<"view_counts">>(is("view_counts", (f) => f.counts[v.key] === 1));
    expect(up.counts[v.key]).toBe(1);
    // A change the event does not carry (a tag removed) moves the count too.
    await agent.api.patch(`/tickets/${tk.id}`, { removeTags: [tag] });
    await ws.next<Of<"view_counts">>(is("view_counts", (f) => f.counts[v.key] === 0));
    // A view made after connecting counts once the client says its views changed.
    const later = (await agent.api.post("/views", viewBody({ name: "Later", filters: { team: team.id } })))
      .body;
    ws.send({ type: "views" });
    const fresh = await ws.next<Of<"view_counts">>(is("view_counts", (f) => later.key in f.counts));
    expect(fresh.counts[later.key]).toBeGreaterThan(0);
    ws.close();
  });
});
