import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sha256 } from "../../auth/crypto.ts";
import type { DomainEvent } from "../../realtime/bus.ts";
import { type Api, apiClient, createAgent, loginAs, PASSWORD, setupAdmin } from "../../test/factories.ts";
import { createTestApp, type TestApp } from "../../test/harness.ts";
import { MAX_OPEN_RESETS, RESET_TTL_MS } from "./password-reset.service.ts";
import { passwordResetTokens } from "./password-reset.table.ts";

type ResetEvent = Extract<DomainEvent, { type: "auth.password_reset_requested" }>;
type InviteEvent = Extract<DomainEvent, { type: "auth.invited" }>;

let t: TestApp;
let admin: { api: Api };
const anon = () => apiClient(t.app);
const events: DomainEvent[] = [];
let waiters: Array<{ match: (e: DomainEvent) => boolean; resolve: (e: DomainEvent) => void }> = [];

function nextEvent<E extends DomainEvent>(match: (e: DomainEvent) => boolean): Promise<E> {
  const i = events.findIndex(match);
  if (i >= 0) return Promise.resolve(events.splice(i, 1)[0] as E);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("no such event within 10 s")), 10_000);
    waiters.push({
      match,
      resolve: (e) => {
        clearTimeout(timer);
        resolve(e as E);
      },
    });
  });
}
const resetFor = (email: string) =>
  nextEvent<ResetEvent>((e) => e.type === "auth.password_reset_requested" && e.email === email);
const tokenOf = (url: string) => new URL(url).searchParams.get("token") ?? "";

beforeAll(async () => {
  t = await createTestApp({
    config: {
      publicUrl: "https://help.example.com",
      rateLimits: { loginPerMinute: 40, publicPerMinute: 1000, apiPerMinute: 100_000 },
    },
  });
  t.services.bus.subscribe((e) => {
    const i = waiters.findIndex((w) => w.match(e));
    if (i < 0) return void events.push(e);
    const [w] = waiters.splice(i, 1);
    w?.resolve(e);
  });
  admin = await setupAdmin(t);
});

afterAll(async () => {
  waiters = [];
  await t?.close();
});

describe("forgot / reset password", () => {
  it("emails a single-use link that sets the password and ends every session", async () => {
    const agent = await createAgent(t, admin.api, { email: "Rosa@Example.com", name: "Rosa" });
    const session = await loginAs(t, "rosa@example.com");
    expect((await anon().post("/auth/forgot-password", { email: "  ROSA@example.com " })).status).toBe(202);
    const event = await resetFor("rosa@example.com");
    expect(event).toMatchObject({ userId: agent.user.id, name: "Rosa", locale: "en" });
    expect(event.resetUrl).toMatch(/^https:\/\/help\.example\.com\/reset-password\?token=[A-Za-z0-9_-]{43}$/);
    const token = tokenOf(event.resetUrl);
    const rows = await t.database.db
      .select()
      .from(passwordResetTokens)
      .where(eq(passwordResetTokens.userId, agent.user.id));
    expect(rows).toHaveLength(1);
    expect(rows[0]?.tokenHash).toBe(sha256(token));
    expect(JSON.stringify(rows)).not.toContain(token);

    const res = await anon().post("/auth/reset-password", { token, password: "a brand new secret" });
    expect(res.status).toBe(204);
    expect((await session.api.get("/me")).status).toBe(401);
    expect((await anon().post("/auth/login", { email: "rosa@example.com", password: PASSWORD })).status).toBe(
      401,
    );
    await loginAs(t, "rosa@example.com", "a brand new secret");

    const again = await anon().post("/auth/reset-password", { token, password: "yet another secret" });
    expect(again.status).toBe(400);
    expect(again.body.error.code).toBe("invalid_token");
  });

  it("revokes the user's API tokens, and only that user's", async () => {
    await createAgent(t, admin.api, { email: "tina@example.com" });
    const other = await createAgent(t, admin.api, { email: "other@example.com" });
    const session = await loginAs(t, "tina@example.com");
    const created = await session.api.post("/api-tokens", { name: "laptop script" });
    expect(created.status).toBe(201);
    const token = apiClient(t.app, { token: created.body.token });
    expect((await token.get("/me")).status).toBe(200);

    await anon().post("/auth/forgot-password", { email: "tina@example.com" });
    const reset = tokenOf((await resetFor("tina@example.com")).resetUrl);
    expect(
      (await anon().post("/auth/reset-password", { token: reset, password: "tina's new secret" })).status,
    ).toBe(204);

    const after = await token.get("/me");
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe("unauthenticated");
    expect((await other.api.get("/me")).status).toBe(200);
    const mine = await (await loginAs(t, "tina@example.com", "tina's new secret")).api.get("/api-tokens");
    expect(mine.body.map((row: { name: string }) => row.name)).toContain("laptop script");
    for (const row of mine.body) expect(row.revokedAt).toEqual(expect.any(String));
  });

  it("refuses an expired link, and a used one makes the user's other links void", async () => {
    await createAgent(t, admin.api, { email: "sam@example.com" });
    await anon().post("/auth/forgot-password", { email: "sam@example.com" });
    const first = tokenOf((await resetFor("sam@example.com")).resetUrl);
    await anon().post("/auth/forgot-password", { email: "sam@example.com" });
    const second = tokenOf((await resetFor("sam@example.com")).resetUrl);
    expect(second).not.toBe(first);
    expect(
      (await anon().post("/auth/reset-password", { token: second, password: "second secret!" })).status,
    ).toBe(204);
    expect(
      (await anon().post("/auth/reset-password", { token: first, password: "first secret!!" })).status,
    ).toBe(400);

    await anon().post("/auth/forgot-password", { email: "sam@example.com" });
    const late = tokenOf((await resetFor("sam@example.com")).resetUrl);
    t.clock.advance(RESET_TTL_MS + 1000);
    const res = await anon().post("/auth/reset-password", { token: late, password: "too late secret" });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("invalid_token");
    await loginAs(t, "sam@example.com", "second secret!");
  });

  it("answers 202 for unknown and deactivated accounts without sending anything", async () => {
    const gone = await createAgent(t, admin.api, { email: "gone@example.com" });
    expect((await admin.api.patch(`/users/${gone.user.id}`, { active: false })).status).toBe(200);
    const answers = new Set<string>();
    for (const email of ["nobody@example.com", "gone@example.com", "not an email", ""]) {
      const res = await anon().post("/auth/forgot-password", { email });
      answers.add(`${res.status} ${res.raw}`);
    }
    // A later request's event arrives; none came for the others, and the answers were the same.
    await createAgent(t, admin.api, { email: "marker@example.com" });
    const known = await anon().post("/auth/forgot-password", { email: "marker@example.com" });
    answers.add(`${known.status} ${known.raw}`);
    expect([...answers]).toEqual([`202 ${known.raw}`]);
    await resetFor("marker@example.com");
    const sent = events.filter((e) => e.type === "auth.password_reset_requested").map((e) => e.email);
    expect(sent).toEqual([]);
    const rows = await t.database.db
      .select()
      .from(passwordResetTokens)
      .where(eq(passwordResetTokens.userId, gone.user.id));
    expect(rows).toEqual([]);
  });

  it(`keeps at most ${MAX_OPEN_RESETS} open links per user`, async () => {
    await createAgent(t, admin.api, { email: "many@example.com" });
    for (let i = 0; i < MAX_OPEN_RESETS; i++) {
      await anon().post("/auth/forgot-password", { email: "many@example.com" });
      await resetFor("many@example.com");
    }
    await anon().post("/auth/forgot-password", { email: "many@example.com" });
    await createAgent(t, admin.api, { email: "after-many@example.com" });
    await anon().post("/auth/forgot-password", { email: "after-many@example.com" });
    await resetFor("after-many@example.com");
    expect(events.filter((e) => e.type === "auth.password_reset_requested")).toEqual([]);
  });

  it("rejects hostile input with 4xx and without using the token", async () => {
    await createAgent(t, admin.api, { email: "eve@example.com" });
    await anon().post("/auth/forgot-password", { email: "eve@example.com" });
    const token = tokenOf((await resetFor("eve@example.com")).resetUrl);
    const json = { headers: { "content-type": "application/json" } };
    for (const [url, payload] of [
      ["/auth/reset-password", { token, password: "short" }],
      ["/auth/reset-password", { token, password: "x".repeat(300) }],
      ["/auth/reset-password", { token, password: 12345678901 }],
      ["/auth/reset-password", { token, password: "long enough secret", admin: true }],
      ["/auth/reset-password", { token: `${token}'; drop table users; --`, password: "long enough secret" }],
      ["/auth/reset-password", { token: "x".repeat(5000), password: "long enough secret" }],
      ["/auth/reset-password", { password: "long enough secret" }],
      ["/auth/forgot-password", { email: "a".repeat(400) }],
      ["/auth/forgot-password", { email: ["eve@example.com"] }],
      ["/auth/forgot-password", { email: "eve@example.com", role: "admin" }],
    ] as const) {
      const res = await anon().post(url, payload);
      expect(res.status, JSON.stringify(payload).slice(0, 60)).toBe(400);
    }
    expect((await anon().post("/auth/reset-password", "{not json", json)).status).toBe(400);
    expect((await anon().post("/auth/forgot-password", "\u0000", json)).status).toBe(400);
    expect(
      (await anon().post("/auth/reset-password", { token, password: "long enough secret" })).status,
    ).toBe(204);
  });

  it("rate-limits both endpoints", async () => {
    const limited = await createTestApp({
      config: { rateLimits: { loginPerMinute: 3, publicPerMinute: 1000, apiPerMinute: 100_000 } },
    });
    try {
      const client = apiClient(limited.app);
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++)
        statuses.push((await client.post("/auth/forgot-password", { email: "x@example.com" })).status);
      expect(statuses).toEqual([202, 202, 202, 429]);
      const reset: number[] = [];
      for (let i = 0; i < 4; i++)
        reset.push(
          (await client.post("/auth/reset-password", { token: "abc", password: "long enough secret" }))
            .status,
        );
      expect(reset).toEqual([400, 400, 400, 429]);
    } finally {
      await limited.close();
    }
  });
});

describe("invitations", () => {
  it("invites a user created without a password to choose one", async () => {
    const res = await admin.api.post("/users", {
      name: "Ivy New",
      email: "ivy@example.com",
      role: "agent",
      teamIds: [],
      languages: [],
      locale: "vi",
    });
    expect(res.status).toBe(201);
    const event = await nextEvent<InviteEvent>(
      (e) => e.type === "auth.invited" && e.email === "ivy@example.com",
    );
    expect(event).toMatchObject({
      userId: res.body.id,
      name: "Ivy New",
      locale: "vi",
      invitedBy: "Ada Admin",
    });
    expect(event.setPasswordUrl).toMatch(/^https:\/\/help\.example\.com\/reset-password\?token=.+&invite=1$/);
    expect((await anon().post("/auth/login", { email: "ivy@example.com", password: "" })).status).toBe(401);
    const set = await anon().post("/auth/reset-password", {
      token: tokenOf(event.setPasswordUrl),
      password: "ivy's own secret",
    });
    expect(set.status).toBe(204);
    await loginAs(t, "ivy@example.com", "ivy's own secret");
  });

  it("sends no invitation when the admin sets a password", async () => {
    await createAgent(t, admin.api, { email: "has-password@example.com" });
    expect(events.filter((e) => e.type === "auth.invited")).toEqual([]);
  });
});
