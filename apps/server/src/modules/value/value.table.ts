import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  check,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { createdAt, tstz, updatedAt } from "../../db/columns.ts";
import { contacts, organizations } from "../contacts/contacts.table.ts";
import { orders } from "../orders/orders.table.ts";
import { plannedContacts } from "../planner/planner.table.ts";
import { teams } from "../teams/teams.table.ts";
import { users } from "../users/users.table.ts";

/**
 * Customer-value settings (one row, id 1), all changeable by an admin, and the figures the
 * nightly recompute leaves for the incremental one: the quintile breakpoints of R, F and M
 * and the organization's typical interval to a second purchase.
 */
export const valueSettings = pgTable(
  "value_settings",
  {
    id: integer("id").primaryKey().default(1),
    /** The organization's currency: M and lifetime spend are in its minor units. */
    baseCurrency: text("base_currency").notNull().default("USD"),
    /** Minor units of the base currency per minor unit of another currency ({"USD": 25.4}). */
    rates: jsonb("rates").$type<Record<string, number>>().notNull().default({}),
    windowMonths: integer("window_months").notNull().default(12),
    defaultIntervalDays: integer("default_interval_days").notNull().default(90),
    minCustomersForOrgInterval: integer("min_customers_for_org_interval").notNull().default(20),
    /** Reminders: how many days before I they fire, and how (planner | email | off). */
    reminderLeadDays: integer("reminder_lead_days").notNull().default(7),
    reminderMode: text("reminder_mode").notNull().default("planner"),
    /** The email reminder's template per language: { en: { subject, body }, vi: ... }. */
    reminderTemplate: jsonb("reminder_template")
      .$type<Record<string, { subject: string; body: string }>>()
      .notNull()
      .default({}),
    reminderOffer: text("reminder_offer").notNull().default(""),
    /** Whose planner gets a reminder for a customer without an account owner: this team's lead, else its first member. */
    reminderTeamId: uuid("reminder_team_id").references(() => teams.id, { onDelete: "set null" }),
    /** Loyalty earn rules and expiry. */
    pointsPerUnit: doublePrecision("points_per_unit").notNull().default(1),
    pointsPerOrder: integer("points_per_order").notNull().default(0),
    pointsPerSku: jsonb("points_per_sku").$type<Record<string, number>>().notNull().default({}),
    pointsExpiryMonths: integer("points_expiry_months").notNull().default(12),
    /** Left by the nightly recompute for the incremental one. */
    rBreaks: jsonb("r_breaks").$type<Array<number | null>>().notNull().default([]),
    fBreaks: jsonb("f_breaks").$type<Array<number | null>>().notNull().default([]),
    mBreaks: jsonb("m_breaks").$type<Array<number | null>>().notNull().default([]),
    orgIntervalDays: doublePrecision("org_interval_days").notNull().default(90),
    recomputedAt: tstz("recomputed_at"),
    updatedAt: updatedAt(),
  },
  (t) => [
    check("value_settings_single_row", sql`${t.id} = 1`),
    check("value_settings_reminder_mode", sql`${t.reminderMode} in ('planner','email','off')`),
  ],
);

/**
 * One row per customer with a purchase (or a tier, points or a relationship type): the
 * figures of the activity matrix. Written by the incremental refresh (one statement per
 * incoming order) and by the nightly recompute (set-based).
 */
export const customerValues = pgTable(
  "customer_values",
  {
    contactId: uuid("contact_id")
      .primaryKey()
      .references(() => contacts.id, { onDelete: "cascade" }),
    organizationId: uuid("organization_id").references(() => organizations.id, { onDelete: "set null" }),
    purchases: integer("purchases").notNull().default(0),
    firstPurchaseAt: tstz("first_purchase_at"),
    lastPurchaseAt: tstz("last_purchase_at"),
    /** Days between the first and the second purchase (the organization's interval uses them). */
    firstGapDays: doublePrecision("first_gap_days"),
    /** Purchases and spend (base currency, minor units) in the window. */
    frequency: integer("frequency").notNull().default(0),
    monetaryMinor: bigint("monetary_minor", { mode: "number" }).notNull().default(0),
    lifetimeMinor: bigint("lifetime_minor", { mode: "number" }).notNull().default(0),
    rScore: smallint("r_score"),
    fScore: smallint("f_score"),
    mScore: smallint("m_score"),
    segment: text("segment").notNull().default("no_purchase"),
    intervalDays: doublePrecision("interval_days").notNull().default(90),
    ownInterval: boolean("own_interval").notNull().default(false),
    nextReminderAt: tstz("next_reminder_at"),
    tierId: uuid("tier_id"),
    tierSince: tstz("tier_since"),
    points: integer("points").notNull().default(0),
    relationshipType: text("relationship_type"),
    relationshipSuggested: text("relationship_suggested"),
    relationshipConfirmedById: uuid("relationship_confirmed_by_id").references(() => users.id, {
      onDelete: "set null",
    }),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("customer_values_segment_idx").on(t.segment, t.contactId),
    index("customer_values_rf_idx").on(t.rScore, t.fScore, t.contactId),
    index("customer_values_reminder_idx").on(t.nextReminderAt),
  ],
);

/** Segment counts per quarter (the matrix page's trend), kept by the nightly recompute. */
export const rfmSnapshots = pgTable(
  "rfm_snapshots",
  {
    quarter: text("quarter").notNull(),
    segment: text("segment").notNull(),
    customers: integer("customers").notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.quarter, t.segment] })],
);

/**
 * Reminders before a customer lapses: one per customer per interval (the interval is named
 * by the last purchase it follows). pending -> done (planned contact filed / email queued) ->
 * converted when the customer bought again within the next interval; cancelled by a purchase
 * before it fired.
 */
export const valueReminders = pgTable(
  "value_reminders",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    contactId: uuid("contact_id")
      .notNull()
      .references(() => contacts.id, { onDelete: "cascade" }),
    lastPurchaseAt: tstz("last_purchase_at").notNull(),
    dueAt: tstz("due_at").notNull(),
    mode: text("mode").notNull(),
    status: text("status").notNull().default("done"),
    plannedContactId: uuid("planned_contact_id").references(() => plannedContacts.id, {
      onDelete: "set null",
    }),
    intervalDays: doublePrecision("interval_days").notNull(),
    convertedAt: tstz("converted_at"),
    convertedOrderId: uuid("converted_order_id").references(() => orders.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("value_reminders_interval_key").on(t.contactId, t.lastPurchaseAt),
    index("value_reminders_created_idx").on(t.createdAt.desc().nullsFirst()),
  ],
);

/** Loyalty tiers: thresholds over 12 months and the benefits agents and rules see. */
export const loyaltyTiers = pgTable(
  "loyalty_tiers",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull(),
    /** Higher ranks are better tiers. */
    rank: integer("rank").notNull(),
    minPoints: integer("min_points"),
    minSpendMinor: bigint("min_spend_minor", { mode: "number" }),
    discountPercent: integer("discount_percent").notNull().default(0),
    routingPriority: integer("routing_priority").notNull().default(0),
    benefits: text("benefits").notNull().default(""),
    color: text("color").notNull().default("gray"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("loyalty_tiers_rank_key").on(t.rank),
    uniqueIndex("loyalty_tiers_name_key").on(sql`lower(${t.name})`),
  ],
);

/**
 * The points ledger, append-only: earn (an order), grant (a person), redeem, expire, reverse
 * (an earning order cancelled or refunded). Points
 * are signed (debits negative). Expiry is first earned, first expired (value.loyalty.ts).
 */
export const loyaltyLedger = pgTable(
  "loyalty_ledger",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    contactId: uuid("contact_id")
      .notNull()
      .references(() => contacts.id, { onDelete: "cascade" }),
    kind: text("kind").notNull(),
    points: integer("points").notNull(),
    expiresAt: tstz("expires_at"),
    orderId: uuid("order_id").references(() => orders.id, { onDelete: "set null" }),
    reason: text("reason").notNull().default(""),
    actorId: uuid("actor_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [
    check("loyalty_ledger_kind", sql`${t.kind} in ('earn','grant','redeem','expire','reverse')`),
    check(
      "loyalty_ledger_sign",
      sql`(${t.kind} in ('earn','grant') and ${t.points} > 0) or (${t.kind} in ('redeem','expire','reverse') and ${t.points} < 0)`,
    ),
    index("loyalty_ledger_contact_idx").on(t.contactId, t.id),
    uniqueIndex("loyalty_ledger_order_key").on(t.orderId).where(sql`${t.kind} = 'earn'`),
    uniqueIndex("loyalty_ledger_reverse_key").on(t.orderId).where(sql`${t.kind} = 'reverse'`),
  ],
);
