import { z } from "zod";

export const KB_STATUSES = ["draft", "in_review", "published", "archived"] as const;
export type KbStatus = (typeof KB_STATUSES)[number];
export const KB_VISIBILITIES = ["public", "customers", "internal"] as const;
export type KbVisibility = (typeof KB_VISIBILITIES)[number];

/** Largest article body accepted (characters of HTML). */
export const KB_BODY_MAX = 1_048_576;
/** Request body limit of the article write routes (a 1 MiB article plus its JSON). */
export const KB_WRITE_BODY_LIMIT = 3 * 1_048_576;

/** A language code: ISO 639-1/2 ("en", "km", "fil"), optionally with a region ("pt-br"). */
export const ZLang = z
  .string()
  .regex(/^[a-z]{2,3}(-[a-z0-9]{2,8})?$/, "A language code such as en, vi, km, ta or pt-br");
/** Slugs are words of any script joined by hyphens (Khmer and Tamil titles keep their letters). */
export const ZSlug = z
  .string()
  .min(1)
  .max(160)
  .regex(/^[\p{L}\p{M}\p{N}]+(?:-[\p{L}\p{M}\p{N}]+)*$/u, "Letters and digits joined by single hyphens");

export const ZKbNames = z.record(
  ZLang,
  z.strictObject({ name: z.string().trim().min(1).max(200), description: z.string().max(2000).optional() }),
);

export const ZKbCategory = z.object({
  id: z.uuid(),
  parentId: z.uuid().nullable(),
  slug: z.string(),
  position: z.number().int(),
  faq: z.boolean(),
  names: z.record(z.string(), z.object({ name: z.string(), description: z.string().optional() })),
  articleCount: z.number().int(),
});
export type TKbCategory = z.infer<typeof ZKbCategory>;

export const ZKbCategoryList = z.object({ items: z.array(ZKbCategory) });

export const ZCreateKbCategory = z.strictObject({
  parentId: z.uuid().nullish(),
  slug: ZSlug.optional(),
  position: z.number().int().min(0).max(100_000).optional(),
  faq: z.boolean().optional(),
  names: ZKbNames,
});
export type TCreateKbCategory = z.infer<typeof ZCreateKbCategory>;
export const ZUpdateKbCategory = ZCreateKbCategory.partial();
export type TUpdateKbCategory = z.infer<typeof ZUpdateKbCategory>;

export const ZKbTranslation = z.object({
  language: z.string(),
  slug: z.string(),
  title: z.string(),
  body: z.string(),
  status: z.enum(KB_STATUSES),
  publishAt: z.iso.datetime().nullable(),
  publishedAt: z.iso.datetime().nullable(),
  version: z.number().int(),
  /** The source changed after this translation was last written. */
  outdated: z.boolean(),
  views: z.number().int(),
  updatedAt: z.iso.datetime(),
  updatedBy: z.string().nullable(),
});
export type TKbTranslation = z.infer<typeof ZKbTranslation>;

export const ZKbArticle = z.object({
  id: z.uuid(),
  categoryId: z.uuid(),
  visibility: z.enum(KB_VISIBILITIES),
  sourceLanguage: z.string(),
  position: z.number().int(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  translations: z.array(ZKbTranslation),
  /** Help-centre languages without a translation yet. */
  missingLanguages: z.array(z.string()),
  helpful: z.object({ yes: z.number().int(), no: z.number().int() }),
  permissions: z.object({ edit: z.boolean(), publish: z.boolean(), delete: z.boolean() }),
});
export type TKbArticle = z.infer<typeof ZKbArticle>;

export const ZKbArticleSummary = z.object({
  id: z.uuid(),
  categoryId: z.uuid(),
  visibility: z.enum(KB_VISIBILITIES),
  sourceLanguage: z.string(),
  title: z.string(),
  status: z.enum(KB_STATUSES),
  updatedAt: z.iso.datetime(),
  translations: z.array(
    z.object({
      language: z.string(),
      slug: z.string(),
      title: z.string(),
      status: z.enum(KB_STATUSES),
      outdated: z.boolean(),
    }),
  ),
  missingLanguages: z.array(z.string()),
  /** With `q`: the best-matching translation's excerpt, matches in <mark>. */
  snippet: z.string().optional(),
});
export type TKbArticleSummary = z.infer<typeof ZKbArticleSummary>;

export const ZKbArticleList = z.object({
  items: z.array(ZKbArticleSummary),
  nextCursor: z.string().nullable(),
});

/** An uploaded image or file for articles (POST /kb/files). */
export const ZKbFile = z.object({
  id: z.uuid(),
  filename: z.string(),
  contentType: z.string(),
  size: z.number().int(),
  url: z.string(),
});

export const ZListKbArticles = z.strictObject({
  categoryId: z.uuid().optional(),
  status: z.enum(KB_STATUSES).optional(),
  visibility: z.enum(KB_VISIBILITIES).optional(),
  /** Only articles with a translation in this language (and `outdated`/`missing` refer to it). */
  language: ZLang.optional(),
  /** Only articles whose translation in `language` is missing or outdated. */
  needsTranslation: z.enum(["true", "false"]).optional(),
  q: z.string().max(200).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});
export type TListKbArticles = z.infer<typeof ZListKbArticles>;

const ZText = {
  title: z.string().trim().min(1).max(300),
  body: z.string().max(KB_BODY_MAX),
  slug: ZSlug.optional(),
};
export const ZCreateKbArticle = z.strictObject({
  categoryId: z.uuid(),
  visibility: z.enum(KB_VISIBILITIES).default("public"),
  /** The source language (default: the organization's default language). */
  language: ZLang.optional(),
  position: z.number().int().min(0).max(100_000).optional(),
  status: z.enum(["draft", "in_review"]).default("draft"),
  note: z.string().max(500).optional(),
  ...ZText,
});
export type TCreateKbArticle = z.infer<typeof ZCreateKbArticle>;

export const ZUpdateKbArticle = z.strictObject({
  categoryId: z.uuid().optional(),
  visibility: z.enum(KB_VISIBILITIES).optional(),
  position: z.number().int().min(0).max(100_000).optional(),
  /** The translation to change (default: the source language). */
  language: ZLang.optional(),
  title: ZText.title.optional(),
  body: ZText.body.optional(),
  slug: ZSlug.optional(),
  /** Publishing goes through POST /kb/articles/:id/publish. */
  status: z.enum(["draft", "in_review", "archived"]).optional(),
  note: z.string().max(500).optional(),
});
export type TUpdateKbArticle = z.infer<typeof ZUpdateKbArticle>;

export const ZCreateKbTranslation = z.strictObject({
  language: ZLang,
  status: z.enum(["draft", "in_review"]).default("draft"),
  note: z.string().max(500).optional(),
  ...ZText,
});
export type TCreateKbTranslation = z.infer<typeof ZCreateKbTranslation>;

export const ZPublishKbArticle = z.strictObject({
  /** Translations to publish (default: the source language). */
  languages: z.array(ZLang).min(1).max(50).optional(),
  /** Scheduled publishing: publish at this time instead of now. */
  at: z.iso.datetime({ offset: true }).optional(),
});
export type TPublishKbArticle = z.infer<typeof ZPublishKbArticle>;

export const ZKbVersion = z.object({
  id: z.number().int(),
  language: z.string(),
  version: z.number().int(),
  title: z.string(),
  status: z.enum(KB_STATUSES),
  change: z.string(),
  note: z.string().nullable(),
  actorName: z.string(),
  createdAt: z.iso.datetime(),
});
export type TKbVersion = z.infer<typeof ZKbVersion>;
export const ZKbVersionFull = ZKbVersion.extend({ body: z.string() });
export const ZKbVersionList = z.object({ items: z.array(ZKbVersion) });

export const ZDiffOp = z.object({ op: z.enum(["equal", "insert", "delete"]), text: z.string() });
export const ZKbDiff = z.object({
  from: ZKbVersion.nullable(),
  to: ZKbVersion,
  title: z.array(ZDiffOp),
  body: z.array(ZDiffOp),
});

export const ZKbSettings = z.object({
  languages: z.array(z.string()),
  defaultLanguage: z.string(),
  logoUrl: z.string().nullable(),
  color: z.string(),
});
export type TKbSettings = z.infer<typeof ZKbSettings>;
export const ZUpdateKbSettings = z.strictObject({
  languages: z.array(ZLang).min(1).max(40).optional(),
  /** An https image, or a file uploaded with POST /kb/files. */
  logoUrl: z
    .union([
      z.url({ protocol: /^https?$/ }).max(500),
      z.string().regex(/^\/api\/v1\/public\/kb\/files\/[0-9a-f-]{36}$/),
    ])
    .nullable()
    .optional(),
  color: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/)
    .optional(),
});

// ---- Public API ---------------------------------------------------------------------------

export const ZPublicSearchQuery = z.strictObject({
  q: z.string().max(200).default(""),
  lang: ZLang.optional(),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});
export const ZPublicHit = z.object({
  id: z.uuid(),
  language: z.string(),
  slug: z.string(),
  title: z.string(),
  /** Plain-text excerpt with the matches wrapped in <mark> (everything else escaped). */
  snippet: z.string(),
  url: z.string(),
  category: z.object({ slug: z.string(), name: z.string() }),
});
export type TPublicHit = z.infer<typeof ZPublicHit>;
export const ZPublicHits = z.object({ language: z.string(), items: z.array(ZPublicHit) });

/** A published public article in a list (the most read: the help centre's home, the widget's help tab). */
export const ZPublicArticleLink = z.object({
  id: z.uuid(),
  language: z.string(),
  slug: z.string(),
  title: z.string(),
  url: z.string(),
});
export const ZPublicArticleLinks = z.object({ language: z.string(), items: z.array(ZPublicArticleLink) });

export const ZPublicArticle = z.object({
  id: z.uuid(),
  language: z.string(),
  requestedLanguage: z.string(),
  /** The requested language has no published translation: this is the default language's. */
  fallback: z.boolean(),
  slug: z.string(),
  title: z.string(),
  body: z.string(),
  updatedAt: z.iso.datetime(),
  faq: z.boolean(),
  breadcrumbs: z.array(z.object({ slug: z.string(), name: z.string() })),
  translations: z.array(z.object({ language: z.string(), slug: z.string() })),
  related: z.array(z.object({ id: z.uuid(), slug: z.string(), title: z.string() })),
  helpful: z.object({ yes: z.number().int(), no: z.number().int() }),
});
export type TPublicArticle = z.infer<typeof ZPublicArticle>;

export const ZFeedback = z.strictObject({
  helpful: z.boolean(),
  language: ZLang.optional(),
  comment: z.string().max(2000).optional(),
});

export const ZKbStats = z.object({
  since: z.iso.datetime(),
  articles: z.array(
    z.object({
      id: z.uuid(),
      language: z.string(),
      title: z.string(),
      views: z.number().int(),
      yes: z.number().int(),
      no: z.number().int(),
    }),
  ),
  topSearches: z.array(
    z.object({ query: z.string(), language: z.string(), count: z.number().int(), results: z.number() }),
  ),
  contentGaps: z.array(z.object({ query: z.string(), language: z.string(), count: z.number().int() })),
  byLanguage: z.array(
    z.object({
      language: z.string(),
      published: z.number().int(),
      views: z.number().int(),
      yes: z.number().int(),
      no: z.number().int(),
      searches: z.number().int(),
      gaps: z.number().int(),
    }),
  ),
});
