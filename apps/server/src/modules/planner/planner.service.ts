import { and, asc, eq, gte, inArray, lt, lte, or, type SQL, sql } from "drizzle-orm";
import { can, plannedScope, requireCan, type Staff } from "../../auth/policies.ts";
import type { Ctx } from "../../context.ts";
import type { DbOrTx } from "../../db/client.ts";
import { AppError, badRequest, notFound } from "../../lib/errors.ts";
import { contacts } from "../contacts/contacts.table.ts";
import { settings } from "../settings/settings.table.ts";
import { asStaff } from "../tickets/tickets.service.ts";
import { users } from "../users/users.table.ts";
import {
  addDays,
  addMonths,
  type Cadence,
  daysInMonth,
  firstOfMonth,
  instantOf,
  monthOf,
  nextCadenceDate,
  parseDate,
  quickChoiceDate,
  spreadDay,
  todayIn,
} from "./planner.rules.ts";
import {
  MAX_BULK,
  type TComplete,
  type TMove,
  type TPlanContact,
  type TPlannedContact,
  type TUpdatePlanned,
} from "./planner.schema.ts";
import { plannedContacts, plannerAbsences, plannerCadences, plannerSettings } from "./planner.table.ts";

export type PlannedRow = typeof plannedContacts.$inferSelect;
type SettingsRow = typeof plannerSettings.$inferSelect;

// ---- Authorization --------------------------------------------------------------

/** Managers and admins see every agent's plan; an agent sees the plans they own or cover. */
export const seesAllPlans = (actor: Staff) => can(actor, "plans.readAll");

export const canSeePlanned = (actor: Staff, row: { ownerId: string; coverId: string | null }) =>
  can(actor, "plan.read", row);

/**
 * Whose plan a request is about: the actor's own by default. Managers may name anyone;
 * an agent naming someone else gets 404, like any object they may not see.
 */
export async function planUser(ctx: Ctx, userId: string | undefined): Promise<string> {
  const actor = asStaff(ctx.actor);
  const me = actor.kind === "agent" ? actor.userId : undefined;
  const target = userId ?? me;
  if (!target) throw badRequest("userId is required", { field: "userId" });
  if (target !== me && !seesAllPlans(actor)) throw notFound("User");
  const [u] = await ctx.db.select({ id: users.id }).from(users).where(eq(users.id, target));
  if (!u) throw notFound("User");
  return target;
}

/**
 * Whose plan a read is about, and which of its files the actor may see: everything for the
 * owner and for managers; for an agent covering an absent colleague (an *active* absence with
 * the agent as cover), only the colleague's files handed to them. Anyone else gets 404.
 */
export async function planView(
  ctx: Ctx,
  userId: string | undefined,
): Promise<{ userId: string; scope: SQL; viewer: string }> {
  const actor = asStaff(ctx.actor);
  const me = actor.kind === "agent" ? actor.userId : undefined;
  if (!userId || userId === me || seesAllPlans(actor) || !me) {
    const target = await planUser(ctx, userId);
    return { userId: target, scope: ofUser(target) as SQL, viewer: target };
  }
  const [covering] = await ctx.db
    .select({ id: plannerAbsences.id })
    .from(plannerAbsences)
    .where(
      and(
        eq(plannerAbsences.agentId, userId),
        eq(plannerAbsences.coverId, me),
        eq(plannerAbsences.status, "active"),
      ),
    )
    .limit(1);
  if (!covering) throw notFound("User");
  return {
    userId,
    scope: and(eq(plannedContacts.ownerId, userId), eq(plannedContacts.coverId, me)) as SQL,
    viewer: me,
  };
}

// ---- Settings and calendar ------------------------------------------------------

export async function loadSettings(db: DbOrTx, userId: string): Promise<SettingsRow> {
  const [row] = await db.select().from(plannerSettings).where(eq(plannerSettings.userId, userId));
  return (
    row ?? {
      userId,
      capacityPerDay: 8,
      workDays: [1, 2, 3, 4, 5],
      reminderEmail: false,
      icalTokenHash: null,
      updatedAt: new Date(0),
    }
  );
}

/** The agent's time zone: their own, else the organization's, else UTC. */
export async function userTimeZone(db: DbOrTx, userId: string): Promise<string> {
  const [row] = await db
    .select({ user: users.timeZone, org: settings.timeZone })
    .from(users)
    .leftJoin(settings, eq(settings.id, 1))
    .where(eq(users.id, userId));
  return row?.user ?? row?.org ?? "UTC";
}

async function absencesOf(db: DbOrTx, userId: string, from: string, to: string) {
  return db
    .select({ from: plannerAbsences.fromDate, to: plannerAbsences.toDate })
    .from(plannerAbsences)
    .where(
      and(
        eq(plannerAbsences.agentId, userId),
        inArray(plannerAbsences.status, ["scheduled", "active"]),
        lte(plannerAbsences.fromDate, to),
        gte(plannerAbsences.toDate, from),
      ),
    );
}

/** Contacts per day: the agent's capacity on working days they are not away, else 0. */
export async function capacityFn(db: DbOrTx, userId: string, from: string, to: string) {
  const s = await loadSettings(db, userId);
  const away = await absencesOf(db, userId, from, to);
  return {
    settings: s,
    absent: (date: string) => away.some((a) => a.from <= date && date <= a.to),
    capacity: (date: string) => {
      const { y, m, d } = parseDate(date);
      if (!s.workDays.includes(new Date(Date.UTC(y, m - 1, d)).getUTCDay())) return 0;
      if (away.some((a) => a.from <= date && date <= a.to)) return 0;
      return s.capacityPerDay;
    },
  };
}

// ---- Reading --------------------------------------------------------------------

const selection = {
  row: plannedContacts,
  contactName: contacts.name,
};

export function toPlanned(
  r: { row: PlannedRow; contactName: string },
  viewer: string | null,
  today: string,
): TPlannedContact {
  const p = r.row;
  let at: string | null = null;
  if (p.time) at = instantOf(p.date, p.time, p.timeZone ?? "UTC").toISOString();
  return {
    id: p.id,
    contact: { id: p.contactId, name: r.contactName },
    ownerId: p.ownerId,
    coverId: p.coverId,
    date: p.date,
    time: p.time,
    timeZone: p.timeZone,
    at,
    channel: p.channel,
    purpose: p.purpose,
    notes: p.notes,
    status: p.status as TPlannedContact["status"],
    outcome: p.outcome,
    completedAt: p.completedAt?.toISOString() ?? null,
    previousId: p.previousId,
    missed: p.status === "planned" && p.date < today,
    covering: viewer !== null && p.coverId === viewer && p.ownerId !== viewer,
    createdAt: p.createdAt.toISOString(),
  };
}

const viewerOf = (ctx: Ctx) => (ctx.actor.kind === "agent" ? ctx.actor.userId : null);

async function loadVisible(db: DbOrTx, actor: Staff, id: string, lock = false) {
  const q = db.select().from(plannedContacts).where(eq(plannedContacts.id, id));
  const [row] = lock ? await q.for("update") : await q;
  if (!row || !canSeePlanned(actor, row)) throw notFound("Planned contact");
  return row;
}

export async function fetchPlanned(ctx: Ctx, id: string): Promise<TPlannedContact> {
  const actor = asStaff(ctx.actor);
  const [r] = await ctx.db
    .select(selection)
    .from(plannedContacts)
    .innerJoin(contacts, eq(contacts.id, plannedContacts.contactId))
    .where(and(eq(plannedContacts.id, id), plannedScope(actor)));
  if (!r) throw notFound("Planned contact");
  const tz = await userTimeZone(ctx.db, r.row.ownerId);
  return toPlanned(r, viewerOf(ctx), todayIn(tz, ctx.now()));
}

/** Plans of a user: owned or covered. */
const ofUser = (userId: string) =>
  or(eq(plannedContacts.ownerId, userId), eq(plannedContacts.coverId, userId));

/** Today's list: the day's planned contacts plus missed ones carried over (flagged), by time. */
export async function today(ctx: Ctx, q: { userId?: string; date?: string }) {
  const { userId, scope, viewer } = await planView(ctx, q.userId);
  const tz = await userTimeZone(ctx.db, userId);
  const now = todayIn(tz, ctx.now());
  const date = q.date ?? now;
  const rows = await ctx.db
    .select(selection)
    .from(plannedContacts)
    .innerJoin(contacts, eq(contacts.id, plannedContacts.contactId))
    .where(and(scope, eq(plannedContacts.status, "planned"), lte(plannedContacts.date, date)))
    .orderBy(
      sql`${plannedContacts.date} < ${date} desc`,
      sql`${plannedContacts.time} asc nulls last`,
      asc(plannedContacts.date),
      asc(plannedContacts.createdAt),
    )
    .limit(1000);
  const { capacity } = await capacityFn(ctx.db, userId, date, date);
  return {
    userId,
    date,
    capacity: capacity(date),
    items: rows.map((r) => ({ ...toPlanned(r, viewer, date), missed: r.row.date < date })),
  };
}

/** The month board: counts per day against capacity, month tabs for the coming months. */
export async function board(ctx: Ctx, q: { userId?: string; month?: string; tabs: number }) {
  const { userId, scope } = await planView(ctx, q.userId);
  const tz = await userTimeZone(ctx.db, userId);
  const now = todayIn(tz, ctx.now());
  const month = q.month ?? monthOf(now);
  const first = firstOfMonth(month);
  const { y, m } = parseDate(first);
  const last = `${month}-${String(daysInMonth(y, m)).padStart(2, "0")}`;
  const tabsEnd = addDays(addMonths(first, q.tabs + 1), -1);
  const counts = await ctx.db.execute(sql`
    select to_char(date, 'YYYY-MM-DD') as date,
      count(*) filter (where status = 'planned')::int as planned,
      count(*) filter (where status = 'done')::int as done
    from ${plannedContacts}
    where ${scope} and date between ${first} and ${tabsEnd}
      and status in ('planned', 'done')
    group by date`);
  const [overdue] = await ctx.db
    .select({ n: sql<number>`count(*)::int` })
    .from(plannedContacts)
    .where(and(scope, eq(plannedContacts.status, "planned"), lt(plannedContacts.date, now)));
  const byDate = new Map<string, { planned: number; done: number }>();
  for (const r of (counts as unknown as { rows: Array<{ date: string; planned: number; done: number }> })
    .rows)
    byDate.set(r.date, { planned: Number(r.planned), done: Number(r.done) });
  const cap = await capacityFn(ctx.db, userId, first, last);
  const days = [];
  for (let d = first; d <= last; d = addDays(d, 1)) {
    const c = byDate.get(d) ?? { planned: 0, done: 0 };
    const capacity = cap.capacity(d);
    days.push({
      date: d,
      day: parseDate(d).d,
      planned: c.planned,
      done: c.done,
      capacity,
      overloaded: c.planned + c.done > capacity,
      absent: cap.absent(d),
    });
  }
  const monthTabs = [];
  for (let i = 1; i <= q.tabs; i++) {
    const tab = monthOf(addMonths(first, i));
    let planned = 0;
    for (const [d, c] of byDate) if (monthOf(d) === tab) planned += c.planned;
    monthTabs.push({ month: tab, planned });
  }
  return {
    userId,
    month,
    today: now,
    capacityPerDay: cap.settings.capacityPerDay,
    days,
    monthTabs,
    overdue: overdue?.n ?? 0,
  };
}

/** A user's planned contacts between two dates (a day's or a month's files, for the board). */
export async function listItems(ctx: Ctx, q: { userId?: string; from: string; to: string; limit: number }) {
  if (q.from > q.to) throw badRequest("from must not be after to", { field: "to" });
  if (addDays(q.from, 62) < q.to) throw badRequest("At most 62 days at once", { field: "to" });
  const { userId, scope, viewer } = await planView(ctx, q.userId);
  const tz = await userTimeZone(ctx.db, userId);
  const rows = await ctx.db
    .select(selection)
    .from(plannedContacts)
    .innerJoin(contacts, eq(contacts.id, plannedContacts.contactId))
    .where(and(scope, gte(plannedContacts.date, q.from), lte(plannedContacts.date, q.to)))
    .orderBy(asc(plannedContacts.date), sql`${plannedContacts.time} asc nulls last`, asc(plannedContacts.id))
    .limit(q.limit);
  const now = todayIn(tz, ctx.now());
  return { items: rows.map((r) => toPlanned(r, viewer, now)) };
}

// ---- Writing --------------------------------------------------------------------

async function assertContact(db: DbOrTx, contactId: string) {
  const [c] = await db.select({ id: contacts.id }).from(contacts).where(eq(contacts.id, contactId));
  if (!c) throw notFound("Contact");
}

/** Agents plan for themselves; managers and admins for any active agent. */
async function resolveOwner(db: DbOrTx, actor: Staff, ownerId: string | undefined): Promise<string> {
  const me = actor.kind === "agent" ? actor.userId : undefined;
  const owner = ownerId ?? me;
  if (!owner) throw badRequest("ownerId is required", { field: "ownerId" });
  requireCan(actor, "plan.assign", { userId: owner });
  const [u] = await db.select({ active: users.active }).from(users).where(eq(users.id, owner));
  if (!u) throw notFound("Owner");
  if (!u.active) throw badRequest("The owner is deactivated", { field: "ownerId" });
  return owner;
}

function checkTime(time: string | null | undefined, timeZone: string | null | undefined) {
  if (timeZone && !time) throw badRequest("A time zone needs a time", { field: "timeZone" });
}

export async function insertPlanned(
  db: DbOrTx,
  values: typeof plannedContacts.$inferInsert,
): Promise<PlannedRow> {
  const [row] = await db.insert(plannedContacts).values(values).returning();
  if (!row) throw new Error("insert returned nothing");
  return row;
}

export async function planContact(ctx: Ctx, input: TPlanContact): Promise<TPlannedContact> {
  const actor = asStaff(ctx.actor);
  checkTime(input.time, input.timeZone);
  const row = await ctx.db.transaction(async (tx) => {
    await assertContact(tx, input.contactId);
    const ownerId = await resolveOwner(tx, actor, input.ownerId);
    const tz = input.time ? (input.timeZone ?? (await userTimeZone(tx, ownerId))) : null;
    return insertPlanned(tx, {
      contactId: input.contactId,
      ownerId,
      date: input.date,
      time: input.time ?? null,
      timeZone: tz,
      channel: input.channel,
      purpose: input.purpose,
      notes: input.notes,
      createdAt: ctx.now(),
      updatedAt: ctx.now(),
    });
  });
  return fetchPlanned(ctx, row.id);
}

export async function updatePlanned(ctx: Ctx, id: string, patch: TUpdatePlanned): Promise<TPlannedContact> {
  const actor = asStaff(ctx.actor);
  await ctx.db.transaction(async (tx) => {
    const row = await loadVisible(tx, actor, id, true);
    if (row.status !== "planned") throw badRequest("Only a planned contact can be changed");
    const time = patch.time === undefined ? row.time : patch.time;
    let timeZone = patch.timeZone === undefined ? row.timeZone : patch.timeZone;
    checkTime(time, patch.timeZone);
    if (!time) timeZone = null;
    else if (!timeZone) timeZone = await userTimeZone(tx, row.ownerId);
    const ownerId = patch.ownerId ? await resolveOwner(tx, actor, patch.ownerId) : row.ownerId;
    await tx
      .update(plannedContacts)
      .set({
        date: patch.date ?? row.date,
        time,
        timeZone,
        channel: patch.channel ?? row.channel,
        purpose: patch.purpose ?? row.purpose,
        notes: patch.notes ?? row.notes,
        status: patch.status ?? row.status,
        ownerId,
        coverId: ownerId === row.ownerId ? row.coverId : null,
        coverAbsenceId: ownerId === row.ownerId ? row.coverAbsenceId : null,
        updatedAt: ctx.now(),
      })
      .where(eq(plannedContacts.id, id));
  });
  return fetchPlanned(ctx, id);
}

/**
 * Moves one or many planned contacts to a day. All or nothing: any id the actor may not
 * see (or that is no longer planned) rejects the whole move with 404 and moves nothing.
 */
export async function moveContacts(ctx: Ctx, input: TMove) {
  const actor = asStaff(ctx.actor);
  const ids = [...new Set(input.ids)];
  if (ids.length > MAX_BULK) throw badRequest(`At most ${MAX_BULK} ids at once`, { field: "ids" });
  await ctx.db.transaction(async (tx) => {
    const rows = await tx
      .select({ id: plannedContacts.id, ownerId: plannedContacts.ownerId, coverId: plannedContacts.coverId })
      .from(plannedContacts)
      .where(and(inArray(plannedContacts.id, ids), eq(plannedContacts.status, "planned")))
      .for("update");
    const visible = rows.filter((r) => canSeePlanned(actor, r));
    if (visible.length !== ids.length)
      throw new AppError("not_found", 404, "Planned contact not found", {
        missing: ids.filter((id) => !visible.some((v) => v.id === id)).slice(0, 20),
      });
    await tx
      .update(plannedContacts)
      .set({ date: input.date, updatedAt: ctx.now() })
      .where(inArray(plannedContacts.id, ids));
  });
  return { moved: ids.length, date: input.date };
}

/** "Spread this day": the surplus over capacity moves to the next days with room. */
export async function spread(ctx: Ctx, input: { date: string; userId?: string }) {
  const userId = await planUser(ctx, input.userId);
  const horizon = 62;
  return ctx.db.transaction(async (tx) => {
    const end = addDays(input.date, horizon);
    const rows = await tx
      .select({ id: plannedContacts.id, date: plannedContacts.date, status: plannedContacts.status })
      .from(plannedContacts)
      .where(
        and(
          ofUser(userId),
          inArray(plannedContacts.status, ["planned", "done"]),
          gte(plannedContacts.date, input.date),
          lte(plannedContacts.date, end),
        ),
      )
      // Done contacts come first in the day's order: they keep their day, planned ones move.
      .orderBy(
        asc(plannedContacts.date),
        sql`${plannedContacts.status} = 'planned'`,
        sql`${plannedContacts.time} asc nulls last`,
        asc(plannedContacts.createdAt),
        asc(plannedContacts.id),
      )
      .for("update");
    const doneIds = new Set(rows.filter((r) => r.status === "done").map((r) => r.id));
    const { capacity } = await capacityFn(tx, userId, input.date, end);
    const { moves, unplaced } = spreadDay(rows, input.date, capacity, horizon);
    const movable = moves.filter((m) => !doneIds.has(m.id));
    for (const m of movable)
      await tx
        .update(plannedContacts)
        .set({ date: m.to, updatedAt: ctx.now() })
        .where(eq(plannedContacts.id, m.id));
    return { moves: movable, unplaced };
  });
}

async function cadenceOf(db: DbOrTx, contactId: string): Promise<Cadence | null> {
  const [c] = await db.select().from(plannerCadences).where(eq(plannerCadences.contactId, contactId));
  return c ? { every: c.every, unit: c.unit as Cadence["unit"], anchorDay: c.anchorDay ?? undefined } : null;
}

/**
 * Completes a contact and files the next one in one step: the outcome is logged on the
 * row (shown on the contact's timeline), and the next contact lands on the chosen date,
 * or the client's cadence date when no choice is given.
 */
export async function completeContact(ctx: Ctx, id: string, input: TComplete) {
  const actor = asStaff(ctx.actor);
  const nextId = await ctx.db.transaction(async (tx) => {
    const row = await loadVisible(tx, actor, id, true);
    if (row.status !== "planned") throw badRequest("This contact is already completed");
    const tz = await userTimeZone(tx, row.ownerId);
    const now = ctx.now();
    await tx
      .update(plannedContacts)
      .set({
        status: input.status,
        outcome: input.outcome,
        completedAt: now,
        completedById: actor.kind === "agent" ? actor.userId : null,
        updatedAt: now,
      })
      .where(eq(plannedContacts.id, id));
    let nextDate: string | null = null;
    if (input.next) {
      nextDate = quickChoiceDate(input.next, now, tz);
    } else {
      // The cadence keeps the rhythm of the planned dates; a late completion skips to the first date after today.
      const cadence = await cadenceOf(tx, row.contactId);
      if (cadence) {
        const today = todayIn(tz, now);
        nextDate = nextCadenceDate(row.date, cadence);
        while (nextDate <= today) nextDate = nextCadenceDate(nextDate, cadence);
      }
    }
    if (!nextDate) return null;
    const next = await insertPlanned(tx, {
      contactId: row.contactId,
      ownerId: row.ownerId,
      coverId: row.coverId,
      coverAbsenceId: row.coverAbsenceId,
      date: nextDate,
      time: input.nextTime ?? null,
      timeZone: input.nextTime ? (row.timeZone ?? tz) : null,
      channel: input.nextChannel ?? row.channel,
      purpose: input.nextPurpose ?? row.purpose,
      notes: input.outcome,
      previousId: row.id,
      createdAt: now,
      updatedAt: now,
    });
    return next.id;
  });
  return { completed: await fetchPlanned(ctx, id), next: nextId ? await fetchPlanned(ctx, nextId) : null };
}

// ---- Cadence --------------------------------------------------------------------

export async function getCadence(ctx: Ctx, contactId: string) {
  asStaff(ctx.actor);
  await assertContact(ctx.db, contactId);
  const [c] = await ctx.db.select().from(plannerCadences).where(eq(plannerCadences.contactId, contactId));
  return c ? { every: c.every, unit: c.unit as Cadence["unit"], anchorDay: c.anchorDay } : null;
}

export async function setCadence(
  ctx: Ctx,
  contactId: string,
  input: { every: number; unit: Cadence["unit"] },
) {
  asStaff(ctx.actor);
  await assertContact(ctx.db, contactId);
  // A monthly series keeps the day of month it starts on (clamped in short months).
  const [next] = await ctx.db
    .select({ date: plannedContacts.date })
    .from(plannedContacts)
    .where(and(eq(plannedContacts.contactId, contactId), eq(plannedContacts.status, "planned")))
    .orderBy(asc(plannedContacts.date))
    .limit(1);
  const anchorDay = input.unit === "month" && next ? parseDate(next.date).d : null;
  const values = { contactId, every: input.every, unit: input.unit, anchorDay, updatedAt: ctx.now() };
  await ctx.db
    .insert(plannerCadences)
    .values(values)
    .onConflictDoUpdate({ target: plannerCadences.contactId, set: values });
  return getCadence(ctx, contactId);
}

export async function deleteCadence(ctx: Ctx, contactId: string) {
  asStaff(ctx.actor);
  await assertContact(ctx.db, contactId);
  await ctx.db.delete(plannerCadences).where(eq(plannerCadences.contactId, contactId));
}

// ---- Settings -------------------------------------------------------------------

export async function getSettings(ctx: Ctx, userId?: string) {
  const uid = await planUser(ctx, userId);
  const s = await loadSettings(ctx.db, uid);
  return {
    capacityPerDay: s.capacityPerDay,
    workDays: s.workDays,
    reminderEmail: s.reminderEmail,
    icalFeed: s.icalTokenHash !== null,
    timeZone: await userTimeZone(ctx.db, uid),
  };
}

export async function updateSettings(
  ctx: Ctx,
  userId: string | undefined,
  patch: { capacityPerDay?: number; workDays?: number[]; reminderEmail?: boolean },
) {
  const uid = await planUser(ctx, userId);
  const cur = await loadSettings(ctx.db, uid);
  const values = {
    userId: uid,
    capacityPerDay: patch.capacityPerDay ?? cur.capacityPerDay,
    workDays: patch.workDays ?? cur.workDays,
    reminderEmail: patch.reminderEmail ?? cur.reminderEmail,
    updatedAt: ctx.now(),
  };
  await ctx.db
    .insert(plannerSettings)
    .values(values)
    .onConflictDoUpdate({ target: plannerSettings.userId, set: values });
  return getSettings(ctx, uid);
}

/** The next open planned contact of a contact (the dossier's "next contact"). */
export async function nextPlannedFor(db: DbOrTx, contactId: string, scope?: SQL) {
  const [row] = await db
    .select()
    .from(plannedContacts)
    .where(and(eq(plannedContacts.contactId, contactId), eq(plannedContacts.status, "planned"), scope))
    .orderBy(asc(plannedContacts.date), sql`${plannedContacts.time} asc nulls last`)
    .limit(1);
  return row ?? null;
}
