import type {
  CsatPreview,
  CsatPreviewDraftBody,
  CsatReason,
  CsatReasonList,
  CsatSettings,
  CsatTemplates,
  SaveCsatTemplateBody,
  TicketCsat,
  UpdateCsatSettingsBody,
} from "@rapport/server/contract";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { get, patch, post, put, qs } from "../../lib/api.ts";

/** The survey API (apps/server/src/modules/csat): settings, reasons, preview, a ticket's surveys. */
export const CSAT_CHANNELS = ["email", "web", "chat", "phone", "social", "api"] as const;
export const SURVEY_LOCALES = ["en", "vi", "km", "ta"] as const;
/** The texts an administrator may reword (the server's TEMPLATE_PLACEHOLDERS keys). */
export const TEMPLATE_KEYS = [
  "emailSubject",
  "emailIntro",
  "question",
  "commentLabel",
  "reasonLabel",
] as const;
export type TemplateKey = (typeof TEMPLATE_KEYS)[number];
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
/** The preview; with `texts`, of that unsaved wording (POST), else of the saved one. */
export const usePreview = (language: string, scale: string, texts?: SaveCsatTemplateBody) =>
  useQuery({
    queryKey: ["csat", "preview", language, scale, texts ?? null],
    queryFn: () =>
      texts
        ? post<CsatPreview>("/csat/preview", {
            language,
            scale,
            texts,
          } as CsatPreviewDraftBody)
        : get<CsatPreview>(`/csat/preview${qs({ language, scale })}`),
    placeholderData: (prev) => prev,
  });
export const useTemplates = () =>
  useQuery({ queryKey: ["csat", "templates"], queryFn: () => get<CsatTemplates>("/csat/templates") });
export function useSaveTemplate(language: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (texts: SaveCsatTemplateBody) => put<CsatTemplates>(`/csat/templates/${language}`, texts),
    onSuccess: (data) => {
      qc.setQueryData(["csat", "templates"], data);
      void qc.invalidateQueries({ queryKey: ["csat", "preview"] });
    },
  });
}
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
