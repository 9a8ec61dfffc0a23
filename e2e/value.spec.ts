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
const DAY = 86_400_000;

/**
 * Customer value in the real UI, in the four languages: the activity matrix (R × F grid,
 * segment counts, never-returned share, a cell and a segment listing their customers) and the
 * dossier's value and orders panels.
 */
test.describe("customer value", () => {
  // Four axe runs and two pages per locale on a shared 2-core machine.
  test.setTimeout(240_000);
  let contactId = "";
  const vipName = `Nguyễn Thị Lan ${unique("v")}`;

  test.beforeAll(async ({ baseURL }) => {
    const url = baseURL ?? "";
    await ensureSetup(url);
    const admin = await Api.login(url, ADMIN.email, ADMIN.password);
    const buy = async (who: string, name: string, daysAgo: number, total: number, status = "delivered") =>
      admin.send<{ contactId: string }>("POST", "/orders", {
        contact: { email: `${who}@example.test`, name },
        number: unique("N"),
        placedAt: new Date(Date.now() - daysAgo * DAY).toISOString(),
        status,
        currency: "VND",
        totalMinor: total,
        items: [{ sku: "TEA", name: "Trà sen", quantity: 1, unitPriceMinor: total }],
      });
    const vip = unique("vip");
    for (const d of [60, 45, 30, 15, 2]) contactId = (await buy(vip, vipName, d, 900_000)).contactId;
    for (let i = 0; i < 6; i++) {
      const who = unique("c");
      await buy(who, `Customer ${i}`, 200 + i * 20, 100_000 + i * 10_000);
      if (i % 2 === 0) await buy(who, `Customer ${i}`, 40 + i, 120_000);
    }
    await buy(unique("once"), "Trần Văn Bình", 3, 250_000);
    await buy(unique("gone"), "Lê Thu", 5, 80_000, "cancelled");
    await admin.send("PATCH", "/value/settings", { baseCurrency: "VND" });
    await admin.send("POST", "/rfm/recompute");
    await admin.dispose();
  });

  for (const locale of Object.keys(CATALOGS) as Array<keyof typeof CATALOGS>) {
    const t = CATALOGS[locale];
    test(`matrix and dossier panels (${locale})`, async ({ browser, baseURL }, testInfo) => {
      const admin = await Api.login(baseURL ?? "", ADMIN.email, ADMIN.password);
      const manager = await createAgent(admin, { role: "manager", locale });
      await admin.dispose();
      const page = await newSignedInPage(browser, manager.email, manager.password, "/customer-value");
      await expect(page.locator("html")).toHaveAttribute("lang", locale);
      await expect(page.getByRole("heading", { name: t["value.matrix.title"] })).toBeVisible();
      const grid = page.getByTestId("rfm-grid");
      await expect(grid).toBeVisible();
      await expect(page.getByTestId("never-returned")).toContainText(t["value.matrix.neverReturned"]);

      // A segment lists its customers; the VIP is there.
      await page.getByTestId("segment-vip").click();
      const list = page.getByTestId("customer-list");
      await expect(list.getByRole("heading", { name: t["value.segment.vip"] })).toBeVisible();
      await expect(list.getByRole("link", { name: vipName })).toBeVisible();
      // The top-right cell (most recent, most frequent) holds the VIP too.
      await page.getByTestId("cell-5-5").click();
      await expect(list.getByRole("link", { name: vipName })).toBeVisible();
      await expect(list.getByRole("link", { name: t["value.matrix.exportCsv"] })).toHaveAttribute(
        "href",
        /format=csv/,
      );
      await page.waitForLoadState("networkidle");
      await screenshot(page, testInfo, `value-matrix-${locale}`);
      await checkA11y(page, testInfo, `value-matrix-${locale}`);

      // The dossier: value and orders panels.
      await list.getByRole("link", { name: vipName }).click();
      await expect(page).toHaveURL(new RegExp(`/contacts/${contactId}`));
      const value = page.getByTestId("value-panel");
      await expect(value.getByTestId("segment-badge")).toHaveText(t["value.segment.vip"]);
      await expect(value).toContainText(t["value.intervalOwn"]);
      const orders = page.getByTestId("orders-panel");
      await expect(orders.getByTestId("order-row")).toHaveCount(5);
      await expect(orders).toContainText(t["value.orders.status.delivered"]);
      await page.waitForLoadState("networkidle");
      await screenshot(page, testInfo, `value-dossier-${locale}`);
      await checkA11y(page, testInfo, `value-dossier-${locale}`);
      await page.context().close();
    });
  }
});
