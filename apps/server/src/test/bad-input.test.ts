import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { apiClient, createTicket, setupAdmin } from "./factories.ts";
import { createTestApp, type TestApp } from "./harness.ts";

describe("bad input is refused with a clear 4xx and nothing is written", () => {
  let t: TestApp;
  let admin: Awaited<ReturnType<typeof setupAdmin>>;
  let counts: () => Promise<string>;
  let before: string;
  beforeAll(async () => {
    t = await createTestApp();
    admin = await setupAdmin(t);
    await createTicket(admin.api);
    counts = async () => {
      const rows = await t.database.query(
        "select (select count(*) from tickets) t, (select count(*) from messages) m, (select count(*) from contacts) c, (select count(*) from ticket_events) e, (select count(*) from teams) teams",
      );
      return JSON.stringify(rows[0]);
    };
  });
  beforeEach(async () => {
    before = await counts();
  });
  afterAll(() => t.close());

  const raw = (payload: string | Buffer, contentType = "application/json") =>
    admin.api.call("POST", "/tickets", undefined, { payload, headers: { "content-type": contentType } });
  const valid = {
    subject: "Fine subject",
    requester: { email: "fine@example.com" },
    message: { body: "hello" },
  };

  it("invalid JSON", async () => {
    for (const body of ["{", "{'subject': 1}", "[1,2", "nul", '{"a":1}}']) {
      const res = await raw(body);
      expect(res.status, body).toBe(400);
      expect(res.body.error.code).toBe("invalid_json");
    }
    const empty = await raw("");
    expect(empty.status).toBe(400);
    expect(await counts()).toBe(before);
  });

  it("wrong types, with the failing fields named", async () => {
    const res = await admin.api.post("/tickets", { ...valid, subject: 42, priority: "asap", tags: "vip" });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("validation_failed");
    const paths = res.body.error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(expect.arrayContaining(["subject", "priority", "tags"]));
    expect(await counts()).toBe(before);
  });

  it("unknown fields", async () => {
    const res = await admin.api.post("/tickets", { ...valid, isAdmin: true });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body.error.details)).toContain("isAdmin");
    expect((await admin.api.post("/teams", { name: "T", secret: 1 })).status).toBe(400);
    expect(await counts()).toBe(before);
  });

  it("a 10 MB body", async () => {
    const res = await raw(JSON.stringify({ ...valid, message: { body: "x".repeat(10 * 1024 * 1024) } }));
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe("payload_too_large");
    expect(await counts()).toBe(before);
  });

  it("a 100,000-character subject", async () => {
    const res = await admin.api.post("/tickets", { ...valid, subject: "s".repeat(100_000) });
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].path).toBe("subject");
    expect(await counts()).toBe(before);
  });

  it("NUL bytes in bodies, subjects, names and query strings", async () => {
    for (const body of [
      { ...valid, subject: "a\u0000b" },
      { ...valid, message: { body: "a\u0000b" } },
      { ...valid, requester: { email: "x@example.com", name: "a\u0000" } },
    ]) {
      const res = await admin.api.post("/tickets", body);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe("invalid_encoding");
    }
    const q = await admin.api.get("/search?q=a%00b");
    expect(q.status).toBe(400);
    expect(q.body.error.code).toBe("invalid_encoding");
    expect(await counts()).toBe(before);
  });

  it("invalid UTF-8", async () => {
    const bytes = Buffer.concat([
      Buffer.from('{"subject":"caf'),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('","requester":{"email":"u@example.com"}}'),
    ]);
    const res = await raw(bytes);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("invalid_encoding");
    const overlong = Buffer.concat([
      Buffer.from('{"subject":"'),
      Buffer.from([0xc0, 0xaf]),
      Buffer.from('","requester":{"email":"u@example.com"}}'),
    ]);
    expect((await raw(overlong)).status).toBe(400);
    expect(await counts()).toBe(before);
  });

  it("a wrong content type", async () => {
    const res = await raw("subject=hi", "application/x-www-form-urlencoded");
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe("unsupported_media_type");
    expect((await raw(JSON.stringify(valid), "text/plain")).status).toBe(415);
    expect(await counts()).toBe(before);
  });

  it("prototype-pollution keys", async () => {
    const res = await raw('{"subject":"x","requester":{"email":"p@example.com"},"__proto__":{"admin":true}}');
    expect(res.status).toBe(400);
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
    expect(await counts()).toBe(before);
  });

  it("malformed ids, invalid emails and phones, impossible time zones", async () => {
    expect((await admin.api.get("/tickets/12345")).status).toBe(400);
    expect((await admin.api.get("/tickets/'%20or%201=1--")).status).toBe(400);
    expect(
      (await admin.api.post("/tickets", { ...valid, requester: { email: "not-an-email" } })).status,
    ).toBe(400);
    expect((await admin.api.post("/contacts", { name: "x", phones: ["call me maybe"] })).status).toBe(400);
    expect((await admin.api.post("/contacts", { name: "x", timeZone: "Europe/Atlantis" })).status).toBe(400);
    expect((await admin.api.post("/tickets", { ...valid, requester: {} })).status).toBe(400);
    expect(await counts()).toBe(before);
  });

  it("unknown routes answer a JSON 404", async () => {
    const res = await apiClient(t.app).get("/api/v1/nope");
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe("not_found");
  });

  it("a 500 leaks no internals", async () => {
    const broken = await createTestApp();
    const a = await setupAdmin(broken);
    await broken.database.exec("alter table tickets rename to tickets_gone");
    const res = await a.api.get("/tickets");
    expect(res.status).toBe(500);
    expect(res.body.error.code).toBe("internal");
    expect(res.body.error.message).toBe("Something went wrong");
    expect(res.raw).not.toMatch(/tickets_gone|relation|select|stack|at \//i);
    await broken.close();
  });
});
