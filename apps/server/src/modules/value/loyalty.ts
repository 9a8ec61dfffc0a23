/**
 * The points ledger's rules, pure (docs/customer-value.md). Entries are append-only and signed:
 * credits (`earn`, `grant`) open a lot that expires at `expiresAt`; debits (`redeem`, `expire`)
 * consume lots first earned, first used. An `expire` entry consumes lots already expired at its
 * time first (so expiring a lot never drains a younger one), a `redeem` the oldest lot with
 * points left. A `reverse` entry takes back an order's points when the order is cancelled or
 * refunded: it consumes that order's lot first, then the oldest. The balance is always the sum of
 * the entries and never below zero.
 */
export type LedgerKind = "earn" | "grant" | "redeem" | "expire" | "reverse";
export type Entry = {
  kind: LedgerKind;
  points: number;
  at: Date;
  expiresAt?: Date | null;
  id?: string | number;
  orderId?: string | null;
};
export type Lot = {
  id: string | number | undefined;
  at: Date;
  expiresAt: Date | null;
  remaining: number;
  orderId?: string | null;
};

export const isCredit = (k: LedgerKind) => k === "earn" || k === "grant";

function consume(lots: Lot[], amount: number, eligible: (l: Lot) => boolean) {
  let left = amount;
  for (const l of lots) {
    if (left <= 0) break;
    if (l.remaining <= 0 || !eligible(l)) continue;
    const take = Math.min(l.remaining, left);
    l.remaining -= take;
    left -= take;
  }
  return left;
}

/** Replays the entries (in ledger order) into lots with their points left. */
export function replay(entries: readonly Entry[]): Lot[] {
  const lots: Lot[] = [];
  for (const e of entries) {
    if (isCredit(e.kind)) {
      lots.push({
        id: e.id,
        at: e.at,
        expiresAt: e.expiresAt ?? null,
        remaining: e.points,
        orderId: e.orderId ?? null,
      });
      continue;
    }
    const amount = -e.points;
    const left =
      e.kind === "expire"
        ? consume(lots, amount, (l) => l.expiresAt !== null && l.expiresAt.getTime() <= e.at.getTime())
        : e.kind === "reverse"
          ? consume(lots, amount, (l) => l.orderId != null && l.orderId === e.orderId)
          : amount;
    consume(lots, left, () => true);
  }
  return lots;
}

export const balance = (entries: readonly Entry[]) => entries.reduce((n, e) => n + e.points, 0);

/** The `expire` entries due at `now`: one per expired lot with points left, oldest first. */
export function dueExpiries(entries: readonly Entry[], now: Date): Entry[] {
  return replay(entries)
    .filter((l) => l.remaining > 0 && l.expiresAt !== null && l.expiresAt.getTime() <= now.getTime())
    .sort((a, b) => a.at.getTime() - b.at.getTime())
    .map((l) => ({ kind: "expire" as const, points: -l.remaining, at: now, id: l.id }));
}

/**
 * The points to take back when an order that earned `earned` is cancelled or refunded: all of
 * them, or the balance when the customer has already spent some (the balance never goes below
 * zero; what was redeemed stays redeemed).
 */
export const reversalPoints = (earned: number, balanceNow: number) =>
  Math.max(0, Math.min(earned, balanceNow));

const digitsOf = new Map<string, number>();
/**
 * Digits after the decimal point of an ISO 4217 currency (VND 0, USD 2). Remembered per code: an
 * Intl.NumberFormat costs about a millisecond of CPU, once per order otherwise (bench/RESULTS.md).
 */
export function currencyDigits(currency: string): number {
  const known = digitsOf.get(currency);
  if (known !== undefined) return known;
  let digits = 2;
  try {
    digits =
      new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ??
      2;
  } catch {
    // An unknown code: two digits, like most currencies.
  }
  if (digitsOf.size < 1000) digitsOf.set(currency, digits);
  return digits;
}

/**
 * Points an order earns: per unit of the base currency (the total converted with the admin's
 * rates), per order, and per SKU times quantity. Zero for a currency without a rate's amount part.
 */
export function orderPoints(
  o: { currency: string; totalMinor: number; items: Array<{ sku: string; quantity: number }> },
  s: {
    baseCurrency: string;
    rates: Record<string, number>;
    pointsPerUnit: number;
    pointsPerOrder: number;
    pointsPerSku: Record<string, number>;
  },
): number {
  const rate = o.currency === s.baseCurrency ? 1 : s.rates[o.currency];
  const baseMinor = rate === undefined ? 0 : o.totalMinor * rate;
  const units = baseMinor / 10 ** currencyDigits(s.baseCurrency);
  const perSku = o.items.reduce((n, i) => n + (s.pointsPerSku[i.sku] ?? 0) * i.quantity, 0);
  return Math.max(0, Math.floor(units * s.pointsPerUnit) + s.pointsPerOrder + perSku);
}
