import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { get, patch, post, qs } from "../../lib/api.ts";

/** The survey API (apps/server/src/modules/csat): settings, reasons, preview, a ticket's surveys. */
export const CSAT_CHANNELS = ["email", "web", "chat", "phone", "social", "api"] as const;
export const SURVEY_LOCALES = ["en", "vi", "km", "ta"] as const;
export type CsatSettings = {
  enabled: boolean;
  delayMinutes: number;
  expiryDays: number;
  scale: "good_bad" | "five";
  channels: string[];
};
export type Reason = { id: string; labels: Record<string, string>; position: number; active: boolean };
export type Preview = {
  language: string;
  scale: string;
  subject: string;
  intro: string;
  options: Array<{ value: string; label: string }>;
  outro: string;
  question: string;
  commentLabel: string;
  reasonLabel: string;
  thanks: string;
};
export type Survey = {
  id: string;
  status: "scheduled" | "sent" | "answered" | "discarded" | "expired";
  scale: string;
  rating: number | null;
  good: boolean | null;
  comment: string | null;
  reason: { id: string; label: string } | null;
  ratedAt: string | null;
  sentAt: string | null;
};

export const useCsatSettings = () =>
  useQuery({ queryKey: ["csat", "settings"], queryFn: () => get<CsatSettings>("/csat/settings") });
export const useReasons = () =>
  useQuery({
    queryKey: ["csat", "reasons"],
    queryFn: () => get<{ items: Reason[] }>("/csat/reasons").then((r) => r.items),
  });
export const usePreview = (language: string, scale: string) =>
  useQuery({
    queryKey: ["csat", "preview", language, scale],
    queryFn: () => get<Preview>(`/csat/preview${qs({ language, scale })}`),
  });
export const useTicketCsat = (ticketId: string) =>
  useQuery({
    queryKey: ["csat", "ticket", ticketId],
    queryFn: () => get<{ skipped: boolean; surveys: Survey[] }>(`/tickets/${ticketId}/csat`),
    staleTime: 30_000,
  });

export function useSaveSettings() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (s: Partial<CsatSettings>) => patch<CsatSettings>("/csat/settings", s),
    onSuccess: (s) => {
      qc.setQueryData(["csat", "settings"], s);
      void qc.invalidateQueries({ queryKey: ["csat", "preview"] });
    },
  });
}
export function useSaveReason() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: { id?: string; labels: Record<string, string>; active: boolean }) =>
      id ? patch<Reason>(`/csat/reasons/${id}`, body) : post<Reason>("/csat/reasons", body),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["csat", "reasons"] }),
  });
}
