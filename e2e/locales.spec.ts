import { expect, type Page, test } from "@playwright/test";
import en from "../apps/web/src/i18n/locales/en.ts";
import km from "../apps/web/src/i18n/locales/km.ts";
import ta from "../apps/web/src/i18n/locales/ta.ts";
import vi from "../apps/web/src/i18n/locales/vi.ts";
import { ADMIN, Api, checkA11y, ensureSetup, screenshot, signIn, unique } from "./helpers.ts";

const CATALOGS = { en, vi, km, ta } as const;
type Locale = keyof typeof CATALOGS;

let ticketId = "";

test.beforeAll(async ({ baseURL }) => {
  const url = baseURL ?? "";
  await ensureSetup(url);
  const admin = await Api.login(url, ADMIN.email, ADMIN.password);
  await admin.send("POST", "/teams", { name: unique("Tier 2"), description: "Escalations" });
  await admin.send("POST", "/api-tokens", { name: "locale-suite" });
  const t = await admin.send<{ id: string }>("POST", "/tickets", {
    subject: "Máy in không hoạt động — printer broken",
    requester: { email: "lan.nguyen@example.test", name: "Nguyễn Thị Lan" },
    message: { body: "Xin chào, máy in của tôi không in được. សួស្តី வணக்கம்" },
    channel: "email",
    tags: ["printer"],
  });
  ticketId = t.id;
  const me = await admin.get<{ csrfToken: string }>("/me");
  const upload = await admin.ctx.post(`/api/v1/tickets/${t.id}/attachments`, {
    headers: { "x-csrf-token": me.csrfToken },
    multipart: {
      file: { name: "error-log.txt", mimeType: "text/plain", buffer: Buffer.from("E42: paper jam\n") },
    },
  });
  expect(upload.status(), await upload.text()).toBe(201);
  const att = await upload.json();
  await admin.send("POST", `/tickets/${t.id}/messages`, {
    body: "Chúng tôi đang kiểm tra. Vui lòng gửi nhật ký lỗi.",
    attachmentIds: [att.id],
  });
  await admin.send("POST", `/tickets/${t.id}/messages`, {
    body: "Customer is a VIP; call back today.",
    internal: true,
  });
  await admin.dispose();
});

async function setMyLocale(page: Page, locale: Locale) {
  const me = await (await page.request.get("/api/v1/me")).json();
  const r = await page.request.patch("/api/v1/me", {
    data: { locale },
    headers: { "x-csrf-token": me.csrfToken },
  });
  expect(r.status()).toBe(200);
}

async function check(
  page: Page,
  locale: Locale,
  name: string,
  testInfo: Parameters<Parameters<typeof test>[1]>[1],
) {
  await expect(page.locator("html")).toHaveAttribute("lang", locale);
  await page.waitForLoadState("networkidle");
  await screenshot(page, testInfo, `${name}-${locale}`);
  await checkA11y(page, testInfo, `${name}-${locale}`, { allLanguages: true });
}

for (const locale of Object.keys(CATALOGS) as Locale[]) {
  const t = CATALOGS[locale];

  test(`every main screen in ${locale}: screenshot and axe`, async ({ browser }, testInfo) => {
    // A dozen screens, each with a screenshot and an axe scan: about a minute on a quiet machine.
    test.setTimeout(240_000);
    // Signed out: the login screen, language chosen with the picker.
    const anon = await browser.newContext();
    const login = await anon.newPage();
    await login.goto("/login");
    await login
      .getByLabel(en["common.language"])
      .or(login.getByRole("combobox").first())
      .first()
      .selectOption(locale);
    await expect(login.getByRole("heading", { level: 1 })).toHaveText(t["auth.signIn"]);
    await check(login, locale, "login", testInfo);
    await login.goto("/forgot-password");
    await expect(login.getByRole("heading", { level: 1 })).toHaveText(t["auth.forgotTitle"]);
    await check(login, locale, "forgot-password", testInfo);
    await anon.close();

    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, ADMIN.email, ADMIN.password, "/login");
    await setMyLocale(page, locale);

    await page.goto("/inbox/all_open");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(t["views.all_open"]);
    await expect(page.locator(`tr[data-ticket-id="${ticketId}"]`)).toBeVisible();
    await check(page, locale, "inbox", testInfo);

    await page.goto(`/tickets/${ticketId}`);
    await expect(page.getByRole("heading", { level: 1 })).toContainText("printer broken");
    await expect(page.locator("article[data-kind=note]")).toContainText("VIP");
    await expect(page.getByRole("link", { name: "error-log.txt" })).toBeVisible();
    await expect(page.getByText(t["ticket.internalNote"]).first()).toBeVisible();
    await check(page, locale, "ticket", testInfo);

    await page.goto("/search?q=printer");
    await expect(
      page.getByRole("heading", { level: 2, name: new RegExp(t["search.tickets"]) }),
    ).toBeVisible();
    await expect(page.getByRole("link", { name: /printer broken/ }).first()).toBeVisible();
    await check(page, locale, "search", testInfo);

    for (const section of ["users", "teams", "settings", "tokens"] as const) {
      await page.goto(`/admin/${section}`);
      await expect(page.getByRole("tab", { name: t[`admin.${section}`], selected: true })).toBeVisible();
      await check(page, locale, `admin-${section}`, testInfo);
    }

    await page.keyboard.press("?");
    await expect(page.getByRole("dialog", { name: t["shortcuts.title"] })).toBeVisible();
    await check(page, locale, "shortcuts", testInfo);

    await setMyLocale(page, "en");
    await context.close();
  });
}
