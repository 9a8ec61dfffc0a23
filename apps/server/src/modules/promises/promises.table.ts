import { sql } from "drizzle-orm";
import { bigint, boolean, index, integer, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { createdAt, tstz, updatedAt } from "../../db/columns.ts";
import { contacts } from "../contacts/contacts.table.ts";
import { teams } from "../teams/teams.table.ts";
import { tickets } from "../tickets/tickets.table.ts";
import { users } from "../users/users.table.ts";

/** Tables of the promises module (exported through db/schema.ts). */

/**
 * A commitment made to a customer: call back, refund (integer minor units + currency),
 * discount, send information, follow up; with an owner and a due time.
 * status: open -> kept | cancelled. `keptOnTime` is set when kept.
 */
export const promises = pgTable(
  "promises",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    ticketId: uuid("ticket_id").references(() => tickets.id, { onDelete: "cascade" }),
    contactId: uuid("contact_id")
      .notNull()
      .references(() => contacts.id, { onDelete: "cascade" }),
    kind: text("kind").notNull(),
    description: text("description").notNull().default(""),
    amountMinor: bigint("amount_minor", { mode: "number" }),
    currency: text("currency"),
    /** Discount in percent (grant_discount), when not an amount. */
    percent: integer("percent"),
    ownerId: uuid("owner_id")
      .notNull()
      .references(() => users.id),
    /** The owner's team when the promise was made (kept-on-time rate per team). */
    teamId: uuid("team_id").references(() => teams.id, { onDelete: "set null" }),
    createdById: uuid("created_by_id").references(() => users.id, { onDelete: "set null" }),
    dueAt: tstz("due_at").notNull(),
    remindAt: tstz("remind_at"),
    remindedAt: tstz("reminded_at"),
    overdueNotifiedAt: tstz("overdue_notified_at"),
    status: text("status").notNull().default("open"),
    completedAt: tstz("completed_at"),
    keptOnTime: boolean("kept_on_time"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("promises_ticket_idx").on(t.ticketId),
    index("promises_contact_idx").on(t.contactId, t.dueAt),
    index("promises_owner_idx").on(t.ownerId, t.status, t.dueAt),
    index("promises_open_due_idx").on(t.dueAt).where(sql`status = 'open'`),
    index("promises_open_remind_idx").on(t.remindAt).where(sql`status = 'open' and reminded_at is null`),
  ],
);
