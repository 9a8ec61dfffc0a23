import {
  CALL_DIRECTIONS,
  CALL_OUTCOMES,
  CALLBACK_OUTCOMES,
  CALLBACK_SOURCES,
  CALLBACK_STATUSES,
} from "@rapport/shared";
import { z } from "zod";

const ZText = (max: number) => z.string().max(max);

export const ZCall = z.object({
  id: z.uuid(),
  contact: z.object({ id: z.uuid(), name: z.string() }),
  ticket: z.object({ id: z.uuid(), number: z.number().int(), subject: z.string() }).nullable(),
  messageId: z.uuid().nullable(),
  callbackId: z.uuid().nullable(),
  agent: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  direction: z.enum(CALL_DIRECTIONS),
  phone: z.string(),
  durationSeconds: z.number().int(),
  outcome: z.enum(CALL_OUTCOMES),
  notes: z.string(),
  startedAt: z.iso.datetime(),
  createdAt: z.iso.datetime(),
});
export type TCall = z.infer<typeof ZCall>;
export const ZCallList = z.object({ items: z.array(ZCall) });

export const ZLogCall = z
  .strictObject({
    ticketId: z.uuid().optional(),
    contactId: z.uuid().optional(),
    /** Create a ticket (channel "phone") for this call. */
    newTicket: z
      .strictObject({
        subject: ZText(300).trim().min(1),
        teamId: z.uuid().nullable().optional(),
        assignToMe: z.boolean().default(true),
      })
      .optional(),
    direction: z.enum(CALL_DIRECTIONS),
    phone: ZText(40).trim().min(3),
    durationSeconds: z
      .number()
      .int()
      .min(0)
      .max(24 * 3600)
      .default(0),
    outcome: z.enum(CALL_OUTCOMES),
    notes: ZText(10_000).default(""),
    startedAt: z.iso.datetime({ offset: true }).optional(),
  })
  .refine((v) => !(v.ticketId && v.newTicket), { message: "Give ticketId or newTicket, not both" });
export type TLogCall = z.infer<typeof ZLogCall>;

export const ZCallQuery = z.strictObject({
  ticketId: z.uuid().optional(),
  contactId: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const ZCallback = z.object({
  id: z.uuid(),
  contact: z.object({ id: z.uuid(), name: z.string() }),
  ticket: z.object({ id: z.uuid(), number: z.number().int(), subject: z.string() }).nullable(),
  team: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  assignee: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  name: z.string(),
  phone: z.string(),
  email: z.string().nullable(),
  topic: z.string(),
  source: z.enum(CALLBACK_SOURCES),
  windowStart: z.iso.datetime().nullable(),
  windowEnd: z.iso.datetime().nullable(),
  dueAt: z.iso.datetime(),
  status: z.enum(CALLBACK_STATUSES),
  outcome: z.string().nullable(),
  attempts: z.number().int(),
  overdue: z.boolean(),
  firstAttemptAt: z.iso.datetime().nullable(),
  completedAt: z.iso.datetime().nullable(),
  remindedAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
});
export type TCallback = z.infer<typeof ZCallback>;
export const ZCallbackPage = z.object({ items: z.array(ZCallback), nextCursor: z.string().nullable() });
export const ZCallbackList = z.object({ items: z.array(ZCallback) });

/** What an agent sends to put a call-back in the queue (the public channels call the service directly). */
export const ZCreateCallback = z.strictObject({
  contactId: z.uuid().optional(),
  name: ZText(200).trim().optional(),
  phone: ZText(40).trim().min(3),
  email: z.email().max(320).optional(),
  topic: ZText(2000).default(""),
  windowStart: z.iso.datetime({ offset: true }).optional(),
  windowEnd: z.iso.datetime({ offset: true }).optional(),
  ticketId: z.uuid().optional(),
  teamId: z.uuid().nullable().optional(),
  assigneeId: z.uuid().nullable().optional(),
});

export const ZUpdateCallback = z.strictObject({
  assigneeId: z.uuid().nullable().optional(),
  teamId: z.uuid().nullable().optional(),
  dueAt: z.iso.datetime({ offset: true }).optional(),
  topic: ZText(2000).optional(),
  status: z.literal("cancelled").optional(),
});
export type TUpdateCallback = z.infer<typeof ZUpdateCallback>;

export const ZCallbackOutcome = z.strictObject({
  outcome: z.enum(CALLBACK_OUTCOMES),
  /** Required for "no_answer": when to try again (the call-back goes back in the queue). */
  retryAt: z.iso.datetime({ offset: true }).optional(),
  durationSeconds: z
    .number()
    .int()
    .min(0)
    .max(24 * 3600)
    .default(0),
  notes: ZText(10_000).default(""),
});
export type TCallbackOutcome = z.infer<typeof ZCallbackOutcome>;

export const ZCallbackQuery = z.strictObject({
  status: z.enum(CALLBACK_STATUSES).default("open"),
  assignee: z.union([z.literal("me"), z.literal("unassigned"), z.uuid()]).optional(),
  overdue: z.enum(["true", "false"]).optional(),
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type TCallbackQuery = z.infer<typeof ZCallbackQuery>;

export const ZCallbackReportQuery = z.strictObject({
  from: z.iso.datetime({ offset: true }),
  to: z.iso.datetime({ offset: true }),
});

export const ZCallbackReport = z.object({
  from: z.iso.datetime(),
  to: z.iso.datetime(),
  /** Call-backs due in the period. */
  due: z.number().int(),
  /** First attempt made on time (by the window's end, or within the grace after the due time). */
  onTime: z.number().int(),
  late: z.number().int(),
  /** Still open with no attempt and past due. */
  missed: z.number().int(),
  reached: z.number().int(),
  wrongNumber: z.number().int(),
  onTimeRate: z.number().nullable(),
  byAgent: z.array(
    z.object({
      agent: z.object({ id: z.uuid(), name: z.string() }),
      due: z.number().int(),
      onTime: z.number().int(),
    }),
  ),
});
