import { sql } from "drizzle-orm";
import { bigserial, index, integer, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { createdAt, tstz, updatedAt } from "../../db/columns.ts";
import { teams } from "../teams/teams.table.ts";
import { tickets } from "../tickets/tickets.table.ts";
import { users } from "../users/users.table.ts";

export const ROUTING_MODES = ["manual", "round_robin", "least_loaded"] as const;
export type RoutingMode = (typeof ROUTING_MODES)[number];

/**
 * A team's automatic assignment: its mode and the round-robin cursor. The row is locked
 * (`FOR UPDATE`) while a ticket is routed, so concurrent routings of one team queue up.
 */
export const routingTeams = pgTable("routing_teams", {
  teamId: uuid("team_id")
    .primaryKey()
    .references(() => teams.id, { onDelete: "cascade" }),
  mode: text("mode").$type<RoutingMode>().notNull().default("manual"),
  /** The member who received the team's last routed ticket (round-robin cursor). */
  lastUserId: uuid("last_user_id"),
  lastAssignedAt: tstz("last_assigned_at"),
  updatedAt: updatedAt(),
});

/** An agent's routing profile: skills (matched against ticket tags) and capacity (open tickets). */
export const routingAgents = pgTable("routing_agents", {
  userId: uuid("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  skills: text("skills").array().notNull().default(sql`'{}'::text[]`),
  /** At most this many unsolved tickets assigned; null: no limit. */
  capacity: integer("capacity"),
  updatedAt: updatedAt(),
});

/** Every change of a ticket's team or assignee away from a previous one, with its reason. */
export const ticketTransfers = pgTable(
  "ticket_transfers",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    ticketId: uuid("ticket_id")
      .notNull()
      .references(() => tickets.id, { onDelete: "cascade" }),
    fromTeamId: uuid("from_team_id"),
    toTeamId: uuid("to_team_id"),
    fromAssigneeId: uuid("from_assignee_id"),
    toAssigneeId: uuid("to_assignee_id"),
    reason: text("reason").notNull().default(""),
    actorType: text("actor_type").notNull(),
    actorId: uuid("actor_id"),
    createdAt: createdAt(),
  },
  (t) => [
    index("ticket_transfers_ticket_idx").on(t.ticketId, t.id),
    /** The reports' transfers per ticket in a period. */
    index("ticket_transfers_created_idx").on(t.createdAt),
  ],
);
