import { expect, test } from "@playwright/test";
import formsEn from "../apps/web/src/features/forms/locales/en.ts";
import formsKm from "../apps/web/src/features/forms/locales/km.ts";
import formsTa from "../apps/web/src/features/forms/locales/ta.ts";
import formsVi from "../apps/web/src/features/forms/locales/vi.ts";
import onbEn from "../apps/web/src/features/onboarding/locales/en.ts";
import onbKm from "../apps/web/src/features/onboarding/locales/km.ts";
import onbTa from "../apps/web/src/features/onboarding/locales/ta.ts";
import onbVi from "../apps/web/src/features/onboarding/locales/vi.ts";
import slaEn from "../apps/web/src/features/sla/locales/en.ts";
import slaKm from "../apps/web/src/features/sla/locales/km.ts";
import slaTa from "../apps/web/src/features/sla/locales/ta.ts";
import slaVi from "../apps/web/src/features/sla/locales/vi.ts";
import {
  ADMIN,
  Api,
  checkA11y,
  createAgent,
  ensureSetup,
  expectNoSidewaysScroll,
  LOCALES,
  newSignedInPage,
  PHONE,
  screenshot,
  unique,
} from "./helpers.ts";

const SLA = { en: slaEn, vi: slaVi, km: slaKm, ta: slaTa } as const;
const ONB = { en: onbEn, vi: onbVi, km: onbKm, ta: onbTa } as const;
const FORMS = { en: formsEn, vi: formsVi, km: formsKm, ta: formsTa } as const;
type Steps = { steps: Array<{ key: string; done: boolean }>; dismissed: boolean };
type Mailbox = { id: string; active: boolean; smtp: { host: string | null } | null };

/** Issue 14: the getting-started checklist, the no-mailbox warning and the form's wording. */
test.describe("getting started", () => {
  let admin: Api;

  test.beforeAll(async ({ baseURL }) => {
    await ensureSetup(baseURL ?? "");
    admin = await Api.login(baseURL ?? "", ADMIN.email, ADMIN.password);
    await admin.send("PATCH", "/getting-started", { dismissed: false });
  });
  test.afterAll(async () => {
    await admin?.dispose();
  });

  for (const locale of LOCALES) {
    test(`the checklist shows the server's state (${locale})`, async ({ browser }, testInfo) => {
      const me = await createAgent(admin, { role: "admin", locale });
      const state = await admin.get<Steps>("/getting-started");
      const page = await newSignedInPage(browser, me.email, me.password, "/getting-started");
      for (const s of state.steps)
        await expect(page.getByTestId(`step-${s.key}`)).toHaveAttribute("data-done", String(s.done));
      await expect(page.locator("html")).toHaveAttribute("lang", locale);
      await checkA11y(page, testInfo, `getting-started-${locale}`);
      await screenshot(page, testInfo, `getting-started-${locale}`);
      await page.setViewportSize({ width: 390, height: 844 });
      // Polled: the shell's navbar and the cards settle a moment after the resize.
      await expect
        .poll(() => page.evaluate(() => document.documentElement.scrollWidth))
        .toBeLessThanOrEqual(390);
      await screenshot(page, testInfo, `getting-started-phone-${locale}`);
      await page.context().close();
    });
  }

  // The checklist's "business hours" step: a new calendar starts in the browser's own zone, by
  // its canonical name (Chromium reports the legacy id it is given), picked from canonical names.
  for (const locale of LOCALES) {
    test(`business hours start in the browser's zone by its canonical name (${locale}, desktop and phone)`, async ({
      browser,
    }, testInfo) => {
      // Two viewports with axe each, on a busy machine.
      test.setTimeout(180_000);
      const me = await createAgent(admin, { role: "admin", locale });
      const page = await newSignedInPage(browser, me.email, me.password, "/admin/sla", {
        notificationOfferAnswered: true,
        timezoneId: "Asia/Saigon",
      });
      // The first screen of a new context may take a while on a busy machine.
      await expect(page.getByRole("tab", { name: SLA[locale]["sla.calendars"] })).toBeVisible({
        timeout: 45_000,
      });
      await page.getByRole("tab", { name: SLA[locale]["sla.calendars"] }).click();
      await page.getByRole("button", { name: SLA[locale]["sla.cal.new"] }).click();
      const zone = page.getByLabel(SLA[locale]["sla.cal.timeZone"]);
      await expect(zone).toHaveValue("Asia/Ho_Chi_Minh");
      const zones = await zone
        .locator("option")
        .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
      expect(zones).toEqual(expect.arrayContaining(["UTC", "Asia/Kolkata", "Asia/Phnom_Penh"]));
      expect(zones).not.toContain("Asia/Saigon");
      expect(zones).not.toContain("Asia/Calcutta");
      for (const phone of [false, true]) {
        if (phone) await page.setViewportSize(PHONE);
        const where = `${locale}-${phone ? "phone" : "desktop"}`;
        await zone.scrollIntoViewIfNeeded();
        await expect(zone).toBeInViewport();
        await expectNoSidewaysScroll(page, `business hours (${where})`);
        await screenshot(page, testInfo, `business-hours-zone-${where}`);
        await checkA11y(page, testInfo, `business-hours-zone-${where}`);
      }
      await page.context().close();
    });
  }

  test("a step ticks itself when done; the checklist can be hidden and brought back", async ({ browser }) => {
    const page = await newSignedInPage(browser, ADMIN.email, ADMIN.password, "/getting-started");
    const before = await admin.get<Steps>("/getting-started");
    const todo = before.steps.find((s) => !s.done && (s.key === "widget" || s.key === "hours"));
    // The page shows the step open before the change is made (on a busy machine the page's first
    // read could otherwise come after it).
    if (todo) await expect(page.getByTestId(`step-${todo.key}`)).toHaveAttribute("data-done", "false");
    if (todo?.key === "widget")
      await admin.send("POST", "/chat/sites", {
        name: unique("Shop"),
        allowedOrigins: ["https://shop.example"],
        appearance: { color: "#0055aa", position: "right", greeting: {} },
        languages: ["en"],
        prechat: { enabled: false, fields: [], required: [], topics: [] },
        hours: null,
        teamId: null,
        active: true,
      });
    if (todo?.key === "hours")
      await admin.send("POST", "/sla/calendars", {
        name: unique("Office"),
        timeZone: "Asia/Ho_Chi_Minh",
        week: { "1": [{ start: "08:00", end: "17:00" }] },
      });
    if (todo) {
      await page.getByRole("button", { name: "Check again" }).click();
      await expect(page.getByTestId(`step-${todo.key}`)).toHaveAttribute("data-done", "true");
    }
    const nav = page.locator(`a[href="/getting-started"]`);
    const allDone = (await admin.get<Steps>("/getting-started")).steps.every((s) => s.done);
    await expect(nav).toHaveCount(allDone ? 0 : 1);
    await page.getByTestId("onboarding-dismiss").click();
    await expect(page.getByRole("status").filter({ hasText: "hidden" })).toBeVisible();
    await expect(nav).toHaveCount(0);
    expect((await admin.get<Steps>("/getting-started")).dismissed).toBe(true);
    await page.reload();
    await expect(page.getByTestId("onboarding-dismiss")).toHaveText("Show it in the navigation again");
    await expect(nav).toHaveCount(0);
    await page.getByTestId("onboarding-dismiss").click();
    await expect(nav).toHaveCount(allDone ? 0 : 1);
    await page.context().close();
  });

  test("no mailbox can send: the reply box warns before sending and the form promises no email", async ({
    browser,
  }, testInfo) => {
    // English first, then every language on the desktop and a phone, each with axe.
    test.setTimeout(300_000);
    // Take every sending mailbox out for this test (other suites may have made one), then restore.
    const boxes = await admin.get<Mailbox[]>("/email/mailboxes");
    const active = boxes.filter((b) => b.active);
    for (const b of active) await admin.send("PATCH", `/email/mailboxes/${b.id}`, { active: false });
    try {
      const ticket = await admin.send<{ id: string }>("POST", "/tickets", {
        subject: unique("No mailbox"),
        channel: "email",
        requester: { email: `${unique("c")}@example.test`, name: "Lan" },
        message: { body: "Hello" },
      });
      const page = await newSignedInPage(browser, ADMIN.email, ADMIN.password, `/tickets/${ticket.id}`);
      const warning = page.getByTestId("no-mailbox-warning");
      await expect(warning).toBeVisible();
      await expect(warning).toContainText("not emailed");
      await checkA11y(page, testInfo, "no-mailbox-warning");
      await screenshot(page, testInfo, "no-mailbox-warning");
      // An internal note is not emailed: no warning there.
      await page.getByText("Internal note", { exact: true }).click();
      await expect(warning).toHaveCount(0);

      const form = await browser.newPage();
      await form.goto("/support/new");
      await expect(form.getByTestId("form-intro")).toContainText("cannot answer by email yet");
      await form.close();

      // The same warning and wording in every language, on the desktop and on a phone (390×844).
      for (const locale of LOCALES) {
        const me = await createAgent(admin, { role: "admin", locale });
        const p = await newSignedInPage(browser, me.email, me.password, `/tickets/${ticket.id}`, {
          notificationOfferAnswered: true,
        });
        for (const phone of [false, true]) {
          if (phone) await p.setViewportSize(PHONE);
          const where = `${locale}-${phone ? "phone" : "desktop"}`;
          const w = p.getByTestId("no-mailbox-warning");
          // The first screen of a new context may take a while on a busy machine.
          await expect(w).toBeAttached({ timeout: 45_000 });
          await w.scrollIntoViewIfNeeded();
          await expect(w).toContainText(ONB[locale]["onboarding.noMailbox.title"]);
          await expect(w).toContainText(ONB[locale]["onboarding.noMailbox.body"]);
          await expect(w.getByRole("link", { name: ONB[locale]["onboarding.go.mailbox"] })).toBeInViewport();
          await expect(p.getByTestId("reply-body")).toBeVisible();
          await expectNoSidewaysScroll(p, `no-mailbox warning (${where})`);
          await screenshot(p, testInfo, `no-mailbox-warning-${where}`);
          await checkA11y(p, testInfo, `no-mailbox-warning-${where}`);
        }
        await p.context().close();
        const formCtx = await browser.newContext({ viewport: PHONE, hasTouch: true, isMobile: true });
        const f = await formCtx.newPage();
        await f.goto(`/support/new?lang=${locale}`);
        await expect(f.getByTestId("form-intro")).toHaveText(FORMS[locale]["forms.introNoEmail"]);
        await expectNoSidewaysScroll(f, `web form without a mailbox (${locale})`);
        await screenshot(f, testInfo, `form-no-mailbox-phone-${locale}`);
        await checkA11y(f, testInfo, `form-no-mailbox-phone-${locale}`);
        await formCtx.close();
      }

      const mb = await admin.send<{ id: string }>("POST", "/email/mailboxes", {
        address: `${unique("help")}@example.test`,
        displayName: "Help",
        smtp: { host: "127.0.0.1", port: 2525, tls: "none" },
      });
      await page.reload();
      await expect(page.getByTestId("reply-body")).toBeVisible();
      await expect(page.getByTestId("no-mailbox-warning")).toHaveCount(0);
      const form2 = await browser.newPage();
      await form2.goto("/support/new");
      await expect(form2.getByTestId("form-intro")).toHaveText("Tell us what happened; we answer by email.");
      await form2.close();
      await admin.send("DELETE", `/email/mailboxes/${mb.id}`);
      await page.context().close();
    } finally {
      for (const b of active) await admin.send("PATCH", `/email/mailboxes/${b.id}`, { active: true });
    }
  });
});
