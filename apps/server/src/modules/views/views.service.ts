import {
  BULK_MAX_IDS,
  OPEN_STATUSES,
  REALTIME_COUNT_CAP,
  type TBulkResult,
  type TicketStatus,
  type TViewCounts,
  teamViewKey,
  WAITING_STATUSES,
} from "@rapport/shared";
import { and, sql } from "drizzle-orm";
import { type AgentActor, SYSTEM } from "../../auth/actor.ts";
import { requireAgent, seesAllTickets } from "../../auth/policies.ts";
import type { Ctx } from "../../context.ts";
import type { DbOrTx } from "../../db/client.ts";
import { AppError } from "../../lib/errors.ts";
import { teams } from "../teams/teams.table.ts";
import type { TTicketQuery, TUpdateTicket } from "../tickets/tickets.schema.ts";
import { loadVisibleTicket, ticketFilters, updateTicket } from "../tickets/tickets.service.ts";
import { tickets } from "../tickets/tickets.table.ts";
import { countCustomViews } from "./custom-views.service.ts";
import { ticketReads } from "./views.table.ts";

const OPEN = [...OPEN_STATUSES] as TicketStatus[];

/** The team views of a viewer: their own teams; managers and admins get every team. */
export async function teamViewIds(db: DbOrTx, viewer: AgentActor): Promise<string[]> {
  if (!seesAllTickets(viewer)) return viewer.teamIds;
  const rows = await db.select({ id: teams.id }).from(teams).orderBy(teams.name);
  return rows.map((r) => r.id);
}

/**
 * Each view as the filter of a ticket list (the filters GET /tickets applies), and whether it
 * needs the viewer's visibility scope: a ticket assigned to the viewer, or in a team whose view
 * the viewer has, is visible anyway, and leaving the scope out lets those counts use an index alone.
 */
function viewFilters(viewer: AgentActor, teamIds: string[]) {
  const filters: Record<string, { q: Partial<TTicketQuery>; scoped: boolean }> = {
    mine: { q: { status: OPEN, assignee: viewer.userId }, scoped: false },
    unassigned: { q: { status: OPEN, assignee: "none" }, scoped: true },
    all_open: { q: { status: OPEN }, scoped: true },
    pending: { q: { status: [...WAITING_STATUSES] }, scoped: true },
    solved: { q: { status: ["solved"] }, scoped: true },
  };
  for (const id of teamIds) filters[teamViewKey(id)] = { q: { status: OPEN, team: id }, scoped: false };
  return filters;
}

/**
 * The viewer's count per view, in one statement. Each count reads at most REALTIME_COUNT_CAP
 * index entries (a `limit` inside the count), so a view with a million tickets costs what one
 * with ten thousand does; such a view reports REALTIME_COUNT_CAP ("10000+").
 */
export async function countViews(ctx: Ctx): Promise<TViewCounts> {
  const viewer = requireAgent(ctx.actor);
  const views = Object.entries(viewFilters(viewer, await teamViewIds(ctx.db, viewer)));
  const columns = views.map(
    ([, v], i) =>
      sql`(select count(*)::int from (select 1 from ${tickets} where ${and(...ticketFilters(v.scoped ? viewer : SYSTEM, v.q))} limit ${REALTIME_COUNT_CAP}) v) as ${sql.identifier(`c${i}`)}`,
  );
  const [result, custom] = await Promise.all([
    ctx.db.execute(sql`select ${sql.join(columns, sql`, `)}`),
    countCustomViews(ctx.db, viewer, ctx.now()),
  ]);
  const row = (result as unknown as { rows: Array<Record<string, number>> }).rows[0] ?? {};
  return { ...Object.fromEntries(views.map(([key], i) => [key, Number(row[`c${i}`] ?? 0)])), ...custom };
}

/** Marks a ticket read for the calling agent (it stops being unread until the next customer message). */
export async function markRead(ctx: Ctx, ticketId: string): Promise<void> {
  const me = requireAgent(ctx.actor);
  await loadVisibleTicket(ctx.db, me, ticketId);
  const now = ctx.now();
  await ctx.db
    .insert(ticketReads)
    .values({ userId: me.userId, ticketId, readAt: now })
    .onConflictDoUpdate({ target: [ticketReads.userId, ticketReads.ticketId], set: { readAt: now } });
}

/**
 * Applies one patch to many tickets, each through updateTicket (its own authorization,
 * transaction, timeline events and realtime event). One ticket failing does not stop the others.
 */
export async function bulkUpdate(ctx: Ctx, ids: string[], patch: TUpdateTicket): Promise<TBulkResult> {
  requireAgent(ctx.actor);
  const unique = [...new Set(ids)].slice(0, BULK_MAX_IDS);
  const result: TBulkResult = { updated: [], failed: [] };
  for (const id of unique) {
    try {
      await updateTicket(ctx, id, patch);
      result.updated.push(id);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      result.failed.push({ id, code: err.code, message: err.message });
    }
  }
  return result;
}
