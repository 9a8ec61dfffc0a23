/** Reports and staffing (modules/reports): the dashboard's figures, charts, drill-down and Erlang C. */
import type { z } from "zod";
import type { ZCsatTrend, ZDrilldown, ZDrilldownQuery } from "../modules/reports/drilldown.schema.ts";
import type {
  ZAgents,
  ZHeatmap,
  ZOverview,
  ZReportQuery,
  ZStaffing,
  ZTimeseries,
} from "../modules/reports/reports.schema.ts";
import type { ZErlangCInput, ZErlangCResult } from "../modules/reports/staffing.schema.ts";

/** The filters every report takes (query string). */
export type ReportQuery = z.input<typeof ZReportQuery>;
export type ReportOverview = z.output<typeof ZOverview>;
export type ReportFigures = ReportOverview["current"];
export type ReportTimeseries = z.output<typeof ZTimeseries>;
export type ReportHeatmap = z.output<typeof ZHeatmap>;
export type ReportAgents = z.output<typeof ZAgents>;
export type ReportAgentRow = ReportAgents["items"][number];
export type ReportStaffing = z.output<typeof ZStaffing>;
export type ReportStaffingCell = ReportStaffing["cells"][number];
export type ReportCsatTrend = z.output<typeof ZCsatTrend>;
export type ReportDrilldownQuery = z.input<typeof ZDrilldownQuery>;
export type ReportDrilldown = z.output<typeof ZDrilldown>;
export type ReportDrillTicket = ReportDrilldown["items"][number];
export type ErlangCBody = z.input<typeof ZErlangCInput>;
export type ErlangCResult = z.output<typeof ZErlangCResult>;
