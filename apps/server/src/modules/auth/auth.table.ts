import { index, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { createdAt, tstz } from "../../db/columns.ts";
import { users } from "../users/users.table.ts";

/**
 * Browser sessions. The cookie carries a random token; only its SHA-256 is stored.
 * `kind` leaves room for customer-portal and widget-visitor sessions, which hold a
 * subject id of their own kind and never reach the agent API.
 */
export const sessions = pgTable(
  "sessions",
  {
    tokenHash: text("token_hash").primaryKey(),
    kind: text("kind").notNull().default("agent"),
    userId: uuid("user_id").references(() => users.id, { onDelete: "cascade" }),
    subjectId: uuid("subject_id"),
    csrfToken: text("csrf_token").notNull(),
    ip: text("ip"),
    userAgent: text("user_agent"),
    createdAt: createdAt(),
    lastSeenAt: tstz("last_seen_at").notNull().defaultNow(),
    expiresAt: tstz("expires_at").notNull(),
  },
  (t) => [index("sessions_user_idx").on(t.userId), index("sessions_expires_idx").on(t.expiresAt)],
);

/** Personal API tokens: shown once, stored as SHA-256, revocable. */
export const apiTokens = pgTable(
  "api_tokens",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    tokenHash: text("token_hash").notNull().unique(),
    prefix: text("prefix").notNull(),
    lastUsedAt: tstz("last_used_at"),
    expiresAt: tstz("expires_at"),
    revokedAt: tstz("revoked_at"),
    createdAt: createdAt(),
  },
  (t) => [index("api_tokens_user_idx").on(t.userId)],
);
