import { customType, timestamp } from "drizzle-orm/pg-core";

/** A tsvector written as a literal built by lib/search.ts (see docs/decisions/0002-search.md). */
export const tsvector = customType<{ data: string; driverData: string }>({
  dataType: () => "tsvector",
});

/**
 * Millisecond precision: timestamps round-trip through JavaScript Dates exactly,
 * which keyset cursors rely on.
 */
export const tstz = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });
export const createdAt = () => tstz("created_at").notNull().defaultNow();
export const updatedAt = () => tstz("updated_at").notNull().defaultNow();
