import type {
  Call,
  Callback,
  CallbackList,
  CallbackOutcomeBody,
  CallbackPage,
  CallbackReport,
  CallList,
  CreateCallbackBody,
  LogCallBody,
  UpdateCallbackBody,
} from "@rapport/server/contract";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { get, patch, post, qs } from "../../lib/api.ts";
import { useRefreshOnNotice } from "../notifications/api.ts";

export type { Callback } from "@rapport/server/contract";
export {
  CALL_OUTCOMES,
  CALLBACK_OUTCOMES,
  type CallbackOutcome,
  type CallOutcome,
} from "@rapport/shared";

export function useLogCall() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: LogCallBody) => post<Call>("/phone/calls", input),
    onSuccess: (call) => {
      void qc.invalidateQueries({ queryKey: ["phone-calls"] });
      void qc.invalidateQueries({ queryKey: ["dossier", call.contact.id] });
      if (call.ticket) {
        void qc.invalidateQueries({ queryKey: ["messages", call.ticket.id] });
        void qc.invalidateQueries({ queryKey: ["ticket", call.ticket.id] });
      }
    },
  });
}

export const useTicketCalls = (ticketId: string) =>
  useQuery({
    queryKey: ["phone-calls", "ticket", ticketId],
    queryFn: () => get<CallList>(`/phone/calls${qs({ ticketId, limit: 20 })}`),
  });

export const useCallByMessage = (messageId: string) =>
  useQuery({
    queryKey: ["phone-calls", "message", messageId],
    queryFn: () => get<Call>(`/phone/calls/by-message/${messageId}`),
    staleTime: 60_000,
    retry: false,
  });

export type QueueFilter = { assignee?: "me" | "unassigned"; overdue?: boolean; status: "open" | "done" };

export const useCallbacks = (f: QueueFilter) =>
  useQuery({
    queryKey: ["callbacks", f],
    queryFn: () =>
      get<CallbackPage>(
        `/phone/callbacks${qs({ status: f.status, assignee: f.assignee, overdue: f.overdue ? "true" : undefined, limit: 100 })}`,
      ),
    staleTime: 30_000,
    // Polled: call-backs created or taken by colleagues publish no realtime event (the hub
    // carries ticket events only); the assignee's own due ones come by push (useReminders).
    refetchInterval: 30_000,
  });

export const useCallbackReport = (from: string, to: string) =>
  useQuery({
    queryKey: ["callbacks", "report", from, to],
    queryFn: () => get<CallbackReport>(`/phone/callbacks/report${qs({ from, to })}`),
  });

/** My due call-backs: read again when the reminder job pushes a `callback.due` notice. */
export function useReminders() {
  useRefreshOnNotice(["callback.due"], ["callbacks"]);
  return useQuery({
    queryKey: ["callbacks", "reminders"],
    queryFn: () => get<CallbackList>("/phone/callbacks/reminders"),
    staleTime: 30_000,
  });
}

export function useUpdateCallback() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: UpdateCallbackBody & { id: string }) =>
      patch<Callback>(`/phone/callbacks/${id}`, body),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["callbacks"] }),
  });
}

export function useCallbackOutcome() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: CallbackOutcomeBody & { id: string }) =>
      post<Callback>(`/phone/callbacks/${id}/outcome`, body),
    onSuccess: (cb) => {
      void qc.invalidateQueries({ queryKey: ["callbacks"] });
      void qc.invalidateQueries({ queryKey: ["phone-calls"] });
      void qc.invalidateQueries({ queryKey: ["dossier", cb.contact.id] });
    },
  });
}

export function useRequestCallback() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateCallbackBody) => post<Callback>("/phone/callbacks", body),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["callbacks"] }),
  });
}

/** "3:05" from seconds. */
export const duration = (s: number) => `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;

/** A datetime-local input's value (local wall time) as an ISO instant. */
export const localToIso = (v: string) => (v ? new Date(v).toISOString() : undefined);

/** An instant as a datetime-local value in the browser's zone. */
export function isoToLocal(d: Date): string {
  const off = d.getTimezoneOffset() * 60_000;
  return new Date(d.getTime() - off).toISOString().slice(0, 16);
}
