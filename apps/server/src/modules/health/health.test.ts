import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiClient } from "../../test/factories.ts";
import { createTestApp, TEST_BACKEND, type TestApp } from "../../test/harness.ts";

describe("GET /health", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it("answers without authentication and names the backend in use", async () => {
    const res = await apiClient(t.app).get("/health");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: "ok", backend: TEST_BACKEND, version: "0.1.0" });
  });
});
