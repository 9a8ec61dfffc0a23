import { z } from "zod";

const ZHour = z.number().int().min(0).max(23);
const ZWeekday = z.number().int().min(0).max(6);

/** A new scheduled report; weekly ones need a weekday, daily ones take none. */
export const ZScheduleInput = z
  .strictObject({
    name: z.string().trim().min(1).max(200),
    frequency: z.enum(["daily", "weekly"]),
    weekday: ZWeekday.nullable().optional(),
    hour: ZHour,
    /** null or absent: the whole organization. */
    teamId: z.uuid().nullable().optional(),
    recipientIds: z.array(z.uuid()).min(1).max(100),
  })
  .refine((s) => s.frequency === "daily" || typeof s.weekday === "number", {
    message: "A weekly report needs a weekday",
    path: ["weekday"],
  });
export type TScheduleInput = z.infer<typeof ZScheduleInput>;

export const ZSchedulePatch = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  frequency: z.enum(["daily", "weekly"]).optional(),
  weekday: ZWeekday.nullable().optional(),
  hour: ZHour.optional(),
  teamId: z.uuid().nullable().optional(),
  recipientIds: z.array(z.uuid()).min(1).max(100).optional(),
});
export type TSchedulePatch = z.infer<typeof ZSchedulePatch>;

export const ZSchedule = z.object({
  id: z.uuid(),
  name: z.string(),
  frequency: z.enum(["daily", "weekly"]),
  weekday: z.number().int().nullable(),
  hour: z.number().int(),
  teamId: z.uuid().nullable(),
  recipients: z.array(z.object({ id: z.uuid(), name: z.string(), email: z.string(), locale: z.string() })),
  timeZone: z.string(),
  nextRunAt: z.iso.datetime(),
  lastSentAt: z.iso.datetime().nullable(),
  sentCount: z.number().int(),
  createdAt: z.iso.datetime(),
});
export const ZScheduleList = z.object({ items: z.array(ZSchedule) });
export const ZSendNow = z.object({ sent: z.number().int(), recipients: z.array(z.string()) });
