import type { MergeResult, SplitResult, TicketLinks } from "@rapport/server/contract";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { del, get, post, qs } from "../../lib/api.ts";
import type { Page, Ticket } from "../../lib/types.ts";

export const linksKey = (id: string) => ["ticket-links", id] as const;

export function useLinks(id: string) {
  return useQuery({
    queryKey: linksKey(id),
    queryFn: () => get<TicketLinks>(`/tickets/${id}/links`),
    staleTime: 30_000,
  });
}

/** Tickets to pick from: a search by subject, or the customer's recent tickets. */
export function usePickable(q: string, requesterId: string) {
  const query = q.trim();
  return useQuery({
    queryKey: ["ticket-picker", query, requesterId],
    queryFn: () =>
      get<Page<Ticket>>(
        `/tickets${qs(query ? { q: query, limit: 10 } : { requester: requesterId, limit: 10 })}`,
      ),
    staleTime: 10_000,
  });
}

function useRefresh() {
  const qc = useQueryClient();
  return (...ids: string[]) => {
    for (const id of ids) {
      void qc.invalidateQueries({ queryKey: linksKey(id) });
      void qc.invalidateQueries({ queryKey: ["ticket", id] });
      void qc.invalidateQueries({ queryKey: ["messages", id] });
      void qc.invalidateQueries({ queryKey: ["events", id] });
    }
    void qc.invalidateQueries({ queryKey: ["tickets"] });
  };
}

export function useMerge() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (v: { targetId: string; sourceIds: string[]; confirmCrossCustomer?: boolean }) =>
      post<MergeResult>(`/tickets/${v.targetId}/merge`, {
        sourceIds: v.sourceIds,
        confirmCrossCustomer: v.confirmCrossCustomer ?? false,
      }),
    onSuccess: (_r, v) => refresh(v.targetId, ...v.sourceIds),
  });
}

export function useLink(ticketId: string) {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (v: { otherId: string; remove?: boolean }) =>
      v.remove
        ? del<TicketLinks>(`/tickets/${ticketId}/links${qs({ ticketId: v.otherId })}`)
        : post<TicketLinks>(`/tickets/${ticketId}/links`, { ticketId: v.otherId }),
    onSuccess: (_r, v) => refresh(ticketId, v.otherId),
  });
}

export function useSplit(ticketId: string) {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (messageId: string) =>
      post<SplitResult>(`/tickets/${ticketId}/messages/${messageId}/split`, {}),
    onSuccess: (r) => refresh(ticketId, r.ticket.id),
  });
}
