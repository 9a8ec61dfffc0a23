import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { highlightSnippet } from "../../lib/search.ts";
import { diffWords } from "./kb.diff.ts";

const side = (ops: ReturnType<typeof diffWords>, keep: "insert" | "delete") =>
  ops
    .filter((o) => o.op !== keep)
    .map((o) => o.text)
    .join("");

describe("diffWords", () => {
  it("marks the changed words only", () => {
    expect(diffWords("Reset your password today", "Reset the password today")).toEqual([
      { op: "equal", text: "Reset " },
      { op: "delete", text: "your" },
      { op: "insert", text: "the" },
      { op: "equal", text: " password today" },
    ]);
  });

  it("rebuilds both texts from its operations (property)", () => {
    const words = fc.array(fc.constantFrom("a", "b", "c", " ", "ស្វាគមន៍", "\n"), { maxLength: 40 });
    fc.assert(
      fc.property(words, words, (a, b) => {
        const x = a.join("");
        const y = b.join("");
        const ops = diffWords(x, y);
        expect(side(ops, "insert")).toBe(x);
        expect(side(ops, "delete")).toBe(y);
      }),
      { numRuns: 300 },
    );
  });

  it("falls back to one replacement for huge changed middles", () => {
    const a = Array.from({ length: 3000 }, (_, i) => `a${i}`).join(" ");
    const b = Array.from({ length: 3000 }, (_, i) => `b${i}`).join(" ");
    const ops = diffWords(a, b);
    expect(side(ops, "insert")).toBe(a);
    expect(side(ops, "delete")).toBe(b);
  });
});

describe("highlightSnippet", () => {
  it("marks a Khmer word inside unspaced text", () => {
    const s = highlightSnippet("សូមស្វាគមន៍មកកាន់ហាងរបស់យើង", "ហាង");
    expect(s).toContain("<mark>ហាង</mark>");
  });

  it("matches Vietnamese without diacritics and escapes HTML", () => {
    const s = highlightSnippet("<b>Khách hàng</b> có thể đổi mật khẩu", "khach mat khau");
    expect(s).toContain("<mark>Khách</mark>");
    expect(s).toContain("<mark>mật</mark>");
    expect(s).not.toContain("<b>");
    expect(s).toContain("&lt;b&gt;");
  });

  it("marks every occurrence inside the excerpt, the last query word as a prefix", () => {
    const s = highlightSnippet(
      "Refund first. Then the refund, refunds and a delivery; refund.",
      "refund deliv",
    );
    expect(s).toBe(
      "<mark>Refund</mark> first. Then the <mark>refund</mark>, refunds and a <mark>delivery</mark>; <mark>refund</mark>.",
    );
    expect(highlightSnippet("nothing to see here", "refund", 8)).toBe("nothing…");
  });

  it("cuts a long text around the first match", () => {
    const text = `${"intro ".repeat(200)}refund policy ${"tail ".repeat(200)}`;
    const s = highlightSnippet(text, "refund", 100);
    expect(s.startsWith("…")).toBe(true);
    expect(s).toContain("<mark>refund</mark>");
    expect(s.length).toBeLessThan(200);
  });
});
