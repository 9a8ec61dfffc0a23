import type {
  CsatPreview,
  CsatReason,
  CsatReasonList,
  CsatSettings,
  TicketCsat,
  UpdateCsatSettingsBody,
} from "@rapport/server/contract";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { get, patch, post, qs } from "../../lib/api.ts";

/** The survey API (apps/server/src/modules/csat): settings, reasons, preview, a ticket's surveys. */
export const CSAT_CHANNELS = ["email", "web", "chat", "phone", "social", "api"] as const;
export const SURVEY_LOCALES = ["en", "vi", "km", "ta"] as const;
export type {
  CsatPreview as Preview,
  CsatReason as Reason,
  CsatSettings,
  CsatSurvey as Survey,
} from "@rapport/server/contract";

export const useCsatSettings = () =>
  useQuery({ queryKey: ["csat", "settings"], queryFn: () => get<CsatSettings>("/csat/settings") });
export const useReasons = () =>
  useQuery({
    queryKey: ["csat", "reasons"],
    queryFn: () => get<CsatReasonList>("/csat/reasons").then((r) => r.items),
  });
export const usePreview = (language: string, scale: string) =>
  useQuery({
    queryKey: ["csat", "preview", language, scale],
    queryFn: () => get<CsatPreview>(`/csat/preview${qs({ language, scale })}`),
  });
export const useTicketCsat = (ticketId: string) =>
  useQuery({
    queryKey: ["csat", "ticket", ticketId],
    queryFn: () => get<TicketCsat>(`/tickets/${ticketId}/csat`),
    staleTime: 30_000,
  });

export function useSaveSettings() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (s: UpdateCsatSettingsBody) => patch<CsatSettings>("/csat/settings", s),
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
      id ? patch<CsatReason>(`/csat/reasons/${id}`, body) : post<CsatReason>("/csat/reasons", body),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["csat", "reasons"] }),
  });
}
