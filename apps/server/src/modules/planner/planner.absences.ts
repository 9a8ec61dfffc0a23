import { and, desc, eq, inArray, isNull, lte, or } from "drizzle-orm";
import { can, requireCan } from "../../auth/policies.ts";
import type { Ctx } from "../../context.ts";
import type { DbOrTx } from "../../db/client.ts";
import { enqueue } from "../../jobs/queue.ts";
import type { JobHandlers } from "../../jobs/worker.ts";
import { badRequest, notFound } from "../../lib/errors.ts";
import type { DomainEvent } from "../../realtime/bus.ts";
import { asStaff, writeEvent } from "../tickets/tickets.service.ts";
import { tickets } from "../tickets/tickets.table.ts";
import { users } from "../users/users.table.ts";
import { addDays, instantOf } from "./planner.rules.ts";
import type { TAbsence, TCreateAbsence } from "./planner.schema.ts";
import { userTimeZone } from "./planner.service.ts";
import { absenceTicketHandovers, plannedContacts, plannerAbsences } from "./planner.table.ts";

export const ABSENCE_START_JOB = "planner.absence.start";
export const ABSENCE_END_JOB = "planner.absence.end";
/** Ticket statuses handed over: everything not yet solved. */
const OPEN_TICKET = ["new", "open", "pending", "on_hold"] as const;

type AbsenceRow = typeof plannerAbsences.$inferSelect;

const toAbsence = (a: AbsenceRow): TAbsence => ({
  id: a.id,
  agentId: a.agentId,
  coverId: a.coverId,
  from: a.fromDate,
  to: a.toDate,
  note: a.note,
  status: a.status as TAbsence["status"],
  createdAt: a.createdAt.toISOString(),
});

const canSeeAbsence = (ctx: Ctx, a: AbsenceRow) => can(asStaff(ctx.actor), "absence.read", a);

async function activeUser(db: DbOrTx, id: string, field: string) {
  const [u] = await db.select({ active: users.active }).from(users).where(eq(users.id, id));
  if (!u) throw notFound("User");
  if (!u.active) throw badRequest("This user is deactivated", { field });
}

/**
 * Records an absence and schedules its two boundaries on the job queue, in the same
 * transaction: the handover at the first day's midnight in the agent's zone, the
 * hand-back at the midnight after the last day. Each job is deduplicated per absence
 * and checks the absence's status, so each boundary happens exactly once.
 */
export async function createAbsence(ctx: Ctx, input: TCreateAbsence): Promise<TAbsence> {
  const actor = asStaff(ctx.actor);
  const me = actor.kind === "agent" ? actor.userId : undefined;
  const agentId = input.agentId ?? me;
  if (!agentId) throw badRequest("agentId is required", { field: "agentId" });
  requireCan(actor, "absence.record", { userId: agentId });
  if (agentId === input.coverId) throw badRequest("An agent cannot cover themselves", { field: "coverId" });
  const row = await ctx.db.transaction(async (tx) => {
    await activeUser(tx, agentId, "agentId");
    await activeUser(tx, input.coverId, "coverId");
    const [a] = await tx
      .insert(plannerAbsences)
      .values({
        agentId,
        coverId: input.coverId,
        fromDate: input.from,
        toDate: input.to,
        note: input.note,
        createdById: me ?? null,
        createdAt: ctx.now(),
        updatedAt: ctx.now(),
      })
      .returning();
    if (!a) throw new Error("insert returned nothing");
    const tz = await userTimeZone(tx, agentId);
    const start = instantOf(input.from, "00:00", tz);
    await enqueue(
      tx,
      ABSENCE_START_JOB,
      { absenceId: a.id },
      { runAt: new Date(Math.max(start.getTime(), ctx.now().getTime())), dedupeKey: a.id },
    );
    return a;
  });
  return toAbsence(row);
}

export async function listAbsences(ctx: Ctx) {
  const actor = asStaff(ctx.actor);
  const me = actor.kind === "agent" ? actor.userId : "";
  const rows = await ctx.db
    .select()
    .from(plannerAbsences)
    .where(
      can(actor, "plans.readAll")
        ? undefined
        : or(eq(plannerAbsences.agentId, me), eq(plannerAbsences.coverId, me)),
    )
    .orderBy(desc(plannerAbsences.fromDate))
    .limit(500);
  return { items: rows.map(toAbsence) };
}

/** Cancels an absence: a scheduled one never starts; an active one hands everything back now. */
export async function cancelAbsence(ctx: Ctx, id: string): Promise<TAbsence> {
  const actor = asStaff(ctx.actor);
  const events: DomainEvent[] = [];
  const row = await ctx.db.transaction(async (tx) => {
    const [a] = await tx.select().from(plannerAbsences).where(eq(plannerAbsences.id, id)).for("update");
    if (!a || !canSeeAbsence(ctx, a)) throw notFound("Absence");
    requireCan(actor, "absence.cancel", a);
    if (a.status === "active") events.push(...(await handBackAbsence(tx, ctx, a)));
    if (a.status === "scheduled" || a.status === "active") {
      const [u] = await tx
        .update(plannerAbsences)
        .set({ status: "cancelled", updatedAt: ctx.now() })
        .where(eq(plannerAbsences.id, id))
        .returning();
      return u ?? a;
    }
    return a;
  });
  for (const e of events) ctx.bus.publish(e);
  return toAbsence(row);
}

/** The handover: the absent agent's open plan and open tickets go to the colleague. */
async function handOverAbsence(tx: DbOrTx, ctx: Ctx, a: AbsenceRow): Promise<DomainEvent[]> {
  await tx
    .update(plannedContacts)
    .set({ coverId: a.coverId, coverAbsenceId: a.id, updatedAt: ctx.now() })
    .where(
      and(
        eq(plannedContacts.ownerId, a.agentId),
        eq(plannedContacts.status, "planned"),
        isNull(plannedContacts.coverId),
        // everything due by the end of the absence, missed ones included
        lte(plannedContacts.date, a.toDate),
      ),
    );
  const moved = await tx
    .update(tickets)
    .set({ assigneeId: a.coverId, updatedAt: ctx.now() })
    .where(and(eq(tickets.assigneeId, a.agentId), inArray(tickets.status, [...OPEN_TICKET])))
    .returning({ id: tickets.id, teamId: tickets.teamId, status: tickets.status });
  const events: DomainEvent[] = [];
  for (const t of moved) {
    await tx.insert(absenceTicketHandovers).values({ absenceId: a.id, ticketId: t.id }).onConflictDoNothing();
    await writeEvent(
      tx,
      t.id,
      ctx.actor,
      "ticket.handover",
      { absenceId: a.id, assigneeId: { from: a.agentId, to: a.coverId } },
      ctx.now(),
    );
    events.push({
      type: "ticket.updated",
      ticketId: t.id,
      teamId: t.teamId,
      assigneeId: a.coverId,
      status: t.status,
      changes: { assigneeId: { from: a.agentId, to: a.coverId } },
    });
  }
  return events;
}

/** The hand-back: what the colleague still holds for this absence returns to the agent. */
async function handBackAbsence(tx: DbOrTx, ctx: Ctx, a: AbsenceRow): Promise<DomainEvent[]> {
  await tx
    .update(plannedContacts)
    .set({ coverId: null, coverAbsenceId: null, updatedAt: ctx.now() })
    .where(eq(plannedContacts.coverAbsenceId, a.id));
  const handed = await tx
    .select({ ticketId: absenceTicketHandovers.ticketId })
    .from(absenceTicketHandovers)
    .where(and(eq(absenceTicketHandovers.absenceId, a.id), isNull(absenceTicketHandovers.returnedAt)));
  const events: DomainEvent[] = [];
  if (handed.length === 0) return events;
  const ids = handed.map((h) => h.ticketId);
  // Only tickets the colleague still holds go back; one someone reassigned meanwhile stays where it is.
  const back = await tx
    .update(tickets)
    .set({ assigneeId: a.agentId, updatedAt: ctx.now() })
    .where(and(inArray(tickets.id, ids), eq(tickets.assigneeId, a.coverId)))
    .returning({ id: tickets.id, teamId: tickets.teamId, status: tickets.status });
  await tx
    .update(absenceTicketHandovers)
    .set({ returnedAt: ctx.now() })
    .where(and(eq(absenceTicketHandovers.absenceId, a.id), isNull(absenceTicketHandovers.returnedAt)));
  for (const t of back) {
    await writeEvent(
      tx,
      t.id,
      ctx.actor,
      "ticket.handback",
      { absenceId: a.id, assigneeId: { from: a.coverId, to: a.agentId } },
      ctx.now(),
    );
    events.push({
      type: "ticket.updated",
      ticketId: t.id,
      teamId: t.teamId,
      assigneeId: a.agentId,
      status: t.status,
      changes: { assigneeId: { from: a.coverId, to: a.agentId } },
    });
  }
  return events;
}

/** Runs one boundary of an absence exactly once: the status moves scheduled -> active -> ended. */
async function runBoundary(ctx: Ctx, absenceId: string, boundary: "start" | "end") {
  const events = await ctx.db.transaction(async (tx) => {
    const [a] = await tx
      .select()
      .from(plannerAbsences)
      .where(eq(plannerAbsences.id, absenceId))
      .for("update");
    if (!a) return [];
    if (boundary === "start") {
      if (a.status !== "scheduled") return [];
      const evs = await handOverAbsence(tx, ctx, a);
      await tx
        .update(plannerAbsences)
        .set({ status: "active", updatedAt: ctx.now() })
        .where(eq(plannerAbsences.id, a.id));
      const tz = await userTimeZone(tx, a.agentId);
      await enqueue(
        tx,
        ABSENCE_END_JOB,
        { absenceId: a.id },
        { runAt: instantOf(addDays(a.toDate, 1), "00:00", tz), dedupeKey: a.id },
      );
      return evs;
    }
    if (a.status !== "active") return [];
    const evs = await handBackAbsence(tx, ctx, a);
    await tx
      .update(plannerAbsences)
      .set({ status: "ended", updatedAt: ctx.now() })
      .where(eq(plannerAbsences.id, a.id));
    return evs;
  });
  for (const e of events) ctx.bus.publish(e);
}

const absenceIdOf = (payload: unknown) => {
  const id = (payload as { absenceId?: unknown }).absenceId;
  if (typeof id !== "string") throw new Error("absenceId missing");
  return id;
};

export const absenceJobHandlers: JobHandlers = {
  [ABSENCE_START_JOB]: { run: (ctx, job) => runBoundary(ctx, absenceIdOf(job.payload), "start") },
  [ABSENCE_END_JOB]: { run: (ctx, job) => runBoundary(ctx, absenceIdOf(job.payload), "end") },
};
