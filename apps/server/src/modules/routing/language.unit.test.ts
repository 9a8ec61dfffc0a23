import { foldText } from "@rapport/shared";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { detectLanguage } from "./language.ts";

/** Property tests run many cases: a time budget that holds on a busy 2-core machine. */
const PROPERTY = { timeout: 60_000 };

const khmerChar = fc.integer({ min: 0x1780, max: 0x17dd }).map((c) => String.fromCodePoint(c));
const tamilChar = fc.integer({ min: 0x0b82, max: 0x0bcd }).map((c) => String.fromCodePoint(c));
const ENGLISH = [
  "Hello, my parcel is late. Can you help?",
  "I was charged twice for my order, please refund one payment.",
  "The app crashes when I open the settings page on my phone.",
  "Can I change the delivery address of order 4411?",
  "Thanks a lot, that solved it!",
];
const VIETNAMESE = [
  "Xin chào, đơn hàng của tôi chưa được giao. Bạn có thể giúp tôi không?",
  "Tôi muốn đổi mật khẩu tài khoản nhưng không nhận được email.",
  "Cảm ơn bạn rất nhiều, vấn đề đã được giải quyết.",
  "Sản phẩm bị lỗi, tôi muốn hoàn tiền.",
];

describe("detectLanguage", () => {
  it("recognizes each shipped language on real sentences", () => {
    for (const s of ENGLISH) expect(detectLanguage(s)).toBe("en");
    for (const s of VIETNAMESE) expect(detectLanguage(s)).toBe("vi");
    expect(detectLanguage("សួស្តី ខ្ញុំមិនទាន់បានទទួលកញ្ចប់របស់ខ្ញុំទេ។")).toBe("km");
    expect(detectLanguage("வணக்கம், எனது ஆர்டர் இன்னும் வரவில்லை.")).toBe("ta");
  });

  it("recognizes Vietnamese typed without diacritics", () => {
    for (const s of VIETNAMESE) expect(detectLanguage(foldText(s))).toBe("vi");
    expect(detectLanguage("chao ban, toi khong dang nhap duoc tai khoan")).toBe("vi");
  });

  it("does not mistake English with a few shared words, or French accents, for Vietnamese", () => {
    expect(detectLanguage("Ban the user from the chat, la la la, thanks")).toBe("en");
    expect(detectLanguage("Café, résumé and naïve façade are English loanwords.")).toBe("en");
  });

  it("returns English for empty, numeric or symbol-only input", () => {
    for (const s of ["", "   ", "12345", "!!! ??? ...", "😀😀"]) expect(detectLanguage(s)).toBe("en");
  });

  it(
    "property: any non-empty Khmer text is Khmer, whatever digits and punctuation surround it",
    PROPERTY,
    () => {
      fc.assert(
        fc.property(
          fc.array(khmerChar, { minLength: 1, maxLength: 80 }),
          fc.string({ unit: fc.constantFrom(..." 0123456789.,!?-\n") }),
          (chars, noise) => detectLanguage(`${noise}${chars.join("")}${noise}`) === "km",
        ),
      );
    },
  );

  it("property: Tamil text stays Tamil with a shorter English greeting mixed in", PROPERTY, () => {
    fc.assert(
      fc.property(fc.array(tamilChar, { minLength: 12, maxLength: 120 }), (chars) => {
        const text = chars.join("");
        return detectLanguage(`Hi ${text}`) === "ta";
      }),
    );
  });

  it("property: total and deterministic on any input", PROPERTY, () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 300 }), (s) => {
        const a = detectLanguage(s);
        return ["en", "vi", "km", "ta"].includes(a) && detectLanguage(s) === a;
      }),
    );
  });

  it("property: English sentences never turn Vietnamese however they are combined", PROPERTY, () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...ENGLISH), { minLength: 1, maxLength: 6 }), (parts) => {
        return detectLanguage(parts.join(" ")) === "en";
      }),
    );
  });

  it("property: Vietnamese keeps being Vietnamese with or without its diacritics", PROPERTY, () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...VIETNAMESE), { minLength: 1, maxLength: 5 }),
        fc.boolean(),
        (parts, fold) => {
          const s = parts.join(" ");
          return detectLanguage(fold ? foldText(s) : s) === "vi";
        },
      ),
    );
  });
});
