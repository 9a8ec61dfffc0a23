import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { foldText, tokenize } from "./text.ts";

/** Property tests run many cases: a time budget that holds on a busy 2-core machine. */
const PROPERTY = { timeout: 60_000 };

describe("foldText", () => {
  it("removes Vietnamese diacritics and đ", () => {
    expect(foldText("Khách Hàng Đặc Biệt")).toBe("khach hang dac biet");
    expect(foldText("Nguyễn Thị Hương")).toBe("nguyen thi huong");
  });

  it("keeps Khmer and Tamil vowel signs and viramas", () => {
    expect(foldText("ខ្ញុំចង់ទិញ")).toBe("ខ្ញុំចង់ទិញ");
    expect(foldText("வாடிக்கையாளர்")).toBe("வாடிக்கையாளர்");
  });

  it("is idempotent and never longer than NFC input", PROPERTY, () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), (s) => {
        const once = foldText(s);
        expect(foldText(once)).toBe(once);
      }),
    );
  });

  it("makes text typed with and without diacritics equal", PROPERTY, () => {
    const pairs = fc.constantFrom(
      ["à", "a"],
      ["ệ", "e"],
      ["ộ", "o"],
      ["ữ", "u"],
      ["ỳ", "y"],
      ["Đ", "d"],
      ["é", "e"],
      ["ñ", "n"],
    );
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

  it("never yields empty or over-long tokens, whatever the input", PROPERTY, () => {
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

  it("gives the same tokens whether the text is segmented whole or in chunks", PROPERTY, () => {
    const word = fc.constantFrom("order", "khách", "hàng", "ផលិតផល", "ខ្ញុំ", "வாடிக்கையாளர்", "4471", "refund");
    const sep = fc.constantFrom(" ", "  ", "\n", ", ", ". ");
    fc.assert(
      fc.property(fc.array(fc.tuple(word, sep), { minLength: 200, maxLength: 600 }), (parts) => {
        const text = parts.map(([w, s]) => w + s).join("");
        const whole = [...new Intl.Segmenter("und", { granularity: "word" }).segment(foldText(text))]
          .filter((x) => x.isWordLike)
          .map((x) => x.segment);
        expect(tokenize(text)).toEqual(whole);
      }),
      { numRuns: 30 },
    );
  });

  it("gives exactly the segmenter's words on ASCII text (the fast path)", PROPERTY, () => {
    const segmenter = new Intl.Segmenter("und", { granularity: "word" });
    let printable = "\n\t\r";
    for (let c = 0x20; c < 0x7f; c++) printable += String.fromCharCode(c);
    // Weighted towards the characters that join words, so the joins get exercised.
    const chars = fc.constantFrom(...`${printable}abcab12312____....''''::::,,,;;;`);
    fc.assert(
      fc.property(fc.array(chars, { maxLength: 60 }), (parts) => {
        const folded = foldText(parts.join(""));
        const expected = [...segmenter.segment(folded)].filter((x) => x.isWordLike).map((x) => x.segment);
        expect(tokenize(folded)).toEqual(expected);
      }),
      { numRuns: 3000 },
    );
  });

  it("segments a 160 KB text across chunk boundaries without losing a word", () => {
    const text = "khách hàng order ផលិតផល வாடிக்கையாளர். ".repeat(4000);
    expect(tokenize(text)).toHaveLength(5 * 4000);
  });
});
