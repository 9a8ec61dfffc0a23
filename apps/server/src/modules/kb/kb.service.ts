import fs from "node:fs";
import path from "node:path";
import type { Readable } from "node:stream";
import { tokenize } from "@rapport/shared";
import { and, asc, desc, eq, inArray, lt, or, type SQL, sql } from "drizzle-orm";
import type { Actor } from "../../auth/actor.ts";
import { can, requireCan } from "../../auth/policies.ts";
import type { Ctx } from "../../context.ts";
import type { DbOrTx } from "../../db/client.ts";
import { enqueue } from "../../jobs/queue.ts";
import { decodeCursor, encodeCursor } from "../../lib/cursor.ts";
import { AppError, badRequest, conflict, notFound } from "../../lib/errors.ts";
import { htmlToText, sanitizeArticle } from "../../lib/html.ts";
import { highlightSnippet, tsqueryLiteral, tsvectorLiteral } from "../../lib/search.ts";
import { writeUpload } from "../tickets/attachments.service.ts";
import { users } from "../users/users.table.ts";
import { diffWords } from "./kb.diff.ts";
import type {
  KbStatus,
  KbVisibility,
  TCreateKbArticle,
  TCreateKbCategory,
  TCreateKbTranslation,
  TKbArticle,
  TKbArticleSummary,
  TKbCategory,
  TKbSettings,
  TKbTranslation,
  TKbVersion,
  TListKbArticles,
  TPublishKbArticle,
  TUpdateKbArticle,
  TUpdateKbCategory,
} from "./kb.schema.ts";
import {
  KB_EXCERPT_CHARS,
  kbArticles,
  kbCategories,
  kbFeedback,
  kbFiles,
  kbSettings,
  kbTranslations,
  kbVersions,
} from "./kb.table.ts";

export const KB_PUBLISH_JOB = "kb.publish";

type TranslationRow = typeof kbTranslations.$inferSelect;
type ArticleRow = typeof kbArticles.$inferSelect;
type VersionRow = typeof kbVersions.$inferSelect;

// ---- Settings and languages ----------------------------------------------------------------

/** The help centre's settings and the organization's name, in one statement. */
export async function readHelpSettings(
  db: DbOrTx,
): Promise<{ settings: TKbSettings; orgName: string | null }> {
  const res = (await db.execute(sql`
    select s.name, s.default_language, k.languages, k.logo_url, k.color
    from (select 1) one left join settings s on s.id = 1 left join kb_settings k on k.id = 1`)) as unknown as {
    rows: Array<{
      name: string | null;
      default_language: string | null;
      languages: string[] | null;
      logo_url: string | null;
      color: string | null;
    }>;
  };
  const row = res.rows[0];
  const defaultLanguage = row?.default_language ?? "en";
  const languages = row?.languages ?? ["en", "vi", "km", "ta"];
  return {
    orgName: row?.name ?? null,
    settings: {
      languages: languages.includes(defaultLanguage) ? languages : [defaultLanguage, ...languages],
      defaultLanguage,
      logoUrl: row?.logo_url ?? null,
      color: row?.color ?? "#1864ab",
    },
  };
}

export async function readKbSettings(db: DbOrTx): Promise<TKbSettings> {
  return (await readHelpSettings(db)).settings;
}

export async function updateKbSettings(
  ctx: Ctx,
  patch: { languages?: string[]; logoUrl?: string | null; color?: string },
): Promise<TKbSettings> {
  requireCan(ctx.actor, "kb.settings");
  const values = {
    ...(patch.languages ? { languages: [...new Set(patch.languages)] } : {}),
    ...(patch.logoUrl !== undefined ? { logoUrl: patch.logoUrl } : {}),
    ...(patch.color ? { color: patch.color.toLowerCase() } : {}),
    updatedAt: ctx.now(),
  };
  await ctx.db
    .insert(kbSettings)
    .values({ id: 1, ...values })
    .onConflictDoUpdate({ target: kbSettings.id, set: values });
  return readKbSettings(ctx.db);
}

/** 400 for a language the help centre is not written in. */
export function requireLanguage(settings: TKbSettings, language: string): string {
  if (!settings.languages.includes(language))
    throw new AppError("validation_failed", 400, `The help centre is not written in "${language}"`, {
      field: "language",
      languages: settings.languages,
    });
  return language;
}

// ---- Slugs ---------------------------------------------------------------------------------

/** A URL slug from a title: folded, segmented words joined by hyphens (any script). */
export function slugify(text: string, fallback = "article"): string {
  const words = tokenize(text)
    .map((w) => w.replace(/[^\p{L}\p{M}\p{N}]+/gu, ""))
    .filter(Boolean);
  let slug = "";
  for (const w of words) {
    if (slug.length + w.length + 1 > 80) break;
    slug = slug ? `${slug}-${w}` : w;
  }
  return slug || fallback;
}

async function uniqueSlug(
  db: DbOrTx,
  language: string,
  wanted: string,
  exceptArticle?: string,
): Promise<string> {
  const taken = await db
    .select({ slug: kbTranslations.slug, articleId: kbTranslations.articleId })
    .from(kbTranslations)
    .where(
      and(
        eq(kbTranslations.language, language),
        or(eq(kbTranslations.slug, wanted), sql`${kbTranslations.slug} like ${`${wanted}-%`}`),
      ),
    );
  const used = new Set(taken.filter((t) => t.articleId !== exceptArticle).map((t) => t.slug));
  if (!used.has(wanted)) return wanted;
  for (let i = 2; ; i++) if (!used.has(`${wanted}-${i}`)) return `${wanted}-${i}`;
}

// ---- Categories ----------------------------------------------------------------------------

const toCategory = (r: typeof kbCategories.$inferSelect, articleCount: number): TKbCategory => ({
  id: r.id,
  parentId: r.parentId,
  slug: r.slug,
  position: r.position,
  faq: r.faq,
  names: r.names,
  articleCount,
});

export async function listCategories(ctx: Ctx): Promise<{ items: TKbCategory[] }> {
  requireCan(ctx.actor, "kb.read");
  const rows = await ctx.db
    .select({
      c: kbCategories,
      n: sql<number>`(select count(*)::int from kb_articles a where a.category_id = kb_categories.id)`,
    })
    .from(kbCategories)
    .orderBy(asc(kbCategories.position), asc(kbCategories.createdAt));
  return { items: rows.map((r) => toCategory(r.c, r.n)) };
}

async function checkNames(ctx: Ctx, names: Record<string, { name: string; description?: string }>) {
  const settings = await readKbSettings(ctx.db);
  for (const lang of Object.keys(names)) requireLanguage(settings, lang);
  return settings;
}

export async function createCategory(ctx: Ctx, input: TCreateKbCategory): Promise<TKbCategory> {
  requireCan(ctx.actor, "kb.categories");
  const settings = await checkNames(ctx, input.names);
  const first = input.names[settings.defaultLanguage] ?? Object.values(input.names)[0];
  if (!first) throw badRequest("A category needs a name in at least one language", { field: "names" });
  if (input.parentId) await loadCategory(ctx.db, input.parentId);
  const slug = input.slug ?? slugify(first.name, "category");
  const [clash] = await ctx.db
    .select({ id: kbCategories.id })
    .from(kbCategories)
    .where(eq(kbCategories.slug, slug));
  if (clash) throw conflict("Another category has this slug", { field: "slug" });
  const [row] = await ctx.db
    .insert(kbCategories)
    .values({
      parentId: input.parentId ?? null,
      slug,
      position: input.position ?? 0,
      faq: input.faq ?? false,
      names: input.names,
    })
    .returning();
  if (!row) throw new Error("insert returned nothing");
  return toCategory(row, 0);
}

export async function updateCategory(ctx: Ctx, id: string, patch: TUpdateKbCategory): Promise<TKbCategory> {
  requireCan(ctx.actor, "kb.categories");
  await loadCategory(ctx.db, id);
  if (patch.names) await checkNames(ctx, patch.names);
  if (patch.parentId === id) throw badRequest("A category cannot be its own parent", { field: "parentId" });
  if (patch.parentId) await loadCategory(ctx.db, patch.parentId);
  if (patch.slug) {
    const [clash] = await ctx.db
      .select({ id: kbCategories.id })
      .from(kbCategories)
      .where(and(eq(kbCategories.slug, patch.slug), sql`${kbCategories.id} <> ${id}`));
    if (clash) throw conflict("Another category has this slug", { field: "slug" });
  }
  await ctx.db
    .update(kbCategories)
    .set({
      ...(patch.parentId !== undefined ? { parentId: patch.parentId } : {}),
      ...(patch.slug ? { slug: patch.slug } : {}),
      ...(patch.position !== undefined ? { position: patch.position } : {}),
      ...(patch.faq !== undefined ? { faq: patch.faq } : {}),
      ...(patch.names ? { names: patch.names } : {}),
      updatedAt: ctx.now(),
    })
    .where(eq(kbCategories.id, id));
  const found = (await listCategories(ctx)).items.find((c) => c.id === id);
  if (!found) throw notFound("Category");
  return found;
}

export async function deleteCategory(ctx: Ctx, id: string): Promise<void> {
  requireCan(ctx.actor, "kb.categories");
  await loadCategory(ctx.db, id);
  const [used] = await ctx.db
    .select({ id: kbArticles.id })
    .from(kbArticles)
    .where(eq(kbArticles.categoryId, id))
    .limit(1);
  if (used) throw conflict("Move or delete the category's articles first");
  await ctx.db.delete(kbCategories).where(eq(kbCategories.id, id));
}

async function loadCategory(db: DbOrTx, id: string) {
  const [row] = await db.select().from(kbCategories).where(eq(kbCategories.id, id));
  if (!row) throw notFound("Category");
  return row;
}

// ---- Articles ------------------------------------------------------------------------------

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function actorName(actor: Actor): { id: string | null; name: string } {
  if (actor.kind === "agent") return { id: actor.userId, name: actor.name };
  return { id: null, name: "Rapport" };
}

const outdated = (t: TranslationRow, source: TranslationRow | undefined) =>
  source !== undefined && t.language !== source.language && source.revision > t.sourceRevision;

/** The text columns of a translation from its title and (unsanitized) body. */
function textColumns(title: string, rawBody: string) {
  const body = sanitizeArticle(rawBody);
  const bodyText = htmlToText(body);
  const searchVector = tsvectorLiteral([
    { text: title, weight: "A" },
    { text: bodyText, weight: "B" },
  ]);
  return {
    title,
    body,
    bodyText,
    excerpt: bodyText.slice(0, KB_EXCERPT_CHARS),
    searchVector: sql`${searchVector}::tsvector` as unknown as string,
  };
}

async function writeVersion(
  db: DbOrTx,
  ctx: Ctx,
  t: Pick<TranslationRow, "articleId" | "language" | "version" | "title" | "body" | "status">,
  change: string,
  note?: string | null,
) {
  const who = actorName(ctx.actor);
  await db.insert(kbVersions).values({
    articleId: t.articleId,
    language: t.language,
    version: t.version,
    title: t.title,
    body: t.body,
    status: t.status,
    change,
    note: note ?? null,
    actorId: who.id,
    actorName: who.name,
    createdAt: ctx.now(),
  });
}

async function loadArticle(db: DbOrTx, id: string): Promise<ArticleRow> {
  const [row] = await db.select().from(kbArticles).where(eq(kbArticles.id, id));
  if (!row) throw notFound("Article");
  return row;
}

async function loadTranslations(db: DbOrTx, articleIds: string[]) {
  if (articleIds.length === 0) return [];
  return db
    .select()
    .from(kbTranslations)
    .where(inArray(kbTranslations.articleId, articleIds))
    .orderBy(asc(kbTranslations.language));
}

export async function getArticle(ctx: Ctx, id: string, db: DbOrTx = ctx.db): Promise<TKbArticle> {
  requireCan(ctx.actor, "kb.read");
  const article = await loadArticle(db, id);
  const [translations, settings, votes] = await Promise.all([
    loadTranslations(db, [id]),
    readKbSettings(db),
    db
      .select({
        yes: sql<number>`count(*) filter (where ${kbFeedback.helpful})::int`,
        no: sql<number>`count(*) filter (where not ${kbFeedback.helpful})::int`,
      })
      .from(kbFeedback)
      .where(eq(kbFeedback.articleId, id)),
  ]);
  const editors = translations.map((t) => t.updatedById).filter((x): x is string => x !== null);
  const names = new Map(
    editors.length
      ? (
          await db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, editors))
        ).map((u) => [u.id, u.name])
      : [],
  );
  const source = translations.find((t) => t.language === article.sourceLanguage);
  const sourceStatus = source?.status ?? "draft";
  return {
    id: article.id,
    categoryId: article.categoryId,
    visibility: article.visibility as KbVisibility,
    sourceLanguage: article.sourceLanguage,
    position: article.position,
    createdAt: article.createdAt.toISOString(),
    updatedAt: article.updatedAt.toISOString(),
    translations: translations.map(
      (t): TKbTranslation => ({
        language: t.language,
        slug: t.slug,
        title: t.title,
        body: t.body,
        status: t.status as KbStatus,
        publishAt: iso(t.publishAt),
        publishedAt: iso(t.publishedAt),
        version: t.version,
        outdated: outdated(t, source),
        views: t.views,
        updatedAt: t.updatedAt.toISOString(),
        updatedBy: t.updatedById ? (names.get(t.updatedById) ?? null) : null,
      }),
    ),
    missingLanguages: settings.languages.filter((l) => !translations.some((t) => t.language === l)),
    helpful: { yes: votes[0]?.yes ?? 0, no: votes[0]?.no ?? 0 },
    permissions: {
      edit: can(ctx.actor, "kb.write", { status: sourceStatus }),
      publish: can(ctx.actor, "kb.publish"),
      delete: can(ctx.actor, "kb.delete"),
    },
  };
}

export async function listArticles(
  ctx: Ctx,
  q: TListKbArticles,
): Promise<{ items: TKbArticleSummary[]; nextCursor: string | null }> {
  requireCan(ctx.actor, "kb.read");
  const settings = await readKbSettings(ctx.db);
  if (q.language) requireLanguage(settings, q.language);
  const conds: SQL[] = [];
  if (q.categoryId) conds.push(eq(kbArticles.categoryId, q.categoryId));
  if (q.visibility) conds.push(eq(kbArticles.visibility, q.visibility));
  if (q.status)
    conds.push(
      sql`exists (select 1 from kb_translations s where s.article_id = kb_articles.id and s.language = ${q.language ?? sql.raw("kb_articles.source_language")} and s.status = ${q.status})`,
    );
  if (q.language && q.needsTranslation === "true")
    conds.push(sql`not exists (select 1 from kb_translations t join kb_translations s on s.article_id = t.article_id and s.language = kb_articles.source_language
      where t.article_id = kb_articles.id and t.language = ${q.language} and (t.language = s.language or t.source_revision >= s.revision))`);
  const tsq = q.q ? tsqueryLiteral(q.q) : null;
  if (q.q && !tsq) return { items: [], nextCursor: null };
  if (tsq)
    conds.push(
      sql`exists (select 1 from kb_translations m where m.article_id = kb_articles.id and m.search_vector @@ ${tsq}::tsquery ${q.language ? sql`and m.language = ${q.language}` : sql``})`,
    );
  if (q.cursor) {
    const [at, id] = decodeCursor(q.cursor, 2);
    if (typeof at !== "string" || typeof id !== "string") throw badRequest("Bad cursor", { field: "cursor" });
    conds.push(
      or(
        lt(kbArticles.updatedAt, new Date(at)),
        and(eq(kbArticles.updatedAt, new Date(at)), lt(kbArticles.id, id)),
      ) as SQL,
    );
  }
  const rows = await ctx.db
    .select()
    .from(kbArticles)
    .where(and(...conds))
    .orderBy(desc(kbArticles.updatedAt), desc(kbArticles.id))
    .limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  const translations = await loadTranslations(
    ctx.db,
    page.map((r) => r.id),
  );
  const items = page.map((a): TKbArticleSummary => {
    const mine = translations.filter((t) => t.articleId === a.id);
    const source = mine.find((t) => t.language === a.sourceLanguage);
    const shown = (q.language ? mine.find((t) => t.language === q.language) : undefined) ?? source ?? mine[0];
    const hit = tsq && q.q ? (mine.find((t) => t.language === q.language) ?? shown) : undefined;
    return {
      id: a.id,
      categoryId: a.categoryId,
      visibility: a.visibility as KbVisibility,
      sourceLanguage: a.sourceLanguage,
      title: shown?.title ?? "",
      status: (shown?.status ?? "draft") as KbStatus,
      updatedAt: a.updatedAt.toISOString(),
      translations: mine.map((t) => ({
        language: t.language,
        slug: t.slug,
        title: t.title,
        status: t.status as KbStatus,
        outdated: outdated(t, source),
      })),
      missingLanguages: settings.languages.filter((l) => !mine.some((t) => t.language === l)),
      ...(hit && q.q ? { snippet: highlightSnippet(hit.bodyText, q.q, 160) } : {}),
    };
  });
  const last = page.at(-1);
  return {
    items,
    nextCursor: rows.length > q.limit && last ? encodeCursor([last.updatedAt.toISOString(), last.id]) : null,
  };
}

export async function createArticle(ctx: Ctx, input: TCreateKbArticle): Promise<TKbArticle> {
  const actor = requireCan(ctx.actor, "kb.write", { status: input.status });
  const settings = await readKbSettings(ctx.db);
  const language = requireLanguage(settings, input.language ?? settings.defaultLanguage);
  await loadCategory(ctx.db, input.categoryId);
  const id = await ctx.db.transaction(async (tx) => {
    const [article] = await tx
      .insert(kbArticles)
      .values({
        categoryId: input.categoryId,
        visibility: input.visibility,
        sourceLanguage: language,
        position: input.position ?? 0,
        createdById: actor.userId,
        createdAt: ctx.now(),
        updatedAt: ctx.now(),
      })
      .returning();
    if (!article) throw new Error("insert returned nothing");
    const slug = await uniqueSlug(tx, language, input.slug ?? slugify(input.title));
    const [t] = await tx
      .insert(kbTranslations)
      .values({
        articleId: article.id,
        language,
        slug,
        status: input.status,
        updatedById: actor.userId,
        createdAt: ctx.now(),
        updatedAt: ctx.now(),
        ...textColumns(input.title, input.body),
      })
      .returning();
    if (!t) throw new Error("insert returned nothing");
    await writeVersion(tx, ctx, t, "created", input.note);
    return article.id;
  });
  return getArticle(ctx, id);
}

export async function addTranslation(ctx: Ctx, id: string, input: TCreateKbTranslation): Promise<TKbArticle> {
  const actor = requireCan(ctx.actor, "kb.write", { status: input.status });
  const settings = await readKbSettings(ctx.db);
  requireLanguage(settings, input.language);
  const article = await loadArticle(ctx.db, id);
  await ctx.db.transaction(async (tx) => {
    const existing = await loadTranslations(tx, [id]);
    if (existing.some((t) => t.language === input.language))
      throw conflict("This article already has a translation in this language; change it with PATCH", {
        field: "language",
      });
    const source = existing.find((t) => t.language === article.sourceLanguage);
    const slug = await uniqueSlug(tx, input.language, input.slug ?? slugify(input.title));
    const [t] = await tx
      .insert(kbTranslations)
      .values({
        articleId: id,
        language: input.language,
        slug,
        status: input.status,
        sourceRevision: source?.revision ?? 1,
        updatedById: actor.userId,
        createdAt: ctx.now(),
        updatedAt: ctx.now(),
        ...textColumns(input.title, input.body),
      })
      .returning();
    if (!t) throw new Error("insert returned nothing");
    await writeVersion(tx, ctx, t, "created", input.note);
    await tx.update(kbArticles).set({ updatedAt: ctx.now() }).where(eq(kbArticles.id, id));
  });
  return getArticle(ctx, id);
}

async function loadTranslation(db: DbOrTx, articleId: string, language: string): Promise<TranslationRow> {
  const [t] = await db
    .select()
    .from(kbTranslations)
    .where(and(eq(kbTranslations.articleId, articleId), eq(kbTranslations.language, language)));
  if (!t) throw notFound("Translation");
  return t;
}

export async function updateArticle(
  ctx: Ctx,
  id: string,
  patch: TUpdateKbArticle,
  as?: "restored",
): Promise<TKbArticle> {
  const article = await loadArticle(ctx.db, id);
  const language = patch.language ?? article.sourceLanguage;
  await ctx.db.transaction(async (tx) => {
    const t = await loadTranslation(tx, id, language);
    const actor = requireCan(ctx.actor, "kb.write", { status: t.status });
    if (patch.status === "archived" || (t.status === "archived" && patch.status))
      requireCan(ctx.actor, "kb.publish");
    const articleFields =
      patch.categoryId !== undefined || patch.visibility !== undefined || patch.position !== undefined;
    if (articleFields) {
      const source =
        language === article.sourceLanguage ? t : await loadTranslation(tx, id, article.sourceLanguage);
      requireCan(ctx.actor, "kb.write", { status: source.status });
      if (patch.categoryId) await loadCategory(tx, patch.categoryId);
      await tx
        .update(kbArticles)
        .set({
          ...(patch.categoryId ? { categoryId: patch.categoryId } : {}),
          ...(patch.visibility ? { visibility: patch.visibility } : {}),
          ...(patch.position !== undefined ? { position: patch.position } : {}),
        })
        .where(eq(kbArticles.id, id));
    }
    const title = patch.title ?? t.title;
    const contentChanged =
      (patch.title !== undefined && patch.title !== t.title) ||
      (patch.body !== undefined && sanitizeArticle(patch.body) !== t.body);
    const statusChanged = patch.status !== undefined && patch.status !== t.status;
    const slugChanged = patch.slug !== undefined && patch.slug !== t.slug;
    if (contentChanged || statusChanged || slugChanged) {
      const source =
        language === article.sourceLanguage
          ? undefined
          : await loadTranslation(tx, id, article.sourceLanguage);
      let slug = t.slug;
      if (slugChanged && patch.slug) {
        slug = await uniqueSlug(tx, language, patch.slug, id);
        if (slug !== patch.slug)
          throw conflict("Another article uses this slug in this language", { field: "slug" });
      }
      const [next] = await tx
        .update(kbTranslations)
        .set({
          ...(contentChanged ? textColumns(title, patch.body ?? t.body) : {}),
          ...(contentChanged ? { revision: t.revision + 1 } : {}),
          // Saving a translation's text means it was written against the current source.
          ...(contentChanged && source ? { sourceRevision: source.revision } : {}),
          ...(statusChanged ? { status: patch.status, publishAt: null } : {}),
          slug,
          version: t.version + 1,
          updatedById: actor.userId,
          updatedAt: ctx.now(),
        })
        .where(eq(kbTranslations.id, t.id))
        .returning();
      if (!next) throw new Error("update returned nothing");
      const change =
        as ??
        (contentChanged
          ? "edited"
          : patch.status === "archived"
            ? "archived"
            : statusChanged
              ? "status"
              : "edited");
      await writeVersion(tx, ctx, next, change, patch.note);
    }
    await tx.update(kbArticles).set({ updatedAt: ctx.now() }).where(eq(kbArticles.id, id));
  });
  return getArticle(ctx, id);
}

export async function deleteArticle(ctx: Ctx, id: string): Promise<void> {
  requireCan(ctx.actor, "kb.delete");
  await loadArticle(ctx.db, id);
  await ctx.db.delete(kbArticles).where(eq(kbArticles.id, id));
}

/** Publishes translations now, or schedules them (a kb.publish job at `at`). */
export async function publishArticle(ctx: Ctx, id: string, input: TPublishKbArticle): Promise<TKbArticle> {
  requireCan(ctx.actor, "kb.publish");
  const article = await loadArticle(ctx.db, id);
  const languages = [...new Set(input.languages ?? [article.sourceLanguage])];
  const at = input.at ? new Date(input.at) : null;
  const scheduled = at !== null && at.getTime() > ctx.now().getTime();
  await ctx.db.transaction(async (tx) => {
    for (const language of languages) {
      const t = await loadTranslation(tx, id, language);
      if (scheduled) {
        const [next] = await tx
          .update(kbTranslations)
          .set({ publishAt: at, version: t.version + 1, updatedAt: ctx.now() })
          .where(eq(kbTranslations.id, t.id))
          .returning();
        if (!next) throw new Error("update returned nothing");
        await writeVersion(tx, ctx, next, "scheduled", at.toISOString());
        await enqueue(tx, KB_PUBLISH_JOB, { translationId: t.id }, { runAt: at });
      } else {
        await publishTranslation(tx, ctx, t, "published");
      }
    }
    await tx.update(kbArticles).set({ updatedAt: ctx.now() }).where(eq(kbArticles.id, id));
  });
  return getArticle(ctx, id);
}

async function publishTranslation(tx: DbOrTx, ctx: Ctx, t: TranslationRow, change: string, note?: string) {
  const [next] = await tx
    .update(kbTranslations)
    .set({
      status: "published",
      publishAt: null,
      publishedAt: ctx.now(),
      version: t.version + 1,
      updatedAt: ctx.now(),
    })
    .where(eq(kbTranslations.id, t.id))
    .returning();
  if (!next) throw new Error("update returned nothing");
  await writeVersion(tx, ctx, next, change, note);
}

/** The scheduled-publishing job: publishes the translation if it is still scheduled for now or earlier. */
export async function runScheduledPublish(ctx: Ctx, translationId: string): Promise<boolean> {
  return ctx.db.transaction(async (tx) => {
    const [t] = await tx
      .select()
      .from(kbTranslations)
      .where(eq(kbTranslations.id, translationId))
      .for("update");
    if (!t?.publishAt || t.publishAt.getTime() > ctx.now().getTime()) return false;
    await publishTranslation(tx, ctx, t, "published", "scheduled");
    return true;
  });
}

// ---- Versions ------------------------------------------------------------------------------

const toVersion = (v: VersionRow): TKbVersion => ({
  id: v.id,
  language: v.language,
  version: v.version,
  title: v.title,
  status: v.status as KbStatus,
  change: v.change,
  note: v.note,
  actorName: v.actorName,
  createdAt: v.createdAt.toISOString(),
});

export async function listVersions(
  ctx: Ctx,
  id: string,
  language?: string,
): Promise<{ items: TKbVersion[] }> {
  requireCan(ctx.actor, "kb.read");
  await loadArticle(ctx.db, id);
  const rows = await ctx.db
    .select()
    .from(kbVersions)
    .where(and(eq(kbVersions.articleId, id), language ? eq(kbVersions.language, language) : undefined))
    .orderBy(desc(kbVersions.createdAt), desc(kbVersions.id))
    .limit(500);
  return { items: rows.map(toVersion) };
}

async function loadVersion(db: DbOrTx, articleId: string, versionId: number): Promise<VersionRow> {
  const [v] = await db
    .select()
    .from(kbVersions)
    .where(and(eq(kbVersions.articleId, articleId), eq(kbVersions.id, versionId)));
  if (!v) throw notFound("Version");
  return v;
}

export async function getVersion(ctx: Ctx, id: string, versionId: number) {
  requireCan(ctx.actor, "kb.read");
  const v = await loadVersion(ctx.db, id, versionId);
  return { ...toVersion(v), body: v.body };
}

/** What changed from `against` (default: the previous version of the same language) to the version. */
export async function diffVersions(ctx: Ctx, id: string, versionId: number, against?: number) {
  requireCan(ctx.actor, "kb.read");
  const to = await loadVersion(ctx.db, id, versionId);
  let from: VersionRow | undefined;
  if (against !== undefined) from = await loadVersion(ctx.db, id, against);
  else
    [from] = await ctx.db
      .select()
      .from(kbVersions)
      .where(
        and(
          eq(kbVersions.articleId, id),
          eq(kbVersions.language, to.language),
          lt(kbVersions.version, to.version),
        ),
      )
      .orderBy(desc(kbVersions.version))
      .limit(1);
  return {
    from: from ? toVersion(from) : null,
    to: toVersion(to),
    title: diffWords(from?.title ?? "", to.title),
    body: diffWords(htmlToText(from?.body ?? ""), htmlToText(to.body)),
  };
}

/** Restores a version's title and body as a new version (the history keeps everything). */
export async function restoreVersion(ctx: Ctx, id: string, versionId: number): Promise<TKbArticle> {
  await loadArticle(ctx.db, id);
  const v = await loadVersion(ctx.db, id, versionId);
  await updateArticle(
    ctx,
    id,
    {
      language: v.language,
      title: v.title,
      body: v.body,
      note: `restored version ${v.version}`,
    },
    "restored",
  );
  return getArticle(ctx, id);
}

// ---- Files (images and attachments in articles) -------------------------------------------

export const kbFileUrl = (id: string) => `/api/v1/public/kb/files/${id}`;

/** Stores an image or file for articles like a ticket attachment (type checked, size limited). */
export async function storeKbFile(
  ctx: Ctx,
  file: { filename: string; mimetype: string; stream: Readable },
): Promise<{ id: string; filename: string; contentType: string; size: number; url: string }> {
  const actor = requireCan(ctx.actor, "kb.write", { status: "draft" });
  const stored = await writeUpload(ctx, file);
  try {
    await ctx.db.insert(kbFiles).values({
      id: stored.id,
      filename: stored.filename,
      contentType: stored.contentType,
      size: stored.size,
      sha256: stored.sha256,
      storageKey: stored.storageKey,
      uploadedById: actor.userId,
      createdAt: ctx.now(),
    });
  } catch (e) {
    await stored.discard();
    throw e;
  }
  const { id, filename, contentType, size } = stored;
  return { id, filename, contentType, size, url: kbFileUrl(id) };
}

/** A stored article file by id (ids are random: files are as public as the article that shows them). */
export async function openKbFile(ctx: Ctx, id: string) {
  const [row] = await ctx.db.select().from(kbFiles).where(eq(kbFiles.id, id));
  if (!row) throw notFound("File");
  return { row, stream: fs.createReadStream(path.join(ctx.config.attachmentsDir, row.storageKey)) };
}
