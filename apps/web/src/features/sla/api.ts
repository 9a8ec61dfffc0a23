import type {
  CreateSlaCalendarBody,
  SlaCalendar,
  SlaCalendarList,
  SlaPolicy,
  SlaPolicyList,
  TicketSla,
} from "@rapport/server/contract";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, del, get, patch, post } from "../../lib/api.ts";

export type { SlaTarget, TicketSla } from "@rapport/server/contract";
export type Calendar = SlaCalendar;
export type Policy = SlaPolicy;
export type Interval = NonNullable<Calendar["week"][string]>[number];
export type Holiday = Calendar["holidays"][number];
export type TargetSpec = NonNullable<Policy["targets"]["firstResponse"]>;
export type Condition = Policy["conditions"][number];
export type Escalation = Policy["escalations"][number];
export type SlaState = TicketSla["state"];

export const useTicketSla = (ticketId: string, updatedAt?: string) =>
  useQuery({
    queryKey: ["sla", ticketId, updatedAt],
    queryFn: () => get<TicketSla>(`/tickets/${ticketId}/sla`),
    // Polled: the SLA sweep marks clocks warned and breached without a ticket event (a ticket
    // update refetches through `updatedAt` in the key); the countdown itself ticks locally.
    refetchInterval: 60_000,
  });

export const useCalendars = () =>
  useQuery({ queryKey: ["sla-calendars"], queryFn: () => get<SlaCalendarList>("/sla/calendars") });
export const usePolicies = () =>
  useQuery({ queryKey: ["sla-policies"], queryFn: () => get<SlaPolicyList>("/sla/policies") });

export function useSaveCalendar() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id?: string; body: CreateSlaCalendarBody }) =>
      id ? patch<Calendar>(`/sla/calendars/${id}`, body) : post<Calendar>("/sla/calendars", body),
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
