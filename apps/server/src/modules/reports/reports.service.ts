import { agentsNeeded, trafficErlangs } from "@rapport/shared";
import { and, eq, type SQL, sql } from "drizzle-orm";
import type { AgentActor } from "../../auth/actor.ts";
import { callbackScope, requireCan, type Staff, ticketScope } from "../../auth/policies.ts";
import type { Ctx } from "../../context.ts";
import type { DbOrTx } from "../../db/client.ts";
import { badRequest } from "../../lib/errors.ts";
import { getSettings as chatSettings } from "../chat/chat.service.ts";
import { callbackTiming } from "../phone/callbacks.service.ts";
import { callbacks } from "../phone/phone.table.ts";
import { readSettings } from "../settings/settings.service.ts";
import type { Calendar } from "../sla/business-hours.ts";
import { businessCalendars } from "../sla/sla.table.ts";
import { tickets } from "../tickets/tickets.table.ts";
import type { TReportQuery, TStaffingQuery } from "./reports.schema.ts";

/**
 * Reports over the tickets' stored timings: `created_at`, `first_response_at` (the first public
 * agent reply, stamped by the ticket write path), `solved_at`, and, where an SLA calendar
 * applies, the business time each SLA clock measured (`sla_targets.elapsed_ms`). Every figure is
 * read from those rows with the caller's ticket scope, so an agent's report covers only the
 * tickets they may see and a recount from raw rows gives the same numbers.
 */
const DAY = 86_400_000;
const MAX_RANGE_DAYS = 800;

export type Period = { from: Date; to: Date };

export function periodOf(q: TReportQuery, now: Date): Period {
  const to = q.to ? new Date(q.to) : now;
  const from = q.from ? new Date(q.from) : new Date(to.getTime() - 30 * DAY);
  if (from >= to) throw badRequest("`from` must be before `to`", { field: "from" });
  if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * DAY)
    throw badRequest(`A report covers at most ${MAX_RANGE_DAYS} days`, { field: "from" });
  return { from, to };
}

const ts = (d: Date) => sql`${d.toISOString()}::timestamptz`;

/** The caller's visibility and the dashboard's filters, over `tickets`, as a list (empty: every ticket). */
function ticketConditions(actor: Staff, q: TReportQuery): SQL[] {
  const where: SQL[] = [];
  const scope = ticketScope(actor);
  if (scope) where.push(scope);
  if (q.teamId) where.push(eq(tickets.teamId, q.teamId));
  if (q.agentId) where.push(eq(tickets.assigneeId, q.agentId));
  if (q.channel) where.push(eq(tickets.channel, q.channel));
  if (q.language) where.push(eq(tickets.language, q.language));
  if (q.priority) where.push(eq(tickets.priority, q.priority));
  if (q.tag) where.push(sql`${tickets.tags} @> array[${q.tag}]::text[]`);
  return where;
}

/** Whether the caller's visibility or the dashboard's filters narrow the tickets at all. */
export const narrowsTickets = (actor: Staff, q: TReportQuery) => ticketConditions(actor, q).length > 0;

/**
 * The one "exclude check tickets" predicate: a service self-check's ticket (modules/selfchecks)
 * never counts in a report or in recognition. `on(alias)` over the tickets table (`tickets` or an
 * alias); `byTicketId` over a row linked to a ticket when the statement reads that row without
 * joining tickets (a hashed anti-join against the few check tickets, read from their partial index).
 */
export const excludeCheckTickets = {
  on: (alias = "tickets") => sql`${sql.raw(alias)}.self_check_run_id is null`,
  byTicketId: (col: string) =>
    sql`${sql.raw(col)} not in (select id from tickets where self_check_run_id is not null)`,
};

/** The caller's visibility and the dashboard's filters, over `tickets`, without check tickets. */
export function ticketFilter(actor: Staff, q: TReportQuery): SQL {
  return and(excludeCheckTickets.on(), ...ticketConditions(actor, q)) as SQL;
}

const rowsOf = <T>(r: unknown) => (r as { rows: T[] }).rows;
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
const int = (v: unknown) => Number(v ?? 0);
const rate = (a: unknown, b: unknown) => (int(b) > 0 ? int(a) / int(b) : null);

/**
 * Promises and call-backs in the caller's reach and the dashboard's filters. One on a ticket
 * counts when the ticket passes the ticket filter; one without a ticket counts only when no
 * ticket-only filter (channel other than phone for call-backs, language, tag, priority) is set.
 * Promises follow the promises module's visibility (a ticketless promise is visible to every
 * agent), call-backs the call-back scope (team, unteamed, own).
 */
export function linkedFilters(actor: Staff, q: TReportQuery, filter: SQL) {
  const ticketOnly = !!(q.language || q.tag || q.priority);
  const onTicket = (col: SQL) => sql`exists (select 1 from tickets where tickets.id = ${col} and ${filter})`;
  const promise: SQL[] = [];
  if (q.teamId) promise.push(sql`promises.team_id = ${q.teamId}`);
  if (q.agentId) promise.push(sql`promises.owner_id = ${q.agentId}`);
  const ticketless = q.channel || ticketOnly ? sql`false` : promise.length ? and(...promise) : sql`true`;
  const cb: SQL[] = [];
  const scope = callbackScope(actor);
  if (scope) cb.push(scope);
  if (q.teamId) cb.push(eq(callbacks.teamId, q.teamId));
  if (q.agentId) cb.push(eq(callbacks.assigneeId, q.agentId));
  if (q.channel && q.channel !== "phone") cb.push(sql`false`);
  if (ticketOnly) cb.push(sql`${callbacks.ticketId} is not null and ${onTicket(sql`${callbacks.ticketId}`)}`);
  return {
    promises: sql`((promises.ticket_id is not null and ${onTicket(sql`promises.ticket_id`)})
      or (promises.ticket_id is null and ${ticketless}))`,
    callbacks: cb.length ? (and(...cb) as SQL) : sql`true`,
  };
}

/**
 * The overview's figures for the period and the previous one in one statement: each source is
 * read once over both periods (`[previous.from, current.to)`) and every figure is an aggregate
 * with a `filter` per period, so the tickets, promises, call-backs, clocks, surveys, reopens and
 * transfers are scanned once instead of twice. Backlog is split into the open tickets (few,
 * `solved_at is null`) and those solved after the period's end (the `solved_at` index), so it
 * never scans every ticket ever created.
 */
async function figures(db: DbOrTx, actor: Staff, q: TReportQuery, cur: Period, prev: Period, now: Date) {
  const filter = ticketFilter(actor, q);
  const linked = linkedFilters(actor, q, filter);
  /**
   * Clocks, surveys, reopens and transfers join their tickets only for a filter: the organization's
   * unfiltered dashboard reads them alone (the join made the planner hash every ticket).
   */
  const narrow = narrowsTickets(actor, q);
  const onTickets = (col: string) =>
    narrow
      ? sql`join tickets on tickets.id = ${sql.raw(col)} where ${filter} and`
      : sql`where ${excludeCheckTickets.byTicketId(col)} and`;
  const lo = ts(prev.from);
  const hi = ts(cur.to);
  const mid = ts(cur.from);
  const pend = ts(prev.to);
  /** `col` in the current (c) or previous (p) period. */
  const inC = (col: string) => sql`${sql.raw(col)} >= ${mid} and ${sql.raw(col)} < ${hi}`;
  const inP = (col: string) => sql`${sql.raw(col)} >= ${lo} and ${sql.raw(col)} < ${pend}`;
  const dueC = sql`least(${hi}, ${ts(now)})`;
  const dueP = sql`least(${pend}, ${ts(now)})`;
  const pct = (name: string, expr: string, cond: (k: "c" | "p") => SQL) =>
    sql.join(
      (["c", "p"] as const).map(
        (
          k,
        ) => sql`percentile_cont(0.5) within group (order by ${sql.raw(expr)}) filter (where ${cond(k)}) as ${sql.raw(`${name}_p50_${k}`)},
          percentile_cont(0.9) within group (order by ${sql.raw(expr)}) filter (where ${cond(k)}) as ${sql.raw(`${name}_p90_${k}`)},
          count(*) filter (where ${cond(k)}) as ${sql.raw(`${name}_n_${k}`)}`,
      ),
      sql`, `,
    );
  const per = (k: "c" | "p", col: string) => (k === "c" ? inC(col) : inP(col));
  const frSecs = "extract(epoch from first_response_at - created_at)";
  const rsSecs = "extract(epoch from solved_at - created_at)";
  const [r] = rowsOf<Record<string, unknown>>(
    await db.execute(sql`select * from
      (select count(*) filter (where ${inC("created_at")}) as created_c,
          count(*) filter (where ${inP("created_at")}) as created_p,
          count(*) filter (where channel = 'chat' and first_response_at is null and ${inC("created_at")}) as cw_unanswered_c,
          count(*) filter (where channel = 'chat' and first_response_at is null and ${inP("created_at")}) as cw_unanswered_p
        from tickets where ${filter} and created_at >= ${lo} and created_at < ${hi}) cr,
      (select count(*) filter (where solved_at is null or solved_at >= ${hi}) as backlog_c,
          count(*) filter (where created_at < ${pend} and (solved_at is null or solved_at >= ${pend})) as backlog_p
        from (select created_at, solved_at from tickets
            where ${filter} and solved_at is null and status <> 'closed' and created_at < ${hi}
          union all
          select created_at, solved_at from tickets
            where ${filter} and solved_at >= ${pend} and status <> 'closed' and created_at < ${hi}) b) bl,
      (select count(*) filter (where ${inC("solved_at")}) as solved_c, count(*) filter (where ${inP("solved_at")}) as solved_p,
          ${pct("rs", rsSecs, (k) => per(k, "solved_at"))},
          ${pct("rb", "resolution_business_seconds", (k) => sql`${per(k, "solved_at")} and resolution_business_seconds is not null`)}
        from tickets where ${filter} and solved_at >= ${lo} and solved_at < ${hi}) sv,
      (select ${pct("fr", frSecs, (k) => per(k, "first_response_at"))},
          ${pct("bh", "first_response_business_seconds", (k) => sql`${per(k, "first_response_at")} and first_response_business_seconds is not null`)},
          ${pct("cw", frSecs, (k) => sql`channel = 'chat' and ${per(k, "first_response_at")}`)}
        from tickets where ${filter} and first_response_at >= ${lo} and first_response_at < ${hi}) fr,
      (select count(*) filter (where due_at >= ${mid} and due_at < ${dueC}) as pr_due_c,
          count(*) filter (where due_at >= ${mid} and due_at < ${dueC} and kept_on_time) as pr_kept_c,
          count(*) filter (where due_at >= ${mid} and due_at < ${dueC} and status = 'kept' and not kept_on_time) as pr_late_c,
          count(*) filter (where due_at >= ${mid} and due_at < ${dueC} and status = 'open') as pr_missed_c,
          count(*) filter (where due_at >= ${lo} and due_at < ${dueP}) as pr_due_p,
          count(*) filter (where due_at >= ${lo} and due_at < ${dueP} and kept_on_time) as pr_kept_p,
          count(*) filter (where due_at >= ${lo} and due_at < ${dueP} and status = 'kept' and not kept_on_time) as pr_late_p,
          count(*) filter (where due_at >= ${lo} and due_at < ${dueP} and status = 'open') as pr_missed_p
        from promises where ${linked.promises} and status <> 'cancelled' and due_at >= ${lo} and due_at < ${dueC}) pr,
      (select count(*) filter (where fd >= ${mid} and fd < ${dueC}) as cb_due_c,
          count(*) filter (where fd >= ${mid} and fd < ${dueC} and on_time) as cb_on_time_c,
          count(*) filter (where fd >= ${lo} and fd < ${dueP}) as cb_due_p,
          count(*) filter (where fd >= ${lo} and fd < ${dueP} and on_time) as cb_on_time_p
        from (select ${callbackTiming.firstDue} as fd, ${callbackTiming.onTime} as on_time from callbacks
          where ${linked.callbacks} and status <> 'cancelled'
            and ${callbackTiming.firstDue} >= ${lo} and ${callbackTiming.firstDue} < ${dueC}) x) cb,
      (select count(*) filter (where at >= ${mid} and met) as sla_met_c, count(*) filter (where at >= ${mid}) as sla_total_c,
          count(*) filter (where at < ${pend} and met) as sla_met_p, count(*) filter (where at < ${pend}) as sla_total_p
        from (select coalesce(st.met_at, st.breached_at) as at, (st.met_at is not null and st.breached_at is null) as met
          from sla_targets st ${onTickets("st.ticket_id")} coalesce(st.met_at, st.breached_at) >= ${lo}
            and coalesce(st.met_at, st.breached_at) < ${hi}) x) sla,
      (select count(*) filter (where ${inC("s.sent_at")}) as cs_sent_c, count(s.rated_at) filter (where ${inC("s.sent_at")}) as cs_rated_c,
          count(*) filter (where ${inC("s.sent_at")} and s.good) as cs_good_c,
          count(*) filter (where ${inP("s.sent_at")}) as cs_sent_p, count(s.rated_at) filter (where ${inP("s.sent_at")}) as cs_rated_p,
          count(*) filter (where ${inP("s.sent_at")} and s.good) as cs_good_p
        from csat_surveys s ${onTickets("s.ticket_id")} s.sent_at >= ${lo} and s.sent_at < ${hi}) cs,
      (select count(distinct e.ticket_id) filter (where ${inC("e.created_at")}) as reopened_c,
          count(distinct e.ticket_id) filter (where ${inP("e.created_at")}) as reopened_p
        from ticket_events e ${onTickets("e.ticket_id")} e.type = 'status.changed' and e.data->>'from' in ('solved', 'closed')
          and e.data->>'to' in ('new', 'open', 'pending', 'on_hold')
          and e.created_at >= ${lo} and e.created_at < ${hi}) ro,
      (select count(*) filter (where ${inC("x.created_at")}) as transfers_c, count(*) filter (where ${inP("x.created_at")}) as transfers_p
        from ticket_transfers x ${onTickets("x.ticket_id")} x.created_at >= ${lo} and x.created_at < ${hi}) tr`),
  );
  const g = r ?? {};
  return { current: shape(g, "c"), previous: shape(g, "p") };
}

/** One period's figures from the statement's columns with that period's suffix. */
function shape(all: Record<string, unknown>, k: "c" | "p") {
  const g = (name: string) => all[`${name}_${k}`];
  const p = (name: string) => ({
    p50: num(g(`${name}_p50`)),
    p90: num(g(`${name}_p90`)),
    count: int(g(`${name}_n`)),
  });
  const solved = int(g("solved"));
  const created = int(g("created"));
  const rated = int(g("cs_rated"));
  const sent = int(g("cs_sent"));
  const slaTotal = int(g("sla_total"));
  return {
    created,
    solved,
    backlog: int(g("backlog")),
    reopened: int(g("reopened")),
    reopenRate: solved > 0 ? int(g("reopened")) / solved : null,
    firstResponseSeconds: p("fr"),
    resolutionSeconds: p("rs"),
    firstResponseBusinessSeconds: p("bh"),
    resolutionBusinessSeconds: p("rb"),
    chatWaitSeconds: { ...p("cw"), unanswered: int(g("cw_unanswered")) },
    promisesKept: {
      due: int(g("pr_due")),
      keptOnTime: int(g("pr_kept")),
      late: int(g("pr_late")),
      missed: int(g("pr_missed")),
      rate: rate(g("pr_kept"), g("pr_due")),
    },
    callbacksOnTime: {
      due: int(g("cb_due")),
      onTime: int(g("cb_on_time")),
      rate: rate(g("cb_on_time"), g("cb_due")),
    },
    slaCompliance: {
      met: int(g("sla_met")),
      total: slaTotal,
      rate: slaTotal > 0 ? int(g("sla_met")) / slaTotal : null,
    },
    csat: {
      sent,
      rated,
      good: int(g("cs_good")),
      rate: rated > 0 ? int(g("cs_good")) / rated : null,
      responseRate: sent > 0 ? rated / sent : null,
    },
    transfersPerTicket: created > 0 ? int(g("transfers")) / created : null,
  };
}

const actorOf = (ctx: Ctx) => requireCan(ctx.actor, "reports.view");

/** The dashboard's headline figures for the period and the one before it (same length). */
export async function overview(ctx: Ctx, q: TReportQuery) {
  const actor = actorOf(ctx);
  const p = periodOf(q, ctx.now());
  const len = p.to.getTime() - p.from.getTime();
  const prev = { from: new Date(p.from.getTime() - len), to: p.from };
  const { current, previous } = await figures(ctx.db, actor, q, p, prev, ctx.now());
  return { from: p.from.toISOString(), to: p.to.toISOString(), current, previous };
}

async function orgZone(db: DbOrTx) {
  return (await readSettings(db))?.timeZone ?? "UTC";
}

/** New and solved tickets per day (in the organization's zone) and channel. */
export async function timeseries(ctx: Ctx, q: TReportQuery) {
  const actor = actorOf(ctx);
  const p = periodOf(q, ctx.now());
  const tz = await orgZone(ctx.db);
  const filter = ticketFilter(actor, q);
  const rows = rowsOf<{ day: string; channel: string; created: number; solved: number }>(
    await ctx.db.execute(sql`select day, channel, sum(created)::int as created, sum(solved)::int as solved from (
        select to_char(created_at at time zone ${tz}, 'YYYY-MM-DD') as day, channel::text, 1 as created, 0 as solved
          from tickets where ${filter} and created_at >= ${ts(p.from)} and created_at < ${ts(p.to)}
        union all
        select to_char(solved_at at time zone ${tz}, 'YYYY-MM-DD'), channel::text, 0, 1
          from tickets where ${filter} and solved_at >= ${ts(p.from)} and solved_at < ${ts(p.to)}
      ) x group by day, channel order by day, channel`),
  );
  return {
    timeZone: tz,
    days: rows.map((r) => ({ ...r, created: int(r.created), solved: int(r.solved) })) as Array<{
      day: string;
      channel: "email";
      created: number;
      solved: number;
    }>,
  };
}

/** Arrivals by weekday (0 Sunday) × hour in the organization's zone, per channel. */
export async function heatmap(ctx: Ctx, q: TReportQuery) {
  const actor = actorOf(ctx);
  const p = periodOf(q, ctx.now());
  const tz = await orgZone(ctx.db);
  const cells = await arrivalCells(ctx.db, ticketFilter(actor, q), p, tz);
  return { timeZone: tz, cells };
}

async function arrivalCells(db: DbOrTx, filter: SQL, p: Period, tz: string) {
  const rows = rowsOf<{ channel: string; weekday: number; hour: number; arrivals: number }>(
    await db.execute(sql`select channel::text as channel,
        extract(dow from created_at at time zone ${tz})::int as weekday,
        extract(hour from created_at at time zone ${tz})::int as hour,
        count(*)::int as arrivals
      from tickets where ${filter} and created_at >= ${ts(p.from)} and created_at < ${ts(p.to)}
      group by 1, 2, 3 order by 1, 2, 3`),
  );
  return rows.map((r) => ({
    channel: r.channel as "email",
    weekday: int(r.weekday),
    hour: int(r.hour),
    arrivals: int(r.arrivals),
  }));
}

/**
 * Per agent: solved tickets, median first response and resolution, CSAT. Managers and admins
 * see every agent; an agent sees only their own row (figures are private by default).
 */
export async function agentsReport(ctx: Ctx, q: TReportQuery) {
  const actor = actorOf(ctx);
  const p = periodOf(q, ctx.now());
  const own =
    actor.role === "agent" ? sql`${tickets.assigneeId} = ${(actor as AgentActor).userId}` : sql`true`;
  const filter = and(ticketFilter(actor, q), own) as SQL;
  const rows = rowsOf<Record<string, unknown>>(
    await ctx.db.execute(sql`select u.id, u.name,
        coalesce(s.solved, 0) as solved, s.fr, s.rs, coalesce(c.rated, 0) as rated, coalesce(c.good, 0) as good
      from users u
      left join (select assignee_id,
          count(*) filter (where solved_at >= ${ts(p.from)} and solved_at < ${ts(p.to)}) as solved,
          percentile_cont(0.5) within group (order by extract(epoch from first_response_at - created_at))
            filter (where first_response_at >= ${ts(p.from)} and first_response_at < ${ts(p.to)}) as fr,
          percentile_cont(0.5) within group (order by extract(epoch from solved_at - created_at))
            filter (where solved_at >= ${ts(p.from)} and solved_at < ${ts(p.to)}) as rs
        from tickets where ${filter} and assignee_id is not null
          and (solved_at >= ${ts(p.from)} or first_response_at >= ${ts(p.from)})
        group by assignee_id) s on s.assignee_id = u.id
      left join (select cs.agent_id, count(*) as rated, count(*) filter (where cs.good) as good
        from csat_surveys cs join tickets on tickets.id = cs.ticket_id
        where ${filter} and cs.rated_at >= ${ts(p.from)} and cs.rated_at < ${ts(p.to)}
        group by cs.agent_id) c on c.agent_id = u.id
      where (s.assignee_id is not null or c.agent_id is not null)
      order by u.name`),
  );
  return {
    items: rows.map((r) => {
      const rated = int(r.rated);
      return {
        agent: { id: String(r.id), name: String(r.name) },
        solved: int(r.solved),
        firstResponseP50: num(r.fr),
        resolutionP50: num(r.rs),
        csatRated: rated,
        csatGood: int(r.good),
        csatRate: rated > 0 ? int(r.good) / rated : null,
      };
    }),
  };
}

/**
 * Staffing advice per weekday × hour: chat and phone by Erlang C from the measured arrivals
 * (average per hour over the period's weeks) and handle time (phone: measured call durations;
 * chat: the given handle time, divided by the concurrent chats an agent takes), email by the
 * workload method (arrivals × handle time ÷ productive hour); all grossed up for shrinkage.
 * Scheduled: the active agents when the default business calendar is open, else none.
 */
export async function staffing(ctx: Ctx, q: TStaffingQuery) {
  const actor = actorOf(ctx);
  const p = periodOf(q, ctx.now());
  const tz = await orgZone(ctx.db);
  const filter = ticketFilter(actor, q);
  const weeks = Math.max(1, (p.to.getTime() - p.from.getTime()) / (7 * DAY));
  const [cells, aht, chat, cal, agents] = await Promise.all([
    arrivalCells(ctx.db, filter, p, tz),
    ctx.db.execute(sql`select avg(duration_seconds)::float as aht from calls
      where duration_seconds > 0 and started_at >= ${ts(p.from)} and started_at < ${ts(p.to)}`),
    chatSettings(ctx.db),
    ctx.db.select().from(businessCalendars).where(eq(businessCalendars.isDefault, true)).limit(1),
    ctx.db.execute(
      sql`select count(*)::int as n from users where active${
        q.teamId
          ? sql` and exists (select 1 from team_members m where m.user_id = users.id and m.team_id = ${q.teamId})`
          : sql``
      }`,
    ),
  ]);
  const phoneAht = num(rowsOf<{ aht: number | null }>(aht)[0]?.aht) ?? 240;
  const active = int(rowsOf<{ n: number }>(agents)[0]?.n);
  const calendar = cal[0] as unknown as Calendar | undefined;
  const out = [];
  for (const channel of ["chat", "phone", "email"] as const) {
    for (let weekday = 0; weekday < 7; weekday++)
      for (let hour = 0; hour < 24; hour++) {
        const arrivals = cells
          .filter((c) => c.channel === channel && c.weekday === weekday && c.hour === hour)
          .reduce((a, c) => a + c.arrivals, 0);
        const perHour = arrivals / weeks;
        const ahtSeconds =
          channel === "phone" ? phoneAht : channel === "chat" ? q.chatAhtSeconds : q.emailAhtSeconds;
        let base: number;
        if (channel === "email") base = Math.ceil((perHour * ahtSeconds) / 3600);
        else {
          const traffic = trafficErlangs(perHour, 3600, ahtSeconds);
          const n = agentsNeeded(traffic, ahtSeconds, q.targetAnswerSeconds, q.serviceLevelGoal);
          base = channel === "chat" ? Math.ceil(n / Math.max(1, chat.maxChatsPerAgent)) : n;
        }
        const needed = base === 0 ? 0 : Math.ceil(base / (1 - q.shrinkage));
        const scheduled = calendar && openAt(calendar, weekday, hour) ? active : calendar ? 0 : active;
        out.push({
          channel,
          weekday,
          hour,
          arrivalsPerHour: perHour,
          ahtSeconds,
          needed,
          scheduled,
          understaffed: needed > scheduled,
        });
      }
  }
  return { timeZone: tz, weeks, shrinkage: q.shrinkage, cells: out };
}

/** Whether the calendar is open at the middle of a weekday's hour (in the calendar's zone), on a recent week. */
function openAt(cal: Calendar, weekday: number, hour: number) {
  const week = (cal.week as unknown as Record<string, unknown>)[String(weekday)] as
    | Array<{ start: string; end: string }>
    | undefined;
  const minute = hour * 60 + 30;
  return (week ?? []).some((i) => {
    const [sh = 0, sm = 0] = i.start.split(":").map(Number);
    const [eh = 0, em = 0] = i.end.split(":").map(Number);
    const s = sh * 60 + sm;
    const e = eh * 60 + em;
    return e > s ? minute >= s && minute < e : minute >= s || minute < e;
  });
}
