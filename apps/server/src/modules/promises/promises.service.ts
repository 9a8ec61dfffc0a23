import { and, asc, eq, inArray, isNull, lt, or, type SQL, sql } from "drizzle-orm";
import type { Actor } from "../../auth/actor.ts";
import { can, requireAgent, requireCan, seesAllTickets, ticketScope } from "../../auth/policies.ts";
import type { Ctx } from "../../context.ts";
import type { DbOrTx } from "../../db/client.ts";
import { AppError, badRequest, notFound } from "../../lib/errors.ts";
import { contacts } from "../contacts/contacts.table.ts";
import { teamMembers, teams } from "../teams/teams.table.ts";
import type { UpdatedTicket } from "../tickets/pipeline.ts";
import { loadVisibleTicket, writeEvent } from "../tickets/tickets.service.ts";
import { tickets } from "../tickets/tickets.table.ts";
import type { Uow } from "../tickets/unit-of-work.ts";
import { users } from "../users/users.table.ts";
import type { TCreatePromise, TPromise, TPromiseQuery, TUpdatePromise } from "./promises.schema.ts";
import { promises } from "./promises.table.ts";

type Row = typeof promises.$inferSelect;

const select = (db: DbOrTx) =>
  db
    .select({
      p: promises,
      ticketNumber: tickets.number,
      ticketSubject: tickets.subject,
      contactName: contacts.name,
      ownerName: users.name,
    })
    .from(promises)
    .innerJoin(contacts, eq(contacts.id, promises.contactId))
    .innerJoin(users, eq(users.id, promises.ownerId))
    .leftJoin(tickets, eq(tickets.id, promises.ticketId));
type Selected = Awaited<ReturnType<ReturnType<typeof select>["execute"]>>[number];

const out = (r: Selected, now: Date): TPromise => ({
  id: r.p.id,
  ticket: r.p.ticketId
    ? { id: r.p.ticketId, number: Number(r.ticketNumber ?? 0), subject: r.ticketSubject ?? "" }
    : null,
  contact: { id: r.p.contactId, name: r.contactName },
  kind: r.p.kind as TPromise["kind"],
  description: r.p.description,
  amountMinor: r.p.amountMinor,
  currency: r.p.currency,
  percent: r.p.percent,
  owner: { id: r.p.ownerId, name: r.ownerName },
  dueAt: r.p.dueAt.toISOString(),
  remindAt: r.p.remindAt?.toISOString() ?? null,
  status: r.p.status as TPromise["status"],
  overdue: r.p.status === "open" && r.p.dueAt.getTime() < now.getTime(),
  completedAt: r.p.completedAt?.toISOString() ?? null,
  keptOnTime: r.p.keptOnTime,
  createdAt: r.p.createdAt.toISOString(),
});

/**
 * Who sees a promise: anyone who may see its ticket; promises without a ticket (made on a
 * contact) are visible to every agent, like the contact itself; owners always see theirs.
 */
function visibility(ctx: Ctx): SQL | undefined {
  const agent = requireAgent(ctx.actor);
  if (seesAllTickets(agent)) return undefined;
  const scope = ticketScope(agent);
  return or(
    eq(promises.ownerId, agent.userId),
    isNull(promises.ticketId),
    sql`exists (select 1 from tickets where tickets.id = ${promises.ticketId} and ${scope ?? sql`true`})`,
  );
}

async function load(ctx: Ctx, id: string): Promise<Selected> {
  const [row] = await select(ctx.db).where(and(eq(promises.id, id), visibility(ctx)));
  if (!row) throw notFound("Promise");
  return row;
}

async function activeUser(db: DbOrTx, id: string) {
  const [u] = await db.select({ id: users.id, active: users.active }).from(users).where(eq(users.id, id));
  if (!u) throw notFound("Owner");
  if (!u.active) throw badRequest("The owner is deactivated", { field: "ownerId" });
}

async function teamOf(db: DbOrTx, userId: string, ticketTeam: string | null): Promise<string | null> {
  const rows = await db
    .select({ teamId: teamMembers.teamId })
    .from(teamMembers)
    .where(eq(teamMembers.userId, userId));
  const ids = rows.map((r) => r.teamId);
  if (ticketTeam && ids.includes(ticketTeam)) return ticketTeam;
  return ids[0] ?? null;
}

export async function createPromise(ctx: Ctx, input: TCreatePromise): Promise<TPromise> {
  const agent = requireAgent(ctx.actor);
  const now = ctx.now();
  const dueAt = new Date(input.dueAt);
  if (dueAt.getTime() <= now.getTime())
    throw badRequest("The due time must be in the future", { field: "dueAt" });
  const id = await ctx.db.transaction(async (tx) => {
    let contactId = input.contactId;
    let ticketTeam: string | null = null;
    if (input.ticketId) {
      const t = await loadVisibleTicket(tx, agent, input.ticketId);
      if (contactId && contactId !== t.requesterId)
        throw badRequest("The contact is not the ticket's requester", { field: "contactId" });
      contactId = t.requesterId;
      ticketTeam = t.teamId;
    } else {
      const [c] = await tx
        .select({ id: contacts.id })
        .from(contacts)
        .where(eq(contacts.id, contactId as string));
      if (!c) throw notFound("Contact");
    }
    const ownerId = input.ownerId ?? agent.userId;
    await activeUser(tx, ownerId);
    const remindAt = new Date(Math.max(now.getTime(), dueAt.getTime() - input.remindMinutesBefore * 60_000));
    return insertPromise(tx, ctx.actor, {
      ticketId: input.ticketId ?? null,
      contactId: contactId as string,
      kind: input.kind,
      description: input.description,
      amountMinor: input.amountMinor ?? null,
      currency: input.currency ?? null,
      percent: input.percent ?? null,
      ownerId,
      teamId: await teamOf(tx, ownerId, ticketTeam),
      createdById: agent.userId,
      dueAt,
      remindAt,
      createdAt: now,
      updatedAt: now,
    });
  });
  return out(await load(ctx, id), now);
}

/**
 * Writes a promise row and its "promise.made" timeline event in the caller's transaction
 * (the API above; a granted compensation, which becomes a promise to the customer).
 */
export async function insertPromise(tx: DbOrTx, actor: Actor, values: typeof promises.$inferInsert) {
  const [row] = await tx.insert(promises).values(values).returning({ id: promises.id });
  if (!row) throw new Error("insert returned nothing");
  if (values.ticketId)
    await writeEvent(
      tx,
      values.ticketId,
      actor,
      "promise.made",
      { promiseId: row.id, kind: values.kind, dueAt: new Date(values.dueAt).toISOString() },
      values.createdAt instanceof Date ? values.createdAt : undefined,
    );
  return row.id;
}

export async function getPromise(ctx: Ctx, id: string): Promise<TPromise> {
  return out(await load(ctx, id), ctx.now());
}

export async function updatePromise(ctx: Ctx, id: string, patch: TUpdatePromise): Promise<TPromise> {
  requireAgent(ctx.actor);
  const now = ctx.now();
  const current = await load(ctx, id);
  if (current.p.status !== "open") throw badRequest("Only open promises can be changed", { field: "status" });
  const set: Partial<Row> = { updatedAt: now };
  if (patch.description !== undefined) set.description = patch.description;
  if (patch.ownerId) {
    await activeUser(ctx.db, patch.ownerId);
    set.ownerId = patch.ownerId;
    set.remindedAt = null;
  }
  if (patch.dueAt) {
    const due = new Date(patch.dueAt);
    if (due.getTime() <= now.getTime())
      throw badRequest("The due time must be in the future", { field: "dueAt" });
    const lead = current.p.remindAt ? current.p.dueAt.getTime() - current.p.remindAt.getTime() : 3600_000;
    set.dueAt = due;
    set.remindAt = new Date(Math.max(now.getTime(), due.getTime() - lead));
    set.remindedAt = null;
    set.overdueNotifiedAt = null;
  }
  if (patch.status) {
    set.status = patch.status;
    set.completedAt = now;
    set.keptOnTime =
      patch.status === "kept" ? now.getTime() <= (set.dueAt ?? current.p.dueAt).getTime() : null;
  }
  await ctx.db.transaction(async (tx) => {
    await tx
      .update(promises)
      .set(set)
      .where(and(eq(promises.id, id), eq(promises.status, "open")));
    if (current.p.ticketId && patch.status)
      await writeEvent(
        tx,
        current.p.ticketId,
        ctx.actor,
        `promise.${patch.status}`,
        { promiseId: id, keptOnTime: set.keptOnTime ?? null },
        now,
      );
  });
  return out(await load(ctx, id), now);
}

/** Promises by ticket, contact, owner ("me") and status ("overdue": open and past due), soonest due first. */
export async function listPromises(ctx: Ctx, q: TPromiseQuery): Promise<{ items: TPromise[] }> {
  const agent = requireAgent(ctx.actor);
  const now = ctx.now();
  const conds: Array<SQL | undefined> = [visibility(ctx)];
  if (q.ticketId) conds.push(eq(promises.ticketId, q.ticketId));
  if (q.contactId) conds.push(eq(promises.contactId, q.contactId));
  if (q.owner) conds.push(eq(promises.ownerId, q.owner === "me" ? agent.userId : q.owner));
  if (q.status === "overdue") conds.push(eq(promises.status, "open"), lt(promises.dueAt, now));
  else if (q.status) conds.push(eq(promises.status, q.status));
  const rows = await select(ctx.db)
    .where(and(...conds))
    .orderBy(asc(promises.dueAt), asc(promises.id))
    .limit(q.limit);
  return { items: rows.map((r) => out(r, now)) };
}

/**
 * Overdue promises for the caller: their own, plus, for managers, those of the members of
 * the teams they belong to, and for admins every one.
 */
export async function overduePromises(ctx: Ctx): Promise<{ items: TPromise[] }> {
  const agent = requireAgent(ctx.actor);
  const now = ctx.now();
  let owners: SQL | undefined = eq(promises.ownerId, agent.userId);
  if (can(agent, "promises.readAll")) owners = undefined;
  else if (can(agent, "promises.readTeams") && agent.teamIds.length > 0) {
    owners = or(
      eq(promises.ownerId, agent.userId),
      inArray(
        promises.ownerId,
        ctx.db
          .select({ id: teamMembers.userId })
          .from(teamMembers)
          .where(inArray(teamMembers.teamId, agent.teamIds)),
      ),
    );
  }
  const rows = await select(ctx.db)
    .where(and(eq(promises.status, "open"), lt(promises.dueAt, now), owners))
    .orderBy(asc(promises.dueAt))
    .limit(200);
  return { items: rows.map((r) => out(r, now)) };
}

/** Open promises of a ticket (the solve confirmation). */
export async function openPromisesOf(db: DbOrTx, ticketId: string) {
  return db
    .select({ id: promises.id, kind: promises.kind, dueAt: promises.dueAt })
    .from(promises)
    .where(and(eq(promises.ticketId, ticketId), eq(promises.status, "open")));
}

/**
 * Kept-on-time rate per agent or team over promises due in [from, to): kept on time /
 * (all promises that were due, cancelled ones excluded). Managers and admins only.
 */
export async function keptRate(ctx: Ctx, q: { from?: string; to?: string; groupBy: "agent" | "team" }) {
  requireCan(ctx.actor, "reports.read");
  const now = ctx.now();
  const from = q.from ? new Date(q.from) : new Date(now.getTime() - 30 * 86_400_000);
  const to = q.to ? new Date(q.to) : now;
  const key = q.groupBy === "agent" ? promises.ownerId : promises.teamId;
  const name =
    q.groupBy === "agent" ? sql<string>`max(${users.name})` : sql<string>`coalesce(max(${teams.name}), '')`;
  const base = ctx.db
    .select({
      id: key,
      name,
      total: sql<number>`count(*)::int`,
      kept: sql<number>`count(*) filter (where ${promises.status} = 'kept')::int`,
      keptOnTime: sql<number>`count(*) filter (where ${promises.keptOnTime})::int`,
      broken: sql<number>`count(*) filter (where ${promises.status} = 'open' or ${promises.keptOnTime} = false)::int`,
    })
    .from(promises)
    .leftJoin(users, eq(users.id, promises.ownerId))
    .leftJoin(teams, eq(teams.id, promises.teamId))
    .where(
      and(
        sql`${promises.dueAt} >= ${from}::timestamptz and ${promises.dueAt} < ${to}::timestamptz`,
        sql`${promises.status} <> 'cancelled'`,
        // Still open and not yet due: not counted either way.
        sql`not (${promises.status} = 'open' and ${promises.dueAt} >= ${now}::timestamptz)`,
      ),
    )
    .groupBy(key);
  const rows = await base;
  return {
    items: rows
      .map((r) => ({ ...r, rate: r.total > 0 ? r.keptOnTime / r.total : null }))
      .sort((a, b) => a.name.localeCompare(b.name)),
  };
}

/**
 * Update step: solving (or closing) a ticket with an open promise needs the agent's
 * confirmation: the update is refused with 409 `conflict` (details.reason "open_promises",
 * the promises) unless it carries confirm: ["open_promises"]. Automations (the system actor)
 * are not asked.
 */
export async function promisesOnUpdate(uow: Uow, items: UpdatedTicket[]) {
  if (uow.ctx.actor.kind !== "agent") return;
  for (const { ticket, changes, confirmations } of items) {
    if (!("status" in changes) || !["solved", "closed"].includes(ticket.status)) continue;
    if (confirmations.includes("open_promises")) continue;
    const open = await openPromisesOf(uow.tx, ticket.id);
    if (open.length === 0) continue;
    throw new AppError(
      "conflict",
      409,
      "This ticket has open promises to the customer; confirm to solve it anyway",
      {
        reason: "open_promises",
        promises: open.map((p) => ({ id: p.id, kind: p.kind, dueAt: p.dueAt.toISOString() })),
      },
    );
  }
}
