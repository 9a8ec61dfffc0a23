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
import { toneFlags } from "./tone.table.ts";

let t: TestApp;
let admin: { api: Api; user: Json };
let agent: { api: Api; user: Json };
let manager: { api: Api; user: Json };
let team: { id: string; name: string };

const check = (api: Api, text: string, lang: string) => api.post("/tone/check", { text, lang });

beforeAll(async () => {
  t = await createTestApp();
  admin = await setupAdmin(t);
  team = await createTeam(admin.api, "Care");
  agent = await createAgent(t, admin.api, { name: "Priya", teamIds: [team.id] });
  manager = await createAgent(t, admin.api, { name: "Lan", role: "manager", teamIds: [team.id] });
});
afterAll(async () => {
  await t?.close();
});

describe("POST /tone/check", () => {
  it("answers findings with offsets into the text, category and suggestions", async () => {
    const text = "Hi Sam, I don't know. That's not my job.";
    const res = await check(agent.api, text, "en");
    expect(res.status, res.raw).toBe(200);
    expect(res.body.findings.map((f: Json) => [f.start, f.end, f.text, f.category])).toEqual([
      [8, 20, "I don't know", "uncertainty"],
      [22, 39, "That's not my job", "not-my-job"],
    ]);
    for (const f of res.body.findings) expect(text.slice(f.start, f.end)).toBe(f.text);
    expect(res.body.findings[0].suggestions).toContain(
      "I will find out who can answer this; may I call you back in a few minutes?",
    );
  });

  it("checks Vietnamese with and without diacritics, Khmer without spaces and Tamil", async () => {
    const vi = await check(agent.api, "Da, cong ty khong lam vay dau a.", "vi");
    expect(vi.body.findings.map((f: Json) => f.text)).toEqual(["cong ty khong lam vay"]);
    const vi2 = await check(agent.api, "Dạ, công ty không làm vậy đâu ạ.", "vi-VN");
    expect(vi2.body.findings.map((f: Json) => f.text)).toEqual(["công ty không làm vậy"]);
    const km = await check(agent.api, "សួស្តីបងក្រុមហ៊ុនមិនធ្វើបែបនោះទេសូមអភ័យទោស", "km");
    expect(km.body.findings.map((f: Json) => [f.text, f.category])).toEqual([
      ["ក្រុមហ៊ុនមិនធ្វើបែបនោះទេ", "refusal"],
    ]);
    const ta = await check(agent.api, "ஐயா, நிறுவனம் அதைச் செய்யாது.", "ta");
    expect(ta.body.findings.map((f: Json) => f.text)).toEqual(["நிறுவனம் அதைச் செய்யாது"]);
  });

  it("answers no findings for a language without rules, or a kind reply", async () => {
    expect((await check(agent.api, "I don't know", "fr")).body.findings).toEqual([]);
    expect((await check(agent.api, "I will find out and call you back.", "en")).body.findings).toEqual([]);
  });

  it("refuses bad input with 400 and oversized bodies with 413", async () => {
    for (const body of [
      { text: "x" },
      { text: "x", lang: "english" },
      { text: 5, lang: "en" },
      { text: "a\u0000b", lang: "en" },
      { text: "x".repeat(20_001), lang: "en" },
      { text: "x", lang: "en", extra: 1 },
    ]) {
      const res = await agent.api.post("/tone/check", body);
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
    }
    const huge = await agent.api.post("/tone/check", { text: "x".repeat(3_000_000), lang: "en" });
    expect(huge.status).toBe(413);
    const broken = await agent.api.call("POST", "/tone/check", '{"text": "I don', {
      headers: { "content-type": "application/json" },
    });
    expect(broken.status).toBe(400);
  });

  it("answers 401 to anonymous callers on every tone endpoint", async () => {
    const anon = apiClient(t.app);
    expect((await anon.post("/tone/check", { text: "x", lang: "en" })).status).toBe(401);
    expect((await anon.get("/tone/rules")).status).toBe(401);
    expect((await anon.post("/tone/rules", {})).status).toBe(401);
    expect((await anon.patch(`/tone/rules/${crypto.randomUUID()}`, { enabled: false })).status).toBe(401);
    expect((await anon.delete(`/tone/rules/${crypto.randomUUID()}`)).status).toBe(401);
    expect((await anon.get("/tone/report")).status).toBe(401);
  });
});

describe("rules", () => {
  it("ship at least 30 rules per language, listed with a cursor", async () => {
    for (const lang of ["en", "vi", "km", "ta"]) {
      const res = await agent.api.get(`/tone/rules?lang=${lang}&limit=500`);
      expect(res.status, res.raw).toBe(200);
      expect(res.body.items.length, lang).toBeGreaterThanOrEqual(30);
    }
    const first = await agent.api.get("/tone/rules?limit=50");
    expect(first.body.items).toHaveLength(50);
    const second = await agent.api.get(`/tone/rules?limit=50&cursor=${first.body.nextCursor}`);
    const ids = new Set(first.body.items.map((r: Json) => r.id));
    expect(second.body.items.some((r: Json) => ids.has(r.id))).toBe(false);
    expect((await agent.api.get("/tone/rules?cursor=nonsense")).status).toBe(400);
  });

  it("lets an admin add, change, disable and delete a rule, taking effect at once", async () => {
    const created = await admin.api.post("/tone/rules", {
      lang: "en",
      pattern: "read the manual | RTFM",
      category: "rudeness",
      suggestions: ["Here is the part of the guide that covers this: …"],
    });
    expect(created.status, created.raw).toBe(201);
    expect(created.body.pattern).toBe("read the manual|RTFM");
    expect(created.body.key).toBeNull();
    const id = created.body.id;
    const found = await check(agent.api, "Please just read the manual.", "en");
    expect(found.body.findings.map((f: Json) => [f.text, f.ruleId])).toEqual([["read the manual", id]]);

    const changed = await admin.api.patch(`/tone/rules/${id}`, { suggestions: ["See page 4."] });
    expect(changed.status).toBe(200);
    expect((await check(agent.api, "rtfm", "en")).body.findings[0].suggestions).toEqual(["See page 4."]);

    await admin.api.patch(`/tone/rules/${id}`, { enabled: false });
    expect((await check(agent.api, "rtfm", "en")).body.findings).toEqual([]);

    expect((await admin.api.delete(`/tone/rules/${id}`)).status).toBe(204);
    expect((await admin.api.delete(`/tone/rules/${id}`)).status).toBe(404);
    expect((await admin.api.patch(`/tone/rules/${id}`, { enabled: true })).status).toBe(404);
    const list = await admin.api.get("/tone/rules?lang=en&limit=500");
    expect(list.body.items.some((r: Json) => r.id === id)).toBe(false);
  });

  it("lets an admin edit a shipped rule", async () => {
    const list = await admin.api.get("/tone/rules?lang=en&limit=500");
    const rule = list.body.items.find((r: Json) => r.key === "en.unfortunately");
    const res = await admin.api.patch(`/tone/rules/${rule.id}`, { pattern: "unfortunately|sadly" });
    expect(res.status).toBe(200);
    expect((await check(agent.api, "Sadly the parcel is lost.", "en")).body.findings[0].text).toBe("Sadly");
  });

  it("applies an admin's rule in Vietnamese (typed without diacritics), Khmer (unspaced) and Tamil", async () => {
    const cases = [
      {
        lang: "vi",
        pattern: "hỏi người khác đi",
        text: "Chi hoi nguoi khac di a.",
        found: "hoi nguoi khac di",
      },
      { lang: "km", pattern: "ទៅសួរអ្នកផ្សេង", text: "សូមទៅសួរអ្នកផ្សេងទៀតណា", found: "ទៅសួរអ្នកផ្សេង" },
      {
        lang: "ta",
        pattern: "வேறு யாரையாவது கேளுங்கள்",
        text: "தயவுசெய்து வேறு யாரையாவது கேளுங்கள்.",
        found: "வேறு யாரையாவது கேளுங்கள்",
      },
    ];
    for (const c of cases) {
      const res = await admin.api.post("/tone/rules", {
        lang: c.lang,
        pattern: c.pattern,
        category: "not-my-job",
        suggestions: ["…"],
      });
      expect(res.status, res.raw).toBe(201);
      const found = await check(agent.api, c.text, c.lang);
      expect(
        found.body.findings.map((f: Json) => [f.text, f.ruleId]),
        c.lang,
      ).toEqual([[c.found, res.body.id]]);
      // Another language's rules never apply.
      expect((await check(agent.api, c.text, "en")).body.findings).toEqual([]);
    }
  });

  it("refuses rule changes by agents and managers (403), with nothing written", async () => {
    const body = { lang: "en", pattern: "meh", category: "rudeness", suggestions: ["ok"] };
    expect((await agent.api.post("/tone/rules", body)).status).toBe(403);
    expect((await manager.api.post("/tone/rules", body)).status).toBe(403);
    const list = await admin.api.get("/tone/rules?lang=en&limit=500");
    const id = list.body.items[0].id;
    expect((await agent.api.patch(`/tone/rules/${id}`, { enabled: false })).status).toBe(403);
    expect((await manager.api.delete(`/tone/rules/${id}`)).status).toBe(403);
    expect((await check(agent.api, "meh", "en")).body.findings).toEqual([]);
  });

  it("refuses bad rules with 400", async () => {
    const ok = { lang: "en", pattern: "x y", category: "blame", suggestions: ["z"] };
    for (const bad of [
      { ...ok, pattern: "|||" },
      { ...ok, pattern: "!!! | ..." },
      { ...ok, pattern: "" },
      { ...ok, pattern: "a\nb" },
      { ...ok, pattern: "a".repeat(1001) },
      { ...ok, pattern: Array.from({ length: 31 }, (_, i) => `w${i}`).join("|") },
      { ...ok, pattern: Array.from({ length: 21 }, (_, i) => `w${i}`).join(" ") },
      { ...ok, category: "grumpy" },
      { ...ok, suggestions: [] },
      { ...ok, suggestions: ["a\u0000"] },
      { ...ok, lang: "EN" },
      { ...ok, builtin: true },
    ]) {
      const res = await admin.api.post("/tone/rules", bad);
      expect(res.status, JSON.stringify(bad).slice(0, 80)).toBe(400);
    }
    expect((await admin.api.patch(`/tone/rules/${crypto.randomUUID()}`, {})).status).toBe(400);
    expect((await admin.api.patch("/tone/rules/not-a-uuid", { enabled: false })).status).toBe(400);
    expect((await admin.api.patch(`/tone/rules/${crypto.randomUUID()}`, { enabled: false })).status).toBe(
      404,
    );
  });

  it("keeps hostile text in suggestions as text", async () => {
    const res = await admin.api.post("/tone/rules", {
      lang: "vi",
      pattern: "đồ ngốc",
      category: "rudeness",
      suggestions: ['<img src=x onerror="alert(1)">'],
    });
    expect(res.status).toBe(201);
    const found = await check(agent.api, "do ngoc", "vi");
    expect(found.body.findings[0].suggestions).toEqual(['<img src=x onerror="alert(1)">']);
  });
});

describe("the reply path and the report", () => {
  it("records phrases sent anyway and suggestions taken, never blocking the reply", async () => {
    const ticket = await createTicket(agent.api, { teamId: team.id, language: "en" });
    const rules = await agent.api.get("/tone/rules?lang=en&limit=500");
    const notMyJob = rules.body.items.find((r: Json) => r.key === "en.not-my-job");
    const res = await agent.api.post(`/tickets/${ticket.id}/messages`, {
      body: "Sorry, I don't know when it ships. May I transfer you to the right department?",
      tone: {
        lang: "en",
        accepted: [
          { ruleId: notMyJob.id, text: "That's not my job" },
          { ruleId: crypto.randomUUID(), text: "forged" },
        ],
      },
    });
    expect(res.status, res.raw).toBe(201);
    const flags = await t.database.db.select().from(toneFlags).where(eq(toneFlags.ticketId, ticket.id));
    expect(flags.map((f) => [f.phrase, f.accepted, f.teamId, f.userId]).sort()).toEqual([
      ["i don't know", false, team.id, agent.user.id],
      ["that's not my job", true, team.id, agent.user.id],
    ]);

    // A customer's message is not tone-checked; a note is.
    await agent.api.post(`/tickets/${ticket.id}/messages`, { body: "I don't know!", authorType: "customer" });
    await agent.api.post(`/tickets/${ticket.id}/messages`, { body: "no idea, ask billing", internal: true });
    const after = await t.database.db.select().from(toneFlags).where(eq(toneFlags.ticketId, ticket.id));
    expect(after.map((f) => f.phrase).sort()).toEqual(["i don't know", "no idea", "that's not my job"]);
  });

  it("refuses a malformed tone part of a reply with 400 and writes no message", async () => {
    const ticket = await createTicket(agent.api, { teamId: team.id });
    for (const tone of [
      { lang: "en", accepted: [{ ruleId: "x", text: "y" }] },
      { lang: "english" },
      {
        lang: "en",
        accepted: Array.from({ length: 51 }, () => ({ ruleId: crypto.randomUUID(), text: "a" })),
      },
      { lang: "en", accepted: [], more: 1 },
    ]) {
      const res = await agent.api.post(`/tickets/${ticket.id}/messages`, { body: "Hello", tone });
      expect(res.status).toBe(400);
    }
    const messages = await agent.api.get(`/tickets/${ticket.id}/messages`);
    expect(messages.body.items).toHaveLength(1);
  });

  it("reports the most frequent flagged phrases per team and the accepted share, to managers", async () => {
    const res = await manager.api.get("/tone/report");
    expect(res.status, res.raw).toBe(200);
    const top = res.body.phrases.find((p: Json) => p.phrase === "i don't know");
    expect(top).toMatchObject({ teamId: team.id, teamName: "Care", category: "uncertainty", lang: "en" });
    expect(top.flagged).toBeGreaterThanOrEqual(1);
    const taken = res.body.phrases.find((p: Json) => p.phrase === "that's not my job");
    expect(taken).toMatchObject({ flagged: 1, accepted: 1 });
    const care = res.body.teams.find((x: Json) => x.teamId === team.id);
    expect(care).toMatchObject({ flagged: 3, accepted: 1 });
    expect(res.body.categories.length).toBeGreaterThan(0);

    const vi = await manager.api.get("/tone/report?lang=vi");
    expect(vi.body.phrases).toEqual([]);
    const other = await manager.api.get(`/tone/report?teamId=${crypto.randomUUID()}`);
    expect(other.body.teams).toEqual([]);
    expect((await agent.api.get("/tone/report")).status).toBe(403);
    expect(
      (await manager.api.get("/tone/report?from=2026-12-01T00:00:00Z&to=2026-11-01T00:00:00Z")).status,
    ).toBe(400);
    expect((await manager.api.get("/tone/report?from=yesterday")).status).toBe(400);
  });
});
