import { instantOfWallClock, localWallClock } from "../sla/business-hours.ts";

/**
 * The planner's rules as pure functions: the tickler-file binder (tabs 1-31 and tabs
 * for the coming months) over calendar dates. A date is a "YYYY-MM-DD" string in the
 * owner's calendar; no time zone maths happens on dates, only on "today" and on a
 * planned time of day.
 */
export type IsoDate = string;

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function parseDate(date: IsoDate): { y: number; m: number; d: number } {
  const m = DATE_RE.exec(date);
  if (!m) throw new RangeError(`Invalid date "${date}" (YYYY-MM-DD)`);
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (y < 1900 || y > 2999 || mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo))
    throw new RangeError(`Invalid date "${date}"`);
  return { y, m: mo, d };
}

export function isValidDate(date: string): boolean {
  try {
    parseDate(date);
    return true;
  } catch {
    return false;
  }
}

export const daysInMonth = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

const pad = (n: number, w = 2) => String(n).padStart(w, "0");
export const formatDate = (y: number, m: number, d: number): IsoDate => `${pad(y, 4)}-${pad(m)}-${pad(d)}`;

const toUtcDay = (date: IsoDate) => {
  const { y, m, d } = parseDate(date);
  return Date.UTC(y, m - 1, d);
};
const fromUtcDay = (ms: number): IsoDate => {
  const t = new Date(ms);
  return formatDate(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
};

export const addDays = (date: IsoDate, n: number): IsoDate => fromUtcDay(toUtcDay(date) + n * 86_400_000);

/** Days from a to b (b - a). */
export const daysBetween = (a: IsoDate, b: IsoDate) => Math.round((toUtcDay(b) - toUtcDay(a)) / 86_400_000);

/**
 * Adds calendar months, clamping to the month's last day (Jan 31 + 1 month = Feb 28/29).
 * `anchorDay` is the day of month the series started on, so a clamped date climbs back
 * (Jan 31 -> Feb 28 -> Mar 31) instead of drifting to the 28th for ever.
 */
export function addMonths(date: IsoDate, n: number, anchorDay?: number): IsoDate {
  const { y, m, d } = parseDate(date);
  const index = y * 12 + (m - 1) + n;
  const ny = Math.floor(index / 12);
  const nm = (index % 12) + 1;
  return formatDate(ny, nm, Math.min(anchorDay ?? d, daysInMonth(ny, nm)));
}

export const monthOf = (date: IsoDate) => date.slice(0, 7);
export const firstOfMonth = (month: string) => `${month}-01`;

export function isValidTimeZone(tz: string): boolean {
  if (typeof tz !== "string" || tz.length === 0 || tz.length > 64 || tz.includes("\0")) return false;
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Today's date in a time zone. */
export const todayIn = (timeZone: string, now: Date): IsoDate =>
  fromUtcDay(Math.floor(localWallClock(now.getTime(), timeZone) / 86_400_000) * 86_400_000);

/** The instant a local date and time ("HH:MM") happen in a time zone. */
export function instantOf(date: IsoDate, time: string, timeZone: string): Date {
  const t = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(time);
  if (!t) throw new RangeError(`Invalid time "${time}" (HH:MM)`);
  const wall = toUtcDay(date) + (Number(t[1]) * 60 + Number(t[2])) * 60_000;
  return new Date(instantOfWallClock(wall, timeZone));
}

// ---- Quick choices after a contact ----------------------------------------------

export type QuickChoice =
  | { kind: "tomorrow" }
  | { kind: "in_a_week" }
  | { kind: "in_a_month" }
  | { kind: "on_date"; date: IsoDate }
  | { kind: "none" };

/** The next contact's date for a quick choice, counted from today in the owner's zone; null = no further contact. */
export function quickChoiceDate(choice: QuickChoice, now: Date, timeZone: string): IsoDate | null {
  const today = todayIn(timeZone, now);
  switch (choice.kind) {
    case "tomorrow":
      return addDays(today, 1);
    case "in_a_week":
      return addDays(today, 7);
    case "in_a_month":
      return addMonths(today, 1);
    case "on_date":
      parseDate(choice.date);
      return choice.date;
    case "none":
      return null;
  }
}

// ---- Recurring cadence ----------------------------------------------------------

export type CadenceUnit = "day" | "week" | "month";
export type Cadence = { every: number; unit: CadenceUnit; anchorDay?: number };

/** The next date of a cadence after `from` (month steps clamp to the month's end, anchored). */
export function nextCadenceDate(from: IsoDate, cadence: Cadence): IsoDate {
  if (!Number.isInteger(cadence.every) || cadence.every < 1 || cadence.every > 366)
    throw new RangeError("A cadence is every 1 to 366 units");
  switch (cadence.unit) {
    case "day":
      return addDays(from, cadence.every);
    case "week":
      return addDays(from, 7 * cadence.every);
    case "month":
      return addMonths(from, cadence.every, cadence.anchorDay);
  }
}

// ---- The binder: day tabs and month tabs ---------------------------------------

export type BinderTab = { kind: "day"; day: number } | { kind: "month"; month: string } | { kind: "overdue" };

/**
 * Where a client's file sits in the binder on `today`: behind a day tab (this month),
 * behind a month tab (a later month, until that month begins), or overdue (a past
 * date not yet done: it is carried over and flagged).
 */
export function binderTab(date: IsoDate, today: IsoDate): BinderTab {
  if (date < today) return { kind: "overdue" };
  if (monthOf(date) === monthOf(today)) return { kind: "day", day: parseDate(date).d };
  return { kind: "month", month: monthOf(date) };
}

// ---- Moving and spreading -------------------------------------------------------

export type Planned = { id: string; date: IsoDate };
export type Move = { id: string; from: IsoDate; to: IsoDate };

/** Moves the given items to `to`; every item stays exactly once. Unknown ids are ignored. */
export function moveItems<T extends Planned>(items: T[], ids: Iterable<string>, to: IsoDate): T[] {
  parseDate(to);
  const set = new Set(ids);
  return items.map((it) => (set.has(it.id) ? { ...it, date: to } : it));
}

export type Capacity = (date: IsoDate) => number;

/**
 * "Spread this day": keeps the first `capacity(day)` items of the day (in the given
 * order) and moves the rest, one by one, to the next days that still have free
 * capacity, within `horizonDays`. A day never receives more than its free capacity;
 * what finds no room within the horizon stays where it is (`unplaced`).
 */
export function spreadDay(
  items: Planned[],
  day: IsoDate,
  capacity: Capacity,
  horizonDays = 62,
): { moves: Move[]; unplaced: string[] } {
  parseDate(day);
  const counts = new Map<IsoDate, number>();
  for (const it of items) counts.set(it.date, (counts.get(it.date) ?? 0) + 1);
  const onDay = items.filter((it) => it.date === day);
  const keep = Math.max(0, capacity(day));
  const surplus = onDay.slice(keep);
  const moves: Move[] = [];
  const unplaced: string[] = [];
  let offset = 1;
  for (const it of surplus) {
    let placed = false;
    while (offset <= horizonDays) {
      const target = addDays(day, offset);
      const used = counts.get(target) ?? 0;
      if (used < capacity(target)) {
        counts.set(target, used + 1);
        moves.push({ id: it.id, from: day, to: target });
        placed = true;
        break;
      }
      offset++;
    }
    if (!placed) unplaced.push(it.id);
  }
  return { moves, unplaced };
}

// ---- Absence and handover -------------------------------------------------------

export type Absence = { agentId: string; from: IsoDate; to: IsoDate; coverId: string };
export type Owned = { id: string; ownerId: string; date: IsoDate; coverId: string | null; done?: boolean };

/** Whether an absence is in force on a date (inclusive on both ends). */
export const absenceActive = (a: Absence, date: IsoDate) => a.from <= date && date <= a.to;

/**
 * Handover at the start of an absence: every open item the absent agent owns that falls
 * due by the end of the absence (overdue ones included) is covered by the colleague.
 */
export function handOver<T extends Owned>(items: T[], absence: Absence): T[] {
  if (absence.agentId === absence.coverId) throw new RangeError("An agent cannot cover themselves");
  return items.map((it) =>
    it.ownerId === absence.agentId && !it.done && it.date <= absence.to && it.coverId === null
      ? { ...it, coverId: absence.coverId }
      : it,
  );
}

/** Hand-back after the absence: what the colleague was covering for it returns to its owner. */
export function handBack<T extends Owned>(items: T[], absence: Absence): T[] {
  return items.map((it) =>
    it.ownerId === absence.agentId && it.coverId === absence.coverId ? { ...it, coverId: null } : it,
  );
}

/** Who works an item on a date: its cover while the owner is away, else the owner. */
export const workerOf = (it: Owned) => it.coverId ?? it.ownerId;

/** Absences that must start (hand over) or end (hand back) given the day, for the boundary jobs. */
export function absenceBoundary(a: Absence, today: IsoDate): "before" | "during" | "after" {
  if (today < a.from) return "before";
  if (today > a.to) return "after";
  return "during";
}
