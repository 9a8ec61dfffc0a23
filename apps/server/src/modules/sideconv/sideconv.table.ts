import { index, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { createdAt, updatedAt } from "../../db/columns.ts";
import { outboundEmails } from "../email/email.table.ts";
import { tickets } from "../tickets/tickets.table.ts";
import { users } from "../users/users.table.ts";

/**
 * A side conversation: an agent's email thread with a third party (a supplier, a courier)
 * about a ticket, kept apart from the customer's thread. Replies find it by the reply-to
 * token (`mailbox+s<token>@domain`, stored hashed) or by Message-ID / References.
 * status: open | closed.
 */
export const sideConversations = pgTable(
  "side_conversations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    ticketId: uuid("ticket_id")
      .notNull()
      .references(() => tickets.id, { onDelete: "cascade" }),
    subject: text("subject").notNull(),
    participants: text("participants").array().notNull(),
    /** sha256 (hex) of each reply-to token sent (one per agent message; never stored in clear). */
    tokenHashes: text("token_hashes").array().notNull(),
    status: text("status").$type<"open" | "closed">().notNull().default("open"),
    createdById: uuid("created_by_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("side_conversations_ticket_idx").on(t.ticketId, t.createdAt),
    index("side_conversations_tokens_idx").using("gin", t.tokenHashes),
  ],
);

/** The messages of a side conversation: sent by agents (`out`) or received from the third party (`in`). */
export const sideMessages = pgTable(
  "side_messages",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    sideConversationId: uuid("side_conversation_id")
      .notNull()
      .references(() => sideConversations.id, { onDelete: "cascade" }),
    direction: text("direction").$type<"out" | "in">().notNull(),
    authorUserId: uuid("author_user_id").references(() => users.id, { onDelete: "set null" }),
    fromAddress: text("from_address"),
    to: text("to_addresses").array().notNull(),
    bodyText: text("body_text").notNull(),
    bodyHtml: text("body_html").notNull(),
    /** `<id@host>`: threads replies back here (never into the customer's thread). */
    messageIdHeader: text("message_id_header"),
    outboundEmailId: uuid("outbound_email_id").references(() => outboundEmails.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [
    index("side_messages_conversation_idx").on(t.sideConversationId, t.createdAt),
    index("side_messages_header_idx").on(t.messageIdHeader),
  ],
);
