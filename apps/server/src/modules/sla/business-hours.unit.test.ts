import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ALWAYS_OPEN,
  addBusinessTime,
  businessTimeBetween,
  businessTimeExcluding,
  type Calendar,
  instantOfWallClock,
  isOpen,
  localWallClock,
  nextOpening,
  openWindows,
  validateCalendar,
} from "./business-hours.ts";

/** Property tests run many cases: a time budget that holds on a busy 2-core machine. */
const PROPERTY = { timeout: 60_000 };

const H = 3600_000;
const weekdays = (start: string, end: string) =>
  Object.fromEntries([1, 2, 3, 4, 5].map((d) => [d, [{ start, end }]]));

const officeHCM: Calendar = {
  timeZone: "Asia/Ho_Chi_Minh",
  week: weekdays("08:00", "17:00"),
  holidays: [{ date: "2026-09-02", yearly: true, name: "Quốc khánh" }],
};
const calendars: Calendar[] = [
  officeHCM,
  {
    timeZone: "Europe/Berlin",
    week: {
      ...weekdays("09:00", "12:30"),
      1: [
        { start: "09:00", end: "12:30" },
        { start: "13:30", end: "18:00" },
      ],
    },
  },
  {
    timeZone: "America/New_York",
    week: weekdays("01:30", "03:30"),
    holidays: [{ date: "2026-12-25", yearly: true }],
  },
  {
    timeZone: "Asia/Phnom_Penh",
    week: {
      1: [{ start: "22:00", end: "06:00" }],
      3: [{ start: "22:00", end: "06:00" }],
      6: [{ start: "07:00", end: "11:00" }],
    },
  },
  {
    timeZone: "Asia/Kolkata",
    week: { 0: [{ start: "00:00", end: "24:00" }], 4: [{ start: "09:30", end: "18:30" }] },
    holidays: [{ date: "2026-01-26", yearly: true }, { date: "2026-11-08" }],
  },
  {
    timeZone: "Europe/Berlin",
    week: Object.fromEntries([0, 1, 2, 3, 4, 5, 6].map((d) => [d, [{ start: "00:00", end: "24:00" }]])),
  },
  ALWAYS_OPEN,
];

// Instants from 2025 to 2028: several DST transitions in Berlin and New York.
const instant = fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2028, 0, 1) });
const duration = fc.integer({ min: 1, max: 200 * H });
const calendar = fc.constantFrom(...calendars);
const local = (at: number, tz: string) => new Date(localWallClock(at, tz)).toISOString().slice(0, 16);

describe("business hours: examples", () => {
  it("promises 10 business hours from Friday 16:00 in Ho Chi Minh City for Monday 17:00", () => {
    const friday = instantOfWallClock(Date.UTC(2026, 10, 20, 16, 0), "Asia/Ho_Chi_Minh");
    const due = addBusinessTime(officeHCM, friday, 10 * H);
    expect(local(due, "Asia/Ho_Chi_Minh")).toBe("2026-11-23T17:00");
    expect(local(addBusinessTime(officeHCM, friday, 8 * H), "Asia/Ho_Chi_Minh")).toBe("2026-11-23T15:00");
  });

  it("skips a yearly holiday", () => {
    const eve = instantOfWallClock(Date.UTC(2027, 8, 1, 16, 0), "Asia/Ho_Chi_Minh"); // Wed 1 Sep 2027
    expect(local(addBusinessTime(officeHCM, eve, 2 * H), "Asia/Ho_Chi_Minh")).toBe("2027-09-03T09:00");
  });

  it("counts an overnight shift across midnight", () => {
    const cal = calendars[3] as Calendar;
    const mondayNight = instantOfWallClock(Date.UTC(2026, 10, 23, 23, 0), "Asia/Phnom_Penh");
    expect(local(addBusinessTime(cal, mondayNight, 5 * H), "Asia/Phnom_Penh")).toBe("2026-11-24T04:00");
    expect(local(addBusinessTime(cal, mondayNight, 8 * H), "Asia/Phnom_Penh")).toBe("2026-11-25T23:00");
  });

  it("has a 23-hour and a 25-hour day around Berlin's DST changes", () => {
    const cal = calendars[5] as Calendar;
    const day = (y: number, m: number, d: number) => instantOfWallClock(Date.UTC(y, m, d), "Europe/Berlin");
    expect(businessTimeBetween(cal, day(2026, 2, 29), day(2026, 2, 30))).toBe(23 * H);
    expect(businessTimeBetween(cal, day(2026, 9, 25), day(2026, 9, 26))).toBe(25 * H);
  });

  it("handles the missing and the repeated hour in New York", () => {
    const sundayNight: Calendar = {
      timeZone: "America/New_York",
      week: { 0: [{ start: "01:30", end: "03:30" }] },
    };
    // 14 March 2027: 02:00-03:00 does not exist, so 01:30-03:30 lasts one real hour.
    const spring = instantOfWallClock(Date.UTC(2027, 2, 14, 0, 0), "America/New_York");
    expect(businessTimeBetween(sundayNight, spring, spring + 6 * H)).toBe(1 * H);
    // 1 November 2026: 01:00-02:00 happens twice, so 01:30-03:30 lasts three real hours.
    const fall = instantOfWallClock(Date.UTC(2026, 10, 1, 0, 0), "America/New_York");
    expect(businessTimeBetween(sundayNight, fall, fall + 6 * H)).toBe(3 * H);
    // A wall time inside the gap moves forward by the gap's length: 02:30 -> 03:30 EDT (07:30 UTC).
    expect(instantOfWallClock(Date.UTC(2027, 2, 14, 2, 30), "America/New_York")).toBe(
      Date.UTC(2027, 2, 14, 7, 30),
    );
  });

  it("refuses broken calendars", () => {
    expect(() => validateCalendar({ timeZone: "Mars/Base", week: {} })).toThrow();
    expect(() =>
      validateCalendar({ timeZone: "UTC", week: { 1: [{ start: "9:00", end: "17:00" }] } }),
    ).toThrow();
    expect(() =>
      validateCalendar({ timeZone: "UTC", week: { 1: [{ start: "09:00", end: "09:00" }] } }),
    ).toThrow();
    expect(() =>
      validateCalendar({ timeZone: "UTC", week: {}, holidays: [{ date: "2026-13-01" }] }),
    ).toThrow();
    expect(() => addBusinessTime({ timeZone: "UTC", week: {} }, 0, H, 30)).toThrow();
  });
});

describe("business hours: properties", () => {
  it("due times never fall outside business hours", PROPERTY, () => {
    fc.assert(
      fc.property(calendar, instant, duration, (cal, start, d) => {
        const due = addBusinessTime(cal, start, d);
        expect(due).toBeGreaterThan(start);
        expect(isOpen(cal, due - 1)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it("adding a duration then measuring it back round-trips exactly", PROPERTY, () => {
    fc.assert(
      fc.property(calendar, instant, duration, (cal, start, d) => {
        expect(businessTimeBetween(cal, start, addBusinessTime(cal, start, d))).toBe(d);
      }),
      { numRuns: 300 },
    );
  });

  it("adding in two steps equals adding once, and later due times for longer durations", PROPERTY, () => {
    fc.assert(
      fc.property(calendar, instant, duration, duration, (cal, start, d1, d2) => {
        const once = addBusinessTime(cal, start, d1 + d2);
        expect(addBusinessTime(cal, addBusinessTime(cal, start, d1), d2)).toBe(once);
        expect(addBusinessTime(cal, start, d1)).toBeLessThanOrEqual(once);
      }),
      { numRuns: 200 },
    );
  });

  it("business time is additive over adjacent spans and never exceeds wall time", PROPERTY, () => {
    fc.assert(
      fc.property(calendar, instant, fc.nat(30 * 24 * H), fc.nat(30 * 24 * H), (cal, a, x, y) => {
        const b = a + x;
        const c = b + y;
        expect(businessTimeBetween(cal, a, b) + businessTimeBetween(cal, b, c)).toBe(
          businessTimeBetween(cal, a, c),
        );
        expect(businessTimeBetween(cal, a, c)).toBeLessThanOrEqual(c - a);
      }),
      { numRuns: 200 },
    );
  });

  it("pauses remove exactly the business time they cover", PROPERTY, () => {
    fc.assert(
      fc.property(
        calendar,
        instant,
        fc.array(fc.tuple(fc.nat(20 * 24 * H), fc.nat(5 * 24 * H)), { maxLength: 4 }),
        (cal, a, raw) => {
          const b = a + 20 * 24 * H;
          const pauses = raw.map(([off, len]) => ({ from: a + off, to: a + off + len }));
          // Expected: business time of [a, b) minus the union of pauses, measured window by window.
          let expected = 0;
          for (const [s, e] of openWindows(cal, a, b)) {
            const cuts = pauses
              .map((p) => [Math.max(s, p.from), Math.min(e, p.to)] as [number, number])
              .filter(([x, y]) => y > x)
              .sort((p, q) => p[0] - q[0]);
            let covered = 0;
            let edge = s;
            for (const [x, y] of cuts) {
              const from = Math.max(x, edge);
              if (y > from) covered += y - from;
              edge = Math.max(edge, y);
            }
            expected += e - s - covered;
          }
          expect(businessTimeExcluding(cal, a, b, pauses)).toBe(expected);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("wall-clock conversion round-trips for every instant, in every zone we serve", PROPERTY, () => {
    const zone = fc.constantFrom(
      "Europe/Berlin",
      "America/New_York",
      "Asia/Phnom_Penh",
      "Asia/Ho_Chi_Minh",
      "Asia/Kolkata",
    );
    fc.assert(
      fc.property(zone, instant, (tz, at) => {
        const t = Math.floor(at / 60_000) * 60_000;
        const back = instantOfWallClock(localWallClock(t, tz), tz);
        // In a repeated hour the earlier instant is chosen, which shows the same wall time.
        expect(localWallClock(back, tz)).toBe(localWallClock(t, tz));
        expect(back).toBeLessThanOrEqual(t);
      }),
      { numRuns: 500 },
    );
  });

  it("the next opening is open, and nothing before it is", PROPERTY, () => {
    fc.assert(
      fc.property(calendar, instant, (cal, at) => {
        const open = nextOpening(cal, at);
        expect(isOpen(cal, open)).toBe(true);
        expect(businessTimeBetween(cal, at, open)).toBe(0);
      }),
      { numRuns: 200 },
    );
  });
});

describe("localWallClock's per-minute offset cache", () => {
  const reference = (instant: number, timeZone: string) => {
    const f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    const p = Object.fromEntries(f.formatToParts(new Date(instant)).map((x) => [x.type, Number(x.value)]));
    const n = (k: string) => p[k] ?? 0;
    return (
      Date.UTC(n("year"), n("month") - 1, n("day"), n("hour"), n("minute"), n("second")) + (instant % 1000)
    );
  };
  it("answers like Intl for any instant, whether the minute was cached or not", PROPERTY, () => {
    const zones = fc.constantFrom(
      "Europe/Berlin",
      "America/New_York",
      "Asia/Kolkata",
      "Asia/Kathmandu",
      "Australia/Lord_Howe",
      "Asia/Phnom_Penh",
    );
    fc.assert(
      fc.property(
        zones,
        fc.integer({ min: Date.UTC(1980, 0, 1), max: Date.UTC(2100, 0, 1) }),
        fc.integer({ min: 0, max: 59_999 }),
        (zone, instant, later) => {
          expect(localWallClock(instant, zone)).toBe(reference(instant, zone));
          // A second instant in the same minute comes from the cache.
          const other = Math.floor(instant / 60_000) * 60_000 + later;
          expect(localWallClock(other, zone)).toBe(reference(other, zone));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("is exact across Berlin's DST changes, minute by minute", () => {
    for (const start of [Date.UTC(2026, 2, 29, 0, 30), Date.UTC(2026, 9, 25, 0, 30)]) {
      for (let t = start; t < start + 2 * 3600_000; t += 29_000) {
        expect(localWallClock(t, "Europe/Berlin")).toBe(reference(t, "Europe/Berlin"));
      }
    }
  });
});
