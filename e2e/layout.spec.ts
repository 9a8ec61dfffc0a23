/**
 * Layout of the agent app (issue 14): the inbox screen in two requests, no label cut in any
 * language, a phone layout at 390×844, and the dark theme. One signed-in admin, one ticket
 * with a long Tamil subject, shared by every test.
 */
import { type Browser, type BrowserContextOptions, expect, type Page, test } from "@playwright/test";
import {
  ADMIN,
  Api,
  checkA11y,
  ensureSetup,
  LOCALES,
  type Locale,
  PHONE,
  screenshot,
  unique,
} from "./helpers.ts";

let ticketId = "";
let contactId = "";

test.beforeAll(async ({ baseURL }) => {
  const url = baseURL ?? "";
  await ensureSetup(url);
  const admin = await Api.login(url, ADMIN.email, ADMIN.password);
  await admin.send("POST", "/teams", { name: unique("நுகர்வோர் சேவை") });
  const me = await admin.get<{ user: { id: string } }>("/me");
  const t = await admin.send<{ id: string; requester: { id: string } }>("POST", "/tickets", {
    subject: "பணம் திரும்பப் பெறுதல் — நிறுத்திவைக்கப்பட்ட ஆர்டர் பற்றிய கேள்வி",
    requester: { email: `${unique("kavya")}@example.in`, name: "காவ்யா ராமன்" },
    message: { body: "என் ஆர்டர் இன்னும் வரவில்லை, வாடிக்கையாளர் சேவை உதவி தேவை" },
    priority: "urgent",
  });
  ticketId = t.id;
  contactId = t.requester.id;
  await admin.send("PATCH", `/tickets/${t.id}`, { status: "open", assigneeId: me.user.id });
  await admin.dispose();
});

// The tests switch the admin's own language (PATCH /me); the specs after this one expect English.
test.afterAll(async ({ baseURL }) => {
  const admin = await Api.login(baseURL ?? "", ADMIN.email, ADMIN.password);
  await admin.send("PATCH", "/me", { locale: "en" });
  await admin.dispose();
});

/** A signed-in admin in a fresh browser context, in one language. */
async function open(browser: Browser, locale: Locale, opts: BrowserContextOptions = {}): Promise<Page> {
  const context = await browser.newContext(opts);
  const page = await context.newPage();
  const login = await page.request.post("/api/v1/auth/login", {
    data: { email: ADMIN.email, password: ADMIN.password },
  });
  expect(login.status()).toBe(200);
  const r = await page.request.patch("/api/v1/me", {
    data: { locale },
    headers: { "x-csrf-token": (await login.json()).csrfToken },
  });
  expect(r.status()).toBe(200);
  return page;
}

async function inboxReady(page: Page, path = "/inbox/all_open") {
  await page.goto(path);
  // The machine running the suite may be busy: the first list can take a while.
  await expect(page.getByTestId("loaded-count")).not.toHaveAttribute("data-loaded", "0", { timeout: 45_000 });
  await expect(page.getByTestId("realtime-status")).toHaveAttribute("data-status", "open");
}

/** Elements whose text is cut: wider content than box (scrollWidth > clientWidth). */
function cutElements(page: Page, selector: string) {
  return page
    .locator(selector)
    .evaluateAll((els) =>
      els
        .filter((el) => el.getClientRects().length > 0 && el.scrollWidth > el.clientWidth + 1)
        .map(
          (el) =>
            `${el.tagName.toLowerCase()} "${(el.textContent ?? "").trim()}" ${el.scrollWidth}>${el.clientWidth}`,
        ),
    );
}

/** The page scrolls sideways: something is wider than the screen. */
const overflowX = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

test("the inbox screen makes two API requests: the start-up data and the list", async ({ browser }) => {
  const page = await open(browser, "en");
  const seen: string[] = [];
  page.on("request", (r) => {
    const u = new URL(r.url());
    if (u.pathname.startsWith("/api/v1/") && u.pathname !== "/api/v1/ws") seen.push(u.pathname);
  });
  // First visit (no signed-in hint yet: the list follows the start-up data), then a reload
  // (the list leaves together with it).
  for (const _ of [1, 2]) {
    seen.length = 0;
    await inboxReady(page, "/inbox/mine");
    await page.waitForLoadState("networkidle");
    // The nav badges, team list, counts and field filters came from the start-up data.
    await expect(page.getByTestId("nav").getByRole("link").first()).toBeVisible();
    expect(seen.sort()).toEqual(["/api/v1/bootstrap", "/api/v1/tickets"]);
  }
  await page.context().close();
});

for (const locale of LOCALES) {
  test(`no header, badge or navigation label is cut in ${locale} (1366×1000)`, async ({
    browser,
  }, testInfo) => {
    const page = await open(browser, locale, { viewport: { width: 1366, height: 1000 } });
    await inboxReady(page);
    const row = page.locator(`.inbox-row[data-ticket-id="${ticketId}"]`);
    await expect(row).toBeVisible();
    expect(await cutElements(page, ".inbox-head th")).toEqual([]);
    // Status, priority, channel and last update: labels from a closed list, never cut.
    expect(
      await cutElements(
        page,
        [5, 6, 8, 9].map((n) => `.inbox-row td:nth-child(${n}), .inbox-row td:nth-child(${n}) *`).join(", "),
      ),
    ).toEqual([]);
    expect(await cutElements(page, "[data-testid=nav] .mantine-NavLink-label")).toEqual([]);
    // Every navigation entry up to Call-backs is on screen and not under Administration.
    const callbacks = page.getByTestId("nav").locator('a[href="/callbacks"]');
    await expect(callbacks).toBeInViewport({ ratio: 1 });
    const hit = await callbacks.evaluate((el) => {
      const r = el.getBoundingClientRect();
      return el.contains(document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2));
    });
    expect(hit, "Call-backs is covered").toBe(true);
    await screenshot(page, testInfo, `layout-inbox-desktop-${locale}`);
    await page.context().close();
  });

  test(`phone layout (390×844) in ${locale}: inbox cards, ticket drawer, dossier, Today, chat`, async ({
    browser,
  }, testInfo) => {
    const page = await open(browser, locale, { viewport: PHONE, hasTouch: true, isMobile: true });
    await inboxReady(page);
    await expect(page.getByTestId("inbox-scroll")).toHaveAttribute("data-layout", "cards");
    const card = page.locator(`.inbox-card-slot[data-ticket-id="${ticketId}"]`);
    await expect(card).toBeVisible();
    expect(await overflowX(page)).toBeLessThanOrEqual(0);
    // The card shows the subject, status and priority within the screen.
    for (const el of [card.locator(".inbox-card-link"), card.locator("[data-status]")])
      await expect(el).toBeInViewport({ ratio: 1 });
    // Header: every control is a visible, named thing (no empty boxes).
    const header = page.locator("header");
    const unnamed = await header.locator("button, a, input, select").evaluateAll((els) =>
      els
        .filter((el) => el.getClientRects().length > 0)
        .filter((el) => {
          const r = el.getBoundingClientRect();
          const name =
            el.getAttribute("aria-label") || el.textContent?.trim() || el.getAttribute("placeholder");
          return r.width < 16 || r.height < 16 || !name || r.right > window.innerWidth;
        })
        .map((el) => el.outerHTML.slice(0, 80)),
    );
    expect(unnamed).toEqual([]);
    await screenshot(page, testInfo, `layout-phone-inbox-${locale}`);
    if (locale === "en") await checkA11y(page, testInfo, "layout-phone-inbox");

    // The navigation opens from the burger and holds the language picker.
    await page.locator("header button.mantine-Burger-root").click();
    await expect(page.getByTestId("nav").locator('a[href="/callbacks"]')).toBeVisible();
    await expect(page.getByTestId("nav").getByRole("combobox")).toBeVisible();
    await page.locator("header button.mantine-Burger-root").click();

    // Ticket: the thread fills the screen; properties open in a drawer.
    await card.locator(".inbox-card-link").click();
    await expect(page).toHaveURL(new RegExp(`/tickets/${ticketId}`));
    await expect(page.getByTestId("properties-button")).toBeVisible();
    expect(await overflowX(page)).toBeLessThanOrEqual(0);
    await page.getByTestId("properties-button").click();
    const drawer = page.getByRole("dialog");
    await expect(drawer).toBeVisible();
    await expect(drawer.getByRole("combobox").first()).toBeInViewport();
    await screenshot(page, testInfo, `layout-phone-ticket-properties-${locale}`);
    await page.keyboard.press("Escape");
    await expect(drawer).toBeHidden();

    for (const [name, path] of [
      ["dossier", `/contacts/${contactId}`],
      ["today", "/planner/today"],
      ["chat", "/chat"],
    ] as const) {
      await page.goto(path);
      await expect(page.locator("main h1, main h2").first()).toBeVisible();
      await page.waitForLoadState("networkidle");
      expect(await overflowX(page), `${name} scrolls sideways`).toBeLessThanOrEqual(0);
      await screenshot(page, testInfo, `layout-phone-${name}-${locale}`);
    }
    await page.context().close();
  });
}

test("dark theme follows the system, can be chosen in the account menu, and passes axe", async ({
  browser,
}, testInfo) => {
  const page = await open(browser, "en", { colorScheme: "dark", viewport: { width: 1366, height: 900 } });
  await inboxReady(page);
  const html = page.locator("html");
  await expect(html).toHaveAttribute("data-mantine-color-scheme", "dark");
  await checkA11y(page, testInfo, "layout-dark-inbox");
  await screenshot(page, testInfo, "layout-dark-inbox");
  await page.goto(`/tickets/${ticketId}`);
  await expect(page.locator("main h1")).toBeVisible();
  await page.waitForLoadState("networkidle");
  await checkA11y(page, testInfo, "layout-dark-ticket");
  await screenshot(page, testInfo, "layout-dark-ticket");

  // The switch: light, then back to the system's choice (dark here).
  await page.getByTestId("account-menu").click();
  await page.getByTestId("theme-light").click();
  await expect(html).toHaveAttribute("data-mantine-color-scheme", "light");
  await page.reload();
  await expect(html).toHaveAttribute("data-mantine-color-scheme", "light");
  await expect(page.locator("main h1")).toBeVisible();
  await checkA11y(page, testInfo, "layout-light-ticket");
  await page.getByTestId("account-menu").click();
  await page.getByTestId("theme-auto").click();
  await expect(html).toHaveAttribute("data-mantine-color-scheme", "dark");
  await page.context().close();
});

// The dark theme in every language: on the desktop (vi, km, ta; English above) and on a phone.
for (const locale of LOCALES) {
  test(`dark theme in ${locale}${locale === "en" ? "" : " (desktop and phone)"}: inbox and ticket pass axe`, async ({
    browser,
  }, testInfo) => {
    test.setTimeout(240_000);
    for (const phone of locale === "en" ? [true] : [false, true]) {
      const where = `${locale}-${phone ? "phone" : "desktop"}`;
      const page = await open(browser, locale, {
        colorScheme: "dark",
        ...(phone
          ? { viewport: PHONE, hasTouch: true, isMobile: true }
          : { viewport: { width: 1366, height: 900 } }),
      });
      await inboxReady(page);
      await expect(page.locator("html")).toHaveAttribute("data-mantine-color-scheme", "dark");
      await expect(page.locator("html")).toHaveAttribute("lang", locale);
      expect(await overflowX(page), `dark inbox (${where}) scrolls sideways`).toBeLessThanOrEqual(0);
      await checkA11y(page, testInfo, `layout-dark-inbox-${where}`);
      await screenshot(page, testInfo, `layout-dark-inbox-${where}`);
      await page.goto(`/tickets/${ticketId}`);
      await expect(page.locator("main h1")).toBeVisible();
      await page.waitForLoadState("networkidle");
      expect(await overflowX(page), `dark ticket (${where}) scrolls sideways`).toBeLessThanOrEqual(0);
      await checkA11y(page, testInfo, `layout-dark-ticket-${where}`);
      await screenshot(page, testInfo, `layout-dark-ticket-${where}`);
      if (phone) {
        // The properties drawer, dark too.
        await page.getByTestId("properties-button").click();
        await expect(page.getByRole("dialog")).toBeVisible();
        await checkA11y(page, testInfo, `layout-dark-properties-${where}`);
        await screenshot(page, testInfo, `layout-dark-properties-${where}`);
      }
      await page.context().close();
    }
  });
}
