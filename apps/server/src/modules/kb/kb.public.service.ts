import { foldText } from "@rapport/shared";
import { and, desc, eq, gte, inArray, type SQL, sql } from "drizzle-orm";
import type { Actor } from "../../auth/actor.ts";
import { requireCan } from "../../auth/policies.ts";
import { type Ctx, type Services, withActor } from "../../context.ts";
import type { DbOrTx } from "../../db/client.ts";
import { notFound } from "../../lib/errors.ts";
import { htmlToText } from "../../lib/html.ts";
import { highlightSnippet, tsqueryLiteral, tsqueryWords } from "../../lib/search.ts";
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
  known?: TKbSettings,
): Promise<{ settings: TKbSettings; language: string }> {
  const settings = known ?? (await readKbSettings(ctx.db));
  return { settings, language: requireLanguage(settings, lang ?? settings.defaultLanguage) };
}

type Rows<T> = { rows: T[] };
const visibleIn = (actor: Actor) =>
  sql.join(
    visibilitiesFor(actor).map((v) => sql`${v}`),
    sql`, `,
  );

/**
 * At most this many matching translations are ranked per query. A word found in thousands of
 * articles would otherwise rank (and read the search vector of) every one of them; past this
 * bound the most read candidates are ranked (docs/knowledge-base.md, bench/RESULTS.md).
 */
export const KB_SEARCH_CANDIDATES = 400;

/**
 * Ranked search over one language's published articles, with highlighted snippets: one
 * statement ranks a bounded candidate set, reads the short excerpt of the hits only, and logs
 * the query (`log`: top searches; zero results are content gaps).
 */
export async function searchArticles(
  ctx: Ctx,
  input: {
    q: string;
    lang?: string;
    limit: number;
    source: "search" | "suggest" | "agent";
    log: boolean;
    /** `any`: articles matching any word, best first (a request's whole text); default every word. */
    match?: "all" | "any";
  },
  known?: TKbSettings,
): Promise<{ language: string; items: TPublicHit[] }> {
  const { settings, language } = await languageOf(ctx, input.lang, known);
  const tsq = tsqueryLiteral(input.q, input.match);
  if (!tsq) return { language, items: [] };
  const query = sql`${tsq}::tsquery`;
  const logged = foldText(input.q).trim().replace(/\s+/g, " ").slice(0, 200);
  const top =
    input.match === "any"
      ? anyWordTop(ctx, language, input)
      : // One word: the literal has no " & " (lexemes are quoted and hold no spaces).
        allWordsTop(ctx, language, query, input.limit, !tsq.includes(" & "));
  const res = (await ctx.db.execute(sql`
    with ${top}${
      input.log
        ? sql`, logged as (
      insert into kb_searches (query, language, source, results, created_at)
      select ${logged}, ${language}, ${input.source}, count(*)::int, ${ctx.now().toISOString()}::timestamptz from top)`
        : sql``
    }
    select t.article_id as id, t.slug, t.title, t.excerpt, c.slug as category_slug, c.names as category_names
    from top join kb_translations t on t.id = top.id
      join kb_articles a on a.id = t.article_id join kb_categories c on c.id = a.category_id
    order by ${input.match === "any" ? sql`top.score desc, ` : sql``}top.rank desc, top.views desc`)) as unknown as Rows<{
    id: string;
    slug: string;
    title: string;
    excerpt: string;
    category_slug: string;
    category_names: KbNames;
  }>;
  return {
    language,
    items: res.rows.map((r) => ({
      id: r.id,
      language,
      slug: r.slug,
      title: r.title,
      snippet: highlightSnippet(r.excerpt, input.q, input.source === "suggest" ? 120 : 220),
      url: articleUrl(language, r.slug),
      category: { slug: r.category_slug, name: nameIn(r.category_names, language, settings.defaultLanguage) },
    })),
  };
}

/**
 * Every word must match: rank a bounded candidate set (`top`: id, rank, views). One word: the
 * most read candidates (the `(language, views)` index walks them in that order and stops at the
 * bound; a word's frequency is in the statistics, so the planner picks that walk for a common
 * word and the search index for a rare one). Several words: the first candidates the search
 * index gives, unordered, since the planner estimates words that go together as rare (their
 * frequencies multiplied) and would sort every match to order them (bench/RESULTS.md).
 */
const allWordsTop = (
  ctx: Ctx,
  language: string,
  query: SQL,
  limit: number,
  oneWord: boolean,
) => sql`candidates as (
      select t.id, t.search_vector, t.views
      from kb_translations t join kb_articles a on a.id = t.article_id
      where t.language = ${language} and t.status = 'published' and t.search_vector @@ ${query}
        and a.visibility in (${visibleIn(ctx.actor)})
      ${oneWord ? sql`order by t.views desc nulls last` : sql``}
      limit ${KB_SEARCH_CANDIDATES}
    ), top as (
      select id, ts_rank(search_vector, ${query}) as rank, views from candidates
      order by rank desc, views desc limit ${limit}
    )`;

/**
 * Any word may match (a sentence: "my parcel never arrived, can you help?"). A pool of
 * candidates is taken per word (KB_SEARCH_CANDIDATES shared between the words, at least 50
 * each: a rare word's whole list, a common word's first ones); each candidate scores the sum,
 * over the query's words it contains, of ln(1 + pool / matches in the pool): an inverse document
 * frequency, so "parcel" outweighs "you" and "it", which most articles contain. Ties go to
 * `ts_rank` (title words weigh more), then views.
 *
 * Each word's pool is its own sub-select with the word as a bound value (not a column of a
 * `words` list joined laterally): the planner then knows how common the word is and stops after
 * `perWord` rows (most read first); with the word unknown at planning time it guessed "rare",
 * hashed the word's whole list and read every matching translation (bench/RESULTS.md).
 */
function anyWordTop(ctx: Ctx, language: string, input: { q: string; limit: number }) {
  const words = tsqueryWords(input.q);
  const perWord = Math.max(50, Math.floor(KB_SEARCH_CANDIDATES / Math.max(1, words.length)));
  const anyQuery = sql`${words.join(" | ")}::tsquery`;
  const perWordPools = words.map(
    (w) => sql`(select t.id from kb_translations t join kb_articles a on a.id = t.article_id
        where t.language = ${language} and t.status = 'published' and t.search_vector @@ ${w}::tsquery
          and a.visibility in (${visibleIn(ctx.actor)})
        order by t.views desc nulls last
        limit ${perWord})`,
  );
  return sql`words as (
      select w.q::tsquery as q, w.i from unnest(array[${sql.join(
        words.map((w) => sql`${w}`),
        sql`, `,
      )}]::text[]) with ordinality as w(q, i)
    ), pool as (
      select distinct id from (${sql.join(perWordPools, sql` union all `)}) c
    ), hits as (
      select p.id, w.i from pool p join kb_translations t on t.id = p.id join words w on t.search_vector @@ w.q
    ), df as (
      select i, count(*)::float8 as n from hits group by i
    ), scored as (
      select h.id, sum(ln(1 + (select count(*) from pool) / df.n)) as score
      from hits h join df on df.i = h.i group by h.id
    ), top as (
      select s.id, s.score, ts_rank(t.search_vector, ${anyQuery}) as rank, t.views
      from scored s join kb_translations t on t.id = s.id
      order by s.score desc, rank desc, t.views desc limit ${input.limit}
    )`;
}

/**
 * Up to `limit` public articles for a new request's text (its subject and first message), in
 * the request's language when the help centre is written in it, else the default language; for
 * the acknowledgement email. Only public articles: the email's reader may not be signed in.
 */
export async function articlesForRequest(
  services: Services,
  text: string,
  language: string | null,
  limit = 3,
): Promise<{ language: string; items: Array<{ title: string; url: string }> }> {
  const ctx = withActor(services, { kind: "anonymous" });
  const settings = await readKbSettings(ctx.db);
  const lang = language && settings.languages.includes(language) ? language : settings.defaultLanguage;
  const found = await searchArticles(
    ctx,
    { q: text.slice(0, 2000), lang, limit, source: "suggest", log: false, match: "any" },
    settings,
  );
  const base = services.config.publicUrl.replace(/\/$/, "");
  return {
    language: found.language,
    items: found.items.map((h) => ({ title: h.title, url: `${base}${h.url}` })),
  };
}

/** The most read published public articles of a language (the help centre's home, the widget's help tab). */
export async function popularArticles(
  ctx: Ctx,
  lang: string | undefined,
  limit: number,
  known?: TKbSettings,
) {
  const { language } = await languageOf(ctx, lang, known);
  const rows = await ctx.db
    .select({ id: kbTranslations.articleId, slug: kbTranslations.slug, title: kbTranslations.title })
    .from(kbTranslations)
    .innerJoin(kbArticles, eq(kbArticles.id, kbTranslations.articleId))
    .where(
      and(
        eq(kbTranslations.language, language),
        eq(kbTranslations.status, "published"),
        eq(kbArticles.visibility, "public"),
      ),
    )
    .orderBy(desc(kbTranslations.views), kbTranslations.title)
    .limit(limit);
  return { language, items: rows.map((r) => ({ ...r, language, url: articleUrl(language, r.slug) })) };
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

type ArticleRow = {
  id: string;
  article_id: string;
  language: string;
  slug: string;
  title: string;
  body: string;
  updated_at: Date | string;
  translations: Array<{ language: string; slug: string }> | null;
  crumbs: Array<{ slug: string; names: KbNames; faq: boolean }> | null;
  related: Array<{ id: string; slug: string; title: string }> | null;
  yes: number;
  no: number;
};

/**
 * An article by its slug in a language, in one statement (with its other translations,
 * breadcrumbs, related articles, helpful counts and the view count). A slug of another
 * language's translation finds the article too; when the language has no published
 * translation, the default language's (else the source language's) is returned with
 * `fallback: true`.
 */
export async function publicArticle(
  ctx: Ctx,
  slug: string,
  lang: string | undefined,
  opts: { countView: boolean } = { countView: true },
  known?: TKbSettings,
): Promise<TPublicArticle> {
  const { settings, language } = await languageOf(ctx, lang, known);
  const visible = visibleIn(ctx.actor);
  const res = (await ctx.db.execute(sql`
    with named as (
      select t.article_id from kb_translations t join kb_articles a on a.id = t.article_id
      where t.slug = ${slug} and t.status = 'published' and a.visibility in (${visible})
      order by (t.language = ${language}) desc limit 1
    ), hit as (
      select t.id, t.article_id, t.language, t.slug, t.title, t.body, t.updated_at, a.category_id
      from kb_translations t join kb_articles a on a.id = t.article_id
      where t.article_id = (select article_id from named) and t.status = 'published'
      order by (t.language = ${language}) desc, (t.language = ${settings.defaultLanguage}) desc,
        (t.language = a.source_language) desc, t.language
      limit 1
    )${
      opts.countView
        ? sql`, viewed as (update kb_translations set views = views + 1 where id = (select id from hit))`
        : sql``
    }
    select hit.id, hit.article_id, hit.language, hit.slug, hit.title, hit.body, hit.updated_at,
      (select json_agg(json_build_object('language', x.language, 'slug', x.slug) order by x.language)
        from kb_translations x where x.article_id = hit.article_id and x.status = 'published') as translations,
      (with recursive chain as (
          select c.id, c.parent_id, c.slug, c.names, c.faq, 0 as depth from kb_categories c where c.id = hit.category_id
          union all
          select c.id, c.parent_id, c.slug, c.names, c.faq, chain.depth + 1
          from kb_categories c join chain on c.id = chain.parent_id where chain.depth < 4)
        select json_agg(json_build_object('slug', slug, 'names', names, 'faq', faq) order by depth desc) from chain) as crumbs,
      (select json_agg(r) from (
          select x.article_id as id, x.slug, x.title from kb_articles y
          join kb_translations x on x.article_id = y.id and x.language = hit.language and x.status = 'published'
          where y.category_id = hit.category_id and y.id <> hit.article_id and y.visibility in (${visible})
          order by y.position, x.views desc limit 5) r) as related,
      (select count(*) filter (where f.helpful)::int from kb_feedback f where f.article_id = hit.article_id) as yes,
      (select count(*) filter (where not f.helpful)::int from kb_feedback f where f.article_id = hit.article_id) as no
    from hit`)) as unknown as Rows<ArticleRow>;
  const t = res.rows[0];
  if (!t) throw notFound("Article");
  const crumbs = t.crumbs ?? [];
  return {
    id: t.article_id,
    language: t.language,
    requestedLanguage: language,
    fallback: t.language !== language,
    slug: t.slug,
    title: t.title,
    body: t.body,
    updatedAt: new Date(t.updated_at).toISOString(),
    faq: crumbs.at(-1)?.faq ?? false,
    breadcrumbs: crumbs.map((c) => ({
      slug: c.slug,
      name: nameIn(c.names, language, settings.defaultLanguage),
    })),
    translations: t.translations ?? [],
    related: t.related ?? [],
    helpful: { yes: Number(t.yes), no: Number(t.no) },
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
