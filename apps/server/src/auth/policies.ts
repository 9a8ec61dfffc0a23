import { eq, inArray, isNull, or, type SQL } from "drizzle-orm";
import { forbidden, unauthenticated } from "../lib/errors.ts";
import { tickets } from "../modules/tickets/tickets.table.ts";
import type { Actor, AgentActor, SystemActor } from "./actor.ts";

/**
 * Authorization in one place. Visibility rules:
 * - admins and managers see every ticket;
 * - an agent sees tickets of their teams, tickets assigned to them, and tickets in
 *   no team yet (the shared triage pool);
 * - only admins manage users, teams, settings.
 * Objects an actor may not see answer 404, never 403, so their existence does not leak.
 */
export type Staff = AgentActor | SystemActor;

export function requireAgent(actor: Actor): AgentActor {
  if (actor.kind !== "agent") throw unauthenticated();
  return actor;
}

export function requireAdmin(actor: Actor): AgentActor {
  const agent = requireAgent(actor);
  if (agent.role !== "admin") throw forbidden("Only administrators may do this");
  return agent;
}

export const seesAllTickets = (actor: Staff) => actor.kind === "system" || actor.role !== "agent";

/** The WHERE condition limiting tickets to those the actor may see (undefined: all). */
export function ticketScope(actor: Staff): SQL | undefined {
  if (seesAllTickets(actor)) return undefined;
  const agent = actor as AgentActor;
  const conditions: SQL[] = [eq(tickets.assigneeId, agent.userId), isNull(tickets.teamId)];
  if (agent.teamIds.length > 0) conditions.push(inArray(tickets.teamId, agent.teamIds));
  return or(...conditions);
}

export function canSeeTicket(actor: Staff, t: { teamId: string | null; assigneeId: string | null }): boolean {
  if (seesAllTickets(actor)) return true;
  const agent = actor as AgentActor;
  return t.teamId === null || t.assigneeId === agent.userId || agent.teamIds.includes(t.teamId);
}

export type TicketPermissions = {
  reply: boolean;
  note: boolean;
  update: boolean;
  assignOthers: boolean;
  changeTeam: boolean;
};

/**
 * What the actor may do with a ticket they can see; the API returns it with the
 * ticket so the UI hides what is not allowed. A closed ticket is read-only (a
 * customer's reply to it opens a follow-up ticket instead).
 */
export function ticketPermissions(_actor: Staff, t: { status: string }): TicketPermissions {
  const open = t.status !== "closed";
  return { reply: open, note: true, update: open, assignOthers: open, changeTeam: open };
}

/** An agent may move a ticket only to a team they belong to; staff above may move it anywhere. */
export function canMoveToTeam(actor: Staff, teamId: string | null): boolean {
  if (seesAllTickets(actor) || teamId === null) return true;
  return (actor as AgentActor).teamIds.includes(teamId);
}
