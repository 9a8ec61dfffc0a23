import { foldText, type ToneCategory, tokenizeWithOffsets } from "@rapport/shared";
import { and, asc, eq, gt, gte, isNull, lte, or, type SQL, sql } from "drizzle-orm";
import { requireCan } from "../../auth/policies.ts";
import type { Ctx } from "../../context.ts";
import type { Database, DbOrTx } from "../../db/client.ts";
import { writeLater } from "../../db/deferred.ts";
import { decodeCursor, encodeCursor } from "../../lib/cursor.ts";
import { badRequest, notFound } from "../../lib/errors.ts";
import { teams } from "../teams/teams.table.ts";
import type { AddedMessage } from "../tickets/pipeline.ts";
import type { Uow } from "../tickets/unit-of-work.ts";
import { SHIPPED_RULES } from "./rules/index.ts";
import { type Compiled, compile, findTone, type MatchRule } from "./tone.match.ts";
import type {
  TCreateToneRule,
  TToneCheck,
  TToneFinding,
  TToneReport,
  TToneRule,
  TUpdateToneRule,
} from "./tone.schema.ts";
import { toneFlags, toneRules } from "./tone.table.ts";

type Row = typeof toneRules.$inferSelect;

// ---- the compiled rules, per database and language ---------------------------------------

/**
 * Compiled rules are cached per process and database. A change made here drops the cache at
 * once; another server process sees it within CACHE_MS (its cache expires), which keeps the
 * check free of a database round trip.
 */
const CACHE_MS = 30_000;
type Cache = { at: number; byLang: Map<string, Compiled> };
const caches = new WeakMap<Database, Cache>();
/** A language without rules. */
const NO_RULES = compile([]);
const seeded = new WeakSet<Database>();

/** Writes the shipped rules once (a rule an admin changed or deleted keeps its row). */
async function seedShipped(db: DbOrTx) {
  const rows = Object.entries(SHIPPED_RULES).flatMap(([lang, rules]) =>
    rules.map((r) => ({
      key: r.key,
      lang,
      pattern: r.pattern,
      category: r.category,
      suggestions: r.suggestions,
    })),
  );
  await db.insert(toneRules).values(rows).onConflictDoNothing({ target: toneRules.key });
}

async function rulesFor(ctx: Ctx, lang: string): Promise<Compiled> {
  // Seeding commits on its own, never inside a ticket's transaction (a rolled-back seed would
  // leave the cache with rules that do not exist); until then a reply sees the rules there are.
  if (!seeded.has(ctx.database) && ctx.db === ctx.database.db) {
    await seedShipped(ctx.db);
    seeded.add(ctx.database);
    caches.delete(ctx.database);
  }
  const now = Date.now();
  let cache = caches.get(ctx.database);
  if (!cache || now - cache.at > CACHE_MS) {
    const rows = await ctx.db
      .select()
      .from(toneRules)
      .where(and(eq(toneRules.enabled, true), isNull(toneRules.deletedAt)));
    const byLangRules = new Map<string, MatchRule[]>();
    for (const r of rows) {
      const list = byLangRules.get(r.lang) ?? [];
      list.push({
        id: r.id,
        lang: r.lang,
        pattern: r.pattern,
        category: r.category,
        suggestions: r.suggestions,
      });
      byLangRules.set(r.lang, list);
    }
    cache = { at: now, byLang: new Map([...byLangRules].map(([l, rs]) => [l, compile(rs)])) };
    caches.set(ctx.database, cache);
  }
  return cache.byLang.get(lang) ?? NO_RULES;
}

const dropCache = (ctx: Ctx) => caches.delete(ctx.database);

/** The language whose rules apply: "vi-VN" -> "vi". */
const baseLang = (lang: string | null | undefined) => (lang ?? "en").toLowerCase().split("-")[0] ?? "en";

function toFindings(found: ReturnType<typeof findTone>): TToneFinding[] {
  return found.map((f) => ({
    start: f.start,
    end: f.end,
    text: f.text,
    category: f.category as ToneCategory,
    suggestions: f.suggestions,
    ruleId: f.ruleId,
  }));
}

/** POST /tone/check: the phrases of `text` that the rules of `lang` flag. */
export async function checkTone(ctx: Ctx, input: TToneCheck): Promise<{ findings: TToneFinding[] }> {
  requireCan(ctx.actor, "tone.check");
  return { findings: toFindings(findTone(await rulesFor(ctx, baseLang(input.lang)), input.text)) };
}

/** The findings of several texts by language (macros are checked when saved). */
export async function toneOfTexts(
  ctx: Ctx,
  bodies: Record<string, string>,
): Promise<Record<string, TToneFinding[]>> {
  const out: Record<string, TToneFinding[]> = {};
  for (const [lang, text] of Object.entries(bodies)) {
    const found = findTone(await rulesFor(ctx, baseLang(lang)), text);
    if (found.length) out[lang] = toFindings(found);
  }
  return out;
}

// ---- the rules API ----------------------------------------------------------------------

function toRule(r: Row): TToneRule {
  return {
    id: r.id,
    key: r.key,
    lang: r.lang,
    pattern: r.pattern,
    category: r.category as ToneCategory,
    suggestions: r.suggestions,
    enabled: r.enabled,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

/** Every variant must have words once folded ("|||" or "!!!" would match nothing). */
function checkPattern(pattern: string): string {
  const variants = pattern
    .split("|")
    .map((v) => v.trim().replace(/\s+/g, " "))
    .filter(Boolean);
  if (variants.length === 0) throw badRequest("The pattern has no phrase", { field: "pattern" });
  for (const v of variants) {
    const words = tokenizeWithOffsets(v);
    if (words.length === 0) throw badRequest(`"${v.slice(0, 50)}" has no words`, { field: "pattern" });
    if (words.length > 20) throw badRequest("A phrase has at most 20 words", { field: "pattern" });
  }
  return variants.join("|");
}

export async function listToneRules(
  ctx: Ctx,
  q: { lang?: string; category?: string; cursor?: string; limit: number },
): Promise<{ items: TToneRule[]; nextCursor: string | null }> {
  requireCan(ctx.actor, "tone.check");
  await rulesFor(ctx, "en"); // the shipped rules exist before the first listing
  let after: SQL | undefined;
  if (q.cursor) {
    const [at, id] = decodeCursor(q.cursor, 2);
    if (typeof at !== "string" || typeof id !== "string" || Number.isNaN(Date.parse(at)))
      throw badRequest("Invalid cursor");
    after = or(
      gt(toneRules.createdAt, new Date(at)),
      and(eq(toneRules.createdAt, new Date(at)), sql`${toneRules.id} > ${id}::uuid`),
    );
  }
  const rows = await ctx.db
    .select()
    .from(toneRules)
    .where(
      and(
        isNull(toneRules.deletedAt),
        q.lang ? eq(toneRules.lang, q.lang) : undefined,
        q.category ? eq(toneRules.category, q.category) : undefined,
        after,
      ),
    )
    .orderBy(asc(toneRules.createdAt), asc(toneRules.id))
    .limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  return {
    items: page.map(toRule),
    nextCursor: rows.length > q.limit && last ? encodeCursor([last.createdAt.toISOString(), last.id]) : null,
  };
}

export async function createToneRule(ctx: Ctx, input: TCreateToneRule): Promise<TToneRule> {
  const me = requireCan(ctx.actor, "tone.manage");
  const [row] = await ctx.db
    .insert(toneRules)
    .values({
      lang: input.lang,
      pattern: checkPattern(input.pattern),
      category: input.category,
      suggestions: input.suggestions,
      enabled: input.enabled,
      createdById: me.userId,
    })
    .returning();
  if (!row) throw new Error("insert returned nothing");
  dropCache(ctx);
  return toRule(row);
}

export async function updateToneRule(ctx: Ctx, id: string, input: TUpdateToneRule): Promise<TToneRule> {
  requireCan(ctx.actor, "tone.manage");
  const [row] = await ctx.db
    .update(toneRules)
    .set({
      ...(input.pattern !== undefined ? { pattern: checkPattern(input.pattern) } : {}),
      ...(input.category !== undefined ? { category: input.category } : {}),
      ...(input.suggestions !== undefined ? { suggestions: input.suggestions } : {}),
      ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
      updatedAt: ctx.now(),
    })
    .where(and(eq(toneRules.id, id), isNull(toneRules.deletedAt)))
    .returning();
  if (!row) throw notFound("Tone rule");
  dropCache(ctx);
  return toRule(row);
}

export async function deleteToneRule(ctx: Ctx, id: string): Promise<void> {
  requireCan(ctx.actor, "tone.manage");
  const [row] = await ctx.db
    .update(toneRules)
    .set({ deletedAt: ctx.now(), updatedAt: ctx.now() })
    .where(and(eq(toneRules.id, id), isNull(toneRules.deletedAt)))
    .returning({ id: toneRules.id });
  if (!row) throw notFound("Tone rule");
  dropCache(ctx);
}

// ---- the reply path: a step of the ticket pipeline (decision 0010) ------------------------

/**
 * An agent's reply or note: what the tone check still finds in the sent text (`accepted`
 * false), and the suggestions the agent took while typing (`accepted` true), for the report.
 * Never refuses a message; written with the unit's last statement (nothing reads it back).
 */
export async function toneOnMessage(uow: Uow, items: AddedMessage[]) {
  for (const { before, message, input } of items) {
    if (input.authorType !== "agent" || !message.authorUserId) continue;
    const lang = baseLang(input.tone?.lang ?? before.language);
    const found = findTone(await rulesFor(uow.ctx, lang), message.bodyText, 50);
    const rows = [
      ...found.map((f) => ({ ruleId: f.ruleId, phrase: foldText(f.text), accepted: false })),
      ...(input.tone?.accepted ?? []).map((a) => ({
        ruleId: a.ruleId,
        phrase: foldText(a.text),
        accepted: true,
      })),
    ];
    if (rows.length === 0) continue;
    const values = sql.join(
      rows.map((r) => sql`(${r.ruleId}::uuid, ${r.phrase.slice(0, 200)}::text, ${r.accepted}::boolean)`),
      sql`, `,
    );
    // Only rules that exist: a stale or forged id in `accepted` is dropped, never an error.
    await writeLater(
      uow.tx,
      sql`insert into tone_flags (rule_id, message_id, ticket_id, user_id, team_id, phrase, accepted, created_at)
        select r.id, ${message.id}::uuid, ${before.id}::uuid, ${message.authorUserId}::uuid,
          ${before.teamId}::uuid, v.phrase, v.accepted, ${message.createdAt.toISOString()}::timestamptz
        from (values ${values}) as v(rule_id, phrase, accepted) join tone_rules r on r.id = v.rule_id`,
    );
  }
}

// ---- the report -------------------------------------------------------------------------

export async function toneReport(
  ctx: Ctx,
  q: { from?: string; to?: string; teamId?: string; lang?: string },
): Promise<TToneReport> {
  requireCan(ctx.actor, "tone.report");
  const to = q.to ? new Date(q.to) : ctx.now();
  const from = q.from ? new Date(q.from) : new Date(to.getTime() - 30 * 86_400_000);
  if (from >= to) throw badRequest("from must be before to", { field: "from" });
  const where = and(
    gte(toneFlags.createdAt, from),
    lte(toneFlags.createdAt, to),
    q.teamId ? eq(toneFlags.teamId, q.teamId) : undefined,
    q.lang ? eq(toneRules.lang, q.lang) : undefined,
  );
  const flagged = sql<number>`count(*)::int`;
  const accepted = sql<number>`(count(*) filter (where ${toneFlags.accepted}))::int`;
  const phrases = await ctx.db
    .select({
      ruleId: toneFlags.ruleId,
      lang: toneRules.lang,
      category: toneRules.category,
      phrase: toneFlags.phrase,
      teamId: toneFlags.teamId,
      teamName: sql<string | null>`max(${teams.name})`,
      flagged,
      accepted,
    })
    .from(toneFlags)
    .innerJoin(toneRules, eq(toneRules.id, toneFlags.ruleId))
    .leftJoin(teams, eq(teams.id, toneFlags.teamId))
    .where(where)
    .groupBy(toneFlags.ruleId, toneRules.lang, toneRules.category, toneFlags.phrase, toneFlags.teamId)
    .orderBy(sql`count(*) desc`, asc(toneFlags.phrase))
    .limit(100);
  const byTeam = await ctx.db
    .select({ teamId: toneFlags.teamId, teamName: sql<string | null>`max(${teams.name})`, flagged, accepted })
    .from(toneFlags)
    .innerJoin(toneRules, eq(toneRules.id, toneFlags.ruleId))
    .leftJoin(teams, eq(teams.id, toneFlags.teamId))
    .where(where)
    .groupBy(toneFlags.teamId)
    .orderBy(sql`count(*) desc`);
  const categories = await ctx.db
    .select({ category: toneRules.category, flagged, accepted })
    .from(toneFlags)
    .innerJoin(toneRules, eq(toneRules.id, toneFlags.ruleId))
    .where(where)
    .groupBy(toneRules.category)
    .orderBy(sql`count(*) desc`);
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    phrases: phrases.map((p) => ({ ...p, category: p.category as ToneCategory })),
    teams: byTeam,
    categories: categories.map((c) => ({ ...c, category: c.category as ToneCategory })),
  };
}
