import { CHANNELS } from "@rapport/shared";
import { z } from "zod";
import { ZReportQuery } from "./reports.schema.ts";

/**
 * GET /reports/tickets: the tickets behind one point of a dashboard chart. The report's filters
 * and period, plus which count the point shows (`created`, `solved`, or `rated`: the ticket's
 * latest survey answer) and, optionally, one day (timeseries) or one weekday × hour cell
 * (heatmap), both in the organization's time zone, and a bad-rating reason.
 */
export const ZDrilldownQuery = ZReportQuery.extend({
  metric: z.enum(["created", "solved", "rated"]).default("created"),
  reasonId: z.uuid().optional(),
  day: z.iso.date().optional(),
  weekday: z.coerce.number().int().min(0).max(6).optional(),
  hour: z.coerce.number().int().min(0).max(23).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type TDrilldownQuery = z.infer<typeof ZDrilldownQuery>;

export const ZDrilldown = z.object({
  timeZone: z.string(),
  items: z.array(
    z.object({
      id: z.uuid(),
      number: z.number().int(),
      subject: z.string(),
      channel: z.enum(CHANNELS),
      status: z.string(),
      priority: z.string(),
      team: z.string().nullable(),
      assignee: z.string().nullable(),
      createdAt: z.iso.datetime(),
      firstResponseAt: z.iso.datetime().nullable(),
      solvedAt: z.iso.datetime().nullable(),
      firstResponseSeconds: z.number().nullable(),
      resolutionSeconds: z.number().nullable(),
    }),
  ),
  nextCursor: z.string().nullable(),
});

/** GET /reports/csat: ratings per day (organization time zone) and the reasons given for bad ones. */
export const ZCsatTrend = z.object({
  timeZone: z.string(),
  days: z.array(
    z.object({
      day: z.string(),
      rated: z.number().int(),
      good: z.number().int(),
      rate: z.number().nullable(),
    }),
  ),
  reasons: z.array(
    z.object({
      id: z.uuid().nullable(),
      labels: z.record(z.string(), z.string()),
      count: z.number().int(),
    }),
  ),
});
