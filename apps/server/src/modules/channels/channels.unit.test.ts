import { createHmac } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseInbound, sign } from "./inbound.ts";
import { sameHex } from "./keys.ts";

/** Property tests run many cases: a time budget that holds on a busy 2-core machine. */
const PROPERTY = { timeout: 60_000 };

describe("webhook channel pure parts", () => {
  it("signs `${timestamp}.${body}` exactly like a bridge using node:crypto", PROPERTY, () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.integer({ min: 1e9, max: 2e9 }),
        fc.string({ minLength: 1 }),
        (body, ts, secret) => {
          const bridge = createHmac("sha256", secret).update(`${ts}.${body}`).digest("hex");
          expect(sign(secret, ts, body)).toBe(bridge);
          expect(sign(secret, ts, Buffer.from(body))).toBe(bridge);
        },
      ),
    );
  });

  it("compares signatures in constant time and only equal strings match", () => {
    expect(sameHex("abc", "abc")).toBe(true);
    expect(sameHex("abc", "abd")).toBe(false);
    expect(sameHex("abc", "abcd")).toBe(false);
    expect(sameHex("", "")).toBe(true);
  });

  it("parses a message or a status report and refuses anything else", PROPERTY, () => {
    expect(
      parseInbound('{"externalConversationId":"c","sender":{"id":"s"},"text":"hi","timestamp":1700000000}')
        .ok,
    ).toBe(true);
    expect(
      parseInbound(
        '{"type":"status","deliveryId":"00000000-0000-4000-8000-000000000000","status":"read","timestamp":1700000000}',
      ).ok,
    ).toBe(true);
    for (const bad of ["", "null", "[]", "42", '"x"', "{", '{"type":"status"}', '{"constructor":{}}'])
      expect(parseInbound(bad).ok, bad).toBe(false);
    fc.assert(fc.property(fc.string(), (s) => typeof parseInbound(s).ok === "boolean"));
  });
});
