import { sql } from "drizzle-orm";
import { boolean, index, jsonb, pgTable, primaryKey, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { createdAt, tstz } from "../../db/columns.ts";
import { contacts } from "../contacts/contacts.table.ts";
import { tickets } from "../tickets/tickets.table.ts";
import { users } from "../users/users.table.ts";

/**
 * Every in-app notice, for every producer (docs/notifications.md). A notice belongs to one
 * recipient; `kind` is one of NOTIFICATION_KINDS; the title and body are rendered from
 * `kind` + `params` in the reader's language. `dedupe_key` makes a notice fire once per
 * recipient (an SLA warning per clock, a morning plan per day).
 */
export const notifications = pgTable(
  "notifications",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    kind: text("kind").notNull(),
    /** The object the notice is about: ticket, contact, promise, plan, callback, approval. */
    subjectType: text("subject_type"),
    subjectId: uuid("subject_id"),
    ticketId: uuid("ticket_id").references(() => tickets.id, { onDelete: "cascade" }),
    contactId: uuid("contact_id").references(() => contacts.id, { onDelete: "cascade" }),
    /** Where the bell leads, a path inside the web app (`/tickets/42`). */
    link: text("link"),
    params: jsonb("params").$type<Record<string, unknown>>().notNull().default({}),
    dedupeKey: text("dedupe_key"),
    readAt: tstz("read_at"),
    createdAt: createdAt(),
  },
  (t) => [
    // The bell's list: a user's notices newest first (keyset on created_at, id).
    index("notifications_user_idx").on(t.userId, t.createdAt.desc(), t.id.desc()),
    // The unread count and the unread filter.
    index("notifications_unread_idx")
      .on(t.userId, t.createdAt.desc(), t.id.desc())
      .where(sql`${t.readAt} is null`),
    uniqueIndex("notifications_dedupe_key").on(t.userId, t.dedupeKey),
    index("notifications_ticket_idx").on(t.ticketId),
  ],
);

/** A user's choice per kind; a kind without a row uses NOTIFICATION_DEFAULTS. */
export const notificationPreferences = pgTable(
  "notification_preferences",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    kind: text("kind").notNull(),
    inApp: boolean("in_app").notNull(),
    email: boolean("email").notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.kind] })],
);
