import { and, desc, eq, inArray, type SQL, sql } from "drizzle-orm";
import { requireCan } from "../../auth/policies.ts";
import type { Ctx } from "../../context.ts";
import type { DbOrTx } from "../../db/client.ts";
import { decodeCursor, encodeCursor } from "../../lib/cursor.ts";
import { badRequest, notFound } from "../../lib/errors.ts";
import { resolveRequester } from "../contacts/contacts.service.ts";
import { contacts } from "../contacts/contacts.table.ts";
import { asStaff, loadVisibleTicket } from "../tickets/tickets.service.ts";
import { earnPoints, settlePoints } from "../value/value.loyalty.ts";
import { refreshContactValues } from "../value/value.refresh.ts";
import {
  NOT_PURCHASES,
  type TCreateOrder,
  type TOrder,
  type TOrderQuery,
  type TUpdateOrder,
} from "./orders.schema.ts";
import { byExternalId, type OrderItem, orders, orderTickets } from "./orders.table.ts";

export type OrderRow = typeof orders.$inferSelect;

export const isPurchase = (status: string) => !(NOT_PURCHASES as readonly string[]).includes(status);

export function toOrder(r: OrderRow, ticketIds: string[] = []): TOrder {
  return {
    id: r.id,
    contactId: r.contactId,
    organizationId: r.organizationId,
    shopId: r.shopId,
    externalId: r.externalId,
    number: r.number,
    placedAt: r.placedAt.toISOString(),
    status: r.status as TOrder["status"],
    purchase: isPurchase(r.status),
    currency: r.currency,
    totalMinor: r.totalMinor,
    discountMinor: r.discountMinor,
    coupon: r.coupon,
    channel: r.channel,
    items: r.items,
    source: r.source,
    ticketIds,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

async function withTickets(db: DbOrTx, rows: OrderRow[]): Promise<TOrder[]> {
  if (rows.length === 0) return [];
  const links = await db
    .select()
    .from(orderTickets)
    .where(
      inArray(
        orderTickets.orderId,
        rows.map((r) => r.id),
      ),
    );
  return rows.map((r) =>
    toOrder(
      r,
      links.filter((l) => l.orderId === r.id).map((l) => l.ticketId),
    ),
  );
}

/** The values of a new order row; shared by the API, the intake and the CSV import. */
export function orderValues(
  contact: { id: string; organizationId: string | null },
  o: {
    number: string;
    externalId?: string | undefined;
    placedAt: string;
    status: string;
    currency: string;
    totalMinor: number;
    discountMinor: number;
    coupon?: string | null | undefined;
    channel?: string | null | undefined;
    items: OrderItem[];
  },
  extra: { shopId?: string | null; source: "api" | "intake" | "import"; now: Date },
): typeof orders.$inferInsert {
  return {
    contactId: contact.id,
    organizationId: contact.organizationId,
    shopId: extra.shopId ?? null,
    externalId: o.externalId ?? null,
    number: o.number,
    placedAt: new Date(o.placedAt),
    status: o.status,
    currency: o.currency,
    totalMinor: o.totalMinor,
    discountMinor: o.discountMinor,
    coupon: o.coupon ?? null,
    channel: o.channel ?? null,
    items: o.items,
    source: extra.source,
    createdAt: extra.now,
    updatedAt: extra.now,
  };
}

export async function createOrder(ctx: Ctx, input: TCreateOrder): Promise<TOrder> {
  requireCan(ctx.actor, "orders.manage");
  const row = await ctx.db.transaction(async (tx) => {
    const contact = await resolveRequester(tx, input.contact);
    if (input.externalId) {
      const [dup] = await tx
        .select({ id: orders.id })
        .from(orders)
        .where(byExternalId(null, input.externalId));
      if (dup)
        throw badRequest("An order with this externalId exists", { field: "externalId", orderId: dup.id });
    }
    const [r] = await tx
      .insert(orders)
      .values(orderValues(contact, input, { source: "api", now: ctx.now() }))
      .returning();
    if (!r) throw new Error("insert returned nothing");
    await refreshContactValues(tx, [contact.id], ctx.now());
    await earnPoints(tx, [r.id], ctx.now());
    return r;
  });
  return toOrder(row);
}

async function loadOrder(db: DbOrTx, id: string) {
  const [row] = await db.select().from(orders).where(eq(orders.id, id));
  if (!row) throw notFound("Order");
  return row;
}

export async function getOrder(ctx: Ctx, id: string): Promise<TOrder> {
  requireCan(ctx.actor, "contacts.read");
  const [o] = await withTickets(ctx.db, [await loadOrder(ctx.db, id)]);
  if (!o) throw notFound("Order");
  return o;
}

export async function updateOrder(ctx: Ctx, id: string, patch: TUpdateOrder): Promise<TOrder> {
  requireCan(ctx.actor, "orders.manage");
  const row = await ctx.db.transaction(async (tx) => {
    await loadOrder(tx, id);
    const { placedAt, ...rest } = patch;
    const [r] = await tx
      .update(orders)
      .set({ ...rest, ...(placedAt ? { placedAt: new Date(placedAt) } : {}), updatedAt: ctx.now() })
      .where(eq(orders.id, id))
      .returning();
    if (!r) throw notFound("Order");
    await refreshContactValues(tx, [r.contactId], ctx.now());
    await settlePoints(tx, [r.id], ctx.now());
    return r;
  });
  const [o] = await withTickets(ctx.db, [row]);
  return o as TOrder;
}

function keysetOf(cursor: string | undefined): SQL | undefined {
  if (!cursor) return undefined;
  const [at, id] = decodeCursor(cursor, 2);
  if (
    typeof at !== "string" ||
    typeof id !== "string" ||
    Number.isNaN(Date.parse(at)) ||
    !/^[0-9a-f-]{36}$/.test(id)
  )
    throw badRequest("Invalid cursor");
  return sql`(${orders.placedAt}, ${orders.id}) < (${at}::timestamptz, ${id}::uuid)`;
}

/** Orders, newest first (keyset over `(placed_at, id)`). */
export async function listOrders(ctx: Ctx, q: TOrderQuery) {
  const actor = requireCan(ctx.actor, "contacts.read");
  const conds: Array<SQL | undefined> = [keysetOf(q.cursor)];
  if (q.contactId) conds.push(eq(orders.contactId, q.contactId));
  if (q.organizationId) conds.push(eq(orders.organizationId, q.organizationId));
  if (q.status) conds.push(eq(orders.status, q.status));
  if (q.ticketId) {
    await loadVisibleTicket(ctx.db, asStaff(actor), q.ticketId);
    conds.push(
      sql`exists (select 1 from ${orderTickets} where ${orderTickets.orderId} = ${orders.id} and ${orderTickets.ticketId} = ${q.ticketId})`,
    );
  }
  const rows = await ctx.db
    .select()
    .from(orders)
    .where(and(...conds))
    .orderBy(desc(orders.placedAt), desc(orders.id))
    .limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    items: await withTickets(ctx.db, page),
    nextCursor: rows.length > q.limit && last ? encodeCursor([last.placedAt.toISOString(), last.id]) : null,
  };
}

/** A contact's orders (newest first) with lifetime purchases and spend per currency. */
export async function contactOrders(
  ctx: Ctx,
  contactId: string,
  q: { cursor?: string | undefined; limit: number },
) {
  requireCan(ctx.actor, "contacts.read");
  const [c] = await ctx.db.select({ id: contacts.id }).from(contacts).where(eq(contacts.id, contactId));
  if (!c) throw notFound("Contact");
  const page = await listOrders(ctx, { contactId, limit: q.limit, cursor: q.cursor });
  const spend = await ctx.db
    .select({
      currency: orders.currency,
      totalMinor: sql<number>`sum(${orders.totalMinor})::float8`,
      n: sql<number>`count(*)::int`,
      first: sql<string | null>`min(${orders.placedAt})`,
      last: sql<string | null>`max(${orders.placedAt})`,
    })
    .from(orders)
    .where(and(eq(orders.contactId, contactId), sql`${orders.status} not in ('cancelled','refunded')`))
    .groupBy(orders.currency)
    .orderBy(desc(sql`sum(${orders.totalMinor})`));
  const iso = (v: string | Date | null) => (v ? new Date(v).toISOString() : null);
  const firsts = spend.map((s) => iso(s.first)).filter((v): v is string => v !== null);
  const lasts = spend.map((s) => iso(s.last)).filter((v): v is string => v !== null);
  return {
    ...page,
    summary: {
      purchases: spend.reduce((n, s) => n + s.n, 0),
      spend: spend.map((s) => ({ currency: s.currency, totalMinor: Number(s.totalMinor) })),
      firstPurchaseAt: firsts.sort()[0] ?? null,
      lastPurchaseAt: lasts.sort().at(-1) ?? null,
    },
  };
}

/** Links a ticket the actor can see to an order ("this ticket is about order #1042"). */
export async function linkTicket(ctx: Ctx, orderId: string, ticketId: string): Promise<TOrder> {
  const actor = requireCan(ctx.actor, "contacts.read");
  await loadVisibleTicket(ctx.db, asStaff(actor), ticketId);
  const order = await loadOrder(ctx.db, orderId);
  await ctx.db.insert(orderTickets).values({ orderId, ticketId, createdAt: ctx.now() }).onConflictDoNothing();
  const [o] = await withTickets(ctx.db, [order]);
  return o as TOrder;
}

export async function unlinkTicket(ctx: Ctx, orderId: string, ticketId: string): Promise<TOrder> {
  const actor = requireCan(ctx.actor, "contacts.read");
  await loadVisibleTicket(ctx.db, asStaff(actor), ticketId);
  const order = await loadOrder(ctx.db, orderId);
  await ctx.db
    .delete(orderTickets)
    .where(and(eq(orderTickets.orderId, orderId), eq(orderTickets.ticketId, ticketId)));
  const [o] = await withTickets(ctx.db, [order]);
  return o as TOrder;
}
