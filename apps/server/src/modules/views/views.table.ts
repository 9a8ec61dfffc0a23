import { index, pgTable, primaryKey, uuid } from "drizzle-orm/pg-core";
import { tstz } from "../../db/columns.ts";
import { tickets } from "../tickets/tickets.table.ts";
import { users } from "../users/users.table.ts";

/**
 * When each agent last opened each ticket. A ticket is unread for an agent when its last
 * customer message is newer than this (or the agent never opened it).
 */
export const ticketReads = pgTable(
  "ticket_reads",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    ticketId: uuid("ticket_id")
      .notNull()
      .references(() => tickets.id, { onDelete: "cascade" }),
    readAt: tstz("read_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.ticketId] }), index("ticket_reads_ticket_idx").on(t.ticketId)],
);
