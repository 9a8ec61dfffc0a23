import { type SQL, sql } from "drizzle-orm";
import { requireCan } from "../../auth/policies.ts";
import type { Ctx } from "../../context.ts";
import { badRequest } from "../../lib/errors.ts";
import { readSettings } from "../settings/settings.service.ts";
import type { TDrilldownQuery } from "./drilldown.schema.ts";
import type { TReportQuery } from "./reports.schema.ts";
import { excludeCheckTickets, narrowsTickets, periodOf, ticketFilter } from "./reports.service.ts";

const ts = (d: Date) => sql`${d.toISOString()}::timestamptz`;
const iso = (v: unknown) => (v === null || v === undefined ? null : new Date(String(v)).toISOString());
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

function decodeCursor(c: string): { at: string; id: string } {
  const [at, id] = Buffer.from(c, "base64url").toString("utf8").split("|");
  if (!at || !id || Number.isNaN(Date.parse(at)) || !/^[0-9a-f-]{36}$/.test(id))
    throw badRequest("Invalid cursor", { field: "cursor" });
  return { at, id };
}

/**
 * The tickets behind one chart point, with their timings, newest first. Managers and admins
 * only (`reports.read`): a list of tickets by agent and hour is a manager's tool, and the same
 * ticket scope as every report still applies.
 */
export async function drilldown(ctx: Ctx, q: TDrilldownQuery) {
  const actor = requireCan(ctx.actor, "reports.read");
  const p = periodOf(q, ctx.now());
  const tz = (await readSettings(ctx.db))?.timeZone ?? "UTC";
  const col = sql.raw(
    q.metric === "solved"
      ? "t.solved_at"
      : q.metric === "rated"
        ? "(select max(s.rated_at) from csat_surveys s where s.ticket_id = t.id)"
        : "t.created_at",
  );
  const where: SQL[] = [sql`${col} >= ${ts(p.from)}`, sql`${col} < ${ts(p.to)}`, excludeCheckTickets.on("t")];
  // Per row (a primary-key probe), so a page walks the period's index and stops at its limit; an
  // `in (select …)` hashed every ticket for each page of an export.
  if (narrowsTickets(actor, q))
    where.push(sql`exists (select 1 from tickets where tickets.id = t.id and ${ticketFilter(actor, q)})`);
  if (q.day) where.push(sql`(${col} at time zone ${tz})::date = ${q.day}::date`);
  if (q.weekday !== undefined) where.push(sql`extract(dow from ${col} at time zone ${tz}) = ${q.weekday}`);
  if (q.hour !== undefined) where.push(sql`extract(hour from ${col} at time zone ${tz}) = ${q.hour}`);
  if (q.reasonId)
    where.push(
      sql`exists (select 1 from csat_surveys s where s.ticket_id = t.id and s.reason_id = ${q.reasonId})`,
    );
  if (q.cursor) {
    const c = decodeCursor(q.cursor);
    where.push(sql`(${col}, t.id) < (${c.at}::timestamptz, ${c.id}::uuid)`);
  }
  const res = await ctx.db.execute(sql`select t.id, t.number, t.subject, t.channel::text as channel,
      t.status::text as status, t.priority::text as priority, tm.name as team, u.name as assignee,
      t.created_at, t.first_response_at, t.solved_at, ${col} as point_at,
      extract(epoch from t.first_response_at - t.created_at) as fr,
      extract(epoch from t.solved_at - t.created_at) as rs
    from tickets t
    left join teams tm on tm.id = t.team_id
    left join users u on u.id = t.assignee_id
    where ${sql.join(where, sql` and `)}
    order by ${col} desc, t.id desc
    limit ${q.limit + 1}`);
  const rows = (res as unknown as { rows: Array<Record<string, unknown>> }).rows;
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  return {
    timeZone: tz,
    items: page.map((r) => ({
      id: String(r.id),
      number: Number(r.number),
      subject: String(r.subject),
      channel: r.channel as "email",
      status: String(r.status),
      priority: String(r.priority),
      team: (r.team as string | null) ?? null,
      assignee: (r.assignee as string | null) ?? null,
      createdAt: iso(r.created_at) as string,
      firstResponseAt: iso(r.first_response_at),
      solvedAt: iso(r.solved_at),
      firstResponseSeconds: num(r.fr),
      resolutionSeconds: num(r.rs),
    })),
    nextCursor:
      rows.length > q.limit && last
        ? Buffer.from(`${iso(last.point_at)}|${String(last.id)}`).toString("base64url")
        : null,
  };
}

/**
 * The CSAT trend of the dashboard: rated and good surveys per day of rating (organization
 * zone) and the reasons picked with bad ratings (`id` null: a bad rating without a reason),
 * over the tickets the caller may see with the report's filters.
 */
export async function csatTrend(ctx: Ctx, q: TReportQuery) {
  const actor = requireCan(ctx.actor, "reports.view");
  const p = periodOf(q, ctx.now());
  const tz = (await readSettings(ctx.db))?.timeZone ?? "UTC";
  const scoped = sql`s.rated_at >= ${ts(p.from)} and s.rated_at < ${ts(p.to)}
    and s.ticket_id in (select id from tickets where ${ticketFilter(actor, q)})`;
  const [days, reasons] = await Promise.all([
    ctx.db.execute(sql`select to_char(s.rated_at at time zone ${tz}, 'YYYY-MM-DD') as day,
        count(*)::int as rated, count(*) filter (where s.good)::int as good
      from csat_surveys s where ${scoped} group by 1 order by 1`),
    ctx.db.execute(sql`select r.id, r.labels, count(*)::int as n
      from csat_surveys s left join csat_reasons r on r.id = s.reason_id
      where ${scoped} and not s.good group by r.id, r.labels order by n desc, r.id`),
  ]);
  type Row = Record<string, unknown>;
  return {
    timeZone: tz,
    days: (days as unknown as { rows: Row[] }).rows.map((r) => {
      const rated = Number(r.rated);
      const good = Number(r.good);
      return { day: String(r.day), rated, good, rate: rated > 0 ? good / rated : null };
    }),
    reasons: (reasons as unknown as { rows: Row[] }).rows.map((r) => ({
      id: (r.id as string | null) ?? null,
      labels: (r.labels as Record<string, string> | null) ?? {},
      count: Number(r.n),
    })),
  };
}
