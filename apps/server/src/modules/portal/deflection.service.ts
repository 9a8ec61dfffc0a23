import { and, eq, gte, inArray, isNull, lte, or, sql } from "drizzle-orm";
import { z } from "zod";
import type { Actor } from "../../auth/actor.ts";
import { requireCan } from "../../auth/policies.ts";
import type { Ctx } from "../../context.ts";
import type { DbOrTx } from "../../db/client.ts";
import { notFound } from "../../lib/errors.ts";
import { articleUrl, visibilitiesFor } from "../kb/kb.public.service.ts";
import { kbArticles, kbTranslations } from "../kb/kb.table.ts";
import { asStaff, loadVisibleTicket } from "../tickets/tickets.service.ts";
import { kbDeflections } from "./portal.table.ts";

/**
 * Deflection, measured as docs/portal.md says: an article suggested before a request, opened,
 * and followed by no request from the same customer (suggestion session or contact) within
 * 24 hours is a deflection; a request created after it was opened is not. Tickets solved by an
 * agent's link to an article count for the article only when not reopened within 7 days.
 */
export const DEFLECTION_WINDOW_MS = 24 * 3600_000;
export const REOPEN_WINDOW_MS = 7 * 24 * 3600_000;
export const DEFLECTION_SOURCES = ["form", "widget", "portal"] as const;

export const ZSid = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, "8-64 letters, digits, - or _");

export const ZDeflectionEvent = z.strictObject({
  sid: ZSid,
  source: z.enum(DEFLECTION_SOURCES),
  /**
   * shown: `articleIds` were listed; opened: the one article in `articleIds` was read inside the
   * widget (what GET /public/deflection/open records for a link); requested: the visitor went on
   * to ask (the widget's first chat message).
   */
  event: z.enum(["shown", "opened", "requested"]),
  language: z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/),
  articleIds: z.array(z.uuid()).max(5).default([]),
});

/** Suggestions were listed to a visitor (once per session and article: the first time counts). */
export async function recordShown(
  ctx: Ctx,
  input: { sid: string; source: string; language: string; articleIds: string[]; contactId?: string | null },
) {
  if (input.articleIds.length === 0) return 0;
  // Only published articles the caller may see count (no made-up ids in the statistics).
  const real = await ctx.db
    .select({ id: kbArticles.id })
    .from(kbArticles)
    .innerJoin(kbTranslations, eq(kbTranslations.articleId, kbArticles.id))
    .where(
      and(
        inArray(kbArticles.id, [...new Set(input.articleIds)]),
        eq(kbTranslations.status, "published"),
        inArray(kbArticles.visibility, visibilitiesFor(ctx.actor)),
      ),
    );
  const ids = [...new Set(real.map((r) => r.id))];
  if (ids.length === 0) return 0;
  await ctx.db
    .insert(kbDeflections)
    .values(
      ids.map((articleId) => ({
        sid: input.sid,
        articleId,
        language: input.language,
        source: input.source,
        contactId: input.contactId ?? null,
        shownAt: ctx.now(),
      })),
    )
    .onConflictDoNothing();
  return ids.length;
}

/** The visitor went on to ask for help (the widget's first message): the session's suggestions did not deflect. */
export async function recordRequested(ctx: Ctx, sid: string) {
  await ctx.db
    .update(kbDeflections)
    .set({ requestedAt: ctx.now() })
    .where(and(eq(kbDeflections.sid, sid), isNull(kbDeflections.requestedAt)));
}

/**
 * A suggestion opened: records it and returns where the article is (its published translation
 * in `language`, else any published one the caller may read).
 */
export async function openSuggestion(
  ctx: Ctx,
  input: { sid: string | undefined; articleId: string; language: string },
): Promise<string> {
  const rows = await ctx.db
    .select({ language: kbTranslations.language, slug: kbTranslations.slug })
    .from(kbTranslations)
    .innerJoin(kbArticles, eq(kbArticles.id, kbTranslations.articleId))
    .where(
      and(
        eq(kbTranslations.articleId, input.articleId),
        eq(kbTranslations.status, "published"),
        inArray(kbArticles.visibility, visibilitiesFor(ctx.actor)),
      ),
    );
  const target = rows.find((r) => r.language === input.language) ?? rows[0];
  if (!target) throw notFound("Article");
  if (input.sid)
    await ctx.db
      .update(kbDeflections)
      .set({ openedAt: sql`coalesce(${kbDeflections.openedAt}, ${ctx.now().toISOString()}::timestamptz)` })
      .where(and(eq(kbDeflections.sid, input.sid), eq(kbDeflections.articleId, input.articleId)));
  return articleUrl(target.language, target.slug);
}

/**
 * A request was created (inside its transaction): every suggestion shown in the last 24 hours
 * to the same session or the same customer is marked as followed by a request.
 */
export async function linkDeflections(
  tx: DbOrTx,
  input: { sid: string | null; contactId: string; ticketId: string; at: Date },
) {
  const since = new Date(input.at.getTime() - DEFLECTION_WINDOW_MS);
  const who = input.sid
    ? or(eq(kbDeflections.sid, input.sid), eq(kbDeflections.contactId, input.contactId))
    : eq(kbDeflections.contactId, input.contactId);
  await tx
    .update(kbDeflections)
    .set({
      ticketId: input.ticketId,
      requestedAt: input.at,
      contactId: sql`coalesce(${kbDeflections.contactId}, ${input.contactId}::uuid)`,
    })
    .where(
      and(
        who,
        isNull(kbDeflections.requestedAt),
        gte(kbDeflections.shownAt, since),
        lte(kbDeflections.shownAt, input.at),
      ),
    );
}

export const ZSeenArticle = z.object({
  articleId: z.uuid(),
  language: z.string(),
  /** The translation's title now (the article may have been renamed or unpublished since). */
  title: z.string(),
  /** The article on /help, or null when that translation is no longer published. */
  url: z.string().nullable(),
  source: z.enum(DEFLECTION_SOURCES),
  shownAt: z.iso.datetime(),
  openedAt: z.iso.datetime().nullable(),
});

export const ZSeenArticles = z.object({ items: z.array(ZSeenArticle) });

/**
 * The articles suggested to the customer before this ticket (the suggestion sessions linked to
 * it when it was created), for agents who may see the ticket; another team's ticket is a 404.
 */
export async function articlesSeenBefore(
  ctx: Ctx,
  ticketId: string,
): Promise<Array<z.infer<typeof ZSeenArticle>>> {
  await loadVisibleTicket(ctx.db, asStaff(ctx.actor), ticketId);
  const rows = await ctx.db
    .select({
      articleId: kbDeflections.articleId,
      language: kbDeflections.language,
      source: kbDeflections.source,
      shownAt: kbDeflections.shownAt,
      openedAt: kbDeflections.openedAt,
      title: kbTranslations.title,
      slug: kbTranslations.slug,
      status: kbTranslations.status,
    })
    .from(kbDeflections)
    .leftJoin(
      kbTranslations,
      and(
        eq(kbTranslations.articleId, kbDeflections.articleId),
        eq(kbTranslations.language, kbDeflections.language),
      ),
    )
    .where(eq(kbDeflections.ticketId, ticketId))
    .orderBy(sql`${kbDeflections.openedAt} is null`, kbDeflections.shownAt)
    .limit(50);
  return rows.map((r) => ({
    articleId: r.articleId,
    language: r.language,
    title: r.title ?? "",
    url: r.slug && r.status === "published" ? articleUrl(r.language, r.slug) : null,
    source: r.source as (typeof DEFLECTION_SOURCES)[number],
    shownAt: r.shownAt.toISOString(),
    openedAt: r.openedAt?.toISOString() ?? null,
  }));
}

export const ZDeflectionQuery = z.strictObject({
  days: z.coerce.number().int().min(1).max(365).default(30),
  language: z.string().max(12).optional(),
});

export type TDeflectionRow = {
  articleId: string;
  language: string;
  title: string;
  shown: number;
  opened: number;
  deflected: number;
  notDeflected: number;
  pending: number;
  rate: number | null;
  solvedByLink: number;
  solvedByLinkReopened: number;
};

/**
 * The editors' figures per article and language over the last `days`: shown, opened,
 * deflected (opened, no request within 24 h), not deflected (a request after opening), pending
 * (opened less than 24 h ago), the rate deflected / (deflected + not deflected), and tickets
 * solved after an agent's link to the article, without those reopened within 7 days.
 */
export async function deflectionStats(ctx: Ctx, q: z.infer<typeof ZDeflectionQuery>) {
  requireCan(ctx.actor as Actor, "kb.stats");
  const now = ctx.now();
  const since = new Date(now.getTime() - q.days * 86400_000);
  const cutoff = new Date(now.getTime() - DEFLECTION_WINDOW_MS).toISOString();
  const lang = q.language ? sql`and d.language = ${q.language}` : sql``;
  const res = await ctx.db.execute(sql`
    with d as (
      select d.article_id, d.language,
        count(*)::int as shown,
        count(d.opened_at)::int as opened,
        count(*) filter (where d.opened_at is not null and (d.requested_at is null or d.requested_at > d.opened_at + interval '24 hours') and d.opened_at <= ${cutoff}::timestamptz)::int as deflected,
        count(*) filter (where d.opened_at is not null and d.requested_at is not null and d.requested_at >= d.opened_at and d.requested_at <= d.opened_at + interval '24 hours')::int as not_deflected,
        count(*) filter (where d.opened_at is not null and d.requested_at is null and d.opened_at > ${cutoff}::timestamptz)::int as pending
      from kb_deflections d
      where d.shown_at >= ${since.toISOString()}::timestamptz ${lang}
      group by d.article_id, d.language
    )
    select d.*, coalesce(t.title, '') as title
    from d left join kb_translations t on t.article_id = d.article_id and t.language = d.language
    order by d.shown desc, d.article_id
    limit 500`);
  const rows = (res as unknown as { rows: Array<Record<string, unknown>> }).rows;
  const solved = await solvedByLinks(ctx, since, q.language);
  const out: TDeflectionRow[] = rows.map((r) => {
    const deflected = Number(r.deflected);
    const notDeflected = Number(r.not_deflected);
    const s = solved.get(`${r.article_id}|${r.language}`);
    return {
      articleId: String(r.article_id),
      language: String(r.language),
      title: String(r.title),
      shown: Number(r.shown),
      opened: Number(r.opened),
      deflected,
      notDeflected,
      pending: Number(r.pending),
      rate: deflected + notDeflected > 0 ? deflected / (deflected + notDeflected) : null,
      solvedByLink: s?.solved ?? 0,
      solvedByLinkReopened: s?.reopened ?? 0,
    };
  });
  for (const [key, s] of solved) {
    if (out.some((o) => `${o.articleId}|${o.language}` === key)) continue;
    const [articleId = "", language = ""] = key.split("|");
    out.push({
      articleId,
      language,
      title: s.title,
      shown: 0,
      opened: 0,
      deflected: 0,
      notDeflected: 0,
      pending: 0,
      rate: null,
      solvedByLink: s.solved,
      solvedByLinkReopened: s.reopened,
    });
  }
  const totals = out.reduce(
    (a, o) => ({
      shown: a.shown + o.shown,
      opened: a.opened + o.opened,
      deflected: a.deflected + o.deflected,
      notDeflected: a.notDeflected + o.notDeflected,
    }),
    { shown: 0, opened: 0, deflected: 0, notDeflected: 0 },
  );
  return {
    since: since.toISOString(),
    totals: {
      ...totals,
      rate:
        totals.deflected + totals.notDeflected > 0
          ? totals.deflected / (totals.deflected + totals.notDeflected)
          : null,
    },
    items: out,
  };
}

/**
 * Tickets solved after an agent's public reply linking an article (its help-centre URL): solved
 * counts those not reopened within 7 days of being solved; reopened counts the others.
 */
async function solvedByLinks(ctx: Ctx, since: Date, language: string | undefined) {
  const lang = language ? sql`and tr.language = ${language}` : sql``;
  const res = await ctx.db.execute(sql`
    select tr.article_id, tr.language, min(tr.title) as title,
      count(distinct s.id) filter (where not s.reopened)::int as solved,
      count(distinct s.id) filter (where s.reopened)::int as reopened
    from kb_translations tr
    join messages m on m.author_type = 'agent' and not m.internal
      and m.created_at >= ${since.toISOString()}::timestamptz
      and strpos(m.body_html, '/help/' || tr.language || '/articles/' || tr.slug) > 0
    join lateral (
      select e.id, exists (
        select 1 from ticket_events r where r.ticket_id = e.ticket_id and r.type = 'status.changed'
          and r.data->>'from' in ('solved', 'closed') and r.data->>'to' not in ('solved', 'closed')
          and r.created_at > e.created_at and r.created_at <= e.created_at + interval '7 days'
      ) as reopened
      from ticket_events e
      where e.ticket_id = m.ticket_id and e.type = 'status.changed' and e.data->>'to' = 'solved'
        and e.created_at >= m.created_at
      order by e.created_at limit 1
    ) s on true
    where tr.status = 'published' ${lang}
    group by tr.article_id, tr.language`);
  const rows = (res as unknown as { rows: Array<Record<string, unknown>> }).rows;
  return new Map(
    rows.map((r) => [
      `${r.article_id}|${r.language}`,
      { title: String(r.title), solved: Number(r.solved), reopened: Number(r.reopened) },
    ]),
  );
}
