import { and, asc, eq, isNull } from "drizzle-orm";
import type { Ctx } from "../../context.ts";
import { enqueue } from "../../jobs/queue.ts";
import { badRequest } from "../../lib/errors.ts";
import { userTimeZone } from "../planner/planner.service.ts";
import { asStaff, loadVisibleTicket, updateTicket } from "../tickets/tickets.service.ts";
import { instantOfWallClock } from "./business-hours.ts";
import type { TPendingUntil, TSlaTarget, TTicketSla } from "./sla.schema.ts";
import { slaPolicies, slaSnoozes, slaTargets } from "./sla.table.ts";
import { SNOOZE_JOB } from "./sweep.ts";

const iso = (d: Date | null) => d?.toISOString() ?? null;
type Target = typeof slaTargets.$inferSelect;

export const targetOut = (t: Target): TSlaTarget => ({
  id: t.id,
  metric: t.metric as TSlaTarget["metric"],
  cycle: t.cycle,
  status: t.status as TSlaTarget["status"],
  business: t.business,
  targetMinutes: t.targetMs / 60_000,
  goalMinutes: t.goalMs !== null ? t.goalMs / 60_000 : null,
  startedAt: t.startedAt.toISOString(),
  dueAt: iso(t.dueAt),
  goalAt: iso(t.goalAt),
  paused: !t.metAt && !!t.pausedSince,
  pausedMs: t.pausedMs,
  warnedAt: iso(t.warnedAt),
  breachedAt: iso(t.breachedAt),
  metAt: iso(t.metAt),
  elapsedMs: t.elapsedMs,
  metGoal: t.metGoal,
});

/** The SLA state of a running clock set: breached, at risk (past the goal or warned), on track, paused. */
export function slaState(targets: Target[], now: Date): TTicketSla["state"] {
  const running = targets.filter((t) => !t.metAt && t.status !== "cancelled");
  if (running.length === 0) return "none";
  if (running.some((t) => t.breachedAt || (t.dueAt && t.dueAt <= now))) return "breached";
  const active = running.filter((t) => t.dueAt);
  if (active.length === 0) return "paused";
  if (active.some((t) => (t.goalAt && t.goalAt <= now) || (t.warnAt && t.warnAt <= now))) return "at_risk";
  return "on_track";
}

export async function ticketSla(ctx: Ctx, ticketId: string): Promise<TTicketSla> {
  const actor = asStaff(ctx.actor);
  await loadVisibleTicket(ctx.db, actor, ticketId);
  const rows = await ctx.db
    .select()
    .from(slaTargets)
    .where(eq(slaTargets.ticketId, ticketId))
    .orderBy(asc(slaTargets.startedAt), asc(slaTargets.metric), asc(slaTargets.cycle));
  const latest = [...rows].reverse().find((r) => r.policyId);
  const [policy] = latest?.policyId
    ? await ctx.db
        .select({ id: slaPolicies.id, name: slaPolicies.name })
        .from(slaPolicies)
        .where(eq(slaPolicies.id, latest.policyId))
    : [];
  const [snooze] = await ctx.db
    .select()
    .from(slaSnoozes)
    .where(and(eq(slaSnoozes.ticketId, ticketId), isNull(slaSnoozes.firedAt)));
  const running = rows.filter((r) => !r.metAt && r.status !== "cancelled" && r.dueAt);
  const next = running.map((r) => r.dueAt as Date).sort((a, b) => a.getTime() - b.getTime())[0] ?? null;
  return {
    policy: policy ?? null,
    nextDueAt: iso(next),
    state: slaState(rows, ctx.now()),
    targets: rows.map(targetOut),
    pendingUntil: iso(snooze?.until ?? null),
  };
}

/**
 * Pending until: the ticket goes to `pending` and comes back to its assignee at that time
 * (a job with runAt, and the sweep as a safety net), unless the customer replies first.
 * A date without a time means 09:00 in the assignee's time zone (the caller's without one).
 */
export async function setPendingUntil(ctx: Ctx, ticketId: string, input: TPendingUntil): Promise<TTicketSla> {
  const actor = asStaff(ctx.actor);
  const ticket = await loadVisibleTicket(ctx.db, actor, ticketId);
  const now = ctx.now();
  let until: Date;
  if (input.until) until = new Date(input.until);
  else {
    const who = ticket.assigneeId ?? (actor.kind === "agent" ? actor.userId : null);
    const tz = who ? await userTimeZone(ctx.db, who) : "UTC";
    const [y, m, d] = (input.date as string).split("-").map(Number);
    const [hh, mm] = (input.time ?? "09:00").split(":").map(Number);
    until = new Date(instantOfWallClock(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1, hh ?? 9, mm ?? 0), tz));
  }
  if (until.getTime() <= now.getTime())
    throw badRequest("The date must be in the future", { field: "until" });
  if (until.getTime() > now.getTime() + 366 * 86_400_000)
    throw badRequest("At most a year ahead", { field: "until" });
  if (ticket.status !== "pending") await updateTicket(ctx, ticketId, { status: "pending" });
  await ctx.db.transaction(async (tx) => {
    const userId = ticket.assigneeId ?? (actor.kind === "agent" ? actor.userId : null);
    await tx
      .insert(slaSnoozes)
      .values({ ticketId, until, userId, createdAt: now })
      .onConflictDoUpdate({
        target: slaSnoozes.ticketId,
        set: { until, userId, outcome: null, firedAt: null, createdAt: now },
      });
    await enqueue(
      tx,
      SNOOZE_JOB,
      { ticketId },
      { runAt: until, dedupeKey: `${ticketId}:${until.toISOString()}` },
    );
  });
  return ticketSla(ctx, ticketId);
}

export async function clearPendingUntil(ctx: Ctx, ticketId: string): Promise<TTicketSla> {
  const actor = asStaff(ctx.actor);
  await loadVisibleTicket(ctx.db, actor, ticketId);
  await ctx.db
    .update(slaSnoozes)
    .set({ firedAt: ctx.now(), outcome: "cancelled" })
    .where(and(eq(slaSnoozes.ticketId, ticketId), isNull(slaSnoozes.firedAt)));
  return ticketSla(ctx, ticketId);
}
