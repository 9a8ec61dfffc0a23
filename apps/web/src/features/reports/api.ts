import { keepPreviousData, useInfiniteQuery, useMutation, useQuery } from "@tanstack/react-query";
import { get, post, qs } from "../../lib/api.ts";

/**
 * The dashboard's calls: the reports API (apps/server/src/modules/reports) with one set of
 * filters. Shapes mirror reports.schema.ts and drilldown.schema.ts.
 */
export const REPORT_CHANNELS = ["email", "web", "chat", "phone", "social", "api"] as const;
export type ReportFilters = { from: string; to: string; teamId?: string; channel?: string };

type Percentiles = { p50: number | null; p90: number | null; count: number };
export type Figures = {
  created: number;
  solved: number;
  backlog: number;
  reopened: number;
  reopenRate: number | null;
  firstResponseSeconds: Percentiles;
  resolutionSeconds: Percentiles;
  firstResponseBusinessSeconds: Percentiles;
  slaCompliance: { met: number; total: number; rate: number | null };
  csat: { sent: number; rated: number; good: number; rate: number | null; responseRate: number | null };
  transfersPerTicket: number | null;
};
export type Overview = { from: string; to: string; current: Figures; previous: Figures };
export type Timeseries = {
  timeZone: string;
  days: Array<{ day: string; channel: string; created: number; solved: number }>;
};
export type Heatmap = {
  timeZone: string;
  cells: Array<{ channel: string; weekday: number; hour: number; arrivals: number }>;
};
export type AgentRow = {
  agent: { id: string; name: string };
  solved: number;
  firstResponseP50: number | null;
  resolutionP50: number | null;
  csatRated: number;
  csatGood: number;
  csatRate: number | null;
};
export type StaffingCell = {
  channel: "chat" | "phone" | "email";
  weekday: number;
  hour: number;
  arrivalsPerHour: number;
  ahtSeconds: number;
  needed: number;
  scheduled: number;
  understaffed: boolean;
};
export type Staffing = { timeZone: string; weeks: number; shrinkage: number; cells: StaffingCell[] };
export type CsatTrend = {
  timeZone: string;
  days: Array<{ day: string; rated: number; good: number; rate: number | null }>;
  reasons: Array<{ id: string | null; labels: Record<string, string>; count: number }>;
};
export type DrillTicket = {
  id: string;
  number: number;
  subject: string;
  channel: string;
  status: string;
  priority: string;
  team: string | null;
  assignee: string | null;
  createdAt: string;
  firstResponseAt: string | null;
  solvedAt: string | null;
  firstResponseSeconds: number | null;
  resolutionSeconds: number | null;
};
/** One chart point: which tickets to list (GET /reports/tickets). */
export type DrillPoint = {
  metric: "created" | "solved" | "rated";
  reasonId?: string;
  day?: string;
  weekday?: number;
  hour?: number;
  channel?: string;
  agentId?: string;
};
export type DrillPage = { timeZone: string; items: DrillTicket[]; nextCursor: string | null };
export type ErlangInput = {
  arrivals: number;
  intervalSeconds: number;
  ahtSeconds: number;
  targetAnswerSeconds: number;
  serviceLevelGoal: number;
  agents?: number;
};
export type ErlangResult = {
  trafficErlangs: number;
  agentsNeeded: number;
  probabilityOfWaiting: number;
  averageSpeedOfAnswerSeconds: number;
  serviceLevel: number;
  occupancy: number;
};

const report = <T>(path: string, f: ReportFilters, extra: Record<string, string | number | undefined> = {}) =>
  get<T>(`/reports/${path}${qs({ ...f, ...extra })}`);
const opts = { staleTime: 60_000, placeholderData: keepPreviousData } as const;

export const useOverview = (f: ReportFilters) =>
  useQuery({ queryKey: ["reports", "overview", f], queryFn: () => report<Overview>("overview", f), ...opts });
export const useTimeseries = (f: ReportFilters) =>
  useQuery({
    queryKey: ["reports", "timeseries", f],
    queryFn: () => report<Timeseries>("timeseries", f),
    ...opts,
  });
export const useHeatmap = (f: ReportFilters) =>
  useQuery({ queryKey: ["reports", "heatmap", f], queryFn: () => report<Heatmap>("heatmap", f), ...opts });
export const useAgents = (f: ReportFilters) =>
  useQuery({
    queryKey: ["reports", "agents", f],
    queryFn: () => report<{ items: AgentRow[] }>("agents", f),
    ...opts,
  });
export const useStaffing = (f: ReportFilters, shrinkage: number) =>
  useQuery({
    queryKey: ["reports", "staffing", f, shrinkage],
    queryFn: () => report<Staffing>("staffing", f, { shrinkage }),
    ...opts,
  });
export const useCsatTrend = (f: ReportFilters) =>
  useQuery({ queryKey: ["reports", "csat", f], queryFn: () => report<CsatTrend>("csat", f), ...opts });

/** The filters and the point together: a point's own channel or agent narrows the filters. */
export function drillParams(f: ReportFilters, p: DrillPoint) {
  return { ...f, ...p, channel: p.channel ?? f.channel };
}
export const fetchDrillPage = (f: ReportFilters, p: DrillPoint, cursor?: string, limit = 100) =>
  get<DrillPage>(`/reports/tickets${qs({ ...drillParams(f, p), cursor, limit })}`);

export const useDrilldown = (f: ReportFilters, p: DrillPoint | null) =>
  useInfiniteQuery({
    queryKey: ["reports", "tickets", f, p],
    enabled: p !== null,
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) => fetchDrillPage(f, p as DrillPoint, pageParam),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });

export const useErlangC = () =>
  useMutation({ mutationFn: (input: ErlangInput) => post<ErlangResult>("/staffing/erlang-c", input) });
