import { RELATIONSHIP_TYPES } from "@rapport/shared";
import { z } from "zod";
import { SEGMENTS } from "./rfm.ts";

export { RELATIONSHIP_TYPES };
export const ZSegment = z.enum(SEGMENTS);
const ZCurrency = z.string().regex(/^[A-Z]{3}$/, "an ISO 4217 code such as VND, KHR, INR, USD");
const ZTemplateText = (max: number) =>
  z
    .string()
    .max(max)
    .refine((s) => !s.includes("\u0000"), { message: "NUL characters are not allowed" });

export const ZValueSettings = z.object({
  baseCurrency: z.string(),
  rates: z.record(z.string(), z.number()),
  windowMonths: z.number().int(),
  defaultIntervalDays: z.number().int(),
  minCustomersForOrgInterval: z.number().int(),
  reminderLeadDays: z.number().int(),
  reminderMode: z.enum(["planner", "email", "off"]),
  reminderTemplate: z.record(z.string(), z.object({ subject: z.string(), body: z.string() })),
  reminderOffer: z.string(),
  reminderTeamId: z.uuid().nullable(),
  pointsPerUnit: z.number(),
  pointsPerOrder: z.number().int(),
  pointsPerSku: z.record(z.string(), z.number()),
  pointsExpiryMonths: z.number().int(),
  orgIntervalDays: z.number(),
  recomputedAt: z.string().nullable(),
});
export type TValueSettings = z.infer<typeof ZValueSettings>;

export const ZUpdateValueSettings = z
  .strictObject({
    baseCurrency: ZCurrency.optional(),
    /** Minor units of the base currency for one minor unit of each other currency. */
    rates: z.record(ZCurrency, z.number().positive().max(1e9)).optional(),
    windowMonths: z.number().int().min(1).max(60).optional(),
    defaultIntervalDays: z.number().int().min(1).max(3650).optional(),
    minCustomersForOrgInterval: z.number().int().min(1).max(1_000_000).optional(),
    reminderLeadDays: z.number().int().min(0).max(365).optional(),
    reminderMode: z.enum(["planner", "email", "off"]).optional(),
    reminderTemplate: z
      .partialRecord(
        z.enum(["en", "vi", "km", "ta"]),
        z.strictObject({ subject: ZTemplateText(300).min(1), body: ZTemplateText(20_000).min(1) }),
      )
      .optional(),
    reminderOffer: ZTemplateText(2000).optional(),
    reminderTeamId: z.uuid().nullable().optional(),
    pointsPerUnit: z.number().min(0).max(1_000_000).optional(),
    pointsPerOrder: z.number().int().min(0).max(1_000_000).optional(),
    pointsPerSku: z.record(z.string().min(1).max(100), z.number().int().min(0).max(1_000_000)).optional(),
    pointsExpiryMonths: z.number().int().min(1).max(120).optional(),
  })
  .refine((p) => Object.keys(p).length > 0, { message: "nothing to change" });
export type TUpdateValueSettings = z.infer<typeof ZUpdateValueSettings>;

export const ZMatrix = z.object({
  /** Customers with a purchase in the window, by recency score (rows) and frequency score (columns). */
  cells: z.array(z.object({ r: z.number().int(), f: z.number().int(), customers: z.number().int() })),
  segments: z.array(z.object({ segment: ZSegment, customers: z.number().int() })),
  /** Segment counts at the end of each quarter (the nightly recompute keeps the current one). */
  trend: z.array(z.object({ quarter: z.string(), segment: ZSegment, customers: z.number().int() })),
  customers: z.number().int(),
  /** One-off customers who did not come back within the interval, over customers with a purchase. */
  neverReturnedShare: z.number(),
  planningAssumption: z.number(),
  orgIntervalDays: z.number(),
  baseCurrency: z.string(),
  windowMonths: z.number().int(),
  recomputedAt: z.string().nullable(),
  /** Reminders filed in the last 12 months and how many of those customers bought again within the interval. */
  reminders: z.object({ sent: z.number().int(), converted: z.number().int() }),
});

export const ZCustomersQuery = z.strictObject({
  segment: ZSegment.optional(),
  r: z.coerce.number().int().min(1).max(5).optional(),
  f: z.coerce.number().int().min(1).max(5).optional(),
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  format: z.enum(["json", "csv"]).default("json"),
});
export type TCustomersQuery = z.infer<typeof ZCustomersQuery>;

export const ZValueCustomer = z.object({
  contactId: z.uuid(),
  name: z.string(),
  email: z.string().nullable(),
  organizationId: z.uuid().nullable(),
  segment: ZSegment,
  r: z.number().int().nullable(),
  f: z.number().int().nullable(),
  m: z.number().int().nullable(),
  purchases: z.number().int(),
  frequency: z.number().int(),
  monetaryMinor: z.number(),
  lifetimeMinor: z.number(),
  lastPurchaseAt: z.string().nullable(),
  daysSinceLastPurchase: z.number().nullable(),
  intervalDays: z.number(),
  nextReminderAt: z.string().nullable(),
});
export const ZCustomerList = z.object({ items: z.array(ZValueCustomer), nextCursor: z.string().nullable() });

export const ZTier = z.object({
  id: z.uuid(),
  name: z.string(),
  rank: z.number().int(),
  minPoints: z.number().int().nullable(),
  minSpendMinor: z.number().nullable(),
  discountPercent: z.number().int(),
  routingPriority: z.number().int(),
  benefits: z.string(),
  color: z.string(),
});
export type TTier = z.infer<typeof ZTier>;

export const ZContactValue = ZValueCustomer.extend({
  baseCurrency: z.string(),
  ownInterval: z.boolean(),
  firstPurchaseAt: z.string().nullable(),
  tier: ZTier.nullable(),
  tierSince: z.string().nullable(),
  points: z.number().int(),
  /** Confirmed (or changed) by the account manager, a manager or an admin. */
  relationshipType: z.enum(RELATIONSHIP_TYPES).nullable(),
  /** What Rapport suggests from the customer's behaviour now. */
  relationshipSuggested: z.enum(RELATIONSHIP_TYPES).nullable(),
  /** Whether the caller may confirm or change the relationship type. */
  canSetRelationship: z.boolean(),
});
export type TContactValue = z.infer<typeof ZContactValue>;

const ZColor = z.enum([
  "gray",
  "yellow",
  "orange",
  "grape",
  "blue",
  "teal",
  "dark",
  "red",
  "green",
  "cyan",
  "indigo",
  "pink",
]);
export const ZCreateTier = z.strictObject({
  name: ZTemplateText(60).trim().min(1),
  rank: z.number().int().min(0).max(1000),
  minPoints: z.number().int().min(0).max(1_000_000_000).nullable().default(null),
  minSpendMinor: z.number().int().min(0).max(1e15).nullable().default(null),
  discountPercent: z.number().int().min(0).max(100).default(0),
  routingPriority: z.number().int().min(0).max(100).default(0),
  benefits: ZTemplateText(2000).default(""),
  color: ZColor.default("gray"),
});
export type TCreateTier = z.infer<typeof ZCreateTier>;
export const ZTierList = z.object({ items: z.array(ZTier) });

export const ZSetRelationship = z.strictObject({
  /** One of Piercy's four types; null clears it (Rapport's suggestion stays). */
  relationshipType: z.enum(RELATIONSHIP_TYPES).nullable(),
});
export type TSetRelationship = z.infer<typeof ZSetRelationship>;

export const ZLedgerEntryInput = z.strictObject({
  contactId: z.uuid(),
  kind: z.enum(["grant", "redeem"]),
  points: z.number().int().min(1).max(10_000_000),
  reason: ZTemplateText(500).trim().min(1),
});
export type TLedgerEntryInput = z.infer<typeof ZLedgerEntryInput>;
export const ZLedgerView = z.object({
  contactId: z.uuid(),
  balance: z.number().int(),
  tier: ZTier.nullable(),
  entries: z.array(
    z.object({
      id: z.string(),
      kind: z.enum(["earn", "grant", "redeem", "expire", "reverse"]),
      points: z.number().int(),
      expiresAt: z.string().nullable(),
      orderId: z.uuid().nullable(),
      reason: z.string(),
      createdAt: z.string(),
    }),
  ),
});

/** POST /value/reminders/run: reminders filed now, and due customers skipped (already reminded). */
export const ZRemindersRun = z.object({ filed: z.number().int(), skipped: z.number().int() });
