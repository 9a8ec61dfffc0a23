import { defineConfig } from "vitest/config";

const serverIntegration = ["apps/server/src/**/*.test.ts"];
const unit = ["**/*.unit.test.ts", "**/*.unit.test.tsx"];
const globalSetup = ["apps/server/src/test/global-setup.ts"];

/**
 * Workers: Vitest's default is one less than the cores, one worker on a 2-core machine, so
 * the suites ran one file at a time while most of their time is spent waiting (on the
 * PostgreSQL server, on sockets, on the SMTP and IMAP servers the tests start). Three
 * workers keep both cores busy; VITEST_MAX_WORKERS overrides it.
 */
const maxWorkers = Number(process.env.VITEST_MAX_WORKERS) || 3;

/**
 * Projects: pure unit tests; the server's integration suites on PGlite; and the
 * same suites on PostgreSQL when TEST_DATABASE_URL is set.
 */
export default defineConfig({
  test: {
    maxWorkers,
    reporters: ["default", ["json", { outputFile: "reports/vitest.json" }]],
    projects: [
      {
        test: { name: "unit", include: unit, exclude: ["**/node_modules/**"], environment: "node" },
      },
      {
        test: {
          name: "pglite",
          include: serverIntegration,
          exclude: [...unit, "**/node_modules/**"],
          globalSetup,
          env: { RAPPORT_TEST_BACKEND: "pglite" },
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
      ...(process.env.TEST_DATABASE_URL
        ? [
            {
              test: {
                name: "postgres",
                include: serverIntegration,
                exclude: [...unit, "**/node_modules/**"],
                globalSetup,
                env: { RAPPORT_TEST_BACKEND: "postgres" },
                testTimeout: 120_000,
                hookTimeout: 180_000,
              },
            },
          ]
        : []),
    ],
  },
});
