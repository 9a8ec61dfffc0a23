/** Custom fields: their shapes (from the server's schemas), hooks and display helpers. */

import type { FieldDefinition } from "@rapport/server/contract";
import type { FieldEntity } from "@rapport/shared";
import { useQuery } from "@tanstack/react-query";
import { get } from "../../lib/api.ts";

export type { FieldDefinition, FieldOption, Organization } from "@rapport/server/contract";
export { FIELD_ENTITIES, FIELD_TYPES, type FieldEntity, type FieldType } from "@rapport/shared";

export function useFields(entity?: FieldEntity, archived: "false" | "all" = "false") {
  return useQuery({
    queryKey: ["fields", entity ?? "all", archived],
    queryFn: () => get<FieldDefinition[]>(`/fields?${entity ? `entity=${entity}&` : ""}archived=${archived}`),
    staleTime: 60_000,
  });
}

/** The label in the UI language, else the default label. */
export const fieldLabel = (f: { label: string; labels: Record<string, string> }, lang: string) =>
  f.labels[lang] || f.label;

/** A stored value as text for lists (options by their label, booleans as ✓/✗). */
export function displayValue(f: FieldDefinition, v: unknown, lang: string, yesNo: [string, string]): string {
  if (v === null || v === undefined) return "";
  const opt = (x: unknown) => {
    const o = f.options.find((o) => o.value === x);
    return o ? fieldLabel(o, lang) : String(x);
  };
  if (f.type === "select") return opt(v);
  if (f.type === "multiselect" && Array.isArray(v)) return v.map(opt).join(", ");
  if (f.type === "boolean") return v ? yesNo[0] : yesNo[1];
  if (f.type === "number" && typeof v === "number") return new Intl.NumberFormat(lang).format(v);
  if (f.type === "date" && typeof v === "string")
    return new Intl.DateTimeFormat(lang, { dateStyle: "medium", timeZone: "UTC" }).format(
      new Date(`${v}T00:00:00Z`),
    );
  return String(v);
}

/** Field-level errors of a 400 answer, by key. */
export type FieldErrors = Record<string, string>;
