import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  smallint,
  text,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { createdAt, tstz, updatedAt } from "../../db/columns.ts";
import { contacts } from "../contacts/contacts.table.ts";
import { teams } from "../teams/teams.table.ts";
import { channelEnum, tickets } from "../tickets/tickets.table.ts";
import { users } from "../users/users.table.ts";

/** How satisfaction surveys are sent: one row, id 1 (defaults when it is missing). */
export const csatSettings = pgTable(
  "csat_settings",
  {
    id: integer("id").primaryKey().default(1),
    enabled: boolean("enabled").notNull().default(true),
    /** Minutes after the ticket is solved (chat surveys are shown when the chat ends). */
    delayMinutes: integer("delay_minutes").notNull().default(60),
    expiryDays: integer("expiry_days").notNull().default(7),
    /** "good_bad" (Zendesk's two buttons) or "five" (1-5). */
    scale: text("scale").notNull().default("good_bad"),
    /** Channels whose solved tickets get a survey. */
    channels: text("channels").array().notNull().default(sql`'{email,web,chat,phone}'::text[]`),
    updatedAt: updatedAt(),
  },
  (t) => [check("csat_settings_single_row", sql`${t.id} = 1`)],
);

/** The admin's list of reasons a customer may give with a bad rating, labelled per language. */
export const csatReasons = pgTable("csat_reasons", {
  id: uuid("id").primaryKey().defaultRandom(),
  labels: jsonb("labels").$type<Record<string, string>>().notNull(),
  position: integer("position").notNull().default(0),
  active: boolean("active").notNull().default(true),
  createdAt: createdAt(),
});

/**
 * One survey per resolution of a ticket. `scheduled` until its send time, then `sent` (the
 * token's SHA-256 is stored, never the token), `answered`, or `discarded` (the ticket was
 * reopened, skipped or is not eligible any more). A sent survey past `expires_at` is expired.
 */
export const csatSurveys = pgTable(
  "csat_surveys",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    ticketId: uuid("ticket_id")
      .notNull()
      .references(() => tickets.id, { onDelete: "cascade" }),
    contactId: uuid("contact_id").references(() => contacts.id, { onDelete: "set null" }),
    /** The agent and team who solved the ticket: the rating counts for them. */
    agentId: uuid("agent_id").references(() => users.id, { onDelete: "set null" }),
    teamId: uuid("team_id").references(() => teams.id, { onDelete: "set null" }),
    channel: channelEnum("channel").notNull(),
    language: text("language").notNull(),
    scale: text("scale").notNull(),
    status: text("status")
      .$type<"scheduled" | "sent" | "answered" | "discarded">()
      .notNull()
      .default("scheduled"),
    tokenHash: text("token_hash"),
    solvedAt: tstz("solved_at").notNull(),
    sendAt: tstz("send_at").notNull(),
    sentAt: tstz("sent_at"),
    expiresAt: tstz("expires_at"),
    /** good_bad: 1 good, 0 bad; five: 1-5. */
    rating: smallint("rating"),
    /** The rating counts as satisfied (good, or 4-5 of 5). */
    good: boolean("good"),
    comment: text("comment"),
    reasonId: uuid("reason_id").references(() => csatReasons.id, { onDelete: "set null" }),
    ratedAt: tstz("rated_at"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("csat_surveys_token_idx").on(t.tokenHash),
    uniqueIndex("csat_surveys_resolution_idx").on(t.ticketId, t.solvedAt),
    index("csat_surveys_ticket_idx").on(t.ticketId, t.createdAt.desc()),
    index("csat_surveys_rated_idx").on(t.ratedAt.desc(), t.id.desc()).where(sql`rated_at is not null`),
    index("csat_surveys_agent_idx").on(t.agentId, t.ratedAt.desc()),
    index("csat_surveys_contact_idx").on(t.contactId, t.createdAt.desc()),
  ],
);

/** Tickets an agent took out of surveying (one row per ticket). */
export const csatSkips = pgTable("csat_skips", {
  ticketId: uuid("ticket_id")
    .primaryKey()
    .references(() => tickets.id, { onDelete: "cascade" }),
  userId: uuid("user_id").references(() => users.id, { onDelete: "set null" }),
  createdAt: createdAt(),
});

/**
 * An administrator's wording of the survey in one language: only the texts they changed
 * (`TEMPLATE_KEYS`); the others, and a language without a row, use the built-in defaults.
 */
export const csatTemplates = pgTable("csat_templates", {
  language: text("language").primaryKey(),
  texts: jsonb("texts").$type<Record<string, string>>().notNull(),
  updatedAt: updatedAt(),
});
