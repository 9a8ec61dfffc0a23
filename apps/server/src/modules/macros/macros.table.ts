import { sql } from "drizzle-orm";
import { index, integer, jsonb, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { createdAt, updatedAt } from "../../db/columns.ts";
import { users } from "../users/users.table.ts";

/** Saved replies with actions; shared (owner null) or personal (one agent's). */
export const macros = pgTable(
  "macros",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    title: text("title").notNull(),
    /** The reply per language (en, vi, km, ta...); at least one. */
    bodies: jsonb("bodies").$type<Record<string, string>>().notNull().default({}),
    actions: jsonb("actions").$type<unknown[]>().notNull().default(sql`'[]'::jsonb`),
    ownerId: uuid("owner_id").references(() => users.id, { onDelete: "cascade" }),
    /** Folded title and bodies, for the reply box's search. */
    searchText: text("search_text").notNull().default(""),
    usageCount: integer("usage_count").notNull().default(0),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("macros_owner_idx").on(t.ownerId)],
);
