import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { publicUrlProblem } from "../../config.ts";
import { type Api, apiClient, createAgent, setupAdmin } from "../../test/factories.ts";
import { createTestApp, type TestApp } from "../../test/harness.ts";

/** Issue 14: one public address (PUBLIC_URL) in every snippet, with a warning when it is loopback. */
describe("public address", () => {
  let t: TestApp;
  let admin: Api;
  beforeAll(async () => {
    // A server listening for other machines, whose PUBLIC_URL was left at a loopback address.
    t = await createTestApp({ config: { publicUrl: "http://localhost:4000/", host: "0.0.0.0" } });
    admin = (await setupAdmin(t)).api;
  });
  afterAll(() => t?.close());

  it("says when PUBLIC_URL is loopback while HOST is not", () => {
    const cases: Array<[string, string, "loopback" | null]> = [
      ["http://localhost:3000", "0.0.0.0", "loopback"],
      ["http://127.0.0.5:3000", "192.168.1.10", "loopback"],
      ["http://[::1]:3000", "::", "loopback"],
      ["http://app.localhost", "0.0.0.0", "loopback"],
      ["http://localhost:3000", "127.0.0.1", null],
      ["http://localhost:3000", "localhost", null],
      ["https://help.example.com", "0.0.0.0", null],
      ["http://10.0.0.4:3000", "0.0.0.0", null],
    ];
    for (const [publicUrl, host, want] of cases)
      expect(publicUrlProblem({ publicUrl, host }), `${publicUrl} on ${host}`).toBe(want);
  });

  it("GET /settings/public-address: the address and the warning for agents; 401 without a session", async () => {
    const agent = await createAgent(t, admin);
    for (const api of [admin, agent.api]) {
      const r = await api.get("/settings/public-address");
      expect(r.status).toBe(200);
      expect(r.body).toEqual({ publicUrl: "http://localhost:4000", host: "0.0.0.0", warning: "loopback" });
    }
    expect((await apiClient(t.app).get("/settings/public-address")).status).toBe(401);
  });

  it("the widget snippet and the widget demo page use the same public address", async () => {
    const site = await admin.post("/chat/sites", {
      name: "Shop",
      allowedOrigins: ["https://shop.example"],
      appearance: { color: "#0055aa", position: "right", greeting: {} },
      languages: ["en"],
      prechat: { enabled: false, fields: [], required: [], topics: [] },
      hours: null,
      teamId: null,
      active: true,
    });
    expect(site.status).toBe(201);
    expect(site.body.snippet).toContain('src="http://localhost:4000/widget/loader.js"');
    const demo = await t.app.inject({ method: "GET", url: `/widget/demo.html?key=${site.body.key}` });
    expect(demo.body).toContain('src="http://localhost:4000/widget/loader.js"');
  });
});
