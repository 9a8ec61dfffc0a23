import { PROMISE_KINDS, PROMISE_STATUSES } from "@rapport/shared";
import { z } from "zod";

const ZText = (max: number) =>
  z
    .string()
    .max(max)
    .refine((s) => !s.includes("\u0000"), { message: "NUL characters are not allowed" });

export const ZCreatePromise = z
  .strictObject({
    ticketId: z.uuid().optional(),
    contactId: z.uuid().optional(),
    kind: z.enum(PROMISE_KINDS),
    description: ZText(2000).default(""),
    /** Refund or discount amount in minor units (cents, đồng, riel…), with its ISO 4217 currency. */
    amountMinor: z.number().int().min(0).max(1_000_000_000_000).optional(),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, "an ISO 4217 code such as VND, KHR, INR, EUR")
      .optional(),
    percent: z.number().int().min(1).max(100).optional(),
    ownerId: z.uuid().optional(),
    dueAt: z.iso.datetime({ offset: true }),
    /** Reminder lead time; default 60 minutes before the due time. */
    remindMinutesBefore: z
      .number()
      .int()
      .min(0)
      .max(60 * 24 * 14)
      .default(60),
  })
  .refine((p) => !!p.ticketId || !!p.contactId, {
    message: "ticketId or contactId is required",
    path: ["ticketId"],
  })
  .refine((p) => (p.amountMinor === undefined) === (p.currency === undefined), {
    message: "an amount needs its currency",
    path: ["currency"],
  })
  .refine((p) => p.kind !== "refund" || p.amountMinor !== undefined, {
    message: "a refund needs an amount",
    path: ["amountMinor"],
  })
  .refine((p) => p.kind !== "discount" || p.amountMinor !== undefined || p.percent !== undefined, {
    message: "a discount needs an amount or a percentage",
    path: ["percent"],
  });
export type TCreatePromise = z.infer<typeof ZCreatePromise>;

export const ZUpdatePromise = z.strictObject({
  status: z.enum(["kept", "cancelled"]).optional(),
  description: ZText(2000).optional(),
  ownerId: z.uuid().optional(),
  dueAt: z.iso.datetime({ offset: true }).optional(),
});
export type TUpdatePromise = z.infer<typeof ZUpdatePromise>;

export const ZPromise = z.object({
  id: z.uuid(),
  ticket: z.object({ id: z.uuid(), number: z.number(), subject: z.string() }).nullable(),
  contact: z.object({ id: z.uuid(), name: z.string() }),
  kind: z.enum(PROMISE_KINDS),
  description: z.string(),
  amountMinor: z.number().nullable(),
  currency: z.string().nullable(),
  percent: z.number().nullable(),
  owner: z.object({ id: z.uuid(), name: z.string() }),
  dueAt: z.iso.datetime(),
  remindAt: z.iso.datetime().nullable(),
  status: z.enum(PROMISE_STATUSES),
  overdue: z.boolean(),
  completedAt: z.iso.datetime().nullable(),
  keptOnTime: z.boolean().nullable(),
  createdAt: z.iso.datetime(),
});
export type TPromise = z.infer<typeof ZPromise>;
export const ZPromiseList = z.object({ items: z.array(ZPromise) });

export const ZPromiseQuery = z.strictObject({
  ticketId: z.uuid().optional(),
  contactId: z.uuid().optional(),
  owner: z.union([z.literal("me"), z.uuid()]).optional(),
  status: z.enum(["open", "kept", "cancelled", "overdue"]).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type TPromiseQuery = z.infer<typeof ZPromiseQuery>;

export const ZKeptRateQuery = z.strictObject({
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  groupBy: z.enum(["agent", "team"]).default("agent"),
});
export const ZKeptRate = z.object({
  items: z.array(
    z.object({
      id: z.uuid().nullable(),
      name: z.string(),
      total: z.number().int(),
      kept: z.number().int(),
      keptOnTime: z.number().int(),
      broken: z.number().int(),
      rate: z.number().nullable(),
    }),
  ),
});
