import { sql } from "drizzle-orm";
import { boolean, index, integer, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { createdAt, tstz, updatedAt } from "../../db/columns.ts";
import { chatSites } from "../chat/chat.table.ts";
import { mailboxes } from "../email/email.table.ts";

/** The channels a service self-check enters by (docs/self-checks.md). */
export const SELF_CHECK_CHANNELS = ["email", "chat", "form"] as const;
export type SelfCheckChannel = (typeof SELF_CHECK_CHANNELS)[number];

export const SELF_CHECK_RUN_STATUSES = ["planned", "sent", "answered", "expired", "failed"] as const;
export type SelfCheckRunStatus = (typeof SELF_CHECK_RUN_STATUSES)[number];

/** An administrator's plan of mystery-customer checks on one channel. */
export const selfCheckSchedules = pgTable("self_check_schedules", {
  id: uuid("id").primaryKey().defaultRandom(),
  channel: text("channel").$type<SelfCheckChannel>().notNull(),
  enabled: boolean("enabled").notNull().default(true),
  /** Checks per week, at random times within the default calendar's business hours. */
  perWeek: integer("per_week").notNull().default(1),
  /** Whether agents see a "check" badge on the ticket; off: the check looks like any customer. */
  tellAgents: boolean("tell_agents").notNull().default(false),
  /** Email: the outside address the test message comes from, and the mailbox it is sent to. */
  fromAddress: text("from_address"),
  mailboxId: uuid("mailbox_id").references(() => mailboxes.id, { onDelete: "cascade" }),
  /** Chat: the widget site the check opens a chat on. */
  chatSiteId: uuid("chat_site_id").references(() => chatSites.id, { onDelete: "cascade" }),
  /** A check not answered by a human within this many hours is closed as expired. */
  expiryHours: integer("expiry_hours").notNull().default(72),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/** One check: planned at a time, then sent, then answered (or expired, or failed to send). */
export const selfCheckRuns = pgTable(
  "self_check_runs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    scheduleId: uuid("schedule_id").references(() => selfCheckSchedules.id, { onDelete: "set null" }),
    channel: text("channel").$type<SelfCheckChannel>().notNull(),
    status: text("status").$type<SelfCheckRunStatus>().notNull().default("planned"),
    plannedAt: tstz("planned_at").notNull(),
    sentAt: tstz("sent_at"),
    /** The ticket the entry path opened for this check (also `tickets.self_check_run_id`). */
    ticketId: uuid("ticket_id"),
    /** The first reply by a person (not an automation, macro-free auto-reply or bot). */
    answeredAt: tstz("answered_at"),
    /** The SLA first-response target's due time when the ticket was opened (null: no policy). */
    promiseDueAt: tstz("promise_due_at"),
    expiresAt: tstz("expires_at"),
    error: text("error"),
    createdAt: createdAt(),
  },
  (t) => [
    index("self_check_runs_status_idx").on(t.status, t.plannedAt),
    index("self_check_runs_sent_idx").on(t.channel, t.sentAt).where(sql`sent_at is not null`),
  ],
);
