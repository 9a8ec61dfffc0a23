import { expect, test } from "@playwright/test";
import dossierEn from "../apps/web/src/features/dossier/locales/en.ts";
import dossierKm from "../apps/web/src/features/dossier/locales/km.ts";
import dossierTa from "../apps/web/src/features/dossier/locales/ta.ts";
import dossierVi from "../apps/web/src/features/dossier/locales/vi.ts";
import phoneEn from "../apps/web/src/features/phone/locales/en.ts";
import phoneKm from "../apps/web/src/features/phone/locales/km.ts";
import phoneTa from "../apps/web/src/features/phone/locales/ta.ts";
import phoneVi from "../apps/web/src/features/phone/locales/vi.ts";
import ticketEn from "../apps/web/src/features/ticket/locales/en.ts";
import ticketKm from "../apps/web/src/features/ticket/locales/km.ts";
import ticketTa from "../apps/web/src/features/ticket/locales/ta.ts";
import ticketVi from "../apps/web/src/features/ticket/locales/vi.ts";
import {
  ADMIN,
  Api,
  checkA11y,
  createAgent,
  ensureSetup,
  expectNoSidewaysScroll,
  LOCALES,
  newSignedInPage,
  screenshot,
  unique,
} from "./helpers.ts";

/**
 * Issue 14: the dossier's timeline in sentences with names (every language, no raw event codes),
 * the profile's language and time zone by name, and the phone prefilled in "Log a call" and
 * "Request a call-back" (a choice when the customer has several numbers).
 */
const T = { en: ticketEn, vi: ticketVi, km: ticketKm, ta: ticketTa } as const;
const PHONE_T = { en: phoneEn, vi: phoneVi, km: phoneKm, ta: phoneTa } as const;
const DOSSIER_T = { en: dossierEn, vi: dossierVi, km: dossierKm, ta: dossierTa } as const;
/** What a raw event code looks like ("reply.added", "assignee.changed", "side_conversation.started"). */
const RAW_CODE = /\b[a-z]+(_[a-z]+)*\.[a-z]+(_[a-z]+)*\b/;

test.describe("dossier details", () => {
  let admin: Api;
  test.beforeAll(async ({ baseURL }) => {
    await ensureSetup(baseURL ?? "");
    admin = await Api.login(baseURL ?? "", ADMIN.email, ADMIN.password);
  });
  test.afterAll(async () => {
    await admin?.dispose();
  });

  for (const locale of LOCALES) {
    test(`timeline events read as sentences with names (${locale})`, async ({ browser }, testInfo) => {
      const agent = await createAgent(admin, { locale });
      const contact = await admin.send<{ id: string }>("POST", "/contacts", {
        name: "Chan Sophea",
        emails: [`${unique("sophea")}@example.test`],
        language: "km",
        timeZone: "Asia/Phnom_Penh",
      });
      const mk = (subject: string) =>
        admin.send<{ id: string; number: number }>("POST", "/tickets", {
          subject,
          requester: { id: contact.id },
          message: { body: `${subject}, please help` },
        });
      const a = await mk(unique("Broken screen"));
      const b = await mk(unique("Screen again"));
      const c = await mk(unique("Related order"));
      await admin.send("PATCH", `/tickets/${a.id}`, { assigneeId: agent.id, priority: "high" });
      await admin.send("POST", `/tickets/${a.id}/messages`, { body: "We will replace it." });
      await admin.send("POST", `/tickets/${a.id}/links`, { ticketId: c.id });
      await admin.send("POST", `/tickets/${a.id}/merge`, { sourceIds: [b.id] });

      const page = await newSignedInPage(browser, agent.email, agent.password, `/contacts/${contact.id}`);
      const events = page.locator('[data-testid="ticket-event"]');
      await expect(events.filter({ hasText: `#${b.number}` }).first()).toBeVisible();
      const s = T[locale];
      // The assignee by name, the merge and the link with their numbers.
      await expect(events.filter({ hasText: agent.name }).first()).toBeVisible();
      // Both tickets of a link (and of a merge) record it, each naming the other: look for the
      // sentence that names the ticket in question, whichever comes first in the timeline.
      await expect(
        page
          .locator('[data-type="link.added"]')
          .filter({ hasText: `#${c.number}` })
          .first(),
      ).toBeVisible();
      await expect(
        page
          .locator('[data-type="ticket.merged"]')
          .filter({ hasText: `#${b.number}` })
          .first(),
      ).toBeVisible();
      const texts = await events.allInnerTexts();
      expect(texts.length).toBeGreaterThan(4);
      for (const text of texts) expect(text, text).not.toMatch(RAW_CODE);
      // No "reply added" events beside the replies themselves.
      await expect(page.locator('[data-type="reply.added"]')).toHaveCount(0);
      const created = s["event.ticket_created"].replace("{{who}}", ADMIN.name);
      expect(texts).toContain(created);
      // The profile: language and zone by name in the viewer's language, not "km" and "Asia/Phnom_Penh".
      const khmer = await page.evaluate(
        (l) => new Intl.DisplayNames([l], { type: "language" }).of("km"),
        locale,
      );
      await expect(page.getByText(khmer ?? "km", { exact: false }).first()).toBeVisible();
      await expect(page.getByText("Asia/Phnom_Penh")).toHaveCount(0);
      await checkA11y(page, testInfo, `dossier-sentences-${locale}`);
      await screenshot(page, testInfo, `dossier-sentences-${locale}`);
      await page.context().close();
    });
  }

  // On the desktop in English; on a phone (390×844) in every language.
  for (const [locale, phone] of [["en", false], ...LOCALES.map((l) => [l, true] as const)] as const) {
    const where = `${locale}-${phone ? "phone" : "desktop"}`;
    test(`Log a call and Request a call-back start from the customer's number (${where})`, async ({
      browser,
    }, testInfo) => {
      // Two dialogs with axe each, on a busy machine.
      test.setTimeout(180_000);
      const P = PHONE_T[locale];
      const agent = await createAgent(admin, { locale });
      const primary = `+8491${String(Date.now()).slice(-7)}`;
      const second = `+8498${String(Date.now()).slice(-7)}`;
      const two = await admin.send<{ id: string }>("POST", "/contacts", {
        name: "Vo Thi Lan",
        emails: [`${unique("lan")}@example.test`],
        phones: [primary, second],
      });
      const opts = { notificationOfferAnswered: true, phone };
      const page = await newSignedInPage(browser, agent.email, agent.password, `/contacts/${two.id}`, opts);
      // The first screen of a new context may take a while on a busy machine.
      await expect(page.getByRole("button", { name: P["phone.log.action"] })).toBeVisible({
        timeout: 45_000,
      });
      await page.getByRole("button", { name: P["phone.log.action"] }).click();
      const choice = page.getByTestId("phone-choice");
      await expect(choice.getByRole("radio", { name: primary })).toBeChecked();
      await expectNoSidewaysScroll(page, "Log a call");
      await expect(page.getByRole("button", { name: P["phone.log.save"] })).toBeVisible();
      await screenshot(page, testInfo, `dossier-log-call-${where}`);
      await checkA11y(page, testInfo, `dossier-log-call-${where}`);
      await choice.getByRole("radio", { name: second }).click();
      await page.getByRole("button", { name: P["phone.log.save"] }).click();
      await expect(page.getByRole("dialog")).toHaveCount(0);
      const after = await admin.get<{ phones: Array<{ phone: string }> }>(`/contacts/${two.id}`);
      expect(after.phones.map((p) => p.phone).sort()).toEqual([primary, second].sort());
      // On a phone the timeline is a tab of its own.
      if (phone) await page.getByRole("tab", { name: DOSSIER_T[locale]["dossier.timeline"] }).click();
      const calls = page.locator('[data-testid="timeline-item"][data-kind="call"]');
      await expect(calls.first()).toBeVisible();
      if (phone) await page.getByRole("tab", { name: DOSSIER_T[locale]["dossier.overview"] }).click();

      await page.getByRole("button", { name: P["phone.cb.request"] }).click();
      await expect(page.getByTestId("phone-choice").getByRole("radio", { name: primary })).toBeChecked();
      await expectNoSidewaysScroll(page, "Request a call-back");
      await screenshot(page, testInfo, `dossier-request-callback-${where}`);
      await checkA11y(page, testInfo, `dossier-request-callback-${where}`);
      await page.getByTestId("phone-choice").getByRole("radio", { name: P["phone.anotherNumber"] }).click();
      await expect(page.getByTestId("phone-number")).toHaveValue("");
      await page.keyboard.press("Escape");
      await page.context().close();

      const one = await admin.send<{ id: string }>("POST", "/contacts", {
        name: "Sok Dara",
        emails: [`${unique("dara")}@example.test`],
        phones: [primary.replace("+8491", "+8492")],
      });
      const page2 = await newSignedInPage(browser, agent.email, agent.password, `/contacts/${one.id}`, opts);
      await expect(page2.getByRole("button", { name: P["phone.cb.request"] })).toBeVisible({
        timeout: 45_000,
      });
      await page2.getByRole("button", { name: P["phone.cb.request"] }).click();
      await expect(page2.getByTestId("phone-number")).toHaveValue(primary.replace("+8491", "+8492"));
      await expect(page2.getByTestId("phone-number")).toBeInViewport();
      await expect(page2.getByTestId("phone-choice")).toHaveCount(0);
      await page2.context().close();
    });
  }
});
