#!/usr/bin/env node
/**
 * Builds the agent web app (apps/web) with Vite, but only when a source file is newer than
 * the last build (apps/web/dist/index.html), so `npm start` is instant after the first run.
 * Sources: apps/web/{index.html,vite.config.ts,package.json,src/**}, packages/shared/src/**.
 * `--force` always builds.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const web = path.join(root, "apps/web");
const stamp = path.join(web, "dist/index.html");
const sources = [
  path.join(web, "index.html"),
  path.join(web, "vite.config.ts"),
  path.join(web, "package.json"),
  path.join(web, "src"),
  path.join(root, "packages/shared/src"),
];

function newestMtime(p) {
  let st;
  try {
    st = fs.statSync(p);
  } catch {
    return 0;
  }
  if (!st.isDirectory()) return st.mtimeMs;
  let max = st.mtimeMs;
  for (const name of fs.readdirSync(p)) max = Math.max(max, newestMtime(path.join(p, name)));
  return max;
}

const built = fs.existsSync(stamp) ? fs.statSync(stamp).mtimeMs : 0;
const newest = Math.max(...sources.map(newestMtime));
if (!process.argv.includes("--force") && built > 0 && built >= newest) {
  console.log("web: dist is up to date");
  process.exit(0);
}
console.log("web: building apps/web with Vite…");
const r = spawnSync(
  process.execPath,
  [path.join(root, "node_modules/vite/bin/vite.js"), "build", "--logLevel", "warn"],
  {
    cwd: web,
    stdio: "inherit",
  },
);
process.exit(r.status ?? 1);
