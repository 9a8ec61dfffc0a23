import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type Absence,
  addDays,
  addMonths,
  binderTab,
  daysInMonth,
  firstOfMonth,
  handBack,
  handOver,
  instantOf,
  isValidDate,
  isValidTimeZone,
  monthOf,
  moveItems,
  nextCadenceDate,
  type Owned,
  parseDate,
  quickChoiceDate,
  spreadDay,
  todayIn,
  workerOf,
} from "./planner.rules.ts";

/** Property tests run many cases: a time budget that holds on a busy 2-core machine. */
const PROPERTY = { timeout: 60_000 };

const arbDate = fc
  .record({
    y: fc.integer({ min: 2000, max: 2099 }),
    m: fc.integer({ min: 1, max: 12 }),
    d: fc.integer({ min: 1, max: 31 }),
  })
  .map(
    ({ y, m, d }) =>
      `${y}-${String(m).padStart(2, "0")}-${String(Math.min(d, daysInMonth(y, m))).padStart(2, "0")}`,
  );

describe("dates", () => {
  it("rejects impossible dates", () => {
    for (const bad of [
      "2026-02-30",
      "2026-13-01",
      "2026-00-10",
      "26-01-01",
      "2026-1-1",
      "",
      "2026-01-01\0",
      "2025-02-29",
    ])
      expect(isValidDate(bad)).toBe(false);
    expect(isValidDate("2024-02-29")).toBe(true);
  });
  it("clamps month steps to the month's end and climbs back with an anchor", () => {
    expect(addMonths("2026-01-31", 1)).toBe("2026-02-28");
    expect(addMonths("2024-01-31", 1)).toBe("2024-02-29");
    expect(addMonths("2026-02-28", 1, 31)).toBe("2026-03-31");
    expect(addMonths("2026-12-15", 1)).toBe("2027-01-15");
    expect(addMonths("2026-03-31", -1)).toBe("2026-02-28");
  });
  it("addDays and addMonths always give valid dates", PROPERTY, () => {
    fc.assert(
      fc.property(
        arbDate,
        fc.integer({ min: -400, max: 400 }),
        fc.integer({ min: -30, max: 30 }),
        (d, n, m) => {
          expect(isValidDate(addDays(d, n))).toBe(true);
          expect(isValidDate(addMonths(d, m))).toBe(true);
          expect(addDays(addDays(d, n), -n)).toBe(d);
        },
      ),
    );
  });
  it("validates time zones", () => {
    expect(isValidTimeZone("Asia/Phnom_Penh")).toBe(true);
    for (const bad of ["Mars/Olympus_Mons", "", "UTC\0", "x".repeat(100)])
      expect(isValidTimeZone(bad)).toBe(false);
  });
  it("today depends on the owner's time zone", () => {
    const now = new Date("2026-03-31T20:00:00Z");
    expect(todayIn("UTC", now)).toBe("2026-03-31");
    expect(todayIn("Asia/Ho_Chi_Minh", now)).toBe("2026-04-01");
    expect(todayIn("America/Los_Angeles", now)).toBe("2026-03-31");
  });
  it("finds the instant of a local time, across DST", () => {
    expect(instantOf("2026-07-01", "09:30", "Europe/Berlin").toISOString()).toBe("2026-07-01T07:30:00.000Z");
    expect(instantOf("2026-01-01", "09:30", "Europe/Berlin").toISOString()).toBe("2026-01-01T08:30:00.000Z");
    expect(() => instantOf("2026-01-01", "25:00", "UTC")).toThrow();
  });
});

describe("quick choices", () => {
  const now = new Date("2026-01-31T23:30:00Z");
  it("count from today in the owner's zone", () => {
    expect(quickChoiceDate({ kind: "tomorrow" }, now, "UTC")).toBe("2026-02-01");
    expect(quickChoiceDate({ kind: "tomorrow" }, now, "Asia/Bangkok")).toBe("2026-02-02");
    expect(quickChoiceDate({ kind: "in_a_week" }, now, "UTC")).toBe("2026-02-07");
    expect(quickChoiceDate({ kind: "in_a_month" }, now, "UTC")).toBe("2026-02-28");
    expect(quickChoiceDate({ kind: "on_date", date: "2026-05-04" }, now, "UTC")).toBe("2026-05-04");
    expect(quickChoiceDate({ kind: "none" }, now, "UTC")).toBeNull();
    expect(() => quickChoiceDate({ kind: "on_date", date: "2026-02-31" }, now, "UTC")).toThrow();
  });
});

describe("cadence", () => {
  it("gives the next date every N days, weeks or months", () => {
    expect(nextCadenceDate("2026-01-10", { every: 3, unit: "day" })).toBe("2026-01-13");
    expect(nextCadenceDate("2026-01-10", { every: 2, unit: "week" })).toBe("2026-01-24");
    expect(nextCadenceDate("2026-01-31", { every: 1, unit: "month", anchorDay: 31 })).toBe("2026-02-28");
    expect(nextCadenceDate("2026-02-28", { every: 1, unit: "month", anchorDay: 31 })).toBe("2026-03-31");
    expect(() => nextCadenceDate("2026-01-01", { every: 0, unit: "day" })).toThrow();
  });
  it("always moves forward, and a monthly series never drifts off its anchor day", PROPERTY, () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2000, max: 2090 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 31 }),
        fc.integer({ min: 1, max: 6 }),
        (y, m, anchor, every) => {
          let d = `${y}-${String(m).padStart(2, "0")}-${String(Math.min(anchor, daysInMonth(y, m))).padStart(2, "0")}`;
          for (let i = 0; i < 24; i++) {
            const next = nextCadenceDate(d, { every, unit: "month", anchorDay: anchor });
            expect(next > d).toBe(true);
            const { y: ny, m: nm, d: nd } = parseDate(next);
            expect(nd).toBe(Math.min(anchor, daysInMonth(ny, nm)));
            d = next;
          }
        },
      ),
    );
  });
});

describe("month rollover", () => {
  it(
    "a later month's contact sits behind that month's tab, then on its day when the month begins",
    PROPERTY,
    () => {
      fc.assert(
        fc.property(arbDate, fc.integer({ min: 1, max: 800 }), (today, ahead) => {
          const date = addDays(today, ahead);
          const tab = binderTab(date, today);
          if (monthOf(date) === monthOf(today)) expect(tab).toEqual({ kind: "day", day: parseDate(date).d });
          else {
            expect(tab).toEqual({ kind: "month", month: monthOf(date) });
            expect(binderTab(date, firstOfMonth(monthOf(date)))).toEqual({
              kind: "day",
              day: parseDate(date).d,
            });
          }
        }),
      );
    },
  );
  it("a past date is overdue (carried over)", () => {
    expect(binderTab("2026-01-01", "2026-01-02")).toEqual({ kind: "overdue" });
  });
});

const arbItems = fc
  .array(fc.tuple(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 3 })), { maxLength: 120 })
  .map((xs) => xs.map(([day, _], i) => ({ id: `c${i}`, date: addDays("2026-03-01", day) })));

describe("moving", () => {
  it("keeps every client exactly once", PROPERTY, () => {
    fc.assert(
      fc.property(arbItems, fc.array(fc.nat(150)), fc.integer({ min: 0, max: 40 }), (items, picks, to) => {
        const target = addDays("2026-03-01", to);
        const ids = picks.map((p) => `c${p}`);
        const moved = moveItems(items, ids, target);
        expect(moved.map((m) => m.id).sort()).toEqual(items.map((m) => m.id).sort());
        const picked = new Set(ids);
        for (const m of moved) if (picked.has(m.id)) expect(m.date).toBe(target);
        for (const [i, m] of moved.entries()) if (!picked.has(m.id)) expect(m.date).toBe(items[i]?.date);
      }),
    );
  });
});

describe("spread this day", () => {
  it("moves the surplus to the next days with room", () => {
    const items = [
      ...["a", "b", "c", "d", "e"].map((id) => ({ id, date: "2026-03-02" })),
      { id: "f", date: "2026-03-03" },
      { id: "g", date: "2026-03-03" },
    ];
    const cap = (d: string) => (d === "2026-03-04" ? 0 : 2);
    expect(spreadDay(items, "2026-03-02", cap)).toEqual({
      moves: [
        { id: "c", from: "2026-03-02", to: "2026-03-05" },
        { id: "d", from: "2026-03-02", to: "2026-03-05" },
        { id: "e", from: "2026-03-02", to: "2026-03-06" },
      ],
      unplaced: [],
    });
  });
  it("never exceeds capacity when capacity exists, and keeps every client exactly once", PROPERTY, () => {
    fc.assert(
      fc.property(
        arbItems,
        fc.integer({ min: 0, max: 20 }),
        fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 90, maxLength: 90 }),
        (items, dayIdx, caps) => {
          const day = addDays("2026-03-01", dayIdx);
          const cap = (d: string) =>
            caps[Math.abs(Math.round((Date.parse(d) - Date.parse("2026-03-01")) / 864e5)) % 90] ?? 0;
          const before = new Map<string, number>();
          for (const it of items) before.set(it.date, (before.get(it.date) ?? 0) + 1);
          const { moves, unplaced } = spreadDay(items, day, cap, 60);
          const target = new Map(moves.map((m) => [m.id, m.to]));
          const result = items.map((it) =>
            target.has(it.id) ? { ...it, date: target.get(it.id) as string } : it,
          );
          expect(result.map((r) => r.id).sort()).toEqual(items.map((r) => r.id).sort());
          const counts = new Map<string, number>();
          for (const it of result) counts.set(it.date, (counts.get(it.date) ?? 0) + 1);
          for (const m of moves) {
            expect(m.to > day).toBe(true);
            // a receiving day is never pushed past its capacity
            expect(counts.get(m.to) ?? 0).toBeLessThanOrEqual(cap(m.to));
          }
          // the spread day keeps exactly its capacity when it had a surplus, plus what found no room
          const onDay = before.get(day) ?? 0;
          expect(counts.get(day) ?? 0).toBe(Math.min(onDay, cap(day)) + unplaced.length);
          // if something stayed unplaced, no day in the horizon had room left
          if (unplaced.length > 0)
            for (let i = 1; i <= 60; i++) {
              const d = addDays(day, i);
              expect(counts.get(d) ?? 0).toBeGreaterThanOrEqual(cap(d));
            }
        },
      ),
    );
  });
});

describe("absence handover", () => {
  const arbOwned = fc.array(
    fc.record({
      owner: fc.constantFrom("ann", "bob", "cat"),
      day: fc.integer({ min: 0, max: 40 }),
      done: fc.boolean(),
      covered: fc.boolean(),
    }),
    { maxLength: 80 },
  );
  it(
    "maps the absent agent's open items to the colleague for the period and returns everything afterwards",
    PROPERTY,
    () => {
      fc.assert(
        fc.property(
          arbOwned,
          fc.integer({ min: 0, max: 30 }),
          fc.integer({ min: 0, max: 10 }),
          (rows, start, len) => {
            const items: Owned[] = rows.map((r, i) => ({
              id: `p${i}`,
              ownerId: r.owner,
              date: addDays("2026-06-01", r.day),
              done: r.done,
              coverId: r.covered && r.owner !== "cat" ? "cat" : null,
            }));
            const absence: Absence = {
              agentId: "ann",
              coverId: "bob",
              from: addDays("2026-06-01", start),
              to: addDays("2026-06-01", start + len),
            };
            const during = handOver(items, absence);
            for (const [i, it] of during.entries()) {
              const orig = items[i] as Owned;
              if (orig.ownerId === "ann" && !orig.done && orig.date <= absence.to && orig.coverId === null)
                expect(workerOf(it)).toBe("bob");
              else expect(it).toEqual(orig);
            }
            expect(handBack(during, absence)).toEqual(items);
          },
        ),
      );
    },
  );
  it("refuses self-cover", () => {
    expect(() =>
      handOver([], { agentId: "a", coverId: "a", from: "2026-01-01", to: "2026-01-02" }),
    ).toThrow();
  });
});
