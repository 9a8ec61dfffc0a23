import { CHANNELS, LOCALES } from "@rapport/shared";
import { z } from "zod";

export const CSAT_SCALES = ["good_bad", "five"] as const;

export const ZCsatSettings = z.object({
  enabled: z.boolean(),
  /** Minutes between solving and sending (chat surveys are shown when the chat ends). */
  delayMinutes: z
    .number()
    .int()
    .min(0)
    .max(60 * 24 * 14),
  expiryDays: z.number().int().min(1).max(90),
  scale: z.enum(CSAT_SCALES),
  channels: z.array(z.enum(CHANNELS)).max(CHANNELS.length),
});
export type TCsatSettings = z.infer<typeof ZCsatSettings>;
export const ZUpdateCsatSettings = z.strictObject(ZCsatSettings.partial().shape);
export type TUpdateCsatSettings = z.infer<typeof ZUpdateCsatSettings>;

const ZLabel = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .refine((s) => !/[\u0000<>]/.test(s), { message: "plain text without NUL, < or >" });
export const ZReasonInput = z.strictObject({
  /** The reason in each language; English is required (the fallback). */
  labels: z.strictObject(
    Object.fromEntries(LOCALES.map((l) => [l, l === "en" ? ZLabel : ZLabel.optional()])) as {
      en: typeof ZLabel;
      vi: z.ZodOptional<typeof ZLabel>;
      km: z.ZodOptional<typeof ZLabel>;
      ta: z.ZodOptional<typeof ZLabel>;
    },
  ),
  position: z.number().int().min(0).max(10_000).default(0),
  active: z.boolean().default(true),
});
export type TReasonInput = z.infer<typeof ZReasonInput>;
export const ZUpdateReason = z.strictObject({
  labels: ZReasonInput.shape.labels.optional(),
  position: z.number().int().min(0).max(10_000).optional(),
  active: z.boolean().optional(),
});
export const ZReason = z.object({
  id: z.uuid(),
  labels: z.record(z.string(), z.string()),
  position: z.number().int(),
  active: z.boolean(),
});
export const ZReasonList = z.object({ items: z.array(ZReason) });

export const ZSurveyToken = z.strictObject({ token: z.string().min(1).max(200) });

/** A customer's answer: "good"/"bad", or 1-5, by the survey's scale. */
export const ZPublicAnswer = z.strictObject({
  rating: z.union([
    z.enum(["good", "bad"]),
    z.number().int().min(1).max(5),
    z.enum(["1", "2", "3", "4", "5"]),
  ]),
  comment: z
    .string()
    .max(5000)
    .refine((s) => !s.includes("\u0000"), { message: "NUL characters are not allowed" })
    .optional(),
  reasonId: z.uuid().optional(),
});
export type TPublicAnswer = z.infer<typeof ZPublicAnswer>;

export const ZPublicSurvey = z.object({
  status: z.literal("open"),
  language: z.enum(LOCALES),
  scale: z.enum(CSAT_SCALES),
  organization: z.string(),
  ticket: z.object({ number: z.number().int(), subject: z.string() }),
  question: z.string(),
  options: z.array(z.object({ value: z.string(), label: z.string() })),
  reasons: z.array(z.object({ id: z.uuid(), label: z.string() })),
  expiresAt: z.iso.datetime(),
});
export const ZPublicAnswered = z.object({
  status: z.literal("answered"),
  rating: z.number().int(),
  good: z.boolean(),
  language: z.string(),
});

export const ZSurvey = z.object({
  id: z.uuid(),
  ticketId: z.uuid(),
  status: z.enum(["scheduled", "sent", "answered", "discarded", "expired"]),
  channel: z.enum(CHANNELS),
  language: z.string(),
  scale: z.string(),
  rating: z.number().int().nullable(),
  good: z.boolean().nullable(),
  comment: z.string().nullable(),
  reason: z.object({ id: z.uuid(), label: z.string() }).nullable(),
  agent: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  teamId: z.uuid().nullable(),
  solvedAt: z.iso.datetime(),
  sendAt: z.iso.datetime(),
  sentAt: z.iso.datetime().nullable(),
  expiresAt: z.iso.datetime().nullable(),
  ratedAt: z.iso.datetime().nullable(),
});
export const ZTicketCsat = z.object({ skipped: z.boolean(), surveys: z.array(ZSurvey) });

export const ZResponsesQuery = z.strictObject({
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  agentId: z.uuid().optional(),
  teamId: z.uuid().optional(),
  contactId: z.uuid().optional(),
  channel: z.enum(CHANNELS).optional(),
  language: z.enum(LOCALES).optional(),
  rating: z.enum(["good", "bad"]).optional(),
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type TResponsesQuery = z.infer<typeof ZResponsesQuery>;
export const ZResponses = z.object({
  items: z.array(
    ZSurvey.extend({
      ticket: z.object({ id: z.uuid(), number: z.number().int(), subject: z.string() }),
      team: z.object({ id: z.uuid(), name: z.string() }).nullable(),
      contact: z.object({ id: z.uuid(), name: z.string() }).nullable(),
    }),
  ),
  nextCursor: z.string().nullable(),
  summary: z.object({
    sent: z.number().int(),
    rated: z.number().int(),
    good: z.number().int(),
    responseRate: z.number().nullable(),
    csat: z.number().nullable(),
  }),
});

/** GET /csat/preview: the survey as a customer in one language would see it. */
export const ZPreviewQuery = z.strictObject({
  language: z.enum(LOCALES),
  scale: z.enum(CSAT_SCALES).optional(),
});
export const ZPreview = z.object({
  language: z.enum(LOCALES),
  scale: z.enum(CSAT_SCALES),
  subject: z.string(),
  intro: z.string(),
  options: z.array(z.object({ value: z.string(), label: z.string() })),
  outro: z.string(),
  question: z.string(),
  commentLabel: z.string(),
  reasonLabel: z.string(),
  thanks: z.string(),
});

// ---- editable wording (administrators): the email's subject and intro, the page's questions

/** The texts an administrator may reword per language, and the placeholders each may use. */
export const TEMPLATE_PLACEHOLDERS = {
  emailSubject: ["number", "subject"],
  emailIntro: ["name", "number", "subject", "days"],
  question: ["number"],
  commentLabel: [],
  reasonLabel: [],
} as const satisfies Record<string, readonly string[]>;
export type TemplateKey = keyof typeof TEMPLATE_PLACEHOLDERS;
export const TEMPLATE_KEYS = Object.keys(TEMPLATE_PLACEHOLDERS) as TemplateKey[];
const TEMPLATE_MAX: Record<TemplateKey, number> = {
  emailSubject: 200,
  emailIntro: 2000,
  question: 300,
  commentLabel: 200,
  reasonLabel: 200,
};

/**
 * One reworded text: plain text (no markup: `<`, `>` are refused, the email and page escape what
 * they show), no control characters (the intro may have line breaks; the subject is one line, so
 * no header can be injected), and only the placeholders its text knows (`{number}`…).
 */
function templateText(key: TemplateKey) {
  const allowed: readonly string[] = TEMPLATE_PLACEHOLDERS[key];
  const multiline = key === "emailIntro";
  return z
    .string()
    .trim()
    .min(1)
    .max(TEMPLATE_MAX[key])
    .refine((s) => !/[<>]/.test(s), { message: "plain text: < and > are not allowed" })
    .refine(
      // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
      (s) => !(multiline ? /[\u0000-\u0009\u000b-\u001f\u007f]/ : /[\u0000-\u001f\u007f]/).test(s),
      { message: multiline ? "no control characters" : "one line, no control characters" },
    )
    .refine((s) => [...s.matchAll(/\{(\w*)\}/g)].every((m) => allowed.includes(m[1] ?? "")), {
      message: allowed.length
        ? `placeholders allowed: ${allowed.map((p) => `{${p}}`).join(", ")}`
        : "no placeholders allowed",
    });
}
/** The texts of one language an administrator changed; a missing key uses the default. */
export const ZTemplateTexts = z.strictObject({
  emailSubject: templateText("emailSubject").optional(),
  emailIntro: templateText("emailIntro").optional(),
  question: templateText("question").optional(),
  commentLabel: templateText("commentLabel").optional(),
  reasonLabel: templateText("reasonLabel").optional(),
});
export type TTemplateTexts = z.infer<typeof ZTemplateTexts>;
const ZFullTexts = z.object({
  emailSubject: z.string(),
  emailIntro: z.string(),
  question: z.string(),
  commentLabel: z.string(),
  reasonLabel: z.string(),
});
export const ZTemplates = z.object({
  items: z.array(
    z.object({
      language: z.enum(LOCALES),
      /** What the survey uses: the administrator's text, else the default. */
      texts: ZFullTexts,
      /** The built-in wording (what a reset returns to). */
      defaults: ZFullTexts,
      /** The keys the administrator changed. */
      custom: z.array(z.enum(TEMPLATE_KEYS as [TemplateKey, ...TemplateKey[]])),
    }),
  ),
  placeholders: z.record(z.string(), z.array(z.string())),
});
export const ZTemplateParams = z.strictObject({ language: z.enum(LOCALES) });

/** POST /csat/preview: the preview of wording not saved yet. */
export const ZPreviewDraft = z.strictObject({
  language: z.enum(LOCALES),
  scale: z.enum(CSAT_SCALES).optional(),
  texts: ZTemplateTexts.optional(),
});
