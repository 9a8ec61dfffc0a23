import { index, integer, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { createdAt, tstz, updatedAt } from "../../db/columns.ts";
import { contacts } from "../contacts/contacts.table.ts";
import { teams } from "../teams/teams.table.ts";
import { messages, tickets } from "../tickets/tickets.table.ts";
import { users } from "../users/users.table.ts";

/**
 * A customer's request to be called back: a queue ordered by `due_at` (the start of the
 * preferred window, or the retry time after "no answer"). `team_id` scopes who sees it
 * (like tickets: agents see their teams' call-backs, unteamed ones and their own).
 */
export const callbacks = pgTable(
  "callbacks",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    contactId: uuid("contact_id")
      .notNull()
      .references(() => contacts.id, { onDelete: "cascade" }),
    ticketId: uuid("ticket_id").references(() => tickets.id, { onDelete: "set null" }),
    teamId: uuid("team_id").references(() => teams.id, { onDelete: "set null" }),
    assigneeId: uuid("assignee_id").references(() => users.id, { onDelete: "set null" }),
    name: text("name").notNull().default(""),
    /** E.164 when it parses. */
    phone: text("phone").notNull(),
    email: text("email"),
    topic: text("topic").notNull().default(""),
    /** widget | form | portal | agent */
    source: text("source").notNull(),
    windowStart: tstz("window_start"),
    windowEnd: tstz("window_end"),
    /** When the call is due: window start (or the request time), then each retry time. */
    dueAt: tstz("due_at").notNull(),
    /** open | done | cancelled */
    status: text("status").notNull().default("open"),
    /** reached | no_answer | wrong_number | cancelled (the last logged attempt). */
    outcome: text("outcome"),
    attempts: integer("attempts").notNull().default(0),
    /** When the first attempt was made (kept on time: at or before the window's end). */
    firstAttemptAt: tstz("first_attempt_at"),
    completedAt: tstz("completed_at"),
    remindedAt: tstz("reminded_at"),
    createdById: uuid("created_by_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("callbacks_queue_idx").on(t.status, t.dueAt, t.id),
    index("callbacks_assignee_idx").on(t.assigneeId, t.status, t.dueAt),
    index("callbacks_contact_idx").on(t.contactId, t.createdAt.desc().nullsFirst()),
  ],
);

/** A logged phone call (inbound or outbound), on a ticket or not, possibly an attempt on a call-back. */
export const calls = pgTable(
  "calls",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    contactId: uuid("contact_id")
      .notNull()
      .references(() => contacts.id, { onDelete: "cascade" }),
    ticketId: uuid("ticket_id").references(() => tickets.id, { onDelete: "set null" }),
    /** The thread message that shows the call (channel "phone"). */
    messageId: uuid("message_id").references(() => messages.id, { onDelete: "set null" }),
    callbackId: uuid("callback_id").references(() => callbacks.id, { onDelete: "set null" }),
    agentId: uuid("agent_id").references(() => users.id, { onDelete: "set null" }),
    /** inbound | outbound */
    direction: text("direction").notNull(),
    phone: text("phone").notNull(),
    durationSeconds: integer("duration_seconds").notNull().default(0),
    /** answered | no_answer | busy | voicemail | wrong_number | failed */
    outcome: text("outcome").notNull(),
    notes: text("notes").notNull().default(""),
    startedAt: tstz("started_at").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index("calls_contact_idx").on(t.contactId, t.startedAt.desc().nullsFirst()),
    index("calls_ticket_idx").on(t.ticketId),
    index("calls_phone_idx").on(t.phone),
  ],
);
