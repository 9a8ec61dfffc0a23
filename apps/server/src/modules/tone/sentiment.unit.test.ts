import { describe, expect, it } from "vitest";
import { scoreSentiment, worseSentiment } from "./sentiment.ts";
import { EVAL_LANGS, evaluate } from "./sentiment-eval.ts";

describe("angry-customer flag: the labelled evaluation set", () => {
  for (const lang of EVAL_LANGS) {
    it(`${lang}: at least 150 messages, negative precision >= 0.8 and recall >= 0.7`, () => {
      const r = evaluate(lang);
      expect(r.messages).toBeGreaterThanOrEqual(150);
      expect(r.precision, `${lang} precision`).toBeGreaterThanOrEqual(0.8);
      expect(r.recall, `${lang} recall`).toBeGreaterThanOrEqual(0.7);
    });
  }
});

describe("scoreSentiment", () => {
  const s = (text: string, lang: string) => scoreSentiment(text, lang).sentiment;

  it("negation flips a positive word and softens a negative one", () => {
    expect(s("The service was good", "en")).toBe("positive");
    expect(s("The service was not good", "en")).toBe("negative");
    expect(s("It isn't bad at all", "en")).not.toBe("negative");
  });

  it("intensifiers make a word stronger; a clause break stops them", () => {
    expect(scoreSentiment("very disappointed", "en").score).toBeLessThan(
      scoreSentiment("disappointed", "en").score,
    );
    expect(scoreSentiment("very. disappointed", "en").score).toBe(scoreSentiment("disappointed", "en").score);
  });

  it("what comes before 'but' counts half", () => {
    expect(s("Thank you for the reply, but the screen is still broken", "en")).toBe("negative");
  });

  it("Vietnamese matches with and without diacritics", () => {
    expect(s("Tôi rất thất vọng, hàng bị hỏng", "vi")).toBe("negative");
    expect(s("toi rat that vong, hang bi hong", "vi")).toBe("negative");
    expect(s("Cảm ơn shop, rất hài lòng", "vi")).toBe("positive");
    expect(s("cam on shop, rat hai long", "vi")).toBe("positive");
    expect(s("Tôi không hài lòng", "vi")).toBe("negative");
    // "tôi" folds to "toi" like "tồi" (bad): only the phrase "tồi tệ" is listed.
    expect(s("Tôi muốn đổi địa chỉ giao hàng", "vi")).toBe("neutral");
  });

  it("Khmer in unspaced text, with negation before the word", () => {
    expect(s("សេវាល្អណាស់អរគុណ", "km")).toBe("positive");
    expect(s("សេវាមិនល្អទេ", "km")).toBe("negative");
    expect(s("ខ្ញុំខកចិត្តណាស់ទំនិញខូច", "km")).toBe("negative");
  });

  it("Tamil stems and negation after the word", () => {
    expect(s("மிகவும் அருமையான சேவை", "ta")).toBe("positive");
    expect(s("சேவை நல்லா இல்லை", "ta")).toBe("negative");
    expect(s("பொருள் இன்னும் வரவில்லை", "ta")).toBe("negative");
  });

  it("plain questions are neutral; other languages fall back to English", () => {
    expect(s("When will my order ship?", "en")).toBe("neutral");
    expect(s("This is terrible", "fr")).toBe("negative");
    expect(s("", "en")).toBe("neutral");
  });

  it("hostile and huge input is handled", () => {
    expect(s("\u0000\u202e<script>alert(1)</script>", "en")).toBe("neutral");
    expect(s("terrible ".repeat(100_000), "en")).toBe("negative");
  });

  it("the worse of two sentiments", () => {
    expect(worseSentiment(null, "positive")).toBe("positive");
    expect(worseSentiment("negative", "positive")).toBe("negative");
    expect(worseSentiment("neutral", "negative")).toBe("negative");
  });
});
