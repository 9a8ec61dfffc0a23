import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SYSTEM } from "../../auth/actor.ts";
import { withActor } from "../../context.ts";
import { jobs } from "../../jobs/jobs.table.ts";
import { type Api, apiClient, createAgent, type Json, setupAdmin } from "../../test/factories.ts";
import { createTestApp, type TestApp } from "../../test/harness.ts";
import { kbModule } from "./kb.module.ts";
import { KB_PUBLISH_JOB } from "./kb.service.ts";

let t: TestApp;
let admin: { api: Api; user: Json };
let manager: { api: Api; user: Json };
let agent: { api: Api; user: Json };
let anon: Api;
let category: Json;
let faq: Json;

const KHMER_TITLE = "របៀបប្តូរពាក្យសម្ងាត់";
// "To change your password, open the settings page" written without spaces, as Khmer is.
const KHMER_BODY = "<p>ដើម្បីប្តូរពាក្យសម្ងាត់របស់អ្នកសូមបើកទំព័រការកំណត់</p>";

async function article(api: Api, body: Record<string, unknown> = {}) {
  const res = await api.post("/kb/articles", {
    categoryId: category.id,
    title: `Reset your password ${Math.random().toString(36).slice(2, 7)}`,
    body: "<p>Open <b>Settings</b>, then choose <i>Security</i>.</p>",
    ...body,
  });
  expect(res.status, res.raw).toBe(201);
  return res.body;
}
const publish = async (id: string, languages?: string[]) => {
  const res = await manager.api.post(`/kb/articles/${id}/publish`, languages ? { languages } : {});
  expect(res.status, res.raw).toBe(200);
  return res.body;
};
const html = (url: string, headers: Record<string, string> = {}) =>
  t.app.inject({ method: "GET", url, headers });

beforeAll(async () => {
  t = await createTestApp();
  admin = await setupAdmin(t);
  manager = await createAgent(t, admin.api, { role: "manager", name: "Minh Manager" });
  agent = await createAgent(t, admin.api, { name: "Ánh Agent" });
  anon = apiClient(t.app);
  const cat = await manager.api.post("/kb/categories", {
    names: {
      en: { name: "Account and sign-in", description: "Passwords and profiles" },
      km: { name: "គណនី" },
      vi: { name: "Tài khoản" },
    },
  });
  expect(cat.status, cat.raw).toBe(201);
  category = cat.body;
  faq = (await manager.api.post("/kb/categories", { names: { en: { name: "Shipping FAQ" } }, faq: true }))
    .body;
});
afterAll(async () => {
  await t?.close();
});

describe("categories", () => {
  it("lists categories with counts; managers create, agents may not, anonymous callers get 401", async () => {
    const list = await agent.api.get("/kb/categories");
    expect(list.status).toBe(200);
    expect(list.body.items.map((c: Json) => c.slug)).toContain("account-and-sign-in");
    expect((await agent.api.post("/kb/categories", { names: { en: { name: "X" } } })).status).toBe(403);
    expect((await anon.get("/kb/categories")).status).toBe(401);
    expect((await anon.post("/kb/categories", { names: { en: { name: "X" } } })).status).toBe(401);
  });

  it("refuses unknown languages, broken slugs and duplicate slugs", async () => {
    const bad = await manager.api.post("/kb/categories", { names: { fr: { name: "Compte" } } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toMatchObject({ field: "language" });
    expect(
      (await manager.api.post("/kb/categories", { slug: "bad slug/..", names: { en: { name: "Y" } } }))
        .status,
    ).toBe(400);
    expect(
      (await manager.api.post("/kb/categories", { slug: category.slug, names: { en: { name: "Y" } } }))
        .status,
    ).toBe(409);
  });

  it("a section has a parent category", async () => {
    const sec = await manager.api.post("/kb/categories", {
      parentId: category.id,
      names: { en: { name: "Two-step sign-in" } },
    });
    expect(sec.status).toBe(201);
    expect(sec.body.parentId).toBe(category.id);
  });
});

describe("articles, workflow and versions", () => {
  it("an agent writes a draft; hostile HTML is sanitized; the article is not public until published", async () => {
    const a = await article(agent.api, {
      body: '<p onclick="steal()">Hello<script>alert(1)</script><img src="javascript:alert(1)"><a href="javascript:x">x</a></p><iframe src="https://evil"></iframe>',
    });
    const body = a.translations[0].body as string;
    expect(body).not.toMatch(/script|onclick|javascript:|iframe/i);
    expect(a.translations[0]).toMatchObject({ status: "draft", language: "en", version: 1, outdated: false });
    expect(a.missingLanguages).toEqual(expect.arrayContaining(["vi", "km", "ta"]));
    expect(a.permissions).toEqual({ edit: true, publish: false, delete: false });
    const slug = a.translations[0].slug;
    expect((await anon.get(`/public/kb/articles/${slug}`)).status).toBe(404);
    expect((await agent.api.post(`/kb/articles/${a.id}/publish`, {})).status).toBe(403);
    await publish(a.id);
    const pub = await anon.get(`/public/kb/articles/${slug}?lang=en`);
    expect(pub.status).toBe(200);
    expect(pub.body).toMatchObject({ id: a.id, language: "en", fallback: false });
    // Once published, the text is the managers': a plain agent may not change it.
    expect((await agent.api.patch(`/kb/articles/${a.id}`, { title: "Changed" })).status).toBe(403);
    expect((await manager.api.patch(`/kb/articles/${a.id}`, { title: "Changed by a manager" })).status).toBe(
      200,
    );
  });

  it("callouts keep their three classes; any other class, style or hostile attribute is dropped", async () => {
    const a = await article(agent.api, {
      body: '<div class="callout callout-warning evil" style="position:fixed"><p>Keep the receipt</p></div><div class="callout-tip"><p>Tip</p></div><p class="callout">x</p><table><tr><td onmouseover="x()">1</td></tr></table>',
    });
    const body = a.translations[0].body as string;
    expect(body).toContain('<div class="callout callout-warning"><p>Keep the receipt</p></div>');
    expect(body).toContain('<div class="callout-tip">');
    expect(body).not.toMatch(/evil|style=|position|onmouseover|<p class/);
  });

  it("search snippets come from the excerpt column; a match deep in a long article still finds it", async () => {
    const filler = Array.from({ length: 400 }, (_, i) => `word${i}`).join(" ");
    const a = await article(manager.api, { title: "Long guide", body: `<p>${filler} zanzibarquux</p>` });
    await publish(a.id);
    const res = await anon.get("/public/kb/search?lang=en&q=zanzibarquux");
    expect(res.status).toBe(200);
    const hit = res.body.items.find((x: Json) => x.id === a.id);
    expect(hit).toBeDefined();
    // The excerpt holds the first 600 characters: the snippet starts the article (no match there).
    expect(hit.snippet.startsWith("word0 word1")).toBe(true);
    expect(hit.snippet.length).toBeLessThan(400);
  });

  it("translations: own slug and status; missing and outdated translations are flagged", async () => {
    const a = await article(agent.api, { title: "Change your password" });
    const km = await agent.api.post(`/kb/articles/${a.id}/translations`, {
      language: "km",
      title: KHMER_TITLE,
      body: KHMER_BODY,
    });
    expect(km.status, km.raw).toBe(201);
    const kmT = km.body.translations.find((x: Json) => x.language === "km");
    expect(kmT.slug).toMatch(/^[\p{L}\p{M}-]+$/u);
    expect(kmT.outdated).toBe(false);
    expect(km.body.missingLanguages).toEqual(expect.arrayContaining(["vi", "ta"]));
    expect(km.body.missingLanguages).not.toContain("km");
    // A second km translation is a conflict; an unconfigured language is refused.
    expect(
      (await agent.api.post(`/kb/articles/${a.id}/translations`, { language: "km", title: "x", body: "" }))
        .status,
    ).toBe(409);
    expect(
      (await agent.api.post(`/kb/articles/${a.id}/translations`, { language: "fr", title: "x", body: "" }))
        .status,
    ).toBe(400);
    expect(
      (await agent.api.post(`/kb/articles/${a.id}/translations`, { language: "<b>", title: "x", body: "" }))
        .status,
    ).toBe(400);
    // The source changes: the Khmer translation is outdated until it is saved again.
    await agent.api.patch(`/kb/articles/${a.id}`, {
      body: "<p>Open Settings, then Security, then Password.</p>",
    });
    const after = await agent.api.get(`/kb/articles/${a.id}`);
    expect(after.body.translations.find((x: Json) => x.language === "km").outdated).toBe(true);
    const needs = await agent.api.get("/kb/articles?language=km&needsTranslation=true");
    expect(needs.body.items.map((x: Json) => x.id)).toContain(a.id);
    await agent.api.patch(`/kb/articles/${a.id}`, { language: "km", body: `${KHMER_BODY}<p>សុវត្ថិភាព</p>` });
    const fixed = await agent.api.get(`/kb/articles/${a.id}`);
    expect(fixed.body.translations.find((x: Json) => x.language === "km").outdated).toBe(false);
  });

  it("every save is a version: history with who changed what, word diff, restore", async () => {
    const a = await article(agent.api, { title: "Refund policy", body: "<p>Refunds take 5 days.</p>" });
    await agent.api.patch(`/kb/articles/${a.id}`, { body: "<p>Refunds take 10 days.</p>", note: "longer" });
    await agent.api.patch(`/kb/articles/${a.id}`, { status: "in_review" });
    const versions = await agent.api.get(`/kb/articles/${a.id}/versions`);
    expect(versions.status).toBe(200);
    expect(versions.body.items.map((v: Json) => [v.version, v.change, v.actorName])).toEqual([
      [3, "status", "Ánh Agent"],
      [2, "edited", "Ánh Agent"],
      [1, "created", "Ánh Agent"],
    ]);
    const v2 = versions.body.items[1];
    const diff = await agent.api.get(`/kb/articles/${a.id}/versions/${v2.id}/diff`);
    expect(diff.status).toBe(200);
    expect(diff.body.body).toEqual(
      expect.arrayContaining([
        { op: "delete", text: "5" },
        { op: "insert", text: "10" },
      ]),
    );
    const v1 = versions.body.items[2];
    const restored = await agent.api.post(`/kb/articles/${a.id}/versions/${v1.id}/restore`);
    expect(restored.status).toBe(200);
    expect(restored.body.translations[0].body).toContain("5 days");
    const again = await agent.api.get(`/kb/articles/${a.id}/versions`);
    expect(again.body.items[0]).toMatchObject({ version: 4, change: "restored", note: "restored version 1" });
    expect((await agent.api.get(`/kb/articles/${a.id}/versions/999999/diff`)).status).toBe(404);
    expect((await anon.get(`/kb/articles/${a.id}/versions`)).status).toBe(401);
  });

  it("archiving takes a manager; deleting takes a manager", async () => {
    const a = await article(agent.api);
    expect((await agent.api.patch(`/kb/articles/${a.id}`, { status: "archived" })).status).toBe(403);
    expect((await manager.api.patch(`/kb/articles/${a.id}`, { status: "archived" })).status).toBe(200);
    expect((await agent.api.delete(`/kb/articles/${a.id}`)).status).toBe(403);
    expect((await manager.api.delete(`/kb/articles/${a.id}`)).status).toBe(204);
    expect((await manager.api.get(`/kb/articles/${a.id}`)).status).toBe(404);
  });

  it("scheduled publishing: published by the job at its time, not before", async () => {
    const a = await article(agent.api, { title: "Holiday opening hours" });
    const at = new Date(t.clock.now().getTime() + 3600_000).toISOString();
    const res = await manager.api.post(`/kb/articles/${a.id}/publish`, { at });
    expect(res.status, res.raw).toBe(200);
    expect(res.body.translations[0]).toMatchObject({ status: "draft", publishAt: at });
    const slug = res.body.translations[0].slug;
    const [job] = await t.database.db
      .select()
      .from(jobs)
      .where(and(eq(jobs.kind, KB_PUBLISH_JOB)));
    expect(job).toBeDefined();
    const run = kbModule.jobs?.[KB_PUBLISH_JOB]?.run;
    if (!job || !run) throw new Error("no job");
    const ctx = withActor(t.services, SYSTEM);
    await run(ctx, job);
    expect((await anon.get(`/public/kb/articles/${slug}`)).status).toBe(404);
    t.clock.advance(3600_000);
    await run(ctx, job);
    expect((await anon.get(`/public/kb/articles/${slug}`)).status).toBe(200);
    const versions = await agent.api.get(`/kb/articles/${a.id}/versions`);
    expect(versions.body.items[0]).toMatchObject({
      change: "published",
      note: "scheduled",
      actorName: "Rapport",
    });
  });

  it("bad input: 1 MB articles are accepted, larger ones refused; broken slugs; unknown fields; bad ids", async () => {
    const big = `<p>${"lorem ipsum dolor sit amet ".repeat(37_000)}</p>`.slice(0, 1_000_000);
    const ok = await agent.api.post("/kb/articles", { categoryId: category.id, title: "Big", body: big });
    expect(ok.status, ok.raw.slice(0, 200)).toBe(201);
    const tooBig = await agent.api.post("/kb/articles", {
      categoryId: category.id,
      title: "Bigger",
      body: "x".repeat(1_100_000),
    });
    expect(tooBig.status).toBe(400);
    expect((await agent.api.patch(`/kb/articles/${ok.body.id}`, { slug: "no spaces allowed" })).status).toBe(
      400,
    );
    expect((await agent.api.patch(`/kb/articles/${ok.body.id}`, { slug: "a--b" })).status).toBe(400);
    expect((await agent.api.patch(`/kb/articles/${ok.body.id}`, { published: true })).status).toBe(400);
    expect((await agent.api.patch(`/kb/articles/${ok.body.id}`, { status: "published" })).status).toBe(400);
    expect((await agent.api.get("/kb/articles/not-a-uuid")).status).toBe(400);
    expect(
      (
        await agent.api.post("/kb/articles", {
          categoryId: "00000000-0000-4000-8000-000000000000",
          title: "x",
          body: "",
        })
      ).status,
    ).toBe(404);
  });

  it("lists with filters, search in any language and cursors", async () => {
    const page1 = await agent.api.get("/kb/articles?limit=2");
    expect(page1.status).toBe(200);
    expect(page1.body.items).toHaveLength(2);
    expect(page1.body.nextCursor).toBeTruthy();
    const page2 = await agent.api.get(`/kb/articles?limit=2&cursor=${page1.body.nextCursor}`);
    expect(page2.body.items[0].id).not.toBe(page1.body.items[0].id);
    const found = await agent.api.get(`/kb/articles?q=${encodeURIComponent("ពាក្យសម្ងាត់")}`);
    expect(found.body.items.length).toBeGreaterThan(0);
    expect((await agent.api.get("/kb/articles?language=xx")).status).toBe(400);
  });
});

describe("public search, suggest, articles and feedback", () => {
  let kmArticle: Json;
  let internal: Json;
  let customersOnly: Json;

  beforeAll(async () => {
    kmArticle = await article(agent.api, {
      title: "Change my password",
      body: "<p>Use the settings page.</p>",
    });
    await agent.api.post(`/kb/articles/${kmArticle.id}/translations`, {
      language: "km",
      title: KHMER_TITLE,
      body: KHMER_BODY,
    });
    await agent.api.post(`/kb/articles/${kmArticle.id}/translations`, {
      language: "vi",
      title: "Đổi mật khẩu",
      body: "<p>Khách hàng mở trang cài đặt để đổi mật khẩu.</p>",
    });
    await publish(kmArticle.id, ["en", "km", "vi"]);
    internal = await article(agent.api, { title: "Internal password override", visibility: "internal" });
    await publish(internal.id);
    customersOnly = await article(agent.api, {
      title: "Password rules for customers",
      visibility: "customers",
    });
    await publish(customersOnly.id);
    await article(agent.api, { title: "Draft password notes" });
  });

  it("finds a Khmer article by a word inside unspaced Khmer text, with the word highlighted", async () => {
    const res = await anon.get(`/public/kb/search?lang=km&q=${encodeURIComponent("ទំព័រ")}`);
    expect(res.status).toBe(200);
    expect(res.body.items.map((h: Json) => h.id)).toContain(kmArticle.id);
    const hit = res.body.items.find((h: Json) => h.id === kmArticle.id);
    expect(hit.snippet).toContain("<mark>ទំព័រ</mark>");
    expect(hit.url).toBe(`/help/km/articles/${encodeURIComponent(hit.slug)}`);
  });

  it("finds Vietnamese without diacritics", async () => {
    const res = await anon.get("/public/kb/search?lang=vi&q=doi%20mat%20khau");
    expect(res.body.items.map((h: Json) => h.id)).toEqual([kmArticle.id]);
    expect(res.body.items[0].snippet).toContain("<mark>mật</mark>");
  });

  it("internal, customers-only and draft articles never reach public search, suggest or pages", async () => {
    for (const path of ["search", "suggest"]) {
      const res = await anon.get(`/public/kb/${path}?lang=en&q=password`);
      expect(res.status).toBe(200);
      const ids = res.body.items.map((h: Json) => h.id);
      expect(ids).toContain(kmArticle.id);
      expect(ids).not.toContain(internal.id);
      expect(ids).not.toContain(customersOnly.id);
      for (const h of res.body.items) expect(h.title).not.toMatch(/Internal|Draft/);
    }
    expect((await anon.get(`/public/kb/articles/${internal.translations[0].slug}`)).status).toBe(404);
    expect((await anon.get(`/public/kb/articles/${customersOnly.translations[0].slug}`)).status).toBe(404);
    expect((await html(`/help/en/articles/${internal.translations[0].slug}`)).statusCode).toBe(404);
    expect((await anon.post(`/public/kb/articles/${internal.id}/feedback`, { helpful: true })).status).toBe(
      404,
    );
    const sitemap = await html("/help/sitemap.xml");
    expect(sitemap.body).toContain(kmArticle.translations[0].slug);
    expect(sitemap.body).not.toContain(internal.translations[0].slug);
  });

  it("lists the most read public articles of a language (the widget's help tab), never internal ones", async () => {
    const res = await anon.get("/public/kb/popular?lang=en&limit=20");
    expect(res.status, res.raw).toBe(200);
    expect(res.body.language).toBe("en");
    const ids = res.body.items.map((h: Json) => h.id);
    expect(ids).toContain(kmArticle.id);
    for (const hidden of [internal.id, customersOnly.id]) expect(ids).not.toContain(hidden);
    const km = await anon.get("/public/kb/popular?lang=km");
    expect(km.body.items).toContainEqual(
      expect.objectContaining({
        id: kmArticle.id,
        language: "km",
        url: expect.stringMatching(/^\/help\/km\/articles\//),
      }),
    );
    expect((await anon.get("/public/kb/popular?lang=en&limit=21")).status).toBe(400);
    expect((await anon.get("/public/kb/popular?lang=zz")).status).toBe(400);
  });

  it("suggest returns at most 5 and refuses more; unknown languages and empty queries", async () => {
    const res = await anon.get("/public/kb/suggest?lang=en&q=pass");
    expect(res.body.items.length).toBeGreaterThan(0);
    expect(res.body.items.length).toBeLessThanOrEqual(5);
    expect((await anon.get("/public/kb/suggest?lang=en&q=pass&limit=20")).status).toBe(400);
    expect((await anon.get("/public/kb/search?lang=fr&q=x")).status).toBe(400);
    expect((await anon.get("/public/kb/search?lang=../../etc&q=x")).status).toBe(400);
    expect((await anon.get("/public/kb/search?lang=en&q=%20%20")).body.items).toEqual([]);
    expect((await anon.get("/public/kb/search?lang=en&q=x&extra=1")).status).toBe(400);
  });

  it("an article in another language falls back to the default language with a flag", async () => {
    const res = await anon.get(`/public/kb/articles/${kmArticle.translations[0].slug}?lang=ta`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ language: "en", requestedLanguage: "ta", fallback: true });
    expect(res.body.translations.map((x: Json) => x.language).sort()).toEqual(["en", "km", "vi"]);
    expect((await anon.get("/public/kb/articles/%00broken")).status).toBe(400);
    expect((await anon.get(`/public/kb/articles/${"x".repeat(300)}`)).status).toBe(414);
    expect((await anon.get("/public/kb/articles/no-such-article")).status).toBe(404);
  });

  it("feedback: one vote per visitor per article, replaced by a later vote; comments are stripped of HTML", async () => {
    const url = `/public/kb/articles/${kmArticle.id}/feedback`;
    const first = await anon.post(url, { helpful: true, comment: "<script>alert(1)</script><b>Great</b>" });
    expect(first.status).toBe(200);
    const cookie = /rapport_kb=([^;]+)/.exec(String(first.headers["set-cookie"]))?.[1];
    expect(cookie).toBeTruthy();
    const visitor = { headers: { cookie: `rapport_kb=${cookie}` } };
    await anon.post(url, { helpful: true }, visitor);
    const changed = await anon.post(url, { helpful: false }, visitor);
    expect(changed.body.no).toBeGreaterThanOrEqual(1);
    const other = await anon.post(
      url,
      { helpful: true },
      { headers: { cookie: "rapport_kb=another-visitor-000001" } },
    );
    expect(other.body.yes + other.body.no).toBe(changed.body.yes + changed.body.no + 1);
    const { kbFeedback } = await import("./kb.table.ts");
    const rows = await t.database.db.select().from(kbFeedback).where(eq(kbFeedback.articleId, kmArticle.id));
    for (const r of rows) expect(r.comment ?? "").not.toMatch(/<|script/);
    expect((await anon.post(url, { helpful: "yes" })).status).toBe(400);
    expect((await anon.post(url, { helpful: true, comment: "x".repeat(3000) })).status).toBe(400);
  });

  it("logs searches: zero-result queries are content gaps on the managers' stats page", async () => {
    await anon.get("/public/kb/search?lang=ta&q=zzqx-nothing");
    await anon.get("/public/kb/search?lang=en&q=password");
    const stats = await manager.api.get("/kb/stats?days=7");
    expect(stats.status).toBe(200);
    expect(stats.body.contentGaps).toEqual(
      expect.arrayContaining([expect.objectContaining({ query: "zzqx-nothing", language: "ta" })]),
    );
    expect(stats.body.topSearches.some((s: Json) => s.query === "password")).toBe(true);
    expect(stats.body.byLanguage.find((l: Json) => l.language === "ta").gaps).toBeGreaterThanOrEqual(1);
    expect(stats.body.articles.some((a: Json) => a.id === kmArticle.id && a.views > 0)).toBe(true);
    expect((await agent.api.get("/kb/stats")).status).toBe(403);
    expect((await anon.get("/kb/stats")).status).toBe(401);
  });

  it("the help centre: home, category, article with hreflang/canonical/Open Graph, search, feedback form, fallback", async () => {
    const root = await html("/help", { "accept-language": "km-KH,km;q=0.9,en;q=0.5" });
    expect(root.statusCode).toBe(302);
    expect(root.headers.location).toBe("/help/km");
    const home = await html("/help/km");
    expect(home.statusCode).toBe(200);
    expect(home.body).toContain('<html lang="km">');
    expect(home.body).toContain("Acme Support");
    expect(home.body).toContain("គណនី");
    expect(home.body).not.toContain("<script");
    const kmSlug = kmArticle.translations.find((x: Json) => x.language === "en").slug;
    const page = await html(`/help/en/articles/${kmSlug}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('rel="canonical"');
    expect(page.body).toMatch(/hreflang="km"/);
    expect(page.body).toMatch(/hreflang="x-default"/);
    expect(page.body).toContain('property="og:title"');
    expect(page.body).toContain('href="/support/new?lang=en"');
    const fallback = await html(`/help/ta/articles/${kmSlug}`);
    expect(fallback.statusCode).toBe(200);
    expect(fallback.body).toContain('class="note"');
    const search = await html(`/help/km/search?q=${encodeURIComponent("ពាក្យសម្ងាត់")}`);
    expect(search.body).toContain("<mark>");
    expect(search.body).toContain(KHMER_TITLE);
    const xss = await html(`/help/en/search?q=${encodeURIComponent('"><script>alert(1)</script>')}`);
    expect(xss.body).not.toContain("<script>alert(1)");
    const vote = await t.app.inject({
      method: "POST",
      url: `/help/en/articles/${kmSlug}/feedback`,
      headers: { "content-type": "application/x-www-form-urlencoded" },
      payload: "helpful=yes&comment=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3EThanks",
    });
    expect(vote.statusCode).toBe(303);
    expect((await html("/help/xx")).statusCode).toBe(404);
    expect((await html("/help/en/categories/nope")).statusCode).toBe(404);
    const faqPage = await html(`/help/en/categories/${faq.slug}`);
    expect(faqPage.statusCode).toBe(200);
  });
});

describe("files", () => {
  const PNG = Buffer.from(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6300010000000500010d0a2db40000000049454e44ae426082",
    "hex",
  );
  const upload = (api: Api, name: string, type: string, content: Buffer) => {
    const boundary = "----kbtest";
    const payload = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: ${type}\r\n\r\n`,
      ),
      content,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    return api.post("/kb/files", payload, {
      headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
    });
  };

  it("stores images like ticket attachments, serves them publicly, refuses SVG and anonymous uploads", async () => {
    const res = await upload(agent.api, "shot.png", "image/png", PNG);
    expect(res.status, res.raw).toBe(201);
    const file = await html(res.body.url);
    expect(file.statusCode).toBe(200);
    expect(file.headers["content-type"]).toBe("image/png");
    expect(file.headers["x-content-type-options"]).toBe("nosniff");
    expect((await upload(agent.api, "x.svg", "image/svg+xml", Buffer.from("<svg></svg>"))).status).toBe(415);
    expect((await upload(anon, "shot.png", "image/png", PNG)).status).toBe(401);
  });
});
