import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { get, patch, post } from "../../lib/api.ts";
import type { Attachment, Message, Page, Ticket, TicketEvent } from "../../lib/types.ts";

export function useTicket(id: string) {
  return useQuery({
    queryKey: ["ticket", id],
    queryFn: () => get<Ticket>(`/tickets/${id}`),
    staleTime: 30_000,
  });
}

export function useMessages(id: string, enabled: boolean) {
  return useQuery({
    queryKey: ["messages", id],
    queryFn: () => get<Page<Message>>(`/tickets/${id}/messages?limit=200`),
    enabled,
    staleTime: 30_000,
  });
}

export function useEvents(id: string, enabled: boolean) {
  return useQuery({
    queryKey: ["events", id],
    queryFn: () => get<TicketEvent[]>(`/tickets/${id}/events`),
    enabled,
    staleTime: 30_000,
  });
}

export type TicketPatch = {
  status?: string;
  priority?: string;
  assigneeId?: string | null;
  teamId?: string | null;
  tags?: string[];
};

export function useUpdateTicket(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: TicketPatch) => patch<Ticket>(`/tickets/${id}`, body),
    onSuccess: (t) => {
      qc.setQueryData(["ticket", id], t);
      void qc.invalidateQueries({ queryKey: ["events", id] });
      void qc.invalidateQueries({ queryKey: ["tickets"] });
    },
  });
}

export type NewMessage = {
  body: string;
  internal: boolean;
  attachmentIds: string[];
  status?: string;
  /** "open_promises": send and solve although promises are open (after asking). */
  confirm?: string[];
  /** The tone check's language and the suggestions the agent took (features/tone). */
  tone?: { lang: string; accepted: Array<{ ruleId: string; text: string }> };
};

export function useSendMessage(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (m: NewMessage) => post<Message>(`/tickets/${id}/messages`, m),
    onSuccess: (m) => {
      qc.setQueryData<Page<Message>>(["messages", id], (old) =>
        old && !old.items.some((x) => x.id === m.id) ? { ...old, items: [...old.items, m] } : old,
      );
      void qc.invalidateQueries({ queryKey: ["ticket", id] });
      void qc.invalidateQueries({ queryKey: ["events", id] });
      void qc.invalidateQueries({ queryKey: ["tickets"] });
    },
  });
}

export async function uploadAttachment(ticketId: string, file: File): Promise<Attachment> {
  const form = new FormData();
  form.append("file", file, file.name);
  return post<Attachment>(`/tickets/${ticketId}/attachments`, form);
}
