import { foldText } from "@rapport/shared";
import { and, desc, eq, gte, inArray, type SQL, sql } from "drizzle-orm";
import type { Actor } from "../../auth/actor.ts";
import { requireCan } from "../../auth/policies.ts";
import type { Ctx } from "../../context.ts";
import type { DbOrTx } from "../../db/client.ts";
import { notFound } from "../../lib/errors.ts";
import { htmlToText } from "../../lib/html.ts";
import { highlightSnippet, tsqueryLiteral } from "../../lib/search.ts";
import type { TKbSettings, TPublicArticle, TPublicHit } from "./kb.schema.ts";
import { readKbSettings, requireLanguage } from "./kb.service.ts";
import type { KbNames } from "./kb.table.ts";
import { kbArticles, kbCategories, kbFeedback, kbSearches, kbTranslations } from "./kb.table.ts";

/**
 * The help centre's reads: only published translations of articles the caller may see.
 * Anonymous callers and chat visitors see public articles; signed-in portal customers also
 * those for customers; internal articles and drafts never leave the agent API.
 */
export function visibilitiesFor(actor: Actor): string[] {
  return actor.kind === "customer" ? ["public", "customers"] : ["public"];
}

const visibleAndPublished = (actor: Actor): SQL =>
  and(eq(kbTranslations.status, "published"), inArray(kbArticles.visibility, visibilitiesFor(actor))) as SQL;

export const nameIn = (names: KbNames, language: string, fallback: string): string =>
  names[language]?.name ?? names[fallback]?.name ?? Object.values(names)[0]?.name ?? "";

export const articleUrl = (language: string, slug: string) =>
  `/help/${encodeURIComponent(language)}/articles/${encodeURIComponent(slug)}`;

async function languageOf(
  ctx: Ctx,
  lang: string | undefined,
): Promise<{ settings: TKbSettings; language: string }> {
  const settings = await readKbSettings(ctx.db);
  return { settings, language: requireLanguage(settings, lang ?? settings.defaultLanguage) };
}

/**
 * Ranked search over one language's published articles, with highlighted snippets.
 * `log`: record the query (top searches; zero results are content gaps).
 */
export async function searchArticles(
  ctx: Ctx,
  input: { q: string; lang?: string; limit: number; source: "search" | "suggest" | "agent"; log: boolean },
): Promise<{ language: string; items: TPublicHit[] }> {
  const { settings, language } = await languageOf(ctx, input.lang);
  const tsq = tsqueryLiteral(input.q);
  if (!tsq) return { language, items: [] };
  const query = sql`${tsq}::tsquery`;
  const rows = await ctx.db
    .select({
      id: kbTranslations.articleId,
      slug: kbTranslations.slug,
      title: kbTranslations.title,
      text: sql<string>`left(${kbTranslations.bodyText}, 20000)`,
      categorySlug: kbCategories.slug,
      categoryNames: kbCategories.names,
    })
    .from(kbTranslations)
    .innerJoin(kbArticles, eq(kbArticles.id, kbTranslations.articleId))
    .innerJoin(kbCategories, eq(kbCategories.id, kbArticles.categoryId))
    .where(
      and(
        eq(kbTranslations.language, language),
        visibleAndPublished(ctx.actor),
        sql`${kbTranslations.searchVector} @@ ${query}`,
      ),
    )
    .orderBy(desc(sql`ts_rank(${kbTranslations.searchVector}, ${query})`), desc(kbTranslations.views))
    .limit(input.limit);
  if (input.log) {
    await ctx.db.insert(kbSearches).values({
      query: foldText(input.q).trim().replace(/\s+/g, " ").slice(0, 200),
      language,
      source: input.source,
      results: rows.length,
      createdAt: ctx.now(),
    });
  }
  return {
    language,
    items: rows.map((r) => ({
      id: r.id,
      language,
      slug: r.slug,
      title: r.title,
      snippet: highlightSnippet(r.text, input.q, input.source === "suggest" ? 120 : 220),
      url: articleUrl(language, r.slug),
      category: { slug: r.categorySlug, name: nameIn(r.categoryNames, language, settings.defaultLanguage) },
    })),
  };
}

async function helpfulCounts(db: DbOrTx, articleId: string) {
  const [row] = await db
    .select({
      yes: sql<number>`count(*) filter (where ${kbFeedback.helpful})::int`,
      no: sql<number>`count(*) filter (where not ${kbFeedback.helpful})::int`,
    })
    .from(kbFeedback)
    .where(eq(kbFeedback.articleId, articleId));
  return { yes: row?.yes ?? 0, no: row?.no ?? 0 };
}

/** The translations of one article that the caller may read. */
async function publishedTranslations(ctx: Ctx, where: SQL) {
  return ctx.db
    .select({ t: kbTranslations, a: kbArticles })
    .from(kbTranslations)
    .innerJoin(kbArticles, eq(kbArticles.id, kbTranslations.articleId))
    .where(and(where, visibleAndPublished(ctx.actor)));
}

/**
 * An article by its slug in a language. A slug of another language's translation finds the
 * article too; when the language has no published translation, the default language's is
 * returned with `fallback: true`.
 */
export async function publicArticle(
  ctx: Ctx,
  slug: string,
  lang: string | undefined,
  opts: { countView: boolean } = { countView: true },
): Promise<TPublicArticle> {
  const { settings, language } = await languageOf(ctx, lang);
  let [hit] = await publishedTranslations(
    ctx,
    and(eq(kbTranslations.language, language), eq(kbTranslations.slug, slug)) as SQL,
  );
  let all = hit ? await publishedTranslations(ctx, eq(kbTranslations.articleId, hit.a.id)) : [];
  if (!hit) {
    const [any] = await publishedTranslations(ctx, eq(kbTranslations.slug, slug));
    if (!any) throw notFound("Article");
    all = await publishedTranslations(ctx, eq(kbTranslations.articleId, any.a.id));
    hit =
      all.find((r) => r.t.language === language) ??
      all.find((r) => r.t.language === settings.defaultLanguage) ??
      all.find((r) => r.t.language === r.a.sourceLanguage) ??
      any;
  }
  const { t, a } = hit;
  const [categories, related, helpful] = await Promise.all([
    categoryChain(ctx.db, a.categoryId),
    ctx.db
      .select({ id: kbTranslations.articleId, slug: kbTranslations.slug, title: kbTranslations.title })
      .from(kbTranslations)
      .innerJoin(kbArticles, eq(kbArticles.id, kbTranslations.articleId))
      .where(
        and(
          eq(kbArticles.categoryId, a.categoryId),
          eq(kbTranslations.language, t.language),
          visibleAndPublished(ctx.actor),
          sql`${kbArticles.id} <> ${a.id}`,
        ),
      )
      .orderBy(kbArticles.position, desc(kbTranslations.views))
      .limit(5),
    helpfulCounts(ctx.db, a.id),
  ]);
  if (opts.countView)
    await ctx.db
      .update(kbTranslations)
      .set({ views: sql`${kbTranslations.views} + 1` })
      .where(eq(kbTranslations.id, t.id));
  const leaf = categories.at(-1);
  return {
    id: a.id,
    language: t.language,
    requestedLanguage: language,
    fallback: t.language !== language,
    slug: t.slug,
    title: t.title,
    body: t.body,
    updatedAt: t.updatedAt.toISOString(),
    faq: leaf?.faq ?? false,
    breadcrumbs: categories.map((c) => ({
      slug: c.slug,
      name: nameIn(c.names, language, settings.defaultLanguage),
    })),
    translations: all.map((r) => ({ language: r.t.language, slug: r.t.slug })),
    related,
    helpful,
  };
}

/** A category and its parents, root first. */
export async function categoryChain(db: DbOrTx, id: string) {
  const chain: Array<typeof kbCategories.$inferSelect> = [];
  let next: string | null = id;
  while (next && chain.length < 5) {
    const [row] = await db.select().from(kbCategories).where(eq(kbCategories.id, next));
    if (!row) break;
    chain.unshift(row);
    next = row.parentId;
  }
  return chain;
}

/** "Was this helpful?": one vote per visitor per article; voting again replaces the vote. */
export async function recordFeedback(
  ctx: Ctx,
  articleId: string,
  visitorKey: string,
  input: { helpful: boolean; language?: string; comment?: string },
): Promise<{ yes: number; no: number }> {
  const { language } = await languageOf(ctx, input.language);
  const [visible] = await publishedTranslations(ctx, eq(kbTranslations.articleId, articleId));
  if (!visible) throw notFound("Article");
  const comment = input.comment ? htmlToText(input.comment).slice(0, 2000) || null : null;
  const values = { helpful: input.helpful, language, comment, updatedAt: ctx.now() };
  await ctx.db
    .insert(kbFeedback)
    .values({ articleId, visitorKey, createdAt: ctx.now(), ...values })
    .onConflictDoUpdate({ target: [kbFeedback.articleId, kbFeedback.visitorKey], set: values });
  return helpfulCounts(ctx.db, articleId);
}

// ---- The help centre's pages ---------------------------------------------------------------

export async function publicCategories(ctx: Ctx, language: string) {
  const rows = await ctx.db
    .select({
      c: kbCategories,
      n: sql<number>`(select count(*)::int from kb_articles a join kb_translations t on t.article_id = a.id
        where a.category_id = kb_categories.id and t.language = ${language} and t.status = 'published'
        and a.visibility in (${sql.join(
          visibilitiesFor(ctx.actor).map((v) => sql`${v}`),
          sql`, `,
        )}))`,
    })
    .from(kbCategories)
    .orderBy(kbCategories.position, kbCategories.createdAt);
  return rows.map((r) => ({ ...r.c, articleCount: r.n }));
}

/** The published articles of a category in a language (with bodies for FAQ pages). */
export async function publicCategoryArticles(ctx: Ctx, categoryId: string, language: string) {
  return ctx.db
    .select({
      id: kbArticles.id,
      slug: kbTranslations.slug,
      title: kbTranslations.title,
      body: kbTranslations.body,
    })
    .from(kbTranslations)
    .innerJoin(kbArticles, eq(kbArticles.id, kbTranslations.articleId))
    .where(
      and(
        eq(kbArticles.categoryId, categoryId),
        eq(kbTranslations.language, language),
        visibleAndPublished(ctx.actor),
      ),
    )
    .orderBy(kbArticles.position, kbTranslations.title)
    .limit(500);
}

/** Every published public translation, for sitemap.xml. */
export async function sitemapEntries(ctx: Ctx) {
  return ctx.db
    .select({
      articleId: kbTranslations.articleId,
      language: kbTranslations.language,
      slug: kbTranslations.slug,
      updatedAt: kbTranslations.updatedAt,
    })
    .from(kbTranslations)
    .innerJoin(kbArticles, eq(kbArticles.id, kbTranslations.articleId))
    .where(and(eq(kbTranslations.status, "published"), eq(kbArticles.visibility, "public")))
    .orderBy(kbTranslations.articleId, kbTranslations.language)
    .limit(50_000);
}

// ---- Editors' figures ----------------------------------------------------------------------

export async function kbStats(ctx: Ctx, input: { days: number; language?: string }) {
  requireCan(ctx.actor, "kb.stats");
  const since = new Date(ctx.now().getTime() - input.days * 86_400_000);
  const lang = input.language;
  const searchWhere = and(
    gte(kbSearches.createdAt, since),
    lang ? eq(kbSearches.language, lang) : undefined,
    inArray(kbSearches.source, ["search", "agent"]),
  );
  const [articles, topSearches, contentGaps, byLanguage] = await Promise.all([
    ctx.db
      .select({
        id: kbTranslations.articleId,
        language: kbTranslations.language,
        title: kbTranslations.title,
        views: kbTranslations.views,
        yes: sql<number>`(select count(*)::int from kb_feedback f where f.article_id = kb_translations.article_id and f.language = kb_translations.language and f.helpful)`,
        no: sql<number>`(select count(*)::int from kb_feedback f where f.article_id = kb_translations.article_id and f.language = kb_translations.language and not f.helpful)`,
      })
      .from(kbTranslations)
      .where(
        and(eq(kbTranslations.status, "published"), lang ? eq(kbTranslations.language, lang) : undefined),
      )
      .orderBy(desc(kbTranslations.views))
      .limit(50),
    ctx.db
      .select({
        query: kbSearches.query,
        language: kbSearches.language,
        count: sql<number>`count(*)::int`,
        results: sql<number>`avg(${kbSearches.results})::float8`,
      })
      .from(kbSearches)
      .where(searchWhere)
      .groupBy(kbSearches.query, kbSearches.language)
      .orderBy(desc(sql`count(*)`))
      .limit(50),
    ctx.db
      .select({ query: kbSearches.query, language: kbSearches.language, count: sql<number>`count(*)::int` })
      .from(kbSearches)
      .where(and(searchWhere, eq(kbSearches.results, 0)))
      .groupBy(kbSearches.query, kbSearches.language)
      .orderBy(desc(sql`count(*)`))
      .limit(50),
    ctx.db.execute(sql`
      select l.language,
        (select count(*)::int from kb_translations t where t.language = l.language and t.status = 'published') as published,
        (select coalesce(sum(t.views), 0)::int from kb_translations t where t.language = l.language) as views,
        (select count(*)::int from kb_feedback f where f.language = l.language and f.helpful) as yes,
        (select count(*)::int from kb_feedback f where f.language = l.language and not f.helpful) as no,
        (select count(*)::int from kb_searches s where s.language = l.language and s.created_at >= ${since.toISOString()}::timestamptz and s.source <> 'suggest') as searches,
        (select count(*)::int from kb_searches s where s.language = l.language and s.created_at >= ${since.toISOString()}::timestamptz and s.source <> 'suggest' and s.results = 0) as gaps
      from unnest(array[${sql.join(
        (await readKbSettings(ctx.db)).languages.map((l) => sql`${l}`),
        sql`, `,
      )}]::text[]) as l(language)`),
  ]);
  const langRows = (byLanguage as unknown as { rows: Array<Record<string, unknown>> }).rows;
  return {
    since: since.toISOString(),
    articles,
    topSearches,
    contentGaps,
    byLanguage: langRows
      .filter((r) => !lang || r.language === lang)
      .map((r) => ({
        language: String(r.language),
        published: Number(r.published),
        views: Number(r.views),
        yes: Number(r.yes),
        no: Number(r.no),
        searches: Number(r.searches),
        gaps: Number(r.gaps),
      })),
  };
}
