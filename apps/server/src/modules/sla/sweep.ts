import { TICKET_PRIORITIES } from "@rapport/shared";
import { and, eq, sql } from "drizzle-orm";
import { SYSTEM } from "../../auth/actor.ts";
import { type Ctx, withActor } from "../../context.ts";
import type { DbOrTx } from "../../db/client.ts";
import { enqueue } from "../../jobs/queue.ts";
import { type JobHandlers, PermanentJobError } from "../../jobs/worker.ts";
import { sweepPromises } from "../promises/promises.sweep.ts";
import { updateTicket, writeEvent } from "../tickets/tickets.service.ts";
import { tickets } from "../tickets/tickets.table.ts";
import { refreshNextDue } from "./clocks.ts";
import { managersOf, notify } from "./notifications.ts";
import { slaPolicies, slaSnoozes, slaTargets } from "./sla.table.ts";

export const SWEEP_JOB = "sla.sweep";
export const ESCALATE_JOB = "sla.escalate";
export const SNOOZE_JOB = "sla.snooze";
/** How often the safety-net sweep runs. */
export const SWEEP_EVERY_MS = 60_000;
const BATCH = 1000;

const rowsOf = <T>(r: unknown) => (r as { rows: T[] }).rows;
const LABEL: Record<string, string> = {
  first_response: "first response",
  next_response: "next response",
  resolution: "resolution",
};

type Fired = {
  id: string;
  ticket_id: string;
  metric: string;
  due_at: string | Date;
  policy_id: string | null;
};

/**
 * Claims clocks whose warning or due time has come, in batches. The claim is one
 * UPDATE … WHERE warned_at/breached_at IS NULL over rows locked with SKIP LOCKED, so
 * two sweeps in two processes never claim the same clock, and a claimed clock never fires
 * again. The claim, its notifications and the escalation job commit together.
 */
async function claim(tx: DbOrTx, kind: "warn" | "breach", now: Date): Promise<Fired[]> {
  const result =
    kind === "warn"
      ? await tx.execute(sql`update sla_targets s set warned_at = ${now}::timestamptz, updated_at = ${now}::timestamptz
          where s.id in (select id from sla_targets
            where warned_at is null and met_at is null and breached_at is null and warn_at is not null
              and warn_at <= ${now}::timestamptz and status = 'active'
            order by warn_at limit ${BATCH} for update skip locked)
          returning s.id, s.ticket_id, s.metric, s.due_at, s.policy_id`)
      : await tx.execute(sql`update sla_targets s set breached_at = ${now}::timestamptz, status = 'breached',
            warned_at = coalesce(s.warned_at, ${now}::timestamptz), updated_at = ${now}::timestamptz
          where s.id in (select id from sla_targets
            where breached_at is null and met_at is null and due_at is not null
              and due_at <= ${now}::timestamptz and status = 'active'
            order by due_at limit ${BATCH} for update skip locked)
          returning s.id, s.ticket_id, s.metric, s.due_at, s.policy_id`);
  return rowsOf<Fired>(result);
}

type TicketInfo = {
  id: string;
  number: number;
  subject: string;
  assignee_id: string | null;
  team_id: string | null;
};
async function ticketInfo(tx: DbOrTx, ids: string[]): Promise<Map<string, TicketInfo>> {
  const map = new Map<string, TicketInfo>();
  if (ids.length === 0) return map;
  const rows = rowsOf<TicketInfo>(
    await tx.execute(sql`select id, number, subject, assignee_id, team_id from tickets
      where id in (${sql.join(
        [...new Set(ids)].map((i) => sql`${i}::uuid`),
        sql`, `,
      )})`),
  );
  for (const r of rows) map.set(r.id, { ...r, number: Number(r.number) });
  return map;
}

async function recipients(tx: DbOrTx, t: TicketInfo): Promise<string[]> {
  return t.assignee_id ? [t.assignee_id] : managersOf(tx, [t.team_id]);
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
    const n = await ctx.db.transaction(async (tx) => {
      const fired = await claim(tx, "warn", now);
      const info = await ticketInfo(
        tx,
        fired.map((f) => f.ticket_id),
      );
      for (const f of fired) {
        const t = info.get(f.ticket_id);
        if (!t) continue;
        await notify(
          tx,
          await recipients(tx, t),
          {
            kind: "sla_warning",
            key: `sla-warn:${f.id}`,
            title: `#${t.number} ${t.subject}: ${LABEL[f.metric] ?? f.metric} due soon`,
            ticketId: t.id,
            data: { metric: f.metric, dueAt: new Date(f.due_at).toISOString(), number: t.number },
          },
          now,
        );
      }
      return fired.length;
    });
    out.warned += n;
    if (n < BATCH) break;
  }
  for (;;) {
    const n = await ctx.db.transaction(async (tx) => {
      const fired = await claim(tx, "breach", now);
      for (const f of fired) {
        await enqueue(tx, ESCALATE_JOB, { targetId: f.id }, { dedupeKey: `breach:${f.id}` });
        await writeEvent(
          tx,
          f.ticket_id,
          SYSTEM,
          "sla.breached",
          { metric: f.metric, dueAt: new Date(f.due_at).toISOString(), targetId: f.id },
          now,
        );
      }
      return fired.length;
    });
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
  await ctx.db.transaction(async (tx) => {
    await notify(
      tx,
      to ? [to] : await managersOf(tx, [t.teamId]),
      {
        kind: "pending_until",
        key: `snooze:${ticketId}:${s.until.toISOString()}`,
        title: `#${t.number} ${t.subject}: back from pending`,
        ticketId,
        data: { until: s.until.toISOString(), number: t.number },
      },
      now,
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
  const title = `#${t.number} ${t.subject}: ${LABEL[target.metric] ?? target.metric} target breached`;
  const data = { metric: target.metric, dueAt: target.breachedAt?.toISOString() ?? null, number: t.number };
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
  await ctx.db.transaction(async (tx) => {
    for (const a of actions) {
      if (a.type === "notify") {
        const to = a.userId ? [a.userId] : t.assigneeId ? [t.assigneeId] : await managersOf(tx, [t.teamId]);
        await notify(
          tx,
          to,
          { kind: "sla_breach", key: `sla-breach:${target.id}`, title, ticketId: t.id, data },
          now,
        );
      }
      if (a.type === "notify_manager") {
        await notify(
          tx,
          await managersOf(tx, [t.teamId]),
          {
            kind: "sla_breach",
            key: `sla-breach:${target.id}`,
            title,
            ticketId: t.id,
            data: { ...data, escalated: true },
          },
          now,
        );
      }
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
