/**
 * Zone names that ICU (and so `Intl`) still reports as the primary id although IANA renamed
 * them long ago, mapped to today's IANA names. Node 20 lists `Asia/Saigon`, resolves
 * `Asia/Kolkata` to `Asia/Calcutta`, and so on; browsers differ by version. The list is the
 * set of CLDR ids that are links, not zones, in the IANA database (tzdata 2025b).
 */
export const LEGACY_TIME_ZONES: Readonly<Record<string, string>> = {
  "Africa/Asmera": "Africa/Asmara",
  "America/Buenos_Aires": "America/Argentina/Buenos_Aires",
  "America/Catamarca": "America/Argentina/Catamarca",
  "America/Coral_Harbour": "America/Atikokan",
  "America/Cordoba": "America/Argentina/Cordoba",
  "America/Godthab": "America/Nuuk",
  "America/Indianapolis": "America/Indiana/Indianapolis",
  "America/Jujuy": "America/Argentina/Jujuy",
  "America/Louisville": "America/Kentucky/Louisville",
  "America/Mendoza": "America/Argentina/Mendoza",
  "Asia/Calcutta": "Asia/Kolkata",
  "Asia/Katmandu": "Asia/Kathmandu",
  "Asia/Rangoon": "Asia/Yangon",
  "Asia/Saigon": "Asia/Ho_Chi_Minh",
  "Atlantic/Faeroe": "Atlantic/Faroe",
  "Europe/Kiev": "Europe/Kyiv",
  "Pacific/Enderbury": "Pacific/Kanton",
  "Pacific/Ponape": "Pacific/Pohnpei",
  "Pacific/Truk": "Pacific/Chuuk",
};

/**
 * The canonical IANA name of a time zone (`asia/saigon` and `Asia/Ho_Chi_Minh` both give
 * `Asia/Ho_Chi_Minh`; `Etc/UTC` gives `UTC`), or null when `Intl` does not know the zone.
 */
export function canonicalTimeZone(zone: string): string | null {
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat("en", { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
  return LEGACY_TIME_ZONES[resolved] ?? resolved;
}

/**
 * The zones to offer in a picker: canonical names only, sorted, with UTC first. `supported`
 * defaults to `Intl.supportedValuesOf("timeZone")`; `include` adds a zone (such as the
 * browser's own) that the list lacks.
 */
export function timeZoneOptions(supported?: readonly string[], include?: string): string[] {
  // supportedValuesOf gives primary ids already: renaming the legacy ones is enough.
  const all = supported ?? Intl.supportedValuesOf?.("timeZone") ?? [];
  const zones = new Set(all.map((z) => LEGACY_TIME_ZONES[z] ?? z));
  const extra = include ? canonicalTimeZone(include) : null;
  if (extra) zones.add(extra);
  zones.delete("UTC");
  return ["UTC", ...[...zones].sort()];
}

/** The browser's (or server's) own time zone, canonical; UTC when it has none. */
export function localTimeZone(): string {
  return canonicalTimeZone(Intl.DateTimeFormat().resolvedOptions().timeZone ?? "UTC") ?? "UTC";
}
