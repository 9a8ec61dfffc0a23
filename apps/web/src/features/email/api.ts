import type { Locale, TicketPriority } from "@rapport/shared";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { del, get, patch, post, qs } from "../../lib/api.ts";
import type { Page } from "../../lib/types.ts";

/** What GET /email/mailboxes returns: passwords are never sent back, only whether one is set. */
export type Mailbox = {
  id: string;
  address: string;
  displayName: string;
  teamId: string | null;
  defaultPriority: TicketPriority;
  inbound: "smtp" | "imap";
  imap: {
    host: string | null;
    port: number | null;
    tls: boolean;
    user: string | null;
    hasPassword: boolean;
    folder: string;
    moveTo: string | null;
    pollSeconds: number;
  };
  smtp: {
    host: string | null;
    port: number | null;
    tls: "none" | "starttls" | "tls";
    user: string | null;
    hasPassword: boolean;
  };
  ackEnabled: boolean;
  ackArticles: boolean;
  ackTemplates: Partial<Record<Locale, { subject: string; body: string }>>;
  active: boolean;
  createdAt: string;
  updatedAt: string;
};

export const INBOUND_STATUSES = [
  "failed",
  "received",
  "processed",
  "duplicate",
  "ignored",
  "bounce",
] as const;
export type InboundStatus = (typeof INBOUND_STATUSES)[number];
export type Inbound = {
  id: string;
  mailboxId: string | null;
  source: string;
  size: number;
  envelopeFrom: string | null;
  envelopeTo: string[];
  messageIdHeader: string | null;
  subject: string | null;
  from: string | null;
  status: InboundStatus;
  error: string | null;
  attempts: number;
  ticketId: string | null;
  messageId: string | null;
  receivedAt: string;
  processedAt: string | null;
};

export const OUTBOUND_STATUSES = ["queued", "sent", "failed", "bounced"] as const;
export type OutboundStatus = (typeof OUTBOUND_STATUSES)[number];
export type Outbound = {
  id: string;
  kind: string;
  mailboxId: string | null;
  ticketId: string | null;
  messageId: string | null;
  messageIdHeader: string;
  to: string[];
  cc: string[];
  subject: string;
  status: OutboundStatus;
  attempts: number;
  lastError: string | null;
  sentAt: string | null;
  createdAt: string;
};

/** The email side of one message (GET /tickets/:id/email). */
export type EmailMessage = {
  messageId: string;
  direction: "in" | "out";
  from: string | null;
  to: string[];
  cc: string[];
  subject: string | null;
  bodyHtml: string | null;
  fullHtml: string;
  fullText: string;
  quotedText: string;
  remoteImages: number;
  imagesAllowed: boolean;
  autoSubmitted: boolean;
  withheldAttachments: Array<{ filename: string; contentType: string; reason: string }>;
};

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
    queryFn: () => get<Page<Inbound>>(`/email/inbound${qs({ status, cursor, limit: 25 })}`),
  });

export const useOutbound = (status: OutboundStatus | null, cursor: string | null) =>
  useQuery({
    queryKey: ["email", "outbound", status, cursor],
    queryFn: () => get<Page<Outbound>>(`/email/outbound${qs({ status, cursor, limit: 25 })}`),
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
