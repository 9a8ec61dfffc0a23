/** Custom field shapes (mirrors of apps/server/src/modules/fields/fields.schema.ts) and hooks. */
import { useQuery } from "@tanstack/react-query";
import { get } from "../../lib/api.ts";

export const FIELD_ENTITIES = ["contact", "organization", "ticket"] as const;
export type FieldEntity = (typeof FIELD_ENTITIES)[number];
export const FIELD_TYPES = ["text", "number", "date", "select", "multiselect", "boolean", "link"] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

export type FieldOption = { value: string; label: string; labels: Record<string, string> };
export type FieldDefinition = {
  id: string;
  entity: FieldEntity;
  key: string;
  type: FieldType;
  label: string;
  labels: Record<string, string>;
  description: string;
  required: boolean;
  options: FieldOption[];
  position: number;
  archived: boolean;
};

export type { Organization } from "@rapport/server/contract";

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
