/**
 * The agent's daily screens on a phone (390×844, issue 14), in the four languages: the customer
 * dossier, Today, the chat console, a ticket and the inbox. Each is one column that fits the
 * screen (no sideways scrolling, nothing cut past the right edge), its actions are on screen
 * and reachable by a tap, and it passes axe. Tamil's labels are the longest of the four.
 */
import { type Browser, expect, type Locator, type Page, test } from "@playwright/test";
import chatEn from "../apps/web/src/features/chat/locales/en.ts";
import chatKm from "../apps/web/src/features/chat/locales/km.ts";
import chatTa from "../apps/web/src/features/chat/locales/ta.ts";
import chatVi from "../apps/web/src/features/chat/locales/vi.ts";
import dossierEn from "../apps/web/src/features/dossier/locales/en.ts";
import dossierKm from "../apps/web/src/features/dossier/locales/km.ts";
import dossierTa from "../apps/web/src/features/dossier/locales/ta.ts";
import dossierVi from "../apps/web/src/features/dossier/locales/vi.ts";
import plannerEn from "../apps/web/src/features/planner/locales/en.ts";
import plannerKm from "../apps/web/src/features/planner/locales/km.ts";
import plannerTa from "../apps/web/src/features/planner/locales/ta.ts";
import plannerVi from "../apps/web/src/features/planner/locales/vi.ts";
import appEn from "../apps/web/src/i18n/locales/en.ts";
import appKm from "../apps/web/src/i18n/locales/km.ts";
import appTa from "../apps/web/src/i18n/locales/ta.ts";
import appVi from "../apps/web/src/i18n/locales/vi.ts";
import {
  ADMIN,
  Api,
  checkA11y,
  createAgent,
  ensureSetup,
  LOCALES,
  type Locale,
  PHONE,
  screenshot,
  unique,
} from "./helpers.ts";

const T = {
  en: { ...chatEn, ...dossierEn, ...plannerEn, ...appEn },
  vi: { ...chatVi, ...dossierVi, ...plannerVi, ...appVi },
  km: { ...chatKm, ...dossierKm, ...plannerKm, ...appKm },
  ta: { ...chatTa, ...dossierTa, ...plannerTa, ...appTa },
} as const;

type Agent = { id: string; email: string; password: string };
const agents = {} as Record<Locale, Agent>;
const contacts = {} as Record<Locale, string>;
const tickets = {} as Record<Locale, string>;

test.beforeAll(async ({ baseURL }) => {
  const url = baseURL ?? "";
  await ensureSetup(url);
  const admin = await Api.login(url, ADMIN.email, ADMIN.password);
  const team = await admin.send<{ id: string }>("POST", "/teams", { name: unique("வாடிக்கையாளர் சேவை") });
  for (const locale of LOCALES) {
    const agent = await createAgent(admin, { locale, teamIds: [team.id] });
    agents[locale] = agent;
    const api = await Api.login(url, agent.email, agent.password);
    const me = await api.get<{ user: { id: string } }>("/me");
    const t = await api.send<{ id: string; requester: { id: string } }>("POST", "/tickets", {
      subject: "பணம் திரும்பப் பெறுதல் — நிறுத்திவைக்கப்பட்ட ஆர்டர் பற்றிய கேள்வி",
      requester: {
        email: `${unique("kavya")}@example.in`,
        name: "காவ்யா ராமன் சுப்பிரமணியம்",
      },
      message: { body: "என் ஆர்டர் இன்னும் வரவில்லை, வாடிக்கையாளர் சேவை உதவி தேவை" },
      priority: "urgent",
      teamId: team.id,
    });
    tickets[locale] = t.id;
    contacts[locale] = t.requester.id;
    await api.send("PATCH", `/tickets/${t.id}`, { status: "open", assigneeId: me.user.id });
    const today = (await api.get<{ date: string }>("/planner/today")).date;
    await api.send("POST", "/planner/contacts", {
      contactId: t.requester.id,
      date: today,
      channel: "phone",
      purpose: "நிறுத்திவைக்கப்பட்ட ஆர்டரைப் பற்றி திரும்ப அழைக்கவும் — Gia hạn hợp đồng bảo hành",
    });
    await api.send("POST", `/contacts/${t.requester.id}/notes`, {
      body: "வாடிக்கையாளர் காலையில் அழைப்புகளை விரும்புகிறார் · សួស្តី · xin chào",
    });
    await api.dispose();
  }
  await admin.dispose();
});

/** A signed-in agent on a phone, in their language, the notification offer already answered. */
async function phone(browser: Browser, locale: Locale, path: string): Promise<Page> {
  const context = await browser.newContext({ viewport: PHONE, hasTouch: true, isMobile: true });
  await context.addInitScript(() => {
    if (location.protocol.startsWith("http")) localStorage.setItem("rapport.chat.notificationsAsked", "1");
  });
  const page = await context.newPage();
  const r = await page.request.post("/api/v1/auth/login", {
    data: { email: agents[locale].email, password: agents[locale].password },
  });
  expect(r.status()).toBe(200);
  await page.goto(path);
  return page;
}

/** Nothing in the page is wider than the screen or sticks out past its right edge. */
async function fitsTheScreen(page: Page, what: string) {
  await expect
    .poll(() => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth), {
      message: `${what} scrolls sideways`,
    })
    .toBeLessThanOrEqual(0);
  const past = await page.locator("main *").evaluateAll((els) =>
    els
      .filter((el) => {
        if (el.getClientRects().length === 0) return false;
        // Inside a scroll container of its own (a table, a code block) it may be wider.
        for (let p = el.parentElement; p && p.tagName !== "MAIN"; p = p.parentElement) {
          const o = getComputedStyle(p).overflowX;
          if (o === "auto" || o === "scroll" || o === "hidden") return false;
        }
        const r = el.getBoundingClientRect();
        return r.width > 0 && r.right > window.innerWidth + 1;
      })
      .map((el) => `${el.tagName.toLowerCase()}.${el.className} "${(el.textContent ?? "").slice(0, 40)}"`)
      .slice(0, 5),
  );
  expect(past, `${what}: elements past the right edge`).toEqual([]);
}

/** A control is on the screen's width, big enough to tap, and not covered by something else. */
async function reachable(control: Locator) {
  await control.scrollIntoViewIfNeeded();
  await expect(control).toBeVisible();
  const box = await control.evaluate((el) => {
    const r = el.getBoundingClientRect();
    const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
    return { left: r.left, right: r.right, height: r.height, hit: !!hit && (el === hit || el.contains(hit)) };
  });
  expect(box.left).toBeGreaterThanOrEqual(0);
  expect(box.right).toBeLessThanOrEqual(PHONE.width);
  expect(box.height).toBeGreaterThanOrEqual(24);
  expect(box.hit, "covered by another element").toBe(true);
}

for (const locale of LOCALES) {
  test(`the agent's daily screens on a phone in ${locale}: dossier, Today, chat, ticket, inbox`, async ({
    browser,
  }, testInfo) => {
    // Five screens, each with axe, on a busy machine.
    test.setTimeout(240_000);
    const L = T[locale];

    // Dossier: one column; the quick actions and the open ticket come before the long profile.
    const page = await phone(browser, locale, `/contacts/${contacts[locale]}`);
    await expect(page.getByTestId("dossier-name")).toBeVisible({ timeout: 45_000 });
    await expect(page.getByTestId("dossier-layout")).toHaveAttribute("data-layout", "phone");
    await fitsTheScreen(page, "dossier");
    const plan = page.getByRole("button", { name: L["dossier.action.plan"] });
    await reachable(plan);
    await reachable(page.getByTestId("open-tickets").getByRole("link").first());
    await screenshot(page, testInfo, `phone-dossier-${locale}`);
    await checkA11y(page, testInfo, `phone-dossier-${locale}`);
    // The timeline is its own tab on a phone; the note just written is in it.
    await page.getByRole("tab", { name: L["dossier.timeline"] }).click();
    await expect(page.getByRole("heading", { name: L["dossier.timeline"] })).toBeVisible();
    await expect(page.getByText("xin chào").first()).toBeVisible();
    await fitsTheScreen(page, "dossier timeline");
    await screenshot(page, testInfo, `phone-dossier-timeline-${locale}`);
    // An action opens its form in a full-screen dialog.
    await page.getByRole("tab", { name: L["dossier.overview"] }).click();
    await plan.click();
    const dialog = page.getByRole("dialog");
    await expect(dialog).toBeVisible();
    await fitsTheScreen(page, "plan dialog");
    await page.keyboard.press("Escape");
    await expect(dialog).toBeHidden();

    // Today: each planned contact is a card; its "done" button is full width under the text.
    await page.goto("/planner/today");
    const item = page.getByTestId("today-item").first();
    await expect(item).toBeVisible();
    await fitsTheScreen(page, "Today");
    const done = item.getByRole("button", { name: /.+/ }).last();
    await reachable(done);
    await reachable(page.getByRole("navigation", { name: L["planner.nav.label"] }).getByRole("link").last());
    await screenshot(page, testInfo, `phone-today-${locale}`);
    await checkA11y(page, testInfo, `phone-today-${locale}`);
    await done.click();
    await expect(page.getByRole("dialog")).toBeVisible();
    await fitsTheScreen(page, "complete dialog");
    await page.keyboard.press("Escape");

    // Chat console: the availability switch fits and works; agents are listed as rows of cards.
    await page.goto("/chat");
    await expect(page.getByRole("heading", { name: L["chat.nav"] })).toBeVisible();
    await fitsTheScreen(page, "chat console");
    const console_ = page.getByTestId("chat-console");
    await expect(console_).toHaveAttribute("data-layout", "phone");
    for (const a of ["online", "away", "offline"] as const) {
      const choice = console_
        .locator("label")
        .filter({ hasText: new RegExp(`^${L[`chat.availability.${a}`]}$`) });
      await reachable(choice);
      await expect(choice).toBeInViewport({ ratio: 1 });
      expect(await choice.evaluate((el) => el.scrollWidth <= el.clientWidth + 1), `${a} is cut`).toBe(true);
    }
    const away = console_.locator("label").filter({ hasText: L["chat.availability.away"] });
    await away.click();
    await expect(console_.getByRole("radio", { name: L["chat.availability.away"] })).toBeChecked();
    await reachable(page.getByTestId("chat-name"));
    await screenshot(page, testInfo, `phone-chat-${locale}`);
    await checkA11y(page, testInfo, `phone-chat-${locale}`);

    // Ticket: the thread is full width, the reply box and the properties button are reachable.
    await page.goto(`/tickets/${tickets[locale]}`);
    await expect(page.locator("main h1")).toBeVisible();
    await fitsTheScreen(page, "ticket");
    await reachable(page.getByTestId("properties-button"));
    await screenshot(page, testInfo, `phone-ticket-${locale}`);
    await checkA11y(page, testInfo, `phone-ticket-${locale}`);

    // Inbox: cards.
    await page.goto("/inbox/mine");
    await expect(page.getByTestId("inbox-scroll")).toHaveAttribute("data-layout", "cards");
    await expect(page.locator(`.inbox-card-slot[data-ticket-id="${tickets[locale]}"]`)).toBeVisible();
    await fitsTheScreen(page, "inbox");
    await screenshot(page, testInfo, `phone-inbox-${locale}`);
    await checkA11y(page, testInfo, `phone-inbox-${locale}`);
    await page.context().close();
  });
}

/**
 * The call-back reminder on a phone is one slim bar along the bottom: it never covers the reply
 * box, which stays on screen, takes typing and can be sent (issue 14: the toast covered a fifth
 * of the screen).
 */
test("the call-back reminder bar leaves the reply box usable on a phone, in every language", async ({
  browser,
  baseURL,
}, testInfo) => {
  test.setTimeout(300_000);
  const admin = await Api.login(baseURL ?? "", ADMIN.email, ADMIN.password);
  for (const locale of LOCALES) {
    const L = T[locale];
    await admin.send("POST", "/phone/callbacks", {
      contactId: contacts[locale],
      phone: "+84 90 555 12 34",
      topic: "நிறுத்திவைக்கப்பட்ட ஆர்டர்",
      assigneeId: agents[locale].id,
    });
    // Due now: the reminder job marks it for the agent.
    const agentApi = await Api.login(baseURL ?? "", agents[locale].email, agents[locale].password);
    await expect
      .poll(
        async () => (await agentApi.get<{ items: unknown[] }>("/phone/callbacks/reminders")).items.length,
        {
          timeout: 60_000,
        },
      )
      .toBeGreaterThan(0);
    await agentApi.dispose();

    const page = await phone(browser, locale, `/tickets/${tickets[locale]}`);
    const bar = page.getByTestId("callback-reminder");
    await expect(bar).toBeVisible({ timeout: 45_000 });
    const height = await bar.evaluate((el) => el.getBoundingClientRect().height);
    expect(height, "the reminder bar's height").toBeLessThanOrEqual(PHONE.height * 0.12);
    const reply = page.getByTestId("reply-body");
    await reachable(reply);
    await reply.click();
    await reply.fill("Tôi sẽ gọi lại cho chị trong 10 phút · xin chào");
    await expect(reply).toHaveValue("Tôi sẽ gọi lại cho chị trong 10 phút · xin chào");
    await reachable(page.getByRole("button", { name: L["ticket.send"], exact: true }));
    // The page's end (the reply box's buttons) scrolls clear of the bar.
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    await reachable(page.getByRole("button", { name: L["ticket.send"], exact: true }));
    await fitsTheScreen(page, "ticket with the reminder bar");
    await screenshot(page, testInfo, `phone-callback-reminder-${locale}`);
    await checkA11y(page, testInfo, `phone-callback-reminder-${locale}`);
    await page.context().close();
  }
  await admin.dispose();
});
