import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  breakpoints,
  computeValues,
  DAY_MS,
  expectedInterval,
  median,
  orgInterval,
  quintileScores,
  reminderDueAt,
  SEGMENT_RULES,
  SEGMENTS,
  type SegmentInput,
  scoreAgainst,
  segmentOf,
} from "./rfm.ts";

const days = (n: number) => new Date(Date.UTC(2026, 0, 1) + n * DAY_MS);
const budget = { numRuns: 300, interruptAfterTimeLimit: 20_000 };

describe("quintile scores", () => {
  it("scores 1-5 by quintiles, equal values equal", () => {
    expect(quintileScores([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
    expect(quintileScores([7, 7, 7])).toEqual([1, 1, 1]);
    expect(quintileScores([1, 5, 5, 5, 9])).toEqual([1, 2, 2, 2, 5]);
    expect(quintileScores([])).toEqual([]);
  });

  it("properties: in 1..5, ties equal, never decreasing with the value; breakpoints reproduce the scores", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 1, maxLength: 200 }), (values) => {
        const s = quintileScores(values);
        const b = breakpoints(values);
        values.forEach((v, i) => {
          expect(s[i]).toBeGreaterThanOrEqual(1);
          expect(s[i]).toBeLessThanOrEqual(5);
          expect(scoreAgainst(v, b)).toBe(s[i]);
          values.forEach((w, j) => {
            if (v === w) expect(s[i]).toBe(s[j]);
            if (v < w) expect(s[i]).toBeLessThanOrEqual(s[j] as number);
          });
        });
      }),
      budget,
    );
  });
});

describe("expected repurchase interval", () => {
  it("uses the customer's own median gap from 3 purchases, else the organization's", () => {
    expect(expectedInterval([days(0), days(10), days(40)], 90)).toEqual({ days: 20, own: true });
    expect(expectedInterval([days(0), days(10)], 90)).toEqual({ days: 90, own: false });
    expect(expectedInterval([days(5), days(5), days(5)], 90)).toEqual({ days: 1, own: true });
  });
  it("the organization's interval is the median first-to-second gap, 90 days below 20 customers", () => {
    expect(orgInterval(Array.from({ length: 19 }, () => 30))).toBe(90);
    expect(orgInterval(Array.from({ length: 20 }, (_, i) => i + 1))).toBe(10.5);
    expect(median([3, 1, 2])).toBe(2);
  });
});

describe("segments, first match wins", () => {
  const c = (o: Partial<SegmentInput>): SegmentInput => ({
    purchases: 1,
    d: 1,
    interval: 30,
    f: 1,
    m: 1,
    ...o,
  });
  it("follows the issue's list", () => {
    expect(segmentOf(c({ purchases: 6, f: 4, m: 5, d: 10 }))).toBe("vip");
    expect(segmentOf(c({ purchases: 6, f: 4, m: 3, d: 10 }))).toBe("growing_loyal");
    expect(segmentOf(c({ purchases: 1, d: 30 }))).toBe("newcomer");
    expect(segmentOf(c({ purchases: 3, d: 46 }))).toBe("lost");
    expect(segmentOf(c({ purchases: 3, d: 45 }))).toBe("lapsing");
    expect(segmentOf(c({ purchases: 3, d: 31 }))).toBe("lapsing");
    expect(segmentOf(c({ purchases: 1, d: 300 }))).toBe("one_off_forgotten");
    expect(segmentOf(c({ purchases: 0, d: null, f: null, m: null }))).toBe("no_purchase");
    // A VIP by scores who has gone quiet is judged by the later rules.
    expect(segmentOf(c({ purchases: 8, f: 5, m: 5, d: 100 }))).toBe("lost");
  });

  const customer = fc.record({
    purchases: fc.integer({ min: 0, max: 40 }),
    d: fc.double({ min: 0, max: 2000, noNaN: true }),
    interval: fc.double({ min: 1, max: 400, noNaN: true }),
    f: fc.option(fc.integer({ min: 1, max: 5 })),
    m: fc.option(fc.integer({ min: 1, max: 5 })),
  });

  it("property: every customer is in exactly one segment (the matching rules, first one wins)", () => {
    fc.assert(
      fc.property(customer, (raw) => {
        const input = { ...raw, d: raw.purchases === 0 ? null : raw.d };
        const segment = segmentOf(input);
        expect(SEGMENTS).toContain(segment);
        const matching = SEGMENTS.filter((s) => SEGMENT_RULES[s](input));
        expect(matching[0]).toBe(segment);
        // Without the VIP rule (which refines the loyal one), the rules partition the customers.
        expect(matching.filter((s) => s !== "vip")).toHaveLength(1);
      }),
      budget,
    );
  });

  it("property: a new purchase never makes a customer lost", () => {
    const history = fc.array(fc.integer({ min: 0, max: 700 }), { maxLength: 12 });
    fc.assert(
      fc.property(
        history,
        fc.integer({ min: 0, max: 400 }),
        fc.integer({ min: 0, max: 40 }),
        (ds, after, others) => {
          const purchases = ds.map((d) => ({ at: days(d), amount: 100 }));
          const last = ds.length ? Math.max(...ds) : 0;
          const now = days(last + after);
          // Other customers shape the scores and the organization's interval.
          const crowd = Array.from({ length: others }, (_, i) => ({
            id: `o${i}`,
            purchases: [
              { at: days(i * 7), amount: 50 },
              { at: days(i * 7 + 20 + i), amount: 80 },
            ],
          }));
          const before = computeValues([{ id: "c", purchases }, ...crowd], now, { windowDays: 365 });
          const next = computeValues(
            [{ id: "c", purchases: [...purchases, { at: now, amount: 100 }] }, ...crowd],
            now,
            {
              windowDays: 365,
            },
          );
          const after1 = next.find((v) => v.id === "c");
          expect(after1?.segment).not.toBe("lost");
          expect(before.every((v) => SEGMENTS.includes(v.segment))).toBe(true);
        },
      ),
      { numRuns: 150, interruptAfterTimeLimit: 20_000 },
    );
  });
});

describe("computeValues and reminders", () => {
  it("scores only customers with a purchase in the window", () => {
    const now = days(800);
    const v = computeValues(
      [
        { id: "a", purchases: [{ at: days(790), amount: 10 }] },
        { id: "b", purchases: [{ at: days(100), amount: 10 }] },
        { id: "z", purchases: [] },
      ],
      now,
      { windowDays: 365 },
    );
    expect(v.map((x) => [x.id, x.f, x.segment])).toEqual([
      ["a", 1, "newcomer"],
      ["b", null, "one_off_forgotten"],
      ["z", null, "no_purchase"],
    ]);
  });
  it("a reminder falls lead days before the interval ends", () => {
    expect(reminderDueAt(days(0), 30, 7)).toEqual(days(23));
    expect(reminderDueAt(days(0), 5, 7)).toEqual(days(0));
    expect(reminderDueAt(null, 30, 7)).toBeNull();
  });
});
