import type { FieldEntity, FieldType } from "@rapport/shared";
import { and, asc, eq, isNull, type SQL, sql } from "drizzle-orm";
import type { Actor } from "../../auth/actor.ts";
import { requireAgent, requireCan } from "../../auth/policies.ts";
import type { Ctx } from "../../context.ts";
import type { DbOrTx } from "../../db/client.ts";
import { AppError, conflict, notFound } from "../../lib/errors.ts";
import { contacts, organizations } from "../contacts/contacts.table.ts";
import { pipelineSettings } from "../tickets/settings.ts";
import { tickets } from "../tickets/tickets.table.ts";
import type { Uow } from "../tickets/unit-of-work.ts";
import type {
  CfOp,
  TCfFilters,
  TCreateField,
  TCustomFieldsInput,
  TFieldDefinition,
  TUpdateField,
} from "./fields.schema.ts";
import { customFieldDefinitions } from "./fields.table.ts";

export type FieldDef = typeof customFieldDefinitions.$inferSelect;
export type CustomFieldValues = Record<string, unknown>;
/** One field-level problem: `path` is `customFields.<key>` (or the CSV column in imports). */
export type FieldError = { path: string; key: string; code: string; message: string };

export const toFieldDefinition = (r: FieldDef): TFieldDefinition => ({
  id: r.id,
  entity: r.entity as FieldEntity,
  key: r.key,
  type: r.type as FieldType,
  label: r.label,
  labels: r.labels,
  description: r.description,
  required: r.required,
  options: r.options.map((o) => ({ value: o.value, label: o.label, labels: o.labels ?? {} })),
  position: r.position,
  archived: r.archivedAt !== null,
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
});

/** Every definition of an entity (archived ones too: they decide what may still be cleared). */
export async function definitionsFor(db: DbOrTx, entity: FieldEntity): Promise<FieldDef[]> {
  return db
    .select()
    .from(customFieldDefinitions)
    .where(eq(customFieldDefinitions.entity, entity))
    .orderBy(asc(customFieldDefinitions.position), asc(customFieldDefinitions.createdAt));
}

export async function listFields(
  ctx: Ctx,
  q: { entity?: FieldEntity; archived: "true" | "false" | "all" },
): Promise<TFieldDefinition[]> {
  requireAgent(ctx.actor);
  const conds: SQL[] = [];
  if (q.entity) conds.push(eq(customFieldDefinitions.entity, q.entity));
  if (q.archived === "false") conds.push(isNull(customFieldDefinitions.archivedAt));
  if (q.archived === "true") conds.push(sql`${customFieldDefinitions.archivedAt} is not null`);
  const rows = await ctx.db
    .select()
    .from(customFieldDefinitions)
    .where(and(...conds))
    .orderBy(
      asc(customFieldDefinitions.entity),
      asc(customFieldDefinitions.position),
      asc(customFieldDefinitions.createdAt),
    );
  return rows.map(toFieldDefinition);
}

const cleanLabels = (r: Partial<Record<string, string>> | undefined): Record<string, string> =>
  Object.fromEntries(Object.entries(r ?? {}).filter((e): e is [string, string] => !!e[1]));

function assertOptions(type: FieldType, options: TCreateField["options"]) {
  const isSelect = type === "select" || type === "multiselect";
  if (isSelect && options.length === 0)
    throw new AppError("validation_failed", 400, "A select field needs options", [
      { path: "options", message: "at least one option" },
    ]);
  if (!isSelect && options.length > 0)
    throw new AppError("validation_failed", 400, "Only select fields have options", [
      { path: "options", message: "only for select and multiselect fields" },
    ]);
  const seen = new Set<string>();
  for (const o of options) {
    const k = o.value.toLowerCase();
    if (seen.has(k))
      throw new AppError("validation_failed", 400, "Option values must be unique", [
        { path: "options", message: `duplicate value ${o.value}` },
      ]);
    seen.add(k);
  }
}

export async function createField(ctx: Ctx, input: TCreateField): Promise<TFieldDefinition> {
  requireCan(ctx.actor, "fields.manage");
  assertOptions(input.type, input.options);
  return ctx.db.transaction(async (tx) => {
    const [clash] = await tx
      .select({ id: customFieldDefinitions.id })
      .from(customFieldDefinitions)
      .where(and(eq(customFieldDefinitions.entity, input.entity), eq(customFieldDefinitions.key, input.key)));
    if (clash)
      throw conflict("A field with this key exists (archived fields keep their key)", { field: "key" });
    const [last] = await tx
      .select({ p: sql<number>`coalesce(max(${customFieldDefinitions.position}), -1)::int` })
      .from(customFieldDefinitions)
      .where(eq(customFieldDefinitions.entity, input.entity));
    const now = ctx.now();
    const [row] = await tx
      .insert(customFieldDefinitions)
      .values({
        ...input,
        labels: cleanLabels(input.labels),
        options: input.options.map((o) => ({ ...o, labels: cleanLabels(o.labels) })),
        position: input.position ?? (last?.p ?? -1) + 1,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    if (!row) throw new Error("insert returned nothing");
    return toFieldDefinition(row);
  });
}

export async function updateField(ctx: Ctx, id: string, patch: TUpdateField): Promise<TFieldDefinition> {
  requireCan(ctx.actor, "fields.manage");
  return ctx.db.transaction(async (tx) => {
    const [prev] = await tx.select().from(customFieldDefinitions).where(eq(customFieldDefinitions.id, id));
    if (!prev) throw notFound("Field");
    if (patch.options) assertOptions(prev.type as FieldType, patch.options);
    const { archived, labels, ...rest } = patch;
    const set: Partial<FieldDef> = { ...rest, updatedAt: ctx.now() };
    if (patch.options) set.options = patch.options.map((o) => ({ ...o, labels: cleanLabels(o.labels) }));
    if (labels !== undefined) set.labels = cleanLabels(labels);
    if (archived !== undefined) set.archivedAt = archived ? (prev.archivedAt ?? ctx.now()) : null;
    const [row] = await tx
      .update(customFieldDefinitions)
      .set(set)
      .where(eq(customFieldDefinitions.id, id))
      .returning();
    if (!row) throw notFound("Field");
    return toFieldDefinition(row);
  });
}

/** Reorders the fields of an entity: `ids` in their new order. */
export async function reorderFields(ctx: Ctx, entity: FieldEntity, ids: string[]) {
  requireCan(ctx.actor, "fields.manage");
  await ctx.db.transaction(async (tx) => {
    for (const [i, id] of ids.entries())
      await tx
        .update(customFieldDefinitions)
        .set({ position: i, updatedAt: ctx.now() })
        .where(and(eq(customFieldDefinitions.id, id), eq(customFieldDefinitions.entity, entity)));
  });
  return listFields(ctx, { entity, archived: "all" });
}

// ---------------------------------------------------------------------------------------------
// Values

type Normalized = { ok: true; value: unknown } | { ok: false; code: string; message: string };
const bad = (code: string, message: string): Normalized => ({ ok: false, code, message });
const TRUE = new Set(["true", "yes", "y", "1", "on", "có", "x"]);
const FALSE = new Set(["false", "no", "n", "0", "off", "không"]);

function isIsoDate(s: string) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return (
    d.getUTCFullYear() === Number(m[1]) &&
    d.getUTCMonth() === Number(m[2]) - 1 &&
    d.getUTCDate() === Number(m[3])
  );
}

function option(def: FieldDef, raw: string) {
  const s = raw.trim().toLowerCase();
  return def.options.find(
    (o) =>
      o.value.toLowerCase() === s ||
      o.label.toLowerCase() === s ||
      Object.values(o.labels ?? {}).some((l) => l.toLowerCase() === s),
  );
}

/**
 * One value checked and normalized for its field's type. Strings are accepted for every
 * type (CSV cells, query strings); `null` means "no value".
 */
export function normalizeFieldValue(def: FieldDef, raw: unknown): Normalized {
  if (raw === null || raw === undefined) return { ok: true, value: null };
  if (typeof raw === "string" && raw.trim() === "") return { ok: true, value: null };
  if (Array.isArray(raw) && raw.length === 0 && def.type === "multiselect") return { ok: true, value: null };
  switch (def.type as FieldType) {
    case "text": {
      if (typeof raw !== "string") return bad("invalid_type", "expected text");
      if (raw.includes("\u0000")) return bad("invalid_text", "NUL characters are not allowed");
      if (raw.length > 10_000) return bad("too_long", "at most 10,000 characters");
      return { ok: true, value: raw.trim() };
    }
    case "number": {
      let n: number;
      if (typeof raw === "number") n = raw;
      else if (typeof raw === "string" && /^\s*[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?\s*$/.test(raw))
        n = Number(raw);
      else return bad("invalid_number", "expected a number such as 42 or 3.5");
      if (!Number.isFinite(n) || Math.abs(n) > 1e15)
        return bad("invalid_number", "the number is out of range");
      return { ok: true, value: n };
    }
    case "date": {
      const s = typeof raw === "string" ? raw.trim() : "";
      const day = /^\d{4}-\d{2}-\d{2}T/.test(s) ? s.slice(0, 10) : s;
      if (!isIsoDate(day)) return bad("invalid_date", "expected a date as YYYY-MM-DD");
      return { ok: true, value: day };
    }
    case "boolean": {
      if (typeof raw === "boolean") return { ok: true, value: raw };
      const s = typeof raw === "string" ? raw.trim().toLowerCase() : "";
      if (TRUE.has(s)) return { ok: true, value: true };
      if (FALSE.has(s)) return { ok: true, value: false };
      return bad("invalid_boolean", "expected true or false");
    }
    case "link": {
      if (typeof raw !== "string") return bad("invalid_type", "expected a link");
      const s = raw.trim();
      let url: URL;
      try {
        url = new URL(s);
      } catch {
        return bad("invalid_link", "expected a link starting with https:// or http://");
      }
      if (url.protocol !== "https:" && url.protocol !== "http:")
        return bad("invalid_link", "only http and https links are allowed");
      if (s.length > 2000) return bad("too_long", "at most 2,000 characters");
      return { ok: true, value: url.toString() };
    }
    case "select": {
      if (typeof raw !== "string") return bad("invalid_type", "expected one of the options");
      const o = option(def, raw);
      if (!o) return bad("invalid_option", `not an option: ${raw.slice(0, 100)}`);
      return { ok: true, value: o.value };
    }
    case "multiselect": {
      const items = typeof raw === "string" ? raw.split(/[;|]/) : Array.isArray(raw) ? raw : null;
      if (!items || items.some((i) => typeof i !== "string"))
        return bad("invalid_type", "expected a list of options");
      const values: string[] = [];
      for (const item of items as string[]) {
        if (item.trim() === "") continue;
        const o = option(def, item);
        if (!o) return bad("invalid_option", `not an option: ${item.slice(0, 100)}`);
        if (!values.includes(o.value)) values.push(o.value);
      }
      return { ok: true, value: values.length ? values : null };
    }
  }
  return bad("invalid_type", "unknown field type");
}

/**
 * Checks custom field values against the definitions, without touching the database:
 * unknown and archived keys, types, options, and (when `enforceRequired`) required
 * fields: on create every required field needs a value; on update a required field
 * cannot be cleared. Returns the merged values (over `existing`) and every error.
 */
export function checkCustomFields(
  defs: FieldDef[],
  input: Record<string, unknown> | undefined,
  opts: { mode: "create" | "update"; enforceRequired: boolean; existing?: CustomFieldValues },
): { values: CustomFieldValues; errors: FieldError[] } {
  const values: CustomFieldValues = { ...(opts.existing ?? {}) };
  const errors: FieldError[] = [];
  const byKey = new Map(defs.map((d) => [d.key, d]));
  const err = (key: string, code: string, message: string) =>
    errors.push({ path: `customFields.${key}`, key, code, message });
  for (const [key, raw] of Object.entries(input ?? {})) {
    const def = byKey.get(key);
    if (!def) {
      err(key, "unknown_field", "no such field");
      continue;
    }
    const n = normalizeFieldValue(def, raw);
    if (!n.ok) {
      err(key, n.code, n.message);
      continue;
    }
    if (def.archivedAt && n.value !== null) {
      err(key, "archived_field", "this field is archived");
      continue;
    }
    if (n.value === null) {
      delete values[key];
      if (opts.enforceRequired && def.required && !def.archivedAt && opts.mode === "update")
        err(key, "required", "this field is required");
    } else values[key] = n.value;
  }
  if (opts.enforceRequired && opts.mode === "create")
    for (const def of defs)
      if (
        def.required &&
        !def.archivedAt &&
        values[def.key] === undefined &&
        !errors.some((e) => e.key === def.key)
      )
        err(def.key, "required", "this field is required");
  return { values, errors };
}

export const fieldValidationError = (errors: FieldError[]) =>
  new AppError(
    "validation_failed",
    400,
    `Invalid custom fields: ${errors.map((e) => `${e.key} (${e.message})`).join(", ")}`,
    errors.map((e) => ({ path: e.path, message: e.message, code: e.code })),
  );

/** Required fields bind people who fill forms (agents); channels and the system may leave them empty. */
export const enforcesRequired = (actor: Actor) => actor.kind === "agent";

/** Validates and merges values for one write; throws a 400 with field-level details. */
export async function validateCustomFields(
  db: DbOrTx,
  actor: Actor,
  entity: FieldEntity,
  input: TCustomFieldsInput | undefined,
  opts: { mode: "create" | "update"; existing?: CustomFieldValues; defs?: FieldDef[] },
): Promise<CustomFieldValues> {
  if (opts.mode === "update" && input === undefined) return opts.existing ?? {};
  const defs = opts.defs ?? (await definitionsFor(db, entity));
  if (defs.length === 0 && (!input || Object.keys(input).length === 0)) return opts.existing ?? {};
  const { values, errors } = checkCustomFields(defs, input, {
    ...opts,
    enforceRequired: enforcesRequired(actor),
  });
  if (errors.length > 0) throw fieldValidationError(errors);
  return values;
}

// ---------------------------------------------------------------------------------------------
// Conditions: list filters, SLA policies, automations

const COLUMNS: Record<FieldEntity, SQL> = {
  contact: sql`${contacts.customFields}`,
  organization: sql`${organizations.customFields}`,
  ticket: sql`${tickets.customFields}`,
};

/** A field's stored value on a loaded row (tickets, contacts, organizations), or null. */
export function readCustomField(row: { customFields?: unknown }, key: string): unknown {
  const cf = row.customFields;
  if (!cf || typeof cf !== "object") return null;
  return (cf as Record<string, unknown>)[key] ?? null;
}

type CondValue = string | number | boolean | Array<string | number | boolean> | null;

/**
 * A SQL condition on a custom field of `entity` (its table must be in the query under its
 * own name). `eq` on a multi-select means "has this option"; `gt`..`lte` compare numbers
 * when `value` is a number and ISO dates/text otherwise; `contains` is a case-insensitive
 * substring; `in` takes a list; `empty` takes true/false. Uses the GIN index for eq/in.
 */
export function customFieldCondition(entity: FieldEntity, key: string, op: CfOp, value: CondValue): SQL {
  const col = COLUMNS[entity];
  const contains = (v: unknown) => sql`${col} @> ${JSON.stringify({ [key]: v })}::jsonb`;
  const eqAny = (v: string | number | boolean): SQL =>
    typeof v === "string" ? sql`(${contains(v)} or ${contains([v])})` : contains(v);
  switch (op) {
    case "eq":
      if (value === null) return sql`(${col} -> ${key}::text) is null`;
      if (Array.isArray(value)) return contains(value);
      return eqAny(value);
    case "ne":
      return sql`not coalesce(${customFieldCondition(entity, key, "eq", value)}, false)`;
    case "in": {
      const list = (Array.isArray(value) ? value : [value]).filter((v) => v !== null) as Array<
        string | number | boolean
      >;
      if (list.length === 0) return sql`false`;
      return sql`(${sql.join(list.map(eqAny), sql` or `)})`;
    }
    case "contains":
      return sql`position(lower(${String(value)}) in lower(${col} ->> ${key}::text)) > 0`;
    case "empty":
      return value === false || value === "false"
        ? sql`(${col} -> ${key}::text) is not null`
        : sql`(${col} -> ${key}::text) is null`;
    default: {
      const cmp = { gt: ">", gte: ">=", lt: "<", lte: "<=" }[op];
      if (typeof value === "number")
        return sql`(case when jsonb_typeof(${col} -> ${key}::text) = 'number' then (${col} ->> ${key}::text)::numeric end) ${sql.raw(cmp)} ${value}`;
      return sql`(case when jsonb_typeof(${col} -> ${key}::text) = 'string' then ${col} ->> ${key}::text end) ${sql.raw(cmp)} ${String(value)}`;
    }
  }
}

/** The same test as `customFieldCondition`, on a loaded row (automations evaluate in memory). */
export function matchCustomField(
  row: { customFields?: unknown },
  key: string,
  op: CfOp,
  value: CondValue,
): boolean {
  const v = readCustomField(row, key);
  const same = (a: unknown, b: unknown) => (Array.isArray(a) ? a.includes(b) : a === b);
  switch (op) {
    case "eq":
      return value === null
        ? v === null
        : Array.isArray(value)
          ? value.every((x) => same(v, x))
          : same(v, value);
    case "ne":
      return !matchCustomField(row, key, "eq", value);
    case "in":
      return (Array.isArray(value) ? value : [value]).some((x) => same(v, x));
    case "contains":
      return typeof v === "string" && v.toLowerCase().includes(String(value).toLowerCase());
    case "empty":
      return value === false || value === "false" ? v !== null : v === null;
    default: {
      if (v === null) return false;
      if (typeof value === "number" && typeof v !== "number") return false;
      if (typeof value !== "number" && typeof v !== "string") return false;
      const a = v as number | string;
      const b = typeof value === "number" ? value : String(value);
      return op === "gt" ? a > b : op === "gte" ? a >= b : op === "lt" ? a < b : a <= b;
    }
  }
}

const asQueryValue = (s: string): string | number | boolean => {
  if (/^[-+]?\d+(\.\d+)?$/.test(s.trim())) return Number(s);
  if (s === "true") return true;
  if (s === "false") return false;
  return s;
};

/**
 * The conditions of `cf.<key>[.<op>]=value` list parameters. Values come as strings:
 * equality matches the text, the number or the boolean it spells (one GIN lookup each);
 * ranges compare numerically when the value is a number, as ISO dates/text otherwise.
 */
export function customFieldFilters(entity: FieldEntity, cf: TCfFilters): SQL[] {
  if (!cf) return [];
  const conds: SQL[] = [];
  for (const [spec, raw] of Object.entries(cf)) {
    const [key = "", op = "eq"] = spec.split(".") as [string, CfOp | undefined];
    if (op === "eq" || op === "ne" || op === "in") {
      const parts = op === "in" ? raw.split(",").slice(0, 50) : [raw];
      const alts = parts.flatMap((p) => {
        const typed = asQueryValue(p);
        return typed === p ? [p] : [p, typed];
      });
      const cond = customFieldCondition(entity, key, "in", alts);
      conds.push(op === "ne" ? sql`not coalesce(${cond}, false)` : cond);
    } else if (op === "empty") conds.push(customFieldCondition(entity, key, "empty", raw !== "false"));
    else if (op === "contains") conds.push(customFieldCondition(entity, key, "contains", raw));
    else {
      const typed = asQueryValue(raw);
      conds.push(customFieldCondition(entity, key, op, typeof typed === "number" ? typed : raw));
    }
  }
  return conds;
}

/**
 * Ticket creation step: custom field values checked and normalized before the insert (each
 * distinct set of values once: an email batch, all empty, is one check).
 */
export async function validateTicketFields(uow: Uow, inputs: Array<{ customFields?: unknown }>) {
  const done = new Map<string, Record<string, unknown>>();
  for (const input of inputs) {
    const key = JSON.stringify(input.customFields ?? null);
    let out = done.get(key);
    if (!out) {
      out = await validateCustomFields(
        uow.tx,
        uow.ctx.actor,
        "ticket",
        input.customFields as TCustomFieldsInput | undefined,
        { mode: "create", defs: (await pipelineSettings(uow)).ticketFields },
      );
      done.set(key, out);
    }
    input.customFields = structuredClone(out);
  }
}
