import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { tsqueryLiteral, tsvectorLiteral } from "./search.ts";

/** Property tests run many cases: a time budget that holds on a busy 2-core machine. */
const PROPERTY = { timeout: 60_000 };

describe("tsvector and tsquery literals", () => {
  it("weights and positions tokens", () => {
    expect(
      tsvectorLiteral([
        { text: "Refund refund", weight: "A" },
        { text: "order", weight: "B" },
      ]),
    ).toBe("'refund':1A,2A 'order':3B");
  });

  it("quotes apostrophes and backslashes", () => {
    expect(tsvectorLiteral([{ text: "o'brien", weight: "A" }])).toContain("'o''brien'");
    expect(tsqueryLiteral("it's")).toBe("'it''s':*");
  });

  it("ANDs the words and makes the last one a prefix", () => {
    expect(tsqueryLiteral("khách hàng")).toBe("'khach' & 'hang':*");
    expect(tsqueryLiteral(" !!! ")).toBeNull();
  });

  it("produces only balanced quotes for any input", PROPERTY, () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        for (const lit of [tsvectorLiteral([{ text: s, weight: "B" }]), tsqueryLiteral(s) ?? ""]) {
          const unescaped = lit.replace(/''/g, "").replace(/\\\\/g, "");
          expect((unescaped.match(/'/g) ?? []).length % 2).toBe(0);
        }
      }),
    );
  });
});
