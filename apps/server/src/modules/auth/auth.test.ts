import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "../../auth/crypto.ts";
import { apiClient, createAgent, loginAs, PASSWORD, setupAdmin } from "../../test/factories.ts";
import { createTestApp, type TestApp } from "../../test/harness.ts";

describe("sessions, CSRF and API tokens", () => {
  let t: TestApp;
  let admin: Awaited<ReturnType<typeof setupAdmin>>;
  beforeAll(async () => {
    t = await createTestApp();
    admin = await setupAdmin(t);
  });
  afterAll(() => t.close());

  it("hashes passwords with argon2id", async () => {
    expect(await hashPassword("something-long-enough")).toMatch(/^\$argon2id\$/);
  });

  it("refuses a wrong password and an unknown email alike", async () => {
    const anon = apiClient(t.app);
    const wrong = await anon.post("/auth/login", {
      email: "admin@rapport.test",
      password: "wrong-password-1",
    });
    const unknown = await anon.post("/auth/login", {
      email: "nobody@rapport.test",
      password: "wrong-password-1",
    });
    for (const res of [wrong, unknown]) {
      expect(res.status).toBe(401);
      expect(res.body.error).toEqual({ code: "invalid_credentials", message: "Email or password is wrong" });
    }
  });

  it("logs in case-insensitively and returns the CSRF token on /me", async () => {
    const session = await loginAs(t, "ADMIN@rapport.TEST");
    const me = await session.api.get("/me");
    expect(me.status).toBe(200);
    expect(me.body.csrfToken).toBe(session.csrf);
    expect(me.body.organization.name).toBe("Acme Support");
  });

  it("requires the CSRF header for cookie-authenticated writes", async () => {
    const session = await loginAs(t, "admin@rapport.test");
    const noCsrf = apiClient(t.app, { cookie: session.cookie });
    const res = await noCsrf.post("/teams", { name: "Without CSRF" });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe("csrf_failed");
    const wrong = apiClient(t.app, { cookie: session.cookie, csrf: "not-the-token" });
    expect((await wrong.post("/teams", { name: "Wrong CSRF" })).status).toBe(403);
    expect((await session.api.get("/teams")).body.map((x: { name: string }) => x.name)).not.toContain(
      "Without CSRF",
    );
    expect((await session.api.post("/teams", { name: "With CSRF" })).status).toBe(201);
  });

  it("ends the session on logout", async () => {
    const session = await loginAs(t, "admin@rapport.test");
    expect((await session.api.post("/auth/logout")).status).toBe(204);
    expect((await apiClient(t.app, { cookie: session.cookie }).get("/me")).status).toBe(401);
  });

  it("shows an API token once, stores only its hash, and stops accepting it once revoked", async () => {
    const created = await admin.api.post("/api-tokens", { name: "Zapier" });
    expect(created.status).toBe(201);
    expect(created.body.token).toMatch(/^rpt_/);
    const rows = await t.database.query<{ token_hash: string }>(
      "select token_hash from api_tokens where id = $1",
      [created.body.id],
    );
    expect(rows[0]?.token_hash).toHaveLength(64);
    expect(rows[0]?.token_hash).not.toContain(created.body.token);

    const list = await admin.api.get("/api-tokens");
    expect(JSON.stringify(list.body)).not.toContain(created.body.token);
    const tokenApi = apiClient(t.app, { token: created.body.token });
    expect((await tokenApi.get("/me")).status).toBe(200);

    expect((await admin.api.delete(`/api-tokens/${created.body.id}`)).body.revokedAt).not.toBeNull();
    const after = await tokenApi.get("/me");
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe("unauthenticated");
  });

  it("does not let an agent revoke someone else's token", async () => {
    const agent = await createAgent(t, admin.api);
    const mine = await admin.api.post("/api-tokens", { name: "admin-only" });
    expect((await agent.api.delete(`/api-tokens/${mine.body.id}`)).status).toBe(404);
    expect((await apiClient(t.app, { token: mine.body.token }).get("/me")).status).toBe(200);
  });

  it("expires tokens after their lifetime", async () => {
    const created = await admin.api.post("/api-tokens", { name: "short", expiresInDays: 1 });
    t.clock.advance(2 * 86400_000);
    expect((await apiClient(t.app, { token: created.body.token }).get("/me")).status).toBe(401);
    t.clock.advance(-2 * 86400_000);
  });

  it("signs out a deactivated agent and refuses their login", async () => {
    const agent = await createAgent(t, admin.api);
    const session = await loginAs(t, agent.user.email);
    expect((await admin.api.patch(`/users/${agent.user.id}`, { active: false })).status).toBe(200);
    expect((await session.api.get("/me")).status).toBe(401);
    expect((await agent.api.get("/me")).status).toBe(401);
    const login = await apiClient(t.app).post("/auth/login", { email: agent.user.email, password: PASSWORD });
    expect(login.status).toBe(401);
  });

  it("lets agents change their own availability and language but not their role", async () => {
    const agent = await createAgent(t, admin.api);
    const res = await agent.api.patch("/me", {
      availability: "online",
      locale: "ta",
      languages: ["ta", "en"],
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ availability: "online", locale: "ta", languages: ["ta", "en"] });
    const escalate = await agent.api.patch("/me", { role: "admin" });
    expect(escalate.status).toBe(400);
    expect((await agent.api.get("/me")).body.user.role).toBe("agent");
  });
});

describe("login rate limit", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({
      config: { rateLimits: { loginPerMinute: 3, publicPerMinute: 1000, apiPerMinute: 100_000 } },
    });
    await setupAdmin(t);
  });
  afterAll(() => t.close());

  it("answers 429 with a clear code after too many attempts", async () => {
    const anon = apiClient(t.app);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      statuses.push(
        (await anon.post("/auth/login", { email: "admin@rapport.test", password: "wrong-password-x" }))
          .status,
      );
    }
    expect(statuses.slice(0, 3)).toEqual([401, 401, 401]);
    const last = await anon.post("/auth/login", {
      email: "admin@rapport.test",
      password: "wrong-password-x",
    });
    expect(last.status).toBe(429);
    expect(last.body.error.code).toBe("rate_limited");
  });
});

describe("login rate limit cannot be bypassed", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({
      config: { rateLimits: { loginPerMinute: 3, publicPerMinute: 1000, apiPerMinute: 100_000 } },
    });
    await setupAdmin(t);
  });
  afterAll(() => t.close());

  it("keys public routes on the client address, whatever token or cookie is sent", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const forged = apiClient(t.app, { token: `rpt_fake_${i}`, cookie: `fake-cookie-${i}` });
      statuses.push(
        (await forged.post("/auth/login", { email: "admin@rapport.test", password: "wrong-password-x" }))
          .status,
      );
    }
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
  });
});

describe("public reads and the token-less limit", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({
      config: { rateLimits: { loginPerMinute: 1000, publicPerMinute: 4, apiPerMinute: 100_000 } },
    });
  });
  afterAll(() => t.close());

  it("does not hold the setup check every page load makes to the low token-less write limit", async () => {
    const anon = apiClient(t.app);
    for (let i = 0; i < 8; i++) expect((await anon.get("/setup")).status).toBe(200);
  });

  it("counts public writes apart from the reads a page made before them", async () => {
    const anon = apiClient(t.app);
    for (let i = 0; i < 8; i++) await anon.get("/setup");
    const first = await anon.post("/auth/forgot-password", { email: "nobody@example.com" });
    expect(first.status).not.toBe(429);
  });
});
