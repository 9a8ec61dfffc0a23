/**
 * Business-hours maths on IANA time zones: weekly schedules with several intervals a
 * day (an interval whose end is not after its start runs overnight into the next
 * day), one-off and yearly holidays that close a whole local calendar day, adding a
 * business duration to an instant, and measuring business time between instants.
 * Pure functions over epoch milliseconds; the SLA engine builds on them.
 */
export type Weekday = 0 | 1 | 2 | 3 | 4 | 5 | 6; // Sunday = 0, as Date#getUTCDay
export type DayInterval = { start: string; end: string }; // "HH:MM", 24-hour local time
export type Holiday = { date: string; yearly?: boolean; name?: string }; // "YYYY-MM-DD"

export type Calendar = {
  timeZone: string;
  /** Intervals per weekday; a missing weekday is closed. "00:00"-"24:00" is a whole day. */
  week: Partial<Record<Weekday, DayInterval[]>>;
  holidays?: Holiday[];
};

/** Calendar hours: always open (for targets counted in calendar time). */
export const ALWAYS_OPEN: Calendar = {
  timeZone: "UTC",
  week: Object.fromEntries([0, 1, 2, 3, 4, 5, 6].map((d) => [d, [{ start: "00:00", end: "24:00" }]])),
};

const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

function wallClockOf(instant: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(instant))) {
    if (p.type !== "literal") parts[p.type] = Number(p.value);
  }
  const ms = ((instant % 1000) + 1000) % 1000;
  return (
    Date.UTC(
      parts.year ?? 1970,
      (parts.month ?? 1) - 1,
      parts.day ?? 1,
      parts.hour ?? 0,
      parts.minute ?? 0,
      parts.second ?? 0,
    ) + ms
  );
}

/**
 * UTC offsets per time zone and UTC minute. `formatToParts` costs microseconds and the
 * business-hours walk asks for the same few instants (day starts, "now") for every
 * ticket. Since 1980 every time-zone transition falls on a whole minute, so the offset
 * is constant within a minute; earlier instants are not cached.
 */
const offsets = new Map<string, Map<number, number>>();
const CACHE_FROM = Date.UTC(1980, 0, 1);
const CACHE_MAX = 20_000;

/** The local wall-clock time of an instant, as if it were UTC (ms). */
export function localWallClock(instant: number, timeZone: string): number {
  if (instant < CACHE_FROM) return wallClockOf(instant, timeZone);
  const minute = Math.floor(instant / 60_000);
  let zone = offsets.get(timeZone);
  const cached = zone?.get(minute);
  if (cached !== undefined) return instant + cached;
  const wall = wallClockOf(instant, timeZone);
  if (!zone || zone.size >= CACHE_MAX) {
    zone = new Map();
    offsets.set(timeZone, zone);
  }
  zone.set(minute, wall - instant);
  return wall;
}

/** UTC offset (ms) of a time zone at an instant. */
export const offsetAt = (instant: number, timeZone: string) => localWallClock(instant, timeZone) - instant;

/**
 * The instant at which the local wall clock of `timeZone` reads `wall` (a UTC-encoded
 * local time). A wall time inside a DST gap is moved forward by the gap's length (as
 * Temporal's "compatible" disambiguation does); in an overlap, the earlier instant is used.
 */
export function instantOfWallClock(wall: number, timeZone: string): number {
  const first = wall - offsetAt(wall, timeZone);
  const second = wall - offsetAt(first, timeZone);
  if (localWallClock(second, timeZone) === wall) {
    const earlier = wall - offsetAt(second - 3 * 3600_000, timeZone);
    return localWallClock(earlier, timeZone) === wall ? Math.min(earlier, second) : second;
  }
  // The wall time does not exist (spring-forward gap): keep the offset from before the gap.
  return Math.max(first, second);
}

function minutes(hhmm: string): number {
  const m = /^(\d{2}):(\d{2})$/.exec(hhmm);
  if (!m) throw new Error(`Invalid time "${hhmm}" (HH:MM)`);
  const value = Number(m[1]) * 60 + Number(m[2]);
  if (value > 24 * 60 || Number(m[2]) > 59) throw new Error(`Invalid time "${hhmm}"`);
  return value;
}

/** Checks a calendar; throws with a readable message when something is off. */
export function validateCalendar(cal: Calendar): void {
  formatter(cal.timeZone);
  for (const [day, intervals] of Object.entries(cal.week)) {
    if (!/^[0-6]$/.test(day)) throw new Error(`Invalid weekday ${day}`);
    for (const i of intervals ?? []) {
      if (minutes(i.start) === minutes(i.end)) throw new Error(`Empty interval ${i.start}-${i.end}`);
      if (minutes(i.start) >= 24 * 60) throw new Error(`An interval cannot start at ${i.start}`);
    }
  }
  for (const h of cal.holidays ?? []) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(h.date) || Number.isNaN(Date.parse(`${h.date}T00:00:00Z`))) {
      throw new Error(`Invalid holiday date ${h.date}`);
    }
  }
}

function isHoliday(cal: Calendar, dayWall: number): boolean {
  const iso = new Date(dayWall).toISOString().slice(0, 10);
  return (cal.holidays ?? []).some((h) => (h.yearly ? h.date.slice(5) === iso.slice(5) : h.date === iso));
}

/** Open windows [start, end) as instants, merged and in order, covering [from, to). */
export function openWindows(cal: Calendar, from: number, to: number): Array<[number, number]> {
  if (to <= from) return [];
  const tz = cal.timeZone;
  const firstDay = Math.floor(localWallClock(from, tz) / DAY_MS) * DAY_MS - DAY_MS;
  const lastDay = Math.floor(localWallClock(to, tz) / DAY_MS) * DAY_MS + DAY_MS;
  const raw: Array<[number, number]> = [];
  for (let day = firstDay; day <= lastDay; day += DAY_MS) {
    const weekday = new Date(day).getUTCDay() as Weekday;
    for (const i of cal.week[weekday] ?? []) {
      const s = minutes(i.start);
      let e = minutes(i.end);
      if (e <= s) e += 24 * 60; // overnight
      // Holidays close whole local days: cut the interval into per-day pieces.
      for (let pieceStart = s; pieceStart < e; ) {
        const dayOffset = Math.floor(pieceStart / (24 * 60));
        const pieceEnd = Math.min(e, (dayOffset + 1) * 24 * 60);
        const pieceDay = day + dayOffset * DAY_MS;
        if (!isHoliday(cal, pieceDay)) {
          const a = instantOfWallClock(day + pieceStart * 60_000, tz);
          const b = instantOfWallClock(day + pieceEnd * 60_000, tz);
          const lo = Math.max(a, from);
          const hi = Math.min(b, to);
          if (hi > lo) raw.push([lo, hi]);
        }
        pieceStart = pieceEnd;
      }
    }
  }
  raw.sort((x, y) => x[0] - y[0]);
  const merged: Array<[number, number]> = [];
  for (const w of raw) {
    const last = merged.at(-1);
    if (last && w[0] <= last[1]) last[1] = Math.max(last[1], w[1]);
    else merged.push([w[0], w[1]]);
  }
  return merged;
}

/** Whether the calendar is open at an instant. */
export function isOpen(cal: Calendar, at: number): boolean {
  return openWindows(cal, at, at + 1).length > 0;
}

/** Business time (ms) between two instants (0 when b <= a). */
export function businessTimeBetween(cal: Calendar, a: number, b: number): number {
  let total = 0;
  for (const [s, e] of openWindows(cal, a, b)) total += e - s;
  return total;
}

/** Business time in [a, b) minus the parts covered by pauses (e.g. time spent pending). */
export function businessTimeExcluding(
  cal: Calendar,
  a: number,
  b: number,
  pauses: Array<{ from: number; to: number | null }>,
): number {
  let total = businessTimeBetween(cal, a, b);
  const spans = pauses
    .map((p) => [Math.max(a, p.from), Math.min(b, p.to ?? b)] as [number, number])
    .filter(([s, e]) => e > s)
    .sort((x, y) => x[0] - y[0]);
  let covered = a;
  for (const [s, e] of spans) {
    const start = Math.max(s, covered);
    if (e > start) total -= businessTimeBetween(cal, start, e);
    covered = Math.max(covered, e);
  }
  return total;
}

/**
 * The instant when `duration` ms of business time have passed since `start`. With a
 * positive duration the result always lies inside or at the closing edge of an open
 * window. Searches up to `horizonDays` ahead (a calendar with no open time throws).
 */
export function addBusinessTime(cal: Calendar, start: number, duration: number, horizonDays = 3700): number {
  if (duration <= 0) return start;
  let remaining = duration;
  const step = 14 * DAY_MS;
  for (let from = start; from < start + horizonDays * DAY_MS; from += step) {
    for (const [s, e] of openWindows(cal, from, from + step)) {
      if (e - s >= remaining) return s + remaining;
      remaining -= e - s;
    }
  }
  throw new Error("The calendar has no open time in the next ten years");
}

/** The next instant at or after `at` when the calendar is open. */
export function nextOpening(cal: Calendar, at: number, horizonDays = 3700): number {
  const step = 14 * DAY_MS;
  for (let from = at; from < at + horizonDays * DAY_MS; from += step) {
    const [first] = openWindows(cal, from, from + step);
    if (first) return first[0];
  }
  throw new Error("The calendar has no open time in the next ten years");
}
