import { index, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { createdAt, tstz } from "../../db/columns.ts";
import { users } from "../users/users.table.ts";

/**
 * Single-use password tokens (forgot password, and invitations of users created without a
 * password). Only the SHA-256 of the token is stored; `usedAt` makes it single use.
 */
export const passwordResetTokens = pgTable(
  "password_reset_tokens",
  {
    tokenHash: text("token_hash").primaryKey(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    purpose: text("purpose").notNull(),
    createdAt: createdAt(),
    expiresAt: tstz("expires_at").notNull(),
    usedAt: tstz("used_at"),
  },
  (t) => [index("password_reset_tokens_user_idx").on(t.userId)],
);
