import { expect, test } from "@playwright/test";
import { DEMO_PASSWORD, DEMO_PORT } from "./constants.ts";
import { screenshot } from "./helpers.ts";

const demo = `http://127.0.0.1:${DEMO_PORT}`;

test("the inbox with `rapport seed:demo` data loads, scrolls by cursor pages and opens a ticket", async ({
  page,
}, testInfo) => {
  const login = await page.request.post(`${demo}/api/v1/auth/login`, {
    data: { email: "admin@demo.rapport.example", password: DEMO_PASSWORD },
  });
  expect(login.status()).toBe(200);
  await page.goto(`${demo}/inbox/all_open`);
  const rows = page.locator("tbody tr[data-ticket-id]");
  await expect(rows.first()).toBeVisible();
  const firstCount = Number(await page.getByTestId("count-all_open").getAttribute("data-count"));
  expect(firstCount).toBeGreaterThan(50);
  // Only the visible rows are in the DOM (virtualized), not every loaded ticket.
  expect(await rows.count()).toBeLessThan(60);
  await screenshot(page, testInfo, "demo-inbox-top");

  const loaded = page.getByTestId("loaded-count");
  await expect(loaded).toHaveAttribute("data-loaded", "50");
  const scroller = page.getByTestId("inbox-scroll");
  // Scrolls on until the next page has been loaded (each scroll may fetch; wait for that, not a time).
  await expect(async () => {
    await scroller.evaluate((el) => el.scrollBy(0, el.clientHeight * 2));
    await expect(loaded).not.toHaveAttribute("data-loaded", "50", { timeout: 1000 });
  }).toPass({ timeout: 30_000 });
  expect(await rows.count()).toBeLessThan(60);
  await screenshot(page, testInfo, "demo-inbox-scrolled");

  // Keyboard: j moves, Enter opens.
  await scroller.evaluate((el) => el.scrollTo(0, 0));
  await page.keyboard.press("j");
  await expect(page.locator('tr[aria-current="true"]')).toHaveAttribute("aria-rowindex", "3");
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/tickets\//);
  await expect(page.locator("article").first()).toBeVisible();
  await screenshot(page, testInfo, "demo-ticket");
});
