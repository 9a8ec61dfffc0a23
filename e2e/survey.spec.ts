import { expect, type Page, test } from "@playwright/test";
import { SURVEY_STRINGS } from "../apps/server/src/modules/csat/csat.i18n.ts";
import { startCapture } from "../apps/server/src/modules/email/email.testkit.ts";
import { portalStrings } from "../apps/server/src/modules/portal/portal.i18n.ts";
import { E2E_PORT } from "./constants.ts";
import { ADMIN, Api, checkA11y, ensureSetup, screenshot, unique } from "./helpers.ts";

/**
 * Satisfaction surveys as the customer meets them. By email, in English, Vietnamese, Khmer and
 * Tamil: the survey email arrives over SMTP (a capturing server), a mail scanner follows every
 * link first and records nothing, then the customer's click preselects a bad rating on a page where
 * they confirm it with a reason and a comment. On the portal: a solved request asks for a rating.
 * Axe on every page.
 */
const BASE = `http://127.0.0.1:${E2E_PORT}`;
const LANGS = ["en", "vi", "km", "ta"] as const;
type Lang = (typeof LANGS)[number];
type Mailbox = { id: string; active: boolean };
type TicketCsat = {
  surveys: Array<{
    status: string;
    good: boolean | null;
    comment: string | null;
    reason: { label: string } | null;
  }>;
};

const REASON: Record<Lang, string> = {
  en: "Too slow",
  vi: "Quá chậm",
  km: "យឺតពេក",
  ta: "மிகவும் தாமதம்",
};

test.describe("satisfaction surveys", () => {
  test.describe.configure({ mode: "serial" });
  let admin: Api;
  let capture: Awaited<ReturnType<typeof startCapture>>;
  let mailboxId = "";
  let reasonId = "";
  let paused: Mailbox[] = [];

  test.beforeAll(async () => {
    await ensureSetup(BASE);
    admin = await Api.login(BASE, ADMIN.email, ADMIN.password);
    capture = await startCapture();
    // Survey emails go out through the ticket's mailbox, else the first sending one: make it the
    // capturing one for this suite, and restore the others after.
    paused = (await admin.get<Mailbox[]>("/email/mailboxes")).filter((b) => b.active);
    for (const b of paused) await admin.send("PATCH", `/email/mailboxes/${b.id}`, { active: false });
    const mb = await admin.send<{ id: string }>("POST", "/email/mailboxes", {
      address: `${unique("survey")}@e2e-mail.test`.toLowerCase(),
      displayName: "Support",
      smtp: { host: "127.0.0.1", port: capture.port, tls: "none" },
    });
    mailboxId = mb.id;
    await admin.send("PATCH", "/csat/settings", {
      enabled: true,
      delayMinutes: 0,
      scale: "good_bad",
      channels: ["email", "web", "chat", "phone"],
    });
    const reason = await admin.send<{ id: string }>("POST", "/csat/reasons", {
      labels: { en: `${REASON.en} ${unique("r")}`, vi: REASON.vi, km: REASON.km, ta: REASON.ta },
    });
    reasonId = reason.id;
  });

  test.afterAll(async () => {
    if (reasonId) await admin.send("PATCH", `/csat/reasons/${reasonId}`, { active: false });
    await admin.send("PATCH", "/csat/settings", { delayMinutes: 60 });
    if (mailboxId) await admin.send("DELETE", `/email/mailboxes/${mailboxId}`);
    for (const b of paused) await admin.send("PATCH", `/email/mailboxes/${b.id}`, { active: true });
    await capture?.close();
    await admin?.dispose();
  });

  /** A solved ticket of a new customer writing in `lang`, and the survey email's links. */
  async function solvedTicket(lang: Lang, channel: "email" | "web") {
    const email = `${unique(`csat-${lang}`)}@example.test`.toLowerCase();
    await admin.send("POST", "/contacts", { name: `Customer ${lang}`, emails: [email], language: lang });
    const ticket = await admin.send<{ id: string; number: number }>("POST", "/tickets", {
      subject: `Survey ${lang} ${unique("s")}`,
      channel,
      language: lang,
      requester: { email },
      message: { body: "My order has not arrived." },
    });
    await admin.send("POST", `/tickets/${ticket.id}/messages`, { body: "It is on its way." });
    await admin.send("PATCH", `/tickets/${ticket.id}`, { status: "solved" });
    return { ticket, email };
  }

  async function surveyLinks(email: string) {
    await expect
      .poll(
        () =>
          capture.received.some((m) => m.envelope.to.includes(email) && /\/survey\//.test(m.mail.text ?? "")),
        {
          timeout: 90_000,
        },
      )
      .toBe(true);
    const mail = capture.received.find(
      (m) => m.envelope.to.includes(email) && /\/survey\//.test(m.mail.text ?? ""),
    );
    const links = [
      ...(mail?.mail.text ?? "").matchAll(/https?:\/\/\S+?(\/survey\/[A-Za-z0-9_-]+\?rating=\w+)/g),
    ].map((m) => m[1] ?? "");
    return { mail, links };
  }

  const csatOf = (id: string) => admin.get<TicketCsat>(`/tickets/${id}/csat`);

  for (const lang of LANGS) {
    test(`email link: a scanner records nothing, the customer confirms a bad rating (${lang})`, async ({
      browser,
      playwright,
    }, testInfo) => {
      test.setTimeout(180_000);
      const s = SURVEY_STRINGS[lang];
      const { ticket, email } = await solvedTicket(lang, "email");
      const { mail, links } = await surveyLinks(email);
      expect(mail?.mail.subject).toBe(s.emailSubject.replace("{number}", String(ticket.number)));
      expect(links).toHaveLength(2);

      // A mail scanner follows every link (GET) before the customer: nothing is recorded.
      const scanner = await playwright.request.newContext({ baseURL: BASE });
      for (const link of links) expect((await scanner.get(link)).status()).toBe(200);
      await scanner.dispose();
      expect((await csatOf(ticket.id)).surveys[0]?.status).toBe("sent");

      // The customer's click on "bad" opens the page with it preselected; they confirm.
      const context = await browser.newContext();
      const page: Page = await context.newPage();
      const bad = links.find((l) => l.endsWith("rating=bad")) ?? "";
      await page.goto(bad);
      await expect(page.locator("html")).toHaveAttribute("lang", lang);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(s.pageTitle);
      await expect(page.getByRole("radio", { name: s.bad })).toBeChecked();
      await checkA11y(page, testInfo, `survey-page-${lang}`);
      await screenshot(page, testInfo, `survey-page-${lang}`);
      await page.getByLabel(s.reasonLabel).selectOption(reasonId);
      await page.getByLabel(s.commentLabel).fill(`Slow delivery (${lang})`);
      await page.getByRole("button", { name: s.submit }).click();
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(s.thanks);
      await checkA11y(page, testInfo, `survey-thanks-${lang}`);
      const [survey] = (await csatOf(ticket.id)).surveys;
      expect(survey).toMatchObject({ status: "answered", good: false, comment: `Slow delivery (${lang})` });
      expect(survey?.reason?.label).toContain(REASON[lang]);

      // The link again: answered.
      await page.goto(bad);
      await expect(page.getByText(s.used)).toBeVisible();
      await context.close();
    });
  }

  test("portal: a solved request asks for a rating", async ({ browser }, testInfo) => {
    test.setTimeout(180_000);
    const lang = "vi";
    const t = portalStrings(lang);
    const s = SURVEY_STRINGS[lang];
    const { ticket, email } = await solvedTicket(lang, "web");
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`/portal?lang=${lang}`);
    await page.getByLabel(t.email).fill(email);
    await page.getByRole("button", { name: t.sendLink }).click();
    await expect(page.getByRole("status")).toHaveText(t.linkSent);
    await expect
      .poll(
        () =>
          capture.received.some(
            (m) => m.envelope.to.includes(email) && /portal\/verify/.test(m.mail.text ?? ""),
          ),
        {
          timeout: 60_000,
        },
      )
      .toBe(true);
    const signIn = capture.received.find(
      (m) => m.envelope.to.includes(email) && /portal\/verify/.test(m.mail.text ?? ""),
    );
    const link = /\/portal\/verify\?token=[A-Za-z0-9_-]+/.exec(signIn?.mail.text ?? "")?.[0] ?? "";
    await page.goto(`${link}&lang=${lang}`);
    await page.getByRole("button", { name: t.verifyButton }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(t.myRequests);

    await page.goto(`/portal/requests/${ticket.id}?lang=${lang}`);
    const rating = page.getByTestId("portal-rating");
    await expect(rating).toBeVisible();
    await expect(rating.getByText(s.question.replace("{number}", String(ticket.number)))).toBeVisible();
    await checkA11y(page, testInfo, "portal-rating-vi");
    await screenshot(page, testInfo, "portal-rating-vi");
    await rating.getByRole("radio", { name: s.good }).check();
    await rating.getByLabel(s.commentLabel).fill("Cảm ơn, rất nhanh!");
    await rating.getByRole("button", { name: s.submit }).click();
    await expect(page.getByRole("status")).toHaveText(s.thanks);
    await expect(page.getByTestId("portal-rating")).toHaveCount(0);
    const [survey] = (await csatOf(ticket.id)).surveys;
    expect(survey).toMatchObject({ status: "answered", good: true, comment: "Cảm ơn, rất nhanh!" });
    await context.close();
  });
});
