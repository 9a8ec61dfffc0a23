import { LOCALES, type Locale } from "@rapport/shared";
import i18n from "i18next";
import { initReactI18next } from "react-i18next";
import { en, loadCatalog } from "./catalogs.ts";

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
    i18n.addResourceBundle(lng, "translation", await loadCatalog(lng));
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
