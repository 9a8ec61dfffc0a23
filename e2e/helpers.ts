import fs from "node:fs";
import AxeBuilder from "@axe-core/playwright";
import {
  type APIRequestContext,
  type Browser,
  expect,
  type Page,
  request as pwRequest,
  type TestInfo,
} from "@playwright/test";

export const ADMIN = { name: "Ada Admin", email: "admin@example.test", password: "correct-horse-battery" };
export const ORG = "Acme Support";

type Json = Record<string, unknown>;

/** A signed-in API client (cookie session + CSRF header), independent of any page. */
export class Api {
  private constructor(
    readonly ctx: APIRequestContext,
    private csrf: string | null,
    private bearer: string | null,
  ) {}

  static async login(baseURL: string, email: string, password: string): Promise<Api> {
    const ctx = await pwRequest.newContext({ baseURL });
    const r = await ctx.post("/api/v1/auth/login", { data: { email, password } });
    expect(r.status(), await r.text()).toBe(200);
    return new Api(ctx, (await r.json()).csrfToken, null);
  }

  static async token(baseURL: string, token: string): Promise<Api> {
    return new Api(await pwRequest.newContext({ baseURL }), null, token);
  }

  private headers() {
    const h: Record<string, string> = {};
    if (this.csrf) h["x-csrf-token"] = this.csrf;
    if (this.bearer) h.authorization = `Bearer ${this.bearer}`;
    return h;
  }

  async get<T = Json>(path: string): Promise<T> {
    const r = await this.ctx.get(`/api/v1${path}`, { headers: this.headers() });
    expect(r.ok(), `GET ${path}: ${r.status()} ${await r.text()}`).toBe(true);
    return (await r.json()) as T;
  }

  async send<T = Json>(
    method: "POST" | "PUT" | "PATCH" | "DELETE",
    path: string,
    data?: unknown,
  ): Promise<T> {
    const r = await this.ctx.fetch(`/api/v1${path}`, { method, data: data ?? {}, headers: this.headers() });
    expect(r.ok(), `${method} ${path}: ${r.status()} ${await r.text()}`).toBe(true);
    return (r.status() === 204 ? undefined : await r.json()) as T;
  }

  dispose() {
    return this.ctx.dispose();
  }
}

/** Creates the organization and admin through the API if the UI journey has not. */
export async function ensureSetup(baseURL: string) {
  const ctx = await pwRequest.newContext({ baseURL });
  const state = await (await ctx.get("/api/v1/setup")).json();
  if (state.needsSetup) {
    const r = await ctx.post("/api/v1/setup", {
      data: {
        organization: { name: ORG, timeZone: "Asia/Ho_Chi_Minh", defaultLanguage: "en" },
        admin: ADMIN,
      },
    });
    expect(r.status()).toBe(201);
  }
  await ctx.dispose();
}

let counter = 0;
export const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${(counter++).toString(36)}`;

/** Signs a page's browser context in through the API (shares the cookie jar) and opens a path. */
export async function signIn(page: Page, email: string, password: string, path = "/inbox/all_open") {
  // An absolute address signs in to that server (a spec may start one of its own).
  const origin = /^https?:\/\//.test(path) ? new URL(path).origin : "";
  const r = await page.request.post(`${origin}/api/v1/auth/login`, { data: { email, password } });
  expect(r.status()).toBe(200);
  await page.goto(path);
}

export async function createAgent(
  admin: Api,
  opts: { teamIds?: string[]; locale?: string; role?: string; name?: string } = {},
) {
  const email = `${unique("agent")}@example.test`;
  const password = "agent-password-123";
  const user = await admin.send<{ id: string; name: string }>("POST", "/users", {
    email,
    name: opts.name ?? `Agent ${email.slice(6, 14)}`,
    password,
    role: opts.role ?? "agent",
    locale: opts.locale ?? "en",
    teamIds: opts.teamIds ?? [],
  });
  return { ...user, email, password };
}

/** The phone every phone-layout test uses (issue 14): 390×844, touch. */
export const PHONE = { width: 390, height: 844 };
/** The shipped languages of the agent app. */
export const LOCALES = ["en", "vi", "km", "ta"] as const;
export type Locale = (typeof LOCALES)[number];

export async function newSignedInPage(
  browser: Browser,
  email: string,
  password: string,
  path?: string,
  opts: {
    notificationOfferAnswered?: boolean;
    phone?: boolean;
    timezoneId?: string;
    colorScheme?: "light" | "dark";
  } = {},
) {
  const context = await browser.newContext({
    ...(opts.phone ? { viewport: PHONE, hasTouch: true, isMobile: true } : {}),
    ...(opts.timezoneId ? { timezoneId: opts.timezoneId } : {}),
    ...(opts.colorScheme ? { colorScheme: opts.colorScheme } : {}),
  });
  // The one-time desktop-notification offer (features/chat/ChatNotifier.tsx) shows only in some
  // states; a test that doesn't look at it can start with it answered instead of racing it.
  if (opts.notificationOfferAnswered)
    await context.addInitScript(() => {
      // about:blank has no storage of its own: only the app's pages.
      if (location.protocol.startsWith("http")) localStorage.setItem("rapport.chat.notificationsAsked", "1");
    });
  const page = await context.newPage();
  await signIn(page, email, password, path);
  return page;
}

/**
 * Fails on serious or critical axe violations; attaches the full report.
 *
 * Axe runs on a page in English or Tamil (the longest strings, its own script) wherever a spec asks.
 * Contrast, roles, names and structure do not change between the languages, and one axe pass costs
 * 10–19 s of the browser's CPU at load 15 (a full-page screenshot: 0.5 s), so a page in Vietnamese
 * or Khmer is checked only where a spec passes `allLanguages` (locales.spec.ts sweeps every main
 * screen of the agent app in every language); elsewhere those languages keep their screenshots and
 * their sideways-scroll and untranslated-text checks, and the report records where axe was left out.
 * docs/decisions/0017-tests-wait-like-a-busy-machine.md
 */
export async function checkA11y(
  page: Page,
  testInfo: TestInfo,
  name: string,
  opts: { allLanguages?: boolean } = {},
) {
  const lang = await page.evaluate(() => document.documentElement.lang);
  if (!opts.allLanguages && /^(vi|km)\b/.test(lang)) {
    await testInfo.attach(`axe-${name}.txt`, {
      body: `axe not run in ${lang}: English and Tamil are checked; locales.spec.ts sweeps every language`,
    });
    return;
  }
  const results = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
    .analyze();
  const bad = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  await testInfo.attach(`axe-${name}.json`, {
    body: JSON.stringify(results.violations, null, 2),
    contentType: "application/json",
  });
  expect(
    bad.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")),
    })),
    `axe violations on ${name}`,
  ).toEqual([]);
}

/** Saves a full-page screenshot under test-results/screens and attaches it to the report. */
export async function screenshot(page: Page, testInfo: TestInfo, name: string) {
  const file = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  // One capture, two places (a full-page capture is among the costliest steps of a test).
  fs.mkdirSync("test-results/screens", { recursive: true });
  fs.copyFileSync(file, `test-results/screens/${name}.png`);
  await testInfo.attach(name, { path: file, contentType: "image/png" });
}

/** Polls the page's sideways overflow (a resize or a late font settles after a frame or two);
 * a failure names the innermost elements that reach past the screen's right edge. */
export async function expectNoSidewaysScroll(page: Page, what: string) {
  await expect
    .poll(
      () =>
        page.evaluate(() => {
          const width = document.documentElement.clientWidth;
          if (document.documentElement.scrollWidth <= width) return [];
          const past = [...document.querySelectorAll("body *")].filter(
            (el) => el.getBoundingClientRect().right > width + 1 && el.getClientRects().length > 0,
          );
          return past
            .filter((el) => !past.some((other) => other !== el && el.contains(other)))
            .slice(0, 5)
            .map((el) => `${el.tagName.toLowerCase()}.${el.className} "${el.textContent?.slice(0, 30)}"`);
        }),
      { message: `${what} scrolls sideways` },
    )
    .toEqual([]);
}
