import { boolean, index, jsonb, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { createdAt, tstz, updatedAt } from "../../db/columns.ts";
import { teams } from "../teams/teams.table.ts";
import { messages, tickets } from "../tickets/tickets.table.ts";
import { users } from "../users/users.table.ts";

/** Tables of the tone module (exported through db/schema.ts); docs/compensation-and-tone.md. */

/**
 * A tone rule: in one language, a phrase with its variants (`|` between them), matched on
 * folded, segmented text; its category and suggested rephrasings. Shipped rules carry a `key`
 * and are written once (insert on conflict do nothing), so an admin's edit or deletion stays.
 * Deleting sets `deleted_at`: the report keeps its history.
 */
export const toneRules = pgTable(
  "tone_rules",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    key: text("key"),
    lang: text("lang").notNull(),
    pattern: text("pattern").notNull(),
    category: text("category").notNull(),
    suggestions: jsonb("suggestions").$type<string[]>().notNull(),
    enabled: boolean("enabled").notNull().default(true),
    createdById: uuid("created_by_id").references(() => users.id, { onDelete: "set null" }),
    deletedAt: tstz("deleted_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("tone_rules_key_idx").on(t.key), index("tone_rules_lang_idx").on(t.lang)],
);

/**
 * What the tone check saw in a sent reply or note: a phrase still in it (`accepted` false), or
 * a suggestion the agent took while typing (`accepted` true). Feeds the report.
 */
export const toneFlags = pgTable(
  "tone_flags",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    ruleId: uuid("rule_id")
      .notNull()
      .references(() => toneRules.id, { onDelete: "cascade" }),
    messageId: uuid("message_id")
      .notNull()
      .references(() => messages.id, { onDelete: "cascade" }),
    ticketId: uuid("ticket_id")
      .notNull()
      .references(() => tickets.id, { onDelete: "cascade" }),
    userId: uuid("user_id").references(() => users.id, { onDelete: "set null" }),
    teamId: uuid("team_id").references(() => teams.id, { onDelete: "set null" }),
    /** The phrase as matched, folded (so "Không" and "khong" count together). */
    phrase: text("phrase").notNull(),
    accepted: boolean("accepted").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("tone_flags_created_idx").on(t.createdAt), index("tone_flags_rule_idx").on(t.ruleId)],
);
