import { TONE_CATEGORIES } from "@rapport/shared";
import { z } from "zod";

const noNul = (s: string) => !s.includes("\u0000");
/** A rule's language: a two- or three-letter code (en, vi, km, ta, ...). */
export const ZToneLang = z.string().regex(/^[a-z]{2,3}$/, "a language code such as en, vi, km or ta");
/** The language of a text to check: a BCP 47 tag ("vi", "vi-VN"); its rules are the base language's. */
const ZTextLang = z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, "a language code such as en or vi-VN");

export const ZToneCheck = z.strictObject({
  text: z.string().max(20_000).refine(noNul, { message: "NUL characters are not allowed" }),
  lang: ZTextLang,
});
export type TToneCheck = z.infer<typeof ZToneCheck>;

export const ZToneFinding = z.object({
  start: z.number().int(),
  end: z.number().int(),
  text: z.string(),
  category: z.enum(TONE_CATEGORIES),
  suggestions: z.array(z.string()),
  ruleId: z.uuid(),
});
export type TToneFinding = z.infer<typeof ZToneFinding>;
export const ZToneCheckResult = z.object({ findings: z.array(ZToneFinding) });

const ZPattern = z
  .string()
  .trim()
  .min(1)
  .max(1000)
  .refine((s) => noNul(s) && !/[\r\n]/.test(s), { message: "one line without NUL characters" })
  .refine((s) => s.split("|").length <= 30, { message: "at most 30 variants" });
const ZSuggestions = z
  .array(z.string().trim().min(1).max(500).refine(noNul, { message: "NUL characters are not allowed" }))
  .min(1)
  .max(5);

export const ZCreateToneRule = z.strictObject({
  lang: ZToneLang,
  /** A phrase and its variants, separated by "|". */
  pattern: ZPattern,
  category: z.enum(TONE_CATEGORIES),
  suggestions: ZSuggestions,
  enabled: z.boolean().default(true),
});
export type TCreateToneRule = z.infer<typeof ZCreateToneRule>;
export const ZUpdateToneRule = z
  .strictObject({
    pattern: ZPattern.optional(),
    category: z.enum(TONE_CATEGORIES).optional(),
    suggestions: ZSuggestions.optional(),
    enabled: z.boolean().optional(),
  })
  .refine((v) => Object.keys(v).length > 0, { message: "nothing to change" });
export type TUpdateToneRule = z.infer<typeof ZUpdateToneRule>;

export const ZToneRule = z.object({
  id: z.uuid(),
  /** Shipped rules have a stable key (e.g. "en.not-my-job"); admins' own rules have none. */
  key: z.string().nullable(),
  lang: z.string(),
  pattern: z.string(),
  category: z.enum(TONE_CATEGORIES),
  suggestions: z.array(z.string()),
  enabled: z.boolean(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type TToneRule = z.infer<typeof ZToneRule>;

export const ZToneRuleQuery = z.strictObject({
  lang: ZToneLang.optional(),
  category: z.enum(TONE_CATEGORIES).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export const ZToneRuleList = z.object({ items: z.array(ZToneRule), nextCursor: z.string().nullable() });

export const ZToneReportQuery = z.strictObject({
  from: z.iso.datetime().optional(),
  to: z.iso.datetime().optional(),
  teamId: z.uuid().optional(),
  lang: ZToneLang.optional(),
});
export const ZToneReport = z.object({
  from: z.iso.datetime(),
  to: z.iso.datetime(),
  /** The most frequent flagged phrases per team (top 100). */
  phrases: z.array(
    z.object({
      ruleId: z.uuid(),
      lang: z.string(),
      category: z.enum(TONE_CATEGORIES),
      phrase: z.string(),
      teamId: z.uuid().nullable(),
      teamName: z.string().nullable(),
      /** Times the phrase was typed and flagged: accepted plus sent anyway. */
      flagged: z.number().int(),
      /** Times the agent took a suggestion. */
      accepted: z.number().int(),
    }),
  ),
  teams: z.array(
    z.object({
      teamId: z.uuid().nullable(),
      teamName: z.string().nullable(),
      flagged: z.number().int(),
      accepted: z.number().int(),
    }),
  ),
  categories: z.array(
    z.object({ category: z.enum(TONE_CATEGORIES), flagged: z.number().int(), accepted: z.number().int() }),
  ),
});
export type TToneReport = z.infer<typeof ZToneReport>;

/** What a reply carries about the tone check made while it was typed (POST .../messages). */
export const ZReplyTone = z.strictObject({
  lang: ZTextLang,
  /** Suggestions the agent took: the rule and the phrase it replaced. */
  accepted: z
    .array(
      z.strictObject({
        ruleId: z.uuid(),
        text: z.string().max(200).refine(noNul, { message: "NUL characters are not allowed" }),
      }),
    )
    .max(50)
    .default([]),
});
export type TReplyTone = z.infer<typeof ZReplyTone>;
