import { z } from "zod";
import { ZRequesterRef } from "../contacts/contacts.schema.ts";

export const ORDER_STATUSES = ["placed", "paid", "shipped", "delivered", "cancelled", "refunded"] as const;
/** Orders in these states are not purchases (RFM, lifetime spend, loyalty points). */
export const NOT_PURCHASES = ["cancelled", "refunded"] as const;
export const MAX_MINOR = 1_000_000_000_000_000;

const ZText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .refine((s) => !s.includes("\u0000"), { message: "NUL characters are not allowed" });
export const ZCurrency = z.string().regex(/^[A-Z]{3}$/, "an ISO 4217 code such as VND, KHR, INR, USD");
const ZMinor = z.number().int().min(0).max(MAX_MINOR);

export const ZOrderItem = z.strictObject({
  sku: ZText(100).default(""),
  name: ZText(500).min(1),
  quantity: z.number().int().min(1).max(1_000_000),
  unitPriceMinor: ZMinor,
});

const orderFields = {
  number: ZText(100).min(1),
  externalId: ZText(200).min(1).optional(),
  placedAt: z.iso.datetime({ offset: true }),
  status: z.enum(ORDER_STATUSES).default("placed"),
  currency: ZCurrency,
  totalMinor: ZMinor,
  discountMinor: ZMinor.default(0),
  coupon: ZText(100).nullish(),
  channel: ZText(100).nullish(),
  items: z.array(ZOrderItem).max(500).default([]),
};

export const ZCreateOrder = z.strictObject({
  /** The customer: an existing contact, or found / created by email or phone. */
  contact: ZRequesterRef,
  ...orderFields,
});
export type TCreateOrder = z.infer<typeof ZCreateOrder>;

export const ZUpdateOrder = z
  .strictObject({
    status: z.enum(ORDER_STATUSES).optional(),
    number: orderFields.number.optional(),
    placedAt: orderFields.placedAt.optional(),
    currency: ZCurrency.optional(),
    totalMinor: ZMinor.optional(),
    discountMinor: ZMinor.optional(),
    coupon: orderFields.coupon,
    channel: orderFields.channel,
    items: z.array(ZOrderItem).max(500).optional(),
  })
  .refine((p) => Object.keys(p).length > 0, { message: "nothing to change" });
export type TUpdateOrder = z.infer<typeof ZUpdateOrder>;

export const ZOrder = z.object({
  id: z.uuid(),
  contactId: z.uuid(),
  organizationId: z.uuid().nullable(),
  shopId: z.uuid().nullable(),
  externalId: z.string().nullable(),
  number: z.string(),
  placedAt: z.string(),
  status: z.enum(ORDER_STATUSES),
  /** Whether it counts as a purchase (not cancelled or refunded). */
  purchase: z.boolean(),
  currency: z.string(),
  totalMinor: z.number().int(),
  discountMinor: z.number().int(),
  coupon: z.string().nullable(),
  channel: z.string().nullable(),
  items: z.array(
    z.object({ sku: z.string(), name: z.string(), quantity: z.number(), unitPriceMinor: z.number() }),
  ),
  source: z.string(),
  ticketIds: z.array(z.uuid()),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type TOrder = z.infer<typeof ZOrder>;

export const ZOrderQuery = z.strictObject({
  contactId: z.uuid().optional(),
  organizationId: z.uuid().optional(),
  ticketId: z.uuid().optional(),
  status: z.enum(ORDER_STATUSES).optional(),
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type TOrderQuery = z.infer<typeof ZOrderQuery>;

export const ZOrderList = z.object({ items: z.array(ZOrder), nextCursor: z.string().nullable() });

/** A contact's orders with the lifetime figures the dossier shows. */
export const ZContactOrders = ZOrderList.extend({
  summary: z.object({
    purchases: z.number().int(),
    /** Lifetime spend per currency (purchases only), minor units. */
    spend: z.array(z.object({ currency: z.string(), totalMinor: z.number() })),
    firstPurchaseAt: z.string().nullable(),
    lastPurchaseAt: z.string().nullable(),
  }),
});

export const ZContactOrdersQuery = z.strictObject({
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(20),
});

export const ZLinkTicket = z.strictObject({ ticketId: z.uuid() });

// ---- Shops and the signed intake ------------------------------------------------------

export const ZCreateShop = z.strictObject({ name: ZText(200).min(1) });
export const ZUpdateShop = z.strictObject({
  name: ZText(200).min(1).optional(),
  active: z.boolean().optional(),
});
export const ZShop = z.object({
  id: z.uuid(),
  name: z.string(),
  intakeUrl: z.string(),
  active: z.boolean(),
  secretFingerprint: z.string(),
  createdAt: z.string(),
});
export const ZShopWithSecret = ZShop.extend({ secret: z.string() });

/**
 * What a shop (or its bridge) posts for each new or changed order. `id` is the shop's own
 * order id: posting it again updates the same order (a status change), never a second one.
 */
export const ZIntakeOrder = z.strictObject({
  id: ZText(200).min(1),
  number: ZText(100).min(1).optional(),
  placedAt: z.iso.datetime({ offset: true }),
  status: z.enum(ORDER_STATUSES),
  currency: ZCurrency,
  totalMinor: ZMinor,
  discountMinor: ZMinor.default(0),
  coupon: ZText(100).nullish(),
  channel: ZText(100).nullish(),
  customer: z
    .strictObject({
      email: z.email().max(320).optional(),
      phone: z.string().trim().max(40).optional(),
      name: ZText(200).optional(),
    })
    .refine((c) => c.email || c.phone, { message: "customer.email or customer.phone is required" }),
  items: z.array(ZOrderItem).max(500).default([]),
});
export type TIntakeOrder = z.infer<typeof ZIntakeOrder>;

export const ZIntakeResult = z.object({
  status: z.enum(["created", "updated", "unchanged"]),
  orderId: z.uuid(),
});
