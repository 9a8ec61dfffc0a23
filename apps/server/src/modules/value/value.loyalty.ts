import { asc, eq, inArray, sql } from "drizzle-orm";
import { requireCan } from "../../auth/policies.ts";
import type { Ctx } from "../../context.ts";
import type { DbOrTx } from "../../db/client.ts";
import { enqueue } from "../../jobs/queue.ts";
import { badRequest, conflict, notFound } from "../../lib/errors.ts";
import { contacts } from "../contacts/contacts.table.ts";
import { orders } from "../orders/orders.table.ts";
import { dueExpiries, type Entry, type LedgerKind, orderPoints, reversalPoints } from "./loyalty.ts";
import type { TCreateTier, TLedgerEntryInput } from "./value.schema.ts";
import { loadSettings, toTier } from "./value.service.ts";
import { customerValues, loyaltyLedger, loyaltyTiers } from "./value.table.ts";

/**
 * The loyalty programme (docs/customer-value.md): tiers with thresholds over 12 months and
 * benefits; the append-only points ledger (earn per order, grant, redeem, expire first earned
 * first expired); `customer_values.points` is the ledger's sum, kept in the statement that
 * writes the entries. A tier moves up at once (after every ledger write or order) and down only
 * at the yearly review; every change is on the dossier timeline.
 */

export const TIER_REVIEW_JOB = "loyalty.review";
const rowsOf = <T>(r: unknown) => (r as { rows: T[] }).rows;
const ts = (d: Date) => sql`${d.toISOString()}::timestamptz`;
const addMonths = (d: Date, months: number) => {
  const x = new Date(d);
  x.setUTCMonth(x.getUTCMonth() + months);
  return x;
};

type NewEntry = {
  contactId: string;
  kind: LedgerKind;
  points: number;
  expiresAt?: Date | null;
  orderId?: string | null;
  reason?: string;
  actorId?: string | null;
};

/** Appends entries and adds them to each customer's balance, then moves tiers up. */
async function writeLedger(tx: DbOrTx, entries: NewEntry[], now: Date) {
  if (entries.length === 0) return;
  const values = sql.join(
    entries.map(
      (e) =>
        sql`(${e.contactId}::uuid, ${e.kind}, ${e.points}::int, ${e.expiresAt ? ts(e.expiresAt) : null}::timestamptz,
          ${e.orderId ?? null}::uuid, ${e.reason ?? ""}, ${e.actorId ?? null}::uuid, ${ts(now)})`,
    ),
    sql`, `,
  );
  await tx.execute(sql`
    with ins as (
      insert into loyalty_ledger (contact_id, kind, points, expires_at, order_id, reason, actor_id, created_at)
      values ${values}
      on conflict do nothing
      returning contact_id, points
    ),
    sums as (select contact_id, sum(points)::int as p from ins group by contact_id)
    insert into customer_values as v (contact_id, points, updated_at)
    select contact_id, p, ${ts(now)} from sums
    on conflict (contact_id) do update set points = v.points + excluded.points, updated_at = excluded.updated_at`);
  await moveTiers(tx, [...new Set(entries.map((e) => e.contactId))], now, "up");
}

/**
 * Puts customers in the best tier they qualify for (points earned or granted in the last 12
 * months, spend in the RFM window): `up` only raises a tier (after an order or a grant), `review`
 * also lowers it (the yearly review). Each change goes on the dossier timeline. One statement.
 */
export async function moveTiers(
  tx: DbOrTx,
  contactIds: readonly string[] | "all",
  now: Date,
  mode: "up" | "review",
) {
  if (contactIds !== "all" && contactIds.length === 0) return 0;
  const review = sql.raw(mode === "review" ? "true" : "false");
  const which =
    contactIds === "all"
      ? sql`true`
      : sql`v.contact_id in (${sql.join(
          contactIds.map((id) => sql`${id}::uuid`),
          sql`, `,
        )})`;
  const res = await tx.execute(sql`
    with q as (
      select v.contact_id, v.tier_id, cur.name as cur_name, coalesce(cur.rank, -2147483648) as cur_rank,
        (select t.id from loyalty_tiers t
          where (t.min_points is null or pts.p12 >= t.min_points)
            and (t.min_spend_minor is null or v.monetary_minor >= t.min_spend_minor)
          order by t.rank desc limit 1) as q_id
      from customer_values v left join loyalty_tiers cur on cur.id = v.tier_id
        cross join lateral (select coalesce(sum(l.points), 0) as p12 from loyalty_ledger l
          where l.contact_id = v.contact_id and l.kind in ('earn', 'grant')
            and l.created_at > ${ts(now)} - interval '12 months') pts
      where ${which}
    ),
    ch as (
      select q.*, nt.name as new_name from q left join loyalty_tiers nt on nt.id = q.q_id
      where q.q_id is distinct from q.tier_id
        and (${review} or coalesce(nt.rank, -2147483648) > q.cur_rank)
    ),
    up as (
      update customer_values v set tier_id = ch.q_id, tier_since = ${ts(now)}, updated_at = ${ts(now)}
      from ch where v.contact_id = ch.contact_id returning v.contact_id
    ),
    ev as (
      insert into contact_events (contact_id, type, actor_type, data, search_text, created_at)
      select ch.contact_id, 'value.tier_changed', 'system',
        jsonb_build_object('from', ch.cur_name, 'to', ch.new_name, 'review', ${review}),
        'tier ' || coalesce(ch.new_name, ''), ${ts(now)}
      from ch join up on up.contact_id = ch.contact_id
      returning 1
    )
    select count(*)::int as n from ev`);
  return Number(rowsOf<{ n: number }>(res)[0]?.n ?? 0);
}

/** Earn entries for these orders when they are purchases without one yet (the order write's transaction). */
export async function earnPoints(tx: DbOrTx, orderIds: readonly string[], now: Date) {
  if (orderIds.length === 0) return;
  const rows = await tx
    .select()
    .from(orders)
    .where(
      sql`${inArray(orders.id, [...orderIds])} and ${orders.status} not in ('cancelled', 'refunded')
        and not exists (select 1 from loyalty_ledger l where l.order_id = ${orders.id} and l.kind = 'earn')`,
    );
  if (rows.length === 0) return;
  const s = await loadSettings(tx);
  const entries = rows
    .map((o) => ({
      contactId: o.contactId,
      kind: "earn" as const,
      points: orderPoints(o, s),
      expiresAt: addMonths(now, s.pointsExpiryMonths),
      orderId: o.id,
      reason: o.number,
    }))
    .filter((e) => e.points > 0);
  await writeLedger(tx, entries, now);
}

/**
 * Takes back the points of orders that earned and are now cancelled or refunded: one `reverse`
 * entry per order (unique; the earn entry is never edited), consuming that order's lot first, at
 * most the balance. The tier does not move down until the yearly review. The order write's
 * transaction; the customer's value row is locked so a parallel redemption cannot overdraw.
 */
export async function reversePoints(tx: DbOrTx, orderIds: readonly string[], now: Date) {
  if (orderIds.length === 0) return;
  const due = rowsOf<{ order_id: string; contact_id: string; points: number; number: string }>(
    await tx.execute(sql`
      select l.order_id, l.contact_id, l.points, o.number from loyalty_ledger l join orders o on o.id = l.order_id
      where l.kind = 'earn' and l.order_id in (${sql.join(
        orderIds.map((id) => sql`${id}::uuid`),
        sql`, `,
      )})
        and o.status in ('cancelled', 'refunded')
        and not exists (select 1 from loyalty_ledger r where r.order_id = l.order_id and r.kind = 'reverse')
      order by l.contact_id, l.id`),
  );
  for (const d of due) {
    const [v] = await tx
      .select({ points: customerValues.points })
      .from(customerValues)
      .where(eq(customerValues.contactId, d.contact_id))
      .for("update");
    const points = reversalPoints(d.points, v?.points ?? 0);
    if (points > 0)
      await writeLedger(
        tx,
        [
          {
            contactId: d.contact_id,
            kind: "reverse",
            points: -points,
            orderId: d.order_id,
            reason: d.number,
          },
        ],
        now,
      );
  }
}

/** After order writes: points earned by new purchases, taken back from cancelled or refunded ones. */
export async function settlePoints(tx: DbOrTx, orderIds: readonly string[], now: Date) {
  await earnPoints(tx, orderIds, now);
  await reversePoints(tx, orderIds, now);
}

/** Expiry (the nightly job): every customer with a lot past its date, first earned first expired. */
export async function expirePoints(db: DbOrTx, now: Date): Promise<number> {
  const due = rowsOf<{ contact_id: string }>(
    await db.execute(sql`select distinct l.contact_id from loyalty_ledger l join customer_values v on v.contact_id = l.contact_id
      where l.kind in ('earn', 'grant') and l.expires_at <= ${ts(now)} and v.points > 0`),
  );
  let written = 0;
  for (const { contact_id } of due) {
    await db.transaction(async (tx) => {
      await tx.execute(sql`select 1 from customer_values where contact_id = ${contact_id} for update`);
      const entries = await ledgerOf(tx, contact_id);
      const expiries = dueExpiries(entries, now).map((e) => ({
        contactId: contact_id,
        kind: "expire" as const,
        points: e.points,
        reason: `lot ${e.id}`,
      }));
      written += expiries.length;
      await writeLedger(tx, expiries, now);
    });
  }
  return written;
}

async function ledgerOf(tx: DbOrTx, contactId: string): Promise<Entry[]> {
  const rows = await tx
    .select()
    .from(loyaltyLedger)
    .where(eq(loyaltyLedger.contactId, contactId))
    .orderBy(asc(loyaltyLedger.id));
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind as LedgerKind,
    points: r.points,
    at: r.createdAt,
    expiresAt: r.expiresAt,
    orderId: r.orderId,
  }));
}

/** The yearly review (1 January, 02:00 UTC): tiers move up or down to what the last 12 months earned. */
export async function scheduleTierReview(db: DbOrTx, now: Date) {
  const at = new Date(Date.UTC(now.getUTCFullYear() + 1, 0, 1, 2));
  await enqueue(db, TIER_REVIEW_JOB, {}, { runAt: at, dedupeKey: at.toISOString(), maxAttempts: 3 });
}

// ---- API ----------------------------------------------------------------------------------

export async function listTiers(ctx: Ctx) {
  requireCan(ctx.actor, "contacts.read");
  const rows = await ctx.db.select().from(loyaltyTiers).orderBy(asc(loyaltyTiers.rank));
  return { items: rows.map(toTier) };
}

export async function createTier(ctx: Ctx, input: TCreateTier) {
  requireCan(ctx.actor, "value.manage");
  const [clash] = await ctx.db
    .select({ id: loyaltyTiers.id })
    .from(loyaltyTiers)
    .where(sql`${loyaltyTiers.rank} = ${input.rank} or lower(${loyaltyTiers.name}) = lower(${input.name})`);
  if (clash) throw conflict("A tier with this name or rank exists", { field: "rank" });
  const [row] = await ctx.db
    .insert(loyaltyTiers)
    .values({ ...input, createdAt: ctx.now(), updatedAt: ctx.now() })
    .returning();
  if (!row) throw new Error("insert returned nothing");
  // Customers who already qualify move up now.
  await moveTiers(ctx.db, "all", ctx.now(), "up");
  return toTier(row);
}

/** A manual grant or a redemption (managers and admins); a redemption above the balance is refused. */
export async function postLedgerEntry(ctx: Ctx, input: TLedgerEntryInput) {
  const actor = requireCan(ctx.actor, "orders.manage");
  await ctx.db.transaction(async (tx) => {
    const [c] = await tx.select({ id: contacts.id }).from(contacts).where(eq(contacts.id, input.contactId));
    if (!c) throw notFound("Contact");
    const balance = await lockPoints(tx, input.contactId);
    if (input.kind === "redeem" && balance < input.points)
      throw badRequest("Not enough points", { field: "points", balance });
    await personalEntry(tx, { ...input, actorId: actor.userId }, ctx.now());
  });
  return ledgerView(ctx.db, input.contactId);
}

/** Locks a customer's value row (creating it) and returns their points balance. */
export async function lockPoints(tx: DbOrTx, contactId: string): Promise<number> {
  await tx.execute(
    sql`insert into customer_values (contact_id) values (${contactId}) on conflict do nothing`,
  );
  const [v] = await tx
    .select({ points: customerValues.points })
    .from(customerValues)
    .where(eq(customerValues.contactId, contactId))
    .for("update");
  return v?.points ?? 0;
}

/**
 * A person's ledger entry inside the caller's transaction (the customer's row locked first with
 * `lockPoints`): a grant (expiring after the programme's months) or a redemption; `points` is
 * positive either way. Compensation in loyalty points grants through this, and a reversal
 * takes back what is left of it.
 */
export async function personalEntry(
  tx: DbOrTx,
  e: { contactId: string; kind: "grant" | "redeem"; points: number; reason: string; actorId: string | null },
  now: Date,
) {
  const s = await loadSettings(tx);
  await writeLedger(
    tx,
    [
      {
        contactId: e.contactId,
        kind: e.kind,
        points: e.kind === "redeem" ? -e.points : e.points,
        expiresAt: e.kind === "grant" ? addMonths(now, s.pointsExpiryMonths) : null,
        reason: e.reason,
        actorId: e.actorId,
      },
    ],
    now,
  );
}

async function ledgerView(db: DbOrTx, contactId: string) {
  const [v] = await db
    .select({ points: customerValues.points, tierId: customerValues.tierId })
    .from(customerValues)
    .where(eq(customerValues.contactId, contactId));
  const [tier] = v?.tierId ? await db.select().from(loyaltyTiers).where(eq(loyaltyTiers.id, v.tierId)) : [];
  const entries = await db
    .select()
    .from(loyaltyLedger)
    .where(eq(loyaltyLedger.contactId, contactId))
    .orderBy(sql`${loyaltyLedger.id} desc`)
    .limit(50);
  return {
    contactId,
    balance: v?.points ?? 0,
    tier: tier ? toTier(tier) : null,
    entries: entries.map((e) => ({
      id: String(e.id),
      kind: e.kind as LedgerKind,
      points: e.points,
      expiresAt: e.expiresAt?.toISOString() ?? null,
      orderId: e.orderId,
      reason: e.reason,
      createdAt: e.createdAt.toISOString(),
    })),
  };
}

/** What a customer may see of their own membership: the tier and its benefits, and the points. */
export type OwnMembership = {
  tier: { name: string; color: string; discountPercent: number; benefits: string } | null;
  points: number;
};

/**
 * The membership of one customer, for the customer themself (portal profile, an identified widget
 * visitor): one statement. The caller passes the contact it authenticated (a portal session's or
 * a signed widget identity's), never one taken from the request, so nobody reads another's tier.
 */
export async function ownMembership(db: DbOrTx, contactId: string): Promise<OwnMembership> {
  const [row] = rowsOf<{
    points: number | null;
    name: string | null;
    color: string | null;
    discountPercent: number | null;
    benefits: string | null;
  }>(
    await db.execute(sql`select cv.points, lt.name, lt.color, lt.discount_percent as "discountPercent", lt.benefits
      from customer_values cv left join loyalty_tiers lt on lt.id = cv.tier_id
      where cv.contact_id = ${contactId}`),
  );
  return {
    points: Number(row?.points ?? 0),
    tier:
      row?.name != null
        ? {
            name: row.name,
            color: row.color ?? "gray",
            discountPercent: Number(row.discountPercent ?? 0),
            benefits: row.benefits ?? "",
          }
        : null,
  };
}
