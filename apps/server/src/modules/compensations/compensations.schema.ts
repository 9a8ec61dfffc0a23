import { LOYALTY_POINTS_KIND, POINTS_CURRENCY } from "@rapport/shared";
import { z } from "zod";

export const BUILTIN_KINDS = [
  "refund",
  "discount",
  "store_credit",
  "voucher",
  "free_replacement",
  "free_shipping",
  LOYALTY_POINTS_KIND,
] as const;
export const COMPENSATION_STATUSES = ["granted", "pending_approval", "rejected", "reversed"] as const;
export const APPROVER_STEPS = ["team_lead", "manager", "admin"] as const;
export const LIMIT_SCOPES = ["role", "team", "user"] as const;
export const MAX_MINOR = 1_000_000_000_000;

const ZText = (min: number, max: number) =>
  z
    .string()
    .trim()
    .min(min)
    .max(max)
    .refine((s) => !s.includes("\u0000"), { message: "NUL characters are not allowed" });
const ZCurrency = z.string().regex(/^[A-Z]{3}$/, "an ISO 4217 code such as VND, KHR, INR, USD");
const ZKindKey = z.string().regex(/^[a-z][a-z0-9_]{1,39}$/, "lower-case letters, digits and _");
const ZMinor = z.number().int().min(0).max(MAX_MINOR);
/** Loyalty points are counted in "PTS", and "PTS" is for loyalty points only. */
const pointsPaired = (r: { kind: string; currency: string }) =>
  (r.kind === LOYALTY_POINTS_KIND) === (r.currency === POINTS_CURRENCY) || r.kind === "*";
const POINTS_MESSAGE = `loyalty points are counted in ${POINTS_CURRENCY}, and ${POINTS_CURRENCY} only for them`;

export const ZCreateCompensation = z
  .strictObject({
    ticketId: z.uuid(),
    kind: ZKindKey,
    amountMinor: ZMinor.min(1),
    currency: ZCurrency,
    reason: ZText(1, 2000),
    /** When approval is needed: tell the customer on the ticket that a manager is reviewing it. */
    tellCustomer: z.boolean().default(false),
  })
  .refine(pointsPaired, { message: POINTS_MESSAGE, path: ["currency"] });
export type TCreateCompensation = z.infer<typeof ZCreateCompensation>;

const ZUserRef = z.object({ id: z.string(), name: z.string() }).nullable();

export const ZCompensation = z.object({
  id: z.string(),
  ticket: z.object({ id: z.string(), number: z.number(), subject: z.string() }),
  contact: z.object({ id: z.string(), name: z.string() }),
  teamId: z.string().nullable(),
  agent: z.object({ id: z.string(), name: z.string() }),
  kind: z.string(),
  amountMinor: z.number().int(),
  grantedMinor: z.number().int().nullable(),
  currency: z.string(),
  reason: z.string(),
  status: z.enum(COMPENSATION_STATUSES),
  month: z.string(),
  promiseId: z.string().nullable(),
  /** The chain step that decides now (pending requests). */
  approverStep: z.enum(APPROVER_STEPS).nullable(),
  escalateAt: z.string().nullable(),
  decidedBy: ZUserRef,
  decidedAt: z.string().nullable(),
  decisionComment: z.string().nullable(),
  createdAt: z.string(),
  /** What the caller may do with it (the UI hides the rest). */
  can: z.object({ decide: z.boolean(), reverse: z.boolean() }),
  /** The customer's value figures (the approval queue only). */
  customerValue: z
    .object({
      segment: z.string(),
      tier: z.object({ name: z.string(), color: z.string() }).nullable(),
      /** Lifetime spend in the organization's base currency (minor units). */
      lifetimeMinor: z.number(),
      baseCurrency: z.string(),
      purchases: z.number().int(),
      points: z.number().int(),
    })
    .nullable()
    .optional(),
  audit: z
    .array(
      z.object({
        action: z.string(),
        actor: ZUserRef,
        amountMinor: z.number().int().nullable(),
        note: z.string(),
        at: z.string(),
      }),
    )
    .optional(),
});
export type TCompensation = z.infer<typeof ZCompensation>;
export const ZCompensationList = z.object({ items: z.array(ZCompensation) });

export const ZCompensationQuery = z.strictObject({
  ticketId: z.uuid().optional(),
  contactId: z.uuid().optional(),
});

export const ZApprovalQuery = z.strictObject({
  status: z.enum(["pending", "decided", "all"]).default("pending"),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const ZApprove = z.strictObject({
  /** A lower amount than requested (never higher). */
  amountMinor: ZMinor.min(1).optional(),
  comment: ZText(0, 2000).default(""),
});
export const ZReject = z.strictObject({ comment: ZText(0, 2000).default("") });
export const ZReverse = z.strictObject({ reason: ZText(1, 2000) });

export const ZLimitRule = z
  .strictObject({
    scope: z.enum(LIMIT_SCOPES),
    /** The role's name, or the team's or user's id. */
    scopeId: z.string().min(1).max(64),
    kind: z.union([z.literal("*"), ZKindKey]).default("*"),
    currency: ZCurrency,
    perCaseMinor: ZMinor.nullable().default(null),
    perMonthMinor: ZMinor.nullable().default(null),
    unlimited: z.boolean().default(false),
  })
  .refine((r) => r.scope !== "role" || ["admin", "manager", "agent"].includes(r.scopeId), {
    message: "a role is admin, manager or agent",
    path: ["scopeId"],
  })
  .refine((r) => r.scope === "role" || z.uuid().safeParse(r.scopeId).success, {
    message: "a team or user id",
    path: ["scopeId"],
  })
  .refine(pointsPaired, { message: POINTS_MESSAGE, path: ["currency"] });
export type TLimitRule = z.infer<typeof ZLimitRule>;

export const ZApprovalConfig = z.strictObject({
  chain: z.array(z.enum(APPROVER_STEPS)).min(1).max(3),
  escalateAfterMinutes: z
    .number()
    .int()
    .min(5)
    .max(60 * 24 * 14),
  unlimitedRoles: z.array(z.enum(["admin", "manager", "agent"])).max(3),
  promiseDueHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 60),
  kinds: z
    .array(z.strictObject({ key: ZKindKey, label: ZText(1, 80), active: z.boolean().default(true) }))
    .max(50),
  teamLeads: z.array(z.strictObject({ teamId: z.uuid(), userId: z.uuid() })).max(500),
  limits: z.array(ZLimitRule).max(1000),
});
export type TApprovalConfig = z.infer<typeof ZApprovalConfig>;
export const ZApprovalConfigOut = z.object({
  chain: z.array(z.enum(APPROVER_STEPS)),
  escalateAfterMinutes: z.number(),
  unlimitedRoles: z.array(z.string()),
  promiseDueHours: z.number(),
  kinds: z.array(z.object({ key: z.string(), label: z.string(), active: z.boolean(), builtin: z.boolean() })),
  teamLeads: z.array(z.object({ teamId: z.string(), userId: z.string() })),
  limits: z.array(
    z.object({
      scope: z.enum(LIMIT_SCOPES),
      scopeId: z.string(),
      kind: z.string(),
      currency: z.string(),
      perCaseMinor: z.number().nullable(),
      perMonthMinor: z.number().nullable(),
      unlimited: z.boolean(),
    }),
  ),
  /** The caller's own effective limits (what the grant form shows). */
  mine: z.array(
    z.object({
      kind: z.string(),
      currency: z.string(),
      perCaseMinor: z.number().nullable(),
      perMonthMinor: z.number().nullable(),
      unlimited: z.boolean(),
      /** The limit is for every kind: `usedThisMonthMinor` sums every kind in the currency. */
      anyKind: z.boolean(),
      usedThisMonthMinor: z.number(),
    }),
  ),
  canEdit: z.boolean(),
});

export const ZReportQuery = z.strictObject({
  from: z
    .string()
    .regex(/^\d{4}-\d{2}$/)
    .optional(),
  to: z
    .string()
    .regex(/^\d{4}-\d{2}$/)
    .optional(),
});
export const ZReport = z.object({
  rows: z.array(
    z.object({
      month: z.string(),
      agent: z.object({ id: z.string(), name: z.string() }),
      teamId: z.string().nullable(),
      teamName: z.string().nullable(),
      kind: z.string(),
      currency: z.string(),
      grantedCount: z.number(),
      /** Granted on the agent's own authority (counts against the monthly limit). */
      selfGrantedMinor: z.number(),
      approvedMinor: z.number(),
      requestedCount: z.number(),
      rejectedCount: z.number(),
      perMonthMinor: z.number().nullable(),
      unlimited: z.boolean(),
      /** The monthly limit is for every kind: `countedMinor` is the agent's month in the currency. */
      limitAnyKind: z.boolean(),
      /** What counts against `perMonthMinor` that month (own authority; every kind for `*`). */
      countedMinor: z.number(),
    }),
  ),
  /**
   * Limits are compared as they are in force at this time (the limits table keeps no history):
   * an earlier month is shown against today's limits.
   */
  limitsAsOf: z.string(),
  turnaround: z.array(
    z.object({
      month: z.string(),
      decided: z.number(),
      medianMinutes: z.number().nullable(),
      p90Minutes: z.number().nullable(),
      escalated: z.number(),
      pending: z.number(),
    }),
  ),
});
