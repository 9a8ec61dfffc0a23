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

/** A share as a percentage in the UI language (0.8123 -> "81.2%"); null -> "–". */
export function formatPercent(share: number | null | undefined, digits = 1): string {
  if (share === null || share === undefined) return "–";
  const l = lang();
  return memo(
    `p:${l}:${digits}`,
    () => new Intl.NumberFormat(l, { style: "percent", maximumFractionDigits: digits }),
  ).format(share);
}

/** A duration in its two largest units in the UI language (5700 s -> "1 hr 35 min"); null -> "–". */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return "–";
  const l = lang();
  const unit = (u: "day" | "hour" | "minute" | "second", v: number) =>
    memo(
      `u:${l}:${u}`,
      () => new Intl.NumberFormat(l, { style: "unit", unit: u, unitDisplay: "short" }),
    ).format(v);
  const s = Math.round(seconds);
  if (s < 60) return unit("second", s);
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return h > 0 ? `${unit("day", d)} ${unit("hour", h)}` : unit("day", d);
  if (h > 0) return m > 0 ? `${unit("hour", h)} ${unit("minute", m)}` : unit("hour", h);
  return unit("minute", m);
}

/** A language code ("vi", "km") as its name in the UI language ("Tiếng Việt" in Vietnamese, "ខ្មែរ" in Khmer). */
export function formatLanguage(code: string | null | undefined): string {
  if (!code) return "—";
  try {
    return new Intl.DisplayNames([lang()], { type: "language" }).of(code) ?? code;
  } catch {
    return code;
  }
}

/**
 * An IANA time zone as its name in the UI language with its offset now
 * ("Indochina Time (GMT+7)", "Giờ Đông Dương (GMT+7)"); the id itself only if the browser has no name.
 */
export function formatTimeZone(zone: string | null | undefined, at = new Date()): string {
  if (!zone) return "—";
  const part = (style: "longGeneric" | "shortOffset") => {
    try {
      return new Intl.DateTimeFormat(lang(), { timeZone: zone, timeZoneName: style })
        .formatToParts(at)
        .find((p) => p.type === "timeZoneName")?.value;
    } catch {
      return undefined;
    }
  };
  const name = part("longGeneric");
  const offset = part("shortOffset");
  return name ? (offset && offset !== name ? `${name} (${offset})` : name) : zone;
}
