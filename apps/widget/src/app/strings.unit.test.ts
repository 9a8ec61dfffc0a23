import { describe, expect, it } from "vitest";
import { pickLang, STRINGS, translator } from "./strings.ts";

describe("widget strings", () => {
  it("every language has every key, non-empty, with the same placeholders, and translated", () => {
    const keys = Object.keys(STRINGS.en).sort();
    for (const [lang, table] of Object.entries(STRINGS)) {
      expect(Object.keys(table).sort(), lang).toEqual(keys);
      for (const k of keys) {
        const v = (table as Record<string, string>)[k] ?? "";
        expect(v.trim(), `${lang}.${k}`).not.toBe("");
        const vars = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort();
        expect(vars(v), `${lang}.${k}`).toEqual(vars((STRINGS.en as Record<string, string>)[k] ?? ""));
      }
      if (lang !== "en") {
        const same = keys.filter(
          (k) => (table as Record<string, string>)[k] === (STRINGS.en as Record<string, string>)[k],
        );
        // Only words that are the same in both (e.g. "Email" in Vietnamese) may match English.
        expect(same.length, `${lang}: ${same.join(",")}`).toBeLessThanOrEqual(1);
      }
    }
  });

  it("follows the page language, then the browser's, among the site's languages", () => {
    expect(pickLang(["vi-VN", "en"], ["en", "vi"])).toBe("vi");
    expect(pickLang(["fr", "km-KH"], ["en", "km"])).toBe("km");
    expect(pickLang(["ta"], ["en"])).toBe("en");
    expect(pickLang(["xx"], ["ta", "en"])).toBe("ta");
    expect(translator("ta")("typing", { name: "Bao" })).toContain("Bao");
    expect(translator("zz")("send")).toBe("Send");
  });
});
