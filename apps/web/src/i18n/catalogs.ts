import type { Locale } from "@rapport/shared";
import base from "./locales/en.ts";

/**
 * A catalog is the base file in ./locales plus one file per feature that has its own
 * strings (`features/<name>/locales/<locale>.ts`), merged. Feature folders own their
 * strings, so features never edit each other's catalog files.
 */
export type Strings = Record<string, string>;

const featureEn = import.meta.glob<Strings>("../features/*/locales/en.ts", {
  eager: true,
  import: "default",
});

/** English, the reference, ships with the first screen. */
export const en: Strings = Object.assign({}, base, ...Object.values(featureEn));

const baseLoaders: Record<Exclude<Locale, "en">, () => Promise<{ default: Strings }>> = {
  vi: () => import("./locales/vi.ts"),
  km: () => import("./locales/km.ts"),
  ta: () => import("./locales/ta.ts"),
};
const featureLoaders: Record<Exclude<Locale, "en">, Record<string, () => Promise<Strings>>> = {
  vi: import.meta.glob<Strings>("../features/*/locales/vi.ts", { import: "default" }),
  km: import.meta.glob<Strings>("../features/*/locales/km.ts", { import: "default" }),
  ta: import.meta.glob<Strings>("../features/*/locales/ta.ts", { import: "default" }),
};

/** Loads the other catalogs on demand, so the first screen carries only English. */
export async function loadCatalog(locale: Exclude<Locale, "en">): Promise<Strings> {
  const [b, ...parts] = await Promise.all([
    baseLoaders[locale](),
    ...Object.values(featureLoaders[locale]).map((load) => load()),
  ]);
  return Object.assign({}, b?.default, ...parts);
}
