/** Knowledge base (modules/kb) and what the agent app reads of the portal's deflection (modules/portal). */
import type { z } from "zod";
import type {
  ZKbArticle,
  ZKbArticleList,
  ZKbArticleSummary,
  ZKbCategory,
  ZKbCategoryList,
  ZKbDiff,
  ZKbFile,
  ZKbSettings,
  ZKbStats,
  ZKbTranslation,
  ZKbVersion,
  ZKbVersionList,
  ZPublicHit,
  ZPublicHits,
} from "../modules/kb/kb.schema.ts";
import type { ZSeenArticle, ZSeenArticles } from "../modules/portal/deflection.service.ts";

export type KbCategory = z.output<typeof ZKbCategory>;
export type KbCategoryList = z.output<typeof ZKbCategoryList>;
export type KbTranslation = z.output<typeof ZKbTranslation>;
export type KbArticle = z.output<typeof ZKbArticle>;
export type KbArticleSummary = z.output<typeof ZKbArticleSummary>;
export type KbArticleList = z.output<typeof ZKbArticleList>;
export type KbVersion = z.output<typeof ZKbVersion>;
export type KbVersionList = z.output<typeof ZKbVersionList>;
export type KbDiff = z.output<typeof ZKbDiff>;
export type KbSettings = z.output<typeof ZKbSettings>;
export type KbStats = z.output<typeof ZKbStats>;
export type KbFile = z.output<typeof ZKbFile>;
export type KbPublicHit = z.output<typeof ZPublicHit>;
export type KbPublicHits = z.output<typeof ZPublicHits>;
export type SeenArticle = z.output<typeof ZSeenArticle>;
export type SeenArticles = z.output<typeof ZSeenArticles>;
