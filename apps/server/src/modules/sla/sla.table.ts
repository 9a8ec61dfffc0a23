import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { createdAt, tstz, updatedAt } from "../../db/columns.ts";
import { tickets } from "../tickets/tickets.table.ts";
import { users } from "../users/users.table.ts";
import type { DayInterval, Holiday } from "./business-hours.ts";

/** Tables of the sla module (exported through db/schema.ts). */

/** A business-hours calendar: IANA zone, weekly intervals (overnight allowed), holidays. */
export const businessCalendars = pgTable("business_calendars", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull(),
  timeZone: text("time_zone").notNull(),
  /** Weekday ("0" = Sunday … "6") -> intervals. */
  week: jsonb("week").$type<Record<string, DayInterval[]>>().notNull(),
  holidays: jsonb("holidays").$type<Holiday[]>().notNull().default([]),
  isDefault: boolean("is_default").notNull().default(false),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export type SlaCondition = {
  field: string;
  op: "is" | "is_not" | "in" | "contains" | "gt" | "lt";
  value: string | string[];
};
export type SlaTargetSpec = { minutes: number; goalMinutes: number | null; business: boolean };
export type SlaTargets = {
  firstResponse: SlaTargetSpec | null;
  nextResponse: SlaTargetSpec | null;
  resolution: SlaTargetSpec | null;
};
export type SlaEscalation = {
  type: "notify" | "reassign" | "raise_priority" | "notify_manager";
  userId?: string | null;
};

/** SLA policies, tried in `position` order; the first whose conditions all match applies. */
export const slaPolicies = pgTable(
  "sla_policies",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull(),
    position: integer("position").notNull().default(0),
    active: boolean("active").notNull().default(true),
    conditions: jsonb("conditions").$type<SlaCondition[]>().notNull().default([]),
    calendarId: uuid("calendar_id").references(() => businessCalendars.id, { onDelete: "set null" }),
    targets: jsonb("targets").$type<SlaTargets>().notNull(),
    /** Statuses in which the clocks stop (waiting on the customer). */
    pauseStatuses: text("pause_statuses").array().notNull().default(sql`'{pending,on_hold}'::text[]`),
    /** A warning fires this many minutes before a breach. */
    warnMinutes: integer("warn_minutes").notNull().default(60),
    escalations: jsonb("escalations").$type<SlaEscalation[]>().notNull().default([]),
    isDefault: boolean("is_default").notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("sla_policies_position_idx").on(t.position)],
);

/**
 * One SLA clock of a ticket: a metric (first_response, next_response cycle n, resolution)
 * with its due and goal times, the business time consumed before the running segment, the
 * pauses, and the outcome (met/breached with the actual times) kept for reports.
 */
export const slaTargets = pgTable(
  "sla_targets",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    ticketId: uuid("ticket_id")
      .notNull()
      .references(() => tickets.id, { onDelete: "cascade" }),
    policyId: uuid("policy_id").references(() => slaPolicies.id, { onDelete: "set null" }),
    metric: text("metric").notNull(),
    cycle: integer("cycle").notNull().default(0),
    /** active | met | breached (still running, later met) | cancelled */
    status: text("status").notNull().default("active"),
    business: boolean("business").notNull(),
    targetMs: bigint("target_ms", { mode: "number" }).notNull(),
    goalMs: bigint("goal_ms", { mode: "number" }),
    startedAt: tstz("started_at").notNull(),
    /** Start of the running segment; null while paused. */
    runStartedAt: tstz("run_started_at"),
    /** Business (or calendar) time consumed before runStartedAt. */
    consumedMs: bigint("consumed_ms", { mode: "number" }).notNull().default(0),
    pausedSince: tstz("paused_since"),
    pausedMs: bigint("paused_ms", { mode: "number" }).notNull().default(0),
    dueAt: tstz("due_at"),
    goalAt: tstz("goal_at"),
    warnAt: tstz("warn_at"),
    warnedAt: tstz("warned_at"),
    breachedAt: tstz("breached_at"),
    metAt: tstz("met_at"),
    /** Time the target took, counted as it is measured (business or calendar), pauses excluded. */
    elapsedMs: bigint("elapsed_ms", { mode: "number" }),
    metGoal: boolean("met_goal"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("sla_targets_ticket_metric_cycle").on(t.ticketId, t.metric, t.cycle),
    // The sweep: running clocks due (breach) or to warn, in time order.
    index("sla_targets_due_idx")
      .on(t.dueAt)
      .where(sql`breached_at is null and met_at is null and due_at is not null`),
    index("sla_targets_warn_idx")
      .on(t.warnAt)
      .where(sql`warned_at is null and met_at is null and breached_at is null and warn_at is not null`),
  ],
);

/** "Pending until": the ticket comes back to its assignee at `until` unless the customer replies first. */
export const slaSnoozes = pgTable(
  "sla_snoozes",
  {
    ticketId: uuid("ticket_id")
      .primaryKey()
      .references(() => tickets.id, { onDelete: "cascade" }),
    until: tstz("until").notNull(),
    userId: uuid("user_id").references(() => users.id, { onDelete: "set null" }),
    /** woken | replied | cancelled, null while waiting. */
    outcome: text("outcome"),
    firedAt: tstz("fired_at"),
    createdAt: createdAt(),
  },
  (t) => [index("sla_snoozes_until_idx").on(t.until).where(sql`fired_at is null`)],
);
