import { FIELD_ENTITIES, FIELD_TYPES } from "@rapport/shared";
import { z } from "zod";

/** Field keys: what API filters (`cf.<key>`), CSV headers and conditions name a field by. */
export const ZFieldKey = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,47}$/, "a key of lower-case letters, digits and _, starting with a letter");

const ZLabel = z
  .string()
  .trim()
  .min(1)
  .max(120)
  .refine((s) => !/[\u0000-\u001f]/.test(s), { message: "one line without control characters" });
/** Labels per UI language; empty strings are dropped (the default label applies). */
const ZLabels = z.partialRecord(z.enum(["en", "vi", "km", "ta"]), z.string().trim().max(120)).optional();

export const ZFieldOption = z.strictObject({
  value: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .refine((s) => !/[\u0000-\u001f;|]/.test(s), { message: "no control characters, ; or |" }),
  label: ZLabel,
  labels: ZLabels,
});

export const ZFieldDefinition = z.object({
  id: z.uuid(),
  entity: z.enum(FIELD_ENTITIES),
  key: z.string(),
  type: z.enum(FIELD_TYPES),
  label: z.string(),
  labels: z.record(z.string(), z.string()),
  description: z.string(),
  required: z.boolean(),
  options: z.array(
    z.object({ value: z.string(), label: z.string(), labels: z.record(z.string(), z.string()) }),
  ),
  position: z.number().int(),
  archived: z.boolean(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type TFieldDefinition = z.infer<typeof ZFieldDefinition>;

export const ZCreateField = z.strictObject({
  entity: z.enum(FIELD_ENTITIES),
  key: ZFieldKey,
  type: z.enum(FIELD_TYPES),
  label: ZLabel,
  labels: ZLabels,
  description: z.string().trim().max(1000).default(""),
  required: z.boolean().default(false),
  options: z.array(ZFieldOption).max(500).default([]),
  position: z.number().int().min(0).max(10_000).optional(),
});
export type TCreateField = z.infer<typeof ZCreateField>;

/** Key, entity and type are fixed once a field exists (stored values depend on them). */
export const ZUpdateField = z.strictObject({
  label: ZLabel.optional(),
  labels: ZLabels,
  description: z.string().trim().max(1000).optional(),
  required: z.boolean().optional(),
  options: z.array(ZFieldOption).max(500).optional(),
  position: z.number().int().min(0).max(10_000).optional(),
  archived: z.boolean().optional(),
});
export type TUpdateField = z.infer<typeof ZUpdateField>;

export const ZFieldQuery = z.strictObject({
  entity: z.enum(FIELD_ENTITIES).optional(),
  archived: z.enum(["true", "false", "all"]).default("false"),
});

/** Custom field values as written by clients: `null` (or "") clears a value. */
export const ZCustomFieldsInput = z
  .record(
    z.string().max(64),
    z.union([
      z.string().max(10_000),
      z.number(),
      z.boolean(),
      z.array(z.string().max(100)).max(100),
      z.null(),
    ]),
  )
  .refine((r) => Object.keys(r).length <= 200, { message: "at most 200 fields" });
export type TCustomFieldsInput = z.infer<typeof ZCustomFieldsInput>;

/** Stored values as returned by the API. */
export const ZCustomFields = z.record(z.string(), z.unknown());

/**
 * List filters on custom fields, given in the query string as `cf.<key>=value` or
 * `cf.<key>.<op>=value` and gathered into `cf` by `gatherCustomFieldParams`.
 */
export const CF_OPS = ["eq", "ne", "gt", "gte", "lt", "lte", "contains", "in", "empty"] as const;
export type CfOp = (typeof CF_OPS)[number];
export const ZCfFilters = z
  .record(
    z.string().regex(/^[a-z][a-z0-9_]{0,47}(\.(eq|ne|gt|gte|lt|lte|contains|in|empty))?$/, "cf.<key>[.<op>]"),
    z.string().max(500),
  )
  .refine((r) => Object.keys(r).length <= 20, { message: "at most 20 custom field filters" })
  .optional();
export type TCfFilters = z.infer<typeof ZCfFilters>;

/**
 * Moves `cf.<key>[.<op>]` query parameters into one `cf` object so the strict query
 * schemas can validate them; use as a route's preValidation hook.
 */
export function gatherCustomFieldParams(query: unknown): unknown {
  if (!query || typeof query !== "object") return query;
  const out: Record<string, unknown> = {};
  const cf: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(query as Record<string, unknown>)) {
    if (k.startsWith("cf.")) cf[k.slice(3)] = Array.isArray(v) ? v.join(",") : v;
    else out[k] = v;
  }
  if (Object.keys(cf).length > 0) out.cf = cf;
  return out;
}
