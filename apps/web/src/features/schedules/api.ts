import type {
  CreateReportScheduleBody,
  ReportSchedule,
  ReportScheduleList,
  ReportScheduleSent,
  UpdateReportScheduleBody,
} from "@rapport/server/contract";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { del, get, patch, post } from "../../lib/api.ts";

/** Scheduled report emails (apps/server/src/modules/reports/scheduled). */
export type { ReportSchedule };

export const useSchedules = () =>
  useQuery({
    queryKey: ["reports", "schedules"],
    queryFn: () => get<ReportScheduleList>("/reports/schedules").then((r) => r.items),
  });

export function useSaveSchedule() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { id?: string; body: CreateReportScheduleBody & UpdateReportScheduleBody }) =>
      v.id
        ? patch<ReportSchedule>(`/reports/schedules/${v.id}`, v.body)
        : post<ReportSchedule>("/reports/schedules", v.body),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["reports", "schedules"] }),
  });
}

export function useDeleteSchedule() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => del<null>(`/reports/schedules/${id}`),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["reports", "schedules"] }),
  });
}

export function useSendSchedule() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => post<ReportScheduleSent>(`/reports/schedules/${id}/send`),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["reports", "schedules"] }),
  });
}
