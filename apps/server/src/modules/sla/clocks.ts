import { and, asc, eq, isNull, ne, or, sql } from "drizzle-orm";
import type { DbOrTx } from "../../db/client.ts";
import { deferredOf, writeLater } from "../../db/deferred.ts";
import { insertRows } from "../../db/prepared.ts";
import type { AddedMessage, CreatedTicket, TicketChanges, UpdatedTicket } from "../tickets/pipeline.ts";
import { pipelineSettings } from "../tickets/settings.ts";
import type { tickets } from "../tickets/tickets.table.ts";
import type { Uow } from "../tickets/unit-of-work.ts";
import { type Requester, readRequesters, requestersIn, valueFact } from "../value/value.facts.ts";
import { ALWAYS_OPEN, addBusinessTime, businessTimeBetween, type Calendar } from "./business-hours.ts";
import { defaultCalendar, defaultPolicy, type PolicyRow, toCalendar } from "./sla.service.ts";
import {
  businessCalendars,
  type SlaCondition,
  type SlaTargetSpec,
  slaPolicies,
  slaSnoozes,
  slaTargets,
} from "./sla.table.ts";

type Ticket = typeof tickets.$inferSelect;
type Target = typeof slaTargets.$inferSelect;
export type Metric = "first_response" | "next_response" | "resolution";
const SPEC_OF: Record<Metric, "firstResponse" | "nextResponse" | "resolution"> = {
  first_response: "firstResponse",
  next_response: "nextResponse",
  resolution: "resolution",
};
const CLOSED = ["solved", "closed"];
const MIN = 60_000;

// ---------- policy selection ----------

type Facts = {
  ticket: Ticket;
  contact: Record<string, unknown> | null;
  /** The requester's value figures (`value.*` conditions). */
  value?: Requester["value"] | null;
  now: Date;
};

const CONTACT_COLUMNS = ["name", "language", "timeZone", "organizationId", "tags"] as const;

function factOf(f: Facts, field: string): unknown {
  const t = f.ticket;
  switch (field) {
    case "priority":
      return t.priority;
    case "channel":
      return t.channel;
    case "team":
      return t.teamId;
    case "tag":
      return t.tags;
    case "language":
      return t.language;
    case "sentiment":
      return t.sentiment;
    case "worst_sentiment":
      return t.worstSentiment;
  }
  if (field.startsWith("contact.") && f.contact) {
    const key = field.slice(8);
    if ((CONTACT_COLUMNS as readonly string[]).includes(key)) return f.contact[key];
    const custom = f.contact.customFields as Record<string, unknown> | undefined;
    return custom?.[key];
  }
  if (field.startsWith("value.")) return valueFact(f.value, field.slice(6), f.now);
  // A ticket custom field (modules/fields), e.g. "ticket.contract_level".
  if (field.startsWith("ticket.")) {
    return t.customFields?.[field.slice(7)];
  }
  return undefined;
}

const norm = (v: unknown) => (v === null || v === undefined ? "" : String(v).toLowerCase());

/** Whether one condition holds; arrays (tags, multi-select fields) match when any element does. */
export function conditionHolds(c: SlaCondition, f: Facts): boolean {
  const actual = factOf(f, c.field);
  const values = (Array.isArray(c.value) ? c.value : [c.value]).map(norm);
  const actuals = Array.isArray(actual) ? actual.map(norm) : [norm(actual)];
  switch (c.op) {
    case "is":
    case "in":
      return actuals.some((a) => values.includes(a));
    case "is_not":
      return !actuals.some((a) => values.includes(a));
    case "contains":
      return actuals.some((a) => values.some((v) => v !== "" && a.includes(v)));
    case "gt":
    case "lt": {
      // Numbers only (a spend, a count, a score); a missing figure never matches.
      const a = typeof actual === "number" ? actual : Number.NaN;
      const v = Number(Array.isArray(c.value) ? c.value[0] : c.value);
      return c.op === "gt" ? a > v : a < v;
    }
  }
}

/** The active policies (position order) and the default one, read once; the default is created on first use. */
async function policyChoice(tx: DbOrTx, read?: PolicyRow[]) {
  const all =
    read ??
    (await tx
      .select()
      .from(slaPolicies)
      .where(or(eq(slaPolicies.isDefault, true), eq(slaPolicies.active, true)))
      .orderBy(asc(slaPolicies.position), asc(slaPolicies.createdAt)));
  const fallback = all.find((p) => p.isDefault) ?? (await defaultPolicy(tx));
  const rows = all.filter((p) => p.active && !p.isDefault);
  const needsContact = rows.some((p) =>
    p.conditions.some((c) => c.field.startsWith("contact.") || c.field.startsWith("value.")),
  );
  return {
    needsContact,
    /** The first policy whose conditions all hold; the default one otherwise. */
    pick: (facts: Facts) => rows.find((p) => p.conditions.every((c) => conditionHolds(c, facts))) ?? fallback,
  };
}

/** The policies, read once per unit of work. */
const choiceIn = (uow: Uow) =>
  uow.memo("sla:policies", async () => policyChoice(uow.tx, (await pipelineSettings(uow)).policies));

/** The first active policy (in position order) whose conditions all hold; the default one otherwise. */
export async function selectPolicy(
  tx: DbOrTx,
  ticket: Ticket,
  choice?: Awaited<ReturnType<typeof policyChoice>>,
  uow?: Uow,
): Promise<PolicyRow> {
  choice ??= await policyChoice(tx);
  let requester: Requester | undefined;
  if (choice.needsContact)
    requester = uow
      ? (await requestersIn(uow, [ticket.requesterId])).get(ticket.requesterId)
      : (await readRequesters(tx, [ticket.requesterId]))[0];
  return choice.pick({
    ticket,
    contact: (requester?.contact as Record<string, unknown> | undefined) ?? null,
    value: requester?.value ?? null,
    now: uow?.ctx.now() ?? new Date(),
  });
}

async function calendarOf(tx: DbOrTx, policy: PolicyRow, uow?: Uow): Promise<Calendar> {
  if (uow) {
    const { calendars } = await pipelineSettings(uow);
    const found = calendars.find((c) => c.id === policy.calendarId) ?? calendars.find((c) => c.isDefault);
    if (found) return toCalendar(found);
  }
  if (policy.calendarId) {
    const [c] = await tx.select().from(businessCalendars).where(eq(businessCalendars.id, policy.calendarId));
    if (c) return toCalendar(c);
  }
  return toCalendar(await defaultCalendar(tx));
}

// ---------- clock arithmetic (pure) ----------

type Clock = Pick<Target, "runStartedAt" | "consumedMs" | "targetMs" | "goalMs" | "business">;

/** Due, goal and warning instants of a running clock; all null while it is paused. */
export function schedule(c: Clock, cal: Calendar, warnMinutes: number) {
  if (!c.runStartedAt) return { dueAt: null, goalAt: null, warnAt: null };
  const k = c.business ? cal : ALWAYS_OPEN;
  const run = c.runStartedAt.getTime();
  const at = (ms: number) => new Date(ms > 0 ? addBusinessTime(k, run, ms) : run);
  const dueAt = at(c.targetMs - c.consumedMs);
  const goalAt = c.goalMs !== null ? at(c.goalMs - c.consumedMs) : null;
  return { dueAt, goalAt, warnAt: new Date(dueAt.getTime() - warnMinutes * MIN) };
}

/** Time counted so far (business or calendar), pauses excluded. */
export function consumedUntil(c: Clock, cal: Calendar, now: Date): number {
  if (!c.runStartedAt) return c.consumedMs;
  const k = c.business ? cal : ALWAYS_OPEN;
  return c.consumedMs + businessTimeBetween(k, c.runStartedAt.getTime(), now.getTime());
}

// ---------- persistence ----------

async function policyById(tx: DbOrTx, id: string | null): Promise<PolicyRow | null> {
  if (!id) return null;
  const [p] = await tx.select().from(slaPolicies).where(eq(slaPolicies.id, id));
  return p ?? null;
}

/**
 * A unit of work's running clocks per ticket: read (and locked) once, then kept current by the
 * updates below (`changed`), so the message step and the status step of one reply share a read.
 * A new clock drops the ticket's entry (`forgetTargets`).
 */
const unitTargets = new WeakMap<DbOrTx, Map<string, Target[]>>();
const isRunning = (t: Target) => !t.metAt && t.status !== "cancelled";

async function runningTargets(tx: DbOrTx, ticketId: string): Promise<Target[]> {
  const known = unitTargets.get(tx)?.get(ticketId);
  if (known) return known.filter(isRunning);
  const rows = await tx
    .select()
    .from(slaTargets)
    .where(
      and(eq(slaTargets.ticketId, ticketId), isNull(slaTargets.metAt), ne(slaTargets.status, "cancelled")),
    )
    .for("update");
  if (deferredOf(tx)) {
    const byTicket = unitTargets.get(tx) ?? new Map<string, Target[]>();
    unitTargets.set(tx, byTicket);
    byTicket.set(ticketId, rows);
  }
  return rows;
}

const forgetTargets = (tx: DbOrTx, ticketId: string) => unitTargets.get(tx)?.delete(ticketId);

/** Writes `set` to clock `t`, and to the unit's copy of it. */
async function changed(tx: DbOrTx, t: Target, set: Partial<Target>) {
  await tx.update(slaTargets).set(set).where(eq(slaTargets.id, t.id));
  Object.assign(t, set);
}

/** The row of a new clock of `metric` (paused from the start when the ticket's status pauses it). */
function newTarget(
  ticket: Ticket,
  policy: PolicyRow,
  cal: Calendar,
  metric: Metric,
  cycle: number,
  spec: SlaTargetSpec,
  now: Date,
  paused: boolean,
) {
  const clock = {
    runStartedAt: paused ? null : now,
    consumedMs: 0,
    targetMs: spec.minutes * MIN,
    goalMs: spec.goalMinutes !== null ? spec.goalMinutes * MIN : null,
    business: spec.business,
  };
  return {
    ticketId: ticket.id,
    policyId: policy.id,
    metric,
    cycle,
    startedAt: now,
    pausedSince: paused ? now : null,
    ...clock,
    ...schedule(clock, cal, policy.warnMinutes),
    createdAt: now,
    updatedAt: now,
  };
}

async function startTarget(tx: DbOrTx, ...args: Parameters<typeof newTarget>) {
  forgetTargets(tx, args[0].id);
  await tx
    .insert(slaTargets)
    .values(newTarget(...args))
    .onConflictDoNothing();
}

/** Starts the next cycle of a metric that runs again (next response, a reopened ticket's resolution). */
async function startNextCycle(
  tx: DbOrTx,
  ticket: Ticket,
  policy: PolicyRow,
  cal: Calendar,
  metric: Metric,
  spec: SlaTargetSpec,
  now: Date,
) {
  const [last] = await tx
    .select({ cycle: sql<number>`coalesce(max(${slaTargets.cycle}), 0)` })
    .from(slaTargets)
    .where(and(eq(slaTargets.ticketId, ticket.id), eq(slaTargets.metric, metric)));
  const cycle = Number(last?.cycle ?? 0) + 1;
  await startTarget(tx, ticket, policy, cal, metric, cycle, spec, now, isPaused(ticket.status, policy));
}

/**
 * A solved ticket taken back into work (the customer wrote again, or an agent reopened it):
 * the resolution promise starts over, as a new cycle, from now. The met cycle stays on record.
 */
async function restartResolution(
  tx: DbOrTx,
  prev: Ticket,
  ticket: Ticket,
  policy: PolicyRow,
  cal: Calendar,
  now: Date,
) {
  if (prev.status !== "solved" || CLOSED.includes(ticket.status) || !policy.targets.resolution) return;
  await startNextCycle(tx, ticket, policy, cal, "resolution", policy.targets.resolution, now);
}

/**
 * refreshNextDue once, however many changes ask for it: with the unit of work's last statement
 * (db/deferred.ts), as nothing in the unit reads next_due_at back.
 */
const refreshLater = (uow: Uow, ticketId: string, timings?: BusinessTimings) => {
  const pending = timingsOf.get(uow.tx) ?? new Map<string, BusinessTimings>();
  timingsOf.set(uow.tx, pending);
  if (timings) pending.set(ticketId, { ...pending.get(ticketId), ...timings });
  uow.beforeCommit(`sla:next-due:${ticketId}`, () =>
    writeLater(uow.tx, nextDueUpdate(ticketId, pending.get(ticketId))),
  );
};

/**
 * The ticket's stored business timings (tickets.first_response_business_seconds and
 * resolution_business_seconds, read by the reports): set with the next-due update, so keeping
 * them costs a ticket write no statement of its own.
 */
type BusinessTimings = { firstResponse?: number | null; resolution?: number | null };
const timingsOf = new WeakMap<DbOrTx, Map<string, BusinessTimings>>();

/**
 * Ends the ticket's "pending until" (if one is set) with the unit of work's last statement:
 * nothing in the unit reads it back, and when a unit ends it twice the last outcome stands.
 */
const snoozeEnds = new WeakMap<Uow["tx"], Map<string, { outcome: string; at: Date }>>();
function endSnooze(uow: Uow, ticketId: string, outcome: "replied" | "cancelled", at: Date) {
  const ends = snoozeEnds.get(uow.tx) ?? new Map<string, { outcome: string; at: Date }>();
  snoozeEnds.set(uow.tx, ends);
  ends.set(ticketId, { outcome, at });
  uow.beforeCommit(`sla:snooze:${ticketId}`, async () => {
    const end = ends.get(ticketId);
    if (!end) return;
    await writeLater(
      uow.tx,
      uow.tx
        .update(slaSnoozes)
        .set({ outcome: end.outcome, firedAt: end.at })
        .where(and(eq(slaSnoozes.ticketId, ticketId), isNull(slaSnoozes.firedAt)))
        .getSQL(),
    );
  });
}

/** tickets.next_due_at: the earliest due time of the ticket's unmet, running clocks (breached ones included). */
const nextDueUpdate = (ticketId: string, timings?: BusinessTimings) => sql`update tickets set next_due_at = (
      select min(due_at) from sla_targets
      where ticket_id = ${ticketId} and met_at is null and status <> 'cancelled' and due_at is not null)${
        timings?.firstResponse !== undefined
          ? sql`, first_response_business_seconds = ${timings.firstResponse}`
          : sql``
      }${timings?.resolution !== undefined ? sql`, resolution_business_seconds = ${timings.resolution}` : sql``}
    where id = ${ticketId}`;

const businessSeconds = (cal: Calendar, from: Date, to: Date) =>
  Math.round(businessTimeBetween(cal, from.getTime(), to.getTime()) / 1000);

/** What a write did to the ticket's first response and solve time, measured on `cal`. */
function timingsAfter(before: Ticket, after: Ticket, cal: Calendar): BusinessTimings | undefined {
  const out: BusinessTimings = {};
  if (after.firstResponseAt && !before.firstResponseAt)
    out.firstResponse = businessSeconds(cal, after.createdAt, after.firstResponseAt);
  if (after.solvedAt && !before.solvedAt)
    out.resolution = businessSeconds(cal, after.createdAt, after.solvedAt);
  if (!after.solvedAt && before.solvedAt) out.resolution = null;
  return Object.keys(out).length > 0 ? out : undefined;
}

export async function refreshNextDue(tx: DbOrTx, ticketId: string) {
  await tx.execute(nextDueUpdate(ticketId));
}

/** Marks running clocks of these metrics met at `now`, with the time they took. */
async function meet(tx: DbOrTx, targets: Target[], metrics: Metric[], now: Date, uow?: Uow) {
  const read = uow ? (await pipelineSettings(uow)).policies : [];
  const byPolicy = new Map<string, Calendar>();
  for (const t of targets) {
    if (!metrics.includes(t.metric as Metric)) continue;
    const key = t.policyId ?? "";
    let cal = byPolicy.get(key);
    if (!cal) {
      const p = read.find((x) => x.id === t.policyId) ?? (await policyById(tx, t.policyId));
      cal = p ? await calendarOf(tx, p, uow) : toCalendar(await defaultCalendar(tx));
      byPolicy.set(key, cal);
    }
    const elapsed = consumedUntil(t, cal, now);
    const pausedMs = t.pausedMs + (t.pausedSince ? now.getTime() - t.pausedSince.getTime() : 0);
    await changed(tx, t, {
      metAt: now,
      status: t.breachedAt ? "breached" : "met",
      elapsedMs: elapsed,
      metGoal: t.goalMs !== null ? elapsed <= t.goalMs : null,
      consumedMs: elapsed,
      runStartedAt: null,
      pausedSince: null,
      pausedMs,
      // A clock met before its due time can no longer breach or warn.
      warnAt: null,
      updatedAt: now,
    });
  }
}

async function pauseAll(tx: DbOrTx, targets: Target[], cal: Calendar, now: Date) {
  for (const t of targets) {
    if (!t.runStartedAt) continue;
    await changed(tx, t, {
      consumedMs: consumedUntil(t, cal, now),
      runStartedAt: null,
      pausedSince: now,
      dueAt: null,
      goalAt: null,
      warnAt: null,
      updatedAt: now,
    });
  }
}

async function resumeAll(tx: DbOrTx, targets: Target[], cal: Calendar, warnMinutes: number, now: Date) {
  for (const t of targets) {
    if (t.runStartedAt || !t.pausedSince) continue;
    const clock = { ...t, runStartedAt: now };
    await changed(tx, t, {
      runStartedAt: now,
      pausedSince: null,
      pausedMs: t.pausedMs + (now.getTime() - t.pausedSince.getTime()),
      ...schedule(clock, cal, warnMinutes),
      updatedAt: now,
    });
  }
}

const isPaused = (status: string, policy: PolicyRow) => policy.pauseStatuses.includes(status);

/** The first response and resolution clocks a new ticket starts under `policy`. */
function initialTargets(ticket: Ticket, policy: PolicyRow, cal: Calendar) {
  if (CLOSED.includes(ticket.status)) return [];
  const paused = isPaused(ticket.status, policy);
  const { firstResponse, resolution } = policy.targets;
  const at = ticket.createdAt;
  return [
    ...(firstResponse && !ticket.firstResponseAt
      ? [newTarget(ticket, policy, cal, "first_response", 0, firstResponse, at, paused)]
      : []),
    ...(resolution ? [newTarget(ticket, policy, cal, "resolution", 0, resolution, at, paused)] : []),
  ];
}

/**
 * Creation step: the first response and resolution clocks of each ticket's policy (chosen with
 * the priority, team and tags the steps before left). Policies read once, each calendar once,
 * every clock in one insert, every ticket's next due time in one update.
 */
export async function slaOnCreate(uow: Uow, items: CreatedTicket[]) {
  const { tx } = uow;
  const open = items.filter((i) => !CLOSED.includes(i.ticket.status));
  if (open.length === 0) return;
  const choice = await choiceIn(uow);
  const people = choice.needsContact
    ? await requestersIn(
        uow,
        open.map((i) => i.ticket.requesterId),
      )
    : new Map<string, Requester>();
  const now = uow.ctx.now();
  const calendars = new Map<string, Calendar>();
  const rows: Array<ReturnType<typeof newTarget>> = [];
  for (const { ticket } of open) {
    const who = people.get(ticket.requesterId);
    const policy = choice.pick({
      ticket,
      contact: (who?.contact as Record<string, unknown> | undefined) ?? null,
      value: who?.value ?? null,
      now,
    });
    let cal = calendars.get(policy.id);
    if (!cal) {
      cal = await calendarOf(tx, policy, uow);
      calendars.set(policy.id, cal);
    }
    rows.push(...initialTargets(ticket, policy, cal));
  }
  if (rows.length === 0) return;
  await insertRows(tx, slaTargets, rows, { onConflictDoNothing: true });
  // A new ticket has no other clocks: its next due time is the earliest of these (written
  // with the creation's other changes).
  const due = new Map<string, number>();
  for (const r of rows)
    if (r.dueAt) due.set(r.ticketId, Math.min(due.get(r.ticketId) ?? Infinity, r.dueAt.getTime()));
  for (const i of open) {
    const at = due.get(i.ticket.id);
    if (at === undefined) continue;
    i.ticket = { ...i.ticket, nextDueAt: new Date(at) };
    i.deferred.nextDueAt = i.ticket.nextDueAt;
  }
}

/** Message step: each message as onMessage handles it. */
export async function slaOnMessage(uow: Uow, items: AddedMessage[]) {
  for (const item of items) await onMessage(uow, item);
}

/**
 * A message was written. A public agent reply meets first/next response; a customer message
 * resumes paused clocks (it reopens the ticket), starts the next-response clock and ends a
 * "pending until".
 */
async function onMessage(uow: Uow, { before: ticket, written, ticket: current, input }: AddedMessage) {
  const { tx, ctx } = uow;
  if (input.internal || input.authorType === "system") return;
  const now = ctx.now();
  const running = await runningTargets(tx, ticket.id);
  const changesTimings = !!timingsAfter(ticket, written, ALWAYS_OPEN);
  if (input.authorType === "agent") {
    if (running.length === 0 && !changesTimings) return;
    await meet(tx, running, ["first_response", "next_response"], now, uow);
    const cal = changesTimings
      ? await calendarOf(tx, await selectPolicy(tx, current, await choiceIn(uow), uow), uow)
      : ALWAYS_OPEN;
    refreshLater(uow, ticket.id, timingsAfter(ticket, written, cal));
    return;
  }
  // Customer message (a new ticket's first message is the creation step's).
  if (input.moveStatus === false) return;
  endSnooze(uow, ticket.id, "replied", now);
  const policy = await selectPolicy(tx, current, await choiceIn(uow), uow);
  const cal = await calendarOf(tx, policy, uow);
  if (changesTimings) refreshLater(uow, ticket.id, timingsAfter(ticket, written, cal));
  if (isPaused(ticket.status, policy) && !isPaused(current.status, policy))
    await resumeAll(tx, running, cal, policy.warnMinutes, now);
  const responded = !!ticket.firstResponseAt;
  const waitingReply = running.some((t) => t.metric === "first_response" || t.metric === "next_response");
  if (responded && !waitingReply && policy.targets.nextResponse && !CLOSED.includes(current.status))
    await startNextCycle(tx, current, policy, cal, "next_response", policy.targets.nextResponse, now);
  await restartResolution(tx, ticket, current, policy, cal, now);
  refreshLater(uow, ticket.id);
}

/** Update step: each changed ticket as onTicketUpdated handles it. */
export async function slaOnUpdate(uow: Uow, items: UpdatedTicket[]) {
  for (const { prev, ticket, changes } of items) await onTicketUpdated(uow, prev, ticket, changes);
}

/**
 * A ticket changed: solving meets the clocks; pending/on_hold pauses them and leaving those
 * statuses resumes them; a priority, team, tag, channel or sentiment change re-selects the policy and
 * recomputes the due times of the running clocks from the time they have already consumed.
 */
async function onTicketUpdated(uow: Uow, prev: Ticket, ticket: Ticket, changes: TicketChanges) {
  const { tx, ctx } = uow;
  const now = ctx.now();
  const reselect = [
    "priority",
    "teamId",
    "tags",
    "channel",
    "customFields",
    "sentiment",
    "worstSentiment",
  ].some((k) => k in changes);
  if (!("status" in changes) && !reselect) return;
  let running = await runningTargets(tx, ticket.id);
  const policy = await selectPolicy(tx, ticket, await choiceIn(uow), uow);
  const cal = await calendarOf(tx, policy, uow);
  const timings = timingsAfter(prev, ticket, cal);
  if (timings) refreshLater(uow, ticket.id, timings);
  if ("status" in changes && CLOSED.includes(ticket.status)) {
    await meet(tx, running, ["first_response", "next_response", "resolution"], now, uow);
    endSnooze(uow, ticket.id, "cancelled", now);
    refreshLater(uow, ticket.id);
    return;
  }
  if ("status" in changes) {
    await restartResolution(tx, prev, ticket, policy, cal, now);
    const wasPaused = isPaused(prev.status, policy);
    const nowPaused = isPaused(ticket.status, policy);
    if (!wasPaused && nowPaused) await pauseAll(tx, running, cal, now);
    if (wasPaused && !nowPaused) await resumeAll(tx, running, cal, policy.warnMinutes, now);
    if (!nowPaused) {
      // Leaving pending through an agent: any "pending until" is over.
      endSnooze(uow, ticket.id, "cancelled", now);
    }
  }
  // A sentiment change alone re-selects to find out whether a policy chosen by sentiment now
  // applies; when the same policy comes back the running clocks are already right.
  const sentimentOnly = !["priority", "teamId", "tags", "channel", "customFields"].some((k) => k in changes);
  if (reselect && sentimentOnly && running.every((t) => t.policyId === policy.id)) return;
  if (reselect) {
    running = await runningTargets(tx, ticket.id);
    for (const t of running) {
      const spec = policy.targets[SPEC_OF[t.metric as Metric]];
      if (!spec) {
        await changed(tx, t, { status: "cancelled", dueAt: null, warnAt: null, updatedAt: now });
        continue;
      }
      const clock = {
        runStartedAt: t.runStartedAt,
        consumedMs: t.consumedMs,
        targetMs: spec.minutes * MIN,
        goalMs: spec.goalMinutes !== null ? spec.goalMinutes * MIN : null,
        business: spec.business,
      };
      const times = schedule(clock, cal, policy.warnMinutes);
      const stillBreached = t.breachedAt && times.dueAt && times.dueAt.getTime() <= now.getTime();
      await changed(tx, t, {
        policyId: policy.id,
        targetMs: clock.targetMs,
        goalMs: clock.goalMs,
        business: clock.business,
        ...times,
        // A longer target after a breach re-arms the clock; the breach stays recorded in the events.
        ...(t.breachedAt && !stillBreached && times.dueAt
          ? { breachedAt: null, status: "active", warnedAt: null }
          : {}),
        ...(t.warnedAt && times.warnAt && times.warnAt.getTime() > now.getTime() ? { warnedAt: null } : {}),
        updatedAt: now,
      });
    }
    const has = new Set(running.map((t) => t.metric));
    const paused = isPaused(ticket.status, policy);
    if (policy.targets.firstResponse && !ticket.firstResponseAt && !has.has("first_response")) {
      const [any] = await tx
        .select({ id: slaTargets.id })
        .from(slaTargets)
        .where(and(eq(slaTargets.ticketId, ticket.id), eq(slaTargets.metric, "first_response")));
      if (!any)
        await startTarget(
          tx,
          ticket,
          policy,
          cal,
          "first_response",
          0,
          policy.targets.firstResponse,
          ticket.createdAt,
          paused,
        );
    }
  }
  refreshLater(uow, ticket.id);
}

/**
 * When the customer was promised a first response on this ticket: the running (or met)
 * first-response due time, for the email acknowledgement and macro placeholders.
 * Null when no first-response target applies or while its clock is paused.
 */
export async function promisedFirstResponseAt(db: DbOrTx, ticketId: string): Promise<Date | null> {
  const [t] = await db
    .select({ dueAt: slaTargets.dueAt })
    .from(slaTargets)
    .where(
      and(
        eq(slaTargets.ticketId, ticketId),
        eq(slaTargets.metric, "first_response"),
        eq(slaTargets.cycle, 0),
      ),
    );
  return t?.dueAt ?? null;
}
