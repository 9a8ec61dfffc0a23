import { expect, type Page, test } from "@playwright/test";
import { startCapture } from "../apps/server/src/modules/email/email.testkit.ts";
import { portalStrings } from "../apps/server/src/modules/portal/portal.i18n.ts";
import formsEn from "../apps/web/src/features/forms/locales/en.ts";
import formsKm from "../apps/web/src/features/forms/locales/km.ts";
import formsTa from "../apps/web/src/features/forms/locales/ta.ts";
import formsVi from "../apps/web/src/features/forms/locales/vi.ts";
import { E2E_PORT } from "./constants.ts";
import { ADMIN, Api, checkA11y, ensureSetup, newSignedInPage, screenshot, unique } from "./helpers.ts";
import { ARTICLE, LANGS, publishArticle } from "./kb-articles.ts";

/**
 * The customer portal in Chromium, in every shipped language: a customer asks for a sign-in
 * link (the email is read from a capturing SMTP server that the portal's mailbox sends to),
 * signs in, sees suggested articles while typing a new request, sends it, replies, reads the
 * agent's answer and closes the request. Axe on every page; every page fits a phone.
 */
const BASE = `http://127.0.0.1:${E2E_PORT}`;

type Mailbox = { id: string; active: boolean };
/** The page fits the phone's width (polled: layout settles after the resize). */
async function fitsPhone(page: Page) {
  await expect
    .poll(() =>
      page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth),
    )
    .toBeLessThanOrEqual(0);
}

test.describe("customer portal", () => {
  let admin: Api;
  let capture: Awaited<ReturnType<typeof startCapture>>;
  let mailboxId = "";
  let paused: Mailbox[] = [];
  let suffix = "";

  test.beforeAll(async () => {
    await ensureSetup(BASE);
    admin = await Api.login(BASE, ADMIN.email, ADMIN.password);
    capture = await startCapture();
    // The portal's emails go out through the first sending mailbox: make it the capturing one
    // for this suite (other suites may have made mailboxes), and restore the others after.
    paused = (await admin.get<Mailbox[]>("/email/mailboxes")).filter((b) => b.active);
    for (const b of paused) await admin.send("PATCH", `/email/mailboxes/${b.id}`, { active: false });
    const mb = await admin.send<{ id: string }>("POST", "/email/mailboxes", {
      address: `${unique("portal")}@e2e-mail.test`.toLowerCase(),
      displayName: "Support",
      smtp: { host: "127.0.0.1", port: capture.port, tls: "none" },
    });
    mailboxId = mb.id;
    suffix = unique("r").slice(2);
    await publishArticle(admin, suffix);
  });

  test.afterAll(async () => {
    if (mailboxId) await admin.send("DELETE", `/email/mailboxes/${mailboxId}`);
    for (const b of paused) await admin.send("PATCH", `/email/mailboxes/${b.id}`, { active: true });
    await capture?.close();
    await admin?.dispose();
  });

  for (const lang of LANGS) {
    test(`sign in by link, new request with suggestions, reply, answer, close (${lang})`, async ({
      browser,
    }, testInfo) => {
      test.setTimeout(180_000);
      const t = portalStrings(lang);
      const email = `${unique(`cust-${lang}`)}@example.test`.toLowerCase();
      await admin.send("POST", "/contacts", { name: `Customer ${lang}`, emails: [email], language: lang });

      const context = await browser.newContext();
      const page = await context.newPage();

      // 1. Ask for a link.
      await page.goto(`/portal?lang=${lang}`);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(t.signInTitle);
      await checkA11y(page, testInfo, `portal-signin-${lang}`);
      await page.getByLabel(t.email).fill(email);
      await page.getByRole("button", { name: t.sendLink }).click();
      await expect(page.getByRole("status")).toHaveText(t.linkSent);
      await checkA11y(page, testInfo, `portal-link-sent-${lang}`);

      // 2. The email arrives over SMTP; its link opens the sign-in button.
      await expect
        .poll(() => capture.received.some((m) => m.envelope.to.includes(email)), { timeout: 60_000 })
        .toBe(true);
      const mail = capture.received.find((m) => m.envelope.to.includes(email));
      expect(mail?.mail.subject).toContain(t.linkEmailSubject.split("{org}")[0]?.trim());
      const link = /\/portal\/verify\?token=[A-Za-z0-9_-]+/.exec(mail?.mail.text ?? "")?.[0];
      expect(link, mail?.mail.text).toBeTruthy();
      await page.goto(`${link}&lang=${lang}`);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(t.verifyTitle);
      await checkA11y(page, testInfo, `portal-verify-${lang}`);
      await page.getByRole("button", { name: t.verifyButton }).click();

      // 3. Signed in: my requests (none yet), in the contact's language.
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(t.myRequests);
      await expect(page.locator("html")).toHaveAttribute("lang", lang);
      await expect(page.getByText(t.noRequests)).toBeVisible();
      await checkA11y(page, testInfo, `portal-requests-empty-${lang}`);

      // 4. A new request: suggestions while typing; the article in the customer's language.
      await page.getByRole("navigation").getByRole("link", { name: t.newRequest }).click();
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(t.newRequest);
      await checkA11y(page, testInfo, `portal-new-${lang}`);
      await page.getByLabel(t.subject).pressSequentially(ARTICLE[lang].typed);
      const suggestions = page.getByTestId("portal-suggestions");
      await expect(suggestions).toBeVisible();
      await expect(suggestions.getByRole("link", { name: `${ARTICLE[lang].title} ${suffix}` })).toBeVisible();
      await checkA11y(page, testInfo, `portal-new-suggestions-${lang}`);
      await screenshot(page, testInfo, `portal-new-${lang}`);
      const subject = `${ARTICLE[lang].typed} ${unique("req")}`;
      await page.getByLabel(t.subject).fill(subject);
      await page.getByLabel(t.describe).fill(`${ARTICLE[lang].typed}: ${lang} customer needs help`);
      await page.getByRole("button", { name: t.sendRequest }).click();

      // 5. The request page: the customer's message, then a reply.
      await expect(page.getByRole("heading", { level: 1 })).toContainText(subject);
      const id = /\/portal\/requests\/([0-9a-f-]{36})/.exec(page.url())?.[1] ?? "";
      expect(id).not.toBe("");
      await expect(page.getByTestId("portal-message")).toHaveCount(1);
      await checkA11y(page, testInfo, `portal-request-${lang}`);
      await page.getByLabel(t.yourReply).fill("One more detail: the light is red.");
      await page.getByRole("button", { name: t.send, exact: true }).click();
      await expect(page.getByRole("status")).toHaveText(t.replied);
      await expect(page.getByTestId("portal-message")).toHaveCount(2);

      // 6. The agent answers (and writes an internal note the customer never sees).
      await admin.send("POST", `/tickets/${id}/messages`, {
        body: "Internal: check the line",
        internal: true,
      });
      await admin.send("POST", `/tickets/${id}/messages`, { body: `Agent answer ${suffix}` });
      await page.reload();
      await expect(page.getByTestId("portal-message")).toHaveCount(3);
      await expect(page.getByTestId("portal-message").last()).toContainText(`Agent answer ${suffix}`);
      await expect(page.getByText("Internal: check the line")).toHaveCount(0);
      await checkA11y(page, testInfo, `portal-request-answered-${lang}`);

      // 7. The customer closes it.
      await page.getByRole("button", { name: t.closeRequest }).click();
      await expect(page.getByRole("status")).toHaveText(t.requestClosed);
      await expect(page.getByRole("button", { name: t.closeRequest })).toHaveCount(0);
      await checkA11y(page, testInfo, `portal-request-closed-${lang}`);

      await page.getByRole("link", { name: t.back }).click();
      await expect(page.getByTestId("portal-request")).toHaveCount(1);
      await expect(page.getByTestId("portal-request")).toContainText(t.status_solved);
      await checkA11y(page, testInfo, `portal-requests-${lang}`);
      await screenshot(page, testInfo, `portal-requests-${lang}`);

      // 8. The other pages, and every page at phone width.
      for (const path of ["/portal/callbacks", "/portal/profile"]) {
        await page.goto(`${path}?lang=${lang}`);
        await checkA11y(page, testInfo, `portal-${path.split("/")[2]}-${lang}`);
      }
      await page.setViewportSize({ width: 360, height: 740 });
      for (const path of [
        "/portal",
        `/portal/requests/${id}`,
        "/portal/new",
        "/portal/callbacks",
        "/portal/profile",
      ]) {
        await page.goto(`${path}?lang=${lang}`);
        await fitsPhone(page);
      }
      await screenshot(page, testInfo, `portal-profile-phone-${lang}`);
      await page.goto(`/portal/requests/${id}?lang=${lang}`);
      await fitsPhone(page);
      await checkA11y(page, testInfo, `portal-request-phone-${lang}`);
      await screenshot(page, testInfo, `portal-request-phone-${lang}`);

      // 9. Sign out: the pages ask to sign in again; the used link is refused.
      await page.getByRole("button", { name: t.signOut }).click();
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(t.signInTitle);
      await page.goto(`${link}&lang=${lang}`);
      await page.getByRole("button", { name: t.verifyButton }).click();
      await expect(page.getByRole("alert")).toHaveText(t.linkUsed);
      await checkA11y(page, testInfo, `portal-link-used-${lang}`);
      await context.close();
    });
  }
});

test.describe("web form suggestions", () => {
  test("articles as the visitor types the subject in four languages; the agent sees what the customer saw", async ({
    browser,
  }, testInfo) => {
    test.setTimeout(240_000);
    await ensureSetup(BASE);
    const admin = await Api.login(BASE, ADMIN.email, ADMIN.password);
    const suffix = unique("f").slice(2);
    await publishArticle(admin, suffix);

    const context = await browser.newContext();
    const page = await context.newPage();
    for (const lang of LANGS) {
      const forms: Record<string, string> = { en: formsEn, vi: formsVi, km: formsKm, ta: formsTa }[lang];
      await page.goto(`/support/new?lang=${lang}`);
      await page.getByLabel(forms["forms.subject"] ?? "").pressSequentially(ARTICLE[lang].typed);
      const box = page.getByTestId("form-suggestions");
      await expect(box).toContainText(forms["forms.suggestions"] ?? "");
      await expect(box.getByRole("link", { name: `${ARTICLE[lang].title} ${suffix}` })).toBeVisible();
      await checkA11y(page, testInfo, `form-suggestions-${lang}`);
      await screenshot(page, testInfo, `form-suggestions-${lang}`);
    }
    // The English visitor opens the article, then sends the form anyway (the subject is what was
    // typed: every word of a suggestion query must match).
    const forms: Record<string, string> = formsEn;
    await page.goto("/support/new?lang=en");
    await page.getByLabel(forms["forms.name"] ?? "").fill("Sam Visitor");
    await page.getByLabel(forms["forms.email"] ?? "").fill(`${unique("sam")}@example.test`);
    await page.getByLabel(forms["forms.subject"] ?? "").fill(ARTICLE.en.typed);
    const link = page
      .getByTestId("form-suggestions")
      .getByRole("link", { name: `${ARTICLE.en.title} ${suffix}` });
    const [article] = await Promise.all([page.waitForEvent("popup"), link.click()]);
    await expect(article).toHaveURL(/\/help\/en\/articles\//);
    await article.close();
    await page.getByLabel(forms["forms.message"] ?? "").fill("The article did not help.");
    // A person takes more than the form's 3 s minimum to fill it.
    await page.waitForTimeout(3200);
    await page.getByRole("button", { name: forms["forms.send"] }).click();
    const sent = page.getByTestId("form-sent");
    await expect(sent).toBeVisible();
    const number = Number(/#(\d+)/.exec((await sent.textContent()) ?? "")?.[1]);
    const ticket = (
      await admin.get<{ items: Array<{ id: string; number: number }> }>("/tickets?channel=web")
    ).items.find((x) => x.number === number);
    expect(ticket).toBeTruthy();
    await context.close();

    const agent = await newSignedInPage(browser, ADMIN.email, ADMIN.password, `/tickets/${ticket?.id}`, {
      notificationOfferAnswered: true,
    });
    const seen = agent.getByTestId("seen-articles");
    await expect(seen.getByRole("link", { name: `${ARTICLE.en.title} ${suffix}` })).toBeVisible();
    await expect(seen).toContainText("Opened");
    await checkA11y(agent, testInfo, "ticket-seen-articles");
    await screenshot(agent, testInfo, "ticket-seen-articles");
    await agent.context().close();
    await admin.dispose();
  });
});
