import {
  CHANNELS,
  type DeliveryStatus,
  SENTIMENTS,
  TICKET_PRIORITIES,
  TICKET_STATUSES,
} from "@rapport/shared";
import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  real,
  text,
  uuid,
} from "drizzle-orm/pg-core";
import { createdAt, tstz, tsvector, updatedAt } from "../../db/columns.ts";
import { contacts } from "../contacts/contacts.table.ts";
import { teams } from "../teams/teams.table.ts";
import { users } from "../users/users.table.ts";

export const statusEnum = pgEnum("ticket_status", TICKET_STATUSES);
/** Declared in ascending order, so ORDER BY priority sorts by urgency and can use an index. */
export const priorityEnum = pgEnum("ticket_priority", TICKET_PRIORITIES);
export const channelEnum = pgEnum("channel", CHANNELS);
export const sentimentEnum = pgEnum("sentiment", SENTIMENTS);

const OPEN = sql.raw(`status in ('new','open')`);
// Index keys sorted `.desc().nullsFirst()`: that is what `ORDER BY x DESC` means in PostgreSQL, and drizzle-kit
// would otherwise write DESC NULLS LAST, which no `ORDER BY … DESC` query can walk (bench/notes.md).

export const tickets = pgTable(
  "tickets",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    number: bigserial("number", { mode: "number" }).notNull().unique(),
    subject: text("subject").notNull(),
    status: statusEnum("status").notNull().default("new"),
    priority: priorityEnum("priority").notNull().default("normal"),
    channel: channelEnum("channel").notNull().default("api"),
    requesterId: uuid("requester_id")
      .notNull()
      .references(() => contacts.id),
    assigneeId: uuid("assignee_id").references(() => users.id, { onDelete: "set null" }),
    teamId: uuid("team_id").references(() => teams.id, { onDelete: "set null" }),
    tags: text("tags").array().notNull().default(sql`'{}'::text[]`),
    language: text("language"),
    /** The sentiment of the latest and of the worst inbound customer message (modules/tone). */
    sentiment: sentimentEnum("sentiment"),
    worstSentiment: sentimentEnum("worst_sentiment"),
    messageCount: integer("message_count").notNull().default(0),
    subjectFolded: text("subject_folded").notNull().default(""),
    searchVector: tsvector("search_vector").notNull().default(sql`''::tsvector`),
    /** Values of admin-defined fields (modules/fields), keyed by field key. */
    customFields: jsonb("custom_fields").$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    firstResponseAt: tstz("first_response_at"),
    lastMessageAt: tstz("last_message_at"),
    lastCustomerMessageAt: tstz("last_customer_message_at"),
    solvedAt: tstz("solved_at"),
    /**
     * Stored timings for reports (issue 16): the first response and the resolution measured in
     * business time on the calendar of the ticket's SLA policy (the default calendar otherwise),
     * in seconds. Written by the sla step with the statement it already makes (clocks.ts).
     */
    firstResponseBusinessSeconds: integer("first_response_business_seconds"),
    resolutionBusinessSeconds: integer("resolution_business_seconds"),
    closedAt: tstz("closed_at"),
    /** The earliest due time of the running SLA clocks (denormalised by the sla module for the inbox sort). */
    nextDueAt: tstz("next_due_at"),
    /**
     * Set when the ticket is a service self-check (modules/selfchecks): its entry path recognised
     * the check's signed marker. Such tickets never count in reports, surveys or recognition. No
     * foreign key: the runs table lives in a module that imports the channel tables, which import
     * this one.
     */
    selfCheckRunId: uuid("self_check_run_id"),
  },
  (t) => [
    index("tickets_updated_idx").on(t.updatedAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    index("tickets_custom_fields_idx").using("gin", sql`${t.customFields} jsonb_path_ops`),
    index("tickets_created_idx").on(t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    // Reports: tickets solved / first answered in a period (bench/reports.ts keeps the plans).
    index("tickets_solved_idx").on(t.solvedAt).where(sql`solved_at is not null`),
    index("tickets_first_response_idx").on(t.firstResponseAt).where(sql`first_response_at is not null`),
    /** The reports' backlog: tickets not solved yet, by arrival (a few percent of all tickets). */
    index("tickets_unsolved_created_idx").on(t.createdAt).where(sql`solved_at is null`),
    index("tickets_open_updated_idx")
      .on(t.updatedAt.desc().nullsFirst(), t.id.desc().nullsFirst())
      .where(OPEN),
    index("tickets_open_unassigned_idx")
      .on(t.updatedAt.desc().nullsFirst(), t.id.desc().nullsFirst())
      .where(sql`${OPEN} and assignee_id is null`),
    // The inbox views ("my open", a team's open tickets): one ordered range each, however large the backlog.
    index("tickets_open_assignee_updated_idx")
      .on(t.assigneeId, t.updatedAt.desc().nullsFirst(), t.id.desc().nullsFirst())
      .where(OPEN),
    index("tickets_open_team_updated_idx")
      .on(t.teamId, t.updatedAt.desc().nullsFirst(), t.id.desc().nullsFirst())
      .where(OPEN),
    index("tickets_assignee_status_updated_idx").on(
      t.assigneeId,
      t.status,
      t.updatedAt.desc().nullsFirst(),
      t.id.desc().nullsFirst(),
    ),
    index("tickets_team_status_updated_idx").on(
      t.teamId,
      t.status,
      t.updatedAt.desc().nullsFirst(),
      t.id.desc().nullsFirst(),
    ),
    index("tickets_status_updated_idx").on(
      t.status,
      t.updatedAt.desc().nullsFirst(),
      t.id.desc().nullsFirst(),
    ),
    index("tickets_requester_idx").on(t.requesterId, t.createdAt.desc().nullsFirst()),
    index("tickets_tags_idx").using("gin", t.tags),
    index("tickets_search_vector_idx").using("gin", t.searchVector),
    // Inbox sort "next due": tickets without a running clock sort last.
    index("tickets_next_due_idx").on(sql`coalesce(next_due_at, 'infinity'::timestamptz)`, t.id),
    // The same for the open views: an agent who sees few open tickets never walks the solved ones.
    index("tickets_open_next_due_idx")
      .on(sql`coalesce(next_due_at, 'infinity'::timestamptz)`, t.id)
      .where(OPEN),
    index("tickets_self_check_idx").on(t.id).where(sql`self_check_run_id is not null`),
    index("tickets_subject_trgm").using("gin", sql`${t.subjectFolded} gin_trgm_ops`),
  ],
);

/** Customer messages, agent replies and internal notes. */
export const messages = pgTable(
  "messages",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    ticketId: uuid("ticket_id")
      .notNull()
      .references(() => tickets.id, { onDelete: "cascade" }),
    authorType: text("author_type").notNull(),
    authorUserId: uuid("author_user_id").references(() => users.id, { onDelete: "set null" }),
    authorContactId: uuid("author_contact_id").references(() => contacts.id, { onDelete: "set null" }),
    internal: boolean("internal").notNull().default(false),
    channel: channelEnum("channel").notNull(),
    bodyText: text("body_text").notNull(),
    bodyHtml: text("body_html").notNull(),
    metadata: jsonb("metadata").notNull().default(sql`'{}'::jsonb`),
    searchVector: tsvector("search_vector").notNull().default(sql`''::tsvector`),
    /** Inbound customer messages: the lexicon's verdict and score (modules/tone/sentiment.ts). */
    sentiment: sentimentEnum("sentiment"),
    sentimentScore: real("sentiment_score"),
    /** Outgoing messages: where delivery on the channel stands (null for notes and inbound). */
    deliveryStatus: text("delivery_status").$type<DeliveryStatus>(),
    /** The channel's reason when delivery failed (the SMTP reply, the HTTP status...). */
    deliveryError: text("delivery_error"),
    deliveryUpdatedAt: tstz("delivery_updated_at"),
    createdAt: createdAt(),
  },
  (t) => [
    index("messages_ticket_created_idx").on(
      t.ticketId,
      t.createdAt.desc().nullsFirst(),
      t.id.desc().nullsFirst(),
    ),
    index("messages_search_vector_idx").using("gin", t.searchVector),
    // Message search shows the newest hits first: for a common word, walking this finds them at once.
    index("messages_created_idx").on(t.createdAt.desc().nullsFirst()),
  ],
);

/** Files on disk (ATTACHMENTS_DIR); the database keeps the metadata. */
export const attachments = pgTable(
  "attachments",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    ticketId: uuid("ticket_id")
      .notNull()
      .references(() => tickets.id, { onDelete: "cascade" }),
    messageId: uuid("message_id").references(() => messages.id, { onDelete: "cascade" }),
    filename: text("filename").notNull(),
    contentType: text("content_type").notNull(),
    size: bigint("size", { mode: "number" }).notNull(),
    sha256: text("sha256").notNull(),
    storageKey: text("storage_key").notNull(),
    uploadedByUserId: uuid("uploaded_by_user_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [index("attachments_ticket_idx").on(t.ticketId), index("attachments_message_idx").on(t.messageId)],
);

/** Every change to a ticket, written in the transaction that made it. */
export const ticketEvents = pgTable(
  "ticket_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    ticketId: uuid("ticket_id")
      .notNull()
      .references(() => tickets.id, { onDelete: "cascade" }),
    type: text("type").notNull(),
    actorType: text("actor_type").notNull(),
    actorId: uuid("actor_id"),
    data: jsonb("data").notNull().default(sql`'{}'::jsonb`),
    createdAt: createdAt(),
  },
  (t) => [
    index("ticket_events_ticket_idx").on(t.ticketId, t.id),
    /** The reports' reopen count: status changes in a period. */
    index("ticket_events_status_changed_idx").on(t.createdAt).where(sql`type = 'status.changed'`),
  ],
);
