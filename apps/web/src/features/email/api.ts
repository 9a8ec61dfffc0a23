import type { EmailMessage, InboundEmail, Mailbox, OutboundEmail } from "@rapport/server/contract";
import type { InboundStatus, OutboundStatus } from "@rapport/shared";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { del, get, patch, post, qs } from "../../lib/api.ts";
import type { Page } from "../../lib/types.ts";

export type { EmailMessage, Mailbox } from "@rapport/server/contract";
export {
  INBOUND_STATUSES,
  type InboundStatus,
  OUTBOUND_STATUSES,
  type OutboundStatus,
} from "@rapport/shared";

export const useMailboxes = () =>
  useQuery({ queryKey: ["email", "mailboxes"], queryFn: () => get<Mailbox[]>("/email/mailboxes") });

export function useSaveMailbox() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string | null; body: Record<string, unknown> }) =>
      id ? patch<Mailbox>(`/email/mailboxes/${id}`, body) : post<Mailbox>("/email/mailboxes", body),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["email", "mailboxes"] }),
  });
}

export function useDeleteMailbox() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => del(`/email/mailboxes/${id}`),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["email", "mailboxes"] }),
  });
}

export const useInbound = (status: InboundStatus | null, cursor: string | null) =>
  useQuery({
    queryKey: ["email", "inbound", status, cursor],
    queryFn: () => get<Page<InboundEmail>>(`/email/inbound${qs({ status, cursor, limit: 25 })}`),
  });

export const useOutbound = (status: OutboundStatus | null, cursor: string | null) =>
  useQuery({
    queryKey: ["email", "outbound", status, cursor],
    queryFn: () => get<Page<OutboundEmail>>(`/email/outbound${qs({ status, cursor, limit: 25 })}`),
  });

export function useRetry(kind: "inbound" | "outbound") {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => post(`/email/${kind}/${id}/retry`),
    onSettled: () => qc.invalidateQueries({ queryKey: ["email", kind] }),
  });
}

// Not under ["tickets"]: the realtime client rewrites every query there as a ticket list.
export const ticketEmailKey = (ticketId: string) => ["email", "ticket", ticketId];

/** Email details of every message on a ticket; one request per ticket, shared by its messages. */
export const useTicketEmail = (ticketId: string, enabled: boolean) =>
  useQuery({
    queryKey: ticketEmailKey(ticketId),
    queryFn: () => get<EmailMessage[]>(`/tickets/${ticketId}/email`),
    enabled,
    staleTime: 30_000,
  });

export function useAllowImages(ticketId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (messageId: string) =>
      post<EmailMessage>(`/tickets/${ticketId}/email/${messageId}/allow-images`),
    onSuccess: () => qc.invalidateQueries({ queryKey: ticketEmailKey(ticketId) }),
  });
}
