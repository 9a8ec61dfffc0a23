import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAgent, createTeam, setupAdmin } from "../../test/factories.ts";
import { createTestApp, type TestApp } from "../../test/harness.ts";

describe("users and teams", () => {
  let t: TestApp;
  let admin: Awaited<ReturnType<typeof setupAdmin>>;
  beforeAll(async () => {
    t = await createTestApp();
    admin = await setupAdmin(t);
  });
  afterAll(() => t.close());

  it("creates users with role, languages and teams, and lists them", async () => {
    const team = await createTeam(admin.api, "Billing");
    const res = await admin.api.post("/users", {
      name: "Sokha Chan",
      email: "Sokha@Acme.test",
      role: "manager",
      password: "correct-horse-battery",
      languages: ["km", "en"],
      teamIds: [team.id],
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      name: "Sokha Chan",
      email: "sokha@acme.test",
      role: "manager",
      languages: ["km", "en"],
      teamIds: [team.id],
    });
    const list = await admin.api.get("/users");
    expect(list.body.map((u: { email: string }) => u.email)).toContain("sokha@acme.test");
    expect(JSON.stringify(list.body)).not.toContain("password");
    const one = await admin.api.get(`/users/${res.body.id}`);
    expect(one.body.id).toBe(res.body.id);
    const teamNow = await admin.api.get(`/teams/${team.id}`);
    expect(teamNow.body.memberIds).toEqual([res.body.id]);
  });

  it("refuses a duplicate email in any letter case", async () => {
    const res = await admin.api.post("/users", {
      name: "Dup",
      email: "ADMIN@rapport.test",
      password: "correct-horse-battery",
    });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("conflict");
  });

  it("refuses unknown teams, writing nothing", async () => {
    const res = await admin.api.post("/users", {
      name: "Ghost",
      email: "ghost@acme.test",
      teamIds: ["00000000-0000-4000-8000-000000000000"],
    });
    expect(res.status).toBe(404);
    const list = await admin.api.get("/users");
    expect(list.body.map((u: { email: string }) => u.email)).not.toContain("ghost@acme.test");
  });

  it("changes roles and team membership; an admin cannot demote themselves", async () => {
    const agent = await createAgent(t, admin.api);
    const team = await createTeam(admin.api);
    const res = await admin.api.patch(`/users/${agent.user.id}`, { role: "manager", teamIds: [team.id] });
    expect(res.body).toMatchObject({ role: "manager", teamIds: [team.id] });
    const self = await admin.api.patch(`/users/${admin.user.id}`, { role: "agent" });
    expect(self.status).toBe(409);
  });

  it("manages teams: unique names, members, rename, delete", async () => {
    const a = await createAgent(t, admin.api);
    const b = await createAgent(t, admin.api);
    const created = await admin.api.post("/teams", {
      name: "Hỗ trợ kỹ thuật",
      memberIds: [a.user.id, b.user.id],
    });
    expect(created.status).toBe(201);
    expect(created.body.memberIds).toHaveLength(2);
    expect((await admin.api.post("/teams", { name: "HỖ TRỢ KỸ THUẬT" })).status).toBe(409);
    const renamed = await admin.api.patch(`/teams/${created.body.id}`, {
      name: "ក្រុមបច្ចេកទេស",
      memberIds: [a.user.id],
    });
    expect(renamed.body).toMatchObject({ name: "ក្រុមបច្ចេកទេស", memberIds: [a.user.id] });
    expect((await admin.api.delete(`/teams/${created.body.id}`)).status).toBe(204);
    expect((await admin.api.get(`/teams/${created.body.id}`)).status).toBe(404);
  });
});
