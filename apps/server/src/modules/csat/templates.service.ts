import { LOCALES, type Locale } from "@rapport/shared";
import { eq } from "drizzle-orm";
import { requireCan } from "../../auth/policies.ts";
import type { Ctx } from "../../context.ts";
import type { DbOrTx } from "../../db/client.ts";
import { SURVEY_STRINGS, type SurveyStrings } from "./csat.i18n.ts";
import {
  TEMPLATE_KEYS,
  TEMPLATE_PLACEHOLDERS,
  type TemplateKey,
  type TTemplateTexts,
} from "./csat.schema.ts";
import { csatTemplates } from "./csat.table.ts";

/** The administrator's changed texts of one language (only the editable keys). */
function customOf(texts: Record<string, string> | undefined): TTemplateTexts {
  const out: TTemplateTexts = {};
  for (const k of TEMPLATE_KEYS) if (typeof texts?.[k] === "string") out[k] = texts[k];
  return out;
}

/** The built-in wording with the administrator's texts over it; `draft` (a preview) over both. */
export function mergeStrings(locale: Locale, custom: TTemplateTexts, draft?: TTemplateTexts): SurveyStrings {
  return { ...SURVEY_STRINGS[locale], ...custom, ...(draft ?? {}) };
}

/** The survey's words in one language as the email, the page, the chat and the portal use them. */
export async function surveyStrings(db: DbOrTx, locale: Locale): Promise<SurveyStrings> {
  const [row] = await db.select().from(csatTemplates).where(eq(csatTemplates.language, locale));
  return mergeStrings(locale, customOf(row?.texts));
}

const pick = (s: SurveyStrings) =>
  Object.fromEntries(TEMPLATE_KEYS.map((k) => [k, s[k]])) as Record<TemplateKey, string>;

export async function listTemplates(ctx: Ctx) {
  requireCan(ctx.actor, "csat.manage");
  const rows = await ctx.db.select().from(csatTemplates);
  return {
    items: LOCALES.map((language) => {
      const custom = customOf(rows.find((r) => r.language === language)?.texts);
      return {
        language,
        texts: pick(mergeStrings(language, custom)),
        defaults: pick(SURVEY_STRINGS[language]),
        custom: TEMPLATE_KEYS.filter((k) => k in custom),
      };
    }),
    placeholders: TEMPLATE_PLACEHOLDERS as unknown as Record<string, string[]>,
  };
}

/** Replaces one language's wording: the keys given are the administrator's, the others default. */
export async function saveTemplate(ctx: Ctx, language: Locale, texts: TTemplateTexts) {
  requireCan(ctx.actor, "csat.manage");
  const custom = customOf(texts as Record<string, string>);
  if (Object.keys(custom).length === 0) {
    await ctx.db.delete(csatTemplates).where(eq(csatTemplates.language, language));
  } else {
    await ctx.db
      .insert(csatTemplates)
      .values({ language, texts: custom })
      .onConflictDoUpdate({ target: csatTemplates.language, set: { texts: custom, updatedAt: ctx.now() } });
  }
  return listTemplates(ctx);
}
