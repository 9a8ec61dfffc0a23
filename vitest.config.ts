import fs from "node:fs";
import path from "node:path";
import { defineConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";

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
 * Order: the slowest files first (longest-processing-time first), so the run does not end on one
 * long file while the other workers idle. Durations in seconds per "project:file" come from
 * vitest.durations.json (refresh: `node scripts/test-summary.mjs --update-durations` after a run;
 * scripts/vitest-durations-reporter.mjs measures them); a file not listed weighs the median.
 */
const measured: Record<string, number> = fs.existsSync("vitest.durations.json")
  ? JSON.parse(fs.readFileSync("vitest.durations.json", "utf8"))
  : {};
const known = Object.values(measured).sort((a, b) => a - b);
const median = known.length ? known[Math.floor(known.length / 2)] : 0;

class SlowestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]) {
    const base = await super.sort(files);
    const weight = (s: TestSpecification) =>
      measured[`${s.project.name}:${path.relative(process.cwd(), s.moduleId)}`] ?? median;
    return base
      .map((spec, i) => ({ spec, i, w: weight(spec) }))
      .sort((a, b) => b.w - a.w || a.i - b.i)
      .map((x) => x.spec);
  }
}

/**
 * Projects: pure unit tests; the server's integration suites on PGlite; and the
 * same suites on PostgreSQL when TEST_DATABASE_URL is set. A suite about one backend only is
 * named *.pglite.test.ts or *.postgres.test.ts and runs in that project alone.
 */
export default defineConfig({
  test: {
    maxWorkers,
    sequence: { sequencer: SlowestFirst },
    reporters: [
      "default",
      ["json", { outputFile: "reports/vitest.json" }],
      "./scripts/vitest-durations-reporter.mjs",
    ],
    projects: [
      {
        // 60 s, not Vitest's 5 s: property tests and the widget's bundle-size build must hold on a busy machine.
        test: {
          name: "unit",
          include: unit,
          exclude: ["**/node_modules/**"],
          environment: "node",
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: "pglite",
          include: serverIntegration,
          exclude: [...unit, "**/*.postgres.test.ts", "**/node_modules/**"],
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
                exclude: [...unit, "**/*.pglite.test.ts", "**/node_modules/**"],
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
