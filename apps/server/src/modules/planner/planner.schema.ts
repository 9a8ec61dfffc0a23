import { PLANNED_STATUSES, PLANNER_CHANNELS } from "@rapport/shared";
import { z } from "zod";
import { isValidDate, isValidTimeZone } from "./planner.rules.ts";

const noNul = (s: string) => !s.includes("\0");
const ZText = (max: number) => z.string().max(max).refine(noNul, "NUL bytes are not allowed");

export const ZDate = z.string().refine(isValidDate, "a real calendar date, YYYY-MM-DD (1900-2999)");
export const ZMonth = z.string().regex(/^(19|2\d)\d{2}-(0[1-9]|1[0-2])$/, "a month, YYYY-MM");
export const ZTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "a time of day, HH:MM");
export const ZZone = z.string().max(64).refine(isValidTimeZone, "an IANA time zone such as Asia/Phnom_Penh");

export const ZChannel = z.enum(PLANNER_CHANNELS);

export const ZPlannedContact = z.object({
  id: z.uuid(),
  contact: z.object({ id: z.uuid(), name: z.string() }),
  ownerId: z.uuid(),
  coverId: z.uuid().nullable(),
  date: z.string(),
  time: z.string().nullable(),
  timeZone: z.string().nullable(),
  /** The planned time as an instant, when a time is set. */
  at: z.iso.datetime().nullable(),
  channel: z.string(),
  purpose: z.string(),
  notes: z.string(),
  status: z.enum(PLANNED_STATUSES),
  outcome: z.string().nullable(),
  completedAt: z.iso.datetime().nullable(),
  previousId: z.uuid().nullable(),
  /** A planned contact whose day has passed: carried over to today and flagged. */
  missed: z.boolean(),
  /** The actor works it for an absent colleague. */
  covering: z.boolean(),
  createdAt: z.iso.datetime(),
});
export type TPlannedContact = z.infer<typeof ZPlannedContact>;
export const ZPlannedList = z.object({ items: z.array(ZPlannedContact) });

const timeFields = {
  time: ZTime.nullable().optional(),
  timeZone: ZZone.nullable().optional(),
};

export const ZPlanContact = z.strictObject({
  contactId: z.uuid(),
  date: ZDate,
  ...timeFields,
  channel: ZChannel.default("phone"),
  purpose: ZText(500).default(""),
  notes: ZText(10_000).default(""),
  /** Managers may plan for another agent; agents plan for themselves. */
  ownerId: z.uuid().optional(),
});
export type TPlanContact = z.infer<typeof ZPlanContact>;

export const ZUpdatePlanned = z.strictObject({
  date: ZDate.optional(),
  ...timeFields,
  channel: ZChannel.optional(),
  purpose: ZText(500).optional(),
  notes: ZText(10_000).optional(),
  status: z.literal("cancelled").optional(),
  ownerId: z.uuid().optional(),
});
export type TUpdatePlanned = z.infer<typeof ZUpdatePlanned>;

export const MAX_BULK = 500;
export const ZMove = z.strictObject({
  ids: z.array(z.uuid()).min(1).max(MAX_BULK),
  date: ZDate,
});
export type TMove = z.infer<typeof ZMove>;
export const ZMoveResult = z.object({ moved: z.number(), date: z.string() });

export const ZSpread = z.strictObject({ date: ZDate, userId: z.uuid().optional() });
export const ZSpreadResult = z.object({
  moves: z.array(z.object({ id: z.uuid(), from: z.string(), to: z.string() })),
  unplaced: z.array(z.uuid()),
});

export const ZQuickChoice = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("tomorrow") }),
  z.strictObject({ kind: z.literal("in_a_week") }),
  z.strictObject({ kind: z.literal("in_a_month") }),
  z.strictObject({ kind: z.literal("on_date"), date: ZDate }),
  z.strictObject({ kind: z.literal("none") }),
]);

export const ZComplete = z.strictObject({
  outcome: ZText(10_000),
  /** done: the contact happened; missed: it was tried and did not happen. */
  status: z.enum(["done", "missed"]).default("done"),
  /** The next contact; omitted: the client's cadence decides (none without a cadence). */
  next: ZQuickChoice.optional(),
  nextTime: ZTime.nullable().optional(),
  nextPurpose: ZText(500).optional(),
  nextChannel: ZChannel.optional(),
});
export type TComplete = z.infer<typeof ZComplete>;
export const ZCompleteResult = z.object({ completed: ZPlannedContact, next: ZPlannedContact.nullable() });

export const ZCadence = z.strictObject({
  every: z.number().int().min(1).max(366),
  unit: z.enum(["day", "week", "month"]),
});
export const ZCadenceOut = ZCadence.extend({ anchorDay: z.number().int().nullable() }).nullable();

export const ZUserQuery = z.strictObject({ userId: z.uuid().optional() });
export const ZTodayQuery = ZUserQuery.extend({ date: ZDate.optional() });
export const ZBoardQuery = ZUserQuery.extend({
  month: ZMonth.optional(),
  /** How many coming months get a tab. */
  tabs: z.coerce.number().int().min(0).max(24).default(12),
});
export const ZItemsQuery = ZUserQuery.extend({
  from: ZDate,
  to: ZDate,
  limit: z.coerce.number().int().min(1).max(2000).default(500),
});

export const ZBoard = z.object({
  userId: z.uuid(),
  month: z.string(),
  today: z.string(),
  capacityPerDay: z.number(),
  days: z.array(
    z.object({
      date: z.string(),
      day: z.number(),
      planned: z.number(),
      done: z.number(),
      capacity: z.number(),
      overloaded: z.boolean(),
      absent: z.boolean(),
    }),
  ),
  /** Tabs for the coming months: their files sit there until the month begins. */
  monthTabs: z.array(z.object({ month: z.string(), planned: z.number() })),
  overdue: z.number(),
});

export const ZToday = z.object({
  userId: z.uuid(),
  date: z.string(),
  capacity: z.number(),
  items: z.array(ZPlannedContact),
});

export const ZSettings = z.object({
  capacityPerDay: z.number().int(),
  workDays: z.array(z.number().int()),
  reminderEmail: z.boolean(),
  icalFeed: z.boolean(),
  timeZone: z.string(),
});
export const ZUpdateSettings = z.strictObject({
  capacityPerDay: z.number().int().min(0).max(500).optional(),
  workDays: z
    .array(z.number().int().min(0).max(6))
    .max(7)
    .refine((d) => new Set(d).size === d.length, "each weekday once")
    .optional(),
  reminderEmail: z.boolean().optional(),
});

export const ZAbsence = z.object({
  id: z.uuid(),
  agentId: z.uuid(),
  coverId: z.uuid(),
  from: z.string(),
  to: z.string(),
  note: z.string(),
  status: z.enum(["scheduled", "active", "ended", "cancelled"]),
  createdAt: z.iso.datetime(),
});
export type TAbsence = z.infer<typeof ZAbsence>;
export const ZAbsenceList = z.object({ items: z.array(ZAbsence) });
export const ZCreateAbsence = z
  .strictObject({
    agentId: z.uuid().optional(),
    coverId: z.uuid(),
    from: ZDate,
    to: ZDate,
    note: ZText(2000).default(""),
  })
  .refine((a) => a.from <= a.to, { message: "from must not be after to", path: ["to"] });
export type TCreateAbsence = z.infer<typeof ZCreateAbsence>;

/** A new calendar feed token and the feed's path (the token is shown once). */
export const ZIcalToken = z.object({ token: z.string(), path: z.string() });
