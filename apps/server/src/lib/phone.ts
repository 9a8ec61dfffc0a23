import { parsePhoneNumberFromString } from "libphonenumber-js/max";

/**
 * A phone number in E.164 (+84901234567) when it can be parsed, so the same customer
 * matches across email, chat and calls; otherwise the digits as typed, marked with
 * no plus. `defaultCountry` applies to national numbers without a prefix.
 */
export function normalizePhone(raw: string, defaultCountry?: string): string {
  const trimmed = raw.trim();
  // biome-ignore lint/suspicious/noExplicitAny: libphonenumber's CountryCode union is checked at run time
  const parsed = parsePhoneNumberFromString(trimmed, defaultCountry as any);
  if (parsed?.isPossible()) return parsed.number;
  return trimmed.replace(/[^\d+]/g, "");
}
