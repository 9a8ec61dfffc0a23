import { CHANNELS, LOCALES, TICKET_PRIORITIES } from "@rapport/shared";
import { z } from "zod";

/** The filters every report takes: a period (default the last 30 days) and the dashboard's filters. */
export const ZReportQuery = z.strictObject({
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  teamId: z.uuid().optional(),
  agentId: z.uuid().optional(),
  channel: z.enum(CHANNELS).optional(),
  language: z.enum(LOCALES).optional(),
  tag: z
    .string()
    .min(1)
    .max(100)
    .regex(/^[^\s,\u0000]+$/)
    .optional(),
  priority: z.enum(TICKET_PRIORITIES).optional(),
});
export type TReportQuery = z.infer<typeof ZReportQuery>;

const ZPercentiles = z.object({
  p50: z.number().nullable(),
  p90: z.number().nullable(),
  count: z.number().int(),
});
const ZFigures = z.object({
  created: z.number().int(),
  solved: z.number().int(),
  backlog: z.number().int(),
  reopened: z.number().int(),
  reopenRate: z.number().nullable(),
  firstResponseSeconds: ZPercentiles,
  resolutionSeconds: ZPercentiles,
  /** In business time on the calendar of each ticket's SLA policy (stored when the ticket is answered/solved). */
  firstResponseBusinessSeconds: ZPercentiles,
  resolutionBusinessSeconds: ZPercentiles,
  /** Chats: time to the first agent message; `unanswered`: chats of the period never answered. */
  chatWaitSeconds: ZPercentiles.extend({ unanswered: z.number().int() }),
  /** Promises due in the period (up to now): kept on time, kept late, still open past due. */
  promisesKept: z.object({
    due: z.number().int(),
    keptOnTime: z.number().int(),
    late: z.number().int(),
    missed: z.number().int(),
    rate: z.number().nullable(),
  }),
  /** Call-backs first due in the period (up to now) and tried by their deadline (modules/phone). */
  callbacksOnTime: z.object({ due: z.number().int(), onTime: z.number().int(), rate: z.number().nullable() }),
  slaCompliance: z.object({ met: z.number().int(), total: z.number().int(), rate: z.number().nullable() }),
  csat: z.object({
    sent: z.number().int(),
    rated: z.number().int(),
    good: z.number().int(),
    rate: z.number().nullable(),
    responseRate: z.number().nullable(),
  }),
  transfersPerTicket: z.number().nullable(),
});
export const ZOverview = z.object({
  from: z.iso.datetime(),
  to: z.iso.datetime(),
  current: ZFigures,
  previous: ZFigures,
});

export const ZTimeseries = z.object({
  timeZone: z.string(),
  days: z.array(
    z.object({
      day: z.string(),
      channel: z.enum(CHANNELS),
      created: z.number().int(),
      solved: z.number().int(),
    }),
  ),
});

export const ZHeatmap = z.object({
  timeZone: z.string(),
  /** weekday: 0 Sunday … 6 Saturday, hour 0-23, both in the organization's time zone. */
  cells: z.array(
    z.object({
      channel: z.enum(CHANNELS),
      weekday: z.number().int(),
      hour: z.number().int(),
      arrivals: z.number().int(),
    }),
  ),
});

export const ZAgents = z.object({
  items: z.array(
    z.object({
      agent: z.object({ id: z.uuid(), name: z.string() }),
      solved: z.number().int(),
      firstResponseP50: z.number().nullable(),
      resolutionP50: z.number().nullable(),
      csatRated: z.number().int(),
      csatGood: z.number().int(),
      csatRate: z.number().nullable(),
    }),
  ),
});

export const ZStaffingQuery = ZReportQuery.extend({
  serviceLevelGoal: z.coerce.number().gt(0).lt(1).default(0.8),
  targetAnswerSeconds: z.coerce.number().int().min(0).max(3600).default(20),
  shrinkage: z.coerce.number().min(0).max(0.9).default(0.3),
  /** Chat handle time when none is measured (seconds). */
  chatAhtSeconds: z.coerce.number().int().min(10).max(7200).default(300),
  /** Email: handle time per ticket and the response promise (hours) for the workload method. */
  emailAhtSeconds: z.coerce.number().int().min(10).max(7200).default(360),
});
export type TStaffingQuery = z.infer<typeof ZStaffingQuery>;

export const ZStaffing = z.object({
  timeZone: z.string(),
  weeks: z.number(),
  shrinkage: z.number(),
  cells: z.array(
    z.object({
      channel: z.enum(["chat", "phone", "email"]),
      weekday: z.number().int(),
      hour: z.number().int(),
      arrivalsPerHour: z.number(),
      ahtSeconds: z.number(),
      needed: z.number().int(),
      scheduled: z.number().int(),
      understaffed: z.boolean(),
    }),
  ),
});
