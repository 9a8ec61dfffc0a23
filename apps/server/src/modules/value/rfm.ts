/**
 * RFM and the activity matrix, as pure functions (docs/customer-value.md). The SQL in
 * value.refresh.ts computes the same things set-based; rfm.unit.test.ts pins both the
 * rules and the properties (every customer in exactly one segment; a new purchase never
 * makes a customer lost).
 */

export const SEGMENTS = [
  "vip",
  "growing_loyal",
  "newcomer",
  "lost",
  "lapsing",
  "one_off_forgotten",
  "no_purchase",
] as const;
export type Segment = (typeof SEGMENTS)[number];

export const DAY_MS = 86_400_000;
/** The organization's interval while fewer than `minCustomers` have made a second purchase. */
export const DEFAULT_INTERVAL_DAYS = 90;
export const MIN_CUSTOMERS_FOR_ORG_INTERVAL = 20;
/** Planning assumption: about a fifth of customers never come back. */
export const NEVER_RETURN_ASSUMPTION = 0.2;

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/**
 * Quintile scores 1-5: a value's score is 1 + floor(5 × (number of values strictly below
 * it) / n), so equal values get equal scores, the largest values score 5 when they are
 * distinct, and the scores never decrease with the value. For recency pass the negated
 * days (fewer days since the last purchase is better).
 */
export function quintileScores(values: readonly number[]): number[] {
  const n = values.length;
  const sorted = [...values].sort((a, b) => a - b);
  const below = (v: number) => {
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const m = (lo + hi) >> 1;
      if ((sorted[m] as number) < v) lo = m + 1;
      else hi = m;
    }
    return lo;
  };
  return values.map((v) => 1 + Math.floor((5 * below(v)) / n));
}

/**
 * The smallest value reaching each score 2..5 (null where no value does): scoring a new
 * value against these gives the score the full computation would have given an equal value
 * (the incremental refresh of one customer uses them between nightly runs).
 */
export function breakpoints(values: readonly number[]): Array<number | null> {
  const scores = quintileScores(values);
  return [2, 3, 4, 5].map((k) => {
    let min: number | null = null;
    scores.forEach((s, i) => {
      const v = values[i] as number;
      if (s >= k && (min === null || v < min)) min = v;
    });
    return min;
  });
}

/** The score of a value against stored breakpoints (1 + breakpoints at or below it). */
export function scoreAgainst(value: number, breaks: ReadonlyArray<number | null>): number {
  return 1 + breaks.filter((b) => b !== null && value >= b).length;
}

/** Gaps in days between consecutive purchase times (sorted ascending first). */
export function gapsInDays(purchases: readonly Date[]): number[] {
  const t = purchases.map((d) => d.getTime()).sort((a, b) => a - b);
  return t.slice(1).map((v, i) => (v - (t[i] as number)) / DAY_MS);
}

/**
 * The organization's typical time to a second purchase: the median gap between the first and
 * the second purchase over every customer who made one; `fallback` (90 days) while fewer than
 * `minCustomers` (20) have.
 */
export function orgInterval(
  firstToSecondGaps: readonly number[],
  fallback = DEFAULT_INTERVAL_DAYS,
  minCustomers = MIN_CUSTOMERS_FOR_ORG_INTERVAL,
): number {
  if (firstToSecondGaps.length < minCustomers) return fallback;
  return median(firstToSecondGaps) ?? fallback;
}

/**
 * A customer's expected repurchase interval I in days: the median of their own gaps with at
 * least 3 purchases, otherwise the organization's interval. Never below one day (two orders
 * on the same day do not make a customer "due" every minute).
 */
export function expectedInterval(purchases: readonly Date[], org: number): { days: number; own: boolean } {
  if (purchases.length >= 3) return { days: Math.max(1, median(gapsInDays(purchases)) ?? org), own: true };
  return { days: Math.max(1, org), own: false };
}

export type SegmentInput = {
  /** Purchases ever (cancelled and refunded orders are not purchases). */
  purchases: number;
  /** Days since the last purchase (null without one). */
  d: number | null;
  /** Expected repurchase interval in days. */
  interval: number;
  /** Frequency and monetary scores (null without a purchase in the window). */
  f: number | null;
  m: number | null;
};

/** The activity-matrix segment; the first rule that matches wins (the order of SEGMENTS). */
export function segmentOf(c: SegmentInput): Segment {
  const { purchases: n, d, interval: i } = c;
  if (n === 0 || d === null) return "no_purchase";
  if ((c.f ?? 0) >= 4 && (c.m ?? 0) >= 4 && d <= i) return "vip";
  if (n >= 2 && d <= i) return "growing_loyal";
  if (n === 1 && d <= i) return "newcomer";
  if (n >= 2 && d > 1.5 * i) return "lost";
  if (n >= 2 && d > i && d <= 1.5 * i) return "lapsing";
  if (n === 1 && d > i) return "one_off_forgotten";
  return "no_purchase";
}

/** Each rule as its own predicate, for the test that every customer matches exactly one. */
export const SEGMENT_RULES: Record<Segment, (c: SegmentInput) => boolean> = {
  vip: (c) => c.d !== null && (c.f ?? 0) >= 4 && (c.m ?? 0) >= 4 && c.d <= c.interval,
  growing_loyal: (c) => c.d !== null && c.purchases >= 2 && c.d <= c.interval,
  newcomer: (c) => c.d !== null && c.purchases === 1 && c.d <= c.interval,
  lost: (c) => c.d !== null && c.purchases >= 2 && c.d > 1.5 * c.interval,
  lapsing: (c) => c.d !== null && c.purchases >= 2 && c.d > c.interval && c.d <= 1.5 * c.interval,
  one_off_forgotten: (c) => c.d !== null && c.purchases === 1 && c.d > c.interval,
  no_purchase: (c) => c.purchases === 0 || c.d === null,
};

export type Customer = { id: string; purchases: Array<{ at: Date; amount: number }> };
export type CustomerValue = {
  id: string;
  purchases: number;
  d: number | null;
  r: number | null;
  f: number | null;
  m: number | null;
  frequency: number;
  monetary: number;
  interval: number;
  ownInterval: boolean;
  segment: Segment;
};

/**
 * The whole computation for a set of customers at `now` with a window of `windowDays`: R, F
 * and M over the window, quintile scores over the customers with a purchase in it, the
 * expected interval and the segment. The SQL refresh is tested against this.
 */
export function computeValues(
  customers: readonly Customer[],
  now: Date,
  opts: { windowDays: number; fallbackInterval?: number; minCustomers?: number } = { windowDays: 365 },
): CustomerValue[] {
  const from = now.getTime() - opts.windowDays * DAY_MS;
  const firstGaps = customers
    .map((c) => gapsInDays(c.purchases.map((p) => p.at))[0])
    .filter((g): g is number => g !== undefined);
  const org = orgInterval(firstGaps, opts.fallbackInterval, opts.minCustomers);
  const base = customers.map((c) => {
    const times = c.purchases.map((p) => p.at.getTime());
    const inWindow = c.purchases.filter((p) => p.at.getTime() >= from && p.at.getTime() <= now.getTime());
    const last = times.length ? Math.max(...times) : null;
    return {
      c,
      last,
      frequency: inWindow.length,
      monetary: inWindow.reduce((s, p) => s + p.amount, 0),
    };
  });
  const active = base.filter((b) => b.frequency > 0);
  const rs = quintileScores(active.map((b) => b.last as number));
  const fs = quintileScores(active.map((b) => b.frequency));
  const ms = quintileScores(active.map((b) => b.monetary));
  const scores = new Map(active.map((b, i) => [b.c.id, { r: rs[i], f: fs[i], m: ms[i] }]));
  return base.map((b) => {
    const s = scores.get(b.c.id);
    const iv = expectedInterval(
      b.c.purchases.map((p) => p.at),
      org,
    );
    const d = b.last === null ? null : (now.getTime() - b.last) / DAY_MS;
    const value = {
      id: b.c.id,
      purchases: b.c.purchases.length,
      d,
      r: s?.r ?? null,
      f: s?.f ?? null,
      m: s?.m ?? null,
      frequency: b.frequency,
      monetary: b.monetary,
      interval: iv.days,
      ownInterval: iv.own,
    };
    return { ...value, segment: segmentOf({ ...value, interval: iv.days }) };
  });
}

/** When the lapse reminder is due: I − lead time after the last purchase (null without one). */
export function reminderDueAt(
  lastPurchase: Date | null,
  intervalDays: number,
  leadDays: number,
): Date | null {
  if (!lastPurchase) return null;
  return new Date(lastPurchase.getTime() + Math.max(0, intervalDays - leadDays) * DAY_MS);
}
