import { customType, integer, jsonb, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { createdAt, tstz, updatedAt } from "../../db/columns.ts";
import { users } from "../users/users.table.ts";

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => "bytea" });

/**
 * A CSV import: the uploaded file (kept until the import finishes or is discarded), the
 * column mapping, and the outcome. Status: uploaded -> checked (dry run) -> imported | failed.
 */
export const imports = pgTable("imports", {
  id: uuid("id").primaryKey().defaultRandom(),
  entity: text("entity").notNull(),
  filename: text("filename").notNull(),
  encoding: text("encoding").notNull(),
  size: integer("size").notNull(),
  data: bytea("data"),
  status: text("status").notNull().default("uploaded"),
  mapping: jsonb("mapping").$type<Record<string, string>>().notNull().default({}),
  rowCount: integer("row_count").notNull().default(0),
  errorCount: integer("error_count").notNull().default(0),
  insertedCount: integer("inserted_count").notNull().default(0),
  /** The last dry run's or run's summary (first errors, counts). */
  report: jsonb("report").notNull().default({}),
  createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
  finishedAt: tstz("finished_at"),
});
