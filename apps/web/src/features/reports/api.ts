/**
 * The dashboard's calls: the reports API (apps/server/src/modules/reports) with one set of
 * filters. Shapes come from the server's schemas (`@rapport/server/contract`).
 */
import type {
  ErlangCBody,
  ErlangCResult,
  ReportAgents,
  ReportCsatTrend,
  ReportDrilldown,
  ReportFigures,
  ReportHeatmap,
  ReportOverview,
  ReportQuery,
  ReportStaffing,
  ReportStaffingCell,
  ReportTimeseries,
} from "@rapport/server/contract";
import { CHANNELS } from "@rapport/shared";
import { keepPreviousData, useInfiniteQuery, useMutation, useQuery } from "@tanstack/react-query";
import { get, post, qs } from "../../lib/api.ts";

export type Figures = ReportFigures;
export type Overview = ReportOverview;
export type StaffingCell = ReportStaffingCell;
export type ErlangInput = ErlangCBody;
export type ErlangResult = ErlangCResult;
export type DrillTicket = ReportDrilldown["items"][number];

export const REPORT_CHANNELS = CHANNELS;
/** The dashboard's filters: the period and team, agent, channel, language, tag and priority. */
export type ReportFilters = ReportQuery & { from: string; to: string };

/** One chart point: which tickets to list (GET /reports/tickets). */
export type DrillPoint = {
  metric: "created" | "solved" | "rated";
  reasonId?: string;
  day?: string;
  weekday?: number;
  hour?: number;
  channel?: ReportQuery["channel"];
  agentId?: string;
};

const opts = { staleTime: 60_000, placeholderData: keepPreviousData } as const;

export const useOverview = (f: ReportFilters) =>
  useQuery({
    queryKey: ["reports", "overview", f],
    queryFn: () => get<ReportOverview>(`/reports/overview${qs(f)}`),
    ...opts,
  });
export const useTimeseries = (f: ReportFilters) =>
  useQuery({
    queryKey: ["reports", "timeseries", f],
    queryFn: () => get<ReportTimeseries>(`/reports/timeseries${qs(f)}`),
    ...opts,
  });
export const useHeatmap = (f: ReportFilters) =>
  useQuery({
    queryKey: ["reports", "heatmap", f],
    queryFn: () => get<ReportHeatmap>(`/reports/heatmap${qs(f)}`),
    ...opts,
  });
export const useAgents = (f: ReportFilters) =>
  useQuery({
    queryKey: ["reports", "agents", f],
    queryFn: () => get<ReportAgents>(`/reports/agents${qs(f)}`),
    ...opts,
  });
export const useStaffing = (f: ReportFilters, shrinkage: number) =>
  useQuery({
    queryKey: ["reports", "staffing", f, shrinkage],
    queryFn: () => get<ReportStaffing>(`/reports/staffing${qs({ ...f, shrinkage })}`),
    ...opts,
  });
export const useCsatTrend = (f: ReportFilters) =>
  useQuery({
    queryKey: ["reports", "csat", f],
    queryFn: () => get<ReportCsatTrend>(`/reports/csat${qs(f)}`),
    ...opts,
  });

/** The filters and the point together: a point's own channel or agent narrows the filters. */
export function drillParams(f: ReportFilters, p: DrillPoint) {
  return { ...f, ...p, channel: p.channel ?? f.channel };
}
export const fetchDrillPage = (f: ReportFilters, p: DrillPoint, cursor?: string, limit = 100) =>
  get<ReportDrilldown>(`/reports/tickets${qs({ ...drillParams(f, p), cursor, limit })}`);

export const useDrilldown = (f: ReportFilters, p: DrillPoint | null) =>
  useInfiniteQuery({
    queryKey: ["reports", "tickets", f, p],
    enabled: p !== null,
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) => fetchDrillPage(f, p as DrillPoint, pageParam),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });

export const useErlangC = () =>
  useMutation({ mutationFn: (input: ErlangInput) => post<ErlangCResult>("/staffing/erlang-c", input) });
