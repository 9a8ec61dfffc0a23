import { createHash, randomBytes } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { errorResponses, ZIdParams } from "../../http/schemas.ts";
import { AppError } from "../../lib/errors.ts";
import { sendStoredFile } from "../tickets/attachments.service.ts";
import {
  kbStats,
  popularArticles,
  publicArticle,
  recordFeedback,
  searchArticles,
} from "./kb.public.service.ts";
import {
  KB_WRITE_BODY_LIMIT,
  ZCreateKbArticle,
  ZCreateKbCategory,
  ZCreateKbTranslation,
  ZFeedback,
  ZKbArticle,
  ZKbArticleList,
  ZKbCategory,
  ZKbCategoryList,
  ZKbDiff,
  ZKbFile,
  ZKbSettings,
  ZKbStats,
  ZKbVersionFull,
  ZKbVersionList,
  ZLang,
  ZListKbArticles,
  ZPublicArticle,
  ZPublicArticleLinks,
  ZPublicHits,
  ZPublicSearchQuery,
  ZPublishKbArticle,
  ZUpdateKbArticle,
  ZUpdateKbCategory,
  ZUpdateKbSettings,
} from "./kb.schema.ts";
import {
  addTranslation,
  createArticle,
  createCategory,
  deleteArticle,
  deleteCategory,
  diffVersions,
  getArticle,
  getVersion,
  listArticles,
  listCategories,
  listVersions,
  openKbFile,
  publishArticle,
  readKbSettings,
  restoreVersion,
  storeKbFile,
  updateArticle,
  updateCategory,
  updateKbSettings,
} from "./kb.service.ts";

const tags = ["knowledge base"];
const publicTags = ["help centre (public)"];
const ERR = errorResponses(400, 401, 403, 404, 409, 413, 429);
const ZVersionParams = z.strictObject({ id: z.uuid(), versionId: z.coerce.number().int().positive() });

/** The help centre's own per-address buckets (the global public bucket is shared with every page asset). */
export const kbLimit = (name: string, max: number) => ({
  public: true,
  rateLimit: {
    // At least RATE_LIMIT_PUBLIC_PER_MINUTE, so an operator (or a benchmark) can raise every public limit at once.
    max: (req: FastifyRequest) => Math.max(max, req.server.services.config.rateLimits.publicPerMinute),
    timeWindow: 60_000,
    keyGenerator: (req: FastifyRequest) => `kb-${name}:${req.ip}`,
  },
});

export const VISITOR_COOKIE = "rapport_kb";

/**
 * One vote per visitor per article: a random id in an httpOnly cookie (set on the first page or
 * vote), hashed before it is stored; a client without cookies counts by its address.
 */
export function visitorKey(req: FastifyRequest, reply: FastifyReply): string {
  let id = req.cookies?.[VISITOR_COOKIE];
  if (!id || !/^[A-Za-z0-9_-]{16,64}$/.test(id)) {
    id = randomBytes(18).toString("base64url");
    reply.setCookie(VISITOR_COOKIE, id, {
      path: "/",
      httpOnly: true,
      sameSite: "lax",
      secure: req.server.services.config.cookieSecure,
      maxAge: 365 * 86400,
    });
    if (!req.cookies?.[VISITOR_COOKIE]) return `ip:${createHash("sha256").update(req.ip).digest("hex")}`;
  }
  return createHash("sha256").update(id).digest("hex");
}

export const kbRoutes: FastifyPluginAsyncZod = async (app) => {
  // ---- Settings and categories -------------------------------------------------------------
  app.get(
    "/kb/settings",
    {
      schema: { tags, summary: "Help-centre languages and branding", response: { 200: ZKbSettings, ...ERR } },
    },
    async (req) => readKbSettings(req.ctx.db),
  );
  app.patch(
    "/kb/settings",
    {
      schema: {
        tags,
        summary: "Admins: help-centre languages (add any language code), logo and colour",
        body: ZUpdateKbSettings,
        response: { 200: ZKbSettings, ...ERR },
      },
    },
    async (req) => updateKbSettings(req.ctx, req.body),
  );
  app.get(
    "/kb/categories",
    {
      schema: {
        tags,
        summary: "Categories and sections (a section has a parent), with article counts",
        response: { 200: ZKbCategoryList, ...ERR },
      },
    },
    async (req) => listCategories(req.ctx),
  );
  app.post(
    "/kb/categories",
    {
      schema: {
        tags,
        summary: "Managers: create a category or section (names per language, FAQ mode)",
        body: ZCreateKbCategory,
        response: { 201: ZKbCategory, ...ERR },
      },
    },
    async (req, reply) => reply.status(201).send(await createCategory(req.ctx, req.body)),
  );
  app.patch(
    "/kb/categories/:id",
    {
      schema: {
        tags,
        summary: "Managers: change a category",
        params: ZIdParams,
        body: ZUpdateKbCategory,
        response: { 200: ZKbCategory, ...ERR },
      },
    },
    async (req) => updateCategory(req.ctx, req.params.id, req.body),
  );
  app.delete(
    "/kb/categories/:id",
    {
      schema: {
        tags,
        summary: "Managers: delete an empty category",
        params: ZIdParams,
        response: { 204: z.null(), ...ERR },
      },
    },
    async (req, reply) => {
      await deleteCategory(req.ctx, req.params.id);
      return reply.status(204).send(null);
    },
  );

  // ---- Articles ----------------------------------------------------------------------------
  app.get(
    "/kb/articles",
    {
      schema: {
        tags,
        summary:
          "Articles (every status and visibility), newest change first; `q` searches every language (or `language`), `needsTranslation=true` lists those missing or outdated in `language`",
        querystring: ZListKbArticles,
        response: { 200: ZKbArticleList, ...ERR },
      },
    },
    async (req) => listArticles(req.ctx, req.query),
  );
  app.post(
    "/kb/articles",
    {
      bodyLimit: KB_WRITE_BODY_LIMIT,
      schema: {
        tags,
        summary: "Write an article (its source-language translation; body HTML is sanitized)",
        body: ZCreateKbArticle,
        response: { 201: ZKbArticle, ...ERR },
      },
    },
    async (req, reply) => reply.status(201).send(await createArticle(req.ctx, req.body)),
  );
  app.get(
    "/kb/articles/:id",
    {
      schema: {
        tags,
        summary: "An article with every translation (outdated flags), missing languages and permissions",
        params: ZIdParams,
        response: { 200: ZKbArticle, ...ERR },
      },
    },
    async (req) => getArticle(req.ctx, req.params.id),
  );
  app.patch(
    "/kb/articles/:id",
    {
      bodyLimit: KB_WRITE_BODY_LIMIT,
      schema: {
        tags,
        summary:
          "Change an article (category, visibility) and one translation (`language`, default the source): title, body, slug, status draft / in_review / archived. Every save is a version",
        params: ZIdParams,
        body: ZUpdateKbArticle,
        response: { 200: ZKbArticle, ...ERR },
      },
    },
    async (req) => updateArticle(req.ctx, req.params.id, req.body),
  );
  app.delete(
    "/kb/articles/:id",
    {
      schema: {
        tags,
        summary: "Managers: delete an article with its translations and history",
        params: ZIdParams,
        response: { 204: z.null(), ...ERR },
      },
    },
    async (req, reply) => {
      await deleteArticle(req.ctx, req.params.id);
      return reply.status(204).send(null);
    },
  );
  app.post(
    "/kb/articles/:id/translations",
    {
      bodyLimit: KB_WRITE_BODY_LIMIT,
      schema: {
        tags,
        summary: "Add a translation in another help-centre language (own slug, title, body and status)",
        params: ZIdParams,
        body: ZCreateKbTranslation,
        response: { 201: ZKbArticle, ...ERR },
      },
    },
    async (req, reply) => reply.status(201).send(await addTranslation(req.ctx, req.params.id, req.body)),
  );
  app.post(
    "/kb/articles/:id/publish",
    {
      schema: {
        tags,
        summary:
          "Managers: publish translations (default: the source language) now, or at `at` (scheduled publishing)",
        params: ZIdParams,
        body: ZPublishKbArticle,
        response: { 200: ZKbArticle, ...ERR },
      },
    },
    async (req) => publishArticle(req.ctx, req.params.id, req.body),
  );
  app.get(
    "/kb/articles/:id/versions",
    {
      schema: {
        tags,
        summary: "The article's history: every save of every translation, who made it and what changed",
        params: ZIdParams,
        querystring: z.strictObject({ language: ZLang.optional() }),
        response: { 200: ZKbVersionList, ...ERR },
      },
    },
    async (req) => listVersions(req.ctx, req.params.id, req.query.language),
  );
  app.get(
    "/kb/articles/:id/versions/:versionId",
    {
      schema: {
        tags,
        summary: "One version with its full text",
        params: ZVersionParams,
        response: { 200: ZKbVersionFull, ...ERR },
      },
    },
    async (req) => getVersion(req.ctx, req.params.id, req.params.versionId),
  );
  app.get(
    "/kb/articles/:id/versions/:versionId/diff",
    {
      schema: {
        tags,
        summary:
          "Word diff of the title and text from `against` (default: the previous version) to this version",
        params: ZVersionParams,
        querystring: z.strictObject({ against: z.coerce.number().int().positive().optional() }),
        response: { 200: ZKbDiff, ...ERR },
      },
    },
    async (req) => diffVersions(req.ctx, req.params.id, req.params.versionId, req.query.against),
  );
  app.post(
    "/kb/articles/:id/versions/:versionId/restore",
    {
      schema: {
        tags,
        summary: "Restore a version's title and body (saved as a new version)",
        params: ZVersionParams,
        response: { 200: ZKbArticle, ...ERR },
      },
    },
    async (req) => restoreVersion(req.ctx, req.params.id, req.params.versionId),
  );
  app.post(
    "/kb/files",
    {
      schema: {
        tags,
        summary:
          "Upload an image or file for articles (multipart `file`; type checked like ticket attachments)",
        consumes: ["multipart/form-data"],
        response: {
          201: ZKbFile,
          ...errorResponses(400, 401, 403, 413, 415),
        },
      },
    },
    async (req, reply) => {
      if (!req.isMultipart()) throw new AppError("unsupported_media_type", 415, "Send multipart/form-data");
      const file = await req.file();
      if (!file) throw new AppError("bad_request", 400, "No file in the request");
      const stored = await storeKbFile(req.ctx, {
        filename: file.filename,
        mimetype: file.mimetype,
        stream: file.file,
      });
      return reply.status(201).send(stored);
    },
  );
  app.get(
    "/kb/stats",
    {
      schema: {
        tags,
        summary:
          "Managers: views, helpfulness, top searches and content gaps (searches without results) per language",
        querystring: z.strictObject({
          days: z.coerce.number().int().min(1).max(365).default(30),
          language: ZLang.optional(),
        }),
        response: { 200: ZKbStats, ...ERR },
      },
    },
    async (req) => kbStats(req.ctx, req.query),
  );

  // ---- Public (no sign-in) -------------------------------------------------------------------
  app.get(
    "/public/kb/search",
    {
      config: kbLimit("search", 120),
      schema: {
        tags: publicTags,
        summary:
          "Search published public articles in a language (ranked, highlighted snippets); logged for editors",
        security: [],
        querystring: ZPublicSearchQuery,
        response: {
          200: ZPublicHits,
          ...errorResponses(400, 429),
        },
      },
    },
    async (req) => searchArticles(req.ctx, { ...req.query, source: "search", log: true }),
  );
  app.get(
    "/public/kb/suggest",
    {
      config: kbLimit("suggest", 300),
      schema: {
        tags: publicTags,
        summary:
          "Up to 5 published public articles for what a customer is typing, in their language: ranked by the words they match (any word; rare words weigh more; the last word as a prefix)",
        security: [],
        querystring: ZPublicSearchQuery.extend({ limit: z.coerce.number().int().min(1).max(5).default(5) }),
        response: {
          200: ZPublicHits,
          ...errorResponses(400, 429),
        },
      },
    },
    // Any word may match, rarer words weigh more: a visitor's whole sentence still finds the article.
    async (req) => searchArticles(req.ctx, { ...req.query, source: "suggest", log: false, match: "any" }),
  );
  app.get(
    "/public/kb/popular",
    {
      config: kbLimit("popular", 300),
      schema: {
        tags: publicTags,
        summary: "The most read published public articles in a language (the chat widget's help tab)",
        security: [],
        querystring: z.strictObject({
          lang: ZLang.optional(),
          limit: z.coerce.number().int().min(1).max(20).default(6),
        }),
        response: { 200: ZPublicArticleLinks, ...errorResponses(400, 429) },
      },
    },
    async (req) => popularArticles(req.ctx, req.query.lang, req.query.limit),
  );
  app.get(
    "/public/kb/articles/:slug",
    {
      config: kbLimit("article", 300),
      schema: {
        tags: publicTags,
        summary:
          "A published public article by its slug; without a published translation in `lang`, the default language's (`fallback: true`)",
        security: [],
        params: z.strictObject({ slug: z.string().min(1).max(200) }),
        querystring: z.strictObject({ lang: ZLang.optional() }),
        response: { 200: ZPublicArticle, ...errorResponses(400, 404, 429) },
      },
    },
    async (req) => publicArticle(req.ctx, req.params.slug, req.query.lang),
  );
  app.post(
    "/public/kb/articles/:id/feedback",
    {
      config: kbLimit("feedback", 30),
      schema: {
        tags: publicTags,
        summary: '"Was this helpful?": yes/no and an optional comment; one vote per visitor per article',
        security: [],
        params: ZIdParams,
        body: ZFeedback,
        response: {
          200: z.object({ yes: z.number().int(), no: z.number().int() }),
          ...errorResponses(400, 404, 429),
        },
      },
    },
    async (req, reply) => recordFeedback(req.ctx, req.params.id, visitorKey(req, reply), req.body),
  );
  app.get(
    "/public/kb/files/:id",
    {
      config: kbLimit("files", 600),
      schema: {
        tags: publicTags,
        summary: "An image or file used in an article",
        security: [],
        params: ZIdParams,
      },
    },
    async (req, reply) => {
      const { row, stream } = await openKbFile(req.ctx, req.params.id);
      return sendStoredFile(reply, row, stream, "public, max-age=86400");
    },
  );
};
