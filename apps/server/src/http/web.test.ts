import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loginAs, setupAdmin } from "../test/factories.ts";
import { createTestApp, type TestApp } from "../test/harness.ts";
import { IMMUTABLE_CACHE, REVALIDATE_CACHE } from "./web.ts";

const API_LIMIT = 50;
let t: TestApp;
let dist: string;
let cookie: string;

/** A built web app in miniature: index.html, a favicon and hashed assets. */
function fakeBuild() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rapport-web-"));
  fs.mkdirSync(path.join(dir, "assets"));
  fs.writeFileSync(path.join(dir, "index.html"), '<!doctype html><div id="root"></div>');
  fs.writeFileSync(path.join(dir, "favicon.svg"), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  fs.writeFileSync(path.join(dir, "assets", "index-B4x9kQ2a.js"), "console.log(1)");
  fs.writeFileSync(path.join(dir, "assets", "index-Cz81hQ0p.css"), "body{}");
  return dir;
}

const get = (url: string, headers: Record<string, string> = {}) =>
  t.app.inject({ method: "GET", url, headers: { cookie: `rapport_session=${cookie}`, ...headers } });

beforeAll(async () => {
  dist = fakeBuild();
  t = await createTestApp({
    config: {
      webDistDir: dist,
      rateLimits: { loginPerMinute: 1000, publicPerMinute: 1000, apiPerMinute: API_LIMIT },
    },
  });
  await setupAdmin(t);
  cookie = (await loginAs(t, "admin@rapport.test")).cookie;
});

afterAll(async () => {
  await t?.close();
  fs.rmSync(dist, { recursive: true, force: true });
});

describe("the web app's static files", () => {
  it("serves 2,000 hashed assets to one session with a year's immutable cache and no 429", async () => {
    const statuses = new Map<string, number>();
    for (let i = 0; i < 1000; i++) {
      for (const file of ["index-B4x9kQ2a.js", "index-Cz81hQ0p.css"]) {
        const res = await get(`/assets/${file}`);
        const key = `${res.statusCode} ${res.headers["cache-control"]}`;
        statuses.set(key, (statuses.get(key) ?? 0) + 1);
      }
    }
    expect(Object.fromEntries(statuses)).toEqual({ [`200 ${IMMUTABLE_CACHE}`]: 2000 });
  });

  it("revalidates index.html and the favicon, and never counts them against the API limit", async () => {
    for (let i = 0; i < API_LIMIT + 10; i++) {
      const page = await get("/inbox/mine", { accept: "text/html" });
      expect(page.statusCode).toBe(200);
      expect(page.headers["cache-control"]).toBe(REVALIDATE_CACHE);
      expect(page.body).toContain('<div id="root">');
      const icon = await get("/favicon.svg");
      expect(icon.statusCode).toBe(200);
      expect(icon.headers["cache-control"]).toBe(REVALIDATE_CACHE);
      expect(icon.headers["content-type"]).toContain("image/svg+xml");
    }
  });

  it("answers a missing asset 404 without caching it, and never serves files outside the build", async () => {
    const missing = await get("/assets/index-gone.js");
    expect(missing.statusCode).toBe(404);
    expect(missing.headers["cache-control"]).toBeUndefined();
    for (const url of ["/assets/../../../etc/passwd", "/assets/%2e%2e/%2e%2e/etc/passwd", "/assets/.env"]) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(404);
    }
  });

  it("still applies the API limit to /api with the same session", async () => {
    const statuses: number[] = [];
    for (let i = 0; i <= API_LIMIT; i++) statuses.push((await get("/api/v1/me")).statusCode);
    expect(statuses.at(-1)).toBe(429);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThan(API_LIMIT - 5);
  });
});
