/** Dates and numbers through Intl, in the current UI language. */
import i18n from "i18next";

const cache = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat | Intl.RelativeTimeFormat>();

function memo<T extends Intl.DateTimeFormat | Intl.NumberFormat | Intl.RelativeTimeFormat>(
  key: string,
  make: () => T,
): T {
  let f = cache.get(key);
  if (!f) {
    f = make();
    cache.set(key, f);
  }
  return f as T;
}

const lang = () => i18n.language || "en";

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return "";
  const l = lang();
  return memo(
    `dt:${l}`,
    () => new Intl.DateTimeFormat(l, { dateStyle: "medium", timeStyle: "short" }),
  ).format(new Date(iso));
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return "";
  const l = lang();
  return memo(`d:${l}`, () => new Intl.DateTimeFormat(l, { dateStyle: "medium" })).format(new Date(iso));
}

export function formatNumber(n: number): string {
  const l = lang();
  return memo(`n:${l}`, () => new Intl.NumberFormat(l)).format(n);
}

export function formatBytes(n: number): string {
  const l = lang();
  const units = ["byte", "kilobyte", "megabyte", "gigabyte"] as const;
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return memo(
    `b:${l}:${i}`,
    () =>
      new Intl.NumberFormat(l, {
        style: "unit",
        unit: units[i],
        unitDisplay: "short",
        maximumFractionDigits: 1,
      }),
  ).format(v);
}

/** "5 minutes ago" style, falling back to the date after a week. */
export function formatRelative(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return "";
  const diff = (new Date(iso).getTime() - now) / 1000;
  const abs = Math.abs(diff);
  const l = lang();
  // Some ICU builds lack relative-time data for a language (it would fall back to English).
  if (Intl.RelativeTimeFormat.supportedLocalesOf([l]).length === 0) return formatDateTime(iso);
  const rtf = memo(`r:${l}`, () => new Intl.RelativeTimeFormat(l, { numeric: "auto" }));
  if (abs < 60) return rtf.format(Math.round(diff), "second");
  if (abs < 3600) return rtf.format(Math.round(diff / 60), "minute");
  if (abs < 86400) return rtf.format(Math.round(diff / 3600), "hour");
  if (abs < 7 * 86400) return rtf.format(Math.round(diff / 86400), "day");
  return formatDate(iso);
}
