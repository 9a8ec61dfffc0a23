import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { balance, dueExpiries, type Entry, orderPoints, replay, reversalPoints } from "./loyalty.ts";

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 1);

/** Random operations: credits with an expiry, redeems of up to the balance, expiry runs, order reversals. */
const ops = fc.array(
  fc.oneof(
    fc.record({
      op: fc.constant("earn" as const),
      points: fc.integer({ min: 1, max: 500 }),
      life: fc.integer({ min: 1, max: 400 }),
    }),
    fc.record({
      op: fc.constant("grant" as const),
      points: fc.integer({ min: 1, max: 500 }),
      life: fc.integer({ min: 1, max: 400 }),
    }),
    fc.record({ op: fc.constant("redeem" as const), points: fc.integer({ min: 1, max: 800 }) }),
    fc.record({ op: fc.constant("expire" as const) }),
    fc.record({ op: fc.constant("reverse" as const), pick: fc.nat() }),
    fc.record({ op: fc.constant("wait" as const), days: fc.integer({ min: 1, max: 120 }) }),
  ),
  { maxLength: 60 },
);

type Ops = typeof ops extends fc.Arbitrary<infer T> ? T : never;

function run(list: Ops) {
  const entries: Entry[] = [];
  let now = T0;
  let id = 0;
  for (const o of list) {
    const at = new Date(now);
    if (o.op === "wait") now += o.days * DAY;
    else if (o.op === "earn" || o.op === "grant") {
      ++id;
      const orderId = o.op === "earn" ? `order-${id}` : null;
      entries.push({
        kind: o.op,
        points: o.points,
        at,
        expiresAt: new Date(now + o.life * DAY),
        id,
        orderId,
      });
    } else if (o.op === "reverse") {
      // The service takes an order's points back once (unique per order), never below zero.
      const open = entries.filter(
        (e) => e.kind === "earn" && !entries.some((r) => r.kind === "reverse" && r.orderId === e.orderId),
      );
      const earn = open[o.pick % Math.max(1, open.length)];
      const points = earn ? reversalPoints(earn.points, balance(entries)) : 0;
      if (earn && points > 0)
        entries.push({ kind: "reverse", points: -points, at, id: ++id, orderId: earn.orderId ?? null });
    } else if (o.op === "redeem") {
      // The service refuses a redeem above the balance; the same check here.
      if (o.points <= balance(entries)) entries.push({ kind: "redeem", points: -o.points, at, id: ++id });
    } else for (const e of dueExpiries(entries, at)) entries.push({ ...e, id: ++id });
    expect(balance(entries)).toBeGreaterThanOrEqual(0);
    expect(replay(entries).reduce((n, l) => n + l.remaining, 0)).toBe(balance(entries));
  }
  return { entries, now };
}

describe("the points ledger", () => {
  it("the balance is the sum of the entries, equals the lots' points left, and is never negative", () => {
    fc.assert(
      fc.property(ops, (list) => void run(list)),
      { numRuns: 300 },
    );
  });

  it("an expiry run leaves no expired lot with points, and a second run at the same time adds nothing", () => {
    fc.assert(
      fc.property(ops, (list) => {
        const { entries, now } = run(list);
        const at = new Date(now);
        const first = dueExpiries(entries, at);
        const after = [...entries, ...first];
        expect(dueExpiries(after, at)).toEqual([]);
        for (const l of replay(after))
          if (l.expiresAt && l.expiresAt.getTime() <= now) expect(l.remaining).toBe(0);
        // Expiring never takes more than the balance, and never touches unexpired lots.
        expect(balance(after)).toBe(replay(after).reduce((n, l) => n + l.remaining, 0));
      }),
      { numRuns: 300 },
    );
  });

  it("a reversal takes the order's own lot first, so the other lots expire untouched", () => {
    const entries: Entry[] = [
      {
        kind: "earn",
        points: 100,
        at: new Date(T0),
        expiresAt: new Date(T0 + 365 * DAY),
        id: 1,
        orderId: "a",
      },
      {
        kind: "earn",
        points: 40,
        at: new Date(T0 + DAY),
        expiresAt: new Date(T0 + 366 * DAY),
        id: 2,
        orderId: "b",
      },
      { kind: "reverse", points: -40, at: new Date(T0 + 2 * DAY), id: 3, orderId: "b" },
    ];
    expect(replay(entries).map((l) => l.remaining)).toEqual([100, 0]);
    expect(dueExpiries(entries, new Date(T0 + 365 * DAY)).map((e) => e.points)).toEqual([-100]);
    // Already spent: only what is left comes back, never below zero.
    expect(reversalPoints(100, 30)).toBe(30);
    expect(reversalPoints(100, 0)).toBe(0);
    expect(reversalPoints(25, 300)).toBe(25);
  });

  it("first earned, first used and first expired", () => {
    const e: Entry[] = [
      { kind: "earn", points: 100, at: new Date(T0), expiresAt: new Date(T0 + 365 * DAY), id: 1 },
      { kind: "earn", points: 50, at: new Date(T0 + 10 * DAY), expiresAt: new Date(T0 + 375 * DAY), id: 2 },
      { kind: "redeem", points: -120, at: new Date(T0 + 20 * DAY), id: 3 },
    ];
    // The redeem used all of lot 1 and 20 of lot 2: nothing expires at day 366, 30 at day 376.
    expect(dueExpiries(e, new Date(T0 + 366 * DAY))).toEqual([]);
    expect(dueExpiries(e, new Date(T0 + 376 * DAY)).map((x) => [x.id, x.points])).toEqual([[2, -30]]);
    // Without the redeem, lot 1 goes first, whole.
    expect(dueExpiries(e.slice(0, 2), new Date(T0 + 366 * DAY)).map((x) => [x.id, x.points])).toEqual([
      [1, -100],
    ]);
  });

  it("earns per currency unit (converted), per order and per SKU", () => {
    const s = {
      baseCurrency: "VND",
      rates: { USD: 254 },
      pointsPerUnit: 0.001,
      pointsPerOrder: 5,
      pointsPerSku: { TEA: 3 },
    };
    expect(
      orderPoints({ currency: "VND", totalMinor: 250_000, items: [{ sku: "TEA", quantity: 2 }] }, s),
    ).toBe(250 + 5 + 6);
    // 10.00 USD = 1000 cents * 254 = 254,000 VND -> 254 points + 5.
    expect(orderPoints({ currency: "USD", totalMinor: 1000, items: [] }, s)).toBe(259);
    // No rate: only the per-order and per-SKU points.
    expect(orderPoints({ currency: "EUR", totalMinor: 1000, items: [] }, s)).toBe(5);
    expect(
      orderPoints(
        { currency: "USD", totalMinor: 1999, items: [] },
        { ...s, baseCurrency: "USD", pointsPerUnit: 1 },
      ),
    ).toBe(24);
  });
});
