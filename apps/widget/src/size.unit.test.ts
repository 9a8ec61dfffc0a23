import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";

const widget = path.resolve(import.meta.dirname, "..");
const dist = path.join(widget, "dist");
const gz = (file: string) => gzipSync(fs.readFileSync(file), { level: 9 }).length;

/** Size budgets of the issue: loader ≤ 5 KB gzip, iframe app ≤ 40 KB gzip (all its JS and CSS). */
describe("widget bundle sizes", () => {
  it("builds the loader and the app within their gzip budgets", () => {
    const r = spawnSync(process.execPath, [path.resolve(widget, "../../scripts/build-widget.mjs")], {
      encoding: "utf8",
    });
    expect(r.status, r.stderr).toBe(0);
    const loader = gz(path.join(dist, "loader.js"));
    const assets = fs.readdirSync(path.join(dist, "app/assets")).map((f) => path.join(dist, "app/assets", f));
    const app = assets.filter((f) => /\.(js|css)$/.test(f)).reduce((n, f) => n + gz(f), 0);
    console.log(`widget sizes (gzip): loader ${loader} B, app ${app} B`);
    expect(loader).toBeGreaterThan(200);
    expect(loader).toBeLessThanOrEqual(5 * 1024);
    expect(app).toBeGreaterThan(2000);
    expect(app).toBeLessThanOrEqual(40 * 1024);
    // The loader is a classic script (pasted with a plain <script> tag): no module syntax.
    const loaderText = fs.readFileSync(path.join(dist, "loader.js"), "utf8");
    expect(loaderText).not.toMatch(/^\s*(import|export)\s/m);
    expect(fs.readFileSync(path.join(dist, "app/index.html"), "utf8")).toContain("/widget/app/assets/");
  });
});
