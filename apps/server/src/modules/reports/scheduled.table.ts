import { index, integer, pgTable, smallint, text, uuid } from "drizzle-orm/pg-core";
import { createdAt, tstz, updatedAt } from "../../db/columns.ts";
import { teams } from "../teams/teams.table.ts";
import { users } from "../users/users.table.ts";

/**
 * A scheduled report email (docs/reports-and-csat.md, "Scheduled reports"): the dashboard's
 * figures and charts for the last day or week, sent at `hour` (and `weekday` for weekly) in the
 * organization's time zone to chosen users, each in their own language.
 */
export const reportSchedules = pgTable(
  "report_schedules",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull(),
    /** daily | weekly */
    frequency: text("frequency").notNull(),
    /** Weekly: 0 Sunday … 6 Saturday. */
    weekday: smallint("weekday"),
    /** 0-23 in the organization's time zone. */
    hour: smallint("hour").notNull(),
    /** null: the whole organization. */
    teamId: uuid("team_id").references(() => teams.id, { onDelete: "cascade" }),
    recipientIds: uuid("recipient_ids").array().notNull(),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    /** The run the queued job is for; a job whose time differs (the schedule changed) does nothing. */
    nextRunAt: tstz("next_run_at").notNull(),
    lastSentAt: tstz("last_sent_at"),
    sentCount: integer("sent_count").notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("report_schedules_created_idx").on(t.createdAt)],
);
