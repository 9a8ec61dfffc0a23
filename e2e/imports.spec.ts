import fs from "node:fs";
import { expect, test } from "@playwright/test";
import { ADMIN, Api, checkA11y, ensureSetup, newSignedInPage, screenshot } from "./helpers.ts";

/**
 * Custom fields and CSV import in the real UI: an admin defines a drop-down field, imports a
 * CSV with a bad row (sees the per-row report, nothing imported), fixes the file and imports
 * it with the progress bar, filters the contact list by the new field and exports it.
 */
test("admin defines a field, imports contacts (bad row, then fixed), filters by the field and exports", async ({
  browser,
  baseURL,
}, testInfo) => {
  test.setTimeout(180_000);
  await ensureSetup(baseURL as string);
  const suffix = Date.now().toString(36);
  const key = `tier_${suffix}`;
  const label = `Tier ${suffix}`;
  const page = await newSignedInPage(browser, ADMIN.email, ADMIN.password, "/admin/fields");
  // Overlays of other features (notifications) may cover the bottom of the page: buttons are
  // pressed with the keyboard, which is also how agents use the app.

  // 1. Define the field.
  await page.getByRole("textbox", { name: /^Key/ }).fill(key);
  await page.getByLabel(/^Type/).first().click();
  await page.getByRole("option", { name: "Drop-down" }).click();
  await page
    .getByLabel(/^Label\s*\*?$/)
    .first()
    .fill(label);
  await page.getByLabel("Label in Vietnamese").fill(`Hạng ${suffix}`);
  await page.getByLabel(/^Options/).fill("gold = Gold\nsilver = Silver");
  await page.getByRole("button", { name: "Create field" }).press("Enter");
  await expect(page.getByTestId(`field-row-${key}`)).toBeVisible();
  await screenshot(page, testInfo, "imports-field-defined");

  // 2. Import a file with a bad row: the report names the row; nothing is imported.
  const who = (n: number) => `imp${suffix}-${n}`;
  const header = `Full name,E-mail,Phone,${label}`;
  const bad = [
    header,
    `Lê Văn ${who(1)},${who(1)}@example.vn,0901234567,Gold`,
    `Sok ${who(2)},not-an-email,,Silver`,
    `Kavitha ${who(3)},${who(3)}@example.in,,Gold`,
  ].join("\n");
  await page.goto("/imports");
  await page.locator('input[type="file"]').setInputFiles({
    name: "customers.csv",
    mimeType: "text/csv",
    buffer: Buffer.from(bad),
  });
  await page.getByLabel(/^Country of phone numbers/).fill("VN");
  await page.getByRole("button", { name: "Upload" }).press("Enter");
  await expect(page.getByText("2. Match the columns (3 rows")).toBeVisible();
  await expect(page.getByRole("combobox", { name: `Import column ${label} as` })).toHaveValue(
    new RegExp(label),
  );
  await page.getByRole("button", { name: "Check (dry run)" }).press("Enter");
  const report = page.getByTestId("import-report");
  await expect(report).toContainText("Invalid email");
  await expect(report.getByRole("row").nth(1)).toContainText("3");
  await checkA11y(page, testInfo, "imports-report");
  await screenshot(page, testInfo, "imports-dry-run-report");
  await page.getByRole("button", { name: "Import", exact: true }).press("Enter");
  await expect(page.getByTestId("import-error")).toContainText("nothing was imported");

  // 3. Fix the row and import.
  const fixed = bad.replace("not-an-email", `${who(2)}@example.com.kh`);
  await page.locator('input[type="file"]').setInputFiles({
    name: "customers-fixed.csv",
    mimeType: "text/csv",
    buffer: Buffer.from(fixed),
  });
  await page.getByRole("button", { name: "Upload" }).press("Enter");
  await page.getByRole("button", { name: "Import", exact: true }).press("Enter");
  await expect(page.getByTestId("import-done")).toContainText("Imported 3 rows");
  await screenshot(page, testInfo, "imports-done");

  // 4. Filter the contact list by the field.
  await page.goto("/contacts");
  await page.getByLabel("Find in this list").fill(suffix);
  const table = page.getByTestId("contacts-table");
  await expect(table.getByRole("row")).toHaveCount(4);
  await page.getByRole("combobox", { name: "Custom field" }).click();
  await page.getByRole("option", { name: label }).click();
  await page.getByRole("combobox", { name: "Value" }).click();
  await page.getByRole("option", { name: "Gold" }).click();
  await page.getByRole("button", { name: "Add filter" }).press("Enter");
  await expect(table.getByRole("row")).toHaveCount(3);
  await expect(table).not.toContainText(who(2));
  await screenshot(page, testInfo, "imports-contacts-filtered");

  // 5. Export the filtered list.
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Export CSV" }).press("Enter"),
  ]);
  const csv = fs.readFileSync((await download.path()) as string, "utf8");
  expect(csv).toContain(`cf.${key}`);
  expect(csv).toContain(`${who(1)}@example.vn`);
  expect(csv).not.toContain(who(2));
  await page.context().close();
});

test("the inbox filters tickets by a ticket custom field", async ({ browser, baseURL }, testInfo) => {
  await ensureSetup(baseURL as string);
  const api = await Api.login(baseURL as string, ADMIN.email, ADMIN.password);
  const suffix = Date.now().toString(36);
  const key = `contract_${suffix}`;
  await api.send("POST", "/fields", {
    entity: "ticket",
    key,
    type: "select",
    label: `Contract ${suffix}`,
    options: [
      { value: "gold", label: "Gold" },
      { value: "silver", label: "Silver" },
    ],
  });
  for (const level of ["gold", "silver"]) {
    await api.send("POST", "/tickets", {
      subject: `Contract ${level} ${suffix}`,
      requester: { email: `${level}-${suffix}@example.test` },
      message: { body: "Please check our contract." },
      customFields: { [key]: level },
    });
  }
  const page = await newSignedInPage(browser, ADMIN.email, ADMIN.password, "/inbox/all_open");
  const rows = page.getByRole("row").filter({ hasText: suffix });
  await expect(rows).toHaveCount(2);
  const bar = page.getByTestId("inbox-cf-filters");
  await bar.getByLabel("Custom field").first().click();
  await page.getByRole("option", { name: `Contract ${suffix}` }).click();
  await bar.getByLabel("Value").first().click();
  await page.getByRole("option", { name: "Gold" }).click();
  await bar.getByRole("button", { name: "Add filter" }).click();
  await expect(page).toHaveURL(new RegExp(`cf\\.${key}=gold`));
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(`Contract gold ${suffix}`);
  await checkA11y(page, testInfo, "inbox-cf-filter");
  await api.dispose();
});
