#!/usr/bin/env node
/**
 * Runs the Playwright suites in E2E_GROUPS groups at once (default 2), each group a separate
 * `playwright test` with its own pair of servers (E2E_PORT + 20 × group), its own fresh PGlite
 * directory, its own first-run journey, report and output folder. Spec files are dealt to the
 * groups by their measured durations (e2e/durations.json; a file not listed weighs 60 s per test).
 * The demo-data server is started only by the group that runs demo.spec.ts.
 *
 * Why: one Playwright worker against one server keeps a 2-core machine about half busy (the
 * browser and the server mostly wait on each other); two groups finish the e2e phase in a little
 * over half the time. Groups never share a server, so a suite cannot see another's data.
 *
 *   node scripts/e2e.mjs                 # every spec, E2E_GROUPS groups
 *   node scripts/e2e.mjs --dry-run       # print the groups only
 *   E2E_GROUPS=1 node scripts/e2e.mjs    # one group, as before
 *   node scripts/e2e.mjs access.spec.ts presence.spec.ts   # only these specs (and the journey)
 *
 * After a full run, `node scripts/test-summary.mjs --update-durations` rewrites e2e/durations.json
 * (and vitest.durations.json) from the reports, so the next deal stays balanced as suites change.
 */
import fs from "node:fs";
import path from "node:path";
import { runPrefixed } from "./lib/run-prefixed.mjs";

const root = path.resolve(import.meta.dirname, "..");
const groups = Math.max(1, Number(process.env.E2E_GROUPS) || 2);
const basePort = Number(process.env.E2E_PORT ?? 3210);
const durationsFile = path.join(root, "e2e/durations.json");
const dryRun = process.argv.includes("--dry-run");

/** Spec files (journey.spec.ts is the first-run project: every group runs it on its own server). */
const only = process.argv
  .slice(2)
  .filter((a) => !a.startsWith("--"))
  .map((a) => path.basename(a));
const specs = fs
  .readdirSync(path.join(root, "e2e"))
  .filter((f) => f.endsWith(".spec.ts") && f !== "journey.spec.ts")
  .filter((f) => !only.length || only.includes(f))
  .sort();

const durations = fs.existsSync(durationsFile) ? JSON.parse(fs.readFileSync(durationsFile, "utf8")) : {};
const testsIn = (file) =>
  (fs.readFileSync(path.join(root, "e2e", file), "utf8").match(/^\s*test(\.only)?\(/gm) ?? []).length || 1;
const weight = (file) => durations[file] ?? testsIn(file) * 60;

/** Greedy: heaviest first onto the lightest group; the demo group carries the demo seed's time. */
function deal() {
  const out = Array.from({ length: groups }, (_, i) => ({ i, files: [], load: 0, demo: false }));
  const demoSeed = durations["(demo seed)"] ?? 90;
  for (const file of [...specs].sort((a, b) => weight(b) - weight(a))) {
    const extra = file === "demo.spec.ts" ? demoSeed : 0;
    const g = out.reduce((a, b) => (b.load < a.load ? b : a));
    g.files.push(file);
    g.load += weight(file) + extra;
    if (extra) g.demo = true;
  }
  return out;
}

function reportFile(i) {
  return path.join(root, `reports/playwright-${i}.json`);
}

const plan = deal();
for (const g of plan)
  console.log(
    `e2e group ${g.i} (port ${basePort + 20 * g.i}, ~${Math.round(g.load)} s): ${g.files.join(" ")}`,
  );
if (dryRun) process.exit(0);

for (let i = 0; i < 8; i++) fs.rmSync(reportFile(i), { force: true });

function runGroup(g) {
  const port = basePort + 20 * g.i;
  const env = {
    ...process.env,
    E2E_PORT: String(port),
    E2E_REPORT: path.relative(root, reportFile(g.i)),
    E2E_SUFFIX: groups > 1 ? `-${g.i}` : "",
  };
  if (!g.demo) env.E2E_NO_DEMO = "1";
  const files = [...g.files.map((f) => `e2e/${f}`), "e2e/journey.spec.ts"];
  return runPrefixed(groups > 1 ? `[e2e ${g.i}] ` : "", "npx", ["playwright", "test", ...files], {
    cwd: root,
    env,
  });
}

const codes = await Promise.all(plan.filter((g) => g.files.length).map(runGroup));
process.exit(codes.some((c) => c !== 0) ? 1 : 0);
