import { sql } from "drizzle-orm";
import { check, integer, pgTable, text } from "drizzle-orm/pg-core";
import { createdAt, updatedAt } from "../../db/columns.ts";

/** The organization running this Rapport: one row, id 1. */
export const settings = pgTable(
  "settings",
  {
    id: integer("id").primaryKey().default(1),
    name: text("name").notNull(),
    defaultLanguage: text("default_language").notNull().default("en"),
    timeZone: text("time_zone").notNull().default("UTC"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [check("settings_single_row", sql`${t.id} = 1`)],
);
