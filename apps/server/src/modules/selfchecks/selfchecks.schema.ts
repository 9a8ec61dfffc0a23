import { z } from "zod";
import { SELF_CHECK_CHANNELS, SELF_CHECK_RUN_STATUSES } from "./selfchecks.table.ts";

const ZChannel = z.enum(SELF_CHECK_CHANNELS);
const fields = {
  enabled: z.boolean().optional(),
  /** Checks per week on this channel. */
  perWeek: z.number().int().min(1).max(50).optional(),
  /** Agents see a "self-check" badge on the check's ticket; off: nothing tells them. */
  tellAgents: z.boolean().optional(),
  fromAddress: z.email().max(320).nullable().optional(),
  mailboxId: z.uuid().nullable().optional(),
  chatSiteId: z.uuid().nullable().optional(),
  expiryHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 14)
    .optional(),
};

export const ZScheduleInput = z.strictObject({ channel: ZChannel, ...fields });
export type TScheduleInput = z.infer<typeof ZScheduleInput>;
export const ZSchedulePatch = z.strictObject(fields);

export const ZScheduleRow = z.object({
  id: z.uuid(),
  channel: ZChannel,
  enabled: z.boolean(),
  perWeek: z.number().int(),
  tellAgents: z.boolean(),
  fromAddress: z.string().nullable(),
  mailboxId: z.uuid().nullable(),
  chatSiteId: z.uuid().nullable(),
  expiryHours: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type TScheduleRow = z.infer<typeof ZScheduleRow>;
export const ZScheduleList = z.object({ items: z.array(ZScheduleRow) });

export const ZRun = z.object({
  id: z.uuid(),
  scheduleId: z.uuid().nullable(),
  channel: ZChannel,
  status: z.enum(SELF_CHECK_RUN_STATUSES),
  plannedAt: z.string(),
  sentAt: z.string().nullable(),
  ticketId: z.uuid().nullable(),
  answeredAt: z.string().nullable(),
  promiseDueAt: z.string().nullable(),
  expiresAt: z.string().nullable(),
  /** From sending the check to the first reply by a person. */
  firstAnswerSeconds: z.number().nullable(),
  /** Whether that reply came within the SLA first-response target (null: no target applied). */
  promiseKept: z.boolean().nullable(),
  error: z.string().nullable(),
});
export const ZRunList = z.object({ items: z.array(ZRun) });
export const ZRunQuery = z.strictObject({
  scheduleId: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const ZReportQuery = z.strictObject({ weeks: z.coerce.number().int().min(1).max(104).default(12) });
export const ZReport = z.object({
  items: z.array(
    z.object({
      channel: ZChannel,
      /** Monday of the week (UTC), YYYY-MM-DD. */
      week: z.string(),
      sent: z.number().int(),
      answered: z.number().int(),
      firstAnswerP50Seconds: z.number().nullable(),
      withPromise: z.number().int(),
      kept: z.number().int(),
    }),
  ),
});
