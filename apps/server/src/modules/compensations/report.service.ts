import { sql } from "drizzle-orm";
import { requireCan } from "../../auth/policies.ts";
import type { Ctx } from "../../context.ts";
import { effectiveLimit, loadSettings, monthOf } from "./compensations.service.ts";

const rowsOf = <T>(r: unknown) => (r as { rows: T[] }).rows;

/**
 * Compensation by month, agent, team, kind and currency against each agent's monthly limit
 * as it is in force now (`limitsAsOf`: limits keep no history, so past months are compared
 * with today's limits; a `*` limit is compared with the agent's month over every kind),
 * and approval turnaround per month (median and 90th percentile minutes from request to
 * decision, escalations, still pending). Managers and admins.
 */
export async function compensationReport(ctx: Ctx, q: { from?: string; to?: string }) {
  requireCan(ctx.actor, "reports.read");
  const to = q.to ?? monthOf(ctx.now());
  const from = q.from ?? to;
  const rows = rowsOf<{
    month: string;
    agent_id: string;
    agent_name: string;
    role: string;
    team_id: string | null;
    team_name: string | null;
    kind: string;
    currency: string;
    granted_count: number;
    self_minor: string;
    approved_minor: string;
    requested_count: number;
    rejected_count: number;
    agent_teams: string[] | null;
  }>(
    await ctx.db.execute(sql`select c.month, c.agent_id, u.name as agent_name, u.role::text as role,
        c.team_id, t.name as team_name, c.kind, c.currency,
        count(*) filter (where c.status = 'granted')::int as granted_count,
        coalesce(sum(c.granted_minor) filter (where c.status = 'granted' and c.decided_by_id is null), 0) as self_minor,
        coalesce(sum(c.granted_minor) filter (where c.status = 'granted' and c.decided_by_id is not null), 0) as approved_minor,
        count(*) filter (where c.status in ('pending_approval', 'rejected') or c.decided_by_id is not null)::int as requested_count,
        count(*) filter (where c.status = 'rejected')::int as rejected_count,
        (select array_agg(m.team_id::text) from team_members m where m.user_id = c.agent_id) as agent_teams
      from compensations c join users u on u.id = c.agent_id left join teams t on t.id = c.team_id
      where c.month between ${from} and ${to}
      group by c.month, c.agent_id, u.name, u.role, c.team_id, t.name, c.kind, c.currency
      order by c.month desc, u.name, c.kind, c.currency`),
  );
  const settings = await loadSettings(ctx.db);
  // An agent's own-authority total per month and currency, for limits on every kind (`*`).
  const allKinds = new Map<string, number>();
  for (const r of rows) {
    const key = `${r.month}:${r.agent_id}:${r.currency}`;
    allKinds.set(key, (allKinds.get(key) ?? 0) + Number(r.self_minor));
  }
  const perKind = new Map<string, number>();
  for (const r of rows) {
    const key = `${r.month}:${r.agent_id}:${r.kind}:${r.currency}`;
    perKind.set(key, (perKind.get(key) ?? 0) + Number(r.self_minor));
  }
  const out = [];
  for (const r of rows) {
    const limit = await effectiveLimit(
      ctx.db,
      { userId: r.agent_id, role: r.role, teamIds: r.agent_teams ?? [] },
      r.team_id,
      r.kind,
      r.currency,
      settings,
    );
    out.push({
      month: r.month,
      agent: { id: r.agent_id, name: r.agent_name },
      teamId: r.team_id,
      teamName: r.team_name,
      kind: r.kind,
      currency: r.currency,
      grantedCount: Number(r.granted_count),
      selfGrantedMinor: Number(r.self_minor),
      approvedMinor: Number(r.approved_minor),
      requestedCount: Number(r.requested_count),
      rejectedCount: Number(r.rejected_count),
      perMonthMinor: limit?.perMonthMinor ?? (limit ? null : 0),
      unlimited: limit?.unlimited ?? false,
      limitAnyKind: limit?.anyKind ?? false,
      countedMinor: limit?.anyKind
        ? (allKinds.get(`${r.month}:${r.agent_id}:${r.currency}`) ?? 0)
        : (perKind.get(`${r.month}:${r.agent_id}:${r.kind}:${r.currency}`) ?? 0),
    });
  }
  const turnaround = rowsOf<{
    month: string;
    decided: number;
    median: number | null;
    p90: number | null;
    escalated: number;
    pending: number;
  }>(
    await ctx.db.execute(sql`select c.month,
        count(*) filter (where c.decided_at is not null)::int as decided,
        percentile_cont(0.5) within group (order by extract(epoch from c.decided_at - c.created_at) / 60)
          filter (where c.decided_at is not null) as median,
        percentile_cont(0.9) within group (order by extract(epoch from c.decided_at - c.created_at) / 60)
          filter (where c.decided_at is not null) as p90,
        (select count(*) from compensation_audit a join compensations c2 on c2.id = a.compensation_id
          where a.action = 'escalated' and c2.month = c.month)::int as escalated,
        count(*) filter (where c.status = 'pending_approval')::int as pending
      from compensations c
      where c.month between ${from} and ${to}
        and (c.decided_by_id is not null or c.status in ('pending_approval', 'rejected'))
      group by c.month order by c.month desc`),
  );
  return {
    rows: out,
    limitsAsOf: ctx.now().toISOString(),
    turnaround: turnaround.map((t) => ({
      month: t.month,
      decided: Number(t.decided),
      medianMinutes: t.median === null ? null : Math.round(Number(t.median) * 10) / 10,
      p90Minutes: t.p90 === null ? null : Math.round(Number(t.p90) * 10) / 10,
      escalated: Number(t.escalated),
      pending: Number(t.pending),
    })),
  };
}
