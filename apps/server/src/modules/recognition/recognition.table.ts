import { sql } from "drizzle-orm";
import { boolean, index, integer, jsonb, pgTable, primaryKey, real, text, uuid } from "drizzle-orm/pg-core";
import { createdAt, updatedAt } from "../../db/columns.ts";
import { teams } from "../teams/teams.table.ts";
import { users } from "../users/users.table.ts";

/** The weights of the recognition score (docs/reports-and-csat.md, "Recognition"). */
export type RecognitionWeights = {
  csat: number;
  firstResponse: number;
  resolution: number;
  promises: number;
  /** Points taken off per 100 % of solved tickets reopened. */
  reopened: number;
};

export const DEFAULT_WEIGHTS: RecognitionWeights = {
  csat: 40,
  firstResponse: 25,
  resolution: 15,
  promises: 20,
  reopened: 30,
};

/** Recognition per team, opt-in: off until an administrator turns it on. */
export const recognitionSettings = pgTable("recognition_settings", {
  teamId: uuid("team_id")
    .primaryKey()
    .references(() => teams.id, { onDelete: "cascade" }),
  enabled: boolean("enabled").notNull().default(false),
  /** The ranking visible to the team's members; off: each agent sees only their own figures. */
  publicBoard: boolean("public_board").notNull().default(false),
  weights: jsonb("weights")
    .$type<RecognitionWeights>()
    .notNull()
    .default(sql`'${sql.raw(JSON.stringify(DEFAULT_WEIGHTS))}'::jsonb`),
  /** Agents with fewer solved tickets in the month are shown but not ranked. */
  minSolved: integer("min_solved").notNull().default(5),
  updatedAt: updatedAt(),
});

/** A month's winners, recorded once by the monthly job (ties: every agent sharing first place). */
export const recognitionAwards = pgTable(
  "recognition_awards",
  {
    /** `YYYY-MM`, the month in the organization's time zone. */
    month: text("month").notNull(),
    teamId: uuid("team_id")
      .notNull()
      .references(() => teams.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    score: real("score").notNull(),
    figures: jsonb("figures").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.month, t.teamId, t.userId] }),
    index("recognition_awards_user_idx").on(t.userId, t.month),
  ],
);
