import { asc, eq, sql } from "drizzle-orm";
import { requireAgent, requireCan } from "../../auth/policies.ts";
import type { Ctx } from "../../context.ts";
import type { DbOrTx } from "../../db/client.ts";
import { badRequest, conflict, notFound } from "../../lib/errors.ts";
import { type Calendar, validateCalendar, type Weekday } from "./business-hours.ts";
import type {
  TCalendar,
  TCalendarInput,
  TCalendarPatch,
  TPolicy,
  TPolicyInput,
  TPolicyPatch,
} from "./sla.schema.ts";
import { businessCalendars, type SlaTargets, slaPolicies } from "./sla.table.ts";

type CalendarRow = typeof businessCalendars.$inferSelect;
export type PolicyRow = typeof slaPolicies.$inferSelect;

/** The built-in promise: first response within 10 business hours, internal goal 8 ("promise 10, deliver in 8"). */
export const DEFAULT_TARGETS: SlaTargets = {
  firstResponse: { minutes: 600, goalMinutes: 480, business: true },
  nextResponse: null,
  resolution: null,
};

export const toCalendar = (r: CalendarRow): Calendar => ({
  timeZone: r.timeZone,
  week: Object.fromEntries(Object.entries(r.week).map(([d, i]) => [Number(d) as Weekday, i])),
  holidays: r.holidays,
});

const calendarOut = (r: CalendarRow): TCalendar => ({
  id: r.id,
  name: r.name,
  timeZone: r.timeZone,
  week: r.week,
  holidays: r.holidays,
  isDefault: r.isDefault,
  updatedAt: r.updatedAt.toISOString(),
});

function checkCalendar(c: { timeZone: string; week: Record<string, unknown>; holidays: unknown[] }) {
  try {
    validateCalendar(c as unknown as Calendar);
  } catch (e) {
    throw badRequest((e as Error).message, { field: "week" });
  }
  const open = Object.values(c.week).some((i) => Array.isArray(i) && i.length > 0);
  if (!open) throw badRequest("A calendar needs at least one open interval", { field: "week" });
}

/**
 * The default calendar, created on first use: Monday to Friday 09:00-17:00 in the
 * organisation's time zone. Concurrent first uses agree through an advisory lock.
 */
export async function defaultCalendar(db: DbOrTx): Promise<CalendarRow> {
  const [found] = await db
    .select()
    .from(businessCalendars)
    .where(eq(businessCalendars.isDefault, true))
    .limit(1);
  if (found) return found;
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('rapport.sla.defaults'))`);
    const [again] = await tx
      .select()
      .from(businessCalendars)
      .where(eq(businessCalendars.isDefault, true))
      .limit(1);
    if (again) return again;
    const tz = await tx.execute(sql`select time_zone from settings where id = 1`);
    const timeZone = (tz as unknown as { rows: Array<{ time_zone: string }> }).rows[0]?.time_zone ?? "UTC";
    const week = Object.fromEntries(
      ["1", "2", "3", "4", "5"].map((d) => [d, [{ start: "09:00", end: "17:00" }]]),
    );
    const [row] = await tx
      .insert(businessCalendars)
      .values({ name: "Business hours", timeZone, week, holidays: [], isDefault: true })
      .returning();
    if (!row) throw new Error("insert returned nothing");
    return row;
  });
}

/** The built-in default policy (last in order, no conditions), created on first use. */
export async function defaultPolicy(db: DbOrTx): Promise<PolicyRow> {
  const [found] = await db.select().from(slaPolicies).where(eq(slaPolicies.isDefault, true)).limit(1);
  if (found) return found;
  await defaultCalendar(db);
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('rapport.sla.defaults'))`);
    const [again] = await tx.select().from(slaPolicies).where(eq(slaPolicies.isDefault, true)).limit(1);
    if (again) return again;
    const [row] = await tx
      .insert(slaPolicies)
      .values({
        name: "Default",
        position: 1_000_000,
        targets: DEFAULT_TARGETS,
        isDefault: true,
        escalations: [{ type: "notify" }],
      })
      .returning();
    if (!row) throw new Error("insert returned nothing");
    return row;
  });
}

export async function listCalendars(ctx: Ctx): Promise<{ items: TCalendar[] }> {
  requireAgent(ctx.actor);
  await defaultCalendar(ctx.db);
  const rows = await ctx.db.select().from(businessCalendars).orderBy(asc(businessCalendars.name));
  return { items: rows.map(calendarOut) };
}

export async function getCalendar(ctx: Ctx, id: string): Promise<TCalendar> {
  requireAgent(ctx.actor);
  const [row] = await ctx.db.select().from(businessCalendars).where(eq(businessCalendars.id, id));
  if (!row) throw notFound("Calendar");
  return calendarOut(row);
}

export async function createCalendar(ctx: Ctx, input: TCalendarInput): Promise<TCalendar> {
  requireCan(ctx.actor, "sla.manage");
  checkCalendar(input);
  await defaultCalendar(ctx.db);
  return ctx.db.transaction(async (tx) => {
    if (input.isDefault) await tx.update(businessCalendars).set({ isDefault: false });
    const [row] = await tx
      .insert(businessCalendars)
      .values({
        name: input.name,
        timeZone: input.timeZone,
        week: input.week as Record<string, Array<{ start: string; end: string }>>,
        holidays: input.holidays,
        isDefault: input.isDefault ?? false,
      })
      .returning();
    if (!row) throw new Error("insert returned nothing");
    return calendarOut(row);
  });
}

export async function updateCalendar(ctx: Ctx, id: string, patch: TCalendarPatch): Promise<TCalendar> {
  requireCan(ctx.actor, "sla.manage");
  return ctx.db.transaction(async (tx) => {
    const [prev] = await tx
      .select()
      .from(businessCalendars)
      .where(eq(businessCalendars.id, id))
      .for("update");
    if (!prev) throw notFound("Calendar");
    const next = {
      name: patch.name ?? prev.name,
      timeZone: patch.timeZone ?? prev.timeZone,
      week: (patch.week as Record<string, Array<{ start: string; end: string }>> | undefined) ?? prev.week,
      holidays: patch.holidays ?? prev.holidays,
    };
    checkCalendar(next);
    if (patch.isDefault === false && prev.isDefault) {
      throw badRequest("Make another calendar the default instead", { field: "isDefault" });
    }
    if (patch.isDefault && !prev.isDefault) await tx.update(businessCalendars).set({ isDefault: false });
    const [row] = await tx
      .update(businessCalendars)
      .set({ ...next, isDefault: patch.isDefault ?? prev.isDefault, updatedAt: ctx.now() })
      .where(eq(businessCalendars.id, id))
      .returning();
    if (!row) throw notFound("Calendar");
    return calendarOut(row);
  });
}

export async function deleteCalendar(ctx: Ctx, id: string): Promise<void> {
  requireCan(ctx.actor, "sla.manage");
  const [row] = await ctx.db.select().from(businessCalendars).where(eq(businessCalendars.id, id));
  if (!row) throw notFound("Calendar");
  if (row.isDefault) throw conflict("The default calendar cannot be deleted");
  await ctx.db.delete(businessCalendars).where(eq(businessCalendars.id, id));
}

export const policyOut = (r: PolicyRow): TPolicy => ({
  id: r.id,
  name: r.name,
  position: r.position,
  active: r.active,
  conditions: r.conditions,
  calendarId: r.calendarId,
  targets: r.targets,
  pauseStatuses: r.pauseStatuses,
  warnMinutes: r.warnMinutes,
  escalations: r.escalations,
  isDefault: r.isDefault,
});

async function assertCalendar(db: DbOrTx, id: string | null | undefined) {
  if (!id) return;
  const [c] = await db
    .select({ id: businessCalendars.id })
    .from(businessCalendars)
    .where(eq(businessCalendars.id, id));
  if (!c) throw notFound("Calendar");
}

export async function listPolicies(ctx: Ctx): Promise<{ items: TPolicy[] }> {
  requireAgent(ctx.actor);
  await defaultPolicy(ctx.db);
  const rows = await ctx.db
    .select()
    .from(slaPolicies)
    .orderBy(asc(slaPolicies.position), asc(slaPolicies.createdAt));
  return { items: rows.map(policyOut) };
}

export async function createPolicy(ctx: Ctx, input: TPolicyInput): Promise<TPolicy> {
  requireCan(ctx.actor, "sla.manage");
  await assertCalendar(ctx.db, input.calendarId);
  await defaultPolicy(ctx.db);
  const [row] = await ctx.db
    .insert(slaPolicies)
    .values({ ...input, position: Math.min(input.position, 999_999) })
    .returning();
  if (!row) throw new Error("insert returned nothing");
  return policyOut(row);
}

export async function updatePolicy(ctx: Ctx, id: string, patch: TPolicyPatch): Promise<TPolicy> {
  requireCan(ctx.actor, "sla.manage");
  const [prev] = await ctx.db.select().from(slaPolicies).where(eq(slaPolicies.id, id));
  if (!prev) throw notFound("SLA policy");
  if (prev.isDefault && patch.conditions && patch.conditions.length > 0) {
    throw badRequest("The default policy applies to every ticket; it has no conditions", {
      field: "conditions",
    });
  }
  if (prev.isDefault && patch.active === false) {
    throw badRequest("The default policy cannot be switched off", { field: "active" });
  }
  await assertCalendar(ctx.db, patch.calendarId);
  const position = prev.isDefault ? prev.position : patch.position;
  const [row] = await ctx.db
    .update(slaPolicies)
    .set({ ...patch, ...(position !== undefined ? { position } : {}), updatedAt: ctx.now() })
    .where(eq(slaPolicies.id, id))
    .returning();
  if (!row) throw notFound("SLA policy");
  return policyOut(row);
}

export async function deletePolicy(ctx: Ctx, id: string): Promise<void> {
  requireCan(ctx.actor, "sla.manage");
  const [row] = await ctx.db.select().from(slaPolicies).where(eq(slaPolicies.id, id));
  if (!row) throw notFound("SLA policy");
  if (row.isDefault) throw conflict("The default policy cannot be deleted");
  await ctx.db.delete(slaPolicies).where(eq(slaPolicies.id, id));
}
