import fs from "node:fs";
import path from "node:path";
import { LOCALES } from "@rapport/shared";
import { describe, expect, it } from "vitest";
import en from "./locales/en.ts";
import km from "./locales/km.ts";
import ta from "./locales/ta.ts";
import vi from "./locales/vi.ts";

const catalogs: Record<string, Record<string, string>> = { en, vi, km, ta };
const placeholders = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    if (d.isDirectory()) return sourceFiles(p);
    return /\.tsx?$/.test(d.name) && !d.name.includes(".test.") ? [p] : [];
  });
}

describe("translation catalogs", () => {
  it("ships a catalog for every locale", () => {
    expect(Object.keys(catalogs).sort()).toEqual([...LOCALES].sort());
  });

  for (const locale of LOCALES.filter((l) => l !== "en")) {
    it(`${locale} has every English key, none empty, same placeholders, no extra keys`, () => {
      const cat = catalogs[locale] ?? {};
      const missing = Object.keys(en).filter((k) => !(k in cat));
      const empty = Object.entries(cat)
        .filter(([, v]) => typeof v !== "string" || !v.trim())
        .map(([k]) => k);
      const extra = Object.keys(cat).filter((k) => !(k in en));
      const badPlaceholders = Object.keys(en).filter(
        (k) =>
          k in cat && placeholders(en[k as keyof typeof en]).join() !== placeholders(cat[k] ?? "").join(),
      );
      expect({ missing, empty, extra, badPlaceholders }).toEqual({
        missing: [],
        empty: [],
        extra: [],
        badPlaceholders: [],
      });
    });
  }

  it("has no empty English value", () => {
    expect(Object.entries(en).filter(([, v]) => !v.trim())).toEqual([]);
  });

  it("defines every literal key the source code uses", () => {
    const src = path.resolve(import.meta.dirname, "..");
    const used = new Set<string>();
    for (const f of sourceFiles(src)) {
      for (const m of fs.readFileSync(f, "utf8").matchAll(/\bt\(\s*"([a-zA-Z0-9_.]+)"/g))
        if (m[1]) used.add(m[1]);
    }
    expect(used.size).toBeGreaterThan(50);
    expect([...used].filter((k) => !(k in en))).toEqual([]);
  });
});
