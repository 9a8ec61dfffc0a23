import { foldText } from "@rapport/shared";
import { and, asc, desc, eq, isNull, or, sql } from "drizzle-orm";
import type { AgentActor } from "../../auth/actor.ts";
import { can, requireAgent, requireCan } from "../../auth/policies.ts";
import type { Ctx } from "../../context.ts";
import { badRequest, notFound } from "../../lib/errors.ts";
import { containsPattern } from "../../lib/search.ts";
import { teams } from "../teams/teams.table.ts";
import type { TUpdateTicket } from "../tickets/tickets.schema.ts";
import { loadVisibleTicket, updateTicket } from "../tickets/tickets.service.ts";
import { toneOfTexts } from "../tone/tone.service.ts";
import { users } from "../users/users.table.ts";
import type {
  TAppliedMacro,
  TCreateMacro,
  TMacro,
  TMacroAction,
  TSavedMacro,
  TUpdateMacro,
} from "./macros.schema.ts";
import { macros } from "./macros.table.ts";
import { fillPlaceholders, placeholderValues, renderHtml } from "./placeholders.ts";

type Row = typeof macros.$inferSelect;
const searchText = (title: string, bodies: Record<string, string>) =>
  foldText([title, ...Object.values(bodies)].join(" ")).slice(0, 20_000);

/** Shared macros, and the caller's own personal ones: nobody else's personal macros. */
const visible = (me: AgentActor) => or(isNull(macros.ownerId), eq(macros.ownerId, me.userId));

function toMacro(me: AgentActor, m: Row, ownerName: string | null): TMacro {
  return {
    id: m.id,
    title: m.title,
    bodies: m.bodies,
    actions: m.actions as TMacroAction[],
    shared: m.ownerId === null,
    owner: m.ownerId ? { id: m.ownerId, name: ownerName ?? "" } : null,
    usageCount: m.usageCount,
    editable: can(me, "macro.update", m),
    createdAt: m.createdAt.toISOString(),
    updatedAt: m.updatedAt.toISOString(),
  };
}

async function loadVisible(ctx: Ctx, me: AgentActor, id: string) {
  const [row] = await ctx.db
    .select({ m: macros, ownerName: users.name })
    .from(macros)
    .leftJoin(users, eq(users.id, macros.ownerId))
    .where(and(eq(macros.id, id), visible(me)));
  if (!row) throw notFound("Macro");
  return row;
}

async function checkActions(ctx: Ctx, actions: TMacroAction[]) {
  for (const a of actions) {
    if (a.type !== "assign_team") continue;
    const [team] = await ctx.db.select({ id: teams.id }).from(teams).where(eq(teams.id, a.teamId));
    if (!team) throw badRequest(`Unknown team ${a.teamId}`, { field: "actions" });
  }
}

export async function listMacros(ctx: Ctx, q: { q?: string; limit: number }): Promise<TMacro[]> {
  const me = requireAgent(ctx.actor);
  const folded = q.q ? foldText(q.q).trim() : "";
  const rows = await ctx.db
    .select({ m: macros, ownerName: users.name })
    .from(macros)
    .leftJoin(users, eq(users.id, macros.ownerId))
    .where(and(visible(me), folded ? sql`${macros.searchText} like ${containsPattern(folded)}` : undefined))
    .orderBy(
      // Title hits first, then the most used.
      folded ? sql`(lower(${macros.title}) like ${containsPattern(folded)}) desc` : sql`1`,
      desc(macros.usageCount),
      asc(macros.title),
    )
    .limit(q.limit);
  return rows.map((r) => toMacro(me, r.m, r.ownerName));
}

export async function getMacro(ctx: Ctx, id: string): Promise<TMacro> {
  const me = requireAgent(ctx.actor);
  const r = await loadVisible(ctx, me, id);
  return toMacro(me, r.m, r.ownerName);
}

/** Macros are tone-checked when saved (created or changed, in the app or through the API). */
export async function createMacro(ctx: Ctx, input: TCreateMacro): Promise<TSavedMacro> {
  const me = requireAgent(ctx.actor);
  if (input.shared) requireCan(me, "macros.share");
  await checkActions(ctx, input.actions);
  const [row] = await ctx.db
    .insert(macros)
    .values({
      title: input.title,
      bodies: input.bodies,
      actions: input.actions,
      ownerId: input.shared ? null : me.userId,
      searchText: searchText(input.title, input.bodies),
      createdBy: me.userId,
    })
    .returning();
  if (!row) throw new Error("insert returned nothing");
  return { ...toMacro(me, row, input.shared ? null : me.name), tone: await toneOfTexts(ctx, input.bodies) };
}

export async function updateMacro(ctx: Ctx, id: string, input: TUpdateMacro): Promise<TSavedMacro> {
  const me = requireAgent(ctx.actor);
  const { m } = await loadVisible(ctx, me, id);
  requireCan(me, "macro.update", m);
  if (input.actions) await checkActions(ctx, input.actions);
  const title = input.title ?? m.title;
  const bodies = input.bodies ?? m.bodies;
  const [row] = await ctx.db
    .update(macros)
    .set({ ...input, searchText: searchText(title, bodies), updatedAt: ctx.now() })
    .where(eq(macros.id, id))
    .returning();
  if (!row) throw notFound("Macro");
  return { ...(await getMacro(ctx, row.id)), tone: await toneOfTexts(ctx, row.bodies) };
}

export async function deleteMacro(ctx: Ctx, id: string) {
  const me = requireAgent(ctx.actor);
  const { m } = await loadVisible(ctx, me, id);
  requireCan(me, "macro.delete", m);
  await ctx.db.delete(macros).where(eq(macros.id, id));
}

/** The body in the best language: asked, the ticket's, the agent's, English, else the first. */
export function pickBody(bodies: Record<string, string>, wanted: Array<string | null | undefined>) {
  for (const w of wanted) {
    if (!w) continue;
    const key = Object.keys(bodies).find((k) => k === w || k.split("-")[0] === w.split("-")[0]);
    if (key) return { locale: key, body: bodies[key] ?? "" };
  }
  const [first] = Object.entries(bodies);
  return { locale: first?.[0] ?? "en", body: first?.[1] ?? "" };
}

function actionPatch(me: AgentActor, actions: TMacroAction[]): TUpdateTicket {
  const patch: TUpdateTicket = {};
  for (const a of actions) {
    if (a.type === "set_status") patch.status = a.value;
    if (a.type === "set_priority") patch.priority = a.value;
    if (a.type === "add_tags") patch.addTags = [...(patch.addTags ?? []), ...a.tags];
    if (a.type === "remove_tags") patch.removeTags = [...(patch.removeTags ?? []), ...a.tags];
    if (a.type === "assign_to_me") patch.assigneeId = me.userId;
    if (a.type === "assign_team") patch.teamId = a.teamId;
  }
  return patch;
}

/**
 * Applies a macro to a ticket the agent can see: its actions change the ticket (through the
 * ticket API's rules and permissions), and its reply comes back with the placeholders filled
 * for the reply box. The reply is not sent: the agent reviews it first.
 */
export async function applyMacro(
  ctx: Ctx,
  id: string,
  input: { ticketId: string; locale?: string },
): Promise<TAppliedMacro> {
  const me = requireAgent(ctx.actor);
  const { m } = await loadVisible(ctx, me, id);
  const ticket = await loadVisibleTicket(ctx.db, me, input.ticketId);
  const patch = actionPatch(me, m.actions as TMacroAction[]);
  let changed: string[] = [];
  if (Object.keys(patch).length > 0) {
    const before = await loadVisibleTicket(ctx.db, me, input.ticketId);
    const after = await updateTicket(ctx, input.ticketId, patch);
    changed = (["status", "priority", "tags"] as const).filter(
      (k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]),
    );
    if (before.assigneeId !== (after.assignee?.id ?? null)) changed.push("assignee");
    if (before.teamId !== (after.team?.id ?? null)) changed.push("team");
  }
  const { locale, body } = pickBody(m.bodies, [input.locale, ticket.language, me.locale, "en"]);
  const values = await placeholderValues(ctx.db, ticket, { name: me.name }, locale);
  await ctx.db
    .update(macros)
    .set({ usageCount: sql`${macros.usageCount} + 1` })
    .where(eq(macros.id, m.id));
  return { locale, text: fillPlaceholders(body, values, "text"), html: renderHtml(body, values), changed };
}
