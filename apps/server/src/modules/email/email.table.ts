import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { createdAt, tstz, updatedAt } from "../../db/columns.ts";
import { contacts } from "../contacts/contacts.table.ts";
import { teams } from "../teams/teams.table.ts";
import { messages, priorityEnum, tickets } from "../tickets/tickets.table.ts";

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => "bytea",
  fromDriver: (v) => (Buffer.isBuffer(v) ? v : Buffer.from(v)),
});

export type AckTemplate = { subject: string; body: string };

/** A support address: where mail comes in (SMTP receiver or IMAP polling) and how replies go out. */
export const mailboxes = pgTable(
  "mailboxes",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    address: text("address").notNull(),
    displayName: text("display_name").notNull(),
    teamId: uuid("team_id").references(() => teams.id, { onDelete: "set null" }),
    defaultPriority: priorityEnum("default_priority").notNull().default("normal"),
    inbound: text("inbound").notNull().default("smtp"),
    imapHost: text("imap_host"),
    imapPort: integer("imap_port"),
    imapTls: boolean("imap_tls").notNull().default(true),
    imapUser: text("imap_user"),
    imapPassword: text("imap_password"),
    imapFolder: text("imap_folder").notNull().default("INBOX"),
    imapMoveTo: text("imap_move_to"),
    imapPollSeconds: integer("imap_poll_seconds").notNull().default(60),
    smtpHost: text("smtp_host"),
    smtpPort: integer("smtp_port"),
    smtpTls: text("smtp_tls").notNull().default("starttls"),
    smtpUser: text("smtp_user"),
    smtpPassword: text("smtp_password"),
    ackEnabled: boolean("ack_enabled").notNull().default(true),
    /** The acknowledgement lists up to three help-centre articles for the request. */
    ackArticles: boolean("ack_articles").notNull().default(false),
    ackTemplates: jsonb("ack_templates").$type<Partial<Record<string, AckTemplate>>>().notNull().default({}),
    active: boolean("active").notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("mailboxes_address_key").on(sql`lower(${t.address})`)],
);

/**
 * Every email received, stored raw BEFORE it is parsed so a parser bug never loses
 * a message. status: received -> processed | duplicate | ignored | bounce | failed.
 */
export const inboundEmails = pgTable(
  "inbound_emails",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    mailboxId: uuid("mailbox_id").references(() => mailboxes.id, { onDelete: "set null" }),
    source: text("source").notNull(),
    raw: bytea("raw").notNull(),
    size: bigint("size", { mode: "number" }).notNull(),
    envelopeFrom: text("envelope_from"),
    envelopeTo: text("envelope_to").array().notNull().default(sql`'{}'::text[]`),
    messageIdHeader: text("message_id_header"),
    subject: text("subject"),
    fromAddress: text("from_address"),
    dedupeKey: text("dedupe_key"),
    status: text("status").notNull().default("received"),
    error: text("error"),
    attempts: integer("attempts").notNull().default(0),
    ticketId: uuid("ticket_id").references(() => tickets.id, { onDelete: "set null" }),
    messageId: uuid("message_id").references(() => messages.id, { onDelete: "set null" }),
    receivedAt: tstz("received_at").notNull().defaultNow(),
    processedAt: tstz("processed_at"),
  },
  (t) => [
    uniqueIndex("inbound_emails_dedupe_key").on(t.dedupeKey),
    index("inbound_emails_status_idx").on(t.status, t.receivedAt.desc(), t.id.desc()),
    index("inbound_emails_received_idx").on(t.receivedAt.desc(), t.id.desc()),
  ],
);

/**
 * What threads an email to a ticket: the Message-IDs Rapport has received and sent
 * (`<id@host>`), and Outlook conversation roots (`ti:<base64>`).
 */
export const emailThreadKeys = pgTable(
  "email_thread_keys",
  {
    key: text("key").primaryKey(),
    ticketId: uuid("ticket_id")
      .notNull()
      .references(() => tickets.id, { onDelete: "cascade" }),
    messageId: uuid("message_id").references(() => messages.id, { onDelete: "cascade" }),
    direction: text("direction").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("email_thread_keys_ticket_idx").on(t.ticketId)],
);

/** The email side of a message: headers, the full original, the quoted history, image blocking. */
export const emailMessages = pgTable(
  "email_messages",
  {
    messageId: uuid("message_id")
      .primaryKey()
      .references(() => messages.id, { onDelete: "cascade" }),
    ticketId: uuid("ticket_id")
      .notNull()
      .references(() => tickets.id, { onDelete: "cascade" }),
    inboundEmailId: uuid("inbound_email_id").references(() => inboundEmails.id, { onDelete: "set null" }),
    messageIdHeader: text("message_id_header"),
    from: text("from_address"),
    to: text("to_addresses").array().notNull().default(sql`'{}'::text[]`),
    cc: text("cc_addresses").array().notNull().default(sql`'{}'::text[]`),
    subject: text("subject"),
    fullHtml: text("full_html").notNull().default(""),
    fullText: text("full_text").notNull().default(""),
    quotedText: text("quoted_text").notNull().default(""),
    remoteImages: integer("remote_images").notNull().default(0),
    imagesAllowed: boolean("images_allowed").notNull().default(false),
    autoSubmitted: boolean("auto_submitted").notNull().default(false),
    withheld: jsonb("withheld").notNull().default(sql`'[]'::jsonb`),
    createdAt: createdAt(),
  },
  (t) => [index("email_messages_ticket_idx").on(t.ticketId)],
);

/** Customers copied on a ticket's emails: they receive the agents' replies too. */
export const ticketFollowers = pgTable(
  "ticket_followers",
  {
    ticketId: uuid("ticket_id")
      .notNull()
      .references(() => tickets.id, { onDelete: "cascade" }),
    contactId: uuid("contact_id")
      .notNull()
      .references(() => contacts.id, { onDelete: "cascade" }),
    email: text("email").notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.ticketId, t.contactId] })],
);

export type InlineImage = { cid: string; filename: string; contentType: string; base64: string };

/**
 * Every email Rapport sends (replies, acknowledgements, password resets, invitations).
 * status: queued -> sent | failed (permanent, with the server's reason) | bounced (DSN).
 */
export const outboundEmails = pgTable(
  "outbound_emails",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    kind: text("kind").notNull(),
    mailboxId: uuid("mailbox_id").references(() => mailboxes.id, { onDelete: "set null" }),
    ticketId: uuid("ticket_id").references(() => tickets.id, { onDelete: "cascade" }),
    messageId: uuid("message_id").references(() => messages.id, { onDelete: "cascade" }),
    messageIdHeader: text("message_id_header").notNull(),
    to: text("to_addresses").array().notNull(),
    cc: text("cc_addresses").array().notNull().default(sql`'{}'::text[]`),
    subject: text("subject").notNull(),
    inReplyTo: text("in_reply_to"),
    references: text("references").array().notNull().default(sql`'{}'::text[]`),
    replyTo: text("reply_to"),
    bodyText: text("body_text").notNull(),
    bodyHtml: text("body_html").notNull(),
    /** Images the HTML shows by `cid:` (a scheduled report's charts), base64 PNG. */
    inlineImages: jsonb("inline_images").$type<InlineImage[]>(),
    status: text("status").notNull().default("queued"),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    sentAt: tstz("sent_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("outbound_emails_message_id_header_key").on(t.messageIdHeader),
    index("outbound_emails_status_idx").on(t.status, t.createdAt.desc(), t.id.desc()),
    index("outbound_emails_created_idx").on(t.createdAt.desc(), t.id.desc()),
    index("outbound_emails_message_idx").on(t.messageId),
  ],
);
