import { sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  bigint,
  bigserial,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { createdAt, tstz, tsvector, updatedAt } from "../../db/columns.ts";
import { users } from "../users/users.table.ts";

/** Characters of plain text kept per translation for search snippets. */
export const KB_EXCERPT_CHARS = 600;

/** Help-centre settings: one row, id 1 (branding and the languages articles are written in). */
export const kbSettings = pgTable(
  "kb_settings",
  {
    id: integer("id").primaryKey().default(1),
    /** Languages articles may be written in; en, vi, km, ta by default, more as the admin adds them. */
    languages: text("languages").array().notNull().default(sql`'{en,vi,km,ta}'::text[]`),
    logoUrl: text("logo_url"),
    /** The help centre's accent colour (#rrggbb). */
    color: text("color").notNull().default("#1864ab"),
    updatedAt: updatedAt(),
  },
  (t) => [check("kb_settings_single_row", sql`${t.id} = 1`)],
);

export type KbNames = Record<string, { name: string; description?: string }>;

/** Categories (top level) and sections (a category with a parent). */
export const kbCategories = pgTable(
  "kb_categories",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    parentId: uuid("parent_id").references((): AnyPgColumn => kbCategories.id, { onDelete: "cascade" }),
    slug: text("slug").notNull().unique(),
    position: integer("position").notNull().default(0),
    /** FAQ mode: the category's articles are question/answer pairs shown on one page. */
    faq: boolean("faq").notNull().default(false),
    /** Name and description per language. */
    names: jsonb("names").$type<KbNames>().notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("kb_categories_parent_idx").on(t.parentId, t.position)],
);

/** The canonical article; its text lives in one translation per language. */
export const kbArticles = pgTable(
  "kb_articles",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    categoryId: uuid("category_id")
      .notNull()
      .references(() => kbCategories.id, { onDelete: "restrict" }),
    /** public | customers (signed-in portal customers) | internal (agents only). */
    visibility: text("visibility").notNull().default("public"),
    sourceLanguage: text("source_language").notNull(),
    position: integer("position").notNull().default(0),
    createdById: uuid("created_by_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("kb_articles_category_idx").on(t.categoryId, t.position),
    check("kb_articles_visibility", sql`${t.visibility} in ('public','customers','internal')`),
  ],
);

/** One language of an article: its own slug, title, body and workflow status. */
export const kbTranslations = pgTable(
  "kb_translations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    articleId: uuid("article_id")
      .notNull()
      .references(() => kbArticles.id, { onDelete: "cascade" }),
    language: text("language").notNull(),
    slug: text("slug").notNull(),
    title: text("title").notNull(),
    /** Sanitized HTML (lib/html.ts). */
    body: text("body").notNull(),
    bodyText: text("body_text").notNull().default(""),
    /** The first KB_EXCERPT_CHARS of bodyText: search snippets read this, never the whole text. */
    excerpt: text("excerpt").notNull().default(""),
    /** draft | in_review | published | archived */
    status: text("status").notNull().default("draft"),
    /** Scheduled publishing: a job publishes the translation at this time. */
    publishAt: tstz("publish_at"),
    publishedAt: tstz("published_at"),
    /** Latest version number (kb_versions). */
    version: integer("version").notNull().default(1),
    /** Bumped when the title or body changes: translations compare it with sourceRevision. */
    revision: integer("revision").notNull().default(1),
    /** The source translation's revision this translation was last written against. */
    sourceRevision: integer("source_revision").notNull().default(1),
    views: bigint("views", { mode: "number" }).notNull().default(0),
    searchVector: tsvector("search_vector").notNull().default(sql`''::tsvector`),
    updatedById: uuid("updated_by_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("kb_translations_article_lang_idx").on(t.articleId, t.language),
    uniqueIndex("kb_translations_lang_slug_idx").on(t.language, t.slug),
    /** Another language's slug finds the article too (the help centre's article page). */
    index("kb_translations_slug_idx").on(t.slug),
    index("kb_translations_search_idx").using("gin", t.searchVector),
    /** Published translations per language by views: related articles and "popular" lists. */
    index("kb_translations_lang_views_idx")
      .on(t.language, t.views.desc())
      .where(sql`${t.status} = 'published'`),
    index("kb_translations_published_idx").on(t.language, t.status),
    check("kb_translations_status", sql`${t.status} in ('draft','in_review','published','archived')`),
  ],
);

/** Every save of a translation: the full text, who saved it and what changed. */
export const kbVersions = pgTable(
  "kb_versions",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    articleId: uuid("article_id")
      .notNull()
      .references(() => kbArticles.id, { onDelete: "cascade" }),
    language: text("language").notNull(),
    version: integer("version").notNull(),
    title: text("title").notNull(),
    body: text("body").notNull(),
    status: text("status").notNull(),
    /** created | edited | status | published | scheduled | restored | archived */
    change: text("change").notNull(),
    note: text("note"),
    actorId: uuid("actor_id").references(() => users.id, { onDelete: "set null" }),
    actorName: text("actor_name").notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("kb_versions_article_lang_version_idx").on(t.articleId, t.language, t.version)],
);

/** "Was this helpful?": one vote per visitor per article (a later vote replaces it). */
export const kbFeedback = pgTable(
  "kb_feedback",
  {
    articleId: uuid("article_id")
      .notNull()
      .references(() => kbArticles.id, { onDelete: "cascade" }),
    /** SHA-256 of the visitor's cookie id. */
    visitorKey: text("visitor_key").notNull(),
    language: text("language").notNull(),
    helpful: boolean("helpful").notNull(),
    comment: text("comment"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.articleId, t.visitorKey] }), index("kb_feedback_lang_idx").on(t.language)],
);

/** Help-centre searches (folded query, language, hit count): top searches and content gaps. */
export const kbSearches = pgTable(
  "kb_searches",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    query: text("query").notNull(),
    language: text("language").notNull(),
    /** search | suggest | agent */
    source: text("source").notNull(),
    results: integer("results").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("kb_searches_lang_created_idx").on(t.language, t.createdAt)],
);

/** Images and files used in articles, stored like ticket attachments; served publicly by id. */
export const kbFiles = pgTable("kb_files", {
  id: uuid("id").primaryKey().defaultRandom(),
  filename: text("filename").notNull(),
  contentType: text("content_type").notNull(),
  size: bigint("size", { mode: "number" }).notNull(),
  sha256: text("sha256").notNull(),
  storageKey: text("storage_key").notNull(),
  uploadedById: uuid("uploaded_by_id").references(() => users.id, { onDelete: "set null" }),
  createdAt: createdAt(),
});
