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
import type { AgentActor } from "../../auth/actor.ts";
import { requireAgent, seesAllTickets } from "../../auth/policies.ts";
import type { Ctx } from "../../context.ts";
import type { DbOrTx } from "../../db/client.ts";
import { AppError } from "../../lib/errors.ts";
import { teams } from "../teams/teams.table.ts";
import type { TTicketQuery, TUpdateTicket } from "../tickets/tickets.schema.ts";
import { loadVisibleTicket, ticketFilters, updateTicket } from "../tickets/tickets.service.ts";
import { tickets } from "../tickets/tickets.table.ts";
import { ticketReads } from "./views.table.ts";

const OPEN = [...OPEN_STATUSES] as TicketStatus[];

/** The team views of a viewer: their own teams; managers and admins get every team. */
export async function teamViewIds(db: DbOrTx, viewer: AgentActor): Promise<string[]> {
  if (!seesAllTickets(viewer)) return viewer.teamIds;
  const rows = await db.select({ id: teams.id }).from(teams).orderBy(teams.name);
  return rows.map((r) => r.id);
}

/** Each view as the filter of a ticket list (the same filters GET /tickets applies). */
function viewFilters(teamIds: string[]): Record<string, Partial<TTicketQuery>> {
  const filters: Record<string, Partial<TTicketQuery>> = {
    mine: { status: OPEN, assignee: "me" },
    unassigned: { status: OPEN, assignee: "none" },
    all_open: { status: OPEN },
    pending: { status: [...WAITING_STATUSES] },
    solved: { status: ["solved"] },
  };
  for (const id of teamIds) filters[teamViewKey(id)] = { status: OPEN, team: id };
  return filters;
}

/**
 * The viewer's count per view. Each count reads at most REALTIME_COUNT_CAP + 1 index entries
 * (a `limit` inside the count), so a view with a million tickets costs what one with ten
 * thousand does; such a view reports REALTIME_COUNT_CAP ("10000+").
 */
export async function countViews(ctx: Ctx): Promise<TViewCounts> {
  const viewer = requireAgent(ctx.actor);
  const filters = viewFilters(await teamViewIds(ctx.db, viewer));
  const counts: TViewCounts = {};
  for (const [key, q] of Object.entries(filters)) {
    const capped = ctx.db
      .select({ one: sql`1` })
      .from(tickets)
      .where(and(...ticketFilters(viewer, q)))
      .limit(REALTIME_COUNT_CAP)
      .as("v");
    const [row] = await ctx.db.select({ n: sql<number>`count(*)::int` }).from(capped);
    counts[key] = row?.n ?? 0;
  }
  return counts;
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
