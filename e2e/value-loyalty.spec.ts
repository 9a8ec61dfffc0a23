import { expect, test } from "@playwright/test";
import en from "../apps/web/src/features/value/locales/en.ts";
import km from "../apps/web/src/features/value/locales/km.ts";
import ta from "../apps/web/src/features/value/locales/ta.ts";
import vi from "../apps/web/src/features/value/locales/vi.ts";
import {
  ADMIN,
  Api,
  checkA11y,
  createAgent,
  ensureSetup,
  newSignedInPage,
  screenshot,
  unique,
} from "./helpers.ts";

const CATALOGS = { en, vi, km, ta } as const;
const LOCALES = Object.keys(CATALOGS) as Array<keyof typeof CATALOGS>;
const DAY = 86_400_000;
/** Ranks unique to this run (the e2e data directory is shared by every spec). */
const RANK0 = 100 + Math.floor(Math.random() * 800);

/**
 * Reminders and loyalty in the real UI, in the four languages: Admin → Customer value (the
 * lapse reminder's mode, lead days and offer; the loyalty tiers), "send due reminders now" filing
 * a planned call for the account owner with the reason and the offer (planner → today), a
 * contact moving up to the new tier and its badge on the dossier.
 */
test.describe("reminders and loyalty", () => {
  test.setTimeout(300_000);
  test.beforeAll(async ({ baseURL }) => ensureSetup(baseURL ?? ""));

  for (const [i, locale] of LOCALES.entries()) {
    const t = CATALOGS[locale];
    test(`reminder settings, a planned reminder, a tier and its badge (${locale})`, async ({
      browser,
      baseURL,
    }, testInfo) => {
      const api = await Api.login(baseURL ?? "", ADMIN.email, ADMIN.password);
      const me = await createAgent(api, { role: "admin", locale });
      // A regular customer of an organization this admin owns: bought 85, 55 and 25 days ago
      // (usually every 30 days), so with 7 days' lead the reminder is due now and they have not lapsed.
      const org = await api.send<{ id: string }>("POST", "/organizations", {
        name: `Cà phê ${unique("org")}`,
        accountOwnerId: me.id,
      });
      const regularName = `Phạm Minh ${unique("r")}`;
      const regular = await api.send<{ id: string }>("POST", "/contacts", {
        name: regularName,
        emails: [`${unique("regular")}@example.test`],
        organizationId: org.id,
      });
      for (const d of [85, 55, 25])
        await api.send("POST", "/orders", {
          contact: { id: regular.id },
          number: unique("R"),
          placedAt: new Date(Date.now() - d * DAY).toISOString(),
          status: "delivered",
          currency: "VND",
          totalMinor: 300_000,
          items: [{ sku: "COFFEE", name: "Cà phê", quantity: 1, unitPriceMinor: 300_000 }],
        });
      const memberName = `Lê Hạnh ${unique("m")}`;
      const member = await api.send<{ id: string }>("POST", "/contacts", { name: memberName, emails: [] });
      await api.dispose();

      const page = await newSignedInPage(browser, me.email, me.password, "/admin/customer-value", {
        notificationOfferAnswered: true,
      });
      await expect(page.locator("html")).toHaveAttribute("lang", locale);
      const admin = page.getByTestId("value-admin");
      await expect(admin.getByRole("heading", { name: t["value.admin.reminders"] })).toBeVisible();

      // The reminder: planned calls, 7 days' lead, an offer.
      const offer = `${unique("OFFER")}: 10%`;
      await admin.getByRole("textbox", { name: t["value.admin.mode"] }).click();
      await page.getByRole("option", { name: t["value.admin.mode.planner"] }).click();
      await admin.getByRole("textbox", { name: t["value.admin.leadDays"] }).fill("7");
      await admin.getByRole("textbox", { name: t["value.admin.offer"] }).fill(offer);
      await admin.getByRole("button", { name: t["value.admin.save"], exact: true }).click();
      await expect(admin.getByTestId("reminders-saved")).toHaveText(t["value.admin.saved"]);

      // A tier, added here: reaching its points moves a customer up at once.
      const tierName = `Vàng ${unique("t")}`;
      const minPoints = 1000 * (i + 1);
      await admin.getByRole("textbox", { name: t["value.admin.tierName"] }).fill(tierName);
      await admin.getByRole("textbox", { name: t["value.admin.tierRank"] }).fill(String(RANK0 + i));
      await admin.getByRole("textbox", { name: t["value.admin.tierMinPoints"] }).fill(String(minPoints));
      await admin.getByRole("textbox", { name: t["value.admin.tierDiscount"] }).fill("10");
      await admin.getByRole("textbox", { name: t["value.admin.tierBenefits"] }).fill("Giao hàng miễn phí");
      await admin.getByRole("button", { name: t["value.admin.addTierButton"] }).click();
      const row = page.getByTestId("tier-table").locator(`tr[data-tier="${tierName}"]`);
      await expect(row.getByTestId("tier-badge")).toHaveText(tierName);

      // Send the due reminders now: one planned call for this admin, the regular customer's.
      await admin.getByRole("button", { name: t["value.admin.runReminders"] }).click();
      await expect(admin.getByTestId("reminders-ran")).toBeVisible();
      await page.waitForLoadState("networkidle");
      await screenshot(page, testInfo, `value-admin-${locale}`);
      await checkA11y(page, testInfo, `value-admin-${locale}`);

      await page.goto("/planner/today");
      const item = page.getByTestId("today-item").filter({ hasText: regularName });
      await expect(item).toHaveCount(1);
      await expect(item).toContainText(offer);
      await expect(item).toContainText(/\b30\b/);
      await page.waitForLoadState("networkidle");
      await screenshot(page, testInfo, `value-reminder-planner-${locale}`);
      await checkA11y(page, testInfo, `value-reminder-planner-${locale}`);

      // The member earns the tier's points: the dossier shows the new tier's badge.
      const api2 = await Api.login(baseURL ?? "", ADMIN.email, ADMIN.password);
      const grant = await api2.send<{ tier: { name: string } | null }>("POST", "/loyalty/ledger", {
        contactId: member.id,
        kind: "grant",
        points: minPoints,
        reason: "e2e",
      });
      await api2.dispose();
      expect(grant.tier?.name).toBe(tierName);
      await page.goto(`/contacts/${member.id}`);
      await expect(page.getByRole("heading", { name: memberName })).toBeVisible();
      await expect(page.getByTestId("tier-badge").first()).toHaveText(tierName);
      await page.waitForLoadState("networkidle");
      await screenshot(page, testInfo, `value-tier-dossier-${locale}`);
      await checkA11y(page, testInfo, `value-tier-dossier-${locale}`);
      await page.context().close();
    });
  }
});
