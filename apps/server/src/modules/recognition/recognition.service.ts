import type { TRecognitionFigures, TRecognitionRow, TRecognitionSettingsPatch } from "@rapport/shared";
import { and, desc, eq, sql } from "drizzle-orm";
import type { AgentActor } from "../../auth/actor.ts";
import { can, requireCan, type Staff } from "../../auth/policies.ts";
import type { Ctx } from "../../context.ts";
import type { DbOrTx } from "../../db/client.ts";
import { enqueue } from "../../jobs/queue.ts";
import { notFound } from "../../lib/errors.ts";
import { notify } from "../notifications/notifications.service.ts";
import { excludeCheckTickets } from "../reports/reports.service.ts";
import { readSettings } from "../settings/settings.service.ts";
import { teams } from "../teams/teams.table.ts";
import { users } from "../users/users.table.ts";
import {
  DEFAULT_WEIGHTS,
  type RecognitionWeights,
  recognitionAwards,
  recognitionSettings,
} from "./recognition.table.ts";

/**
 * Recognition of the best agents of the month (issue 16), per team and opt-in. An agent's
 * score weighs the month's quality figures with the team's weights:
 *
 *   quality = Σ wᵢ·vᵢ / Σ wᵢ × 100   over the figures the agent has (CSAT %, first responses
 *                                    within the SLA promise, resolution speed, promises kept)
 *   score   = max(0, quality − w_reopened × reopened ÷ solved)
 *
 * Resolution speed is the team's fastest median resolution divided by the agent's (1 for the
 * fastest). A figure without data (no ratings, no promises) is left out of the average rather
 * than counted as zero. Agents below the team's minimum of solved tickets are shown, not ranked.
 * Ranking is competition ranking on the score rounded to one decimal: equal scores share the
 * place (1, 1, 3), and every agent in first place is a winner.
 */

type Settings = {
  teamId: string;
  enabled: boolean;
  publicBoard: boolean;
  weights: RecognitionWeights;
  minSolved: number;
};

export const MONTHLY_JOB = "recognition.monthly";

const rowsOf = <T>(r: unknown) => (r as { rows: T[] }).rows;
const int = (v: unknown) => Number(v ?? 0);
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
const ratio = (a: number, b: number) => (b > 0 ? a / b : null);
const round1 = (x: number) => Math.round(x * 10) / 10;

async function orgZone(db: DbOrTx) {
  return (await readSettings(db))?.timeZone ?? "UTC";
}

/** The month (`YYYY-MM`) that contains `at` in the zone. */
export function monthIn(at: Date, tz: string): string {
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone: tz,
    year: "numeric",
    month: "2-digit",
  }).formatToParts(at);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return `${part("year")}-${part("month")}`;
}

export function addMonths(month: string, n: number): string {
  const [y = 0, m = 1] = month.split("-").map(Number);
  const i = y * 12 + (m - 1) + n;
  return `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, "0")}`;
}

async function settingsOf(db: DbOrTx, teamId: string): Promise<Settings> {
  const [row] = await db.select().from(recognitionSettings).where(eq(recognitionSettings.teamId, teamId));
  if (!row) return { teamId, enabled: false, publicBoard: false, weights: DEFAULT_WEIGHTS, minSolved: 5 };
  return {
    teamId,
    enabled: row.enabled,
    publicBoard: row.publicBoard,
    weights: { ...DEFAULT_WEIGHTS, ...row.weights },
    minSolved: row.minSolved,
  };
}

async function teamOf(db: DbOrTx, teamId: string) {
  const [team] = await db.select({ id: teams.id, name: teams.name }).from(teams).where(eq(teams.id, teamId));
  if (!team) throw notFound("Team");
  return team;
}

/**
 * Every active member's figures for one month of one team, in one statement. Tickets count for
 * their current assignee in the team; CSAT for the agent the survey names; promises for their
 * owner (the team's, or without a team).
 */
async function monthFigures(db: DbOrTx, teamId: string, month: string, tz: string, now: Date) {
  const noCheck = excludeCheckTickets.on("x");
  const rows = rowsOf<Record<string, unknown>>(
    await db.execute(sql`with b as (
        select (${`${month}-01`}::timestamp at time zone ${tz}) as b_from,
               ((${`${month}-01`}::date + interval '1 month')::timestamp at time zone ${tz}) as b_to),
      members as (select u.id, u.name from team_members m join users u on u.id = m.user_id
        where m.team_id = ${teamId} and u.active),
      sv as (select x.assignee_id as uid, count(*) as solved,
          percentile_cont(0.5) within group (order by extract(epoch from x.solved_at - x.created_at)) as p50
        from tickets x, b where x.team_id = ${teamId} and ${noCheck} and x.solved_at >= b.b_from and x.solved_at < b.b_to
          and x.assignee_id is not null group by 1),
      ro as (select x.assignee_id as uid, count(distinct e.ticket_id) as n
        from ticket_events e join tickets x on x.id = e.ticket_id, b
        where x.team_id = ${teamId} and ${noCheck} and e.type = 'status.changed' and e.data->>'from' in ('solved', 'closed')
          and e.data->>'to' in ('new', 'open', 'pending', 'on_hold')
          and e.created_at >= b.b_from and e.created_at < b.b_to group by 1),
      cs as (select s.agent_id as uid, count(*) as rated, count(*) filter (where s.good) as good
        from csat_surveys s join tickets x on x.id = s.ticket_id, b
        where x.team_id = ${teamId} and ${noCheck} and s.rated_at >= b.b_from and s.rated_at < b.b_to group by 1),
      fr as (select x.assignee_id as uid, count(*) as n,
          count(*) filter (where st.met_at is not null and st.breached_at is null) as met
        from sla_targets st join tickets x on x.id = st.ticket_id, b
        where x.team_id = ${teamId} and ${noCheck} and st.metric = 'first_response'
          and (x.first_response_at is not null or st.breached_at is not null)
          and coalesce(st.met_at, st.breached_at) >= b.b_from and coalesce(st.met_at, st.breached_at) < b.b_to
        group by 1),
      pr as (select p.owner_id as uid, count(*) as due, count(*) filter (where p.kept_on_time) as kept
        from promises p, b where (p.team_id = ${teamId} or p.team_id is null) and p.status <> 'cancelled'
          and p.due_at >= b.b_from and p.due_at < least(b.b_to, ${now.toISOString()}::timestamptz) group by 1)
      select m.id, m.name, b.b_from, b.b_to, coalesce(sv.solved, 0) as solved, sv.p50,
        coalesce(ro.n, 0) as reopened, coalesce(cs.rated, 0) as rated, coalesce(cs.good, 0) as good,
        coalesce(fr.n, 0) as fr_n, coalesce(fr.met, 0) as fr_met, coalesce(pr.due, 0) as pr_due,
        coalesce(pr.kept, 0) as pr_kept
      from members m cross join b left join sv on sv.uid = m.id left join ro on ro.uid = m.id
        left join cs on cs.uid = m.id left join fr on fr.uid = m.id left join pr on pr.uid = m.id
      order by m.name, m.id`),
  );
  const bounds = await db.execute(sql`select (${`${month}-01`}::timestamp at time zone ${tz}) as b_from,
      ((${`${month}-01`}::date + interval '1 month')::timestamp at time zone ${tz}) as b_to`);
  const [bd] = rowsOf<{ b_from: Date | string; b_to: Date | string }>(bounds);
  return {
    from: new Date(bd?.b_from ?? 0),
    to: new Date(bd?.b_to ?? 0),
    rows: rows.map((r) => {
      const solved = int(r.solved);
      const reopened = int(r.reopened);
      const rated = int(r.rated);
      const good = int(r.good);
      const frN = int(r.fr_n);
      const frMet = int(r.fr_met);
      const due = int(r.pr_due);
      const kept = int(r.pr_kept);
      const figures: TRecognitionFigures = {
        solved,
        reopened,
        reopenRate: ratio(reopened, solved),
        csatRated: rated,
        csatGood: good,
        csatRate: ratio(good, rated),
        firstResponses: frN,
        firstResponsesOnTime: frMet,
        firstResponseRate: ratio(frMet, frN),
        resolutionP50: num(r.p50),
        resolutionScore: null,
        promisesDue: due,
        promisesKept: kept,
        promiseRate: ratio(kept, due),
      };
      return { agent: { id: String(r.id), name: String(r.name) }, figures };
    }),
  };
}

/** Scores and ranks a month's rows with the team's weights (pure; unit-tested). */
export function rank(
  rows: Array<{ agent: { id: string; name: string }; figures: TRecognitionFigures }>,
  weights: RecognitionWeights,
  minSolved: number,
): TRecognitionRow[] {
  const eligible = (f: TRecognitionFigures) => f.solved > 0 && f.solved >= minSolved;
  const medians = rows
    .filter((r) => eligible(r.figures) && r.figures.resolutionP50 !== null)
    .map((r) => r.figures.resolutionP50 as number);
  const fastest = medians.length ? Math.min(...medians) : null;
  const scored = rows.map((r) => {
    const f = r.figures;
    const resolutionScore =
      f.resolutionP50 === null || fastest === null
        ? null
        : f.resolutionP50 <= 0
          ? 1
          : Math.min(1, fastest / f.resolutionP50);
    const figures = { ...f, resolutionScore };
    if (!eligible(f)) return { ...r, figures, score: null as number | null };
    const parts: Array<[number, number | null]> = [
      [weights.csat, f.csatRate],
      [weights.firstResponse, f.firstResponseRate],
      [weights.resolution, resolutionScore],
      [weights.promises, f.promiseRate],
    ];
    const present = parts.filter((p): p is [number, number] => p[1] !== null && p[0] > 0);
    const wsum = present.reduce((a, [w]) => a + w, 0);
    const quality = wsum > 0 ? (present.reduce((a, [w, v]) => a + w * v, 0) / wsum) * 100 : 0;
    const score = round1(Math.max(0, quality - weights.reopened * (f.reopenRate ?? 0)));
    return { ...r, figures, score };
  });
  return scored
    .map((r) => ({
      ...r,
      rank:
        r.score === null
          ? null
          : 1 + scored.filter((o) => o.score !== null && o.score > (r.score as number)).length,
    }))
    .sort(
      (a, b) =>
        (a.rank ?? Number.MAX_SAFE_INTEGER) - (b.rank ?? Number.MAX_SAFE_INTEGER) ||
        a.agent.name.localeCompare(b.agent.name),
    );
}

/** Whether the actor sees the whole ranking of a team, only their own row, or nothing (404). */
function accessTo(actor: Staff, teamId: string, s: Settings): "ranking" | "own" {
  if (can(actor, "recognition.readAll")) return "ranking";
  const a = actor as AgentActor;
  if (!a.teamIds.includes(teamId)) throw notFound("Team");
  return s.publicBoard && s.enabled ? "ranking" : "own";
}

async function awardsWhere(db: DbOrTx, where: ReturnType<typeof and>) {
  const rows = await db
    .select({
      month: recognitionAwards.month,
      teamId: recognitionAwards.teamId,
      teamName: teams.name,
      userId: recognitionAwards.userId,
      userName: users.name,
      score: recognitionAwards.score,
    })
    .from(recognitionAwards)
    .innerJoin(teams, eq(teams.id, recognitionAwards.teamId))
    .innerJoin(users, eq(users.id, recognitionAwards.userId))
    .where(where)
    .orderBy(desc(recognitionAwards.month), teams.name, users.name);
  return rows.map((r) => ({
    month: r.month,
    team: { id: r.teamId, name: r.teamName },
    agent: { id: r.userId, name: r.userName },
    score: r.score,
  }));
}

/** A team's board for a month (default: the current month in the organization's zone). */
export async function board(ctx: Ctx, teamId: string, month?: string) {
  const actor = requireCan(ctx.actor, "recognition.view");
  const team = await teamOf(ctx.db, teamId);
  const s = await settingsOf(ctx.db, teamId);
  const visibility = accessTo(actor, teamId, s);
  const tz = await orgZone(ctx.db);
  const m = month ?? monthIn(ctx.now(), tz);
  const me = actor.kind === "agent" ? actor.userId : null;
  const off = visibility === "own" && !s.enabled;
  const figures = await monthFigures(ctx.db, teamId, m, tz, ctx.now());
  const ranked = off ? [] : rank(figures.rows, s.weights, s.minSolved);
  const items =
    visibility === "ranking"
      ? ranked
      : ranked.filter((r) => r.agent.id === me).map((r) => ({ ...r, rank: null }));
  const winners = off
    ? []
    : await awardsWhere(
        ctx.db,
        and(
          eq(recognitionAwards.teamId, teamId),
          eq(recognitionAwards.month, m),
          visibility === "own" ? eq(recognitionAwards.userId, me ?? "") : undefined,
        ),
      );
  return {
    team,
    month: m,
    from: figures.from.toISOString(),
    to: figures.to.toISOString(),
    settings: s,
    visibility,
    items,
    winners,
  };
}

/** The caller's own score and figures over the last months (private: always their own). */
export async function myTrend(ctx: Ctx, teamId: string, months: number) {
  const actor = requireCan(ctx.actor, "recognition.view");
  if (actor.kind !== "agent") return { items: [] };
  const s = await settingsOf(ctx.db, teamId);
  if (!actor.teamIds.includes(teamId) && !can(actor, "recognition.readAll")) throw notFound("Team");
  await teamOf(ctx.db, teamId);
  if (!s.enabled) return { items: [] };
  const tz = await orgZone(ctx.db);
  const last = monthIn(ctx.now(), tz);
  const out = [];
  for (let i = months - 1; i >= 0; i--) {
    const m = addMonths(last, -i);
    const f = await monthFigures(ctx.db, teamId, m, tz, ctx.now());
    const row = rank(f.rows, s.weights, s.minSolved).find((r) => r.agent.id === actor.userId);
    if (row) out.push({ month: m, score: row.score, figures: row.figures });
  }
  return { items: out };
}

/**
 * An agent's awards, for their profile: all of them for the agent themselves, managers and
 * admins; for other agents only awards of teams whose board is public.
 */
export async function awardsOf(ctx: Ctx, userId: string) {
  const actor = requireCan(ctx.actor, "recognition.view");
  const self = actor.kind === "agent" && actor.userId === userId;
  const all = self || can(actor, "recognition.readAll");
  return {
    items: await awardsWhere(
      ctx.db,
      and(
        eq(recognitionAwards.userId, userId),
        all
          ? undefined
          : sql`exists (select 1 from recognition_settings rs where rs.team_id = ${recognitionAwards.teamId}
              and rs.enabled and rs.public_board)`,
      ),
    ),
  };
}

export async function getSettings(ctx: Ctx, teamId: string) {
  requireCan(ctx.actor, "recognition.manage");
  await teamOf(ctx.db, teamId);
  return settingsOf(ctx.db, teamId);
}

export async function updateSettings(ctx: Ctx, teamId: string, patch: TRecognitionSettingsPatch) {
  requireCan(ctx.actor, "recognition.manage");
  await teamOf(ctx.db, teamId);
  const s = { ...(await settingsOf(ctx.db, teamId)), ...patch };
  await ctx.db
    .insert(recognitionSettings)
    .values({ ...s, updatedAt: ctx.now() })
    .onConflictDoUpdate({
      target: recognitionSettings.teamId,
      set: {
        enabled: s.enabled,
        publicBoard: s.publicBoard,
        weights: s.weights,
        minSolved: s.minSolved,
        updatedAt: ctx.now(),
      },
    });
  return settingsOf(ctx.db, teamId);
}

/**
 * Records a month's winners for every team with recognition on (once: a second run adds
 * nothing) and tells each new winner with a `recognition.won` notice.
 */
export async function recordMonth(ctx: Ctx, month: string) {
  const tz = await orgZone(ctx.db);
  const enabled = await ctx.db
    .select()
    .from(recognitionSettings)
    .where(eq(recognitionSettings.enabled, true));
  const recorded: Array<{ teamId: string; userId: string }> = [];
  for (const row of enabled) {
    const s = { ...row, weights: { ...DEFAULT_WEIGHTS, ...row.weights } };
    const f = await monthFigures(ctx.db, row.teamId, month, tz, ctx.now());
    const winners = rank(f.rows, s.weights, s.minSolved).filter((r) => r.rank === 1);
    if (winners.length === 0) continue;
    const team = await teamOf(ctx.db, row.teamId);
    const inserted = await ctx.db
      .insert(recognitionAwards)
      .values(
        winners.map((w) => ({
          month,
          teamId: row.teamId,
          userId: w.agent.id,
          score: w.score ?? 0,
          figures: w.figures,
          createdAt: ctx.now(),
        })),
      )
      .onConflictDoNothing()
      .returning({ userId: recognitionAwards.userId });
    recorded.push(...inserted.map((i) => ({ teamId: row.teamId, userId: i.userId })));
    await notify(
      ctx,
      inserted.map((i) => ({
        userId: i.userId,
        kind: "recognition.won" as const,
        params: { team: team.name, month, score: winners.find((w) => w.agent.id === i.userId)?.score ?? 0 },
        link: `/recognition?team=${row.teamId}&month=${month}`,
        dedupeKey: `recognition:${row.teamId}:${month}`,
      })),
    );
  }
  return recorded;
}

/** The monthly job runs at 12:00 UTC on the 1st: past midnight of the 1st in every time zone. */
export function nextMonthly(now: Date): Date {
  const next = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1, 12));
  if (next.getTime() <= now.getTime()) next.setUTCMonth(next.getUTCMonth() + 1);
  return next;
}

export async function scheduleMonthly(db: DbOrTx, now: Date) {
  const at = nextMonthly(now);
  await enqueue(db, MONTHLY_JOB, {}, { runAt: at, dedupeKey: at.toISOString(), maxAttempts: 3 });
}

/** The job: the month that just ended in the organization's zone. */
export async function runMonthly(ctx: Ctx) {
  const tz = await orgZone(ctx.db);
  return recordMonth(ctx, addMonths(monthIn(ctx.now(), tz), -1));
}
