import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  uuid,
} from "drizzle-orm/pg-core";
import { createdAt, tstz, updatedAt } from "../../db/columns.ts";
import { contacts } from "../contacts/contacts.table.ts";
import { promises } from "../promises/promises.table.ts";
import { teams } from "../teams/teams.table.ts";
import { tickets } from "../tickets/tickets.table.ts";
import { users } from "../users/users.table.ts";

/** Tables of the compensations module (exported through db/schema.ts); docs/compensation-and-tone.md. */

/** Kinds of compensation: the built-in ones plus kinds admins define (`builtin = false`). */
export const compensationKinds = pgTable("compensation_kinds", {
  key: text("key").primaryKey(),
  label: text("label").notNull(),
  builtin: boolean("builtin").notNull().default(false),
  active: boolean("active").notNull().default(true),
  createdAt: createdAt(),
});

/**
 * One limit rule: who it applies to (`scope` role | team | user and `scopeId`: the role's
 * name, the team's or the user's id), for one kind (or `*`) and currency. The most specific
 * rule wins: user, then the ticket's team, then the role; a kind before `*`.
 */
export const approvalLimits = pgTable(
  "approval_limits",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    scope: text("scope").notNull(),
    scopeId: text("scope_id").notNull(),
    kind: text("kind").notNull().default("*"),
    currency: text("currency").notNull(),
    perCaseMinor: bigint("per_case_minor", { mode: "number" }),
    perMonthMinor: bigint("per_month_minor", { mode: "number" }),
    unlimited: boolean("unlimited").notNull().default(false),
    updatedById: uuid("updated_by_id").references(() => users.id, { onDelete: "set null" }),
    updatedAt: updatedAt(),
  },
  (t) => [index("approval_limits_scope_idx").on(t.scope, t.scopeId)],
);

/** The approval chain, escalation time and the other settings (one row, id = 1). */
export const approvalSettings = pgTable("approval_settings", {
  id: integer("id").primaryKey().default(1),
  /** Ordered steps: "team_lead", "manager", "admin". */
  chain: jsonb("chain").$type<string[]>().notNull(),
  escalateAfterMinutes: integer("escalate_after_minutes").notNull().default(240),
  /** Roles whose grants never need approval. */
  unlimitedRoles: jsonb("unlimited_roles").$type<string[]>().notNull(),
  /** Hours until a granted compensation's promise is due. */
  promiseDueHours: integer("promise_due_hours").notNull().default(48),
  updatedAt: updatedAt(),
});

/** Each team's lead: the first approver of the chain for the team's tickets. */
export const teamLeads = pgTable("team_leads", {
  teamId: uuid("team_id")
    .primaryKey()
    .references(() => teams.id, { onDelete: "cascade" }),
  userId: uuid("user_id")
    .notNull()
    .references(() => users.id, { onDelete: "cascade" }),
});

/**
 * A compensation and its current state (granted | pending_approval | rejected | reversed).
 * The state is a projection of `compensation_audit`, which is append-only.
 */
export const compensations = pgTable(
  "compensations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    ticketId: uuid("ticket_id")
      .notNull()
      .references(() => tickets.id, { onDelete: "cascade" }),
    contactId: uuid("contact_id")
      .notNull()
      .references(() => contacts.id, { onDelete: "cascade" }),
    teamId: uuid("team_id").references(() => teams.id, { onDelete: "set null" }),
    agentId: uuid("agent_id")
      .notNull()
      .references(() => users.id),
    kind: text("kind").notNull(),
    currency: text("currency").notNull(),
    /** What the agent asked for. */
    requestedMinor: bigint("requested_minor", { mode: "number" }).notNull(),
    /** What was granted (the request, or a lower amount an approver set); null until then. */
    grantedMinor: bigint("granted_minor", { mode: "number" }),
    reason: text("reason").notNull(),
    status: text("status").notNull(),
    /** Calendar month (UTC) the request was made in: `YYYY-MM`. */
    month: text("month").notNull(),
    promiseId: uuid("promise_id").references(() => promises.id, { onDelete: "set null" }),
    /** The chain step deciding now (index into the chain) and when it escalates. */
    level: integer("level"),
    escalateAt: tstz("escalate_at"),
    decidedById: uuid("decided_by_id").references(() => users.id, { onDelete: "set null" }),
    decidedAt: tstz("decided_at"),
    decisionComment: text("decision_comment"),
    tellCustomer: boolean("tell_customer").notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [
    index("compensations_ticket_idx").on(t.ticketId, t.createdAt),
    index("compensations_contact_idx").on(t.contactId, t.createdAt),
    index("compensations_agent_month_idx").on(t.agentId, t.month),
    index("compensations_pending_idx").on(t.escalateAt).where(sql`status = 'pending_approval'`),
  ],
);

/**
 * What an agent granted on their own authority per calendar month, kind and currency. The row
 * is locked (`for update`) while a grant checks the monthly limit, so concurrent grants by one
 * agent are serialized and cannot pass the limit together.
 */
export const compensationMonthTotals = pgTable(
  "compensation_month_totals",
  {
    agentId: uuid("agent_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    month: text("month").notNull(),
    kind: text("kind").notNull(),
    currency: text("currency").notNull(),
    totalMinor: bigint("total_minor", { mode: "number" }).notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.agentId, t.month, t.kind, t.currency] })],
);

/**
 * Every grant, request, decision, escalation and reversal: who, when, amount, reason. No
 * foreign keys (an entry outlives what it describes) and a database trigger refuses UPDATE
 * and DELETE: a mistake is corrected by a new entry.
 */
export const compensationAudit = pgTable(
  "compensation_audit",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** Order of writing (entries of one instant keep their order). */
    seq: bigserial("seq", { mode: "number" }).notNull(),
    compensationId: uuid("compensation_id").notNull(),
    ticketId: uuid("ticket_id").notNull(),
    action: text("action").notNull(),
    actorId: uuid("actor_id"),
    amountMinor: bigint("amount_minor", { mode: "number" }),
    currency: text("currency").notNull(),
    note: text("note").notNull().default(""),
    data: jsonb("data").$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [index("compensation_audit_comp_idx").on(t.compensationId, t.createdAt)],
);
