#!/usr/bin/env node
/**
 * `npm test` after lint: the type check beside the web build (agent app and widget), then the
 * Vitest projects (unit, PGlite, PostgreSQL when TEST_DATABASE_URL is set) and the Playwright
 * groups (scripts/e2e.mjs) at the same time, each line of output prefixed with its runner. Exits
 * non-zero when any fails. `TEST_SERIAL=1` runs Vitest first and Playwright after it
 * (docs/decisions/0015-tests-run-side-by-side.md says why side by side is the default).
 */
import path from "node:path";
import { runPrefixed } from "./lib/run-prefixed.mjs";

const root = path.resolve(import.meta.dirname, "..");

async function run(label, command, args) {
  const started = Date.now();
  // scripts/e2e.mjs prefixes its own lines with its group.
  const code = await runPrefixed(label === "e2e" ? "" : `[${label}] `, command, args, { cwd: root });
  console.log(
    `[${label}] finished with exit code ${code} after ${Math.round((Date.now() - started) / 1000)} s`,
  );
  return code;
}

const vitest = () => run("vitest", "npx", ["vitest", "run"]);
const e2e = () => run("e2e", "node", ["scripts/e2e.mjs"]);

// The type check and the web build (agent app and widget) first, side by side: the e2e servers
// serve the build, and a unit test (apps/widget/src/size.unit.test.ts) measures it, so nothing
// may rebuild it while the runners work.
const ready = await Promise.all([
  run("typecheck", "npx", ["tsc", "-b"]),
  run("build", "npm", ["run", "build:web", "--silent"]),
]);
if (ready.some((c) => c !== 0)) process.exit(1);

let codes;
if (process.env.TEST_SERIAL === "1") {
  const first = await vitest();
  codes = [first, first === 0 ? await e2e() : 1];
} else codes = await Promise.all([vitest(), e2e()]);
process.exit(codes.every((c) => c === 0) ? 0 : 1);
