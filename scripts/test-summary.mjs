// Prints one closing line for CI: "tests: N passed, N failed" (plus skipped), summed
// over the Vitest and Playwright JSON reports that `npm test` writes under reports/.
import fs from "node:fs";

const read = (file) => (fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")) : null);
let passed = 0;
let failed = 0;
let skipped = 0;

const vitest = read("reports/vitest.json");
if (vitest) {
  passed += vitest.numPassedTests ?? 0;
  failed += vitest.numFailedTests ?? 0;
  skipped += (vitest.numPendingTests ?? 0) + (vitest.numTodoTests ?? 0);
}
// One report per e2e group (scripts/e2e.mjs), or one from a plain `playwright test`.
const playwrightReports = fs.existsSync("reports")
  ? fs
      .readdirSync("reports")
      .filter((f) => /^playwright(-\d+)?\.json$/.test(f))
      .map((f) => read(`reports/${f}`))
  : [];
for (const playwright of playwrightReports) {
  if (!playwright?.stats) continue;
  passed += (playwright.stats.expected ?? 0) + (playwright.stats.flaky ?? 0);
  failed += playwright.stats.unexpected ?? 0;
  skipped += playwright.stats.skipped ?? 0;
}
if (!vitest && !playwrightReports.length) {
  console.log("tests: 0 passed, 1 failed");
  console.error("no test report found under reports/");
  process.exit(1);
}
console.log(`tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);

// Every e2e test's run: spec file, title and milliseconds (from every group's report).
const e2eRuns = [];
const walk = (suite, file) => {
  const f = suite.file ?? file;
  for (const spec of suite.specs ?? [])
    for (const t of spec.tests ?? [])
      for (const r of t.results ?? []) e2eRuns.push({ file: f, title: spec.title, ms: r.duration ?? 0 });
  for (const s of suite.suites ?? []) walk(s, f);
};
for (const playwright of playwrightReports)
  for (const suite of playwright?.suites ?? []) walk(suite, suite.file);
// Seconds per "project:file" (scripts/vitest-durations-reporter.mjs: set-up, import, hooks, tests).
const measured = read("reports/vitest-durations.json") ?? {};

// The slowest files of each runner, so that CI time can be kept in budget (45 minutes).
const slowest = [
  ...Object.entries(measured).map(([name, secs]) => [secs * 1000, `vitest ${name}`]),
  ...e2eRuns.map((r) => [r.ms, `e2e ${r.file ?? ""} › ${r.title}`]),
];
slowest.sort((a, b) => b[0] - a[0]);
if (slowest.length) {
  console.log("slowest (seconds):");
  for (const [ms, name] of slowest.slice(0, 15))
    console.log(`  ${(ms / 1000).toFixed(1).padStart(7)}  ${name}`);
}

// `--update-durations`: rewrite the measured durations the runners deal work by (slowest first):
// vitest.durations.json (seconds per "project:file", read by vitest.config.ts's sequencer) and
// e2e/durations.json (seconds per spec file, read by scripts/e2e.mjs). Run it after a full run.
if (process.argv.includes("--update-durations")) {
  if (Object.keys(measured).length) {
    const kept = read("vitest.durations.json") ?? {};
    const sorted = Object.entries({ ...kept, ...measured }).sort((a, b) => b[1] - a[1]);
    fs.writeFileSync("vitest.durations.json", `${JSON.stringify(Object.fromEntries(sorted), null, 2)}\n`);
  }
  if (e2eRuns.length) {
    const e2e = read("e2e/durations.json") ?? {};
    const perSpec = {};
    for (const r of e2eRuns) perSpec[r.file] = (perSpec[r.file] ?? 0) + r.ms / 1000;
    for (const [file, secs] of Object.entries(perSpec))
      if (!file.endsWith("journey.spec.ts")) e2e[file.split("/").pop()] = Math.round(secs);
    fs.writeFileSync("e2e/durations.json", `${JSON.stringify(e2e, null, 2)}\n`);
  }
  console.log("durations updated: vitest.durations.json, e2e/durations.json");
}
