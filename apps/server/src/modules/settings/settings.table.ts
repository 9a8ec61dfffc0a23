import { sql } from "drizzle-orm";
import { check, integer, pgTable, text } from "drizzle-orm/pg-core";
import { createdAt, tstz, updatedAt } from "../../db/columns.ts";

/** The organization running this Rapport: one row, id 1. */
export const settings = pgTable(
  "settings",
  {
    id: integer("id").primaryKey().default(1),
    name: text("name").notNull(),
    defaultLanguage: text("default_language").notNull().default("en"),
    timeZone: text("time_zone").notNull().default("UTC"),
    /** When an admin put the getting-started checklist away (null: it shows until every step is done). */
    gettingStartedDismissedAt: tstz("getting_started_dismissed_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [check("settings_single_row", sql`${t.id} = 1`)],
);
