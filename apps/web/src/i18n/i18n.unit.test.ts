import fs from "node:fs";
import path from "node:path";
import { LOCALES, RULE_OPS, TRIGGER_EVENTS } from "@rapport/shared";
import { describe, expect, it } from "vitest";
import baseEn from "./locales/en.ts";
import km from "./locales/km.ts";
import ta from "./locales/ta.ts";
import vi from "./locales/vi.ts";

type Strings = Record<string, string>;
const base: Record<string, Strings> = { en: baseEn, vi, km, ta };
/** Feature catalogs: features/<name>/locales/<locale>.ts, merged over the base ones. */
const features = import.meta.glob<Strings>("../features/*/locales/*.ts", { eager: true, import: "default" });
const featureFiles = (locale: string) =>
  Object.entries(features).filter(([p]) => p.endsWith(`/locales/${locale}.ts`));
const catalogs: Record<string, Strings> = Object.fromEntries(
  LOCALES.map((l) => [l, Object.assign({}, base[l], ...featureFiles(l).map(([, c]) => c))]),
);
const en = catalogs.en as Strings;
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
        (k) => k in cat && placeholders(en[k] ?? "").join() !== placeholders(cat[k] ?? "").join(),
      );
      expect({ missing, empty, extra, badPlaceholders }).toEqual({
        missing: [],
        empty: [],
        extra: [],
        badPlaceholders: [],
      });
    });
  }

  it("defines each key in one catalog file only, and each feature ships all four locales", () => {
    const seen = new Map<string, string>();
    const twice: string[] = [];
    for (const [file, cat] of [["base", baseEn as Strings] as const, ...featureFiles("en")]) {
      for (const k of Object.keys(cat)) {
        if (seen.has(k)) twice.push(`${k} in ${seen.get(k)} and ${file}`);
        seen.set(k, file);
      }
    }
    expect(twice).toEqual([]);
    for (const [file] of featureFiles("en")) {
      for (const l of LOCALES) expect(Object.keys(features)).toContain(file.replace("/en.ts", `/${l}.ts`));
    }
  });

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

  it("names every trigger event and rule operator (the automations editor offers them all)", () => {
    for (const l of LOCALES) {
      const cat = catalogs[l] ?? {};
      const keys = [
        ...TRIGGER_EVENTS.map((e) => `automations.event.${e}`),
        ...RULE_OPS.map((o) => `automations.op.${o}`),
      ];
      expect({ [l]: keys.filter((k) => !cat[k]?.trim()) }).toEqual({ [l]: [] });
    }
    expect(catalogs.ta?.["automations.event.csat.rated"]).not.toBe(en["automations.event.csat.rated"]);
  });
});
