import { sql } from "drizzle-orm";
import { boolean, integer, jsonb, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { createdAt, tstz, updatedAt } from "../../db/columns.ts";

/** One choice of a select or multi-select field: a stable value and its labels per language. */
export type FieldOption = { value: string; label: string; labels?: Record<string, string> };

/**
 * Admin-defined fields of contacts, organizations and tickets. Values live in the
 * `custom_fields` jsonb column of each entity, keyed by `key`; archived fields keep their
 * values but are no longer shown, required or writable.
 */
export const customFieldDefinitions = pgTable(
  "custom_field_definitions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    entity: text("entity").notNull(),
    key: text("key").notNull(),
    type: text("type").notNull(),
    label: text("label").notNull(),
    /** Labels per UI language (vi, km, ta...); `label` is the fallback. */
    labels: jsonb("labels").$type<Record<string, string>>().notNull().default({}),
    description: text("description").notNull().default(""),
    required: boolean("required").notNull().default(false),
    options: jsonb("options").$type<FieldOption[]>().notNull().default(sql`'[]'::jsonb`),
    position: integer("position").notNull().default(0),
    archivedAt: tstz("archived_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("custom_field_definitions_entity_key").on(t.entity, t.key)],
);
