import { z } from "zod";
import { isValueField, VALUE_FIELDS } from "../value/value.facts.ts";

const ZName = z
  .string()
  .trim()
  .min(1)
  .max(120)
  .refine((s) => !/[\u0000\r\n]/.test(s), { message: "one line without NUL characters" });
const ZHHMM = z.string().regex(/^([01]\d|2[0-4]):[0-5]\d$/, "HH:MM, 24-hour");
export const ZTimeZone = z
  .string()
  .max(64)
  .refine(
    (tz) => {
      try {
        new Intl.DateTimeFormat("en-US", { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    },
    { message: "an IANA time zone such as Asia/Ho_Chi_Minh" },
  );
const ZInterval = z.strictObject({ start: ZHHMM, end: ZHHMM });
const ZWeek = z.strictObject(
  Object.fromEntries(
    ["0", "1", "2", "3", "4", "5", "6"].map((d) => [d, z.array(ZInterval).max(8).optional()]),
  ),
);
const ZHoliday = z.strictObject({
  date: z.iso.date(),
  yearly: z.boolean().default(false),
  name: z.string().max(120).optional(),
});

export const ZCalendarInput = z.strictObject({
  name: ZName,
  timeZone: ZTimeZone,
  week: ZWeek,
  holidays: z.array(ZHoliday).max(400).default([]),
  isDefault: z.boolean().optional(),
});
export type TCalendarInput = z.infer<typeof ZCalendarInput>;
export const ZCalendarPatch = ZCalendarInput.partial();
export type TCalendarPatch = z.infer<typeof ZCalendarPatch>;

export const ZCalendar = z.object({
  id: z.uuid(),
  name: z.string(),
  timeZone: z.string(),
  week: z.record(z.string(), z.array(z.object({ start: z.string(), end: z.string() }))),
  holidays: z.array(
    z.object({ date: z.string(), yearly: z.boolean().optional(), name: z.string().optional() }),
  ),
  isDefault: z.boolean(),
  updatedAt: z.iso.datetime(),
});
export type TCalendar = z.infer<typeof ZCalendar>;
export const ZCalendarList = z.object({ items: z.array(ZCalendar) });

/**
 * Conditions: priority, channel, team, tag, language, sentiment or worst_sentiment (negative, neutral,
 * positive), any contact field (`contact.language`), a
 * ticket custom field, or the requester's value (`value.segment`, `value.tier`,
 * `value.lifetime_spent` with `gt`/`lt`: modules/value/value.facts.ts).
 */
export const ZCondition = z.strictObject({
  field: z
    .string()
    .regex(
      /^(priority|channel|team|tag|language|sentiment|worst_sentiment|contact\.[a-zA-Z0-9_]{1,64}|ticket\.[a-zA-Z0-9_]{1,64}|value\.[a-z_]{1,64})$/,
      "priority, channel, team, tag, language, sentiment, worst_sentiment, contact.<field>, ticket.<custom field> or value.<figure>",
    )
    .refine((f) => !f.startsWith("value.") || isValueField(f.slice(6)), {
      message: `value.<figure> is one of ${VALUE_FIELDS.join(", ")}`,
    }),
  op: z.enum(["is", "is_not", "in", "contains", "gt", "lt"]),
  value: z.union([z.string().max(200), z.array(z.string().max(200)).max(50)]),
});
const ZTargetSpec = z
  .strictObject({
    minutes: z
      .number()
      .int()
      .min(1)
      .max(60 * 24 * 365),
    goalMinutes: z
      .number()
      .int()
      .min(1)
      .max(60 * 24 * 365)
      .nullable()
      .default(null),
    business: z.boolean().default(true),
  })
  .refine((t) => t.goalMinutes === null || t.goalMinutes <= t.minutes, {
    message: "the internal goal cannot be later than the promise",
    path: ["goalMinutes"],
  });
export const ZTargets = z.strictObject({
  firstResponse: ZTargetSpec.nullable().default(null),
  nextResponse: ZTargetSpec.nullable().default(null),
  resolution: ZTargetSpec.nullable().default(null),
});
export const ZEscalation = z.strictObject({
  type: z.enum(["notify", "reassign", "raise_priority", "notify_manager"]),
  userId: z.uuid().nullable().optional(),
});
export const ZPolicyInput = z.strictObject({
  name: ZName,
  position: z.number().int().min(0).max(100_000).default(0),
  active: z.boolean().default(true),
  conditions: z.array(ZCondition).max(20).default([]),
  calendarId: z.uuid().nullable().default(null),
  targets: ZTargets,
  pauseStatuses: z
    .array(z.enum(["pending", "on_hold"]))
    .max(2)
    .default(["pending", "on_hold"]),
  warnMinutes: z
    .number()
    .int()
    .min(0)
    .max(60 * 24 * 30)
    .default(60),
  escalations: z
    .array(ZEscalation)
    .max(10)
    .default([{ type: "notify" }]),
});
export type TPolicyInput = z.infer<typeof ZPolicyInput>;
export const ZPolicyPatch = z.strictObject({
  name: ZName.optional(),
  position: z.number().int().min(0).max(100_000).optional(),
  active: z.boolean().optional(),
  conditions: z.array(ZCondition).max(20).optional(),
  calendarId: z.uuid().nullable().optional(),
  targets: ZTargets.optional(),
  pauseStatuses: z
    .array(z.enum(["pending", "on_hold"]))
    .max(2)
    .optional(),
  warnMinutes: z
    .number()
    .int()
    .min(0)
    .max(60 * 24 * 30)
    .optional(),
  escalations: z.array(ZEscalation).max(10).optional(),
});
export type TPolicyPatch = z.infer<typeof ZPolicyPatch>;

const ZTargetSpecOut = z.object({
  minutes: z.number(),
  goalMinutes: z.number().nullable(),
  business: z.boolean(),
});
export const ZPolicy = z.object({
  id: z.uuid(),
  name: z.string(),
  position: z.number().int(),
  active: z.boolean(),
  conditions: z.array(
    z.object({
      field: z.string(),
      op: ZCondition.shape.op,
      value: z.union([z.string(), z.array(z.string())]),
    }),
  ),
  calendarId: z.uuid().nullable(),
  targets: z.object({
    firstResponse: ZTargetSpecOut.nullable(),
    nextResponse: ZTargetSpecOut.nullable(),
    resolution: ZTargetSpecOut.nullable(),
  }),
  pauseStatuses: z.array(z.string()),
  warnMinutes: z.number().int(),
  escalations: z.array(z.object({ type: ZEscalation.shape.type, userId: z.uuid().nullable().optional() })),
  isDefault: z.boolean(),
});
export type TPolicy = z.infer<typeof ZPolicy>;
export const ZPolicyList = z.object({ items: z.array(ZPolicy) });

export const ZSlaTarget = z.object({
  id: z.uuid(),
  metric: z.enum(["first_response", "next_response", "resolution"]),
  cycle: z.number().int(),
  status: z.enum(["active", "met", "breached", "cancelled"]),
  business: z.boolean(),
  targetMinutes: z.number(),
  goalMinutes: z.number().nullable(),
  startedAt: z.iso.datetime(),
  dueAt: z.iso.datetime().nullable(),
  goalAt: z.iso.datetime().nullable(),
  paused: z.boolean(),
  pausedMs: z.number(),
  warnedAt: z.iso.datetime().nullable(),
  breachedAt: z.iso.datetime().nullable(),
  metAt: z.iso.datetime().nullable(),
  elapsedMs: z.number().nullable(),
  metGoal: z.boolean().nullable(),
});
export type TSlaTarget = z.infer<typeof ZSlaTarget>;

export const ZTicketSla = z.object({
  policy: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  nextDueAt: z.iso.datetime().nullable(),
  /** on_track, at_risk (past the internal goal or inside the warning lead), breached, paused, none */
  state: z.enum(["on_track", "at_risk", "breached", "paused", "none"]),
  targets: z.array(ZSlaTarget),
  pendingUntil: z.iso.datetime().nullable(),
});
export type TTicketSla = z.infer<typeof ZTicketSla>;

export const ZPendingUntil = z
  .strictObject({
    /** An instant (ISO 8601 with offset) ... */
    until: z.iso.datetime({ offset: true }).optional(),
    /** ... or a local date (and time, default 09:00) in the assignee's time zone. */
    date: z.iso.date().optional(),
    time: ZHHMM.optional(),
  })
  .refine((v) => (v.until ? !v.date && !v.time : !!v.date), {
    message: "send either until, or date (and optionally time)",
    path: ["until"],
  });
export type TPendingUntil = z.infer<typeof ZPendingUntil>;
