import { tokenize, tokenizeWithOffsets } from "@rapport/shared";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SHIPPED_RULES } from "./rules/index.ts";
import { compile, findTone, type MatchRule } from "./tone.match.ts";

const compiled = Object.fromEntries(
  Object.entries(SHIPPED_RULES).map(([lang, rules]) => [
    lang,
    compile(rules.map((r) => ({ ...r, id: r.key, lang }) satisfies MatchRule)),
  ]),
);
const find = (lang: string, text: string) =>
  findTone(compiled[lang] ?? compile([]), text).map((f) => [f.text, f.ruleId, f.category]);

/** A sentence around a phrase, as an agent would write it in that language. */
const AROUND: Record<string, [string, string]> = {
  en: ["Hello Sam, ", ", sorry for the wait."],
  vi: ["Dạ chào anh, ", " ạ, mong anh thông cảm."],
  km: ["សួស្តីបង", "សូមអភ័យទោស។"],
  ta: ["வணக்கம் ஐயா, ", ", மன்னிக்கவும்."],
};

describe("shipped tone rules", () => {
  it("ship at least 30 rules in each of English, Vietnamese, Khmer and Tamil, each with suggestions", () => {
    for (const lang of ["en", "vi", "km", "ta"]) {
      const rules = SHIPPED_RULES[lang] ?? [];
      expect(rules.length, lang).toBeGreaterThanOrEqual(30);
      expect(new Set(rules.map((r) => r.key)).size).toBe(rules.length);
      for (const r of rules) expect(r.suggestions.length, r.key).toBeGreaterThan(0);
    }
  });

  it("find every variant of every rule inside a sentence, underlining exactly the phrase", () => {
    for (const [lang, rules] of Object.entries(SHIPPED_RULES)) {
      const [before, after] = AROUND[lang] as [string, string];
      for (const r of rules) {
        for (const variant of r.pattern.split("|")) {
          const text = `${before}${variant}${after}`;
          const found = findTone(compiled[lang] as ReturnType<typeof compile>, text);
          const hit = found.find((f) => f.start <= before.length && f.end >= before.length + variant.length);
          expect(hit, `${r.key}: ${variant}`).toBeDefined();
          expect(text.slice(hit?.start, hit?.end)).toBe(hit?.text);
        }
      }
    }
  });
});

describe("findTone", () => {
  it("gives offsets into the original English text, case and curly apostrophes aside", () => {
    const text = "Hi! I DON'T know, and that’s not my job.";
    const found = findTone(compiled.en as ReturnType<typeof compile>, text);
    expect(found.map((f) => [f.start, f.end, f.text, f.category])).toEqual([
      [4, 16, "I DON'T know", "uncertainty"],
      [22, 39, "that’s not my job", "not-my-job"],
    ]);
    expect(found[1]?.suggestions[0]).toBe("May I transfer you to the department that can help you?");
  });

  it("matches Vietnamese typed without diacritics, and with them only the same words", () => {
    expect(find("vi", "Da, khong phai viec cua em a")).toEqual([
      ["khong phai viec cua em", "vi.not-my-job", "not-my-job"],
    ]);
    expect(find("vi", "Dạ, KHÔNG PHẢI VIỆC CỦA EM ạ")[0]?.[0]).toBe("KHÔNG PHẢI VIỆC CỦA EM");
    // "đúng là" and "dùng hết" fold like "đừng la", "đừng hét": written with diacritics they differ.
    expect(find("vi", "Đúng là anh phải chờ thôi")).toEqual([
      ["anh phải chờ thôi", "vi.have-to-wait", "refusal"],
    ]);
    expect(find("vi", "Anh phải cho em biết mã đơn hàng")).toEqual([]);
  });

  it("keeps offsets right for decomposed (NFD) Vietnamese", () => {
    const text = "Xin lỗi, em không biết ạ".normalize("NFD");
    const [f] = findTone(compiled.vi as ReturnType<typeof compile>, text);
    expect(f?.text.normalize("NFC")).toBe("em không biết");
    expect(text.slice(f?.start, f?.end)).toBe(f?.text);
  });

  it("finds Khmer phrases inside unspaced text and underlines only them", () => {
    const text = "សួស្តីបងខ្ញុំមិនដឹងទេប៉ុន្តែនោះមិនមែនជាការងាររបស់ខ្ញុំទេ";
    const found = find("km", text);
    expect(found).toEqual([
      ["ខ្ញុំមិនដឹងទេ", "km.dont-know", "uncertainty"],
      ["មិនមែនជាការងាររបស់ខ្ញុំ", "km.not-my-job", "not-my-job"],
    ]);
  });

  it("finds Tamil phrases with and without the doubled consonant", () => {
    expect(find("ta", "மன்னிக்கவும், எனக்கு தெரியாது. அது என் வேலை இல்லை.")).toEqual([
      ["எனக்கு தெரியாது", "ta.dont-know", "uncertainty"],
      ["அது என் வேலை இல்லை", "ta.not-my-job", "not-my-job"],
    ]);
  });

  it("prefers the longest phrase at a place and never overlaps", () => {
    const found = find("en", "There is nothing I can do, it is what it is.");
    expect(found.map((f) => f[0])).toEqual(["There is nothing I can do", "it is what it is"]);
  });

  it("flags nothing in a friendly reply, and matches whole words only", () => {
    expect(find("en", "I will find out who can answer this and call you back in a few minutes.")).toEqual([]);
    expect(find("en", "The ignoble knowledge of nevermore")).toEqual([]);
  });

  it("treats hostile input as text", () => {
    const text = `<script>alert(1)</script> I don't know ${"\u202e".repeat(3)} ${"a".repeat(5000)}`;
    const found = find("en", text);
    expect(found.map((f) => f[0])).toEqual(["I don't know"]);
  });
});

describe("tokenizeWithOffsets", () => {
  it("gives the tokens of tokenize, each pointing at its text", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 60 }), (s) => {
        const text = s.normalize("NFC");
        const toks = tokenizeWithOffsets(text);
        expect(toks.map((t) => t.token)).toEqual(tokenize(text));
        let last = 0;
        for (const t of toks) {
          expect(t.start).toBeGreaterThanOrEqual(last);
          expect(t.end).toBeGreaterThan(t.start);
          expect(t.end).toBeLessThanOrEqual(text.length);
          last = t.end;
        }
      }),
      { numRuns: 300 },
    );
  });

  it("covers mixed scripts", () => {
    const text = "Đơn ខ្ញុំ order நான் 42";
    expect(tokenizeWithOffsets(text).map((t) => text.slice(t.start, t.end))).toEqual([
      "Đơn",
      "ខ្ញុំ",
      "order",
      "நான்",
      "42",
    ]);
  });
});
