import { sql } from "drizzle-orm";
import { boolean, index, integer, jsonb, pgTable, primaryKey, text, uuid } from "drizzle-orm/pg-core";
import { createdAt, tstz, updatedAt } from "../../db/columns.ts";
import { tickets } from "../tickets/tickets.table.ts";
import { users } from "../users/users.table.ts";

/** Triggers: run inside the ticket transactions on the events they list (docs/automations.md). */
export const triggers = pgTable(
  "triggers",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    events: text("events").array().notNull(),
    match: text("match").$type<"all" | "any">().notNull().default("all"),
    conditions: jsonb("conditions").$type<unknown[]>().notNull().default(sql`'[]'::jsonb`),
    actions: jsonb("actions").$type<unknown[]>().notNull().default(sql`'[]'::jsonb`),
    active: boolean("active").notNull().default(true),
    position: integer("position").notNull().default(0),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("triggers_active_position_idx").on(t.active, t.position)],
);

/** Time-based rules: evaluated by a recurring job over all matching tickets at once. */
export const timeRules = pgTable("time_rules", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull(),
  description: text("description").notNull().default(""),
  match: text("match").$type<"all" | "any">().notNull().default("all"),
  conditions: jsonb("conditions").$type<unknown[]>().notNull().default(sql`'[]'::jsonb`),
  actions: jsonb("actions").$type<unknown[]>().notNull().default(sql`'[]'::jsonb`),
  active: boolean("active").notNull().default(true),
  position: integer("position").notNull().default(0),
  createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
  lastRunAt: tstz("last_run_at"),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/** Which ticket a time rule acted on: each ticket at most once per rule. */
export const timeRuleExecutions = pgTable(
  "time_rule_executions",
  {
    ruleId: uuid("rule_id")
      .notNull()
      .references(() => timeRules.id, { onDelete: "cascade" }),
    ticketId: uuid("ticket_id")
      .notNull()
      .references(() => tickets.id, { onDelete: "cascade" }),
    executedAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.ruleId, t.ticketId] }),
    index("time_rule_executions_ticket_idx").on(t.ticketId),
  ],
);
