import { sql } from "drizzle-orm";
import { boolean, check, date, index, integer, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { createdAt, tstz, updatedAt } from "../../db/columns.ts";
import { contacts } from "../contacts/contacts.table.ts";
import { tickets } from "../tickets/tickets.table.ts";
import { users } from "../users/users.table.ts";

/**
 * A client's file in the tickler binder: the next contact with them, on a date
 * (optionally a time in a time zone). Done/missed/cancelled rows stay as history and
 * appear on the contact's timeline.
 */
export const plannedContacts = pgTable(
  "planned_contacts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    contactId: uuid("contact_id")
      .notNull()
      .references(() => contacts.id, { onDelete: "cascade" }),
    ownerId: uuid("owner_id")
      .notNull()
      .references(() => users.id),
    /** The colleague covering while the owner is away (set and cleared by absence handover). */
    coverId: uuid("cover_id").references(() => users.id, { onDelete: "set null" }),
    coverAbsenceId: uuid("cover_absence_id"),
    date: date("date", { mode: "string" }).notNull(),
    time: text("time"),
    timeZone: text("time_zone"),
    channel: text("channel").notNull().default("phone"),
    purpose: text("purpose").notNull().default(""),
    /** Notes carried from the last contact. */
    notes: text("notes").notNull().default(""),
    status: text("status").notNull().default("planned"),
    outcome: text("outcome"),
    completedAt: tstz("completed_at"),
    completedById: uuid("completed_by_id").references(() => users.id, { onDelete: "set null" }),
    previousId: uuid("previous_id"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check("planned_contacts_status", sql`${t.status} in ('planned','done','missed','cancelled')`),
    index("planned_contacts_owner_date_idx").on(t.ownerId, t.date, t.status),
    index("planned_contacts_cover_date_idx")
      .on(t.coverId, t.date, t.status)
      .where(sql`${t.coverId} is not null`),
    index("planned_contacts_contact_idx").on(t.contactId, t.date),
  ],
);

/** Per-agent planner settings: contacts per working day, reminders, the calendar feed's token. */
export const plannerSettings = pgTable("planner_settings", {
  userId: uuid("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  capacityPerDay: integer("capacity_per_day").notNull().default(8),
  /** Working weekdays, Sunday = 0; other days have no capacity. */
  workDays: integer("work_days").array().notNull().default(sql`'{1,2,3,4,5}'::int[]`),
  reminderEmail: boolean("reminder_email").notNull().default(false),
  /** sha256 of the iCalendar feed's secret token; null = no feed. */
  icalTokenHash: text("ical_token_hash"),
  updatedAt: updatedAt(),
});

/** A recurring cadence per client: after each contact the next one is filed automatically. */
export const plannerCadences = pgTable(
  "planner_cadences",
  {
    contactId: uuid("contact_id")
      .primaryKey()
      .references(() => contacts.id, { onDelete: "cascade" }),
    every: integer("every").notNull(),
    unit: text("unit").notNull(),
    anchorDay: integer("anchor_day"),
    updatedAt: updatedAt(),
  },
  (t) => [check("planner_cadences_unit", sql`${t.unit} in ('day','week','month')`)],
);

/** An agent's absence; a colleague covers their plan and open tickets for the period. */
export const plannerAbsences = pgTable(
  "planner_absences",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    agentId: uuid("agent_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    coverId: uuid("cover_id")
      .notNull()
      .references(() => users.id),
    fromDate: date("from_date", { mode: "string" }).notNull(),
    toDate: date("to_date", { mode: "string" }).notNull(),
    note: text("note").notNull().default(""),
    /** scheduled -> active (handed over) -> ended (handed back); or cancelled. */
    status: text("status").notNull().default("scheduled"),
    createdById: uuid("created_by_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check("planner_absences_status", sql`${t.status} in ('scheduled','active','ended','cancelled')`),
    check("planner_absences_range", sql`${t.fromDate} <= ${t.toDate}`),
    index("planner_absences_agent_idx").on(t.agentId, t.fromDate),
    index("planner_absences_cover_idx").on(t.coverId, t.fromDate),
  ],
);

/** Tickets handed to a colleague by an absence, so exactly those go back afterwards. */
export const absenceTicketHandovers = pgTable(
  "absence_ticket_handovers",
  {
    absenceId: uuid("absence_id")
      .notNull()
      .references(() => plannerAbsences.id, { onDelete: "cascade" }),
    ticketId: uuid("ticket_id")
      .notNull()
      .references(() => tickets.id, { onDelete: "cascade" }),
    returnedAt: tstz("returned_at"),
  },
  (t) => [uniqueIndex("absence_ticket_handovers_key").on(t.absenceId, t.ticketId)],
);
