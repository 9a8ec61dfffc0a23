import { asc, eq, inArray, sql } from "drizzle-orm";
import { requireCan } from "../../auth/policies.ts";
import type { Ctx } from "../../context.ts";
import type { DbOrTx } from "../../db/client.ts";
import { enqueue } from "../../jobs/queue.ts";
import type { JobHandlers } from "../../jobs/worker.ts";
import { badRequest, notFound } from "../../lib/errors.ts";
import { runUpdateSteps, type UpdatedTicket } from "../tickets/pipeline.ts";
import { tickets } from "../tickets/tickets.table.ts";
import { withTransaction } from "../tickets/unit-of-work.ts";
import { applyActions } from "./actions.ts";
import type { TCreateTimeRule, TTimeRule, TUpdateTimeRule } from "./automations.schema.ts";
import { timeRules } from "./automations.table.ts";
import { type Action, type Condition, conditionsSql, HOURS_SINCE } from "./rules.ts";
import { validateRule } from "./triggers.service.ts";

export const TIME_RULES_JOB = "automations.time_rules";
/** Time-based rules are evaluated every five minutes (one job per slot, whatever the processes). */
export const SWEEP_INTERVAL_MS = 5 * 60_000;
/** Tickets acted on per transaction, and at most per rule and sweep (the rest wait for the next slot). */
const BATCH = 200;
const MAX_PER_RULE = 5000;

const slotKey = (d: Date) => d.toISOString().slice(0, 16);

/** Schedules the next sweep at the next five-minute boundary (idempotent per slot). */
export async function scheduleSweep(db: DbOrTx, now: Date) {
  const next = new Date(
    Math.floor(now.getTime() / SWEEP_INTERVAL_MS) * SWEEP_INTERVAL_MS + SWEEP_INTERVAL_MS,
  );
  await enqueue(db, TIME_RULES_JOB, {}, { runAt: next, dedupeKey: slotKey(next) });
}

export type SweepResult = { rules: number; acted: number; perRule: Record<string, number> };

/**
 * One sweep: for each active rule, one set-based statement finds the matching tickets that the
 * rule has not acted on yet and claims them by inserting their execution rows (the primary key
 * (rule, ticket) makes it once per ticket, even with two sweeps at once); the actions run in
 * the same transaction as the claim, so a failed batch is claimed again next time.
 */
export async function sweepTimeRules(ctx: Ctx): Promise<SweepResult> {
  const now = ctx.now();
  const rules = await ctx.db
    .select()
    .from(timeRules)
    .where(eq(timeRules.active, true))
    .orderBy(asc(timeRules.position), asc(timeRules.createdAt));
  const perRule: Record<string, number> = {};
  let acted = 0;
  for (const rule of rules) {
    const cond = conditionsSql(rule.match, rule.conditions as Condition[], now);
    if (!cond) continue;
    let done = 0;
    while (done < MAX_PER_RULE) {
      const n = await withTransaction(ctx, async (uow) => {
        const { tx } = uow;
        const claimed = await tx.execute(sql`
          insert into time_rule_executions (rule_id, ticket_id, created_at)
          select ${rule.id}::uuid, tickets.id, ${now}::timestamptz from tickets
          where ${cond} and tickets.status <> 'closed'
            and not exists (select 1 from time_rule_executions e
                            where e.rule_id = ${rule.id}::uuid and e.ticket_id = tickets.id)
          limit ${BATCH}
          on conflict do nothing
          returning ticket_id`);
        const ids = (claimed as unknown as { rows: Array<{ ticket_id: string }> }).rows.map(
          (r) => r.ticket_id,
        );
        if (ids.length === 0) return 0;
        const rows = await tx.select().from(tickets).where(inArray(tickets.id, ids)).for("update");
        const items: UpdatedTicket[] = rows.map((t) => ({
          prev: t,
          ticket: t,
          changes: {},
          confirmations: [],
        }));
        for (const item of items)
          await applyActions(uow, item, rule.actions as Action[], {
            kind: "time_rule",
            id: rule.id,
            name: rule.name,
          });
        // What the rule changed goes through the update steps (triggers, routing, SLA, webhooks).
        await runUpdateSteps(uow, items);
        return ids.length;
      });
      done += n;
      if (n < BATCH) break;
    }
    perRule[rule.id] = done;
    acted += done;
    await ctx.db.update(timeRules).set({ lastRunAt: now }).where(eq(timeRules.id, rule.id));
  }
  return { rules: rules.length, acted, perRule };
}

export const timeRuleJobHandlers: JobHandlers = {
  [TIME_RULES_JOB]: {
    run: async (ctx) => {
      try {
        await sweepTimeRules(ctx);
      } finally {
        await scheduleSweep(ctx.db, ctx.now());
      }
    },
  },
};

// ---- API ----

const toRule = (r: typeof timeRules.$inferSelect): TTimeRule => ({
  id: r.id,
  name: r.name,
  description: r.description,
  match: r.match,
  conditions: r.conditions as Condition[],
  actions: r.actions as Action[],
  active: r.active,
  position: r.position,
  lastRunAt: r.lastRunAt?.toISOString() ?? null,
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
});

/** A time rule needs a time condition ("more than N hours since ..."), else it would act on every ticket at once. */
function requireTimeCondition(match: "all" | "any", conditions: Condition[]) {
  const timed = (c: Condition) => c.field.replace(/^ticket\./, "") in HOURS_SINCE && c.op === "gt";
  const ok = match === "all" ? conditions.some(timed) : conditions.length > 0 && conditions.every(timed);
  if (!ok)
    throw badRequest("A time-based rule needs a condition such as ticket.hours_since_updated gt 72", {
      field: "conditions",
    });
}

export async function listTimeRules(ctx: Ctx): Promise<TTimeRule[]> {
  requireCan(ctx.actor, "automations.manage");
  const rows = await ctx.db
    .select()
    .from(timeRules)
    .orderBy(asc(timeRules.position), asc(timeRules.createdAt));
  return rows.map(toRule);
}

export async function createTimeRule(ctx: Ctx, input: TCreateTimeRule): Promise<TTimeRule> {
  const me = requireCan(ctx.actor, "automations.manage");
  requireTimeCondition(input.match, input.conditions);
  await validateRule(ctx.db, input.conditions, input.actions, "time");
  const [row] = await ctx.db
    .insert(timeRules)
    .values({ ...input, createdBy: me.userId })
    .returning();
  if (!row) throw new Error("insert returned nothing");
  return toRule(row);
}

export async function updateTimeRule(ctx: Ctx, id: string, input: TUpdateTimeRule): Promise<TTimeRule> {
  requireCan(ctx.actor, "automations.manage");
  const [prev] = await ctx.db.select().from(timeRules).where(eq(timeRules.id, id));
  if (!prev) throw notFound("Time rule");
  const conditions = input.conditions ?? (prev.conditions as Condition[]);
  requireTimeCondition(input.match ?? prev.match, conditions);
  await validateRule(ctx.db, conditions, input.actions ?? (prev.actions as Action[]), "time");
  const [row] = await ctx.db
    .update(timeRules)
    .set({ ...input, updatedAt: ctx.now() })
    .where(eq(timeRules.id, id))
    .returning();
  if (!row) throw notFound("Time rule");
  return toRule(row);
}

export async function deleteTimeRule(ctx: Ctx, id: string) {
  requireCan(ctx.actor, "automations.manage");
  const rows = await ctx.db.delete(timeRules).where(eq(timeRules.id, id)).returning({ id: timeRules.id });
  if (rows.length === 0) throw notFound("Time rule");
}

/** Runs one sweep now (admins, managers): what the five-minute job does. */
export async function runSweepNow(ctx: Ctx): Promise<SweepResult> {
  requireCan(ctx.actor, "automations.manage");
  return sweepTimeRules(ctx);
}
