import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jobs } from "../../jobs/jobs.table.ts";
import { ALLOW_PRIVATE_ENV } from "../../lib/ssrf.ts";
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
import { outboundEmails } from "../email/email.table.ts";
import { notifications } from "../notifications/notifications.table.ts";
import { webhookDeliveries } from "../webhooks/webhooks.table.ts";
import { SEND_SURVEY_JOB, sendSurvey } from "./csat.service.ts";
import { csatSurveys } from "./csat.table.ts";

const H = 3600_000;
const START = new Date("2026-11-23T02:00:00Z");

let t: TestApp;
let admin: { api: Api; user: Json };
let agent: { api: Api; user: Json };
let manager: { api: Api; user: Json };
let outsider: { api: Api; user: Json };
let team: { id: string };
let anon: Api;

const surveysOf = (ticketId: string) =>
  t.database.db.select().from(csatSurveys).where(eq(csatSurveys.ticketId, ticketId));
const surveyEmail = async (ticketId: string) => {
  const rows = await t.database.db
    .select()
    .from(outboundEmails)
    .where(and(eq(outboundEmails.ticketId, ticketId), eq(outboundEmails.kind, "survey")));
  return rows;
};
/** Solves a ticket the way an agent does, then runs the survey's job once it is due. */
async function solveAndSend(ticket: Json) {
  const res = await agent.api.patch(`/tickets/${ticket.id}`, { status: "solved" });
  expect(res.status).toBe(200);
  const [survey] = (await surveysOf(ticket.id)).filter((s) => s.status === "scheduled");
  if (!survey) throw new Error("no survey scheduled");
  t.clock.advance(H);
  await sendSurvey(t.services, survey.id);
  const [mail] = await surveyEmail(ticket.id);
  if (!mail) throw new Error("no survey email");
  const links = [...mail.bodyText.matchAll(/https?:\/\/\S+\/survey\/([A-Za-z0-9_-]+)\?rating=(\w+)/g)];
  return { survey, mail, links, token: links[0]?.[1] ?? "" };
}
const newTicket = (over: Record<string, unknown> = {}) =>
  createTicket(agent.api, { channel: "email", teamId: team.id, assigneeId: agent.user.id, ...over });

beforeAll(async () => {
  t = await createTestApp();
  t.clock.set(START);
  admin = await setupAdmin(t);
  team = await createTeam(admin.api, "Care");
  const other = await createTeam(admin.api, "Sales");
  agent = await createAgent(t, admin.api, { name: "Sokha", teamIds: [team.id] });
  manager = await createAgent(t, admin.api, { name: "Lan", role: "manager", teamIds: [team.id] });
  outsider = await createAgent(t, admin.api, { name: "Kavin", teamIds: [other.id] });
  anon = apiClient(t.app);
});
afterAll(async () => {
  delete process.env[ALLOW_PRIVATE_ENV];
  await t?.close();
});

describe("satisfaction surveys", () => {
  let ticket: Json;
  let token: string;

  it("solving schedules one survey an hour later, its job inserted with the change", async () => {
    ticket = await newTicket({ language: "vi" });
    await agent.api.patch(`/tickets/${ticket.id}`, { status: "solved" });
    const [survey] = await surveysOf(ticket.id);
    expect(survey).toMatchObject({
      status: "scheduled",
      agentId: agent.user.id,
      teamId: team.id,
      scale: "good_bad",
    });
    expect(survey?.sendAt.getTime()).toBe(START.getTime() + H);
    const [job] = await t.database.db
      .select()
      .from(jobs)
      .where(and(eq(jobs.kind, SEND_SURVEY_JOB), eq(jobs.dedupeKey, `csat:${survey?.id}`)));
    expect(job?.runAt.getTime()).toBe(START.getTime() + H);
  });

  it("a reopen discards the unanswered survey; the next resolution gets a new one", async () => {
    await agent.api.patch(`/tickets/${ticket.id}`, { status: "open" });
    expect((await surveysOf(ticket.id)).map((s) => s.status)).toEqual(["discarded"]);
    t.clock.advance(60_000);
    const sent = await solveAndSend(ticket);
    token = sent.token;
    const all = await surveysOf(ticket.id);
    expect(all.map((s) => s.status).sort()).toEqual(["discarded", "sent"]);
    // In the customer's language, with one link per rating; only the hash of the token is stored.
    expect(sent.mail.subject).toContain("Chúng tôi đã hỗ trợ bạn thế nào?");
    expect(sent.links.map((l) => l[2]).sort()).toEqual(["bad", "good"]);
    const row = all.find((s) => s.status === "sent");
    expect(row?.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(row?.tokenHash).not.toContain(token);
  });

  it("a mail scanner following every link records nothing; the customer's confirmation does", async () => {
    // The scanner: GET on every link in the email, page and API.
    const mail = (await surveyEmail(ticket.id)).at(-1);
    for (const [, tok, rating] of (mail?.bodyText ?? "").matchAll(
      /\/survey\/([A-Za-z0-9_-]+)\?rating=(\w+)/g,
    )) {
      const page = await t.app.inject({ method: "GET", url: `/survey/${tok}?rating=${rating}` });
      expect(page.statusCode).toBe(200);
      expect(page.headers["content-type"]).toContain("text/html");
      expect(page.headers["content-security-policy"]).toContain("default-src 'none'");
    }
    await anon.get(`/public/surveys/${token}`);
    const [before] = (await surveysOf(ticket.id)).filter((s) => s.status === "sent");
    expect(before?.rating).toBeNull();

    // The page shows the Vietnamese form with "bad" preselected; the customer confirms.
    const page = await t.app.inject({ method: "GET", url: `/survey/${token}?rating=bad` });
    expect(page.body).toContain('lang="vi"');
    expect(page.body).toContain("Chưa tốt, tôi không hài lòng");
    expect(page.body).toMatch(/value="bad" checked/);
    expect(page.body).not.toMatch(/value="good" checked/);
    const reason = await admin.api.post("/csat/reasons", {
      labels: {
        en: "Took too long",
        vi: "Mất quá nhiều thời gian",
        km: "ចំណាយពេលយូរពេក",
        ta: "அதிக நேரம் ஆனது",
      },
    });
    expect(reason.status).toBe(201);
    // A rating notifies the team and reopens: a trigger on csat.rated.
    const trig = await admin.api.post("/triggers", {
      name: "Bad rating: reopen and tell the team",
      events: ["csat.rated"],
      conditions: [{ field: "csat.good", op: "is", value: false }],
      actions: [
        { type: "set_status", value: "open" },
        { type: "notify", to: "team", title: "A customer was not satisfied" },
      ],
    });
    expect(trig.status).toBe(201);
    process.env[ALLOW_PRIVATE_ENV] = "1";
    const hook = await admin.api.post("/webhooks", {
      name: "CRM",
      url: "http://127.0.0.1:9/hook",
      events: ["csat.rated"],
    });
    expect(hook.status).toBe(201);

    const confirm = await t.app.inject({
      method: "POST",
      url: `/survey/${token}`,
      headers: { "content-type": "application/x-www-form-urlencoded" },
      payload: new URLSearchParams({
        rating: "bad",
        comment: "<script>alert(1)</script> Chờ lâu quá",
        reasonId: reason.body.id,
      }).toString(),
    });
    expect(confirm.statusCode).toBe(200);
    expect(confirm.body).toContain("Cảm ơn bạn!");
    const [rated] = (await surveysOf(ticket.id)).filter((s) => s.status === "answered");
    expect(rated).toMatchObject({ rating: 0, good: false, reasonId: reason.body.id });
    expect(rated?.comment).toBe("<script>alert(1)</script> Chờ lâu quá");

    // Triggers reopened the ticket and notified the team; the webhook got csat.rated.
    const after = await agent.api.get(`/tickets/${ticket.id}`);
    expect(after.body.status).toBe("open");
    const notes = await t.database.db
      .select()
      .from(notifications)
      .where(eq(notifications.userId, agent.user.id));
    expect(
      notes.some(
        (n) => n.ticketId === ticket.id && JSON.stringify(n.params).includes("A customer was not satisfied"),
      ),
    ).toBe(true);
    const deliveries = await t.database.db
      .select()
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.event, "csat.rated"));
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]?.payload).toMatchObject({
      survey: { rating: 0, good: false },
      ticket: { id: ticket.id },
    });

    // On the ticket, for agents who may see it; the comment is returned as text.
    const csat = await agent.api.get(`/tickets/${ticket.id}/csat`);
    expect(csat.status).toBe(200);
    expect(csat.body.surveys[0]).toMatchObject({
      status: "answered",
      good: false,
      reason: { label: "Mất quá nhiều thời gian" },
    });
    expect((await outsider.api.get(`/tickets/${ticket.id}/csat`)).status).toBe(404);
    // The rating is in the customer's dossier timeline.
    const timeline = await agent.api.get(`/contacts/${ticket.requester.id}/timeline?types=csat`);
    expect(timeline.status).toBe(200);
    expect(timeline.body.items.map((i: Json) => i.kind)).toContain("csat");
  });

  it("refuses used, forged and expired tokens, on the page and the API", async () => {
    const used = await anon.post(`/public/surveys/${token}`, { rating: "good" });
    expect(used.status).toBe(409);
    const usedPage = await t.app.inject({ method: "GET", url: `/survey/${token}` });
    expect(usedPage.statusCode).toBe(409);
    expect(usedPage.body).toContain("Khảo sát này đã được trả lời");
    const forged = `${token.slice(0, -4)}AAAA`;
    expect((await anon.get(`/public/surveys/${forged}`)).status).toBe(404);
    expect((await anon.post(`/public/surveys/${forged}`, { rating: "good" })).status).toBe(404);
    expect((await anon.get("/public/surveys/short")).status).toBe(404);
    const forgedPage = await t.app.inject({ method: "GET", url: `/survey/${forged}?lang=km` });
    expect(forgedPage.statusCode).toBe(404);
    expect(forgedPage.body).toContain("តំណស្ទង់មតិនេះមិនត្រឹមត្រូវទេ");

    const other = await newTicket();
    const sent = await solveAndSend(other);
    t.clock.advance(7 * 24 * H + 1000);
    const expired = await anon.post(`/public/surveys/${sent.token}`, { rating: "good" });
    expect(expired.status).toBe(410);
    expect(expired.body.error.details.reason).toBe("expired");
    const page = await t.app.inject({ method: "GET", url: `/survey/${sent.token}?rating=good&lang=ta` });
    expect(page.statusCode).toBe(410);
    expect(page.body).toContain("காலாவதியாகிவிட்டது");
  });

  it("takes a 1-5 answer by JSON with bad input refused and nothing written", async () => {
    expect((await admin.api.patch("/csat/settings", { scale: "five" })).status).toBe(200);
    const tk = await newTicket({ language: "km" });
    const { token: tok, mail } = await solveAndSend(tk);
    expect(mail.bodyText).toContain("ពេញចិត្តខ្លាំង");
    const survey = await anon.get(`/public/surveys/${tok}`);
    expect(survey.body).toMatchObject({ scale: "five", language: "km", ticket: { number: tk.number } });
    expect(survey.body.options).toHaveLength(5);
    for (const bad of [
      { rating: "good" },
      { rating: 0 },
      { rating: 6 },
      { rating: 5, extra: 1 },
      { rating: 5, comment: "x".repeat(5001) },
      { rating: 5, reasonId: "not-a-uuid" },
      { rating: 5, reasonId: "00000000-0000-4000-8000-000000000000" },
      { comment: "no rating" },
    ]) {
      const res = await anon.post(`/public/surveys/${tok}`, bad);
      expect(res.status, JSON.stringify(bad)).toBe(400);
    }
    const [still] = (await surveysOf(tk.id)).filter((s) => s.status === "sent");
    expect(still?.rating).toBeNull();
    const ok = await anon.post(`/public/surveys/${tok}`, { rating: 5, comment: "អរគុណច្រើន" });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ status: "answered", rating: 5, good: true });
    await admin.api.patch("/csat/settings", { scale: "good_bad" });
  });

  it("sends none for spam, merged, agent-only, disabled channels or a ticket an agent skipped", async () => {
    const spam = await newTicket({ tags: ["spam"] });
    const merged = await newTicket({ tags: ["merged"] });
    const agentOnly = await newTicket({ message: { body: "Internal follow-up", internal: true } });
    const phone = await newTicket({ channel: "api" });
    const skipped = await newTicket();
    const skip = await agent.api.post(`/tickets/${skipped.id}/csat/skip`);
    expect(skip.status).toBe(200);
    expect(skip.body.skipped).toBe(true);
    expect((await outsider.api.post(`/tickets/${skipped.id}/csat/skip`)).status).toBe(404);
    expect((await anon.post(`/tickets/${skipped.id}/csat/skip`)).status).toBe(401);
    for (const tk of [spam, merged, agentOnly, phone, skipped])
      await agent.api.patch(`/tickets/${tk.id}`, { status: "solved" });
    for (const tk of [spam, merged, agentOnly, phone, skipped]) expect(await surveysOf(tk.id)).toEqual([]);
    // A solved ticket merged into another before its survey went out: the survey is discarded.
    const source = await newTicket();
    const target = await newTicket({ requester: { id: source.requester.id } });
    await agent.api.patch(`/tickets/${source.id}`, { status: "solved" });
    const [pending] = await surveysOf(source.id);
    const merge = await agent.api.post(`/tickets/${target.id}/merge`, { sourceIds: [source.id] });
    expect(merge.status).toBe(200);
    if (pending) await sendSurvey(t.services, pending.id);
    expect((await surveysOf(source.id)).map((s) => s.status)).toEqual(["discarded"]);
    expect(await surveyEmail(source.id)).toEqual([]);
    // Skipping after the solve discards the scheduled survey.
    const late = await newTicket();
    await agent.api.patch(`/tickets/${late.id}`, { status: "solved" });
    await agent.api.post(`/tickets/${late.id}/csat/skip`);
    expect((await surveysOf(late.id)).map((s) => s.status)).toEqual(["discarded"]);
  });

  it("a customer's reply to a solved ticket discards its survey", async () => {
    const tk = await newTicket();
    await agent.api.patch(`/tickets/${tk.id}`, { status: "solved" });
    const reply = await agent.api.post(`/tickets/${tk.id}/messages`, {
      body: "Still broken",
      authorType: "customer",
    });
    expect(reply.status).toBe(201);
    expect((await surveysOf(tk.id)).map((s) => s.status)).toEqual(["discarded"]);
  });

  it("lists responses scoped to visible tickets, with response rate and CSAT %", async () => {
    const mine = await agent.api.get("/csat/responses?from=2026-11-01T00:00:00Z&to=2027-01-01T00:00:00Z");
    expect(mine.status).toBe(200);
    expect(mine.body.items.length).toBe(2);
    expect(mine.body.summary).toMatchObject({ rated: 2, good: 1, csat: 0.5 });
    expect(mine.body.summary.sent).toBe(3);
    const bad = await manager.api.get(
      "/csat/responses?rating=bad&from=2026-11-01T00:00:00Z&to=2027-01-01T00:00:00Z",
    );
    expect(bad.body.items.map((i: Json) => i.good)).toEqual([false]);
    const theirs = await outsider.api.get(
      "/csat/responses?from=2026-11-01T00:00:00Z&to=2027-01-01T00:00:00Z",
    );
    expect(theirs.body.items).toEqual([]);
    expect(theirs.body.summary.sent).toBe(0);
    expect((await anon.get("/csat/responses")).status).toBe(401);
    for (const q of ["?limit=0", "?from=yesterday", "?channel=fax", "?language=fr", "?agentId=1", "?x=1"])
      expect((await agent.api.get(`/csat/responses${q}`)).status, q).toBe(400);
  });

  it("settings and reasons: admins change them; others may not", async () => {
    expect((await agent.api.patch("/csat/settings", { delayMinutes: 5 })).status).toBe(403);
    expect((await manager.api.patch("/csat/settings", { delayMinutes: 5 })).status).toBe(403);
    expect((await anon.get("/csat/settings")).status).toBe(401);
    expect((await agent.api.post("/csat/reasons", { labels: { en: "Rude" } })).status).toBe(403);
    for (const bad of [
      { delayMinutes: -1 },
      { expiryDays: 0 },
      { scale: "ten" },
      { channels: ["fax"] },
      { unknown: true },
    ])
      expect((await admin.api.patch("/csat/settings", bad)).status, JSON.stringify(bad)).toBe(400);
    for (const bad of [
      { labels: { vi: "Thiếu tiếng Anh" } },
      { labels: { en: "<b>bold</b>" } },
      { labels: { en: "ok", fr: "non" } },
      { labels: { en: "" } },
    ])
      expect((await admin.api.post("/csat/reasons", bad)).status, JSON.stringify(bad)).toBe(400);
    const changed = await admin.api.patch("/csat/settings", { delayMinutes: 0, channels: ["email"] });
    expect(changed.body).toMatchObject({ delayMinutes: 0, channels: ["email"], expiryDays: 7 });
    await admin.api.patch("/csat/settings", {
      delayMinutes: 60,
      channels: ["email", "web", "chat", "phone"],
    });
  });
});

describe("editable survey wording", () => {
  it("only administrators read or change it; bad wording is refused and nothing is written", async () => {
    expect((await agent.api.get("/csat/templates")).status).toBe(403);
    expect((await manager.api.put("/csat/templates/vi", { question: "Câu hỏi?" })).status).toBe(403);
    expect((await anon.get("/csat/templates")).status).toBe(401);
    expect((await anon.put("/csat/templates/vi", {})).status).toBe(401);
    expect((await agent.api.post("/csat/preview", { language: "vi" })).status).toBe(403);
    for (const [lang, bad] of [
      ["fr", { question: "Quoi ?" }],
      ["vi", { question: "<script>alert(1)</script>" }],
      ["vi", { question: "Hỏi {secret}?" }],
      ["vi", { commentLabel: "Góp ý {number}" }],
      ["vi", { emailSubject: "Line one\nBcc: evil@example.com" }],
      ["vi", { emailIntro: "Bad \u0000 byte" }],
      ["vi", { emailSubject: "x".repeat(201) }],
      ["vi", { question: "   " }],
      ["vi", { outro: "not editable" }],
      ["vi", { question: 42 }],
    ] as const) {
      const res = await admin.api.put(`/csat/templates/${lang}`, bad);
      expect(res.status, JSON.stringify(bad)).toBe(400);
    }
    const list = await admin.api.get("/csat/templates");
    expect(list.status).toBe(200);
    expect(list.body.items.map((i: Json) => [i.language, i.custom])).toEqual([
      ["en", []],
      ["vi", []],
      ["km", []],
      ["ta", []],
    ]);
    expect(list.body.items[1].texts.question).toBe(list.body.items[1].defaults.question);
    expect(list.body.placeholders.emailIntro).toEqual(["name", "number", "subject", "days"]);
  });

  it("the email and the survey page use the saved wording; the preview shows a draft; {} resets", async () => {
    const draft = await admin.api.post("/csat/preview", {
      language: "ta",
      texts: { question: "கோரிக்கை {number} எப்படி?" },
    });
    expect(draft.status).toBe(200);
    expect(draft.body.question).toBe("கோரிக்கை 1042 எப்படி?");
    // The draft was not saved.
    expect((await admin.api.get("/csat/preview?language=ta")).body.question).not.toContain("1042 எப்படி");
    const saved = await admin.api.put("/csat/templates/vi", {
      emailSubject: "Phiếu #{number}: bạn thấy thế nào?",
      emailIntro: "Chào {name},\n\nPhiếu #{number} đã xong & ổn chứ?",
      question: "Phiếu #{number} được hỗ trợ ra sao?",
      commentLabel: "Góp ý của bạn",
    });
    expect(saved.status).toBe(200);
    const vi = saved.body.items.find((i: Json) => i.language === "vi");
    expect(vi.custom).toEqual(["emailSubject", "emailIntro", "question", "commentLabel"]);
    expect(vi.texts.reasonLabel).toBe(vi.defaults.reasonLabel);
    const tk = await newTicket({ language: "vi" });
    const { mail, token } = await solveAndSend(tk);
    expect(mail.subject).toBe(`Phiếu #${tk.number}: bạn thấy thế nào?`);
    expect(mail.bodyText).toContain(`Phiếu #${tk.number} đã xong & ổn chứ?`);
    expect(mail.bodyHtml).toContain("đã xong &amp; ổn chứ?");
    const api = await anon.get(`/public/surveys/${token}`);
    expect(api.body.question).toBe(`Phiếu #${tk.number} được hỗ trợ ra sao?`);
    const page = await t.app.inject({ method: "GET", url: `/survey/${token}?rating=good` });
    expect(page.body).toContain(`Phiếu #${tk.number} được hỗ trợ ra sao?`);
    expect(page.body).toContain("Góp ý của bạn");
    // English keeps the built-in wording.
    const en = await anon.get(`/public/surveys/${token}?lang=en`);
    expect(en.body.question).toBe(`How would you rate the support for request #${tk.number}?`);
    // {} returns the language to the built-in wording.
    const reset = await admin.api.put("/csat/templates/vi", {});
    expect(reset.body.items.find((i: Json) => i.language === "vi").custom).toEqual([]);
    const after = await anon.get(`/public/surveys/${token}`);
    expect(after.body.question).toBe(`Bạn đánh giá thế nào về sự hỗ trợ cho yêu cầu #${tk.number}?`);
  });
});
