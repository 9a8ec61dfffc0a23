import { sql } from "drizzle-orm";
import { index, jsonb, pgTable, primaryKey, text, uuid } from "drizzle-orm/pg-core";
import { createdAt, tstz, updatedAt } from "../../db/columns.ts";
import { tickets } from "../tickets/tickets.table.ts";
import { users } from "../users/users.table.ts";

/**
 * When each agent last opened each ticket. A ticket is unread for an agent when its last
 * customer message is newer than this (or the agent never opened it).
 */
export const ticketReads = pgTable(
  "ticket_reads",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    ticketId: uuid("ticket_id")
      .notNull()
      .references(() => tickets.id, { onDelete: "cascade" }),
    readAt: tstz("read_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.ticketId] }), index("ticket_reads_ticket_idx").on(t.ticketId)],
);

/**
 * Custom views (issue 14): saved ticket filters with columns and a sort. Personal when
 * `team_ids` is empty (only the owner sees it); shared with the members of `team_ids`
 * otherwise. The filters are stored as validated JSON (`ZViewFilters`) and compiled to one query.
 */
export const savedViews = pgTable(
  "saved_views",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull(),
    ownerId: uuid("owner_id").references(() => users.id, { onDelete: "cascade" }),
    teamIds: uuid("team_ids").array().notNull().default(sql`'{}'::uuid[]`),
    filters: jsonb("filters").$type<Record<string, unknown>>().notNull().default({}),
    columns: text("columns").array().notNull().default(sql`'{}'::text[]`),
    sort: text("sort").notNull().default("updated"),
    sortOrder: text("sort_order").notNull().default("desc"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("saved_views_owner_idx").on(t.ownerId),
    index("saved_views_teams_idx").using("gin", t.teamIds),
  ],
);
