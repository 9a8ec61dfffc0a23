import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import adminEn from "../apps/web/src/i18n/locales/en.ts";
import adminKm from "../apps/web/src/i18n/locales/km.ts";
import adminTa from "../apps/web/src/i18n/locales/ta.ts";
import adminVi from "../apps/web/src/i18n/locales/vi.ts";
import { E2E_PORT } from "./constants.ts";
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
 * Issue 14: one public address (PUBLIC_URL) in every admin snippet, with a warning when it is a
 * loopback address while the server accepts other machines (HOST is not loopback). This spec
 * starts a Rapport server of its own (a fresh data directory) twice: without PUBLIC_URL (it falls
 * back to http://localhost), then with a real public address. The chat widget's snippet on
 * Admin → Chat shows it.
 *
 * Servers started for tests listen on 127.0.0.1 only (never 0.0.0.0), so the server's side of
 * the warning (HOST not loopback + loopback PUBLIC_URL → `warning: "loopback"`) is tested in
 * apps/server/src/modules/settings/public-address.test.ts, and here the page is given that answer:
 * the real response of GET /settings/public-address with the host and warning a server on 0.0.0.0
 * sends. What the browser test checks is the screen: the warning, its wording in four languages,
 * the layout on a phone and axe.
 */
const T = { en: adminEn, vi: adminVi, km: adminKm, ta: adminTa } as const;
const PORT = E2E_PORT + 5;
const BASE = `http://127.0.0.1:${PORT}`;
const PUBLIC = "https://help.acme.example";
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "rapport-e2e-public-url-"));

let server: ChildProcess | null = null;

async function start(env: Record<string, string>) {
  server = spawn("npx", ["tsx", "apps/server/src/cli.ts", "start"], {
    env: {
      ...process.env,
      HOST: "127.0.0.1",
      PORT: String(PORT),
      RAPPORT_DATA_DIR: dataDir,
      LOG_LEVEL: "warn",
      RATE_LIMIT_LOGIN_PER_MINUTE: "1000",
      SMTP_ENABLED: "false",
      IMAP_ENABLED: "false",
      ...env,
    },
    stdio: "ignore",
    // Its own process group: stopped as a whole (npx, tsx and the server) by its id.
    detached: true,
  });
  await expect
    .poll(
      async () => {
        try {
          return (await fetch(`${BASE}/api/v1/health`)).status;
        } catch {
          return 0;
        }
      },
      { timeout: 240_000, intervals: [1_000] },
    )
    .toBe(200);
}

async function stop() {
  const child = server;
  server = null;
  if (!child?.pid || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  process.kill(-child.pid, "SIGTERM");
  await exited;
}

test.afterAll(async () => {
  await stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test.describe.configure({ mode: "serial" });

test("a loopback PUBLIC_URL on a server open to other machines: Admin → Chat warns, in every language", async ({
  browser,
}, testInfo) => {
  test.setTimeout(600_000);
  await start({});
  await ensureSetup(BASE);
  const admin = await Api.login(BASE, ADMIN.email, ADMIN.password);
  const site = await admin.send<{ key: string; snippet: string }>("POST", "/chat/sites", {
    name: unique("Shop"),
    allowedOrigins: ["https://shop.example"],
    appearance: { color: "#0055aa", position: "right", greeting: {} },
    languages: ["en"],
    prechat: { enabled: false, fields: [], required: [], topics: [] },
    hours: null,
    teamId: null,
    active: true,
  });
  for (const locale of LOCALES) {
    const me = await createAgent(admin, { role: "admin", locale });
    const page = await newSignedInPage(browser, me.email, me.password, `${BASE}/admin`, {
      notificationOfferAnswered: true,
      phone: locale !== "en",
    });
    // What a server with HOST=0.0.0.0 answers (see the header): the real response, that host.
    await page.route("**/api/v1/settings/public-address", async (route) => {
      const real = await route.fetch();
      const body = await real.json();
      expect(body).toMatchObject({ publicUrl: `http://localhost:${PORT}`, host: "127.0.0.1", warning: null });
      await route.fulfill({ response: real, json: { ...body, host: "0.0.0.0", warning: "loopback" } });
    });
    await page.goto(`${BASE}/admin/chat`);
    const warning = page.getByTestId("public-url-warning");
    // The first screen of a new context may take a while on a busy machine.
    await expect(warning).toBeVisible({ timeout: 45_000 });
    await expect(warning).toContainText(T[locale]["admin.publicUrl.title"]);
    await expect(warning).toContainText(`http://localhost:${PORT}`);
    await expect(warning).toContainText("0.0.0.0");
    await expect(warning).toContainText("PUBLIC_URL=https://support.example.com");
    const snippet = page.getByTestId("chat-snippet");
    await expect(snippet).toContainText(`http://localhost:${PORT}/widget/loader.js`);
    await expect(snippet).toContainText(site.key);
    const where = `${locale}-${locale === "en" ? "desktop" : "phone"}`;
    await expectNoSidewaysScroll(page, `Admin → Chat with the warning (${where})`);
    await screenshot(page, testInfo, `public-url-warning-${where}`);
    await checkA11y(page, testInfo, `public-url-warning-${where}`);
    await page.context().close();
  }
  await admin.dispose();
  await stop();
});

test("with a public PUBLIC_URL the snippet carries it and nothing is warned about", async ({
  browser,
}, testInfo) => {
  test.setTimeout(600_000);
  // Cookies stay usable over this test's plain http.
  await start({ PUBLIC_URL: PUBLIC, COOKIE_SECURE: "false" });
  const admin = await Api.login(BASE, ADMIN.email, ADMIN.password);
  const address = await admin.get<{ publicUrl: string; warning: string | null }>("/settings/public-address");
  expect(address).toMatchObject({ publicUrl: PUBLIC, warning: null });
  const page = await newSignedInPage(browser, ADMIN.email, ADMIN.password, `${BASE}/admin/chat`, {
    notificationOfferAnswered: true,
  });
  const snippet = page.getByTestId("chat-snippet").first();
  await expect(snippet).toContainText(`${PUBLIC}/widget/loader.js`, { timeout: 45_000 });
  await expect(page.getByTestId("chat-snippet").filter({ hasText: "localhost" })).toHaveCount(0);
  await expect(page.getByTestId("public-url-warning")).toHaveCount(0);
  await screenshot(page, testInfo, "public-url-snippet-en");
  await page.context().close();
  await admin.dispose();
  await stop();
});
