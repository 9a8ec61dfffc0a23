/** Satisfaction surveys (modules/csat): settings, reasons, preview, a ticket's surveys. */
import type { z } from "zod";
import type {
  ZCsatSettings,
  ZPreview,
  ZPreviewDraft,
  ZReason,
  ZReasonInput,
  ZReasonList,
  ZResponses,
  ZSurvey,
  ZTemplates,
  ZTemplateTexts,
  ZTicketCsat,
  ZUpdateCsatSettings,
  ZUpdateReason,
} from "../modules/csat/csat.schema.ts";

export type CsatSettings = z.output<typeof ZCsatSettings>;
export type UpdateCsatSettingsBody = z.input<typeof ZUpdateCsatSettings>;
export type CsatReason = z.output<typeof ZReason>;
export type CsatReasonList = z.output<typeof ZReasonList>;
export type CreateCsatReasonBody = z.input<typeof ZReasonInput>;
export type UpdateCsatReasonBody = z.input<typeof ZUpdateReason>;
export type CsatPreview = z.output<typeof ZPreview>;
export type CsatSurvey = z.output<typeof ZSurvey>;
export type TicketCsat = z.output<typeof ZTicketCsat>;
export type CsatResponses = z.output<typeof ZResponses>;
export type CsatTemplates = z.output<typeof ZTemplates>;
export type SaveCsatTemplateBody = z.input<typeof ZTemplateTexts>;
export type CsatPreviewDraftBody = z.input<typeof ZPreviewDraft>;
