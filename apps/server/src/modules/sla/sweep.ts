import { TICKET_PRIORITIES } from "@rapport/shared";
import { and, eq, sql } from "drizzle-orm";
import { SYSTEM } from "../../auth/actor.ts";
import { type Ctx, withActor } from "../../context.ts";
import type { DbOrTx } from "../../db/client.ts";
import { enqueue, JOBS_CHANNEL } from "../../jobs/queue.ts";
import { type JobHandlers, PermanentJobError } from "../../jobs/worker.ts";
import { notify } from "../notifications/notifications.service.ts";
import { sweepPromises } from "../promises/promises.sweep.ts";
import { updateTicket } from "../tickets/tickets.service.ts";
import { tickets } from "../tickets/tickets.table.ts";
import { withTransaction } from "../tickets/unit-of-work.ts";
import { refreshNextDue } from "./clocks.ts";
import { managersOf } from "./recipients.ts";
import { slaPolicies, slaSnoozes, slaTargets } from "./sla.table.ts";

export const SWEEP_JOB = "sla.sweep";
export const ESCALATE_JOB = "sla.escalate";
export const SNOOZE_JOB = "sla.snooze";
/** How often the safety-net sweep runs. */
export const SWEEP_EVERY_MS = 60_000;
const BATCH = 1000;

const rowsOf = <T>(r: unknown) => (r as { rows: T[] }).rows;

/**
 * Who hears about a clock of these tickets: the assignee; for an unassigned ticket the
 * managers (and admins) of its team; without any, every active admin. `info` has columns
 * id, ticket_id, assignee_id, team_id.
 */
const RECIPIENTS = sql.raw(`
  select i.id, i.assignee_id as user_id from info i where i.assignee_id is not null
  union
  select i.id, m.user_id from info i
    join team_members m on m.team_id = i.team_id
    join users u on u.id = m.user_id and u.role in ('manager', 'admin') and u.active
    where i.assignee_id is null
  union
  select i.id, u.id from info i join users u on u.role = 'admin' and u.active
    where i.assignee_id is null and not exists (
      select 1 from team_members m join users u2 on u2.id = m.user_id and u2.role in ('manager', 'admin') and u2.active
      where m.team_id = i.team_id)`);

type Warned = {
  user_id: string;
  id: string;
  ticket_id: string;
  number: number;
  subject: string;
  metric: string;
  due_at: string;
};

/**
 * One batch of warnings, set-based: claims up to BATCH clocks whose warning time has come
 * with UPDATE … WHERE warned_at IS NULL over rows locked with SKIP LOCKED (two sweeps in two
 * processes never claim the same clock, and a claimed clock never warns again) and reads who
 * hears about each in the same statement; the notices are filed in the same transaction.
 * Returns the number claimed.
 */
async function warnBatch(ctx: Ctx, now: Date): Promise<number> {
  return withTransaction(ctx, async (uow) => {
    const result = await uow.tx.execute(sql`
      with claimed as (
        update sla_targets s set warned_at = ${now}::timestamptz, updated_at = ${now}::timestamptz
        where s.id in (select id from sla_targets
          where warned_at is null and met_at is null and breached_at is null and warn_at is not null
            and warn_at <= ${now}::timestamptz and status = 'active'
          order by warn_at limit ${BATCH} for update skip locked)
        returning s.id, s.ticket_id, s.due_at, s.metric),
      info as (
        select c.*, t.number, t.subject, t.assignee_id, t.team_id from claimed c join tickets t on t.id = c.ticket_id),
      rcpt as (${RECIPIENTS})
      select (select count(*) from claimed)::int as n,
        coalesce((select json_agg(json_build_object('user_id', r.user_id, 'id', i.id, 'ticket_id', i.ticket_id,
          'number', i.number, 'subject', left(i.subject, 300), 'metric', i.metric, 'due_at', i.due_at))
          from rcpt r join info i on i.id = r.id), '[]'::json) as notices`);
    const row = rowsOf<{ n: number; notices: Warned[] | string }>(result)[0];
    const warned =
      typeof row?.notices === "string" ? (JSON.parse(row.notices) as Warned[]) : (row?.notices ?? []);
    await notify(
      uow,
      warned.map((w) => ({
        userId: w.user_id,
        kind: "sla.warning" as const,
        ticketId: w.ticket_id,
        link: `/tickets/${w.ticket_id}`,
        dedupeKey: `sla-warn:${w.id}`,
        params: { number: w.number, subject: w.subject, metric: w.metric, dueAt: w.due_at },
      })),
    );
    return Number(row?.n ?? 0);
  });
}

/**
 * One batch of breaches, set-based: claims clocks past due (same claim as warnings, on
 * breached_at), records an `sla.breached` ticket event and queues one `sla.escalate` job per
 * clock (dedupe key `breach:<id>`), all in one statement and one transaction.
 */
async function breachBatch(db: DbOrTx, now: Date): Promise<number> {
  return db.transaction(async (tx) => {
    const result = await tx.execute(sql`
      with claimed as (
        update sla_targets s set breached_at = ${now}::timestamptz, status = 'breached',
          warned_at = coalesce(s.warned_at, ${now}::timestamptz), updated_at = ${now}::timestamptz
        where s.id in (select id from sla_targets
          where breached_at is null and met_at is null and due_at is not null
            and due_at <= ${now}::timestamptz and status = 'active'
          order by due_at limit ${BATCH} for update skip locked)
        returning s.id, s.ticket_id, s.metric, s.due_at),
      events as (
        insert into ticket_events (ticket_id, type, actor_type, actor_id, data, created_at)
        select c.ticket_id, 'sla.breached', 'system', null,
          jsonb_build_object('metric', c.metric, 'dueAt', c.due_at, 'targetId', c.id), ${now}::timestamptz
        from claimed c),
      queued as (
        insert into jobs (kind, payload, dedupe_key, max_attempts)
        select ${ESCALATE_JOB}, jsonb_build_object('targetId', c.id), 'breach:' || c.id, 8 from claimed c
        on conflict do nothing)
      select count(*)::int as n from claimed`);
    const n = Number(rowsOf<{ n: number }>(result)[0]?.n ?? 0);
    if (n > 0) await tx.execute(sql`select pg_notify(${JOBS_CHANNEL}, ${ESCALATE_JOB})`);
    return n;
  });
}

/**
 * History replayed (the demo seed, on its own clock): breaches what the live sweep would have
 * breached by `until` on one ticket, each clock at its due time (the live sweep, every minute,
 * catches it then), with its `sla.breached` timeline event dated there. Nothing is notified or
 * escalated: that moment is past.
 */
export async function breachHistory(tx: DbOrTx, ticketId: string, until: Date): Promise<void> {
  await tx.execute(sql`
    with claimed as (
      update sla_targets s set breached_at = s.due_at, status = 'breached',
        warned_at = coalesce(s.warned_at, s.due_at), updated_at = s.due_at
      where s.ticket_id = ${ticketId} and s.breached_at is null and s.met_at is null
        and s.due_at is not null and s.due_at <= ${until}::timestamptz and s.status = 'active'
      returning s.id, s.ticket_id, s.metric, s.due_at)
    insert into ticket_events (ticket_id, type, actor_type, actor_id, data, created_at)
    select c.ticket_id, 'sla.breached', 'system', null,
      jsonb_build_object('metric', c.metric, 'dueAt', c.due_at, 'targetId', c.id), c.due_at
    from claimed c`);
}

export type SweepResult = {
  warned: number;
  breached: number;
  snoozesWoken: number;
  promises: { reminded: number; overdue: number };
};

/** One sweep: warnings, breaches (escalations queued), "pending until" wake-ups and promise reminders. */
export async function runSweep(ctx: Ctx): Promise<SweepResult> {
  const now = ctx.now();
  const out: SweepResult = { warned: 0, breached: 0, snoozesWoken: 0, promises: { reminded: 0, overdue: 0 } };
  for (;;) {
    const n = await warnBatch(ctx, now);
    out.warned += n;
    if (n < BATCH) break;
  }
  for (;;) {
    const n = await breachBatch(ctx.db, now);
    out.breached += n;
    if (n < BATCH) break;
  }
  const due = rowsOf<{ ticket_id: string }>(
    await ctx.db.execute(sql`select ticket_id from sla_snoozes where fired_at is null and until <= ${now}::timestamptz
      order by until limit ${BATCH}`),
  );
  for (const s of due) if (await wakeSnooze(ctx, s.ticket_id)) out.snoozesWoken++;
  out.promises = await sweepPromises(ctx);
  return out;
}

/**
 * "Pending until" reached: the ticket comes back (status open) to its assignee with a
 * reminder. The conditional update makes it once, whoever gets there first (the job
 * scheduled for that time, a sweep, another process), and never after a customer reply.
 */
export async function wakeSnooze(ctx: Ctx, ticketId: string): Promise<boolean> {
  const now = ctx.now();
  const claimed = await ctx.db
    .update(slaSnoozes)
    .set({ firedAt: now, outcome: "woken" })
    .where(and(eq(slaSnoozes.ticketId, ticketId), sql`fired_at is null and until <= ${now}::timestamptz`))
    .returning();
  const s = claimed[0];
  if (!s) return false;
  const sys = withActor(ctx, SYSTEM);
  const [t] = await ctx.db.select().from(tickets).where(eq(tickets.id, ticketId));
  if (!t) return false;
  if (t.status === "pending" || t.status === "on_hold") await updateTicket(sys, ticketId, { status: "open" });
  const to = t.assigneeId ?? s.userId;
  await withTransaction(ctx, async (uow) => {
    const recipients = to ? [to] : await managersOf(uow.tx, [t.teamId]);
    await notify(
      uow,
      recipients.map((userId) => ({
        userId,
        kind: "ticket.pending_until" as const,
        ticketId,
        link: `/tickets/${ticketId}`,
        dedupeKey: `snooze:${ticketId}:${s.until.toISOString()}`,
        params: { number: t.number, subject: t.subject, until: s.until.toISOString() },
      })),
    );
  });
  return true;
}

/** Runs the escalation actions of the breached clock's policy (one job per breach, deduplicated). */
export async function escalate(ctx: Ctx, targetId: string) {
  const now = ctx.now();
  const [target] = await ctx.db.select().from(slaTargets).where(eq(slaTargets.id, targetId));
  if (!target) throw new PermanentJobError("target gone");
  const [t] = await ctx.db.select().from(tickets).where(eq(tickets.id, target.ticketId));
  if (!t) throw new PermanentJobError("ticket gone");
  if (target.metAt && !target.breachedAt) return;
  const [policy] = target.policyId
    ? await ctx.db.select().from(slaPolicies).where(eq(slaPolicies.id, target.policyId))
    : [];
  const actions = policy?.escalations.length ? policy.escalations : [{ type: "notify" as const }];
  const sys = withActor(ctx, SYSTEM);
  const params = {
    number: t.number,
    subject: t.subject,
    metric: target.metric,
    dueAt: target.breachedAt?.toISOString() ?? null,
  };
  for (const a of actions) {
    if (a.type === "reassign" && a.userId && a.userId !== t.assigneeId) {
      await updateTicket(sys, t.id, { assigneeId: a.userId }).catch((e) => {
        throw new PermanentJobError(`reassign failed: ${(e as Error).message}`);
      });
    }
    if (a.type === "raise_priority") {
      // One level above the priority the ticket had when it breached: a retried job sets the same value.
      const at = TICKET_PRIORITIES.indexOf(t.priority);
      const next = TICKET_PRIORITIES[Math.min(at + 1, TICKET_PRIORITIES.length - 1)];
      if (next && next !== t.priority) await updateTicket(sys, t.id, { priority: next });
    }
  }
  await withTransaction(ctx, async (uow) => {
    const { tx } = uow;
    const breach = (userIds: string[], escalated: boolean) =>
      notify(
        uow,
        userIds.map((userId) => ({
          userId,
          kind: "sla.breach" as const,
          ticketId: t.id,
          link: `/tickets/${t.id}`,
          dedupeKey: `sla-breach:${target.id}`,
          params: escalated ? { ...params, escalated } : params,
        })),
      );
    for (const a of actions) {
      if (a.type === "notify")
        await breach(
          a.userId ? [a.userId] : t.assigneeId ? [t.assigneeId] : await managersOf(tx, [t.teamId]),
          false,
        );
      // A service self-check's breach is measured in its own report, never escalated to managers.
      if (a.type === "notify_manager" && !t.selfCheckRunId)
        await breach(await managersOf(tx, [t.teamId]), true);
    }
    await refreshNextDue(tx, t.id);
  });
}

/** Schedules the next sweep (one job per minute slot, whichever process enqueues it first). */
export async function scheduleSweep(db: DbOrTx, now: Date) {
  const next = new Date(Math.floor(now.getTime() / SWEEP_EVERY_MS) * SWEEP_EVERY_MS + SWEEP_EVERY_MS);
  await enqueue(db, SWEEP_JOB, {}, { runAt: next, dedupeKey: next.toISOString(), maxAttempts: 1 });
}

export const slaJobHandlers: JobHandlers = {
  [SWEEP_JOB]: {
    run: async (ctx) => {
      try {
        await runSweep(ctx);
      } finally {
        await scheduleSweep(ctx.db, new Date());
      }
    },
  },
  [ESCALATE_JOB]: {
    run: async (ctx, job) => {
      const id = (job.payload as { targetId?: unknown }).targetId;
      if (typeof id !== "string") throw new PermanentJobError("targetId missing");
      await escalate(ctx, id);
    },
  },
  [SNOOZE_JOB]: {
    run: async (ctx, job) => {
      const id = (job.payload as { ticketId?: unknown }).ticketId;
      if (typeof id !== "string") throw new PermanentJobError("ticketId missing");
      await wakeSnooze(ctx, id);
    },
  },
};
