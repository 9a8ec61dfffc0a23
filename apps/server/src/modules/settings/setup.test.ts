import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiClient, loginAs, PASSWORD, setupAdmin } from "../../test/factories.ts";
import { createTestApp, type TestApp } from "../../test/harness.ts";

describe("first-run setup", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it("reports that setup is needed, refuses a weak password, then creates the org and the first admin", async () => {
    const anon = apiClient(t.app);
    expect((await anon.get("/setup")).body).toEqual({ needsSetup: true });

    const weak = await anon.post("/setup", {
      organization: { name: "Acme" },
      admin: { name: "A", email: "a@acme.test", password: "short" },
    });
    expect(weak.status).toBe(400);
    expect(weak.body.error.code).toBe("validation_failed");
    expect((await anon.get("/setup")).body).toEqual({ needsSetup: true });

    const badZone = await anon.post("/setup", {
      organization: { name: "Acme", timeZone: "Mars/Olympus" },
      admin: { name: "A", email: "a@acme.test", password: PASSWORD },
    });
    expect(badZone.status).toBe(400);

    const admin = await setupAdmin(t);
    expect(admin.user.role).toBe("admin");
    expect((await anon.get("/setup")).body).toEqual({ needsSetup: false });
    const settings = await admin.api.get("/settings");
    expect(settings.body).toEqual({
      name: "Acme Support",
      defaultLanguage: "en",
      timeZone: "Asia/Ho_Chi_Minh",
    });
  });

  it("signs the new admin in with an httpOnly, SameSite=Lax cookie", async () => {
    const session = await loginAs(t, "admin@rapport.test");
    expect(session.setCookie).toMatch(/HttpOnly/i);
    expect(session.setCookie).toMatch(/SameSite=Lax/i);
    expect((await session.api.get("/me")).body.user.email).toBe("admin@rapport.test");
  });

  it("answers 409 to a replayed setup and changes nothing", async () => {
    const replay = await apiClient(t.app).post("/setup", {
      organization: { name: "Evil Corp" },
      admin: { name: "Mallory", email: "mallory@evil.test", password: PASSWORD },
    });
    expect(replay.status).toBe(409);
    expect(replay.body.error.code).toBe("setup_done");
    const login = await apiClient(t.app).post("/auth/login", {
      email: "mallory@evil.test",
      password: PASSWORD,
    });
    expect(login.status).toBe(401);
    const session = await loginAs(t, "admin@rapport.test");
    expect((await session.api.get("/settings")).body.name).toBe("Acme Support");
  });

  it("lets only admins change settings", async () => {
    const session = await loginAs(t, "admin@rapport.test");
    const res = await session.api.patch("/settings", { name: "Acme Care", defaultLanguage: "km" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: "Acme Care", defaultLanguage: "km" });
    expect((await session.api.patch("/settings", { defaultLanguage: "fr" })).status).toBe(400);
  });

  it("accepts canonical zone names and stores old ones under their canonical name", async () => {
    const session = await loginAs(t, "admin@rapport.test");
    for (const [sent, stored] of [
      ["Asia/Kolkata", "Asia/Kolkata"],
      ["Asia/Ho_Chi_Minh", "Asia/Ho_Chi_Minh"],
      ["Asia/Calcutta", "Asia/Kolkata"],
      ["Asia/Saigon", "Asia/Ho_Chi_Minh"],
    ]) {
      const res = await session.api.patch("/settings", { timeZone: sent });
      expect(res.status, sent).toBe(200);
      expect(res.body.timeZone, sent).toBe(stored);
    }
    const me = await session.api.patch("/me", { timeZone: "Europe/Kiev" });
    expect(me.status).toBe(200);
    expect(me.body.timeZone).toBe("Europe/Kyiv");
    expect((await session.api.patch("/settings", { timeZone: "Asia/Sai_Gon" })).status).toBe(400);
  });
});

describe("concurrent setup", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it("lets exactly one of two racing setups win", async () => {
    const anon = apiClient(t.app);
    const body = (email: string) => ({
      organization: { name: "Race" },
      admin: { name: "Racer", email, password: PASSWORD },
    });
    const results = await Promise.all([
      anon.post("/setup", body("one@race.test")),
      anon.post("/setup", body("two@race.test")),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
  });
});
