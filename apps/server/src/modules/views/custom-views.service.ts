import { REALTIME_COUNT_CAP } from "@rapport/shared";
import { and, asc, eq, inArray, or, type SQL, sql } from "drizzle-orm";
import type { AgentActor } from "../../auth/actor.ts";
import { can, requireAgent, requireCan, seesAllTickets } from "../../auth/policies.ts";
import type { Ctx } from "../../context.ts";
import type { DbOrTx } from "../../db/client.ts";
import { badRequest, conflict, notFound } from "../../lib/errors.ts";
import { teams } from "../teams/teams.table.ts";
import type { TTicket } from "../tickets/tickets.schema.ts";
import { listTickets, ticketFilters } from "../tickets/tickets.service.ts";
import { tickets } from "../tickets/tickets.table.ts";
import { users } from "../users/users.table.ts";
import { valueConditionSql } from "../value/value.facts.ts";
import {
  DUE_SOON_MINUTES,
  type TCreateView,
  type TCustomView,
  type TUpdateView,
  type TViewFilters,
  VIEW_SORTS,
  ZViewFilters,
} from "./custom-views.schema.ts";
import { savedViews } from "./views.table.ts";

/** How many views one agent may own. */
export const MAX_VIEWS_PER_OWNER = 50;

export const customViewKey = (id: string) => `view:${id}`;
type ViewRow = typeof savedViews.$inferSelect;

/** The views a viewer has: their own, and those shared with a team of theirs (managers: every shared one). */
function visibleViews(viewer: AgentActor): SQL {
  const own = eq(savedViews.ownerId, viewer.userId);
  if (seesAllTickets(viewer)) return or(own, sql`cardinality(${savedViews.teamIds}) > 0`) as SQL;
  if (viewer.teamIds.length === 0) return own;
  const mine = sql`${savedViews.teamIds} && ${`{${viewer.teamIds.join(",")}}`}::uuid[]`;
  return or(own, mine) as SQL;
}

/**
 * A view's filters as SQL conditions on tickets, always inside the viewer's visibility scope
 * (a shared view never shows a ticket its viewer may not see). They use the ticket indexes
 * the inbox uses: status/assignee/team ranges, tags and custom fields (GIN), next due time.
 */
export function compileFilters(viewer: AgentActor, f: TViewFilters, now: Date): SQL[] {
  const { tags: _t, language: _l, sla: _s, sentiment: _m, worstSentiment: _w, value: _v, ...listed } = f;
  return [...ticketFilters(viewer, listed), ...extraFilters(f, now)];
}

/** The filters GET /tickets does not have: all of these tags, a language, an SLA state, sentiment, value. */
function extraFilters(f: TViewFilters, now: Date): SQL[] {
  const conds: SQL[] = [];
  if (f.tags?.length)
    conds.push(sql`${tickets.tags} @> ${`{${f.tags.map((t) => JSON.stringify(t)).join(",")}}`}::text[]`);
  if (f.language) conds.push(eq(tickets.language, f.language));
  if (f.sentiment) conds.push(inArray(tickets.sentiment, f.sentiment));
  if (f.worstSentiment) conds.push(inArray(tickets.worstSentiment, f.worstSentiment));
  for (const c of f.value ?? []) conds.push(valueConditionSql(sql`${tickets.requesterId}`, c, now));
  const at = now.toISOString();
  const soon = new Date(now.getTime() + DUE_SOON_MINUTES * 60_000).toISOString();
  if (f.sla === "overdue") conds.push(sql`${tickets.nextDueAt} < ${at}::timestamptz`);
  else if (f.sla === "due_soon")
    conds.push(
      sql`${tickets.nextDueAt} >= ${at}::timestamptz and ${tickets.nextDueAt} < ${soon}::timestamptz`,
    );
  else if (f.sla === "running") conds.push(sql`${tickets.nextDueAt} is not null`);
  else if (f.sla === "none") conds.push(sql`${tickets.nextDueAt} is null`);
  return conds;
}

/** Stored filters, read back through their schema (a row written by an older version stays safe). */
function filtersOf(row: ViewRow): TViewFilters {
  const parsed = ZViewFilters.safeParse(row.filters);
  return parsed.success ? parsed.data : { status: ["new"], q: "\u0000" };
}

function toView(row: ViewRow, ownerName: string | null, viewer: AgentActor): TCustomView {
  return {
    id: row.id,
    key: customViewKey(row.id),
    name: row.name,
    owner: row.ownerId ? { id: row.ownerId, name: ownerName ?? "" } : null,
    teamIds: row.teamIds,
    filters: filtersOf(row),
    columns: row.columns,
    sort: (VIEW_SORTS as readonly string[]).includes(row.sort)
      ? (row.sort as TCustomView["sort"])
      : "updated",
    order: row.sortOrder === "asc" ? "asc" : "desc",
    editable: can(viewer, "view.update", row),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

async function viewRows(db: DbOrTx, viewer: AgentActor) {
  return db
    .select({ view: savedViews, ownerName: users.name })
    .from(savedViews)
    .leftJoin(users, eq(users.id, savedViews.ownerId))
    .where(visibleViews(viewer))
    .orderBy(asc(savedViews.name), asc(savedViews.id))
    .limit(200);
}

export async function listCustomViews(ctx: Ctx): Promise<TCustomView[]> {
  const viewer = requireAgent(ctx.actor);
  return (await viewRows(ctx.db, viewer)).map((r) => toView(r.view, r.ownerName, viewer));
}

async function loadView(db: DbOrTx, viewer: AgentActor, id: string) {
  const [row] = await db
    .select({ view: savedViews, ownerName: users.name })
    .from(savedViews)
    .leftJoin(users, eq(users.id, savedViews.ownerId))
    .where(and(eq(savedViews.id, id), visibleViews(viewer)));
  if (!row) throw notFound("View");
  return row;
}

/** An agent shares a view with their own teams; managers and admins with any team. */
async function checkTeams(db: DbOrTx, viewer: AgentActor, teamIds: string[]) {
  const unique = [...new Set(teamIds)];
  for (const teamId of unique) requireCan(viewer, "team.use", { teamId });
  if (unique.length === 0) return unique;
  const found = await db
    .select({ id: teams.id })
    .from(teams)
    .where(sql`${teams.id} = any(${`{${unique.join(",")}}`}::uuid[])`);
  if (found.length !== unique.length) throw badRequest("Unknown team", { field: "teamIds" });
  return unique;
}

export async function getCustomView(ctx: Ctx, id: string): Promise<TCustomView> {
  const viewer = requireAgent(ctx.actor);
  const row = await loadView(ctx.db, viewer, id);
  return toView(row.view, row.ownerName, viewer);
}

export async function createCustomView(ctx: Ctx, input: TCreateView): Promise<TCustomView> {
  const viewer = requireAgent(ctx.actor);
  const teamIds = await checkTeams(ctx.db, viewer, input.teamIds);
  const [owned] = await ctx.db
    .select({ n: sql<number>`count(*)::int` })
    .from(savedViews)
    .where(eq(savedViews.ownerId, viewer.userId));
  if ((owned?.n ?? 0) >= MAX_VIEWS_PER_OWNER)
    throw conflict(`You have ${MAX_VIEWS_PER_OWNER} views already: delete one first`);
  const now = ctx.now();
  const [row] = await ctx.db
    .insert(savedViews)
    .values({
      name: input.name,
      ownerId: viewer.userId,
      teamIds,
      filters: input.filters,
      columns: input.columns,
      sort: input.sort,
      sortOrder: input.order,
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  if (!row) throw new Error("insert returned nothing");
  return toView(row, viewer.name, viewer);
}

export async function updateCustomView(ctx: Ctx, id: string, input: TUpdateView): Promise<TCustomView> {
  const viewer = requireAgent(ctx.actor);
  const { view } = await loadView(ctx.db, viewer, id);
  requireCan(viewer, "view.update", view);
  const set: Partial<ViewRow> = { updatedAt: ctx.now() };
  if (input.name !== undefined) set.name = input.name;
  if (input.filters !== undefined) set.filters = input.filters;
  if (input.columns !== undefined) set.columns = input.columns;
  if (input.sort !== undefined) set.sort = input.sort;
  if (input.order !== undefined) set.sortOrder = input.order;
  if (input.teamIds !== undefined) set.teamIds = await checkTeams(ctx.db, viewer, input.teamIds);
  await ctx.db.update(savedViews).set(set).where(eq(savedViews.id, id));
  return getCustomView(ctx, id);
}

export async function deleteCustomView(ctx: Ctx, id: string): Promise<void> {
  const viewer = requireAgent(ctx.actor);
  const { view } = await loadView(ctx.db, viewer, id);
  requireCan(viewer, "view.update", view);
  await ctx.db.delete(savedViews).where(eq(savedViews.id, id));
}

/** A page of a view's tickets, in the view's sort, as the viewer may see them. */
export async function customViewTickets(
  ctx: Ctx,
  id: string,
  q: { cursor?: string; limit: number },
): Promise<{ items: TTicket[]; nextCursor: string | null }> {
  const viewer = requireAgent(ctx.actor);
  const { view } = await loadView(ctx.db, viewer, id);
  const f = filtersOf(view);
  const v = toView(view, null, viewer);
  const { tags: _t, language: _l, sla: _s, sentiment: _m, worstSentiment: _w, value: _v, ...listed } = f;
  return listTickets(
    ctx,
    { ...listed, sort: v.sort, order: v.order, limit: q.limit, cursor: q.cursor },
    extraFilters(f, ctx.now()),
  );
}

/**
 * The count of each of the viewer's custom views (`view:<id>` keys), in one statement; each
 * count reads at most REALTIME_COUNT_CAP index entries, like the built-in views.
 */
export async function countCustomViews(
  db: DbOrTx,
  viewer: AgentActor,
  now: Date,
): Promise<Record<string, number>> {
  const rows = await viewRows(db, viewer);
  if (rows.length === 0) return {};
  const columns = rows.map(
    ({ view }, i) =>
      sql`(select count(*)::int from (select 1 from ${tickets} where ${and(...compileFilters(viewer, filtersOf(view), now))} limit ${REALTIME_COUNT_CAP}) v) as ${sql.identifier(`c${i}`)}`,
  );
  const result = await db.execute(sql`select ${sql.join(columns, sql`, `)}`);
  const row = (result as unknown as { rows: Array<Record<string, number>> }).rows[0] ?? {};
  return Object.fromEntries(rows.map(({ view }, i) => [customViewKey(view.id), Number(row[`c${i}`] ?? 0)]));
}
