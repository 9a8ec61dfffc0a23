import { and, asc, count, eq, inArray, type SQLWrapper, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { actorRef, SYSTEM } from "../../auth/actor.ts";
import { requireAgent, requireCan } from "../../auth/policies.ts";
import type { Ctx } from "../../context.ts";
import type { DbOrTx } from "../../db/client.ts";
import { writeLater } from "../../db/deferred.ts";
import { prepared } from "../../db/prepared.ts";
import { badRequest, notFound } from "../../lib/errors.ts";
import { notify } from "../notifications/notifications.service.ts";
import { teamMembers, teams } from "../teams/teams.table.ts";
import type { CreatedTicket, UpdatedTicket } from "../tickets/pipeline.ts";
import { type ChangingTicket, changeTicket } from "../tickets/ticket-changes.ts";
import { asStaff, loadVisibleTicket, updateTicket } from "../tickets/tickets.service.ts";
import type { Uow } from "../tickets/unit-of-work.ts";
import { users } from "../users/users.table.ts";
import { detectLanguage } from "./language.ts";
import type {
  TAgentRouting,
  TTeamRouting,
  TTransfer,
  TTransfers,
  TUpdateAgentRouting,
} from "./routing.schema.ts";
import { type RoutingMode, routingAgents, routingTeams, ticketTransfers } from "./routing.table.ts";

/** Unsolved statuses: what counts against an agent's capacity. */
export const LOAD_STATUSES = ["new", "open", "pending", "on_hold"] as const;
/** From this many transfers on, a ticket is a runaround: the next agent is warned, managers told. */
export const RUNAROUND_TRANSFERS = 2;

export type Candidate = {
  id: string;
  languages: string[];
  skills: string[];
  capacity: number | null;
  load: number;
  availability: "online" | "away" | "offline";
};

const base = (lang: string) => lang.toLowerCase().split("-")[0] ?? lang;
/** An agent who lists no language is taken to speak English only. */
export const speaks = (c: Pick<Candidate, "languages">, lang: string) =>
  c.languages.length === 0 ? base(lang) === "en" : c.languages.some((l) => base(l) === base(lang));

/**
 * Who gets the ticket: among online agents under their capacity who speak its language
 * and have every skill the ticket's tags ask for (a tag is a skill when some member of
 * the team lists it), round-robin after the cursor, or the least loaded (ties in
 * round-robin order). Pure, so the rules are unit-tested apart from the database.
 */
export function pickAgent(
  mode: Exclude<RoutingMode, "manual">,
  members: Candidate[],
  ticket: { language: string; tags: string[] },
  cursor: string | null,
): Candidate | null {
  const known = new Set(members.flatMap((m) => m.skills));
  const required = ticket.tags.filter((t) => known.has(t));
  const eligible = members
    .filter(
      (m) =>
        m.availability === "online" &&
        (m.capacity === null || m.load < m.capacity) &&
        speaks(m, ticket.language) &&
        required.every((s) => m.skills.includes(s)),
    )
    .sort((a, b) => (a.id < b.id ? -1 : 1));
  if (eligible.length === 0) return null;
  const after = cursor ? eligible.findIndex((m) => m.id > cursor) : 0;
  const order = after <= 0 ? eligible : [...eligible.slice(after), ...eligible.slice(0, after)];
  if (mode === "round_robin") return order[0] ?? null;
  const min = Math.min(...order.map((m) => m.load));
  return order.find((m) => m.load === min) ?? null;
}

/** A team's active members with what routing needs (language, skills, capacity, open tickets). */
function candidatesQuery(tx: DbOrTx, teamId: SQLWrapper) {
  return tx
    .select({
      id: users.id,
      languages: users.languages,
      availability: users.availability,
      skills: sql<string[]>`coalesce(${routingAgents.skills}, '{}'::text[])`.as("skills"),
      capacity: routingAgents.capacity,
      load: sql<number>`(select count(*)::int from tickets t where t.assignee_id = ${users.id}
        and t.status in ('new', 'open', 'pending', 'on_hold'))`.as("load"),
    })
    .from(teamMembers)
    .innerJoin(users, eq(users.id, teamMembers.userId))
    .leftJoin(routingAgents, eq(routingAgents.userId, users.id))
    .where(and(eq(teamMembers.teamId, teamId), eq(users.active, true)));
}

/**
 * The team's routing row, locked for the decision, and its members, in one statement (a named
 * statement: every routed ticket sends it).
 */
const lockTeam = prepared("routing_team_lock", (tx) => {
  const teamId = sql.placeholder("team");
  return tx
    .select({
      mode: routingTeams.mode,
      lastUserId: routingTeams.lastUserId,
      members: sql<
        Candidate[]
      >`(select coalesce(json_agg(m), '[]'::json) from (${candidatesQuery(tx, teamId)}) m)`,
    })
    .from(routingTeams)
    .where(eq(routingTeams.teamId, teamId))
    .for("update");
});

/**
 * Assigns a team's unassigned ticket automatically, if the team routes. The team's routing
 * row is locked for the decision, so concurrent tickets of one team take turns and each
 * sees the assignments committed before it. Returns the chosen agent's id.
 */
export async function routeTicket(uow: Uow, item: ChangingTicket): Promise<string | null> {
  const { tx, ctx } = uow;
  const ticket = item.ticket;
  if (!ticket.teamId || ticket.assigneeId || ticket.status === "solved" || ticket.status === "closed")
    return null;
  const [team] = await lockTeam(tx, { team: ticket.teamId });
  if (!team || team.mode === "manual") return null;
  const language = ticket.language ?? detectLanguage(ticket.subject);
  // Tickets this unit assigned but has not written yet (creation) count against their agents,
  // and its cursor moves are written once, with the unit's last statement.
  const pending = await uow.memo("routing:unwritten", async () => new Map<string, number>());
  const cursors = await uow.memo("routing:cursors", async () => new Map<string, string>());
  const members = team.members.map((m) => ({
    ...m,
    load: Number(m.load) + (pending.get(m.id) ?? 0),
  }));
  const teamId = ticket.teamId;
  const chosen = pickAgent(
    team.mode,
    members,
    { language, tags: ticket.tags },
    cursors.get(teamId) ?? team.lastUserId,
  );
  const now = ctx.now();
  if (!chosen) {
    uow.record(
      ticket.id,
      "routing.unassigned",
      { teamId: ticket.teamId, language, members: members.length },
      SYSTEM,
    );
    return null;
  }
  cursors.set(teamId, chosen.id);
  uow.beforeCommit(`routing:cursor:${teamId}`, () =>
    writeLater(
      tx,
      tx
        .update(routingTeams)
        .set({ lastUserId: cursors.get(teamId) ?? chosen.id, lastAssignedAt: now, updatedAt: now })
        .where(eq(routingTeams.teamId, teamId))
        .getSQL(),
    ),
  );
  await changeTicket(
    uow,
    item,
    { assigneeId: chosen.id },
    { actor: SYSTEM, via: { via: "routing", mode: team.mode, language } },
  );
  if (item.deferred) pending.set(chosen.id, (pending.get(chosen.id) ?? 0) + 1);
  return chosen.id;
}

/** Records a transfer when a ticket leaves a team or an assignee, and warns about runarounds. */
async function recordTransfer(uow: Uow, { prev, ticket, changes, reason }: UpdatedTicket) {
  const { tx, ctx } = uow;
  // The new assignee hears about it, unless they took the ticket themselves.
  const by = ctx.actor.kind === "agent" ? ctx.actor.userId : null;
  if ("assigneeId" in changes && ticket.assigneeId && ticket.assigneeId !== by && !uow.quiet)
    await notify(uow, [
      {
        userId: ticket.assigneeId,
        kind: "ticket.assigned",
        ticketId: ticket.id,
        link: `/tickets/${ticket.id}`,
        params: {
          number: ticket.number,
          subject: ticket.subject,
          by: ctx.actor.kind === "agent" ? ctx.actor.name : null,
        },
      },
    ]);
  const teamMoved = "teamId" in changes && prev.teamId !== null;
  const assigneeMoved = "assigneeId" in changes && prev.assigneeId !== null;
  if (!teamMoved && !assigneeMoved) return;
  await tx.insert(ticketTransfers).values({
    ticketId: ticket.id,
    fromTeamId: prev.teamId,
    toTeamId: ticket.teamId,
    fromAssigneeId: prev.assigneeId,
    toAssigneeId: ticket.assigneeId,
    reason: reason ?? "",
    ...actorRef(ctx.actor),
    createdAt: ctx.now(),
  });
  const [row] = await tx
    .select({ n: count() })
    .from(ticketTransfers)
    .where(eq(ticketTransfers.ticketId, ticket.id));
  const n = Number(row?.n ?? 0);
  if (n < RUNAROUND_TRANSFERS) return;
  uow.record(ticket.id, "ticket.runaround", { transfers: n }, SYSTEM);
  // The next agent (the new assignee), the team's managers, or else the admins.
  const managers = ticket.teamId
    ? await tx
        .select({ id: users.id })
        .from(teamMembers)
        .innerJoin(users, eq(users.id, teamMembers.userId))
        .where(and(eq(teamMembers.teamId, ticket.teamId), eq(users.role, "manager"), eq(users.active, true)))
    : [];
  const bosses =
    managers.length > 0
      ? managers
      : await tx
          .select({ id: users.id })
          .from(users)
          .where(and(eq(users.role, "admin"), eq(users.active, true)));
  const to = new Set([...bosses.map((b) => b.id), ...(ticket.assigneeId ? [ticket.assigneeId] : [])]);
  if (to.size === 0) return;
  await notify(
    uow,
    [...to].map((userId) => ({
      userId,
      kind: "ticket.runaround" as const,
      ticketId: ticket.id,
      link: `/tickets/${ticket.id}`,
      params: { number: ticket.number, subject: ticket.subject, transfers: n },
    })),
  );
}

/** Creation step: a team's new ticket is assigned (after triggers, which may have set the team). */
export async function routeOnCreate(uow: Uow, items: CreatedTicket[]) {
  for (const item of items) if (item.ticket.teamId && !item.ticket.assigneeId) await routeTicket(uow, item);
}

/**
 * Update step: a ticket moved to a team without an assignee is routed; a ticket that left a
 * team or an assignee is recorded as a transfer (with the assignee routing chose).
 */
export async function routeOnUpdate(uow: Uow, items: UpdatedTicket[]) {
  for (const item of items) {
    const { ticket, changes } = item;
    if ("teamId" in changes && ticket.teamId && !ticket.assigneeId && ticket.messageCount > 0)
      await routeTicket(uow, item);
    await recordTransfer(uow, item);
  }
}

// ---- API services ----

export async function listTeamRouting(ctx: Ctx): Promise<TTeamRouting[]> {
  requireAgent(ctx.actor);
  const rows = await ctx.db
    .select({
      id: teams.id,
      name: teams.name,
      mode: routingTeams.mode,
      lastAssignedAt: routingTeams.lastAssignedAt,
    })
    .from(teams)
    .leftJoin(routingTeams, eq(routingTeams.teamId, teams.id))
    .orderBy(asc(teams.name));
  return rows.map((r) => ({
    teamId: r.id,
    name: r.name,
    mode: r.mode ?? "manual",
    lastAssignedAt: r.lastAssignedAt?.toISOString() ?? null,
  }));
}

export async function setTeamRouting(ctx: Ctx, teamId: string, mode: RoutingMode): Promise<TTeamRouting> {
  requireCan(ctx.actor, "routing.manage");
  const [team] = await ctx.db.select().from(teams).where(eq(teams.id, teamId));
  if (!team) throw notFound("Team");
  const [row] = await ctx.db
    .insert(routingTeams)
    .values({ teamId, mode })
    .onConflictDoUpdate({ target: routingTeams.teamId, set: { mode, updatedAt: ctx.now() } })
    .returning();
  return { teamId, name: team.name, mode, lastAssignedAt: row?.lastAssignedAt?.toISOString() ?? null };
}

const agentSelect = {
  id: users.id,
  name: users.name,
  role: users.role,
  active: users.active,
  availability: users.availability,
  languages: users.languages,
  skills: sql<string[]>`coalesce(${routingAgents.skills}, '{}'::text[])`,
  capacity: routingAgents.capacity,
  load: sql<number>`(select count(*)::int from tickets t where t.assignee_id = ${users.id}
    and t.status in ('new', 'open', 'pending', 'on_hold'))`,
};
type AgentRow = { [K in keyof typeof agentSelect]: unknown } & Record<string, unknown>;
const toAgentRouting = (r: AgentRow) => ({ ...(r as unknown as TAgentRouting), load: Number(r.load) });

export async function listAgentRouting(ctx: Ctx): Promise<TAgentRouting[]> {
  requireCan(ctx.actor, "routing.manage");
  const rows = await ctx.db
    .select(agentSelect)
    .from(users)
    .leftJoin(routingAgents, eq(routingAgents.userId, users.id))
    .orderBy(asc(users.name));
  return rows.map(toAgentRouting);
}

export async function setAgentRouting(
  ctx: Ctx,
  userId: string,
  input: TUpdateAgentRouting,
): Promise<TAgentRouting> {
  requireCan(ctx.actor, "routing.manage");
  return ctx.db.transaction(async (tx) => {
    const [u] = await tx.select({ id: users.id }).from(users).where(eq(users.id, userId));
    if (!u) throw notFound("User");
    if (input.languages)
      await tx
        .update(users)
        .set({ languages: input.languages, updatedAt: ctx.now() })
        .where(eq(users.id, userId));
    const values = {
      ...(input.skills ? { skills: [...new Set(input.skills)] } : {}),
      ...(input.capacity !== undefined ? { capacity: input.capacity } : {}),
    };
    await tx
      .insert(routingAgents)
      .values({ userId, ...values })
      .onConflictDoUpdate({ target: routingAgents.userId, set: { ...values, updatedAt: ctx.now() } });
    const [row] = await tx
      .select(agentSelect)
      .from(users)
      .leftJoin(routingAgents, eq(routingAgents.userId, users.id))
      .where(eq(users.id, userId));
    if (!row) throw notFound("User");
    return toAgentRouting(row);
  });
}

/** Moves a ticket to another team and/or assignee with a reason (recorded as a transfer). */
export async function transferTicket(
  ctx: Ctx,
  ticketId: string,
  input: { teamId?: string | null; assigneeId?: string | null; reason: string },
) {
  if (input.teamId === undefined && input.assigneeId === undefined)
    throw badRequest("Give a team or an assignee to transfer to", { field: "teamId" });
  return updateTicket(
    ctx,
    ticketId,
    {
      ...(input.teamId !== undefined ? { teamId: input.teamId } : {}),
      ...(input.assigneeId !== undefined ? { assigneeId: input.assigneeId } : {}),
    },
    { reason: input.reason },
  );
}

const fromTeam = alias(teams, "from_team");
const toTeam = alias(teams, "to_team");
const fromUser = alias(users, "from_user");
const toUser = alias(users, "to_user");
const actorUser = alias(users, "actor_user");

export async function listTransfers(ctx: Ctx, ticketId: string): Promise<TTransfers> {
  const actor = asStaff(ctx.actor);
  await loadVisibleTicket(ctx.db, actor, ticketId);
  const rows = await ctx.db
    .select({
      t: ticketTransfers,
      fromTeam: fromTeam.name,
      toTeam: toTeam.name,
      fromUser: fromUser.name,
      toUser: toUser.name,
      actorName: actorUser.name,
    })
    .from(ticketTransfers)
    .leftJoin(fromTeam, eq(fromTeam.id, ticketTransfers.fromTeamId))
    .leftJoin(toTeam, eq(toTeam.id, ticketTransfers.toTeamId))
    .leftJoin(fromUser, eq(fromUser.id, ticketTransfers.fromAssigneeId))
    .leftJoin(toUser, eq(toUser.id, ticketTransfers.toAssigneeId))
    .leftJoin(actorUser, eq(actorUser.id, ticketTransfers.actorId))
    .where(eq(ticketTransfers.ticketId, ticketId))
    .orderBy(asc(ticketTransfers.id))
    .limit(500);
  const ref = (id: string | null, name: string | null) => (id ? { id, name: name ?? "" } : null);
  const items: TTransfer[] = rows.map((r) => ({
    id: r.t.id,
    fromTeam: ref(r.t.fromTeamId, r.fromTeam),
    toTeam: ref(r.t.toTeamId, r.toTeam),
    fromAssignee: ref(r.t.fromAssigneeId, r.fromUser),
    toAssignee: ref(r.t.toAssigneeId, r.toUser),
    reason: r.t.reason,
    actor: { type: r.t.actorType, id: r.t.actorId, name: r.actorName },
    createdAt: r.t.createdAt.toISOString(),
  }));
  return { count: items.length, runaround: items.length >= RUNAROUND_TRANSFERS, items };
}

/** Transfer counts of many tickets at once (inbox badges). */
export async function transferCounts(db: DbOrTx, ticketIds: string[]) {
  if (ticketIds.length === 0) return new Map<string, number>();
  const rows = await db
    .select({ ticketId: ticketTransfers.ticketId, n: count() })
    .from(ticketTransfers)
    .where(inArray(ticketTransfers.ticketId, ticketIds))
    .groupBy(ticketTransfers.ticketId);
  return new Map(rows.map((r) => [r.ticketId, Number(r.n)]));
}
