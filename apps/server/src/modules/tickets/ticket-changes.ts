import { foldText } from "@rapport/shared";
import { eq } from "drizzle-orm";
import type { Actor } from "../../auth/actor.ts";
import type { TicketChanges } from "./pipeline.ts";
import { statusStamps, type TicketRow, ticketSearchVector } from "./tickets.service.ts";
import { tickets } from "./tickets.table.ts";
import type { Uow } from "./unit-of-work.ts";

export type TicketPatch = Partial<
  Pick<TicketRow, "status" | "priority" | "assigneeId" | "teamId" | "tags" | "language" | "subject">
>;

/**
 * A ticket as a pipeline step holds it: the row now, and the changes made to it so far in this
 * unit. `deferred` (creation): changes are kept here and written once after the creation
 * steps, since the row was inserted in this unit a moment ago.
 */
export type ChangingTicket = { ticket: TicketRow; changes: TicketChanges; deferred?: Partial<TicketRow> };

export const eventName = (key: string) =>
  ({ assigneeId: "assignee", teamId: "team" })[key] ?? key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** Adds `more` to `into`: a key changed twice keeps its first `from` and its last `to`. */
export function mergeChanges(into: TicketChanges, more: TicketChanges) {
  for (const [k, c] of Object.entries(more)) into[k] = { from: into[k]?.from ?? c.from, to: c.to };
  for (const [k, c] of Object.entries(into))
    if (JSON.stringify(c.from) === JSON.stringify(c.to)) delete into[k];
}

/**
 * Changes a ticket from inside a unit of work (triggers, routing, time rules): the same rules
 * as the ticket API's update (status stamps, a new ticket taken is opened, search fields), one
 * timeline event per change with `via`. Row-level: it runs no pipeline step; `item.ticket` is
 * the row afterwards and `item.changes` gathers what changed, for the steps that come later.
 */
export async function changeTicket(
  uow: Uow,
  item: ChangingTicket,
  patch: TicketPatch,
  opts: { actor: Actor; via: Record<string, unknown> },
): Promise<TicketChanges> {
  const prev = item.ticket;
  const now = uow.ctx.now();
  const set: Partial<TicketRow> = {};
  const changes: TicketChanges = {};
  for (const [key, to] of Object.entries(patch) as Array<[keyof TicketPatch, unknown]>) {
    if (to === undefined || JSON.stringify(prev[key]) === JSON.stringify(to)) continue;
    (set as Record<string, unknown>)[key] = to;
    changes[key] = { from: prev[key], to };
  }
  if (Object.keys(changes).length === 0) return changes;
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
  let ticket: TicketRow | undefined;
  if (item.deferred) {
    Object.assign(item.deferred, set);
    ticket = { ...prev, ...set };
  } else [ticket] = await uow.tx.update(tickets).set(set).where(eq(tickets.id, prev.id)).returning();
  if (!ticket) throw new Error("ticket vanished");
  for (const [key, { from, to }] of Object.entries(changes))
    uow.record(prev.id, `${eventName(key)}.changed`, { from, to, ...opts.via }, opts.actor);
  item.ticket = ticket;
  mergeChanges(item.changes, changes);
  return changes;
}
