/** Tables of the chat module (exported through db/schema.ts). */
import { sql } from "drizzle-orm";
import { boolean, index, integer, jsonb, pgTable, primaryKey, text, uuid } from "drizzle-orm/pg-core";
import { createdAt, tstz, updatedAt } from "../../db/columns.ts";
import { contacts } from "../contacts/contacts.table.ts";
import { teams } from "../teams/teams.table.ts";
import { messages, tickets } from "../tickets/tickets.table.ts";

export type ChatAppearance = {
  /** Accent color, #rrggbb. */
  color: string;
  position: "right" | "left";
  /** Greeting per language (en, vi, km, ta); missing languages use the built-in text. */
  greeting: Record<string, string>;
  /** Greet an identified (signed) visitor by their own loyalty tier (customer value); off when absent. */
  showTier?: boolean;
};
export type ChatPrechat = {
  enabled: boolean;
  /** Which of name/email/phone/topic the form asks, and which it requires. */
  fields: Array<"name" | "email" | "phone" | "topic">;
  required: Array<"name" | "email" | "phone" | "topic">;
  topics: string[];
};
/** Business hours (modules/sla/business-hours.ts Calendar); null = the default calendar. */
export type ChatHours = {
  timeZone: string;
  week: Record<string, Array<{ start: string; end: string }>>;
  holidays?: Array<{ date: string; yearly?: boolean }>;
};

/** A website that embeds the chat widget. `secret` verifies signed identities (decision 0006). */
export const chatSites = pgTable("chat_sites", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull(),
  /** Public key pasted in the script tag. */
  key: text("key").notNull().unique(),
  /** HMAC-SHA256 key for identities; stored so it can verify (docs/decisions/0006-widget-secrets.md). */
  secret: text("secret").notNull(),
  allowedOrigins: text("allowed_origins").array().notNull().default(sql`'{}'::text[]`),
  appearance: jsonb("appearance").$type<ChatAppearance>().notNull(),
  languages: text("languages").array().notNull().default(sql`'{en}'::text[]`),
  prechat: jsonb("prechat").$type<ChatPrechat>().notNull(),
  hours: jsonb("hours").$type<ChatHours | null>(),
  teamId: uuid("team_id").references(() => teams.id, { onDelete: "set null" }),
  active: boolean("active").notNull().default(true),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/** One browser of one site: the visitor token (hashed) survives reloads and navigation. */
export const chatVisitors = pgTable(
  "chat_visitors",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    siteId: uuid("site_id")
      .notNull()
      .references(() => chatSites.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull().unique(),
    contactId: uuid("contact_id").references(() => contacts.id, { onDelete: "set null" }),
    /** The site's user id from a verified identity. */
    externalId: text("external_id"),
    name: text("name"),
    email: text("email"),
    phone: text("phone"),
    locale: text("locale").notNull().default("en"),
    createdAt: createdAt(),
    lastSeenAt: tstz("last_seen_at").notNull().defaultNow(),
  },
  (t) => [index("chat_visitors_site_idx").on(t.siteId, t.externalId)],
);

/** A chat: a ticket with channel "chat", the visitor it belongs to, and where it stands. */
export const chatConversations = pgTable(
  "chat_conversations",
  {
    ticketId: uuid("ticket_id")
      .primaryKey()
      .references(() => tickets.id, { onDelete: "cascade" }),
    siteId: uuid("site_id")
      .notNull()
      .references(() => chatSites.id, { onDelete: "cascade" }),
    visitorId: uuid("visitor_id")
      .notNull()
      .references(() => chatVisitors.id, { onDelete: "cascade" }),
    /** live: agents online; offline: taken as an email ticket; ended: closed by the visitor or agent. */
    state: text("state").$type<"live" | "offline" | "ended">().notNull().default("live"),
    topic: text("topic"),
    /** Agent messages up to this time were read by the visitor. */
    visitorReadAt: tstz("visitor_read_at"),
    createdAt: createdAt(),
    endedAt: tstz("ended_at"),
  },
  (t) => [
    index("chat_conversations_visitor_idx").on(t.visitorId, t.createdAt.desc().nullsFirst()),
    index("chat_conversations_live_idx").on(t.state),
  ],
);

/**
 * The widget's own id of each visitor message (issue 14, item 5): one message per client id
 * and conversation, so a message the widget sends again after its socket dropped (it never
 * saw the acknowledgement) is answered with the stored message instead of being stored twice.
 */
export const chatMessageKeys = pgTable(
  "chat_message_keys",
  {
    ticketId: uuid("ticket_id")
      .notNull()
      .references(() => tickets.id, { onDelete: "cascade" }),
    clientId: text("client_id").notNull(),
    messageId: uuid("message_id")
      .notNull()
      .references(() => messages.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.ticketId, t.clientId] })],
);

/** Organization-wide chat settings (one row, id 1). */
export const chatSettings = pgTable("chat_settings", {
  id: integer("id").primaryKey().default(1),
  maxChatsPerAgent: integer("max_chats_per_agent").notNull().default(3),
  updatedAt: updatedAt(),
});
