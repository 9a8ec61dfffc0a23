import { AsyncLocalStorage } from "node:async_hooks";
import { foldText } from "@rapport/shared";
import { eq } from "drizzle-orm";
import type { Actor } from "../../auth/actor.ts";
import type { Ctx } from "../../context.ts";
import type { DbOrTx } from "../../db/client.ts";
import { type TicketChanges, type TicketHooks, ticketHooks } from "../tickets/hooks.ts";
import { statusStamps, type TicketRow, ticketSearchVector, writeEvent } from "../tickets/tickets.service.ts";
import { tickets } from "../tickets/tickets.table.ts";

export type TicketPatch = Partial<
  Pick<TicketRow, "status" | "priority" | "assigneeId" | "teamId" | "tags" | "language" | "subject">
>;

/** Hooks that are running now, so a change made from inside a hook does not re-enter it. */
const runningHooks = new AsyncLocalStorage<Set<unknown>>();

/** Runs `fn` marked as inside `hook`: changes it makes skip that hook. */
export function insideHook<T>(hook: unknown, fn: () => Promise<T>): Promise<T> {
  const outer = runningHooks.getStore();
  if (outer?.has(hook)) return fn();
  return runningHooks.run(new Set([...(outer ?? []), hook]), fn);
}
export const isInsideHook = (hook: unknown) => runningHooks.getStore()?.has(hook) ?? false;

const eventName = (key: string) =>
  ({ assigneeId: "assignee", teamId: "team" })[key] ?? key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/**
 * Changes a ticket from inside a ticket transaction (routing, triggers, time rules): the
 * same rules as the ticket API's update (status stamps, a new ticket taken is opened, search
 * fields), one timeline event per change with `via`, then the other modules' `updated` hooks,
 * except those already running (so a hook's own change never re-enters it).
 */
export async function applyTicketChanges(
  tx: DbOrTx,
  ctx: Ctx,
  prev: TicketRow,
  patch: TicketPatch,
  opts: { actor: Actor; via: Record<string, unknown> },
): Promise<{ ticket: TicketRow; changes: TicketChanges }> {
  const now = ctx.now();
  const set: Partial<TicketRow> = {};
  const changes: TicketChanges = {};
  for (const [key, to] of Object.entries(patch) as Array<[keyof TicketPatch, unknown]>) {
    if (to === undefined || JSON.stringify(prev[key]) === JSON.stringify(to)) continue;
    (set as Record<string, unknown>)[key] = to;
    changes[key] = { from: prev[key], to };
  }
  if (Object.keys(changes).length === 0) return { ticket: prev, changes };
  if (set.status) Object.assign(set, statusStamps(set.status, now, prev));
  if (set.assigneeId && prev.status === "new" && set.status === undefined) {
    set.status = "open";
    changes.status = { from: prev.status, to: "open" };
  }
  if (set.subject !== undefined || set.tags !== undefined) {
    set.subjectFolded = foldText(set.subject ?? prev.subject);
    set.searchVector = ticketSearchVector(set.subject ?? prev.subject, set.tags ?? prev.tags);
  }
  set.updatedAt = now;
  const [ticket] = await tx.update(tickets).set(set).where(eq(tickets.id, prev.id)).returning();
  if (!ticket) throw new Error("ticket vanished");
  for (const [key, { from, to }] of Object.entries(changes)) {
    await writeEvent(tx, prev.id, opts.actor, `${eventName(key)}.changed`, { from, to, ...opts.via }, now);
  }
  const running = runningHooks.getStore();
  for (const hook of ticketHooks.updated as TicketHooks["updated"]) {
    if (running?.has(hook)) continue;
    await hook(tx, ctx, prev, ticket, changes);
  }
  return { ticket, changes };
}

/**
 * The ticket being created while its creation hooks run: `updated` hooks called from them
 * (a trigger or routing changing the new ticket) skip "ticket updated" work for it.
 */
export const creating = new AsyncLocalStorage<string>();
export const isBeingCreated = (ticketId: string) => creating.getStore() === ticketId;
