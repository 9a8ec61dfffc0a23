import type { CallbackSource } from "@rapport/shared";
import { and, asc, eq, isNull, lte, type SQL, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { AgentActor } from "../../auth/actor.ts";
import { callbackScope, can, requireAgent, requireCan } from "../../auth/policies.ts";
import type { Ctx } from "../../context.ts";
import type { DbOrTx } from "../../db/client.ts";
import { enqueue } from "../../jobs/queue.ts";
import { decodeCursor, encodeCursor } from "../../lib/cursor.ts";
import { badRequest, notFound } from "../../lib/errors.ts";
import { e164, matchContact } from "../channels/match.ts";
import { contacts } from "../contacts/contacts.table.ts";
import { notify } from "../notifications/notifications.service.ts";
import { teams } from "../teams/teams.table.ts";
import { tickets } from "../tickets/tickets.table.ts";
import { withTransaction } from "../tickets/unit-of-work.ts";
import { users } from "../users/users.table.ts";
import type { TCallback, TCallbackOutcome, TCallbackQuery, TUpdateCallback } from "./phone.schema.ts";
import { callbacks } from "./phone.table.ts";

export const REMINDER_JOB = "phone.callback.reminder";
/** A call-back without a window is kept on time when first tried within this after its due time. */
export const ON_TIME_GRACE_MS = 15 * 60_000;
/** The furthest ahead a call-back may be asked for. */
const MAX_AHEAD_MS = 90 * 24 * 3600_000;

export type CallbackRow = typeof callbacks.$inferSelect;

export type RequestCallbackInput = {
  name?: string;
  phone: string;
  email?: string;
  contactId?: string;
  windowStart?: Date | string;
  windowEnd?: Date | string;
  topic?: string;
  source: CallbackSource;
  ticketId?: string;
  teamId?: string | null;
  assigneeId?: string | null;
};

const assignee = alias(users, "cb_assignee");

const canSee = (actor: AgentActor, r: CallbackRow) => can(actor, "callback.read", r);

const toDate = (v: Date | string | undefined, field: string) => {
  if (v === undefined) return undefined;
  const d = v instanceof Date ? v : new Date(v);
  if (Number.isNaN(d.getTime())) throw badRequest("Not a valid date and time", { field });
  return d;
};

/** Schedules the assignee's reminder at the due time (one job per call-back and due time). */
async function scheduleReminder(tx: DbOrTx, row: CallbackRow) {
  await enqueue(
    tx,
    REMINDER_JOB,
    { callbackId: row.id, dueAt: row.dueAt.toISOString() },
    { runAt: row.dueAt, dedupeKey: `${row.id}@${row.dueAt.toISOString()}`, maxAttempts: 3 },
  );
}

/**
 * Puts a call-back in the queue. Called by the agent API and, without an agent, by the
 * chat widget, the web form and the portal (`source`). The phone must parse to E.164;
 * the contact is `contactId`, else matched by email then phone, else created. The due
 * time is the start of the preferred window, or now.
 */
export async function requestCallback(ctx: Ctx, input: RequestCallbackInput): Promise<CallbackRow> {
  const phone = e164(input.phone);
  const now = ctx.now();
  const windowStart = toDate(input.windowStart, "windowStart");
  const windowEnd = toDate(input.windowEnd, "windowEnd");
  if (windowStart && windowEnd && windowEnd <= windowStart)
    throw badRequest("The window must end after it starts", { field: "windowEnd" });
  if (windowEnd && windowEnd <= now) throw badRequest("The window is in the past", { field: "windowEnd" });
  if (windowStart && windowStart.getTime() > now.getTime() + MAX_AHEAD_MS)
    throw badRequest("A call-back can be asked for at most 90 days ahead", { field: "windowStart" });
  const topic = (input.topic ?? "").slice(0, 2000);
  const agent = ctx.actor.kind === "agent" ? ctx.actor : null;
  const run = async (tx: DbOrTx) => {
    let contactId: string;
    if (input.contactId) {
      const [c] = await tx.select({ id: contacts.id }).from(contacts).where(eq(contacts.id, input.contactId));
      if (!c) throw notFound("Contact");
      contactId = c.id;
    } else {
      contactId = (await matchContact(tx, { email: input.email, phone, name: input.name })).id;
    }
    let teamId = input.teamId ?? null;
    if (input.ticketId) {
      const [t] = await tx
        .select({ id: tickets.id, teamId: tickets.teamId, assigneeId: tickets.assigneeId })
        .from(tickets)
        .where(eq(tickets.id, input.ticketId));
      if (!t || (agent && !can(agent, "team.use", { teamId: t.teamId }))) throw notFound("Ticket");
      if (input.teamId === undefined) teamId = t.teamId;
    }
    if (teamId) {
      const [team] = await tx.select({ id: teams.id }).from(teams).where(eq(teams.id, teamId));
      if (!team) throw notFound("Team");
      if (agent) requireCan(agent, "team.use", { teamId });
    }
    const assigneeId = input.assigneeId ?? null;
    if (assigneeId) await assertAssignee(tx, assigneeId);
    const [row] = await tx
      .insert(callbacks)
      .values({
        contactId,
        ticketId: input.ticketId ?? null,
        teamId,
        assigneeId,
        name: (input.name ?? "").trim().slice(0, 200),
        phone,
        email: input.email?.trim() || null,
        topic,
        source: input.source,
        windowStart: windowStart ?? null,
        windowEnd: windowEnd ?? null,
        dueAt: windowStart && windowStart > now ? windowStart : now,
        createdById: agent?.userId ?? null,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    if (!row) throw new Error("insert returned nothing");
    await scheduleReminder(tx, row);
    return row;
  };
  return ctx.db.transaction(run);
}

async function assertAssignee(tx: DbOrTx, userId: string) {
  const [u] = await tx.select({ active: users.active }).from(users).where(eq(users.id, userId));
  if (!u) throw notFound("Assignee");
  if (!u.active) throw badRequest("The assignee is deactivated", { field: "assigneeId" });
}

function selectCallbacks(db: DbOrTx) {
  return db
    .select({
      cb: callbacks,
      contactName: contacts.name,
      ticketNumber: tickets.number,
      ticketSubject: tickets.subject,
      teamName: teams.name,
      assigneeName: assignee.name,
    })
    .from(callbacks)
    .innerJoin(contacts, eq(contacts.id, callbacks.contactId))
    .leftJoin(tickets, eq(tickets.id, callbacks.ticketId))
    .leftJoin(teams, eq(teams.id, callbacks.teamId))
    .leftJoin(assignee, eq(assignee.id, callbacks.assigneeId));
}
type Selected = Awaited<ReturnType<ReturnType<typeof selectCallbacks>["execute"]>>[number];

const iso = (d: Date | null) => d?.toISOString() ?? null;

function toCallback(r: Selected, now: Date): TCallback {
  const c = r.cb;
  return {
    id: c.id,
    contact: { id: c.contactId, name: r.contactName },
    ticket:
      c.ticketId && r.ticketNumber !== null
        ? { id: c.ticketId, number: Number(r.ticketNumber), subject: r.ticketSubject ?? "" }
        : null,
    team: c.teamId ? { id: c.teamId, name: r.teamName ?? "" } : null,
    assignee: c.assigneeId ? { id: c.assigneeId, name: r.assigneeName ?? "" } : null,
    name: c.name,
    phone: c.phone,
    email: c.email,
    topic: c.topic,
    source: c.source as TCallback["source"],
    windowStart: iso(c.windowStart),
    windowEnd: iso(c.windowEnd),
    dueAt: c.dueAt.toISOString(),
    status: c.status as TCallback["status"],
    outcome: c.outcome,
    attempts: c.attempts,
    overdue: c.status === "open" && c.dueAt.getTime() < now.getTime() - ON_TIME_GRACE_MS,
    firstAttemptAt: iso(c.firstAttemptAt),
    completedAt: iso(c.completedAt),
    remindedAt: iso(c.remindedAt),
    createdAt: c.createdAt.toISOString(),
  };
}

/** One call-back in its API shape, if the agent may see it (else 404). */
export async function getCallback(ctx: Ctx, id: string): Promise<TCallback> {
  const actor = requireAgent(ctx.actor);
  const [r] = await selectCallbacks(ctx.db).where(and(eq(callbacks.id, id), callbackScope(actor)));
  if (!r) throw notFound("Call-back");
  return toCallback(r, ctx.now());
}

/** Loads and locks a visible call-back for a change. */
export async function loadVisibleCallback(tx: DbOrTx, actor: AgentActor, id: string) {
  const [row] = await tx.select().from(callbacks).where(eq(callbacks.id, id)).for("update");
  if (!row || !canSee(actor, row)) throw notFound("Call-back");
  return row;
}

/** The queue: by due time (soonest first), keyset-paged. */
export async function listCallbacks(ctx: Ctx, q: TCallbackQuery) {
  const actor = requireAgent(ctx.actor);
  const now = ctx.now();
  const conds: Array<SQL | undefined> = [eq(callbacks.status, q.status), callbackScope(actor)];
  if (q.assignee === "me") conds.push(eq(callbacks.assigneeId, actor.userId));
  else if (q.assignee === "unassigned") conds.push(isNull(callbacks.assigneeId));
  else if (q.assignee) conds.push(eq(callbacks.assigneeId, q.assignee));
  if (q.overdue === "true") conds.push(lte(callbacks.dueAt, new Date(now.getTime() - ON_TIME_GRACE_MS)));
  if (q.cursor) {
    const [at, id] = decodeCursor(q.cursor, 2);
    if (typeof at !== "string" || typeof id !== "string" || Number.isNaN(Date.parse(at)))
      throw badRequest("Invalid cursor");
    conds.push(sql`(${callbacks.dueAt}, ${callbacks.id}) > (${new Date(at)}::timestamptz, ${id}::uuid)`);
  }
  const rows = await selectCallbacks(ctx.db)
    .where(and(...conds))
    .orderBy(asc(callbacks.dueAt), asc(callbacks.id))
    .limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    items: page.map((r) => toCallback(r, now)),
    nextCursor:
      rows.length > q.limit && last ? encodeCursor([last.cb.dueAt.toISOString(), last.cb.id]) : null,
  };
}

export async function updateCallback(ctx: Ctx, id: string, patch: TUpdateCallback): Promise<TCallback> {
  const actor = requireAgent(ctx.actor);
  await ctx.db.transaction(async (tx) => {
    const row = await loadVisibleCallback(tx, actor, id);
    const set: Partial<CallbackRow> = { updatedAt: ctx.now() };
    if (patch.assigneeId !== undefined) {
      if (patch.assigneeId) await assertAssignee(tx, patch.assigneeId);
      // Agents assign to themselves; managers and admins dispatch to anyone.
      requireCan(actor, "callback.assign", { userId: patch.assigneeId });
      set.assigneeId = patch.assigneeId;
      set.remindedAt = null;
    }
    if (patch.teamId !== undefined) {
      if (patch.teamId) {
        const [team] = await tx.select({ id: teams.id }).from(teams).where(eq(teams.id, patch.teamId));
        if (!team) throw notFound("Team");
        requireCan(actor, "team.use", { teamId: patch.teamId });
      }
      set.teamId = patch.teamId;
    }
    if (patch.topic !== undefined) set.topic = patch.topic;
    if (patch.dueAt !== undefined) {
      if (row.status !== "open") throw badRequest("Only an open call-back can be rescheduled");
      set.dueAt = new Date(patch.dueAt);
      set.remindedAt = null;
    }
    if (patch.status === "cancelled") {
      if (row.status !== "open") throw badRequest("This call-back is already closed");
      set.status = "cancelled";
      set.outcome = "cancelled";
      set.completedAt = ctx.now();
    }
    const [updated] = await tx.update(callbacks).set(set).where(eq(callbacks.id, id)).returning();
    if (updated && updated.status === "open" && (patch.dueAt !== undefined || patch.assigneeId !== undefined))
      await scheduleReminder(tx, updated);
  });
  return getCallback(ctx, id);
}

/**
 * Records an attempt's outcome on a locked call-back row (the call itself is logged by
 * the caller): reached and wrong number close it; no answer puts it back in the queue at
 * `retryAt` with a new reminder.
 */
export async function applyOutcome(tx: DbOrTx, ctx: Ctx, row: CallbackRow, o: TCallbackOutcome) {
  const now = ctx.now();
  if (row.status !== "open") throw badRequest("This call-back is already closed");
  let retryAt: Date | null = null;
  if (o.outcome === "no_answer") {
    if (!o.retryAt) throw badRequest("Say when to try again", { field: "retryAt" });
    retryAt = new Date(o.retryAt);
    if (retryAt <= now) throw badRequest("The retry time must be in the future", { field: "retryAt" });
    if (retryAt.getTime() > now.getTime() + MAX_AHEAD_MS)
      throw badRequest("The retry time is too far ahead", { field: "retryAt" });
  } else if (o.retryAt) {
    throw badRequest("A retry time goes with the outcome no_answer only", { field: "retryAt" });
  }
  const [updated] = await tx
    .update(callbacks)
    .set({
      attempts: sql`${callbacks.attempts} + 1`,
      firstAttemptAt: row.firstAttemptAt ?? now,
      outcome: o.outcome,
      updatedAt: now,
      ...(retryAt ? { dueAt: retryAt, remindedAt: null } : { status: "done", completedAt: now }),
    })
    .where(eq(callbacks.id, row.id))
    .returning();
  if (updated && retryAt) await scheduleReminder(tx, updated);
  return updated;
}

/**
 * The reminder job: at the due time, if the call-back is still open, still due at that
 * time and assigned, the assignee is reminded (the reminder shows in their app, and a
 * `callback.due` notice goes to the notification centre).
 */
export async function runReminder(ctx: Ctx, payload: { callbackId: string; dueAt: string }) {
  await withTransaction(ctx, async (uow) => {
    const { tx } = uow;
    const [row] = await tx.select().from(callbacks).where(eq(callbacks.id, payload.callbackId)).for("update");
    if (row?.status !== "open" || row.dueAt.toISOString() !== payload.dueAt) return;
    if (!row.assigneeId || row.remindedAt) return;
    await tx.update(callbacks).set({ remindedAt: ctx.now() }).where(eq(callbacks.id, row.id));
    await notify(uow, [
      {
        userId: row.assigneeId,
        kind: "callback.due",
        contactId: row.contactId,
        subject: { type: "callback", id: row.id },
        link: "/callbacks",
        dedupeKey: `callback:${row.id}:${payload.dueAt}`,
        params: { name: row.name, phone: row.phone, dueAt: payload.dueAt },
      },
    ]);
  });
}

/** The agent's due reminders: open call-backs assigned to them whose reminder fired. */
export async function myReminders(ctx: Ctx) {
  const actor = requireAgent(ctx.actor);
  const now = ctx.now();
  const rows = await selectCallbacks(ctx.db)
    .where(
      and(
        eq(callbacks.assigneeId, actor.userId),
        eq(callbacks.status, "open"),
        sql`${callbacks.remindedAt} is not null`,
      ),
    )
    .orderBy(asc(callbacks.dueAt))
    .limit(50);
  return { items: rows.map((r) => toCallback(r, now)) };
}

/**
 * When a call-back is first due, the deadline of its first attempt (the window's end, or the
 * grace after the due time without a window) and whether it was tried by then; shared with
 * the reports' overview.
 */
const callbackDeadline = sql`coalesce(${callbacks.windowEnd}, coalesce(${callbacks.windowStart}, ${callbacks.createdAt}) + ${ON_TIME_GRACE_MS} * interval '1 millisecond')`;
export const callbackTiming = {
  deadline: callbackDeadline,
  firstDue: sql`coalesce(${callbacks.windowStart}, ${callbacks.createdAt})`,
  onTime: sql`(${callbacks.firstAttemptAt} is not null and ${callbacks.firstAttemptAt} <= ${callbackDeadline})`,
};

/**
 * Call-backs kept on time for those due in [from, to): on time when the first attempt
 * came by the end of the preferred window (or within the grace after the due time
 * without a window); missed when still untried and past that point.
 */
export async function callbackReport(ctx: Ctx, q: { from: string; to: string }) {
  const actor = requireAgent(ctx.actor);
  const from = new Date(q.from);
  const to = new Date(q.to);
  if (to <= from) throw badRequest("'to' must be after 'from'", { field: "to" });
  if (to.getTime() - from.getTime() > 400 * 24 * 3600_000)
    throw badRequest("The period is limited to 400 days", { field: "to" });
  const now = ctx.now();
  const { deadline, firstDue, onTime } = callbackTiming;
  const rows = await ctx.db
    .select({
      assigneeId: callbacks.assigneeId,
      assigneeName: assignee.name,
      due: sql<number>`count(*)::int`,
      onTime: sql<number>`count(*) filter (where ${onTime})::int`,
      late: sql<number>`count(*) filter (where ${callbacks.firstAttemptAt} > ${deadline})::int`,
      missed: sql<number>`count(*) filter (where ${callbacks.firstAttemptAt} is null and ${callbacks.status} = 'open' and ${deadline} < ${now}::timestamptz)::int`,
      reached: sql<number>`count(*) filter (where ${callbacks.outcome} = 'reached')::int`,
      wrongNumber: sql<number>`count(*) filter (where ${callbacks.outcome} = 'wrong_number')::int`,
    })
    .from(callbacks)
    .leftJoin(assignee, eq(assignee.id, callbacks.assigneeId))
    .where(
      and(
        sql`${firstDue} >= ${from}::timestamptz`,
        sql`${firstDue} < ${to}::timestamptz`,
        sql`${callbacks.status} <> 'cancelled'`,
        callbackScope(actor),
      ),
    )
    .groupBy(callbacks.assigneeId, assignee.name);
  const sum = (k: "due" | "onTime" | "late" | "missed" | "reached" | "wrongNumber") =>
    rows.reduce((n, r) => n + Number(r[k]), 0);
  const due = sum("due");
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    due,
    onTime: sum("onTime"),
    late: sum("late"),
    missed: sum("missed"),
    reached: sum("reached"),
    wrongNumber: sum("wrongNumber"),
    onTimeRate: due > 0 ? sum("onTime") / due : null,
    byAgent: rows
      .filter((r) => r.assigneeId)
      .map((r) => ({
        agent: { id: r.assigneeId as string, name: r.assigneeName ?? "" },
        due: Number(r.due),
        onTime: Number(r.onTime),
      })),
  };
}
