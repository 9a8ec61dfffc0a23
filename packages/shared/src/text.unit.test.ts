import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { foldText, tokenize } from "./text.ts";

describe("foldText", () => {
  it("removes Vietnamese diacritics and đ", () => {
    expect(foldText("Khách Hàng Đặc Biệt")).toBe("khach hang dac biet");
    expect(foldText("Nguyễn Thị Hương")).toBe("nguyen thi huong");
  });

  it("keeps Khmer and Tamil vowel signs and viramas", () => {
    expect(foldText("ខ្ញុំចង់ទិញ")).toBe("ខ្ញុំចង់ទិញ");
    expect(foldText("வாடிக்கையாளர்")).toBe("வாடிக்கையாளர்");
  });

  it("is idempotent and never longer than NFC input", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), (s) => {
        const once = foldText(s);
        expect(foldText(once)).toBe(once);
      }),
    );
  });

  it("makes text typed with and without diacritics equal", () => {
    const pairs = fc.constantFrom(["à", "a"], ["ệ", "e"], ["ộ", "o"], ["ữ", "u"], ["ỳ", "y"], ["Đ", "d"], ["é", "e"], ["ñ", "n"]);
    fc.assert(
      fc.property(fc.array(fc.tuple(pairs, fc.constantFrom("", " ", "x")), { maxLength: 20 }), (parts) => {
        const accented = parts.map(([[a], sep]) => a + sep).join("");
        const plain = parts.map(([[, b], sep]) => b + sep).join("");
        expect(foldText(accented)).toBe(foldText(plain));
      }),
    );
  });
});

describe("tokenize", () => {
  it("cuts Khmer written without spaces into dictionary words", () => {
    expect(tokenize("ខ្ញុំចង់ទិញផលិតផលនេះ")).toEqual(["ខ្ញុំ", "ចង់", "ទិញ", "ផលិតផល", "នេះ"]);
  });

  it("cuts Tamil, Vietnamese and English on word boundaries, dropping punctuation", () => {
    expect(tokenize("வாடிக்கையாளர் சேவை, நன்றி!")).toEqual(["வாடிக்கையாளர்", "சேவை", "நன்றி"]);
    expect(tokenize("Xin chào, khách hàng!")).toEqual(["xin", "chao", "khach", "hang"]);
    expect(tokenize("Order #4471 (urgent)")).toEqual(["order", "4471", "urgent"]);
  });

  it("never yields empty or over-long tokens, whatever the input", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (s) => {
        for (const token of tokenize(s)) {
          expect(token.length).toBeGreaterThan(0);
          expect(token.length).toBeLessThanOrEqual(64);
          expect(token).not.toMatch(/\s/);
        }
      }),
    );
  });
});
