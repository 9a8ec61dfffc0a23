import { and, eq, sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  index,
  jsonb,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { createdAt, tstz, updatedAt } from "../../db/columns.ts";
import { contacts, organizations } from "../contacts/contacts.table.ts";
import { tickets } from "../tickets/tickets.table.ts";
import { users } from "../users/users.table.ts";

/** One line of an order, kept inside the order row (read and written with it, never alone). */
export type OrderItem = { sku: string; name: string; quantity: number; unitPriceMinor: number };

/**
 * A shop that posts its orders to the signed intake (`POST /api/v1/orders/intake/:key`). The
 * secret is never stored: it is derived from the server key and `secret_salt`, as for the
 * webhook channel (decision 0007).
 */
export const orderShops = pgTable(
  "order_shops",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull(),
    inboundKey: text("inbound_key").notNull(),
    secretSalt: text("secret_salt").notNull(),
    secretFingerprint: text("secret_fingerprint").notNull(),
    active: boolean("active").notNull().default(true),
    createdById: uuid("created_by_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("order_shops_inbound_key").on(t.inboundKey)],
);

/**
 * Orders of a customer. `status` is placed | paid | shipped | delivered | cancelled | refunded;
 * cancelled and refunded orders are not purchases. Money is integer minor units in `currency`.
 * `(shop_id, external_id)` makes the intake idempotent on the shop's own order id.
 */
export const orders = pgTable(
  "orders",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    contactId: uuid("contact_id")
      .notNull()
      .references(() => contacts.id, { onDelete: "cascade" }),
    organizationId: uuid("organization_id").references(() => organizations.id, { onDelete: "set null" }),
    shopId: uuid("shop_id").references(() => orderShops.id, { onDelete: "set null" }),
    /** The shop's id for the order (idempotency key of the intake and of imports). */
    externalId: text("external_id"),
    number: text("number").notNull(),
    placedAt: tstz("placed_at").notNull(),
    status: text("status").notNull().default("placed"),
    currency: text("currency").notNull(),
    totalMinor: bigint("total_minor", { mode: "number" }).notNull(),
    discountMinor: bigint("discount_minor", { mode: "number" }).notNull().default(0),
    coupon: text("coupon"),
    /** The sales channel or store ("web", "Hanoi store", "Shopee"). */
    channel: text("channel"),
    items: jsonb("items").$type<OrderItem[]>().notNull().default([]),
    /** api | intake | import */
    source: text("source").notNull().default("api"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check(
      "orders_status_check",
      sql`${t.status} in ('placed','paid','shipped','delivered','cancelled','refunded')`,
    ),
    check("orders_currency_check", sql`${t.currency} ~ '^[A-Z]{3}$'`),
    uniqueIndex("orders_external_key").on(
      sql`coalesce(${t.shopId}, '00000000-0000-0000-0000-000000000000'::uuid)`,
      t.externalId,
    ),
    index("orders_contact_idx").on(t.contactId, t.placedAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    index("orders_organization_idx").on(t.organizationId, t.placedAt.desc().nullsFirst()),
    index("orders_placed_idx").on(t.placedAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
  ],
);

/** Raw intake calls, stored (and committed) before they are parsed. */
export const orderIntake = pgTable(
  "order_intake",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    shopId: uuid("shop_id")
      .notNull()
      .references(() => orderShops.id, { onDelete: "cascade" }),
    /** SHA-256 of the signature: the same signed request twice is a replay. */
    signatureHash: text("signature_hash").notNull(),
    rawBody: text("raw_body").notNull(),
    /** received | processed | refused */
    status: text("status").notNull().default("received"),
    error: text("error"),
    orderId: uuid("order_id").references(() => orders.id, { onDelete: "set null" }),
    receivedAt: tstz("received_at").notNull(),
  },
  (t) => [uniqueIndex("order_intake_signature_key").on(t.shopId, t.signatureHash)],
);

/** A ticket about an order (the ticket sidebar's "link to an order"). */
export const orderTickets = pgTable(
  "order_tickets",
  {
    orderId: uuid("order_id")
      .notNull()
      .references(() => orders.id, { onDelete: "cascade" }),
    ticketId: uuid("ticket_id")
      .notNull()
      .references(() => tickets.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.orderId, t.ticketId] }), index("order_tickets_ticket_idx").on(t.ticketId)],
);

export const ORDER_ITEMS_MAX = 500;

const NO_SHOP = "00000000-0000-0000-0000-000000000000";

/**
 * The lookup of an order by its external id, written with the unique index's own expression
 * (`coalesce(shop_id, <zero uuid>)`): `shop_id = $1 and external_id = $2` cannot use that
 * index and read every order (3 orders/s at 2,000,000 orders, bench/RESULTS.md).
 */
export const byExternalId = (shopId: string | null, externalId: string) =>
  and(
    sql`coalesce(${orders.shopId}, ${NO_SHOP}::uuid) = ${shopId ?? NO_SHOP}::uuid`,
    eq(orders.externalId, externalId),
  );
