import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { defineConfig } from "@playwright/test";
import { DEMO_PASSWORD, DEMO_PORT, E2E_PORT } from "./e2e/constants.ts";

/**
 * End-to-end suites for the agent web app. The config starts the real Rapport server on a
 * fresh PGlite data directory (so every run begins at the first-run setup screen) and drives
 * Debian's Chromium. `npm run test:e2e` builds apps/web first when it is stale.
 */
const port = E2E_PORT;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "rapport-e2e-"));
const demoDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "rapport-e2e-demo-"));
// scripts/e2e.mjs runs several groups at once: each its own report and output folders.
const suffix = process.env.E2E_SUFFIX ?? "";
const serverEnv = {
  HOST: "127.0.0.1",
  LOG_LEVEL: "warn",
  RATE_LIMIT_LOGIN_PER_MINUTE: "1000",
  SMTP_ENABLED: "false",
  IMAP_ENABLED: "false",
};

export default defineConfig({
  testDir: "e2e",
  outputDir: `test-results${suffix}`,
  // Limits fit for a busy machine: CI runs two groups of these beside Vitest's workers on 2 cores,
  // where a step takes up to six times as long as on a quiet one (the CI run of 49fa3be).
  timeout: 180_000,
  expect: { timeout: 30_000 },
  workers: 1,
  fullyParallel: false,
  retries: 0,
  reporter: [
    ["list"],
    ["html", { open: "never", outputFolder: `playwright-report${suffix}` }],
    ["json", { outputFile: process.env.E2E_REPORT ?? "reports/playwright.json" }],
  ],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    screenshot: "only-on-failure",
    // A trace records every action's DOM and a screencast for every test, kept or not: on CI, where
    // nobody opens one, that was browser CPU spent for nothing, and reading its zip back once failed
    // a passing test at load 15 ("file data stream has unexpected number of bytes").
    trace: process.env.CI ? "off" : "retain-on-failure",
    actionTimeout: 40_000,
    // No animations to render frame by frame (the app's theme respects the preference).
    reducedMotion: "reduce",
    viewport: { width: 1366, height: 800 },
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
  },
  projects: [
    // First run: the setup screen only exists before the organization is created.
    { name: "first-run", testMatch: /journey\.spec\.ts/ },
    { name: "app", testIgnore: /journey\.spec\.ts/, dependencies: ["first-run"] },
    // Measurements (no assertions on time): MEASURE=1 npx playwright test --project=measure --no-deps
    ...(process.env.MEASURE ? [{ name: "measure", testMatch: /\.measure\.ts$/ }] : []),
  ],
  webServer: [
    {
      command: "npx tsx apps/server/src/cli.ts start",
      url: `http://127.0.0.1:${port}/api/v1/health`,
      timeout: 240_000,
      reuseExistingServer: false,
      stdout: "pipe",
      stderr: "pipe",
      // Real SMTP in (e2e/email.spec.ts sends to it with nodemailer): port E2E_PORT + 15.
      env: {
        ...serverEnv,
        RAPPORT_DATA_DIR: dataDir,
        PORT: String(port),
        SMTP_ENABLED: "true",
        SMTP_PORT: String(port + 15),
      },
    },
    // The demo-data server is not needed for measurements (or with E2E_NO_DEMO=1 for quick runs).
    ...(process.env.MEASURE || process.env.E2E_NO_DEMO
      ? []
      : [
          {
            command: `npx tsx apps/server/src/cli.ts seed:demo --tickets 400 --contacts 100 --password ${DEMO_PASSWORD} && npx tsx apps/server/src/cli.ts start`,
            url: `http://127.0.0.1:${DEMO_PORT}/api/v1/health`,
            timeout: 600_000,
            reuseExistingServer: false,
            stdout: "pipe",
            stderr: "pipe",
            env: { ...serverEnv, RAPPORT_DATA_DIR: demoDataDir, PORT: String(DEMO_PORT) },
          },
        ]),
  ],
});
