import { LOCALES, type Locale } from "@rapport/shared";
import i18n from "i18next";
import { initReactI18next } from "react-i18next";
import en from "./locales/en.ts";

/** Catalogs other than English load on demand, so the first screen carries only one. */
const loaders: Record<Exclude<Locale, "en">, () => Promise<{ default: Record<string, string> }>> = {
  vi: () => import("./locales/vi.ts"),
  km: () => import("./locales/km.ts"),
  ta: () => import("./locales/ta.ts"),
};

export const isLocale = (v: unknown): v is Locale => typeof v === "string" && LOCALES.includes(v as Locale);

void i18n.use(initReactI18next).init({
  lng: "en",
  fallbackLng: "en",
  resources: { en: { translation: en } },
  keySeparator: false,
  interpolation: { escapeValue: false },
  returnNull: false,
});

/** Switches the UI language (loading its catalog first) and sets <html lang>. */
export async function setLocale(locale: string) {
  const lng: Locale = isLocale(locale) ? locale : "en";
  if (lng !== "en" && !i18n.hasResourceBundle(lng, "translation")) {
    const mod = await loaders[lng]();
    i18n.addResourceBundle(lng, "translation", mod.default);
  }
  await i18n.changeLanguage(lng);
  document.documentElement.lang = lng;
  localStorage.setItem("rapport.locale", lng);
}

export function initialLocale(): Locale {
  const saved = localStorage.getItem("rapport.locale");
  if (isLocale(saved)) return saved;
  const nav = navigator.language.slice(0, 2);
  return isLocale(nav) ? nav : "en";
}

export const LOCALE_NAMES: Record<Locale, string> = {
  en: "English",
  vi: "Tiếng Việt",
  km: "ខ្មែរ",
  ta: "தமிழ்",
};

export default i18n;
