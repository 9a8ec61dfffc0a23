#!/usr/bin/env node
/**
 * Builds the chat widget (apps/widget) with Vite: dist/loader.js and the iframe app in
 * dist/app/, but only when a source is newer than the last build (dist/app/index.html).
 * `--force` always builds. Run by `npm run build:web` after the agent app.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const widget = path.join(root, "apps/widget");
const stamp = path.join(widget, "dist/app/index.html");
const sources = [
  path.join(widget, "src"),
  path.join(widget, "vite.config.ts"),
  path.join(widget, "package.json"),
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

const built =
  fs.existsSync(stamp) && fs.existsSync(path.join(widget, "dist/loader.js")) ? fs.statSync(stamp).mtimeMs : 0;
if (!process.argv.includes("--force") && built > 0 && built >= Math.max(...sources.map(newestMtime))) {
  console.log("widget: dist is up to date");
  process.exit(0);
}
console.log("widget: building apps/widget with Vite…");
for (const target of ["app", "loader"]) {
  const r = spawnSync(
    process.execPath,
    [path.join(root, "node_modules/vite/bin/vite.js"), "build", "--logLevel", "warn"],
    {
      cwd: widget,
      stdio: "inherit",
      env: { ...process.env, WIDGET_TARGET: target },
    },
  );
  if (r.status !== 0) process.exit(r.status ?? 1);
}
