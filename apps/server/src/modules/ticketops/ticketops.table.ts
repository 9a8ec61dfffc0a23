import { sql } from "drizzle-orm";
import { check, index, pgTable, primaryKey, text, uuid } from "drizzle-orm/pg-core";
import { createdAt } from "../../db/columns.ts";
import { tickets } from "../tickets/tickets.table.ts";
import { users } from "../users/users.table.ts";

/**
 * Links between tickets. `related`: a many-to-many link shown on both tickets, stored once
 * with `ticket_id < other_id`. `merged`: `ticket_id` was merged into `other_id` (closed, its
 * conversation moved there); a ticket is merged into at most one other.
 */
export const ticketLinks = pgTable(
  "ticket_links",
  {
    ticketId: uuid("ticket_id")
      .notNull()
      .references(() => tickets.id, { onDelete: "cascade" }),
    otherId: uuid("other_id")
      .notNull()
      .references(() => tickets.id, { onDelete: "cascade" }),
    kind: text("kind").$type<"related" | "merged">().notNull(),
    createdById: uuid("created_by_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.ticketId, t.otherId, t.kind] }),
    index("ticket_links_other_idx").on(t.otherId, t.kind),
    check("ticket_links_kind", sql`${t.kind} in ('related', 'merged')`),
    check("ticket_links_order", sql`${t.kind} <> 'related' or ${t.ticketId} < ${t.otherId}`),
  ],
);
