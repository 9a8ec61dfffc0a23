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

// The slowest files of each runner, so that CI time can be kept in budget (45 minutes).
const slowest = [];
for (const file of vitest?.testResults ?? [])
  slowest.push([
    (file.endTime ?? 0) - (file.startTime ?? 0),
    `vitest ${file.name.replace(`${process.cwd()}/`, "")}`,
  ]);
const walk = (suite) => {
  for (const spec of suite.specs ?? [])
    for (const t of spec.tests ?? [])
      for (const r of t.results ?? [])
        slowest.push([r.duration ?? 0, `e2e ${suite.file ?? ""} › ${spec.title}`]);
  for (const s of suite.suites ?? []) walk({ file: suite.file, ...s });
};
for (const playwright of playwrightReports) for (const suite of playwright?.suites ?? []) walk(suite);
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
  const measured = read("reports/vitest-durations.json");
  if (measured) {
    const kept = read("vitest.durations.json") ?? {};
    const sorted = Object.entries({ ...kept, ...measured }).sort((a, b) => b[1] - a[1]);
    fs.writeFileSync("vitest.durations.json", `${JSON.stringify(Object.fromEntries(sorted), null, 2)}\n`);
  }
  const e2e = fs.existsSync("e2e/durations.json")
    ? JSON.parse(fs.readFileSync("e2e/durations.json", "utf8"))
    : {};
  const perSpec = {};
  const add = (suite, file) => {
    const f = suite.file ?? file;
    for (const spec of suite.specs ?? [])
      for (const t of spec.tests ?? [])
        for (const r of t.results ?? []) perSpec[f] = (perSpec[f] ?? 0) + (r.duration ?? 0) / 1000;
    for (const s of suite.suites ?? []) add(s, f);
  };
  for (const playwright of playwrightReports) for (const s of playwright?.suites ?? []) add(s, s.file);
  for (const [file, secs] of Object.entries(perSpec))
    if (!file.endsWith("journey.spec.ts")) e2e[file.split("/").pop()] = Math.round(secs);
  if (Object.keys(perSpec).length)
    fs.writeFileSync("e2e/durations.json", `${JSON.stringify(e2e, null, 2)}\n`);
  console.log("durations updated: vitest.durations.json, e2e/durations.json");
}
