import { sql } from "drizzle-orm";
import { boolean, index, jsonb, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { createdAt, tstz, updatedAt } from "../../db/columns.ts";
import { contacts } from "../contacts/contacts.table.ts";
import { teams } from "../teams/teams.table.ts";
import { messages, tickets } from "../tickets/tickets.table.ts";
import { users } from "../users/users.table.ts";

/**
 * A webhook channel (a bridge to Telegram, WhatsApp, LINE...). The secret is never stored:
 * it is derived from the server's channel key and `secret_salt` (decision 0007); the table
 * keeps a fingerprint to recognise it. `inbound_key` is the unguessable part of the inbound URL.
 */
export const webhookChannels = pgTable(
  "webhook_channels",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull(),
    inboundKey: text("inbound_key").notNull(),
    secretSalt: text("secret_salt").notNull(),
    secretFingerprint: text("secret_fingerprint").notNull(),
    outboundUrl: text("outbound_url"),
    teamId: uuid("team_id").references(() => teams.id, { onDelete: "set null" }),
    active: boolean("active").notNull().default(true),
    createdById: uuid("created_by_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("webhook_channels_inbound_key").on(t.inboundKey)],
);

/** Accepted inbound calls: the raw body, stored (and committed) before it is parsed. */
export const channelInbound = pgTable(
  "channel_inbound",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    channelId: uuid("channel_id")
      .notNull()
      .references(() => webhookChannels.id, { onDelete: "cascade" }),
    deliveryId: text("delivery_id"),
    /** SHA-256 of the signature: the same signed request twice is a replay. */
    signatureHash: text("signature_hash").notNull(),
    rawBody: text("raw_body").notNull(),
    /** received | processed | refused | failed */
    status: text("status").notNull().default("received"),
    error: text("error"),
    ticketId: uuid("ticket_id").references(() => tickets.id, { onDelete: "set null" }),
    messageId: uuid("message_id").references(() => messages.id, { onDelete: "set null" }),
    receivedAt: tstz("received_at").notNull(),
    processedAt: tstz("processed_at"),
  },
  (t) => [
    uniqueIndex("channel_inbound_delivery_key").on(t.channelId, t.deliveryId),
    uniqueIndex("channel_inbound_signature_key").on(t.channelId, t.signatureHash),
    index("channel_inbound_received_idx").on(t.channelId, t.receivedAt.desc().nullsFirst()),
  ],
);

/** Refused inbound calls (unsigned, bad signature, replayed, malformed), for admins. */
export const channelRefusals = pgTable(
  "channel_refusals",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    channelId: uuid("channel_id").references(() => webhookChannels.id, { onDelete: "cascade" }),
    code: text("code").notNull(),
    reason: text("reason").notNull(),
    ip: text("ip"),
    deliveryId: text("delivery_id"),
    /** The first bytes of the body, for diagnosis. */
    excerpt: text("excerpt").notNull().default(""),
    createdAt: createdAt(),
  },
  (t) => [index("channel_refusals_created_idx").on(t.createdAt.desc().nullsFirst(), t.id)],
);

/** Who a channel's sender id is: the contact it was matched to or created as. */
export const channelIdentities = pgTable(
  "channel_identities",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    channelId: uuid("channel_id")
      .notNull()
      .references(() => webhookChannels.id, { onDelete: "cascade" }),
    externalId: text("external_id").notNull(),
    contactId: uuid("contact_id")
      .notNull()
      .references(() => contacts.id, { onDelete: "cascade" }),
    displayName: text("display_name").notNull().default(""),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("channel_identities_key").on(t.channelId, t.externalId),
    index("channel_identities_contact_idx").on(t.contactId),
  ],
);

/** An external conversation threaded onto a ticket (a new ticket once the old one is closed). */
export const channelConversations = pgTable(
  "channel_conversations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    channelId: uuid("channel_id")
      .notNull()
      .references(() => webhookChannels.id, { onDelete: "cascade" }),
    externalConversationId: text("external_conversation_id").notNull(),
    ticketId: uuid("ticket_id")
      .notNull()
      .references(() => tickets.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("channel_conversations_key").on(t.channelId, t.externalConversationId),
    index("channel_conversations_ticket_idx").on(t.ticketId),
  ],
);

/** Agent replies posted to the channel's outbound URL (one row per message; attempts via the job queue). */
export const channelOutbound = pgTable(
  "channel_outbound",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    channelId: uuid("channel_id")
      .notNull()
      .references(() => webhookChannels.id, { onDelete: "cascade" }),
    messageId: uuid("message_id")
      .notNull()
      .references(() => messages.id, { onDelete: "cascade" }),
    payload: jsonb("payload").notNull().default(sql`'{}'::jsonb`),
    /** queued | sent | failed */
    status: text("status").notNull().default("queued"),
    attempts: jsonb("attempts").notNull().default(sql`'[]'::jsonb`),
    lastError: text("last_error"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("channel_outbound_message_key").on(t.messageId)],
);
