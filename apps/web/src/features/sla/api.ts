import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, del, get, patch, post } from "../../lib/api.ts";

export type Interval = { start: string; end: string };
export type Holiday = { date: string; yearly?: boolean; name?: string };
export type Calendar = {
  id: string;
  name: string;
  timeZone: string;
  week: Record<string, Interval[]>;
  holidays: Holiday[];
  isDefault: boolean;
};
export type TargetSpec = { minutes: number; goalMinutes: number | null; business: boolean };
export type Condition = { field: string; op: "is" | "is_not" | "in" | "contains"; value: string | string[] };
export type Escalation = {
  type: "notify" | "reassign" | "raise_priority" | "notify_manager";
  userId?: string | null;
};
export type Policy = {
  id: string;
  name: string;
  position: number;
  active: boolean;
  conditions: Condition[];
  calendarId: string | null;
  targets: {
    firstResponse: TargetSpec | null;
    nextResponse: TargetSpec | null;
    resolution: TargetSpec | null;
  };
  pauseStatuses: string[];
  warnMinutes: number;
  escalations: Escalation[];
  isDefault: boolean;
};
export type SlaTarget = {
  id: string;
  metric: "first_response" | "next_response" | "resolution";
  cycle: number;
  status: "active" | "met" | "breached" | "cancelled";
  business: boolean;
  targetMinutes: number;
  goalMinutes: number | null;
  startedAt: string;
  dueAt: string | null;
  goalAt: string | null;
  paused: boolean;
  pausedMs: number;
  breachedAt: string | null;
  metAt: string | null;
  elapsedMs: number | null;
  metGoal: boolean | null;
};
export type SlaState = "on_track" | "at_risk" | "breached" | "paused" | "none";
export type TicketSla = {
  policy: { id: string; name: string } | null;
  nextDueAt: string | null;
  state: SlaState;
  targets: SlaTarget[];
  pendingUntil: string | null;
};

export const useTicketSla = (ticketId: string, updatedAt?: string) =>
  useQuery({
    queryKey: ["sla", ticketId, updatedAt],
    queryFn: () => get<TicketSla>(`/tickets/${ticketId}/sla`),
    // Polled: the SLA sweep marks clocks warned and breached without a ticket event (a ticket
    // update refetches through `updatedAt` in the key); the countdown itself ticks locally.
    refetchInterval: 60_000,
  });

export const useCalendars = () =>
  useQuery({ queryKey: ["sla-calendars"], queryFn: () => get<{ items: Calendar[] }>("/sla/calendars") });
export const usePolicies = () =>
  useQuery({ queryKey: ["sla-policies"], queryFn: () => get<{ items: Policy[] }>("/sla/policies") });

export function useSaveCalendar() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({
      id,
      body,
    }: {
      id?: string;
      body: Omit<Calendar, "id" | "isDefault"> & { isDefault?: boolean };
    }) => (id ? patch<Calendar>(`/sla/calendars/${id}`, body) : post<Calendar>("/sla/calendars", body)),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ["sla-calendars"] }),
  });
}
export function useDeleteCalendar() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => del(`/sla/calendars/${id}`),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ["sla-calendars"] }),
  });
}
export function useSavePolicy() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id?: string; body: Partial<Omit<Policy, "id" | "isDefault">> }) =>
      id ? patch<Policy>(`/sla/policies/${id}`, body) : post<Policy>("/sla/policies", body),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ["sla-policies"] }),
  });
}
export function useDeletePolicy() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => del(`/sla/policies/${id}`),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ["sla-policies"] }),
  });
}

export function usePendingUntil(ticketId: string) {
  const qc = useQueryClient();
  const done = () => {
    void qc.invalidateQueries({ queryKey: ["sla", ticketId] });
    void qc.invalidateQueries({ queryKey: ["ticket", ticketId] });
    void qc.invalidateQueries({ queryKey: ["tickets"] });
  };
  return {
    set: useMutation({
      mutationFn: (until: string) => api<TicketSla>("PUT", `/tickets/${ticketId}/pending-until`, { until }),
      onSuccess: done,
    }),
    clear: useMutation({
      mutationFn: () => del<TicketSla>(`/tickets/${ticketId}/pending-until`),
      onSuccess: done,
    }),
  };
}
